"""The one place that builds both sides: QApplication, settings, the shared objects, MainWindow.

The objects the window and its panels share are made once, here: the ``TaskRunner`` (every panel's
work off the UI thread, waited for at shutdown), the bookmark store in the user's data folder and its
``BookmarksController``, the ``CorrectionsController`` of the user's corrections of who said what. Panels whose module is heavy (statistics: QtCharts) or whose dock starts
behind another tab are made when first shown.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

ORGANIZATION = "ArchiveViewer"
APPLICATION = "archive-viewer"
DISPLAY_NAME = "Archive Viewer"


@dataclass
class Services:
    """What the window and its panels share; ``close()`` at shutdown."""

    window: object  # MainWindow
    runner: object  # TaskRunner
    data_dir: Path
    store: object | None = None  # BookmarkStore, None when the bookmarks could not be opened
    controller: object | None = None  # BookmarksController

    def close(self) -> None:
        """Stop the window's work, wait for every worker, close the bookmark store."""
        self.window.shutdown()
        self.runner.wait()
        if self.controller is not None:
            self.controller.stop()
        if self.store is not None:
            self.store.close()
            self.store = None


def build(data_dir: str | Path | None = None) -> Services:
    """The main window with every panel plugged in (not shown; no archive open yet)."""
    from PySide6.QtCore import Qt

    from viewer.core.datadir import clean_import_leftovers
    from viewer.core.datadir import data_dir as resolve_data_dir
    from viewer.ui.main_window import MainWindow
    from viewer.ui.panels.search_panel import SearchPanel
    from viewer.ui.workers import TaskRunner

    folder = resolve_data_dir(data_dir)
    clean_import_leftovers(folder)  # an import killed midway left its work here
    runner = TaskRunner()
    window = MainWindow(runner=runner, data_dir=folder)
    services = Services(window, runner, folder)
    right = Qt.DockWidgetArea.RightDockWidgetArea

    window.add_panel(SearchPanel(window, runner=runner), "Search", "searchDock", right)
    _open_bookmarks(services)
    if services.controller is not None:
        window.add_panel(_BookmarksFactory(services.controller, runner), "Bookmarks", "bookmarksDock", right,
                         tabify_with="searchDock")
    window.add_panel(_make_statistics_panel, "Statistics", "statisticsDock", right, tabify_with="searchDock")
    if _open_corrections(services):
        window.add_panel(_UnattributedFactory(runner), "Unattributed quotes", "unattributedDock", right,
                         tabify_with="searchDock", tab_title="Unattributed")
    return services


def _open_corrections(services: Services) -> bool:
    """Check the corrections store once (a repair is told, today's backup made) and plug in their
    controller; on failure the app runs without corrections and says why. True when they are there."""
    from viewer.core.corrections import STORE_NAME, CorrectionError, CorrectionStore
    from viewer.ui.corrections_controller import CorrectionsController

    window = services.window
    path = services.data_dir / STORE_NAME
    if path.exists():
        try:
            with CorrectionStore(path) as store:
                if store.recovery is not None:
                    window.add_startup_notice("Your corrections were repaired", store.recovery.message,
                                              str(store.recovery.damaged_path))
                elif store.backup_warning:
                    window.statusBar().showMessage(store.backup_warning, 15000)
        except CorrectionError as e:
            window.add_startup_notice(
                "Corrections are not available",
                f"Your corrections cannot be opened: {e.message}. Archive Viewer runs without them this time; "
                "the corrections file is left as it was.", e.details or str(path))
            return False
    window.set_corrections(CorrectionsController(services.data_dir, services.runner, window))
    return True


class _UnattributedFactory:
    """Makes the Unattributed quotes panel when its dock is first shown."""

    def __init__(self, runner):
        self._runner = runner

    def __call__(self):
        from viewer.ui.panels.unattributed_panel import UnattributedPanel

        return UnattributedPanel(runner=self._runner)


