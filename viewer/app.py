"""The one place that builds both sides: QApplication, settings, archive and MainWindow."""

from __future__ import annotations

import sys

ORGANIZATION = "ArchiveViewer"
APPLICATION = "archive-viewer"
DISPLAY_NAME = "Archive Viewer"


def run_gui(archive_path: str | None) -> int:
    """Open the main window on ``archive_path`` (else the last archive, else the bundled one) and
    run until the window closes. Returns the process exit code."""
    from PySide6.QtWidgets import QApplication

    from viewer.ui.main_window import MainWindow
    from viewer.ui.widgets.icons import app_icon

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(DISPLAY_NAME)
    app.setDesktopFileName(APPLICATION)
    app.setWindowIcon(app_icon())
    window = MainWindow()
    window.show()
    window.open_initial(archive_path)
    code = app.exec()
    window.shutdown()
    return code
