"""File > Check archive…: the full health check in a worker, its report shown, the file untouched."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from viewer.app import make_window


@pytest.fixture
def window(qtbot):
    w = make_window()
    qtbot.addWidget(w)
    yield w
    w.shutdown()


def _open(qtbot, window, path):
    with qtbot.waitSignal(window.archive_opened, timeout=10_000):
        window.open_archive(path)


def test_a_healthy_archive_is_reported_healthy(qtbot, window, seed_archive_path, tmp_path):
    path = tmp_path / "archive.db"
    shutil.copy(seed_archive_path, path)
    before = path.read_bytes()
    _open(qtbot, window, path)
    assert window.check_action.isEnabled()
    window.check_action.trigger()
    qtbot.waitUntil(lambda: window.check.report is not None, timeout=20_000)
    box = window.check.report
    assert box.objectName() == "checkReportBox"
    assert box.text() == "No problems found in “archive.db”."
    assert "ok: full-text index passages_fts" in box.informativeText()
    box.close()
    assert window.check_action.isEnabled()
    assert path.read_bytes() == before


def test_a_broken_index_is_reported_with_details(qtbot, window, seed_archive_path, tmp_path):
    path = tmp_path / "broken.db"
    shutil.copy(seed_archive_path, path)
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM passages_fts_data WHERE id > 10 AND rowid % 2 = 0")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    _open(qtbot, window, path)
    window.check_action.trigger()
    qtbot.waitUntil(lambda: window.check.report is not None, timeout=20_000)
    dialog = window.check.report
    assert dialog.objectName() == "errorDialog"
    assert dialog.message_label.text().startswith("“broken.db” has ")
    assert "problem(s); the file was not changed" in dialog.message_label.text()
    assert "problem: full-text index passages_fts" in dialog.details_view.toPlainText()
    dialog.close()
    assert path.read_bytes() == before


def test_no_archive_no_check(window):
    assert not window.check_action.isEnabled()
    window.check_archive()  # nothing happens, nothing breaks
    assert window.check.report is None