def _open_bookmarks(services: Services) -> None:
    """The bookmark store and its controller; on failure the app runs without bookmarks and says why."""
    from viewer.core.bookmarks import STORE_NAME, BookmarkError, BookmarkStore
    from viewer.ui.bookmarks_controller import BookmarksController

    window = services.window
    try:
        store = BookmarkStore.open(services.data_dir)
    except BookmarkError as e:  # StoreTooNew included
        window.add_startup_notice(
            "Bookmarks are not available",
            f"Your bookmarks cannot be opened: {e.message}. Archive Viewer runs without bookmarks this time; "
            "the bookmarks file is left as it was.", e.details or str(services.data_dir / STORE_NAME))
        return
    services.store = store
    services.controller = BookmarksController(store)
    if store.recovery is not None:
        window.add_startup_notice("Your bookmarks were repaired", store.recovery.message,
                                  str(store.recovery.damaged_path))
    elif store.backup_warning or store.repaired:
        window.statusBar().showMessage(store.repaired or store.backup_warning, 15000)
    window.set_bookmarks(services.controller)


class _BookmarksFactory:
    """Makes the Bookmarks panel when its dock is first shown."""

    def __init__(self, controller, runner):
        self._controller = controller
        self._runner = runner

    def __call__(self):
        from PySide6.QtGui import QKeySequence

        from viewer.ui.panels.bookmarks_panel import BookmarksPanel

        panel = BookmarksPanel(self._controller, runner=self._runner)
        panel.setObjectName("bookmarksPanel")
        # Edit > Undo / Redo of the window own Ctrl+Z and Ctrl+Shift+Z (the same undo stack); a
        # second action with those keys would make them ambiguous while the panel has the focus.
        for action in (panel.undo_action, panel.redo_action):
            action.setShortcut(QKeySequence())
        return panel


def _make_statistics_panel():
    from viewer.ui.panels.statistics_panel import StatisticsPanel

    return StatisticsPanel()


def run_gui(archive_path: str | None, data_dir: str | None = None) -> int:
    """Open the main window on ``archive_path`` (else the last archive, else the user's own archive,
    else the bundled one) and run until the window closes. ``data_dir``: the folder of the user's
    bookmarks and own archive (default: ``$ARCHIVE_VIEWER_DATA_DIR``, else the platform's). Returns
    the process exit code."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from viewer.ui.widgets.icons import app_icon

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(DISPLAY_NAME)
    app.setDesktopFileName(APPLICATION)
    app.setWindowIcon(app_icon())
    services = build(data_dir)
    window = services.window
    previous_hook = sys.excepthook
    sys.excepthook = _BugReporter(window, previous_hook)
    window.show()
    window.open_initial(archive_path)
    QTimer.singleShot(0, window.show_startup_notices)
    try:
        code = app.exec()
    finally:
        services.close()
        sys.excepthook = previous_hook
    return code


class _BugReporter:
    """An exception nobody caught (a bug) is printed as usual, written to the log in the data folder
    (``viewer.core.buglog``) and told to the user once, plainly, with the traceback behind the details
    button; the app keeps running."""

    def __init__(self, window, previous):
        self._window = window
        self._previous = previous
        self._told: set[str] = set()

    def __call__(self, kind, error, tb) -> None:
        self._previous(kind, error, tb)
        if issubclass(kind, KeyboardInterrupt):
            return
        from viewer.ui.dialogs.error_dialog import BUG_TITLE, describe

        key = f"{kind.__name__}: {error}"
        if key in self._told:
            return
        self._told.add(key)
        if error.__traceback__ is None:
            error = error.with_traceback(tb)
        try:
            message, details = describe(error, getattr(self._window, "data_dir", None))
            self._window.show_error(BUG_TITLE, message, details)
        except Exception:  # noqa: BLE001 - never let the reporter itself fail loudly
            pass
