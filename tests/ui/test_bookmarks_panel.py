"""The Bookmarks panel, its model, dialogs and controller, standalone with qtbot."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from viewer.core.archive import Archive
from viewer.core.bookmarks import BookmarkStore, make_bookmark
from viewer.core.citation import DEFAULT_TEMPLATE
from viewer.ui.bookmarks_controller import BookmarksController
from viewer.ui.dialogs.bookmark_dialog import BookmarkDialog, TagCompleter
from viewer.ui.dialogs.export_dialog import ALL, FILTERED, SELECTED, ExportChoice, ExportDialog
from viewer.ui.models.bookmarks_model import (
    CREATED, NOTE, PAGE, PARAGRAPH, SPEAKER, STATUS, TAGS, TEXT, BookmarkRole, BookmarksModel,
)
from viewer.ui.panels.bookmarks_panel import BookmarksPanel


@pytest.fixture
def store():
    s = BookmarkStore.open()  # ARCHIVE_VIEWER_DATA_DIR points into tmp_path (tests/ui/conftest.py)
    yield s
    s.close()


@pytest.fixture
def controller(store, seed_archive):
    c = BookmarksController(store, poll_ms=0)
    c.set_archive(seed_archive)
    yield c
    c.deleteLater()


@pytest.fixture
def panel(qtbot, controller):
    p = BookmarksPanel(controller)
    qtbot.addWidget(p)
    p.resize(1000, 500)
    yield p
    p.runner.wait(5000)


def _quote(archive, startswith):
    return next(q for q in archive.quotes() if q.text.startswith(startswith))


def _fill(controller, archive):
    """Four bookmarks: three quotes by different speakers and a paraphrase selection."""
    burian = controller.add_quote(_quote(archive, "Democracy building").id, ask=False)
    controller.edit(burian.id, tags=["eu", "reform"], note="EU position")
    prison = controller.add_quote(_quote(archive, "We live in a prison").id, ask=False)
    controller.edit(prison.id, tags=["prison"], colour="pink")
    shuk = controller.add_quote(_quote(archive, "nothing has been done").id, ask=False)
    p = archive.passages(1)[5]
    para = controller.add_selection(p.id, 0, 40, ask=False)
    controller.edit(para.id, tags=["EU"], colour="green")
    controller.undo_stack.clear()
    return [controller.bookmark(b.id) for b in (burian, prison, shuk, para)]


def _row_of(panel, bookmark_id):
    for r in range(panel.model.rowCount()):
        if panel.model.index(r, 0).data(BookmarkRole).id == bookmark_id:
            return r
    raise AssertionError(f"bookmark {bookmark_id} not shown")


def _select(panel, ids):
    panel.select_ids(ids)
    assert sorted(panel.selected_ids()) == sorted(ids)


# ------------------------------------------------------------------------ models


def test_models_pass_the_model_tester(qtmodeltester, controller, seed_archive):
    _fill(controller, seed_archive)
    model = BookmarksModel(controller)
    model.refresh()
    qtmodeltester.check(model)  # one tester per model: a tester fetches more rows while another one looks
    filtered = BookmarksModel(controller)
    filtered.set_filters(text="eu")
    filtered.sort(PARAGRAPH, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(filtered)


def test_model_updates_rows_in_place(qtbot, controller, seed_archive):
    bookmarks = _fill(controller, seed_archive)
    model = BookmarksModel(controller)
    model.refresh()
    assert [b.id for b in model.loaded()] == [b.id for b in bookmarks]
    with qtbot.waitSignal(model.rowsRemoved):
        controller.remove([bookmarks[1].id])
        model.refresh()
    assert model.rowCount() == 3
    with qtbot.waitSignal(model.rowsInserted):
        controller.undo_stack.undo()
        model.refresh()
    assert [model.bookmark_at(i).id for i in range(4)] == [b.id for b in bookmarks]
    with qtbot.assertNotEmitted(model.modelReset):
        model.refresh()


def test_model_shows_text_as_plain_data_and_escapes_tooltips(controller, seed_archive):
    b = controller.add_quote(4, ask=False)
    controller.edit(b.id, note="<img src=/etc/passwd> & <b>x</b>")
    model = BookmarksModel(controller)
    model.refresh()
    tip = model.index(0, NOTE).data(Qt.ItemDataRole.ToolTipRole)
    assert "<img" not in tip and "&lt;img src=/etc/passwd&gt;" in tip
    assert model.index(0, NOTE).data() == "<img src=/etc/passwd> & <b>x</b>"


def test_the_list_is_read_a_page_at_a_time_as_it_scrolls(qtbot, controller, seed_archive):
    """A big store is never read whole: the view asks for the next page when it reaches the end (Qt's
    canFetchMore/fetchMore), and filters and sorting are the store's, over every bookmark."""
    first = controller.add_quote(4, ask=False)
    rows = [first.to_dict() | {"uid": f"u{i}", "note": f"note {i}" + (" needle" if i % 50 == 7 else ""),
                               "created": f"2030-01-01T00:{i // 60:02d}:{i % 60:02d}.000+00:00"}
            for i in range(2 * PAGE + 30)]
    from viewer.core.bookmark_file import load_export
    from viewer.core.export import to_json

    controller.import_file(load_export(to_json(load_export(__import__("json").dumps(rows)))))
    total = 2 * PAGE + 31
    panel = BookmarksPanel(controller)
    qtbot.addWidget(panel)
    pages = []
    real = controller.page
    controller.page = lambda *a, **k: pages.append(a[1]) or real(*a, **k)
    panel.model.refresh()
    assert panel.model.rowCount() == PAGE and panel.model.canFetchMore()
    assert panel.count_label.text() == f"{total:,} bookmarks"
    panel.resize(600, 400)
    panel.show()
    qtbot.waitExposed(panel)
    panel.view.scrollToBottom()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2 * PAGE)
    panel.view.scrollToBottom()
    qtbot.waitUntil(lambda: panel.model.rowCount() == total)
    assert not panel.model.canFetchMore()
    # each page after the first is one query that starts where the last one ended
    assert pages[0] is None and len(pages) >= 3 and all(key is not None for key in pages[1:])
    panel.filter_edit.setText("NEEDLE")  # every one that has it, not just those read
    assert [b.note for b in panel.filtered_bookmarks()] == [f"note {i} needle" for i in range(7, total - 1, 50)]
    panel.filter_edit.clear()
    panel.view.sortByColumn(CREATED, Qt.SortOrder.DescendingOrder)
    assert panel.model.bookmark_at(0).note == f"note {total - 2}"


