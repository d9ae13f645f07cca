"""The main window: the reader in the centre, panels in docks, menus, shortcuts, state.

Panels plug in with ``add_panel(panel, title, object_name, area)``: the window wraps the panel in
a dock, lists it in the View menu, includes it in "Reset layout" and in the saved layout, calls
``panel.set_archive(archive)`` when an archive is opened or closed, and connects the panel's
signals where it has them:

- ``passage_requested(int, object)`` -> ``reader.show_passage(passage_id, highlights)``
- ``quote_requested(int)`` -> ``reader.show_quote(quote_id)``
- ``document_requested(int)`` -> ``reader.show_document(document_id)``
- ``speaker_highlighted(object)`` -> ``reader.set_speaker_highlight(speaker_id or None)``
- ``archive_error(object)`` -> the window reports the error once (details behind a button)
- ``status_message(str)`` -> the status bar

and calls these methods where the panel has them: ``set_current_document(document)`` when the
reader shows another document, ``select_speaker(speaker_id)`` when a speaker is clicked in the
reader's margin, ``save_settings()`` / ``restore_settings()`` with the window's state, and
``attach_to_window(window)`` once (for anything else a panel wants of the window: its ``menus``,
``reader``, actions). A panel with ``focus_query()`` takes Edit > Find (Ctrl+F); with ``next_hit()``
and ``previous_hit()`` it takes Find next / previous (F3, Shift+F3). These wait, disabled, until
a search panel is added.

``panel`` may also be a function that makes the panel; it is then made when its dock is first
shown, so that a heavy module (QtCharts) is not imported at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication, QKeySequence,
                           QShortcut)
from PySide6.QtWidgets import QDockWidget, QFileDialog, QLabel, QMainWindow, QStackedWidget, QWidget

from viewer.core.archive import Archive, default_archive_path
from viewer.core.db import ArchiveError, QueryInterrupted, QueryTimeout
from viewer.core.records import ArchiveSummary, Document
from viewer.ui import settings
from viewer.ui.panels.documents_panel import DocumentsPanel
from viewer.ui.panels.reader_panel import ReaderPanel
from viewer.ui.panels.speakers_panel import SpeakersPanel
from viewer.ui.widgets.empty_state import EmptyStateWidget
from viewer.ui.widgets.icons import app_icon
from viewer.ui.widgets.text import action_text, count, tooltip
from viewer.ui.workers import TaskRunner

# Dialogs are imported when first shown: nothing at start-up that the first window does not need.

APP_NAME = "Archive Viewer"
ARCHIVE_FILTER = "Archives (*.db *.sqlite *.sqlite3 *.archive);;All files (*)"


@dataclass
class _Panel:
    panel: QWidget
    dock: QDockWidget
    area: Qt.DockWidgetArea
    visible: bool
    tabify_with: str | None
    factory: object = None  # for a panel made when its dock is first shown


class _PendingPanel(QWidget):
    """Stands in a dock until its panel is made."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(f"{title} (opening)")


def _has_signal(obj: QWidget, name: str) -> bool:
    return isinstance(getattr(type(obj), name, None), Signal)


