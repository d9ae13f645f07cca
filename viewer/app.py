"""The one place that builds both sides: QApplication, settings, archive and MainWindow."""

from __future__ import annotations

import sys
import traceback

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
    previous_hook = sys.excepthook
    sys.excepthook = _BugReporter(window, previous_hook)
    window.show()
    window.open_initial(archive_path)
    try:
        code = app.exec()
    finally:
        window.shutdown()
        sys.excepthook = previous_hook
    return code


class _BugReporter:
    """An exception nobody caught (a bug) is printed as usual and told to the user once, plainly,
    with the traceback behind the details button; the app keeps running."""

    def __init__(self, window, previous):
        self._window = window
        self._previous = previous
        self._told: set[str] = set()

    def __call__(self, kind, error, tb) -> None:
        self._previous(kind, error, tb)
        if issubclass(kind, KeyboardInterrupt):
            return
        details = "".join(traceback.format_exception(kind, error, tb))
        key = f"{kind.__name__}: {error}"
        if key in self._told:
            return
        self._told.add(key)
        try:
            self._window.show_error("Something went wrong",
                                    "Archive Viewer met an error it did not expect. What you were doing may not "
                                    "have finished. Archive files are only ever read, never changed.", details)
        except Exception:  # noqa: BLE001 - never let the reporter itself fail loudly
            pass