# ------------------------------------------------------------------------ creating


def test_create_from_a_quote_with_the_popup(qtbot, panel, controller, seed_archive, monkeypatch):
    def fill_and_accept(dialog):
        assert dialog.preview.textFormat() == Qt.TextFormat.PlainText
        assert "We live in a prison called Kazakhstan" in dialog.preview.text()
        assert "quoted by Rosalba Castelletti" in dialog.attribution.text()
        dialog.note.setPlainText("the women's words\nnot hers")
        dialog.tags.setText("prison,  Women , prison")
        dialog.colour.setCurrentIndex(dialog.colour.findData("blue"))
        return BookmarkDialog.DialogCode.Accepted

    monkeypatch.setattr(BookmarkDialog, "exec", fill_and_accept)
    with qtbot.waitSignal(controller.bookmark_added) as added:
        saved = controller.add_quote(_quote(seed_archive, "We live in a prison").id, panel)
    assert added.args == [saved.id]
    assert (saved.note, saved.tags, saved.colour) == ("the women's words\nnot hers", ("prison", "Women"), "blue")
    assert controller.store.get(saved.id) == saved
    assert panel.model.rowCount() == 1
    assert panel.selected_ids() == [saved.id]


def test_cancelled_popup_saves_nothing(panel, controller, monkeypatch):
    monkeypatch.setattr(BookmarkDialog, "exec", lambda self: BookmarkDialog.DialogCode.Rejected)
    assert controller.add_quote(4, panel) is None
    assert controller.store.count() == 0


