"""The whole app as a user meets it: the window built by ``viewer.app.build`` with every panel wired,
and the flows that cross panels (search -> reader, reader -> bookmarks, statistics -> reader, import
-> every panel)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, Qt, QTimer, QUrl
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog

from tests.ui import dnd

from tests.conftest import SEED_SLUG
from viewer.core.bookmarks import BookmarkStore, make_bookmark
from viewer.ui import settings
from viewer.ui.dialogs.bookmark_dialog import BookmarkDialog
from viewer.ui.dialogs.export_dialog import ExportDialog
from viewer.ui.dialogs.import_dialog import ImportDialog
from viewer.ui.models.search_results_model import SNIPPET

ARAL = """Water rights in the Aral region: a round table

On 12 April 2022, researchers and farmers met in Nukus for a round table on water rights in the Aral region, \
moderated by Dilnoza Karimova, director of the Aral Water Forum.

Dilnoza Karimova opened the meeting. “Every village downstream pays for the canals upstream”, she said.

Timur Sadykov, a hydrologist at the Steppe Institute, noted that “the sea will not come back while the cotton \
fields drink first”.
"""
ARAL_SLUG = "water-rights-in-the-aral-region-a-round-table"
ARAL_TITLE = "Water rights in the Aral region: a round table"


# ---------------------------------------------------------------------------------------- helpers


@pytest.fixture
def window(services, qtbot, seed_archive_path):
    w = services.window
    with qtbot.waitSignal(w.reader.document_loaded, timeout=10_000):
        assert w.open_archive(seed_archive_path)
    return w



@pytest.fixture
def aral(tmp_path) -> Path:
    path = tmp_path / "aral.txt"
    path.write_text(ARAL, encoding="utf-8")
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def activate(qtbot, window) -> None:
    with qtbot.waitActive(window):
        window.activateWindow()


class DialogAnswerer:
    """Answers the next modal dialog of ``kind`` as a user would (``fill`` it, then OK), from the
    event loop that its ``exec()`` runs; gives up after ``tries`` turns of the loop."""

    def __init__(self, kind, fill=None, tries: int = 500):
        self.kind = kind
        self.fill = fill
        self.tries = tries
        self.seen: list[QDialog] = []
        QTimer.singleShot(0, self._attempt)

    def _attempt(self) -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, self.kind):
            self.seen.append(widget)
            if self.fill is not None:
                self.fill(widget)
            widget.accept()
            return
        self.tries -= 1
        if self.tries > 0:
            QTimer.singleShot(5, self._attempt)


def select_in_reader(reader, passage_id: int, start: int, end: int) -> None:
    content = reader.view.content
    row = content.row_by_id[passage_id]
    cursor = reader.view.textCursor()
    cursor.setPosition(content.position(row, start))
    cursor.setPosition(content.position(row, end), cursor.MoveMode.KeepAnchor)
    reader.view.setTextCursor(cursor)


def layer_texts(reader, name: str) -> list[str]:
    return [sel.cursor.selectedText() for sel in reader.view.layer(name)]


def click_row(qtbot, view, row: int, column: int = 0) -> None:
    index = view.model().index(row, column)
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())


def passage_with(archive, text: str):
    doc = archive.document(SEED_SLUG)
    return next(p for p in archive.passages(doc.id, 0, 1000) if text in p.text)


# ---------------------------------------------------------------------------------------- the window


def test_every_panel_is_docked_and_listed(window):
    names = [p.dock.objectName() for p in window._panels]
    assert names == ["documentsDock", "speakersDock", "searchDock", "bookmarksDock", "statisticsDock",
                     "unattributedDock"]
    view_items = [a.text() for a in window.view_menu.actions()]
    for title in ("Documents", "Speakers", "Search", "Bookmarks", "Statistics", "Unattributed quotes"):
        assert title in view_items
    # search, bookmarks, statistics and the unattributed quotes share one tabbed area on the right, search in front
    right = [window.dock(name) for name in ("searchDock", "bookmarksDock", "statisticsDock", "unattributedDock")]
    assert {window.dockWidgetArea(d) for d in right} == {Qt.DockWidgetArea.RightDockWidgetArea}
    assert set(window.tabifiedDockWidgets(right[0])) == set(right[1:])
    assert type(window.dock("searchDock").widget()).__name__ == "SearchPanel"
    # the panels behind the search tab are made when first shown (QtCharts is not imported at start-up)
    assert type(window.dock("statisticsDock").widget()).__name__ == "_PendingPanel"
    assert type(window.dock("unattributedDock").widget()).__name__ == "_PendingPanel"
    assert window.find_action.isEnabled() and window.bookmark_action.isEnabled()
    file_items = [a.text() for a in window.file_menu.actions()]
    assert "&Import…" in file_items and "&Export bookmarks…" in file_items
    edit_items = [a.objectName() for a in window.edit_menu.actions()]
    assert edit_items[:2] == ["undoAction", "redoAction"] and "citationTemplateAction" in edit_items
    assert window.import_action.shortcut() == QKeySequence("Ctrl+I")
    assert window.bookmark_action.shortcut() == QKeySequence("Ctrl+D")


def test_the_first_layout_fits_a_laptop_screen(qtbot, window):
    window.resize(1354, 828)  # what a 1440x900 screen gives the window at first start
    qtbot.waitUntil(lambda: window.width() == 1354)
    window.reset_layout()
    qtbot.waitUntil(lambda: 300 <= window.dock("documentsDock").width() <= 400)
    qtbot.waitUntil(lambda: 380 <= window.dock("searchDock").width() <= 480)
    assert window.central.width() >= 480  # the reader keeps room for lines of some 70 characters
    # the search results show the words found, not only who and where
    panel = window.dock("searchDock").widget()
    assert not panel.view.isColumnHidden(SNIPPET)
    assert panel.view.columnWidth(SNIPPET) >= 150


def test_ctrl_f_shows_the_search_panel_and_puts_the_cursor_in_it(qtbot, window):
    activate(qtbot, window)
    dock = window.dock("searchDock")
    dock.hide()
    window.find_action.trigger()
    panel = dock.widget()
    assert dock.isVisible()
    qtbot.waitUntil(panel.query_edit.hasFocus)


# ---------------------------------------------------------------------------------------- search


def test_a_search_result_opens_in_the_reader_with_every_hit_and_f3_goes_on(qtbot, window):
    activate(qtbot, window)
    panel = window.dock("searchDock").widget()
    window.find_action.trigger()
    qtbot.waitUntil(panel.query_edit.hasFocus)
    with qtbot.waitSignal(panel.results_ready, timeout=10_000) as blocker:
        qtbot.keyClicks(panel.query_edit, "sanctions")
        qtbot.keyClick(panel.query_edit, Qt.Key.Key_Return)
    result = blocker.args[0]
    assert result.total == 13 and panel.model.rowCount() == 13  # one row per place
    passage_hit = next(r for r in range(panel.model.rowCount()) if panel.model.hit(r).kind == "passage"
                       and len(panel.model.hit(r).highlights) >= 1)
    hit = panel.model.hit(passage_hit)
    with qtbot.waitSignal(window.reader.passage_shown, timeout=10_000) as shown:
        click_row(qtbot, panel.view, passage_hit, SNIPPET)
    assert shown.args == [hit.passage_id]
    found = layer_texts(window.reader, "hits")
    assert len(found) == len(hit.highlights) and all(t.casefold() == "sanctions" for t in found)
    # F3: the next result, in the reader too
    following = panel.model.hit(passage_hit + 1)
    with qtbot.waitSignal(window.reader.passage_shown, timeout=10_000) as shown:
        qtbot.keyClick(panel.view, Qt.Key.Key_F3)
    assert shown.args == [following.passage_id] and panel.current_row() == passage_hit + 1
    assert layer_texts(window.reader, "hits") and all(t.casefold() == "sanctions"
                                                      for t in layer_texts(window.reader, "hits"))
    with qtbot.waitSignal(window.reader.passage_shown, timeout=10_000):
        qtbot.keyClick(panel.view, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert panel.current_row() == passage_hit


def test_the_readers_marks_follow_the_query_and_go_when_it_is_cleared(qtbot, window, seed_archive):
    panel = window.dock("searchDock").widget()
    target = passage_with(seed_archive, "sanctions")
    with qtbot.waitSignal(panel.results_ready, timeout=10_000):
        panel.search("sanctions")
    row = next(r for r in range(panel.model.rowCount()) if panel.model.hit(r).passage_id == target.id)
    with qtbot.waitSignal(window.reader.passage_shown, timeout=10_000):
        click_row(qtbot, panel.view, row, SNIPPET)
    assert layer_texts(window.reader, "hits") and all(t.casefold() == "sanctions"
                                                      for t in layer_texts(window.reader, "hits"))
    other = next(w for w in target.text.split() if w.isalpha() and len(w) > 6 and w.casefold() != "sanctions")
    with qtbot.waitSignal(panel.results_ready, timeout=10_000):
        panel.search(other)  # another word of the same passage: the marks follow it
    assert {t.casefold() for t in layer_texts(window.reader, "hits")} == {other.casefold()}
    with qtbot.waitSignal(panel.results_ready, timeout=10_000):
        panel.search("")  # the box cleared: no marks are left behind
    assert layer_texts(window.reader, "hits") == []


def test_everything_a_speaker_said_from_their_profile(qtbot, window, seed_archive):
    speakers = window.speakers_panel
    zhovtis = seed_archive.find_speakers("Zhovtis")[0]
    qtbot.waitUntil(lambda: speakers.model.rowCount() > 0, timeout=10_000)
    speakers.select_speaker(zhovtis.id)
    qtbot.waitUntil(lambda: speakers.list_button.isVisible(), timeout=10_000)
    panel = window.dock("searchDock").widget()
    with qtbot.waitSignal(panel.results_ready, timeout=10_000) as blocker:
        speakers.list_button.click()
    assert blocker.args[0].browsing and blocker.args[0].total == panel.model.rowCount() == 2  # ¶ 6 and ¶ 7
    assert panel.selected_speakers() == (zhovtis.id,) and window.dock("searchDock").isVisible()


def test_a_search_result_is_bookmarked_from_its_menu_or_with_ctrl_d(qtbot, window, services):
    activate(qtbot, window)
    panel = window.dock("searchDock").widget()
    with qtbot.waitSignal(panel.results_ready, timeout=10_000):
        panel.search("sanctions")
    controller = services.controller
    quote_row = next(r for r in range(panel.model.rowCount()) if panel.model.hit(r).kind == "quote")
    passage_row = next(r for r in range(panel.model.rowCount()) if panel.model.hit(r).kind == "passage")
    # a quote result, from its context menu: the quote
    menu = panel.results_menu(quote_row)
    action = next(a for a in menu.actions() if a.objectName() == "bookmarkResultAction")
    assert action.text() == "Bookmark this quote…"
    answer = DialogAnswerer(BookmarkDialog, lambda d: d.note.setPlainText("from the results"))
    action.trigger()
    menu.close()
    assert answer.seen
    [quote_bookmark] = controller.bookmarks()
    hit = panel.model.hit(quote_row)
    assert quote_bookmark.quote_id == hit.id and quote_bookmark.note == "from the results"
    # a passage result, with Ctrl+D while the results have the focus: the whole passage
    activate(qtbot, window)
    panel.view.setCurrentIndex(panel.model.index(passage_row, 0))
    panel.view.setFocus()
    qtbot.waitUntil(panel.view.hasFocus)
    answer = DialogAnswerer(BookmarkDialog)
    qtbot.keyClick(panel.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert answer.seen
    passage = window.archive.passage(panel.model.hit(passage_row).passage_id)
    added = controller.bookmarks()[-1]
    assert added.kind == "selection" and added.text == passage.text.strip()


# ---------------------------------------------------------------------------------------- bookmarks


def test_select_ctrl_d_bookmark_drawn_then_undo_and_redo(qtbot, window, services, seed_archive):
    activate(qtbot, window)
    reader = window.reader
    passage = passage_with(seed_archive, "105 politically motivated criminal cases")
    start = passage.text.index("105 politically")
    end = start + len("105 politically motivated criminal cases")
    with qtbot.waitSignal(reader.passage_shown, timeout=10_000):
        reader.show_passage(passage.id)
    select_in_reader(reader, passage.id, start, end)
    reader.view.setFocus()
    qtbot.waitUntil(reader.view.hasFocus)

    def fill(dialog):
        dialog.note.setPlainText("the number of cases")
        dialog.tags.setText("figures")

    answer = DialogAnswerer(BookmarkDialog, fill)
    qtbot.keyClick(reader.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert answer.seen, "Ctrl+D showed no popup"
    controller = services.controller
    [bookmark] = controller.bookmarks()
    assert (bookmark.kind, bookmark.text, bookmark.note, bookmark.tags) == (
        "selection", "105 politically motivated criminal cases", "the number of cases", ("figures",))
    # drawn in the reader in its colour
    assert layer_texts(reader, "marks:bookmarks") == ["105 politically motivated criminal cases"]
    assert reader.view.layer("marks:bookmarks")[0].format.background().color().name() == bookmark.colour_hex.lower()
    # listed in the panel
    panel = window.ensure_panel("bookmarksDock")
    assert window.dock("bookmarksDock").isVisible()
    assert panel.model.rowCount() == 1 and panel.filtered_bookmarks()[0].id == bookmark.id
    # Ctrl+Z (Edit > Undo) takes it back everywhere; redo brings it back
    activate(qtbot, window)
    reader.view.setFocus()
    qtbot.waitUntil(reader.view.hasFocus)
    qtbot.keyClick(reader.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert controller.bookmarks() == [] and panel.model.rowCount() == 0
    assert layer_texts(reader, "marks:bookmarks") == []
    window.redo_action.trigger()
    assert [b.text for b in controller.bookmarks()] == ["105 politically motivated criminal cases"]
    assert layer_texts(reader, "marks:bookmarks") == ["105 politically motivated criminal cases"]


def test_ctrl_z_in_the_bookmarks_panel_is_not_ambiguous(qtbot, window, services, seed_archive):
    controller = services.controller
    controller.add_quote(seed_archive.quotes()[0].id, ask=False)
    panel = window.ensure_panel("bookmarksDock")
    activate(qtbot, window)
    panel.select_ids([controller.bookmarks()[0].id])
    panel.view.setFocus()
    qtbot.waitUntil(panel.view.hasFocus)
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert controller.bookmarks() == []
    # an ambiguous key would do nothing and log a Qt warning (which fails the test)
    qtbot.keyClick(panel.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(controller.bookmarks()) == 1


def test_ctrl_d_on_a_quote_and_the_reader_menu(qtbot, window, services, seed_archive):
    activate(qtbot, window)
    reader = window.reader
    quote = next(q for q in seed_archive.quotes() if q.speaker_name == "Peter Burian")
    with qtbot.waitSignal(reader.passage_shown, timeout=10_000):
        reader.show_passage(quote.passage_id)
    content = reader.view.content
    row = content.row_by_id[quote.passage_id]
    cursor = reader.view.textCursor()
    cursor.setPosition(content.position(row, quote.start + 2))
    reader.view.setTextCursor(cursor)
    # the context menu offers it, the key does it
    menu = reader.context_menu(content.position(row, quote.start + 2))
    action = next(a for a in menu.actions() if a.objectName() == "bookmarkReaderAction")
    assert action.text() == "Bookmark this quote…" and action.shortcut() == QKeySequence("Ctrl+D")
    menu.close()
    reader.view.setFocus()
    qtbot.waitUntil(reader.view.hasFocus)
    answer = DialogAnswerer(BookmarkDialog)
    qtbot.keyClick(reader.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert answer.seen
    [bookmark] = services.controller.bookmarks()
    assert bookmark.kind == "quote" and bookmark.quote_id == quote.id and bookmark.speaker == "Peter Burian"
    # with a selection the menu bookmarks the selection
    select_in_reader(reader, quote.passage_id, 0, 10)
    menu = reader.context_menu(content.position(row, 3))
    action = next(a for a in menu.actions() if a.objectName() == "bookmarkReaderAction")
    assert action.text() == "Bookmark selection…"
    answer = DialogAnswerer(BookmarkDialog)
    action.trigger()
    menu.close()
    assert answer.seen and services.controller.bookmarks()[-1].kind == "selection"


def test_nothing_to_bookmark_says_how(qtbot, window, services):
    window.reader.view.setTextCursor(window.reader.view.textCursor())  # no selection, cursor in narration
    cursor = window.reader.view.textCursor()
    cursor.setPosition(0)
    window.reader.view.setTextCursor(cursor)
    window.bookmark_action.trigger()
    assert services.controller.bookmarks() == []
    assert "Select words in the reader" in window.statusBar().currentMessage()


def test_export_bookmarks_from_the_file_menu(qtbot, window, services, seed_archive, tmp_path):
    controller = services.controller
    quote = seed_archive.quotes()[0]
    controller.add_quote(quote.id, ask=False)
    out = tmp_path / "my quotes.md"

    def fill(dialog):
        dialog.format.setCurrentIndex(dialog.format.findData("md"))
        dialog.path.setText(str(out))

    answer = DialogAnswerer(ExportDialog, fill)
    window.export_bookmarks_action.trigger()
    assert answer.seen
    panel = window.dock("bookmarksDock").widget()
    qtbot.waitUntil(out.exists, timeout=10_000)
    qtbot.waitUntil(lambda: "Exported 1 bookmark" in panel.status_label.text(), timeout=10_000)
    assert quote.text in out.read_text(encoding="utf-8")


def test_the_citation_template_is_set_in_one_place_for_every_copy(qtbot, window, services, seed_archive):
    quote = next(q for q in seed_archive.quotes() if q.speaker_name == "Peter Burian")
    dialog = window.edit_citation_template()
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    dialog.edit.setText("{speaker}: {nope}")
    assert not ok.isEnabled() and "unknown field" in dialog.problem_label.text()
    assert dialog.preview_label.text() == ""
    dialog.edit.setText("{speaker} said “{text}” (¶ {paragraph})")
    assert ok.isEnabled() and not dialog.problem_label.isVisible()
    first = seed_archive.quotes(document_id=seed_archive.document(SEED_SLUG).id)[0]
    assert dialog.preview_label.text().startswith(f"{first.speaker_name} said “{first.text}” (¶ ")
    ok.click()
    from viewer.core.citation import load_template

    assert load_template(window.data_dir) == "{speaker} said “{text}” (¶ {paragraph})"  # the CLI's too
    passage = seed_archive.passage(quote.passage_id)
    expected = f"Peter Burian said “{quote.text}” (¶ {passage.seq})"
    clipboard = QGuiApplication.clipboard()
    window.reader.copy_quote_with_citation(quote.id)
    assert clipboard.text() == expected
    clipboard.clear()
    saved = services.controller.add_quote(quote.id, ask=False)
    assert services.controller.copy_with_citation([saved.id])
    assert clipboard.text() == expected
    clipboard.clear()


# ---------------------------------------------------------------------------------------- statistics


def test_statistics_drill_down_shows_the_passage_in_the_reader(qtbot, window, seed_archive):
    panel = window.ensure_panel("statisticsDock")
    assert type(panel).__name__ == "StatisticsPanel"
    qtbot.waitUntil(lambda: panel.report() is not None, timeout=20_000)
    assert panel._current_document == seed_archive.document(SEED_SLUG).id  # told what the reader shows
    panel.set_current_tab("figures")
    model = panel.tab("figures").model
    row = next(r for r in range(model.rowCount()) if model.record(r).text.startswith("105"))
    with qtbot.waitSignal(window.reader.passage_shown, timeout=10_000) as shown:
        click_row(qtbot, panel.tab("figures").table, row)
    assert shown.args == [model.record(row).passage_id]
    assert layer_texts(window.reader, "hits") == ["105 politically motivated criminal cases"]
    # a speaker's bar steps through their passages in the reader
    panel.set_current_tab("speakers")
    speakers = panel.tab("speakers").model
    castelletti = next(r for r in range(speakers.rowCount()) if speakers.record(r).name == "Rosalba Castelletti")
    with qtbot.waitSignal(window.reader.passage_shown, timeout=10_000) as shown:
        click_row(qtbot, panel.tab("speakers").table, castelletti)
    assert seed_archive.passage(shown.args[0]).speaker_id == speakers.record(castelletti).speaker_id


# ---------------------------------------------------------------------------------------- import


def test_import_through_the_dialog_refreshes_every_panel_and_never_touches_the_bundled_archive(
        qtbot, services, bundled, aral, tmp_path, seed_archive):
    window = services.window
    before = digest(bundled)
    with qtbot.waitSignal(window.reader.document_loaded, timeout=10_000):
        assert window.open_initial()  # no archive named, none in the settings, no own archive yet
    assert window.archive.path == bundled
    # a bookmark and the statistics, made before the import
    controller = services.controller
    burian = next(q for q in seed_archive.quotes() if q.speaker_name == "Peter Burian")
    controller.add_quote(burian.id, ask=False)
    statistics = window.ensure_panel("statisticsDock")
    qtbot.waitUntil(lambda: statistics.report() is not None, timeout=20_000)
    search = window.dock("searchDock").widget()
    window.dock("searchDock").raise_()
    with qtbot.waitSignal(search.results_ready, timeout=10_000):
        search.search("downstream")
    assert search.model.rowCount() == 0

    with qtbot.waitSignal(window.archive_opened, timeout=30_000):
        dialog = window.import_files([aral])
        assert isinstance(dialog, ImportDialog) and dialog.copy_from == bundled
    own = tmp_path / "data" / "archive.db"
    assert window.archive.path == own
    assert "your own archive" in dialog.heading.text() or "Your own archive" in dialog.status.text()
    assert str(own) in dialog.status.text() and "bundled archive is left as it was" in dialog.status.text()
    assert digest(bundled) == before  # byte for byte
    assert settings.get_str(settings.ARCHIVE_LAST) == str(own)
    # every panel shows the new archive, the reader the new document
    new_doc = window.archive.document(ARAL_SLUG)
    assert new_doc is not None and new_doc.title == ARAL_TITLE
    qtbot.waitUntil(lambda: (window.reader.current_document() or new_doc).id == new_doc.id
                    and window.reader.current_document() is not None, timeout=10_000)
    documents = window.documents_panel
    qtbot.waitUntil(lambda: not documents.is_loading(), timeout=10_000)
    qtbot.waitUntil(lambda: documents.model.document_index(new_doc).isValid(), timeout=10_000)
    assert documents.model.document_index(new_doc).data() == ARAL_TITLE
    speakers = window.speakers_panel
    qtbot.waitUntil(lambda: any(speakers.model.speaker(r).name == "Timur Sadykov"
                                for r in range(speakers.model.rowCount())), timeout=10_000)
    qtbot.waitUntil(lambda: search.model.rowCount() == 1, timeout=10_000)  # the query runs again (one place)
    assert search.model.hit(0).document == ARAL_SLUG
    qtbot.waitUntil(lambda: statistics.report() is not None
                    and "Timur Sadykov" in [s.name for s in statistics.report().speakers], timeout=20_000)
    assert controller.archive is window.archive  # bookmarks resolved against the new archive
    [kept] = controller.bookmarks()
    assert controller.resolution(kept.id).found
    # "Open document" closes the summary on the new document
    dialog.open_button.click()
    assert not dialog.isVisible() and window.reader.current_document().slug == ARAL_SLUG
    # the user's own archive holds it; the bundled one does not
    with sqlite3.connect(own) as db:
        assert db.execute("SELECT COUNT(*) FROM documents WHERE slug = ?", (ARAL_SLUG,)).fetchone()[0] == 1
    with sqlite3.connect(f"file:{bundled}?mode=ro", uri=True) as db:
        assert db.execute("SELECT COUNT(*) FROM documents WHERE slug = ?", (ARAL_SLUG,)).fetchone()[0] == 0
    db.close()


def test_dropped_reports_are_imported_and_a_dropped_archive_opened(qtbot, window, aral, seed_archive_path,
                                                                   tmp_path):
    archive = tmp_path / "mine.db"
    shutil.copyfile(seed_archive_path, archive)
    with qtbot.waitSignal(window.archive_opened, timeout=10_000):
        window.open_archive(archive)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(aral)), QUrl.fromLocalFile(str(tmp_path / "picture.png"))])
    enter = dnd.drag_enter(mime, 50, 50)
    QApplication.sendEvent(window.reader.view.viewport(), enter)
    assert enter.isAccepted()
    drop = dnd.drop(mime, 50, 50)
    with qtbot.waitSignal(window.archive_opened, timeout=30_000):
        QApplication.sendEvent(window, drop)
    dialog = window.import_dialog
    assert dialog.files == [aral] and dialog.copy_from is None  # not the bundled archive: imported in place
    assert window.archive.path == archive and window.archive.document(ARAL_SLUG) is not None
    dialog.close()
    # a dropped archive is opened, as before
    other = tmp_path / "other.db"
    shutil.copyfile(seed_archive_path, other)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(other))])
    enter = dnd.drag_enter(mime, 50, 50)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = dnd.drop(mime, 50, 50)
    with qtbot.waitSignal(window.archive_opened, timeout=10_000):
        QApplication.sendEvent(window, drop)
    assert window.archive.path == other


def test_a_dropped_folder_is_imported_whole(qtbot, window, aral, seed_archive_path, tmp_path):
    archive = tmp_path / "mine.db"
    shutil.copyfile(seed_archive_path, archive)
    with qtbot.waitSignal(window.archive_opened, timeout=10_000):
        window.open_archive(archive)
    folder = tmp_path / "dropped"
    (folder / "inner").mkdir(parents=True)
    shutil.copy(aral, folder / "inner" / aral.name)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    enter = dnd.drag_enter(mime, 50, 50)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    with qtbot.waitSignal(window.archive_opened, timeout=30_000):
        QApplication.sendEvent(window, dnd.drop(mime, 50, 50))
    assert window.import_dialog.files == [folder]
    assert window.archive.document(ARAL_SLUG) is not None
    window.import_dialog.close()


def test_file_import_a_folder_asks_for_a_folder_and_imports_it(qtbot, window, aral, seed_archive_path, tmp_path,
                                                                monkeypatch):
    from viewer.ui.dialogs import import_dialog

    archive = tmp_path / "mine.db"
    shutil.copyfile(seed_archive_path, archive)
    with qtbot.waitSignal(window.archive_opened, timeout=10_000):
        window.open_archive(archive)
    folder = tmp_path / "chosen"
    folder.mkdir()
    shutil.copy(aral, folder / aral.name)
    monkeypatch.setattr(import_dialog, "choose_folder", lambda parent, start: folder)
    assert window.import_folder_action.shortcut() == QKeySequence("Ctrl+Shift+I")
    assert window.import_folder_action in window.file_menu.actions()
    with qtbot.waitSignal(window.archive_opened, timeout=30_000):
        window.import_folder_action.trigger()
    assert window.import_dialog.files == [folder] and window.archive.document(ARAL_SLUG) is not None
    window.import_dialog.close()


def test_an_import_into_an_unusable_archive_is_told_and_changes_nothing(qtbot, window, aral, tmp_path,
                                                                        seed_archive_path):
    archive = tmp_path / "read-only.db"
    shutil.copyfile(seed_archive_path, archive)
    with qtbot.waitSignal(window.archive_opened, timeout=10_000):
        window.open_archive(archive)
    archive.chmod(0o444)
    try:
        before = digest(archive)
        dialog = window.import_files([aral])
        with qtbot.waitSignal(dialog.import_failed, timeout=30_000) as failed:
            pass
        assert "read-only" in failed.args[0]
        assert digest(archive) == before and window.archive.path == archive
        dialog.close()
    finally:
        archive.chmod(0o644)


# ---------------------------------------------------------------------------------------- start-up


def test_start_up_opens_the_users_own_archive_once_it_exists(qtbot, services, bundled, seed_archive_path,
                                                             tmp_path):
    window = services.window
    own = tmp_path / "data" / "archive.db"
    shutil.copyfile(seed_archive_path, own)
    with qtbot.waitSignal(window.archive_opened, timeout=10_000):
        window.open_initial()
    assert window.archive.path == own
    # the last archive in the settings still wins, and a named one above all
    settings.set_value(settings.ARCHIVE_LAST, str(bundled))
    with qtbot.waitSignal(window.archive_opened, timeout=10_000):
        window.open_initial()
    assert window.archive.path == bundled


def test_a_damaged_bookmark_store_is_repaired_at_start_up_and_the_user_told(qtbot, tmp_path, seed_archive):
    from viewer.app import build

    data = tmp_path / "data"
    with BookmarkStore(data / "bookmarks.db") as store:
        store.add(make_bookmark(seed_archive, quote_id=seed_archive.quotes()[0].id, note="keep me"))
    with BookmarkStore(data / "bookmarks.db"):
        pass  # today's backup is made on opening a store that holds something
    (data / "bookmarks.db").write_bytes(b"\x00" * 5000)
    services = build(data)
    window = services.window
    qtbot.addWidget(window)
    try:
        window.show()
        window.show_startup_notices()
        dialog = window.last_error_dialog
        assert dialog is not None and "Your bookmarks file was damaged" in dialog.message_label.text()
        assert "was restored (1 bookmarks)" in dialog.message_label.text()
        dialog.close()
        assert [b.note for b in services.controller.bookmarks()] == ["keep me"]
        panel = window.ensure_panel("bookmarksDock")
        assert not panel.banner.isHidden() and "damaged" in panel.banner_text.text()
        assert len(list((data / "damaged").iterdir())) == 1  # moved aside, never deleted
    finally:
        services.close()


def test_bookmarks_from_a_newer_version_leave_the_app_running_without_them(qtbot, tmp_path, seed_archive_path):
    from viewer.app import build

    data = tmp_path / "data"
    with BookmarkStore(data / "bookmarks.db"):
        pass
    with sqlite3.connect(data / "bookmarks.db") as db:
        db.execute("PRAGMA user_version = 999")
    db.close()
    services = build(data)
    window = services.window
    qtbot.addWidget(window)
    try:
        window.show()
        assert services.store is None and services.controller is None
        window.show_startup_notices()
        assert "newer version" in window.last_error_dialog.message_label.text()
        window.last_error_dialog.close()
        assert window.dock("bookmarksDock") is None
        assert not window.bookmark_action.isEnabled() and not window.export_bookmarks_action.isEnabled()
        with qtbot.waitSignal(window.reader.document_loaded, timeout=10_000):
            assert window.open_archive(seed_archive_path)
        panel = window.dock("searchDock").widget()
        with qtbot.waitSignal(panel.results_ready, timeout=10_000):
            panel.search("sanctions")
        assert panel.model.rowCount() == 13
    finally:
        services.close()


def test_the_data_folder_option_reaches_the_app(monkeypatch, tmp_path):
    import viewer.app
    from viewer.cli import main

    calls = []
    monkeypatch.setattr(viewer.app, "run_gui", lambda archive, data_dir=None: calls.append((archive, data_dir)) or 0)
    assert main(["--data-dir", str(tmp_path / "d"), "--archive", "x.db"]) == 0
    assert main([]) == 0
    assert calls == [("x.db", str(tmp_path / "d")), (None, None)]


def test_models_of_the_wired_panels_pass_the_model_tester(qtbot, qtmodeltester, window, services):
    panel = window.dock("searchDock").widget()
    with qtbot.waitSignal(panel.results_ready, timeout=10_000):
        panel.search("sanctions")
    qtmodeltester.check(panel.model)
    services.controller.add_quote(window.archive.quotes()[0].id, ask=False)
    bookmarks = window.ensure_panel("bookmarksDock")
    qtmodeltester.check(bookmarks.model)
    qtmodeltester.check(bookmarks.model)


def test_a_bad_archive_at_start_up_offers_the_bundled_one(qtbot, services, bundled, tmp_path):
    window = services.window
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(bundled.read_bytes()[:60000])
    assert not window.open_initial(damaged)
    empty = window.empty
    assert window.central.currentWidget() is empty and "damaged" in empty.message.text()
    assert empty.fallback_button.isVisibleTo(empty)
    assert empty.fallback_button.text() == "Open the archive that comes with the app"
    with qtbot.waitSignal(window.reader.document_loaded, timeout=10_000):
        empty.fallback_button.click()
    assert window.archive.path == bundled
    # the bundled archive itself failing offers nothing more than "Open archive…"
    window.close_archive()
    assert empty.fallback_button.isVisibleTo(empty)
    bundled.write_bytes(b"not an archive")
    assert not window.open_archive(bundled, startup=True)
    assert not empty.fallback_button.isVisibleTo(empty)


def test_start_up_does_not_read_every_bookmark(qtbot, tmp_path, seed_archive_path, monkeypatch):
    """A store of many bookmarks: the app reads the first page of the list and, for the document the reader shows,
    one bookmark for each mark it draws, not the store (it read and mapped every bookmark at start: 62 s for a
    million)."""
    import json

    from viewer.app import build
    from viewer.core.bookmark_file import load_export
    from viewer.core.archive import Archive
    from viewer.core.bookmarks import BookmarkStore, StoreReading, make_bookmark
    from viewer.ui.models.bookmarks_model import PAGE

    data = tmp_path / "data"
    elsewhere = {"kind": "selection", "text": "words elsewhere", "document_slug": "another-report",
                 "document_title": "Another report", "paragraph": 1, "start": 0, "end": 15}
    with Archive(seed_archive_path) as archive:
        here = {k: v for k, v in make_bookmark(archive, quote_id=4).to_dict().items() if v not in ("", None)}
    with BookmarkStore.open(data) as store:
        store.import_bookmarks(load_export(json.dumps([elsewhere | {"uid": f"u{i}"} for i in range(5 * PAGE)] +
                                                      [here | {"uid": f"h{i}"} for i in range(5 * PAGE)])))
        total = store.count()
    read = []
    real = StoreReading._rows_to_bookmarks
    monkeypatch.setattr(StoreReading, "_rows_to_bookmarks", lambda self, rows: read.extend(rows) or real(self, rows))
    built = build(data)
    try:
        window = built.window
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitSignal(window.reader.document_loaded, timeout=10_000):
            assert window.open_archive(seed_archive_path)
        panel = window.ensure_panel("bookmarksDock")
        assert panel.count_label.text() == f"{total:,} bookmarks"
        # the pages the list shows (the first ones, read again when the archive opens), not the store
        assert total == 10 * PAGE and len({row[0] for row in read}) <= 2 * PAGE + 1
        assert window.reader.view.content is not None
    finally:
        built.close()