class MainWindow(QMainWindow):
    """The application window.

    Signals:
        archive_opened(object): an archive was opened (the Archive).
        archive_closed(): the archive was closed and none is open.
        archive_failed(object): opening an archive failed (the exception); the previous one stays open.
        summary_ready(object): the open archive's ArchiveSummary was read (for the status bar and About).
    """

    archive_opened = Signal(object)
    archive_closed = Signal()
    archive_failed = Signal(object)
    summary_ready = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.setAccessibleName(APP_NAME)
        self.icon = app_icon()
        self.setWindowIcon(self.icon)
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)
        self.archive: Archive | None = None
        self._worker_archive: Archive | None = None
        self._runner = TaskRunner(self)
        self._summary: ArchiveSummary | None = None
        self._panels: list[_Panel] = []
        self._restored = False
        self._error_reported = False
        self._closed = False
        self.last_error_dialog = None  # the ErrorDialog on screen, if any
        self._startup_message = ""

        self.reader = ReaderPanel(self)
        self.reader.document_changed.connect(self._on_reader_document_changed)
        self.reader.speaker_clicked.connect(self._on_reader_speaker_clicked)
        self.reader.archive_error.connect(self._on_panel_archive_error)
        self.reader.status_message.connect(self._on_status_message)
        self.empty = EmptyStateWidget(self.icon, self)
        self.empty.open_requested.connect(self.choose_archive)
        self.empty.recent_requested.connect(self._on_recent_requested)
        self.central = QStackedWidget(self)
        self.central.setObjectName("centralStack")
        self.central.addWidget(self.empty)
        self.central.addWidget(self.reader)
        self.setCentralWidget(self.central)

        self.archive_label = QLabel(self)
        self.archive_label.setObjectName("archiveLabel")
        self.archive_label.setTextFormat(Qt.TextFormat.PlainText)
        self.archive_label.setAccessibleName("Open archive")
        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("countsLabel")
        self.counts_label.setTextFormat(Qt.TextFormat.PlainText)
        self.counts_label.setAccessibleName("Archive contents")
        self.statusBar().addPermanentWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.archive_label)
        self.statusBar().setAccessibleName("Status bar")

        self._build_actions()
        self._build_menus()

        self.documents_panel = DocumentsPanel(self)
        self.speakers_panel = SpeakersPanel(self)
        self.add_panel(self.documents_panel, "Documents", "documentsDock", Qt.DockWidgetArea.LeftDockWidgetArea)
        self.add_panel(self.speakers_panel, "Speakers", "speakersDock", Qt.DockWidgetArea.LeftDockWidgetArea)
        self._show_empty("")
        self._update_recent_menu()

    # ------------------------------------------------------------------ actions and menus

    def _action(self, text: str, slot, shortcut=None, tip: str = "", name: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        if name:
            action.setObjectName(name)
        if slot is not None:
            action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.open_action = self._action("&Open archive…", self.choose_archive, QKeySequence("Ctrl+O"),
                                        "Open an archive file", "openAction")
        self.close_archive_action = self._action("&Close archive", self.close_archive, QKeySequence("Ctrl+W"),
                                                 "Close the open archive", "closeArchiveAction")
        self.quit_action = self._action("&Quit", self.close, QKeySequence("Ctrl+Q"), "Quit Archive Viewer",
                                        "quitAction")
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.find_action = self._action("&Find…", None, QKeySequence("Ctrl+F"),
                                        "Search the archive (with the search panel)", "findAction")
        self.find_next_action = self._action("Find &next", None, QKeySequence("F3"),
                                             "Go to the next search hit", "findNextAction")
        self.find_previous_action = self._action("Find &previous", None, QKeySequence("Shift+F3"),
                                                 "Go to the previous search hit", "findPreviousAction")
        for action in (self.find_action, self.find_next_action, self.find_previous_action):
            action.setEnabled(False)  # a search panel claims them in attach_to_window
        self.zoom_in_action = self._action("Zoom &in", partial(self._zoom, 1), QKeySequence("Ctrl++"),
                                           "Larger text in the reader", "zoomInAction")
        self.zoom_in_action.setShortcuts([QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
        self.zoom_out_action = self._action("Zoom &out", partial(self._zoom, -1), QKeySequence("Ctrl+-"),
                                            "Smaller text in the reader", "zoomOutAction")
        self.zoom_reset_action = self._action("&Actual size", partial(self._zoom, 0), QKeySequence("Ctrl+0"),
                                              "The reader's usual text size", "zoomResetAction")
        self.reset_layout_action = self._action("&Reset layout", self.reset_layout, None,
                                                "Put every panel back where it started", "resetLayoutAction")
        self.help_action = self._action("Archive Viewer &help", self.show_help, QKeySequence("F1"),
                                        "How the window works and its keyboard shortcuts", "helpAction")
        self.about_action = self._action("&About Archive Viewer", self.show_about, None,
                                         "Version, archive format and what the open archive holds", "aboutAction")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.file_menu.addAction(self.open_action)
        self.recent_menu = self.file_menu.addMenu("Open &recent")
        self.recent_menu.setObjectName("recentMenu")
        # rebuilt as it opens, never while one of its actions is running
        self.recent_menu.aboutToShow.connect(self._on_recent_menu_about_to_show)
        self.file_menu.addAction(self.close_archive_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)

        self.edit_menu = bar.addMenu("&Edit")
        self.edit_menu.addAction(self.reader.copy_action)
        self.edit_menu.addAction(self.reader.cite_action)
        self.edit_menu.addAction(self.reader.select_all_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.find_action)
        self.edit_menu.addAction(self.find_next_action)
        self.edit_menu.addAction(self.find_previous_action)

        self.view_menu = bar.addMenu("&View")
        self._panels_separator = self.view_menu.addSeparator()
        self.view_menu.addAction(self.zoom_in_action)
        self.view_menu.addAction(self.zoom_out_action)
        self.view_menu.addAction(self.zoom_reset_action)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.reset_layout_action)

        self.help_menu = bar.addMenu("&Help")
        self.help_menu.addAction(self.help_action)
        self.help_menu.addSeparator()
        self.help_menu.addAction(self.about_action)
        self.menus = {"file": self.file_menu, "edit": self.edit_menu, "view": self.view_menu, "help": self.help_menu}

    def all_actions(self) -> list[QAction]:
        """Every action of the window and its panels (for the help dialog's shortcut table)."""
        seen, out = set(), []
        for menu in self.menus.values():
            for action in menu.actions():
                if action.menu() is None and not action.isSeparator() and id(action) not in seen:
                    seen.add(id(action))
                    out.append(action)
        return out

    # ------------------------------------------------------------------ panels

    def add_panel(self, panel, title: str, object_name: str,
                  area: Qt.DockWidgetArea = Qt.DockWidgetArea.LeftDockWidgetArea, *, visible: bool = True,
                  tabify_with: str | None = None) -> QDockWidget:
        """Wrap ``panel`` in a dock named ``object_name`` and plug it in (see the module docstring).

        ``panel`` is a QWidget, or a function that makes one: then the panel is made (and its module
        imported) only when its dock is first shown, so a heavy panel (charts) costs nothing at
        start-up while it is closed or behind another tab. ``tabify_with``: the object name of a dock
        to share a tabbed area with."""
        lazy = callable(panel) and not isinstance(panel, QWidget)
        widget = _PendingPanel(title, self) if lazy else panel
        dock = QDockWidget(title, self)
        dock.setObjectName(object_name)
        dock.setAccessibleName(f"{title} panel")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        if tabify_with is not None and (other := self.dock(tabify_with)) is not None:
            self.tabifyDockWidget(other, dock)
            other.raise_()  # the first of a tab group stays in front
        dock.setVisible(visible)
        toggle = dock.toggleViewAction()
        toggle.setText(title)
        toggle.setStatusTip(f"Show or hide the {title} panel")
        self.view_menu.insertAction(self._panels_separator, toggle)
        info = _Panel(widget, dock, area, visible, tabify_with, panel if lazy else None)
        self._panels.append(info)
        if lazy:
            dock.visibilityChanged.connect(partial(self._on_lazy_dock_visibility_changed, info))
            if self._restored and dock.isVisible():
                QTimer.singleShot(0, partial(self._make_panel, info))
        else:
            self._plug(info)
        return dock

    def _on_lazy_dock_visibility_changed(self, info: _Panel, visible: bool) -> None:
        if visible and info.factory is not None:
            # after the window has painted: the panel's module may take a moment to import
            QTimer.singleShot(0, partial(self._make_panel, info))

    def _make_panel(self, info: _Panel) -> None:
        if info.factory is None or self._closed:
            return
        factory, info.factory = info.factory, None
        placeholder = info.panel
        info.panel = factory()
        info.dock.setWidget(info.panel)
        placeholder.deleteLater()
        self._plug(info)

    def _plug(self, info: _Panel) -> None:
        """Connect a (made) panel to the reader and the window, and give it the open archive."""
        panel = info.panel
        routes = {
            "passage_requested": self.reader.show_passage,
            "quote_requested": self.reader.show_quote,
            "document_requested": self.reader.show_document,
            "speaker_highlighted": self.reader.set_speaker_highlight,
            "archive_error": self._on_panel_archive_error,
            "status_message": self._on_status_message,
        }
        for name, slot in routes.items():
            if _has_signal(panel, name):
                getattr(panel, name).connect(slot)
        self._claim_search_actions(panel)
        if self.archive is not None and hasattr(panel, "set_archive"):
            panel.set_archive(self.archive)
            if hasattr(panel, "set_current_document"):
                panel.set_current_document(self.reader.current_document())
        if self._restored:
            if hasattr(panel, "restore_settings"):
                panel.restore_settings()
            self.restoreDockWidget(info.dock)
        if hasattr(panel, "attach_to_window"):
            panel.attach_to_window(self)

    def _claim_search_actions(self, panel: QWidget) -> None:
        """A panel with ``focus_query`` takes Ctrl+F; with ``next_hit``/``previous_hit`` it takes
        Find next/previous (F3, Shift+F3). A panel that has its own shortcuts for those keys keeps
        them: the menu items then show no key, so no key is ambiguous."""
        own_keys = {sc.key().toString() for sc in panel.findChildren(QShortcut)}
        pairs = ((self.find_action, "focus_query"), (self.find_next_action, "next_hit"),
                 (self.find_previous_action, "previous_hit"))
        for action, method in pairs:
            if action.isEnabled() or not callable(getattr(panel, method, None)):
                continue
            action.triggered.connect(getattr(panel, method))
            action.setEnabled(True)
            if action.shortcut().toString() in own_keys:
                action.setShortcut(QKeySequence())

    def dock(self, object_name: str) -> QDockWidget | None:
        for p in self._panels:
            if p.dock.objectName() == object_name:
                return p.dock
        return None

    def panels(self) -> list[QWidget]:
        return [p.panel for p in self._panels]

    @Slot()
    def reset_layout(self) -> None:
        """Every dock back in its first area, shown as first added, not floating."""
        for p in self._panels:
            p.dock.setFloating(False)
            self.removeDockWidget(p.dock)
        for p in self._panels:
            self.addDockWidget(p.area, p.dock)
            if p.tabify_with is not None and (other := self.dock(p.tabify_with)) is not None:
                self.tabifyDockWidget(other, p.dock)
            p.dock.setVisible(p.visible)
        for p in self._panels:  # the first dock of each tab group in front, as when added
            if p.tabify_with is not None and (other := self.dock(p.tabify_with)) is not None:
                other.raise_()
        sides = {Qt.DockWidgetArea.LeftDockWidgetArea: 0.32, Qt.DockWidgetArea.RightDockWidgetArea: 0.26}
        for area, share in sides.items():
            docks = [p.dock for p in self._panels if p.visible and p.area == area and p.tabify_with is None]
            if not docks:
                continue
            self.resizeDocks(docks[:1], [max(280, int(self.width() * share))], Qt.Orientation.Horizontal)
            if len(docks) > 1:
                self.resizeDocks(docks, [d.widget().sizeHint().height() for d in docks], Qt.Orientation.Vertical)

    # ------------------------------------------------------------------ opening and closing archives

    def open_initial(self, path: str | Path | None = None) -> bool:
        """At start-up: ``path`` if given, else the last archive if it still exists, else the default.
        A failure leaves the window empty with the message and an "Open archive…" button."""
        last = settings.get_str(settings.ARCHIVE_LAST)
        if path is None:
            path = last if last and Path(last).is_file() else default_archive_path()
        return self.open_archive(path, startup=True)

    def open_archive(self, path: str | Path, *, startup: bool = False) -> bool:
        """Open ``path``. On failure the message is shown (at start-up in the window, otherwise in a
        dialog with the details behind a button) and the archive already open stays open."""
        path = Path(path).expanduser()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            archive = Archive(path)
        except Exception as e:  # noqa: BLE001 - every failure is reported, none escapes
            QGuiApplication.restoreOverrideCursor()
            self._report_open_error(e, startup)
            return False
        QGuiApplication.restoreOverrideCursor()
        same_as_last = str(archive.path) == settings.get_str(settings.ARCHIVE_LAST)
        self._switch_to(archive)
        settings.set_value(settings.ARCHIVE_LAST, str(archive.path))
        settings.add_recent_archive(str(archive.path))
        self._update_recent_menu()
        slug = settings.get_str(settings.READER_LAST_DOCUMENT) if same_as_last else None
        self.reader.show_first_document(slug or None)
        self.archive_opened.emit(archive)
        return True

    @Slot()
    def close_archive(self) -> None:
        if self.archive is None:
            return
        self._switch_to(None)
        settings.remove(settings.ARCHIVE_LAST)
        self._show_empty("")
        self.archive_closed.emit()

    def _switch_to(self, archive: Archive | None) -> None:
        old = self.archive
        self._runner.cancel("summary")
        self._runner.wait()
        if self._worker_archive is not None:
            self._worker_archive.close()
            self._worker_archive = None
        self.archive = archive
        self._summary = None
        self._error_reported = False
        self.reader.set_archive(archive)
        for p in self._panels:
            if hasattr(p.panel, "set_archive"):
                p.panel.set_archive(archive)
        if old is not None:
            old.close()
        self.close_archive_action.setEnabled(archive is not None)
        self.counts_label.clear()
        if archive is None:
            self.archive_label.clear()
            self._set_title(None)
            return
        self.central.setCurrentWidget(self.reader)
        self.archive_label.setText(archive.path.name)
        self.archive_label.setToolTip(tooltip(str(archive.path)))
        self._set_title(None)
        self._worker_archive = archive.clone()
        self._runner.submit("summary", self._worker_archive.summary, self._on_summary_done, self._on_summary_failed,
                            cancel=self._worker_archive.interrupt)

    def _show_empty(self, message: str, details: str = "") -> None:
        self.empty.set_problem(message, details)
        self.empty.set_recent([p for p in settings.recent_archives()])
        self.central.setCurrentWidget(self.empty)
        self.close_archive_action.setEnabled(False)

    def _report_open_error(self, error: BaseException, startup: bool) -> None:
        from viewer.ui.dialogs.error_dialog import describe

        message, details = describe(error)
        self.archive_failed.emit(error)
        if self.archive is None:
            self._show_empty(message, details)
        if startup:
            self.statusBar().showMessage(message, 10000)
            return
        self.show_error("The archive cannot be opened", message, details)

    def show_error(self, title: str, message: str, details: str = ""):
        """A plain message with the details behind a button (an ErrorDialog); does not block."""
        from viewer.ui.dialogs.error_dialog import ErrorDialog

        dialog = ErrorDialog(title, message, details, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.last_error_dialog = dialog
        dialog.destroyed.connect(self._on_error_dialog_destroyed)
        dialog.open()
        return dialog

    @Slot()
    def _on_error_dialog_destroyed(self) -> None:
        self.last_error_dialog = None

    @Slot()
    def choose_archive(self) -> None:
        start = str(self.archive.path.parent) if self.archive is not None else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "Open archive", start, ARCHIVE_FILTER)
        if path:
            self.open_archive(path)

    @Slot(str)
    def _on_recent_requested(self, path: str) -> None:
        self.open_archive(path)

    def _update_recent_menu(self) -> None:
        paths = settings.recent_archives()
        self.recent_menu.setEnabled(bool(paths))
        if self.archive is None:
            self.empty.set_recent(paths)

    @Slot()
    def _on_recent_menu_about_to_show(self) -> None:
        self.recent_menu.clear()
        paths = settings.recent_archives()
        for i, path in enumerate(paths, start=1):
            label = f"&{i} {action_text(Path(path).name)}" if i < 10 else action_text(Path(path).name)
            action = self.recent_menu.addAction(label)
            action.setStatusTip(path)
            action.setToolTip(tooltip(path))
            action.triggered.connect(partial(self.open_archive, path))
        if paths:
            self.recent_menu.addSeparator()
            clear = self.recent_menu.addAction("Clear the list")
            clear.setObjectName("clearRecentAction")
            clear.triggered.connect(self._on_clear_recent_triggered)

    @Slot()
    def _on_clear_recent_triggered(self) -> None:
        settings.clear_recent_archives()
        self._update_recent_menu()

    def _set_title(self, document: Document | None) -> None:
        parts = []
        if document is not None:
            parts.append(document.title)
        if self._summary is not None:
            parts.append(self._summary.title)
        elif self.archive is not None:
            parts.append(self.archive.path.name)
        parts.append(APP_NAME)
        # "[*]" in a window title is Qt's modified-marker placeholder; "[**]" shows it literally
        self.setWindowTitle(" — ".join(p.replace("[*]", "[**]") for p in parts))

    # ------------------------------------------------------------------ summary, errors, status

    @Slot(object)
    def _on_summary_done(self, summary: ArchiveSummary) -> None:
        self._summary = summary
        self.counts_label.setText(
            f"{count(summary.documents, 'document')} ({summary.documents_with_text:,} with text) · "
            f"{count(summary.speakers, 'speaker')} · {count(summary.passages, 'passage')} · "
            f"{count(summary.quotes, 'quote')}")
        self._set_title(self.reader.current_document())
        self.summary_ready.emit(summary)

    @Slot(object)
    def _on_summary_failed(self, error: BaseException) -> None:
        self._on_panel_archive_error(error)

    @Slot(object)
    def _on_panel_archive_error(self, error: BaseException) -> None:
        if isinstance(error, QueryInterrupted):
            return
        if isinstance(error, QueryTimeout):
            self.statusBar().showMessage(error.message, 10000)
            return
        from viewer.ui.dialogs.error_dialog import describe

        message, details = describe(error)
        self.statusBar().showMessage(message, 15000)
        if self._error_reported or self._closed:
            return  # one dialog per archive is enough; the status bar repeats the message
        self._error_reported = True
        self.show_error("The archive cannot be read", message, details)

    @Slot(str)
    def _on_status_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    # ------------------------------------------------------------------ reader links

    @Slot(object)
    def _on_reader_document_changed(self, document: Document | None) -> None:
        self._set_title(document)
        if document is not None:
            settings.set_value(settings.READER_LAST_DOCUMENT, document.slug)
        for p in self._panels:
            if hasattr(p.panel, "set_current_document"):
                p.panel.set_current_document(document)

    @Slot(int)
    def _on_reader_speaker_clicked(self, speaker_id: int) -> None:
        for p in self._panels:
            if hasattr(p.panel, "select_speaker"):
                p.dock.show()
                p.dock.raise_()
                p.panel.select_speaker(speaker_id)

    def _zoom(self, step: int) -> None:
        self.reader.zoom(step)

    # ------------------------------------------------------------------ dialogs

    @Slot()
    def show_about(self):
        """Help > About (an AboutDialog); does not block."""
        from viewer.ui.dialogs.about_dialog import AboutDialog

        summary = self._summary
        error = ""
        if summary is None and self.archive is not None:
            try:
                summary = self.archive.summary()
            except ArchiveError as e:
                error = e.message
        dialog = AboutDialog(summary, self.icon, self, archive_error=error)
        dialog.open()
        return dialog

    @Slot()
    def show_help(self):
        """F1: the guide and the shortcuts (a HelpDialog); does not block."""
        from viewer.ui.dialogs.help_dialog import HelpDialog

        dialog = HelpDialog(self.all_actions(), self)
        dialog.open()
        return dialog

    # ------------------------------------------------------------------ drag and drop

    @staticmethod
    def _dropped_file(event) -> str | None:
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return None
        urls = mime.urls()
        if len(urls) != 1 or not urls[0].isLocalFile():
            return None
        return urls[0].toLocalFile()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_file(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if self._dropped_file(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_file(event)
        if not path:
            event.ignore()
            return
        event.acceptProposedAction()
        self.open_archive(path)

    # ------------------------------------------------------------------ state

    def sizeHint(self) -> QSize:
        return QSize(1280, 800)

    def showEvent(self, event) -> None:
        if not self._restored:
            self.restore_state()
        super().showEvent(event)

    def restore_state(self) -> None:
        """Geometry, dock layout and panel settings from the last session (once, before first shown)."""
        self._restored = True
        geometry = settings.get_bytes(settings.WINDOW_GEOMETRY)
        if geometry is None or not self.restoreGeometry(geometry):
            screen = QGuiApplication.primaryScreen()
            if screen is not None:
                avail = screen.availableGeometry()
                self.resize(min(1440, int(avail.width() * 0.94)), min(900, int(avail.height() * 0.92)))
            self.reset_layout()
        state = settings.get_bytes(settings.WINDOW_STATE)
        if state is not None and settings.get_int(settings.WINDOW_STATE_VERSION, 0) == settings.LAYOUT_VERSION:
            self.restoreState(state, settings.LAYOUT_VERSION)
        for p in self._panels:
            if hasattr(p.panel, "restore_settings"):
                p.panel.restore_settings()

    def save_state(self) -> None:
        settings.set_value(settings.WINDOW_GEOMETRY, self.saveGeometry())
        settings.set_value(settings.WINDOW_STATE, self.saveState(settings.LAYOUT_VERSION))
        settings.set_value(settings.WINDOW_STATE_VERSION, settings.LAYOUT_VERSION)
        for p in self._panels:
            if hasattr(p.panel, "save_settings"):
                p.panel.save_settings()

    def shutdown(self) -> None:
        """Stop every worker and close the archive (the window is going away)."""
        if self._closed:
            return
        self._closed = True
        self._switch_to(None)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._restored:
            self.save_state()
        self.shutdown()
        super().closeEvent(event)