def test_create_from_a_selection_and_spans_for_the_reader(controller, seed_archive):
    q = _quote(seed_archive, "Democracy building")
    sel = controller.add_selection(q.passage_id, 0, 20, ask=False)
    quote = controller.add_quote(q.id, ask=False)
    controller.edit(quote.id, colour="purple")
    spans = controller.spans_for_passage(q.passage_id)
    assert [(s.bookmark_id, s.start, s.end, s.colour) for s in spans] == [
        (sel.id, 0, sel.end, "yellow"), (quote.id, q.start, q.end, "purple")]
    assert spans[1].colour_hex == "#d5c4ff"
    assert controller.spans_for_passage(1) == []


def test_bad_creation_is_reported_not_raised(qtbot, controller):
    with qtbot.waitSignal(controller.error_occurred) as error:
        assert controller.add_selection(1, 5, 5, ask=False) is None
    assert "outside passage" in error.args[0]
    controller.set_archive(None)
    with qtbot.waitSignal(controller.error_occurred):
        assert controller.add_quote(4, ask=False) is None


def test_adding_can_be_undone(controller):
    b = controller.add_quote(4, ask=False)
    controller.undo_stack.undo()
    assert controller.store.count() == 0 and controller.bookmarks() == []
    controller.undo_stack.redo()
    assert controller.store.get_by_uid(b.uid) is not None


def test_tags_complete_after_the_last_comma(qtbot):
    edit = QLineEdit()
    qtbot.addWidget(edit)
    completer = TagCompleter(["europe", "prison", "Press"], edit)
    edit.setCompleter(completer)
    edit.setText("europe, pr")
    assert completer.splitPath(edit.text()) == ["pr"]
    completer.setCompletionPrefix("pr")
    assert completer.completionCount() == 2
    index = completer.completionModel().index(0, 0)
    assert completer.pathFromIndex(index) == "europe, " + index.data()


# ------------------------------------------------------------------------ browsing


def test_filters_by_text_speaker_tag_colour_and_document(panel, controller, seed_archive):
    burian, prison, shuk, para = _fill(controller, seed_archive)
    assert panel.model.rowCount() == 4
    panel.filter_edit.setText("PRISON")
    assert [b.id for b in panel.filtered_bookmarks()] == [prison.id]
    panel.filter_edit.setText("democracy never-ending")
    assert [b.id for b in panel.filtered_bookmarks()] == [burian.id]
    panel.filter_edit.setText("austrevicius")  # diacritics ignored… but not in these bookmarks
    assert panel.filtered_bookmarks() == []
    panel.filter_edit.clear()
    panel.set_filters(speaker="Rosalba Castelletti")  # relayed the quote
    assert [b.id for b in panel.filtered_bookmarks()] == [prison.id]
    panel.set_filters(speaker="", tag="eu")
    assert {b.id for b in panel.filtered_bookmarks()} == {burian.id, para.id}
    panel.set_filters(colour="green")
    assert [b.id for b in panel.filtered_bookmarks()] == [para.id]
    panel.set_filters(tag="", colour="", document="addressing-human-rights-abuses-in-kazakhstan")
    assert panel.model.rowCount() == 4
    assert panel.count_label.text() == "4 bookmarks"
    panel.set_filters(colour="pink")
    assert panel.count_label.text() == "1 of 4"
    panel.speaker_combo.showPopup()  # the choices are listed when the list opens
    speakers = [panel.speaker_combo.itemText(i) for i in range(panel.speaker_combo.count())]
    panel.speaker_combo.hidePopup()
    assert "Peter Burian" in speakers and "Rosalba Castelletti" in speakers


def test_sorting_by_paragraph(panel, controller, seed_archive):
    _fill(controller, seed_archive)
    panel.view.sortByColumn(PARAGRAPH, Qt.SortOrder.AscendingOrder)
    paras = [b.paragraph for b in panel.filtered_bookmarks()]
    assert paras == sorted(paras)
    panel.view.sortByColumn(PARAGRAPH, Qt.SortOrder.DescendingOrder)
    assert [b.paragraph for b in panel.filtered_bookmarks()] == sorted(paras, reverse=True)


