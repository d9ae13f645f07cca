"""The import dialog: progress, Cancel that leaves the archive byte for byte, the summary, drops."""

from __future__ import annotations

import hashlib
import shutil
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, Qt, QUrl

from tests.conftest import ENDLESS_READING
from viewer.core.archive import Archive
from viewer.core.build import ArchiveWriter
from viewer.ui.dialogs.import_dialog import FILE_FILTER, ImportDialog, importable_paths
from viewer.ui.workers import TaskRunner

DATA = Path(__file__).resolve().parents[1] / "data" / "import"
FILES = [DATA / "prose-report.txt", DATA / "hearing-transcript.txt"]


@pytest.fixture
def archive(seed_archive_path, tmp_path) -> Path:
    path = tmp_path / "archive.db"
    shutil.copy(seed_archive_path, path)
    return path


@pytest.fixture
def runner():
    r = TaskRunner()
    yield r
    assert r.wait(20000)


@pytest.fixture
def make_dialog(qtbot, runner):
    def make(archive: Path, files=FILES, collection=None) -> ImportDialog:
        dlg = ImportDialog(archive, files, collection=collection, runner=runner)
        qtbot.addWidget(dlg)
        dlg.show()
        return dlg

    return make


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Gate:
    """Holds the worker at one point until the test has done its part (no sleeping)."""

    def __init__(self):
        self.entered = threading.Event()
        self.release = threading.Event()

    def wrap(self, fn, once=True):
        def gated(*args, **kwargs):
            result = fn(*args, **kwargs)
            if not (once and self.entered.is_set()):
                self.entered.set()
                assert self.release.wait(20), "the test never released the worker"
            return result

        return gated


def test_import_runs_with_progress_then_shows_the_summary(qtbot, archive, make_dialog):
    dlg = make_dialog(archive)
    steps = []
    dlg.progress_changed.connect(lambda *a: steps.append(a))  # a UI-thread signal: safe to collect
    with qtbot.waitSignal(dlg.import_finished, timeout=20000) as blocker:
        dlg.start()
    report = blocker.args[0]
    assert dlg.state == ImportDialog.DONE
    assert [s[2] for s in steps] == ["Reading prose-report.txt", "Reading hearing-transcript.txt",
                                     "Writing prose-report.txt", "Writing hearing-transcript.txt", "Saving", "Done"]
    assert dlg.progress.value() == dlg.progress.maximum() == 5
    assert dlg.heading.text() == report.summary() == "2 documents imported, 6 speakers (6 new), 6 quotes."
    details = dlg.details.toPlainText()
    assert details.splitlines()[0].startswith("Imported prose-report.txt: added “Press freedom under pressure")
    assert not dlg.details.isHidden() and dlg.cancel_button.isHidden()
    assert not dlg.open_button.isHidden() and not dlg.close_button.isHidden()
    with qtbot.waitSignal(dlg.document_requested) as opened:
        dlg.open_button.click()
    assert opened.args == [report.first_document_id]
    assert not dlg.isVisible()
    with Archive(archive) as a:
        assert a.document(report.first_document_id).title == "Press freedom under pressure: a public discussion in Vilnius"


def test_the_summary_lists_what_is_uncertain_and_what_failed(qtbot, archive, make_dialog, tmp_path):
    noise = tmp_path / "noise.txt"
    noise.write_bytes(bytes(range(256)) * 10)
    dlg = make_dialog(archive, [DATA / "servants-of-the-regime.txt", noise, DATA / "campus-debate.txt"],
                      collection="Students")
    undated = tmp_path / "undated.txt"
    undated.write_text("Notes\n\nMaria Lopez, a researcher, said: “Data is not neutral.”\n", encoding="utf-8")
    dlg2 = make_dialog(archive, [undated])
    with qtbot.waitSignal(dlg.import_finished, timeout=20000) as blocker:
        dlg.start()
    report = blocker.args[0]
    assert report.exit_code == 1
    with Archive(archive) as a:
        assert a.document(report.files[2].document_id).collection == "Students"
        assert a.document(report.files[0].document_id).collection == "Personal sanctions against human rights violators"
    assert "Could not import noise.txt: is not a text document (it contains binary data)" in dlg.details.toPlainText()
    with qtbot.waitSignal(dlg2.import_finished, timeout=20000):
        dlg2.start()
    text = dlg2.details.toPlainText()
    assert "Please check:\n• undated.txt: no date in the document" in text


