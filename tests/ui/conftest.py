"""pytest-qt discipline: settings in tmp_path, no real user folders, Qt warnings fail tests."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QGuiApplication


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """QSettings and the user's data folder point into tmp_path for every UI test."""
    QCoreApplication.setOrganizationName("ArchiveViewerTests")
    QCoreApplication.setApplicationName("archive-viewer-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("ARCHIVE_VIEWER_DATA_DIR", str(tmp_path / "data"))
    yield
    QSettings().clear()


@pytest.fixture
def services(qtbot, tmp_path):
    """The app as ``run_gui`` builds it (data folder and settings in tmp_path), shown, no archive yet."""
    from viewer.app import build

    built = build(tmp_path / "data")
    window = built.window
    qtbot.addWidget(window)
    window.show()
    yield built
    built.close()
    QGuiApplication.clipboard().clear()


@pytest.fixture
def window(services, qtbot, seed_archive_path):
    """The app's window with the seed archive open (a test module may have a window of its own)."""
    w = services.window
    with qtbot.waitSignal(w.reader.document_loaded, timeout=10_000):
        assert w.open_archive(seed_archive_path)
    return w