def test_double_click_opens_the_passage_with_the_words_highlighted(qtbot, panel, controller, seed_archive):
    burian, *_ = _fill(controller, seed_archive)
    panel.show()
    qtbot.waitExposed(panel)
    index = panel.model.index(_row_of(panel, burian.id), SPEAKER)
    rect = panel.view.visualRect(index)
    with qtbot.waitSignal(panel.passage_requested) as opened:
        # a real double click: press/release, then the double-click event
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [burian.passage_id, [(burian.start, burian.end)]]


def test_bookmark_changed_in_the_archive_shows_its_snapshot(qtbot, make_archive, tmp_path):
    v1 = ("On 1 May 2020, activists met online.\nThe first speaker, Jane Doe, Director of the Example "
          "Foundation, spoke. “We will not stop here, whatever they do to us” she said.\n")
    v2 = v1.replace("whatever they do to us", "whatever happens")
    with Archive(make_archive({"one.txt": v1})) as a1, Archive(make_archive({"one.txt": v2})) as a2, \
            BookmarkStore.open() as store:
        controller = BookmarksController(store, poll_ms=0)
        controller.set_archive(a1)
        b = controller.add_quote(a1.quotes()[0].id, ask=False)
        panel = BookmarksPanel(controller)
        qtbot.addWidget(panel)
        assert panel.model.index(0, STATUS).data() == ""
        panel.set_archive(a2)
        assert panel.model.index(0, STATUS).data() == "changed in the archive"
        assert panel.model.index(0, TEXT).data() == "We will not stop here, whatever they do to us"
        assert controller.spans_for_passage(b.passage_id) == []
        with qtbot.waitSignal(panel.passage_requested) as opened:
            panel.view.doubleClicked.emit(panel.model.index(0, TEXT))
        assert opened.args[1] is None
        assert "changed in the archive" in panel.status_label.text()
        assert "whatever they do to us" in panel.status_label.text()


# ------------------------------------------------------------------------ editing, deleting, undo


def test_edit_note_in_place_and_undo(qtbot, panel, controller, seed_archive):
    burian, *_ = _fill(controller, seed_archive)
    panel.show()
    index = panel.model.index(_row_of(panel, burian.id), NOTE)
    panel.view.setCurrentIndex(index)
    panel.view.edit(index)
    editor = panel.view.viewport().findChild(QPlainTextEdit)
    assert editor is not None and editor.toPlainText() == "EU position"
    editor.setPlainText("first line\nsecond line")
    panel.view.itemDelegate().commitData.emit(editor)
    panel.view.itemDelegate().closeEditor.emit(editor)
    assert controller.store.get(burian.id).note == "first line\nsecond line"
    assert panel.model.index(_row_of(panel, burian.id), NOTE).data() == "first line / second line"
    controller.undo_stack.undo()
    assert controller.store.get(burian.id).note == "EU position"
    controller.undo_stack.redo()
    assert controller.store.get(burian.id).note == "first line\nsecond line"


def test_edit_tags_in_place(panel, controller, seed_archive):
    burian, *_ = _fill(controller, seed_archive)
    index = panel.model.index(_row_of(panel, burian.id), TAGS)
    assert index.data(Qt.ItemDataRole.EditRole) == "eu, reform"
    assert panel.model.setData(index, "eu, sanctions, EU")
    assert controller.store.get(burian.id).tags == ("eu", "sanctions")
    panel.tag_combo.showPopup()
    assert "sanctions" in [panel.tag_combo.itemText(i) for i in range(panel.tag_combo.count())]
    panel.tag_combo.hidePopup()


def test_edit_dialog(panel, controller, seed_archive, monkeypatch):
    burian, *_ = _fill(controller, seed_archive)

    def change(dialog):
        assert dialog.note.toPlainText() == "EU position"
        dialog.colour.setCurrentIndex(dialog.colour.findData("orange"))
        return BookmarkDialog.DialogCode.Accepted

    monkeypatch.setattr(BookmarkDialog, "exec", change)
    _select(panel, [burian.id])
    panel.edit_button.click()
    assert controller.store.get(burian.id).colour == "orange"
    assert panel.model.index(_row_of(panel, burian.id), TEXT).data(Qt.ItemDataRole.DecorationRole).name() == "#ffc078"