def test_cancel_while_a_file_is_read_acts_at_once(qtbot, archive, make_dialog, reading_process, tmp_path):
    """A file whose reading never ends (work with no checkpoint, as a quadratic pattern was): Cancel stops its
    reading process at once and the archive is left as it was."""
    reading_process(ENDLESS_READING)
    stuck = tmp_path / "stuck.txt"
    stuck.write_text("A story\n\nJane Roe said: “It is endless.”\n", encoding="utf-8")
    before = digest(archive)
    dlg = make_dialog(archive, [stuck, *FILES])
    dlg.start()
    qtbot.waitUntil(lambda: dlg.status.text() == "Reading stuck.txt", timeout=20000)
    dlg.cancel_button.click()
    assert dlg.state == ImportDialog.CANCELLING and not dlg.cancel_button.isEnabled()
    assert dlg.status.text() == "Cancelling… the archive will be left as it was."
    qtbot.waitSignal(dlg.import_cancelled, timeout=10000).wait()  # well before the hour it would sleep
    assert dlg.state == ImportDialog.CANCELLED and dlg.heading.text() == "Import cancelled."
    assert dlg.open_button.isHidden() and not dlg.close_button.isHidden()
    assert digest(archive) == before


def test_cancel_while_writing_rolls_back_byte_for_byte(qtbot, archive, make_dialog, monkeypatch):
    gate = Gate()
    # hold the worker inside the transaction, right after the first document was written
    monkeypatch.setattr(ArchiveWriter, "index_document", gate.wrap(ArchiveWriter.index_document))
    before = digest(archive)
    beside = sorted(p.name for p in archive.parent.iterdir())
    finished = []
    dlg = make_dialog(archive)
    dlg.import_finished.connect(finished.append)
    dlg.start()
    qtbot.waitUntil(gate.entered.is_set, timeout=20000)
    dlg.reject()  # Esc or the window's close button: cancels, does not hide a running import
    assert dlg.isVisible() and dlg.state == ImportDialog.CANCELLING
    with qtbot.waitSignal(dlg.import_cancelled, timeout=20000):
        gate.release.set()
    assert finished == []
    assert digest(archive) == before
    assert sorted(p.name for p in archive.parent.iterdir()) == beside
    with Archive(archive) as a:
        assert a.summary().documents_with_text == 1


def test_an_unusable_archive_is_reported_in_one_line(qtbot, make_dialog, tmp_path):
    missing = tmp_path / "gone.db"
    dlg = make_dialog(missing)
    with qtbot.waitSignal(dlg.import_failed, timeout=20000) as blocker:
        dlg.start()
    assert blocker.args == [f"The archive “{missing}” does not exist."]
    assert dlg.state == ImportDialog.FAILED and dlg.heading.text() == "Nothing was imported."
    assert dlg.status.text() == blocker.args[0]
    assert not missing.exists()
    dlg.close_button.click()
    assert not dlg.isVisible()


def test_archive_text_is_shown_as_plain_text(qtbot, archive, make_dialog, tmp_path):
    doc = tmp_path / "markup.txt"
    doc.write_text("<b>Bold</b> <img src=x> title\n\nAnna Berg, a lawyer, said: “Fine.”\n", encoding="utf-8")
    dlg = make_dialog(archive, [doc])
    with qtbot.waitSignal(dlg.import_finished, timeout=20000):
        dlg.start()
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in (dlg.heading, dlg.status))
    assert "added “<b>Bold</b> <img src=x> title”" in dlg.details.toPlainText()


def test_dropped_files_are_filtered_to_what_can_be_imported(tmp_path):
    (tmp_path / "folder").mkdir()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "a.txt")), QUrl.fromLocalFile(str(tmp_path / "scan.pdf")),
                  QUrl("https://example.org/page.html"), QUrl.fromLocalFile(str(tmp_path / "b.DOCX")),
                  QUrl.fromLocalFile(str(tmp_path / "c.md")), QUrl.fromLocalFile(str(tmp_path / "photo.png")),
                  QUrl.fromLocalFile(str(tmp_path / "folder"))])
    assert importable_paths(mime) == [tmp_path / "a.txt", tmp_path / "scan.pdf", tmp_path / "b.DOCX",
                                      tmp_path / "c.md", tmp_path / "folder"]
    assert importable_paths(QMimeData()) == [] and importable_paths(None) == []
    for pattern in ("*.txt", "*.md", "*.html", "*.htm", "*.mhtml", "*.mht", "*.docx", "*.pdf"):
        assert pattern in FILE_FILTER


def test_a_folder_import_counts_its_files_once_it_has_walked_them(qtbot, archive, make_dialog, tmp_path):
    folder = tmp_path / "reports"
    (folder / "more").mkdir(parents=True)
    shutil.copy(FILES[0], folder / FILES[0].name)
    shutil.copy(FILES[1], folder / "more" / FILES[1].name)
    (folder / "more" / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    dlg = make_dialog(archive, [folder])
    assert dlg.heading.text() == f"Importing 1 folder into “{archive.name}”…"
    assert dlg.progress.maximum() == 0  # busy until the folder is walked
    with qtbot.waitSignal(dlg.import_finished, timeout=20000) as done:
        dlg.start()
    report = done.args[0]
    assert dlg.progress.maximum() == 2 * 2 + 1
    assert dlg.heading.text() == report.summary() and "1 other file ignored" in report.summary()
    details = dlg.details.toPlainText()
    assert "Imported prose-report.txt: added" in details and "Imported hearing-transcript.txt: added" in details
    assert "Ignored chart.png: not a kind of document Archive Viewer imports" in details


