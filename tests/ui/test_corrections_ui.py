"""Corrections in the desktop app: the reader's "Set speaker…" (menu, Ctrl+Shift+S), its dialog, the
Unattributed quotes panel, the flow that writes a correction off the UI thread and shows it everywhere."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QMessageBox, QWidget

from tests.conftest import SEED_SLUG
from viewer.core.archive import Archive
from viewer.core.bookmark_anchoring import make_bookmark
from viewer.core.bookmarks import BookmarkStore
from viewer.core.corrections import NARRATION, SPEAKER, UNKNOWN, CorrectionStore, make_correction
from viewer.core.datadir import user_archive_path
from viewer.core.records import Quote
from viewer.ui.dialogs.speaker_dialog import SetSpeakerDialog, SpeakerRequest
from viewer.ui.models.unattributed_model import UnattributedModel, load_unattributed
from viewer.ui.panels.unattributed_panel import UnattributedPanel
from viewer.ui.widgets.reader_view import quote_tooltip
from viewer.ui.workers import TaskRunner


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def unsure_copy(source: Path, target: Path) -> tuple[Path, int]:
    """A copy of the seed archive in which the text left "nothing has been done" unattributed, pointing
    to Anna Shukeyeva (as extraction does when it is not sure)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    conn = sqlite3.connect(target)
    qid = conn.execute("SELECT id FROM quotes WHERE text = 'nothing has been done'").fetchone()[0]
    sid = conn.execute("SELECT id FROM speakers WHERE name = 'Anna Shukeyeva'").fetchone()[0]
    conn.execute(
        "UPDATE quotes SET speaker_id = NULL, rule = NULL, suggested_speaker = 'Anna Shukeyeva', "
        "suggested_speaker_id = ? WHERE id = ?",
        (sid, qid),
    )
    conn.commit()
    conn.close()
    return target, qid


@pytest.fixture
def services(qtbot, tmp_path):
    from viewer.app import build

    built = build(tmp_path / "data")
    qtbot.addWidget(built.window)
    built.window.show()
    yield built
    built.close()
    QGuiApplication.clipboard().clear()


def open_in(qtbot, window, path: Path) -> None:
    with qtbot.waitSignal(window.reader.document_loaded, timeout=10_000):
        assert window.open_archive(path)


def unnamed_controls(widget: QWidget) -> list[str]:
    return [
        f"{type(w).__name__} {w.objectName()}"
        for w in widget.findChildren(QWidget)
        if isinstance(w, (QAbstractButton, QLineEdit)) and w.isVisibleTo(widget) and not w.accessibleName()
    ]


# ---------------------------------------------------------------------------------------- the dialog