def test_delete_several_and_undo_with_ctrl_z(qtbot, panel, controller, seed_archive):
    burian, prison, shuk, para = _fill(controller, seed_archive)
    panel.show()
    with qtbot.waitActive(panel):
        panel.activateWindow()
    panel.view.setFocus()
    _select(panel, [prison.id, para.id])
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert {b.id for b in controller.store.list()} == {burian.id, shuk.id}
    assert panel.model.rowCount() == 2
    assert "Ctrl+Z" in panel.status_label.text()
    qtbot.keyClick(panel.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert controller.store.list() == [burian, prison, shuk, para]  # same ids, uids, notes, times
    assert panel.model.rowCount() == 4
    panel.redo_action.trigger()
    assert controller.store.count() == 2


def test_keys_typed_in_an_editor_do_not_delete_bookmarks(qtbot, panel, controller, seed_archive):
    burian, *_ = _fill(controller, seed_archive)
    panel.show()
    with qtbot.waitActive(panel):
        panel.activateWindow()
    _select(panel, [burian.id])
    panel.filter_edit.setFocus()
    qtbot.keyClicks(panel.filter_edit, "abc")
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Home)
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Delete)
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert controller.store.count() == 4
    assert controller.undo_stack.count() == 0


def test_delete_button_and_undo_action(panel, controller, seed_archive):
    burian, *_ = _fill(controller, seed_archive)
    _select(panel, [burian.id])
    panel.delete_button.click()
    assert controller.store.get(burian.id) is None
    panel.undo_action.trigger()
    assert controller.store.get(burian.id) == burian


def test_buttons_follow_the_selection(panel, controller, seed_archive):
    burian, prison, *_ = _fill(controller, seed_archive)
    panel.view.selectionModel().clearSelection()
    assert not panel.delete_button.isEnabled() and not panel.copy_button.isEnabled()
    _select(panel, [burian.id, prison.id])
    assert panel.delete_button.isEnabled() and not panel.edit_button.isEnabled()


def test_changes_from_another_copy_of_the_app_show_up(qtbot, seed_archive):
    with BookmarkStore.open() as mine, BookmarkStore.open(backup=False) as theirs:
        controller = BookmarksController(mine, poll_ms=20)
        controller.set_archive(seed_archive)
        with qtbot.waitSignal(controller.bookmarks_changed, timeout=5000):
            theirs.add(make_bookmark(seed_archive, quote_id=4))
        assert [b.quote_id for b in controller.bookmarks()] == [4]
        controller._poll.stop()


def test_empty_panel_says_how_to_start(panel):
    assert "Ctrl+D" in panel.status_label.text()
    assert not panel.export_button.isEnabled()


# ------------------------------------------------------------------------ copy with citation


def test_copy_with_citation_puts_text_and_html_on_the_clipboard(panel, controller, seed_archive):
    burian, prison, *_ = _fill(controller, seed_archive)
    controller.edit(prison.id, note="<b>not markup</b>")
    _select(panel, [burian.id, prison.id])
    panel.copy_button.click()
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.text() == burian.citation().render() + "\n\n" + prison.citation().render()
    assert mime.hasHtml() and "Peter Burian" in mime.html() and "quoted by Rosalba Castelletti" in mime.html()
    assert "Copied 2 quotes" in panel.status_label.text()


def test_copy_escapes_markup_in_html(controller, seed_archive, monkeypatch):
    b = controller.add_quote(4, ask=False)
    hostile = replace(b, text="<img src=/local/file> *x*")
    monkeypatch.setattr(controller, "bookmark", lambda _id: hostile)
    mime = controller.citation_mime([b.id])
    assert "<img" not in mime.html() and "&lt;img src=/local/file&gt;" in mime.html()
    assert "<img src=/local/file>" in mime.text()


