"""Bad archive files: a plain message with the details behind a button, the archive already open stays
open, the file is never changed, and a bad archive at start-up leaves an empty window that says why."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton

from tests.conftest import with_bad_value, with_damaged_table
from viewer.core.archive import Archive
from viewer.ui.main_window import MainWindow
from viewer.ui.panels.statistics_panel import StatisticsPanel


def zero_bytes(tmp_path: Path, seed: Path) -> Path:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    return path


def text_file(tmp_path: Path, seed: Path) -> Path:
    path = tmp_path / "notes.db"
    path.write_text("These are my notes, not an archive.\n" * 20, encoding="utf-8")
    return path


def other_program(tmp_path: Path, seed: Path) -> Path:
    path = tmp_path / "contacts.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT, phone TEXT)")
    db.execute("INSERT INTO contacts (name, phone) VALUES ('A', '1'), ('B', '2')")
    db.commit()
    db.close()
    return path


def truncated(tmp_path: Path, seed: Path) -> Path:
    path = tmp_path / "truncated.db"
    data = seed.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def newer_version(tmp_path: Path, seed: Path) -> Path:
    path = tmp_path / "from-the-future.db"
    shutil.copyfile(seed, path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    return path


def missing(tmp_path: Path, seed: Path) -> Path:
    return tmp_path / "no such archive.db"


def folder(tmp_path: Path, seed: Path) -> Path:
    path = tmp_path / "a folder.db"
    path.mkdir()
    return path


BAD = [
    (zero_bytes, "“empty.db” is not an Archive Viewer archive."),
    (text_file, "“notes.db” is not an Archive Viewer archive."),
    (other_program, "“contacts.db” is not an Archive Viewer archive."),
    (truncated, "The archive “truncated.db” is damaged and cannot be read."),
    (newer_version, "“from-the-future.db” was made by a newer version of Archive Viewer (format 99); please update."),
    (missing, "does not exist"),
    (folder, "is a folder, not an archive file"),
]
IDS = [make.__name__ for make, _ in BAD]


def snapshot(folder_path: Path) -> dict[str, str]:
    """Every file in the folder with a hash of its bytes (folders as such)."""
    out = {}
    for p in sorted(folder_path.rglob("*")):
        out[str(p.relative_to(folder_path))] = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
    return out


@pytest.fixture
def bad_dir(tmp_path):
    path = tmp_path / "bad"
    path.mkdir()
    return path


@pytest.fixture
def window(qtbot, seed_archive_path):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.reader.document_loaded, timeout=5000):
        assert w.open_archive(seed_archive_path)
    return w


@pytest.mark.parametrize("make, expected", BAD, ids=IDS)
def test_a_bad_file_is_reported_and_the_open_archive_stays(qtbot, window, bad_dir, seed_archive_path, make,
                                                           expected):
    bad = make(bad_dir, seed_archive_path)
    before = snapshot(bad_dir)
    with qtbot.waitSignal(window.archive_failed):
        assert window.open_archive(bad) is False
    dialog = window.last_error_dialog
    assert dialog is not None and dialog.isVisible()
    assert expected in dialog.message_label.text()
    assert "Traceback" not in dialog.message_label.text()
    # details are there, behind a button
    assert not dialog.details_view.isVisible()
    if dialog.details_button.isEnabled():
        dialog.details_button.click()
        assert dialog.details_view.isVisible() and dialog.details_view.toPlainText()
    # the archive that was open is still open and shown
    assert window.archive is not None and window.archive.path == seed_archive_path
    assert window.central.currentWidget() is window.reader
    assert window.reader.current_document().id == 1
    assert window.reader.view.document().blockCount() == 34
    # nothing was written beside the bad file, and it is unchanged
    assert snapshot(bad_dir) == before
    dialog.close()


@pytest.mark.parametrize("make, expected", BAD, ids=IDS)
def test_a_bad_archive_at_start_up_opens_an_empty_window_that_says_why(qtbot, bad_dir, seed_archive_path, make,
                                                                        expected):
    bad = make(bad_dir, seed_archive_path)
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.archive_failed):
        assert w.open_initial(bad) is False
    assert w.archive is None
    assert w.central.currentWidget() is w.empty
    assert expected in w.empty.message.text()
    assert w.last_error_dialog is None  # said in the window, not in a dialog over it
    assert w.empty.open_button.isVisible() and w.empty.open_button.text() == "Open archive…"
    if w.empty.details_button.isVisible():
        w.empty.details_button.click()
        assert w.empty.details.isVisible() and w.empty.details.toPlainText()
    assert not w.close_archive_action.isEnabled()
    # and the user can go on with a good one
    with qtbot.waitSignal(w.reader.document_loaded, timeout=5000):
        assert w.open_archive(seed_archive_path)
    assert w.central.currentWidget() is w.reader


def test_a_bad_default_archive_at_start_up(qtbot, bad_dir, seed_archive_path, monkeypatch):
    bad = truncated(bad_dir, seed_archive_path)
    monkeypatch.setenv("ARCHIVE_VIEWER_ARCHIVE", str(bad))
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    assert w.open_initial() is False
    assert w.central.currentWidget() is w.empty
    assert "is damaged" in w.empty.message.text()


def test_opening_a_bad_file_with_nothing_open_says_so_in_both_places(qtbot, bad_dir, seed_archive_path):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    bad = other_program(bad_dir, seed_archive_path)
    assert w.open_archive(bad) is False
    assert w.last_error_dialog is not None
    assert "not an Archive Viewer archive" in w.empty.message.text()
    w.last_error_dialog.close()


def test_recent_archives_are_offered_in_the_empty_window(qtbot, bad_dir, seed_archive_path):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.reader.document_loaded, timeout=5000):
        w.open_archive(seed_archive_path)
    w.close_archive()
    buttons = [b for b in w.empty.findChildren(QPushButton) if b.property("path")]
    assert [b.property("path") for b in buttons] == [str(seed_archive_path)]
    with qtbot.waitSignal(w.reader.document_loaded, timeout=5000):
        buttons[0].click()
    assert w.archive.path == seed_archive_path


def test_damage_found_while_reading_is_reported_once(qtbot, window, bad_dir, seed_archive_path):
    """The file opens (its schema is fine) but the passages table is garbage."""
    damaged = with_damaged_table(seed_archive_path, bad_dir / "damaged-inside.db")
    with qtbot.waitSignal(window.reader.archive_error, timeout=5000):
        assert window.open_archive(damaged)
    dialog = window.last_error_dialog
    assert dialog is not None and "is damaged and cannot be read" in dialog.message_label.text()
    assert window.reader.current_document() is None or window.reader.view.content is None
    # the other panels still work from what can be read
    qtbot.waitUntil(lambda: window.speakers_panel.model.rowCount() == 8, timeout=5000)
    dialog.close()


def test_a_value_the_format_does_not_allow_is_damage_not_a_bug(qtbot, window, bad_dir, seed_archive_path):
    """A passage whose text is NULL: the reader says the archive is damaged, where and why, with details;
    never an internal error."""
    damaged = with_bad_value(seed_archive_path, bad_dir / "null-text.db",
                             "UPDATE passages SET text = NULL WHERE id = 3")
    with qtbot.waitSignal(window.reader.archive_error, timeout=5000):
        assert window.open_archive(damaged)
    dialog = window.last_error_dialog
    assert dialog.windowTitle() == "The archive cannot be read"
    assert dialog.message_label.text() == ("The archive “null-text.db” is damaged: its column “text” holds no value "
                                           "(NULL) (row 3).")
    assert dialog.details_button.isEnabled() and "text (row 3)" in dialog.details_view.toPlainText()
    assert not (window.data_dir / "errors.log").exists()
    dialog.close()


def test_the_statistics_panel_reports_a_bad_value_as_damage(qtbot, window, bad_dir, seed_archive_path):
    damaged = with_bad_value(seed_archive_path, bad_dir / "null-name.db", "UPDATE speakers SET name = NULL WHERE id = 2")
    panel = StatisticsPanel()
    qtbot.addWidget(panel)
    archive = Archive(damaged)
    with qtbot.waitSignal(panel.archive_error, timeout=10000) as blocker:
        panel.set_archive(archive)
    panel.set_archive(None)
    archive.close()
    assert blocker.args[0].message == ("The archive “null-name.db” is damaged: its column “name” holds no value "
                                       "(NULL) (row 2).")
    assert not (window.data_dir / "errors.log").exists()