def test_the_dialog_takes_a_speaker_narration_or_unknown_with_a_note(qtbot):
    dialog = SetSpeakerDialog(
        None,
        words="nothing has been done",
        now="unattributed",
        quote_id=10,
        speakers=["Anna Shukeyeva", "Peter Burian"],
        suggestion="Anna Shukeyeva",
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert "The text points to Anna Shukeyeva, but not surely: a suggestion" in dialog.now.text()
    assert dialog.speaker.currentText() == "Anna Shukeyeva" and dialog.clear_button is None
    assert dialog.request() == SpeakerRequest(SPEAKER, "Anna Shukeyeva", "", 10, None, False)
    dialog.speaker.setCurrentText("  ")
    dialog._update()
    assert not dialog.ok_button.isEnabled()  # a speaker needs a name
    qtbot.keyClicks(dialog.speaker.lineEdit(), "Jane Newperson")
    dialog.new_speaker.setChecked(True)
    qtbot.keyClicks(dialog.note, "checked the recording")
    assert dialog.ok_button.isEnabled()
    assert dialog.request() == SpeakerRequest(SPEAKER, "Jane Newperson", "checked the recording", 10, None, True)
    dialog.narration.setChecked(True)
    assert not dialog.new_speaker.isEnabled()
    assert dialog.request() == SpeakerRequest(NARRATION, "", "checked the recording", 10, None, False)
    dialog.unknown.setChecked(True)
    assert dialog.request().decision == UNKNOWN
    dialog.add_speakers(["Luca Anceschi", "Peter Burian"])
    assert [dialog.speaker.itemText(i) for i in range(dialog.speaker.count())] == [
        "Anna Shukeyeva",
        "Peter Burian",
        "Luca Anceschi",
    ]
    assert unnamed_controls(dialog) == []


def test_the_dialog_shows_the_users_correction_and_can_clear_it(qtbot, seed_archive):
    correction = make_correction(seed_archive, passage_id=5, decision=UNKNOWN, note="two voices")
    dialog = SetSpeakerDialog(
        None, words="a passage", now="someone's words, speaker unknown", passage_id=5, corrected=True
    )
    qtbot.addWidget(dialog)
    dialog.set_existing(correction)
    assert dialog.unknown.isChecked() and dialog.note.toPlainText() == "two voices"
    assert "(corrected by you)" in dialog.now.text() and dialog.clear_button.accessibleName()
    with qtbot.waitSignal(dialog.clear_requested):
        dialog.clear_button.click()
    assert dialog.request().passage_id == 5


def test_words_and_names_are_shown_as_plain_text(qtbot):
    dialog = SetSpeakerDialog(
        None, words="<b>bold</b> <img src=x>", now="<i>someone</i>", quote_id=1, speakers=["<script>"]
    )
    qtbot.addWidget(dialog)
    assert dialog.preview.textFormat() == Qt.TextFormat.PlainText and "<img src=x>" in dialog.preview.text()
    assert dialog.now.textFormat() == Qt.TextFormat.PlainText


# ---------------------------------------------------------------------------------------- reader display


def test_tooltips_never_give_a_guess_as_who_said_it(seed_archive):
    q = seed_archive.quotes()[0]
    unsure = Quote(
        **{**q.__dict__, "speaker_id": None, "speaker_name": None, "rule": None, "suggested_speaker": "Anna Shukeyeva"}
    )
    text = quote_tooltip([unsure], _Content())
    assert "unattributed" in text and "points to Anna Shukeyeva, but not surely" in text
    corrected = Quote(**{**q.__dict__, "rule": "corrected"})
    assert "Corrected by you" in quote_tooltip([corrected], _Content())
    unknown = Quote(**{**q.__dict__, "speaker_id": None, "speaker_name": None, "rule": "corrected-unknown"})
    text = quote_tooltip([unknown], _Content())
    assert "speaker unknown" in text and "Corrected by you" in text


class _Content:
    speakers: dict = {}


# ---------------------------------------------------------------------------------------- the panel


def test_the_unattributed_model_passes_the_model_tester(qtmodeltester, seed_archive_path, tmp_path):
    path, qid = unsure_copy(seed_archive_path, tmp_path / "a.db")
    model = UnattributedModel()
    with Archive(path) as archive:
        model.set_groups(load_unattributed(archive))
    qtmodeltester.check(model)
    assert model.quote_count() == 1
    doc = model.index(0, 0)
    assert "Addressing human rights abuses" in doc.data() and "(1 quote)" in doc.data()
    quote = model.index(0, 0, doc)
    assert quote.data().startswith("¶ 8  “nothing has been done”") and "Anna Shukeyeva?" in quote.data()
    assert model.item(quote).quote.id == qid and model.index_of(qid) == quote


def test_the_panel_lists_what_needs_a_decision_and_asks_for_it(qtbot, seed_archive_path, tmp_path):
    path, qid = unsure_copy(seed_archive_path, tmp_path / "a.db")
    runner = TaskRunner()
    panel = UnattributedPanel(runner=runner)
    qtbot.addWidget(panel)
    panel.show()
    archive = Archive(path)
    try:
        panel.set_archive(archive)
        qtbot.waitUntil(lambda: panel.model.quote_count() == 1, timeout=10_000)
        assert "1 direct quote in 1 document nobody is named for" in panel.summary.text()
        assert panel.current_item().quote.id == qid
        assert panel.accept_button.isEnabled() and panel.accept_button.text() == "&Accept: Anna Shukeyeva"
        with qtbot.waitSignal(panel.attribution_requested) as asked:
            panel.accept_button.click()
        assert asked.args[0] == SpeakerRequest(SPEAKER, "Anna Shukeyeva", quote_id=qid)
        with qtbot.waitSignal(panel.speaker_requested) as asked:
            panel.set_button.click()
        assert asked.args[0].id == qid and asked.args[1] is None
        with qtbot.waitSignal(panel.quote_requested) as asked:
            panel.view.activated.emit(panel.view.currentIndex())
        assert asked.args == [qid]
        assert unnamed_controls(panel) == []
        panel.set_archive(None)
        assert panel.model.quote_count() == 0 and "No archive" in panel.summary.text()
    finally:
        runner.wait()
        archive.close()


# ---------------------------------------------------------------------------------------- the whole app


def test_set_speaker_from_the_readers_menu_writes_the_users_archive_and_shows_it_everywhere(
    qtbot, services, bundled, tmp_path
):
    window = services.window
    before = digest(bundled)
    open_in(qtbot, window, bundled)
    with Archive(bundled) as a:
        quote = next(q for q in a.quotes() if q.text == "nothing has been done")
        peter = a.find_speakers("Burian")[0]
    with BookmarkStore.open(services.data_dir) as store, Archive(bundled) as a:
        bookmark = store.add(make_bookmark(a, quote_id=quote.id, note="key"))
    services.controller.reload()
    # the reader's context menu on the quote offers it, for the quote and for its passage
    content = window.reader.view.content
    row = content.row_by_id[quote.passage_id]
    menu = window.reader.context_menu(content.position(row, quote.start + 2))
    names = [a.objectName() for a in menu.actions()]
    assert "setQuoteSpeakerAction" in names and "setPassageSpeakerAction" in names
    assert window.reader.set_speaker_action.shortcut() == QKeySequence("Ctrl+Shift+S")
    assert window.reader.set_speaker_action in window.edit_menu.actions()
    with qtbot.waitSignal(window.reader.speaker_requested) as asked:
        next(a for a in menu.actions() if a.objectName() == "setQuoteSpeakerAction").trigger()
    assert asked.args[0].id == quote.id
    dialog = window.speaker_corrections.dialog
    assert isinstance(dialog, SetSpeakerDialog) and dialog.isVisible()
    assert "Anna Shukeyeva" in dialog.now.text()
    qtbot.waitUntil(lambda: dialog.speaker.count() == 8)  # every speaker of the archive, read off the UI thread
    dialog.speaker.setCurrentText("Peter Burian")
    dialog.note.setPlainText("checked the recording")
    with qtbot.waitSignal(window.corrections.done, timeout=20_000):
        dialog.accept()
    own = user_archive_path(services.data_dir)
    qtbot.waitUntil(lambda: window.archive is not None and window.archive.path == own, timeout=10_000)
    assert digest(bundled) == before
    qtbot.waitUntil(lambda: window.reader.quote_at_cursor() == quote.id, timeout=10_000)
    shown = window.reader.quote(quote.id)
    assert shown.speaker_name == "Peter Burian" and shown.corrected
    assert "corrected by you" in window.statusBar().currentMessage()
    # the speakers panel and the statistics read the corrected archive
    assert window.archive.speaker(peter.id).quotes == peter.quotes + 1
    # the bookmark of those words follows the correction
    assert services.controller.bookmark(bookmark.id).attribution == "Peter Burian"
    with CorrectionStore.open(services.data_dir) as store:
        [c] = store.list()
        assert (c.speaker, c.note, c.was) == ("Peter Burian", "checked the recording", "Anna Shukeyeva")
    # opened again, the dialog shows the correction, and clears it
    window.speaker_corrections.open_dialog(window.reader.quote(quote.id), None)
    dialog = window.speaker_corrections.dialog
    assert dialog.clear_button is not None
    qtbot.waitUntil(lambda: dialog.note.toPlainText() == "checked the recording", timeout=10_000)
    with qtbot.waitSignal(window.corrections.done, timeout=20_000):
        dialog.clear_button.click()
    qtbot.waitUntil(
        lambda: (
            window.reader.quote(quote.id) is not None and window.reader.quote(quote.id).speaker_name == "Anna Shukeyeva"
        ),
        timeout=10_000,
    )
    with CorrectionStore.open(services.data_dir) as store:
        assert store.count() == 0


def test_ctrl_shift_s_sets_the_speaker_of_the_passage_at_the_cursor(qtbot, services, bundled):
    window = services.window
    open_in(qtbot, window, bundled)
    with Archive(bundled) as a:
        passage = next(p for p in a.passages(a.document(SEED_SLUG).id) if p.speaker_name == "Luca Anceschi")
    content = window.reader.view.content
    cursor = window.reader.view.textCursor()
    cursor.setPosition(content.position(content.row_by_id[passage.id], 3))
    window.reader.view.setTextCursor(cursor)
    window.reader.view.setFocus()
    with qtbot.waitSignal(window.reader.speaker_requested) as asked:
        window.reader.set_speaker_action.trigger()
    assert asked.args[0] is None and asked.args[1].id == passage.id
    dialog = window.speaker_corrections.dialog
    dialog.narration.setChecked(True)
    with qtbot.waitSignal(window.corrections.done, timeout=20_000):
        dialog.accept()
    qtbot.waitUntil(
        lambda: (
            window.reader.passage(passage.id) is not None
            and window.reader.passage(passage.id).attribution == "corrected-narration"
        ),
        timeout=10_000,
    )
    view = window.reader.view
    assert "Corrected by you" in view.passage_tooltip(view.content.row_by_id[passage.id])


def test_a_name_that_may_be_a_speaker_is_asked_about(qtbot, services, bundled):
    window = services.window
    open_in(qtbot, window, bundled)
    with Archive(bundled) as a:
        quote = next(q for q in a.quotes() if q.text == "nothing has been done")
    with qtbot.waitSignal(window.corrections.ambiguous, timeout=20_000):
        window.speaker_corrections.set_attribution(SpeakerRequest(SPEAKER, "A. Shukeyeva", quote_id=quote.id))
    [box] = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert "may be the same person as “Anna Shukeyeva”" in box.text()
    assert box.informativeText() == "Is “A. Shukeyeva” someone else, a new speaker?"
    with qtbot.waitSignal(window.corrections.done, timeout=20_000):
        box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(
        lambda: (
            window.reader.quote(quote.id) is not None and window.reader.quote(quote.id).speaker_name == "A. Shukeyeva"
        ),
        timeout=10_000,
    )


def test_an_archive_that_cannot_be_written_is_told_and_nothing_is_saved(qtbot, services, bundled):
    window = services.window
    own = user_archive_path(services.data_dir)
    own.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(bundled, own)
    open_in(qtbot, window, own)
    own.chmod(0o444)
    try:
        with Archive(own) as a:
            quote = next(q for q in a.quotes() if q.text == "nothing has been done")
        with qtbot.waitSignal(window.corrections.failed, timeout=20_000):
            window.speaker_corrections.set_attribution(SpeakerRequest(SPEAKER, "Peter Burian", quote_id=quote.id))
        qtbot.waitUntil(lambda: window.last_error_dialog is not None)
        assert "read-only" in window.last_error_dialog.findChild(QWidget, "errorMessage").text()
    finally:
        own.chmod(0o644)
    with CorrectionStore.open(services.data_dir) as store:
        assert store.count() == 0


def test_the_unattributed_panel_in_the_window_accepts_the_suggestion(qtbot, services, seed_archive_path):
    window = services.window
    own, qid = unsure_copy(seed_archive_path, user_archive_path(services.data_dir))
    open_in(qtbot, window, own)
    panel = window.ensure_panel("unattributedDock")
    qtbot.waitUntil(lambda: isinstance(panel, UnattributedPanel) and panel.model.quote_count() == 1, timeout=10_000)
    with qtbot.waitSignal(window.reader.passage_shown, timeout=10_000):
        panel.view.activated.emit(panel.view.currentIndex())
    assert window.reader.quote_at_cursor() == qid
    with qtbot.waitSignal(window.corrections.done, timeout=20_000):
        panel.accept_button.click()
    panel = window.dock("unattributedDock").widget()
    qtbot.waitUntil(lambda: "Every direct quote has a speaker" in panel.summary.text(), timeout=10_000)
    with Archive(own) as a:
        assert a.quote(qid).speaker_name == "Anna Shukeyeva" and a.quote(qid).corrected


def test_the_panel_offers_to_apply_corrections_not_applied_in_this_archive(qtbot, services, bundled, seed_archive_path):
    window = services.window
    with Archive(bundled) as a, CorrectionStore.open(services.data_dir) as store:
        quote = next(q for q in a.quotes() if q.text == "nothing has been done")
        store.save(make_correction(a, quote_id=quote.id, speaker="Luca Anceschi"))
    own = user_archive_path(services.data_dir)
    shutil.copyfile(seed_archive_path, own)  # the user's own archive, made again: the correction not in it
    open_in(qtbot, window, own)
    panel = window.ensure_panel("unattributedDock")
    qtbot.waitUntil(lambda: isinstance(panel, UnattributedPanel) and panel.apply_button.isVisible(), timeout=10_000)
    assert "1 of your corrections is not applied in this archive" in panel.standing.text()
    with qtbot.waitSignal(window.corrections.done, timeout=20_000):
        panel.apply_button.click()
    qtbot.waitUntil(lambda: window.archive.quote(quote.id).speaker_name == "Luca Anceschi", timeout=10_000)
    panel = window.dock("unattributedDock").widget()
    qtbot.waitUntil(lambda: not panel.apply_button.isVisible(), timeout=10_000)