def test_citation_template_is_a_validated_file_the_command_line_reads_too(panel, controller, seed_archive):
    from viewer.core.citation import TEMPLATE_FILE, load_template

    burian, *_ = _fill(controller, seed_archive)
    assert controller.citation_template() == DEFAULT_TEMPLATE
    assert controller.set_citation_template("{speaker} {nope}") == "unknown field(s): {nope}"
    assert controller.citation_template() == DEFAULT_TEMPLATE
    assert controller.set_citation_template("{speaker}: “{text}” (¶ {paragraph})") is None
    assert load_template(controller.data_dir) == "{speaker}: “{text}” (¶ {paragraph})"  # what the CLI uses
    _select(panel, [burian.id])
    panel.copy_action.trigger()
    assert QGuiApplication.clipboard().text() == f"Peter Burian: “{burian.text}” (¶ 4)"
    (controller.data_dir / TEMPLATE_FILE).write_text("{broken", encoding="utf-8")  # edited by hand: ignored
    assert controller.citation_template() == DEFAULT_TEMPLATE


def test_a_template_kept_as_a_setting_by_an_earlier_version_moves_to_the_data_folder(controller):
    from viewer.core.citation import TEMPLATE_FILE
    from viewer.ui import settings

    QSettings().setValue(settings.CITATION_TEMPLATE, "{speaker} — {text}")
    assert controller.citation_template() == "{speaker} — {text}"
    assert (controller.data_dir / TEMPLATE_FILE).read_text(encoding="utf-8").strip() == "{speaker} — {text}"
    assert QSettings().value(settings.CITATION_TEMPLATE) is None


# ------------------------------------------------------------------------ export


def test_export_dialog(qtbot, tmp_path):
    dialog = ExportDialog(None, selected=2, filtered=3, total=5, folder=tmp_path, name="bookmarks: eu/law",
                          fmt="md", template=DEFAULT_TEMPLATE)
    qtbot.addWidget(dialog)
    assert dialog.scope() == SELECTED
    assert Path(dialog.path.text()) == tmp_path / "bookmarks eu law.md"
    dialog.format.setCurrentIndex(dialog.format.findData("docx"))
    assert dialog.path.text().endswith(".docx")
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    dialog.template.setText("no text field")
    assert not ok.isEnabled() and "must contain {text}" in dialog.template_problem.text()
    assert dialog.template_problem.textFormat() == Qt.TextFormat.PlainText
    dialog.template.setText("{text} — {speaker}")
    assert ok.isEnabled()
    dialog.scope_all.setChecked(True)
    choice = dialog.choice()
    assert (choice.fmt, choice.scope, choice.template) == ("docx", ALL, "{text} — {speaker}")
    dialog.path.clear()
    assert not ok.isEnabled()


def test_export_filtered_bookmarks_in_the_background(qtbot, panel, controller, seed_archive, tmp_path):
    burian, prison, shuk, para = _fill(controller, seed_archive)
    panel.set_filters(tag="eu")
    out = tmp_path / "eu.csv"
    with qtbot.waitSignal(panel.export_finished, timeout=10000) as done:
        panel.start_export(ExportChoice("csv", FILTERED, out, DEFAULT_TEMPLATE))
    assert done.args == [str(out)]
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    assert [r["text"] for r in rows] == [b.text for b in panel.filtered_bookmarks()]
    assert {r["text"] for r in rows} == {burian.text, para.text}
    assert "Exported 2 bookmarks" in panel.status_label.text()


def test_export_selected_through_the_dialog(qtbot, panel, controller, seed_archive, tmp_path, monkeypatch):
    burian, prison, *_ = _fill(controller, seed_archive)
    out = tmp_path / "chosen.docx"

    def choose(dialog):
        assert dialog.scope() == SELECTED and dialog.scope_selected.text() == "Selected bookmarks (2)"
        dialog.format.setCurrentIndex(dialog.format.findData("docx"))
        dialog.path.setText(str(out))
        return ExportDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", choose)
    _select(panel, [burian.id, prison.id])
    with qtbot.waitSignal(panel.export_finished, timeout=10000):
        panel.export_button.click()
    from docx import Document

    quotes = [p.text for p in Document(str(out)).paragraphs if p.style.name == "Quote"]
    assert quotes == [burian.text, prison.text]
    assert QSettings().value("bookmarks/export_format") == "docx"


