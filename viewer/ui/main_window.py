"""The main window: the reader in the centre, panels in docks, menus, shortcuts, state.

The window is built by ``viewer.app``, which makes the reader and every panel (in one place) and gives them
to it. What the window leaves to others:

- the panels: each implements ``viewer.ui.panels.panel.Panel`` and is plugged in the same way by
  ``add_panel`` (its dock, View menu item and lazy making: ``viewer.ui.docks``): the panel connects its
  signals to the ``PanelLinks`` the window gives it and offers what only it can do (Find, selecting a
  speaker, exporting bookmarks);
- the archive that is open, opening another, closing it and the recent ones: ``viewer.core.session``;
- File > Import… and reports dropped on the window: ``viewer.ui.import_controller``;
- corrections of who said what (``set_corrections``): ``viewer.ui.speaker_corrections``;
- Tab order and View > Go to (Alt+1 … Alt+8): ``viewer.ui.focus``;
- the citation template of every "Copy with citation" and Edit > Citation template…: one
  ``viewer.ui.citation_template.CitationTemplate``.

Bookmarks plug in with ``set_bookmarks(controller)``: Ctrl+D ("Bookmark…": the search result under the
cursor, else the reader's selection or quote), Edit > Undo / Redo, the bookmarked words drawn in the reader,
File > Export bookmarks…. File > Check archive… runs the full health check on a private copy.

Why this module is a little over 600 lines: what is left after the concerns above went to their own modules
is the window's own wiring: the panels plugged in, the session's archive shown (open, close, the recent
menu, errors), the hooks of bookmarks, corrections and imports, drops, the state saved and restored; each is a
few short methods over the same docks and menus.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QLineEdit,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from viewer.core.archive import Archive
from viewer.core.datadir import data_dir as resolve_data_dir
from viewer.core.db import QueryInterrupted, QueryTimeout
from viewer.core.records import ArchiveSummary, Document
from viewer.core.session import ArchiveSession
from viewer.ui import focus, settings, window_menus
from viewer.ui.archive_check import ArchiveCheck
from viewer.ui.archive_status import APP_NAME, ArchiveStatus
from viewer.ui.citation_template import CitationTemplate
from viewer.ui.docks import DockedPanel, PanelDocks
from viewer.ui.import_controller import IMPORT, ImportController
from viewer.ui.panels.panel import Panel, PanelLinks, SearchTarget
from viewer.ui.panels.reader_panel import ReaderPanel
from viewer.ui.speaker_corrections import SpeakerCorrections
from viewer.ui.widgets.accessible import name_parts, tab_between_cells
from viewer.ui.widgets.empty_state import EmptyStateWidget
from viewer.ui.widgets.icons import app_icon
from viewer.ui.workers import TaskRunner

# Dialogs are imported when first shown: nothing at start-up that the first window does not need.

ARCHIVE_FILTER = "Archives (*.db *.sqlite *.sqlite3 *.archive);;All files (*)"
BOOKMARKS_DOCK = "bookmarksDock"  # File > Export bookmarks… shows it


class MainWindow(QMainWindow):
    """The application window, around ``reader`` (the panel in the centre).

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

    def __init__(
        self,
        reader: ReaderPanel,
        parent: QWidget | None = None,
        runner: TaskRunner | None = None,
        data_dir: str | Path | None = None,
        session: ArchiveSession | None = None,
        templates: CitationTemplate | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.setAccessibleName(APP_NAME)
        self.icon = app_icon()
        self.setWindowIcon(self.icon)
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)
        self.runner = runner if runner is not None else TaskRunner(self)  # shared with the panels
        self.data_dir = resolve_data_dir(data_dir)
        self.session = session if session is not None else ArchiveSession(self.data_dir, settings.SettingsHistory())
        self.session.add_listener(self._on_session_archive_changed)
        self.templates = templates if templates is not None else CitationTemplate(self.data_dir)
        self.bookmarks = None  # the BookmarksController, once set_bookmarks gives one
        self.bookmark_actions = None  # the window's side of them (viewer.ui.bookmark_actions)
        self.corrections = None  # the CorrectionsController, once set_corrections gives one
        self.speaker_corrections = SpeakerCorrections(self)  # the window's side of them
        self._search: tuple[DockedPanel, SearchTarget] | None = None  # the panel that took Find
        self._speaker_selection: list[tuple[DockedPanel, object]] = []  # (panel, its select_speaker)
        self._export_bookmarks = None  # the bookmarks panel's export dialog, once it is made
        self._notices: list[tuple[str, str, str]] = []
        self._error_reported = False
        self._closed = False
        self.last_error_dialog = None  # the ErrorDialog on screen, if any

        self.reader = reader
        reader.speaker_requested.connect(self.speaker_corrections.open_dialog)
        reader.set_template_source(self.templates.text)
        reader.view.setTabChangesFocus(True)  # Tab leaves the reader (it holds no text to type in)
        reader.document_changed.connect(self._on_reader_document_changed)
        reader.speaker_clicked.connect(self._on_reader_speaker_clicked)
        reader.archive_error.connect(self._on_panel_archive_error)
        reader.status_message.connect(self._on_status_message)
        self.empty = EmptyStateWidget(self.icon, self)
        self.empty.open_requested.connect(self.choose_archive)
        self.empty.recent_requested.connect(self._on_recent_requested)
        self.central = QStackedWidget(self)
        self.central.setObjectName("centralStack")
        self.central.addWidget(self.empty)
        self.central.addWidget(reader)
        self.setCentralWidget(self.central)

        self.archive_status = ArchiveStatus(self, self.runner)  # the status bar's labels and the title
        self.archive_status.summary_ready.connect(self.summary_ready)
        self.archive_status.summary_failed.connect(self._on_panel_archive_error)

        self.imports = ImportController(self, self.runner, self.data_dir, self._archive_path)
        self.imports.imported.connect(self._on_imported)
        self.imports.document_requested.connect(reader.show_document)
        self.imports.status_message.connect(self._on_status_message)
        self.imports.refused.connect(self._on_import_refused)
        self.check = ArchiveCheck(self)
        window_menus.build_actions(self)
        window_menus.build_menus(self)
        # rebuilt as it opens, never while one of its actions is running
        self.recent_menu.aboutToShow.connect(self._on_recent_menu_about_to_show)
        self.docks = PanelDocks(self, self.view_menu, self._panels_separator)
        self.docks.panel_made.connect(self._plug)
        self._show_empty("")
        self._update_recent_menu()

    @property
    def archive(self) -> Archive | None:
        """The archive open now (``session.archive``)."""
        return self.session.archive

    @property
    def summary(self) -> ArchiveSummary | None:
        """What the open archive holds, once read (off the UI thread, after it was opened)."""
        return self.archive_status.summary

    # ------------------------------------------------------------------ panels

    def add_panel(
        self,
        panel,
        title: str,
        object_name: str,
        area: Qt.DockWidgetArea = Qt.DockWidgetArea.LeftDockWidgetArea,
        *,
        visible: bool = True,
        tabify_with: str | None = None,
        tab_title: str | None = None,
    ) -> QDockWidget:
        """Put ``panel`` (a ``Panel``, or a function that makes one when its dock is first shown) in a dock
        named ``object_name`` and plug it in: its ``connect_window`` gets the window's links, and from then on
        it gets the archive, the reader's document and the window's state (see ``viewer.ui.docks`` for the
        other arguments)."""
        if isinstance(panel, QWidget):
            _check_panel(panel)
        item = self.docks.add(
            panel, title, object_name, area, visible=visible, tabify_with=tabify_with, tab_title=tab_title
        )
        for target in (object_name, "searchResults" if object_name == "searchDock" else ""):
            if target in self._go_to:
                self._go_to[target].setVisible(True)
        return item.dock

    @Slot(object)
    def _plug(self, item: DockedPanel) -> None:
        """Wire a (made) panel the way every panel is, and give it the open archive."""
        panel = _check_panel(item.panel)
        panel.connect_window(self._links(item))
        for edit in panel.findChildren(QLineEdit):
            edit.setAcceptDrops(False)  # a dropped file goes to the window (an archive or reports to import)
        if self.archive is not None:
            panel.set_archive(self.archive)
            panel.set_current_document(self.reader.current_document())
        if self.docks.restored:
            panel.restore_settings()
            self.restoreDockWidget(item.dock)
        for view in panel.findChildren(QAbstractItemView):
            if not isinstance(view, QHeaderView):
                tab_between_cells(view, self)  # Tab leaves a table; Ctrl+Tab goes to its next cell
        name_parts(panel)

    def _links(self, item: DockedPanel) -> PanelLinks:
        reader = self.reader
        return PanelLinks(
            show_passage=reader.show_passage,
            show_search_hit=reader.show_search_hit,
            set_search_highlight=reader.set_search_highlight,
            show_quote=reader.show_quote,
            show_document=reader.show_document,
            set_speaker_highlight=reader.set_speaker_highlight,
            list_speaker=self._on_speaker_listing_requested,
            report_archive_error=self._on_panel_archive_error,
            show_status=self._on_status_message,
            bookmark_hit=self._on_panel_bookmark_requested,
            request_speaker=self.speaker_corrections.open_dialog,
            set_attribution=self.speaker_corrections.set_attribution,
            apply_corrections=self.speaker_corrections.apply_corrections,
            offer_search=partial(self._take_search, item),
            offer_speaker_selection=partial(self._take_speaker_selection, item),
            offer_bookmarks_export=self._take_bookmarks_export,
        )

    def _take_search(self, item: DockedPanel, target: SearchTarget) -> None:
        """The first panel that offers it takes Ctrl+F (its dock shown and raised first), F3 and Shift+F3. The
        window's actions keep the keys (shown in the menu and in F1's list); the panel's own shortcuts for the
        same keys are switched off, so no key is ambiguous."""
        if self._search is not None:
            return
        self._search = (item, target)
        self.find_action.triggered.connect(self._on_find_triggered)
        self.find_next_action.triggered.connect(target.next_hit)
        self.find_previous_action.triggered.connect(target.previous_hit)
        for action in (self.find_action, self.find_next_action, self.find_previous_action):
            action.setEnabled(True)
            for shortcut in item.panel.findChildren(QShortcut):
                if shortcut.key() == action.shortcut():
                    shortcut.setEnabled(False)

    def _take_speaker_selection(self, item: DockedPanel, select) -> None:
        self._speaker_selection.append((item, select))

    def _take_bookmarks_export(self, open_dialog) -> None:
        self._export_bookmarks = open_dialog

    def _search_of(self, panel: QWidget | None) -> SearchTarget | None:
        """The search ``panel`` offers, if it is the panel that took Find."""
        return self._search[1] if self._search is not None and self._search[0].panel is panel else None

    @Slot(int)
    def _on_speaker_listing_requested(self, speaker_id: int) -> None:
        """Everything a speaker said, listed by the panel that took Find (shown and raised)."""
        if self._search is not None:
            item, target = self._search
            self.docks.show(item)
            target.list_speaker(speaker_id)

    @Slot()
    def _on_find_triggered(self) -> None:
        if self._search is not None:
            item, target = self._search
            self.docks.show(item)
            target.focus_query()

    def ensure_panel(self, object_name: str) -> QWidget | None:
        """The panel of dock ``object_name``, made now if it was waiting to be shown; its dock is shown and
        brought to the front."""
        return self.docks.ensure(object_name)

    def dock(self, object_name: str) -> QDockWidget | None:
        return self.docks.dock(object_name)

    def panel(self, object_name: str) -> QWidget | None:
        """The panel in dock ``object_name`` as it is (a stand-in until a lazy panel is made)."""
        item = self.docks.find(object_name)
        return item.panel if item is not None else None

    def panels(self) -> list[QWidget]:
        return [p.panel for p in self.docks.items]

    @Slot()
    def reset_layout(self) -> None:
        """Every dock back in its first area, shown as first added, not floating."""
        self.docks.reset_layout()

    # ------------------------------------------------------------------ keyboard

    def focus_panel(self, target: str, _checked: bool = False) -> QWidget | None:
        """Put the cursor in a panel (View > Go to): a dock's object name, "reader" or "searchResults";
        the dock is shown and brought to the front first. Returns the widget that has the focus."""
        if target == "reader":
            widget = self.reader.view if self.central.currentWidget() is self.reader else self.central.currentWidget()
        else:
            panel = self.ensure_panel("searchDock" if target == "searchResults" else target)
            if panel is None:
                return None
            search = self._search_of(panel)
            if search is not None:
                if target != "searchResults" or not search.focus_results():
                    search.focus_query()
                return QApplication.focusWidget()
            widget = focus.first_focusable(panel)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return widget

    def _tab_sequence(self) -> list[QWidget]:
        """The controls Tab goes through now, in ``focus.FOCUS_ORDER``: shown, enabled, and not in a panel that
        is closed, not made yet or behind another tab."""
        out = []
        for name in focus.FOCUS_ORDER:
            if name == "reader":
                out += focus.stops(self.central.currentWidget(), None)
            elif (item := self.docks.find(name)) is not None and self.docks.in_front(item):
                out += focus.stops(item.panel, item.panel.tab_order())
        return out

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002 - Qt's name
        """Tab / Shift+Tab: the next or previous control of ``_tab_sequence``, round the window."""
        sequence = self._tab_sequence()
        if not sequence:
            return super().focusNextPrevChild(next)
        reason = Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason
        focus.next_stop(sequence, QApplication.focusWidget(), next).setFocus(reason)
        return True

    # ------------------------------------------------------------------ opening and closing archives

    def open_initial(self, path: str | Path | None = None) -> bool:
        """At start-up: ``path`` if given, else the last archive if it still exists, else the user's own
        archive if an import made one, else the bundled one (``ArchiveSession.start_path``).
        A failure leaves the window empty with the message and an "Open archive…" button."""
        return self.open_archive(self.session.start_path(path), startup=True)

    def open_archive(self, path: str | Path, *, startup: bool = False) -> bool:
        """Open ``path`` (also the archive open now, afresh, after an import or a correction wrote to it). On
        failure the message is shown (at start-up in the window, otherwise in a dialog with the details behind
        a button) and the archive already open stays open."""
        path = Path(path).expanduser()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            archive = self.session.open_file(path)
        except Exception as e:  # noqa: BLE001 - a bug too is reported (as one, with its log), and the window stays
            QGuiApplication.restoreOverrideCursor()
            self._report_open_error(e, startup, path)
            return False
        QGuiApplication.restoreOverrideCursor()
        same_as_last = self.session.use(archive)
        self._update_recent_menu()
        slug = settings.get_str(settings.READER_LAST_DOCUMENT) if same_as_last else None
        self.reader.show_first_document(slug or None)
        self.archive_opened.emit(archive)
        return True

    @Slot()
    def close_archive(self) -> None:
        if self.archive is None:
            return
        self.session.close()
        self._show_empty("")
        self.archive_closed.emit()

    def _archive_path(self) -> Path | None:
        return self.archive.path if self.archive is not None else None

    def _on_session_archive_changed(self, archive: Archive | None) -> None:
        """Another archive is open (or none): every panel takes it, before the old one is closed."""
        self._error_reported = False
        self.reader.set_archive(archive)
        if self.bookmarks is not None:
            self.bookmarks.set_archive(archive)  # before the panels: they show its resolutions
        for item in self.docks.items:
            if item.made:
                item.panel.set_archive(archive)
        self.close_archive_action.setEnabled(archive is not None)
        self.check_action.setEnabled(archive is not None and not self.check.is_running())
        self.archive_status.set_archive(archive)
        if archive is not None:
            self.central.setCurrentWidget(self.reader)

    def _show_empty(self, message: str, details: str = "", failed: Path | None = None) -> None:
        self.empty.set_problem(message, details)
        # one click back to the archive the app opens by default, unless that is the one that failed
        fallback = self.session.default_path()
        offer = fallback.is_file() and (failed is None or fallback.resolve() != Path(failed).resolve())
        self.empty.set_fallback(
            str(fallback) if offer else "",
            "Open your own archive"
            if self.session.is_users_own(fallback)
            else "Open the archive that comes with the app",
        )
        self.empty.set_recent(self.session.recent())
        self.central.setCurrentWidget(self.empty)
        self.close_archive_action.setEnabled(False)
        self.check_action.setEnabled(False)

    @Slot()
    def check_archive(self) -> None:
        """File > Check archive… (``viewer.ui.archive_check``)."""
        if self.archive is not None:
            self.check.start(self.archive.path)

    def _report_open_error(self, error: BaseException, startup: bool, path: Path | None = None) -> None:
        from viewer.ui.dialogs.error_dialog import BUG_TITLE, describe, is_bug

        message, details = describe(error, self.data_dir)
        self.archive_failed.emit(error)
        if self.archive is None:
            self._show_empty(message, details, path)
        if startup:
            self.statusBar().showMessage(message, 10000)
            return
        self.show_error(BUG_TITLE if is_bug(error) else "The archive cannot be opened", message, details)

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
        paths = self.session.recent()
        self.recent_menu.setEnabled(bool(paths))
        if self.archive is None:
            self.empty.set_recent(paths)

    @Slot()
    def _on_recent_menu_about_to_show(self) -> None:
        window_menus.fill_recent_menu(
            self.recent_menu, self.session.recent(), self.open_archive, self._on_clear_recent_triggered
        )

    @Slot()
    def _on_clear_recent_triggered(self) -> None:
        self.session.clear_recent()
        self._update_recent_menu()

    # ------------------------------------------------------------------ errors, status

    @Slot(object)
    def _on_panel_archive_error(self, error: BaseException) -> None:
        if isinstance(error, QueryInterrupted):
            return
        if isinstance(error, QueryTimeout):
            self.statusBar().showMessage(error.message, 10000)
            return
        from viewer.ui.dialogs.error_dialog import BUG_TITLE, describe, is_bug

        message, details = describe(error, self.data_dir)
        self.statusBar().showMessage(message, 15000)
        if self._error_reported or self._closed:
            return  # one dialog per archive is enough; the status bar repeats the message
        self._error_reported = True
        self.show_error(BUG_TITLE if is_bug(error) else "The archive cannot be read", message, details)

    @Slot(str)
    def _on_status_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    # ------------------------------------------------------------------ reader links

    @Slot(object)
    def _on_reader_document_changed(self, document: Document | None) -> None:
        self.archive_status.set_document(document)
        if document is not None:
            settings.set_value(settings.READER_LAST_DOCUMENT, document.slug)
        for item in self.docks.items:
            if item.made:
                item.panel.set_current_document(document)

    @Slot(int)
    def _on_reader_speaker_clicked(self, speaker_id: int) -> None:
        for item, select in self._speaker_selection:
            self.docks.show(item)
            select(speaker_id)

    # ------------------------------------------------------------------ dialogs (viewer.ui.window_menus)

    @Slot()
    def show_about(self):
        return window_menus.show_about(self)

    @Slot()
    def show_help(self):
        return window_menus.show_help(self)

    @Slot()
    def edit_citation_template(self):
        return window_menus.edit_citation_template(self)

    # ------------------------------------------------------------------ bookmarks

    def set_bookmarks(self, controller) -> None:
        """Plug in the bookmarks (a ``BookmarksController``): Ctrl+D and the reader's "Bookmark…",
        Edit > Undo / Redo of bookmark changes, the bookmarked words drawn in the reader in their
        colour (``viewer.ui.bookmark_actions``), File > Export bookmarks…."""
        from viewer.ui.bookmark_actions import BookmarkActions

        self.bookmarks = controller
        controller.set_archive(self.archive)
        self.bookmark_actions = BookmarkActions(self, controller)
        self.undo_action, self.redo_action = self.bookmark_actions.undo_action, self.bookmark_actions.redo_action
        for action in (self.undo_action, self.redo_action):
            self.addAction(action)
            self.edit_menu.insertAction(self._undo_separator, action)
        self.bookmark_action.setEnabled(True)
        self.export_bookmarks_action.setEnabled(True)

    @Slot()
    def bookmark_here(self) -> None:
        """Ctrl+D (``BookmarkActions.bookmark_here``)."""
        if self.bookmark_actions is not None:
            item, search = self._search if self._search is not None else (None, None)
            self.bookmark_actions.bookmark_here(item.panel if item is not None else None, search)

    @Slot(object)
    def _on_panel_bookmark_requested(self, hit) -> None:
        if self.bookmark_actions is not None:
            self.bookmark_actions.add_search_hit(hit)

    @Slot()
    def export_bookmarks(self) -> None:
        """File > Export bookmarks…: the Bookmarks panel's export dialog (the panel is shown)."""
        self.ensure_panel(BOOKMARKS_DOCK)
        if self._export_bookmarks is not None:
            self._export_bookmarks()

    # ------------------------------------------------------------------ corrections of who said what

    def set_corrections(self, controller) -> None:
        """Plug in the corrections (a ``CorrectionsController``): the reader's "Set speaker…" (Edit menu,
        Ctrl+Shift+S, context menu) and the panels' requests (``viewer.ui.speaker_corrections``)."""
        self.corrections = controller
        self.speaker_corrections.set_controller(controller)
        self.edit_menu.insertAction(self._after_bookmark_separator, self.reader.set_speaker_action)

    # ------------------------------------------------------------------ import, drag and drop

    @Slot(object)
    def _on_imported(self, report) -> None:
        # A fresh Archive: the connection open now may read a private copy that cannot see the new rows.
        if self.open_archive(report.archive):
            self.statusBar().showMessage(report.summary(), 10000)
            if report.first_document_id is not None:
                self.reader.show_document(report.first_document_id)  # what was just imported
            if self.corrections is not None:  # a re-imported document gets the user's corrections again
                self.corrections.apply_stored(report.archive, quiet=True)

    @Slot(str, str)
    def _on_import_refused(self, message: str, details: str) -> None:
        self.show_error("Nothing was imported", message, details)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if ImportController.dropped(event.mimeData())[0]:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        what, paths = ImportController.dropped(event.mimeData())
        if not what:
            event.ignore()
            return
        event.acceptProposedAction()
        if what == IMPORT:
            # after the drop has finished: the import dialog is modal
            QTimer.singleShot(0, partial(self.imports.import_files, [Path(p) for p in paths]))
        else:
            self.open_archive(paths[0])

    # ------------------------------------------------------------------ notices at start-up

    def add_startup_notice(self, title: str, message: str, details: str = "") -> None:
        """A message to show once the window is on screen (``show_startup_notices``)."""
        self._notices.append((title, message, details))

    def show_startup_notices(self) -> None:
        """Show the messages kept for start-up (a repaired bookmarks file, bookmarks unavailable)."""
        notices, self._notices = self._notices, []
        for title, message, details in notices:
            self.statusBar().showMessage(message, 15000)
            self.show_error(title, message, details)

    # ------------------------------------------------------------------ state

    def sizeHint(self) -> QSize:
        return QSize(1280, 800)

    def showEvent(self, event) -> None:
        if not self.docks.restored:
            self.restore_state()
        super().showEvent(event)

    def restore_state(self) -> None:
        """Geometry, dock layout and panel settings from the last session (once, before first shown)."""
        self.docks.restore_state()

    def save_state(self) -> None:
        self.docks.save_state()

    def shutdown(self) -> None:
        """Stop every worker and close the archive (the window is going away)."""
        if self._closed:
            return
        self._closed = self.docks.closed = True
        self.session.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.docks.restored:
            self.save_state()
        self.shutdown()
        super().closeEvent(event)


def _check_panel(panel: QWidget) -> Panel:
    if not isinstance(panel, Panel):
        raise TypeError(f"{type(panel).__name__} does not implement viewer.ui.panels.panel.Panel")
    return panel