def test_export_failure_is_shown_and_the_old_file_kept(qtbot, panel, controller, seed_archive, tmp_path,
                                                       monkeypatch):
    import errno

    import viewer.core.export as export

    _fill(controller, seed_archive)
    out = tmp_path / "old.md"
    out.write_text("old export")

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export.os, "write", full)
    with qtbot.waitSignal(panel.export_failed, timeout=10000) as failed:
        panel.start_export(ExportChoice("md", ALL, out, DEFAULT_TEMPLATE))
    monkeypatch.undo()
    assert failed.args == ["export failed: disk full"]
    assert panel.status_label.text() == "export failed: disk full"
    assert out.read_text() == "old export"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []
    assert panel.export_button.isEnabled()


def test_import_from_a_json_export(panel, controller, seed_archive, tmp_path):
    from viewer.core.export import to_json

    bookmarks = _fill(controller, seed_archive)
    path = tmp_path / "all.json"
    path.write_text(to_json(bookmarks), encoding="utf-8")
    controller.remove([b.id for b in bookmarks])
    assert panel.import_from(path)
    # the same bookmarks (uids, notes, times), with new ids: ids in a file are never kept
    assert [replace(b, id=None) for b in controller.store.list()] == [replace(b, id=None) for b in bookmarks]
    assert "4 added" in panel.status_label.text()
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    assert not panel.import_from(bad)
    assert panel.status_label.text().startswith("import failed:")


# ------------------------------------------------------------------------ a repaired store


def test_a_repaired_store_is_announced_until_dismissed(qtbot, seed_archive):
    from viewer.core.datadir import data_dir

    with BookmarkStore.open() as store:
        store.add(make_bookmark(seed_archive, quote_id=4))
    (data_dir() / "bookmarks.db").write_bytes(b"\x00" * 5000)
    with BookmarkStore.open() as store:
        controller = BookmarksController(store, poll_ms=0)
        panel = BookmarksPanel(controller)
        qtbot.addWidget(panel)
        assert not panel.banner.isHidden()
        assert "damaged" in panel.banner_text.text()
        assert panel.banner_text.textFormat() == Qt.TextFormat.PlainText
        panel.banner_close.click()
        assert panel.banner.isHidden()
        assert controller.recovery_message() == ""


def test_labels_never_interpret_archive_text(qtbot, seed_archive):
    from dataclasses import replace

    b = make_bookmark(seed_archive, quote_id=4)
    hostile = replace(b, text="<img src=/local/file width=20000>", attribution="<b>Who</b>")
    dialog = BookmarkDialog(None, hostile)
    qtbot.addWidget(dialog)
    for label in (dialog.preview, dialog.attribution):
        assert label.textFormat() == Qt.TextFormat.PlainText
    assert "<img src=/local/file width=20000>" in dialog.preview.text()
    assert "<b>Who</b>" in dialog.attribution.text()


def test_the_filters_choices_are_listed_when_the_list_opens(qtbot, panel, controller, seed_archive, monkeypatch):
    """Listing a big store's speakers, tags and documents takes a second: not at every edit."""
    burian, *_ = _fill(controller, seed_archive)
    asked = []
    monkeypatch.setattr(controller, "speakers", lambda: asked.append(1) or ["Peter Burian"])
    controller.edit(burian.id, note="again")
    controller.edit(burian.id, note="and again")
    assert asked == []
    panel.speaker_combo.showPopup()
    assert asked == [1] and panel.speaker_combo.itemText(1) == "Peter Burian"
    panel.speaker_combo.hidePopup()
    panel.speaker_combo.showPopup()  # nothing changed since
    assert asked == [1]
    panel.speaker_combo.hidePopup()
