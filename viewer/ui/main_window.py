"""The main window: the reader in the centre, panels in docks, menus, shortcuts, state.

Panels plug in with ``add_panel(panel, title, object_name, area)``: the window wraps the panel in
a dock, lists it in the View menu, includes it in "Reset layout" and in the saved layout, calls
``panel.set_archive(archive)`` when an archive is opened or closed, and connects the panel's
signals where it has them:

- ``passage_requested(int, object)`` -> ``reader.show_passage(passage_id, highlights)``
- ``hit_requested(int, object)`` -> ``reader.show_search_hit(passage_id, highlights)`` (a search result)
- ``search_highlight_changed(object)`` -> ``reader.set_search_highlight(prepared query or None)``
- ``speaker_listing_requested(int)`` -> the search panel's ``list_speaker(speaker_id)`` (shown and raised)
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
and ``previous_hit()`` it takes Find next / previous (F3, Shift+F3; the window's keys, shown in the menu
and in F1's list). These wait, disabled, until a search panel is added.

Keyboard: Tab and Shift+Tab go round every panel in a fixed order (documents, speakers, search,
reader, bookmarks, statistics, unattributed quotes; a table is left with Tab, its rows are walked with the arrows and its
cells with Ctrl+Tab); within
a panel in the order of its ``tab_order()`` where it has one, else the order its controls were made in;
View > Go to (Alt+1 … Alt+8) puts the cursor in a panel, showing it first; a View menu item of a
panel behind another tab brings it to the front.

``panel`` may also be a function that makes the panel; it is then made when its dock is first
shown, so that a heavy module (QtCharts) is not imported at start-up.

A panel's ``bookmark_requested(object)`` (a search hit) goes to the bookmarks controller given with
``set_bookmarks(controller)``, which also gives the window Ctrl+D ("Bookmark…": the result under
the cursor in a panel with ``selected_hit()``, else the reader's selection or quote), Edit > Undo /
Redo, the bookmarked spans drawn in the reader and File > Export bookmarks…. File > Import… (and
dropping reports on the window) runs the import dialog; the bundled archive is never written: see
``viewer.core.importer.import_target``. The objects shared by the window and its panels (the
TaskRunner, the bookmark store and controller) are made once, in ``viewer.app``.

Corrections of who said what come with ``set_corrections(controller)`` (a ``CorrectionsController``):
the reader's "Set speaker…" (Ctrl+Shift+S, and its context menu) and a panel's
``speaker_requested(object, object)`` (Quote or None, Passage or None) open the Set speaker dialog; a
panel's ``attribution_requested(object)`` (a SpeakerRequest) and ``corrections_apply_requested()`` go to
the controller; when a correction is written the archive is opened again (every panel refreshes), the
bookmarks of those words follow it, and the reader shows the words.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

import shiboken6
from PySide6.QtCore import QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication, QKeySequence,
                           QShortcut)
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QApplication, QComboBox,
                               QDockWidget, QFileDialog, QGraphicsView, QHeaderView, QLabel, QLineEdit, QMainWindow,
                               QMessageBox, QPlainTextEdit, QStackedWidget, QTabBar, QTextEdit, QWidget)

from viewer.core.archive import Archive
from viewer.core.datadir import data_dir as resolve_data_dir
from viewer.core.datadir import default_archive
from viewer.core.db import ArchiveError, QueryInterrupted, QueryTimeout
from viewer.core.records import ArchiveSummary, Document
from viewer.ui import settings
from viewer.ui.panels.documents_panel import DocumentsPanel
from viewer.ui.panels.reader_panel import ReaderPanel
from viewer.ui.panels.speakers_panel import SpeakersPanel
from viewer.ui.widgets.accessible import name_parts, tab_between_cells
from viewer.ui.widgets.empty_state import EmptyStateWidget
from viewer.ui.widgets.icons import app_icon
from viewer.ui.widgets.text import action_text, count, tooltip
from viewer.ui.workers import TaskRunner

# Dialogs are imported when first shown: nothing at start-up that the first window does not need.

APP_NAME = "Archive Viewer"
ARCHIVE_FILTER = "Archives (*.db *.sqlite *.sqlite3 *.archive);;All files (*)"
BOOKMARKS_SPANS = "bookmarks"  # the reader's span provider key for bookmarked words


# Each side's first width: a share of the window's width less some pixels, at least and at most so many
# pixels. At 1024 pixels the reader keeps some 440; from 1440 the speakers show all their counts; on a
# large screen the panels stop growing and the reader takes the rest.
SIDE_WIDTHS = {Qt.DockWidgetArea.LeftDockWidgetArea: (0.34, 100, 230, 400),
               Qt.DockWidgetArea.RightDockWidgetArea: (0.30, 0, 290, 520)}


def first_size(available: QSize) -> QSize:
    """The window's size at its first start on a screen with ``available`` room: most of it, up to
    1440 x 900."""
    return QSize(min(1440, int(available.width() * 0.94)), min(900, int(available.height() * 0.92)))


# What Tab stops at, the order it goes round the window in, and the keys that put the cursor in a panel
# (View > Go to).
TAB_STOPS = (QAbstractButton, QLineEdit, QAbstractItemView, QTextEdit, QPlainTextEdit, QComboBox, QTabBar,
             QAbstractSpinBox, QGraphicsView)
FOCUS_ORDER = ("documentsDock", "speakersDock", "searchDock", "reader", "bookmarksDock", "statisticsDock",
               "unattributedDock")
GO_TO = (("documentsDock", "&Documents", "Alt+1"), ("speakersDock", "&Speakers", "Alt+2"),
         ("reader", "&Reader", "Alt+3"), ("searchDock", "Searc&h box", "Alt+4"),
         ("searchResults", "Search &results", "Alt+5"), ("bookmarksDock", "&Bookmarks", "Alt+6"),
         ("statisticsDock", "S&tatistics", "Alt+7"), ("unattributedDock", "&Unattributed quotes", "Alt+8"))


@dataclass
class _Panel:
    panel: QWidget
    dock: QDockWidget
    area: Qt.DockWidgetArea
    visible: bool
    tabify_with: str | None
    factory: object = None  # for a panel made when its dock is first shown
    view_action: QAction | None = None  # its View menu item


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

    def __init__(self, parent: QWidget | None = None, runner: TaskRunner | None = None,
                 data_dir: str | Path | None = None):
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
        self.runner = runner if runner is not None else TaskRunner(self)  # shared with the panels
        self.data_dir = resolve_data_dir(data_dir)
        self.bookmarks = None  # the BookmarksController, once set_bookmarks gives one
        self.corrections = None  # the CorrectionsController, once set_corrections gives one
        self.speaker_dialog = None  # the Set speaker dialog on screen, if any
        self.import_dialog = None  # the ImportDialog of the latest import
        self._notices: list[tuple[str, str, str]] = []
        self._find_panel: _Panel | None = None
        self._summary: ArchiveSummary | None = None
        self._panels: list[_Panel] = []
        self._restored = False
        self._error_reported = False
        self._closed = False
        self.last_error_dialog = None  # the ErrorDialog on screen, if any
        self.last_check_report = None  # the report of File > Check archive…
        self._startup_message = ""

        self.reader = ReaderPanel(self)
        self.reader.set_template_source(self.citation_template)
        self.reader.view.setTabChangesFocus(True)  # Tab leaves the reader (it holds no text to type in)
        self.reader.document_changed.connect(self._on_reader_document_changed)
        self.reader.speaker_clicked.connect(self._on_reader_speaker_clicked)
        self.reader.archive_error.connect(self._on_panel_archive_error)
        self.reader.status_message.connect(self._on_status_message)
        self.reader.context_menu_opened.connect(self._on_reader_context_menu_opened)
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
        self.import_action = self._action("&Import…", self.choose_import_files, QKeySequence("Ctrl+I"),
                                          "Add reports and transcripts (.txt, .md, .html, .mhtml, .docx, .pdf) to "
                                          "the archive", "importAction")
        self.import_folder_action = self._action("Import a &folder…", self.choose_import_folder,
                                                 QKeySequence("Ctrl+Shift+I"),
                                                 "Add every report and transcript in a folder and its subfolders",
                                                 "importFolderAction")
        self.check_action = self._action("C&heck archive…", self.check_archive, None,
                                         "Look for damage in the open archive (on a private copy; the file is not "
                                         "changed)", "checkArchiveAction")
        self.check_action.setEnabled(False)
        self.export_bookmarks_action = self._action("&Export bookmarks…", self.export_bookmarks, None,
                                                    "Write your bookmarks with their attribution to a file",
                                                    "exportBookmarksAction")
        self.bookmark_action = self._action("&Bookmark…", self.bookmark_here, QKeySequence("Ctrl+D"),
                                            "Bookmark the selection, the quote at the cursor or the search result",
                                            "bookmarkAction")
        self.citation_template_action = self._action("Citation &template…", self.edit_citation_template, None,
                                                     "How “Copy with citation” cites a quote",
                                                     "citationTemplateAction")
        for action in (self.export_bookmarks_action, self.bookmark_action):
            action.setEnabled(False)  # until set_bookmarks gives a controller
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
        self.file_menu.addAction(self.check_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.import_action)
        self.file_menu.addAction(self.import_folder_action)
        self.file_menu.addAction(self.export_bookmarks_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)

        self.edit_menu = bar.addMenu("&Edit")
        self._undo_separator = self.edit_menu.addSeparator()  # Undo and Redo go above it (set_bookmarks)
        self.edit_menu.addAction(self.reader.copy_action)
        self.edit_menu.addAction(self.reader.cite_action)
        self.edit_menu.addAction(self.reader.select_all_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.bookmark_action)
        self._after_bookmark_separator = self.edit_menu.addSeparator()  # "Set speaker…" goes above it
        self.edit_menu.addAction(self.find_action)
        self.edit_menu.addAction(self.find_next_action)
        self.edit_menu.addAction(self.find_previous_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.citation_template_action)

        self.view_menu = bar.addMenu("&View")
        self._panels_separator = self.view_menu.addSeparator()
        self.go_to_menu = self.view_menu.addMenu("&Go to")
        self.go_to_menu.setObjectName("goToMenu")
        self._go_to: dict[str, QAction] = {}  # a panel's item is shown once the panel is there (add_panel)
        for target, text, key in GO_TO:
            action = self._action(text, partial(self.focus_panel, target), QKeySequence(key),
                                  f"Put the cursor in the {text.replace('&', '')} panel",
                                  f"goTo{target[0].upper()}{target[1:]}Action")
            action.setVisible(target == "reader" or self.dock(target) is not None)
            self._go_to[target] = action
            self.go_to_menu.addAction(action)
        self.view_menu.addSeparator()
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
        """Every action of the window's menus (submenus too) and of its panels that has a key (for
        the help dialog's shortcut table)."""
        seen, out = set(), []

        def add(actions) -> None:
            for action in actions:
                # by the Qt object: a Python wrapper made for the moment may have the id of a freed one
                key = shiboken6.getCppPointer(action)[0]
                if action.isSeparator() or not action.isVisible() or key in seen:
                    continue
                seen.add(key)
                if action.menu() is not None:
                    add(action.menu().actions())
                else:
                    out.append(action)

        add(a for menu in self.menus.values() for a in menu.actions())
        for p in self._panels:
            add(a for a in p.panel.actions() if a.shortcuts())
        return out

    def panel_shortcuts(self) -> list[tuple[str, str]]:
        """(what it does, key) of the panels' own shortcuts that are not actions (for the help dialog)."""
        out = []
        for p in self._panels:
            for shortcut in p.panel.findChildren(QShortcut):
                if shortcut.isEnabled() and shortcut.whatsThis():
                    out.append((shortcut.whatsThis(), shortcut.key().toString(QKeySequence.SequenceFormat.NativeText)))
        return out

    # ------------------------------------------------------------------ panels

    def add_panel(self, panel, title: str, object_name: str,
                  area: Qt.DockWidgetArea = Qt.DockWidgetArea.LeftDockWidgetArea, *, visible: bool = True,
                  tabify_with: str | None = None, tab_title: str | None = None) -> QDockWidget:
        """Wrap ``panel`` in a dock named ``object_name`` and plug it in (see the module docstring).

        ``panel`` is a QWidget, or a function that makes one: then the panel is made (and its module
        imported) only when its dock is first shown, so a heavy panel (charts) costs nothing at
        start-up while it is closed or behind another tab. ``tabify_with``: the object name of a dock
        to share a tabbed area with; ``tab_title``: a shorter title for its tab and title bar (four tabs
        share a side panel 290 pixels wide on a laptop), the View menu keeping ``title``."""
        lazy = callable(panel) and not isinstance(panel, QWidget)
        widget = _PendingPanel(title, self) if lazy else panel
        dock = QDockWidget(tab_title or title, self)
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
        # not the dock's own toggle: a panel behind another tab is brought to the front, not hidden
        toggle = QAction(title, self)
        toggle.setObjectName(f"{object_name}ViewAction")
        toggle.setCheckable(True)
        toggle.setChecked(visible)
        toggle.setStatusTip(f"Show the {title} panel (in front of the others in its place), or hide it")
        self.view_menu.insertAction(self._panels_separator, toggle)
        for target in (object_name, "searchResults" if object_name == "searchDock" else ""):
            if target in self._go_to:
                self._go_to[target].setVisible(True)
        info = _Panel(widget, dock, area, visible, tabify_with, panel if lazy else None, toggle)
        toggle.triggered.connect(partial(self._on_view_action_triggered, info))
        dock.visibilityChanged.connect(partial(self._on_dock_visibility_changed, info))
        self._panels.append(info)
        if lazy:
            dock.visibilityChanged.connect(partial(self._on_lazy_dock_visibility_changed, info))
            if self._restored and dock.isVisible():
                QTimer.singleShot(0, partial(self._make_panel, info))
        else:
            self._plug(info)
        return dock

    def _on_view_action_triggered(self, info: _Panel, _checked: bool = False) -> None:
        """View > a panel: shown and in front if it was hidden or behind another tab; hidden if in front."""
        dock = info.dock
        if dock.isVisible() and not self._behind(dock):
            dock.hide()
        else:
            self.ensure_panel(dock.objectName())
        info.view_action.setChecked(dock.isVisible())

    def _behind(self, dock: QDockWidget) -> bool:
        """Shown, but behind another tab of its place."""
        return dock.isVisible() and not dock.isFloating() and dock.visibleRegion().isEmpty() \
            and any(other.isVisible() for other in self.tabifiedDockWidgets(dock))

    def _on_dock_visibility_changed(self, info: _Panel, _visible: bool) -> None:
        if info.view_action is not None:
            info.view_action.setChecked(info.dock.isVisible())

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
            "hit_requested": self.reader.show_search_hit,
            "search_highlight_changed": self.reader.set_search_highlight,
            "speaker_listing_requested": self._on_speaker_listing_requested,
            "quote_requested": self.reader.show_quote,
            "document_requested": self.reader.show_document,
            "speaker_highlighted": self.reader.set_speaker_highlight,
            "archive_error": self._on_panel_archive_error,
            "status_message": self._on_status_message,
        }
        for name, slot in routes.items():
            if _has_signal(panel, name):
                getattr(panel, name).connect(slot)
        for edit in panel.findChildren(QLineEdit):
            edit.setAcceptDrops(False)  # a dropped file goes to the window (an archive or reports to import)
        if _has_signal(panel, "bookmark_requested"):
            panel.bookmark_requested.connect(self._on_panel_bookmark_requested)
        corrections = {"speaker_requested": self.open_speaker_dialog, "attribution_requested": self.set_attribution,
                       "corrections_apply_requested": self.apply_corrections}
        for name, slot in corrections.items():
            if _has_signal(panel, name):
                getattr(panel, name).connect(slot)
        self._claim_search_actions(info)
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
        for view in panel.findChildren(QAbstractItemView):
            if not isinstance(view, QHeaderView):
                tab_between_cells(view, self)  # Tab leaves a table; Ctrl+Tab goes to its next cell
        name_parts(panel)

    def _claim_search_actions(self, info: _Panel) -> None:
        """A panel with ``focus_query`` takes Ctrl+F (its dock is shown and raised first); with
        ``next_hit``/``previous_hit`` it takes Find next/previous (F3, Shift+F3). The window's actions
        keep the keys (shown in the menu and in F1's list); the panel's own shortcuts for the same keys
        are switched off, so no key is ambiguous."""
        panel = info.panel
        pairs = ((self.find_action, "focus_query"), (self.find_next_action, "next_hit"),
                 (self.find_previous_action, "previous_hit"))
        for action, method in pairs:
            if action.isEnabled() or not callable(getattr(panel, method, None)):
                continue
            if method == "focus_query":
                self._find_panel = info
                action.triggered.connect(self._on_find_triggered)
            else:
                action.triggered.connect(getattr(panel, method))
            action.setEnabled(True)
            for shortcut in panel.findChildren(QShortcut):
                if shortcut.key() == action.shortcut():
                    shortcut.setEnabled(False)

    @Slot(int)
    def _on_speaker_listing_requested(self, speaker_id: int) -> None:
        """Everything a speaker said, listed by the search panel (a panel with ``list_speaker``)."""
        for p in self._panels:
            if callable(getattr(p.panel, "list_speaker", None)):
                p.dock.show()
                p.dock.raise_()
                p.panel.list_speaker(speaker_id)
                return

    @Slot()
    def _on_find_triggered(self) -> None:
        info = self._find_panel
        if info is None:
            return
        info.dock.show()
        info.dock.raise_()
        info.panel.focus_query()

    # ------------------------------------------------------------------ keyboard

    def focus_panel(self, target: str, _checked: bool = False) -> QWidget | None:
        """Put the cursor in a panel (View > Go to): a dock's object name, "reader" or "searchResults";
        the dock is shown and brought to the front first. Returns the widget that has the focus."""
        if target == "reader":
            widget = self.reader.view if self.central.currentWidget() is self.reader else self.central.currentWidget()
        else:
            name = "searchDock" if target == "searchResults" else target
            panel = self.ensure_panel(name)
            if panel is None:
                return None
            if target == "searchResults" and callable(getattr(panel, "focus_results", None)):
                if not panel.focus_results():
                    panel.focus_query()
                return QApplication.focusWidget()
            if callable(getattr(panel, "focus_query", None)):
                panel.focus_query()
                return QApplication.focusWidget()
            widget = self._first_focusable(panel)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return widget

    @staticmethod
    def _focusable(widget: QWidget) -> bool:
        """A control Tab stops at (not a label, a header or one of Qt's own parts)."""
        return isinstance(widget, TAB_STOPS) and not isinstance(widget, QHeaderView) \
            and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and not widget.objectName().startswith("qt_") \
            and not (widget.parent() is not None and widget.parent().objectName().startswith("qt_")
                     and not isinstance(widget, QTabBar))

    def _first_focusable(self, container: QWidget) -> QWidget | None:
        """The first widget of ``container`` that takes the focus, in its tab order, preferring a list."""
        chain = self._chain(container)
        shown = [w for w in chain if w.isVisible()] or chain
        views = [w for w in shown if isinstance(w, QAbstractItemView)]
        return (views or shown or [None])[0]

    def _chain(self, container: QWidget) -> list[QWidget]:
        """``container``'s controls in the order they were made (parents before their children), which is
        the order they are laid out in: the order Tab goes through a panel."""
        out = []
        for child in container.children():
            if isinstance(child, QWidget) and not child.isWindow():
                if self._focusable(child):
                    out.append(child)
                if not isinstance(child, (QAbstractItemView, QComboBox)):
                    out += self._chain(child)
        return out

    def _tab_sequence(self) -> list[QWidget]:
        """The controls Tab goes through now, in ``FOCUS_ORDER``: shown, enabled, and not in a panel that is
        closed, not made yet or behind another tab."""
        containers = []
        for name in FOCUS_ORDER:
            if name == "reader":
                if self.central.currentWidget() is self.reader:
                    containers.append(self.reader)
                else:
                    containers.append(self.central.currentWidget())
                continue
            p = next((p for p in self._panels if p.dock.objectName() == name), None)
            if p is not None and p.factory is None and p.dock.isVisible() and not self._behind(p.dock):
                containers.append(p.panel)
        out = []
        for c in containers:
            chain = c.tab_order() if callable(getattr(c, "tab_order", None)) else self._chain(c)
            out += [w for w in chain if w.isVisible() and w.isEnabled()]
        return out

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002 - Qt's name
        """Tab / Shift+Tab: the next or previous control of ``_tab_sequence``, round the window."""
        sequence = self._tab_sequence()
        current = QApplication.focusWidget()
        at = next_index = None
        for i, widget in enumerate(sequence):
            if current is not None and (widget is current or widget.isAncestorOf(current)):
                at = i
                break
        if not sequence:
            return super().focusNextPrevChild(next)
        if at is None:
            next_index = 0 if next else len(sequence) - 1
        else:
            next_index = (at + (1 if next else -1)) % len(sequence)
        reason = Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason
        sequence[next_index].setFocus(reason)
        return True

    def ensure_panel(self, object_name: str) -> QWidget | None:
        """The panel of dock ``object_name``, made now if it was waiting to be shown; its dock is
        shown and brought to the front."""
        for p in self._panels:
            if p.dock.objectName() == object_name:
                p.dock.show()
                p.dock.raise_()
                if p.factory is not None:
                    self._make_panel(p)
                return p.panel
        return None

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
        # the reader keeps 40 % or more: some 60 to 75 characters a line at the usual size
        for area, (share, less, least, most) in SIDE_WIDTHS.items():
            docks = [p.dock for p in self._panels if p.visible and p.area == area and p.tabify_with is None]
            if not docks:
                continue
            width = max(least, min(most, int(self.width() * share) - less))
            self.resizeDocks(docks[:1], [width], Qt.Orientation.Horizontal)
            if len(docks) > 1:
                self.resizeDocks(docks, [d.widget().sizeHint().height() for d in docks], Qt.Orientation.Vertical)

    # ------------------------------------------------------------------ opening and closing archives

    def open_initial(self, path: str | Path | None = None) -> bool:
        """At start-up: ``path`` if given, else the last archive if it still exists, else the user's own
        archive if an import made one, else the bundled one.
        A failure leaves the window empty with the message and an "Open archive…" button."""
        last = settings.get_str(settings.ARCHIVE_LAST)
        if path is None:
            path = last if last and Path(last).is_file() else default_archive(self.data_dir)
        return self.open_archive(path, startup=True)

    def open_archive(self, path: str | Path, *, startup: bool = False) -> bool:
        """Open ``path``. On failure the message is shown (at start-up in the window, otherwise in a
        dialog with the details behind a button) and the archive already open stays open."""
        path = Path(path).expanduser()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            archive = Archive(path)
        except Exception as e:  # noqa: BLE001 - a bug too is reported (as one, with its log), and the window stays
            QGuiApplication.restoreOverrideCursor()
            self._report_open_error(e, startup, path)
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
        self.runner.cancel("summary")
        self.runner.wait(channel="summary")
        if self._worker_archive is not None:
            self._worker_archive.close()
            self._worker_archive = None
        self.archive = archive
        self._summary = None
        self._error_reported = False
        self.reader.set_archive(archive)
        if self.bookmarks is not None:
            self.bookmarks.set_archive(archive)  # before the panels: they show its resolutions
        for p in self._panels:
            if hasattr(p.panel, "set_archive"):
                p.panel.set_archive(archive)
        if old is not None:
            old.close()
        self.close_archive_action.setEnabled(archive is not None)
        self.check_action.setEnabled(archive is not None and not self.runner.is_busy("check"))
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
        self.runner.submit("summary", self._worker_archive.summary, self._on_summary_done, self._on_summary_failed,
                            cancel=self._worker_archive.interrupt)

    def _show_empty(self, message: str, details: str = "", failed: Path | None = None) -> None:
        self.empty.set_problem(message, details)
        # one click back to the archive the app opens by default, unless that is the one that failed
        fallback = default_archive(self.data_dir)
        offer = fallback.is_file() and (failed is None or fallback.resolve() != Path(failed).resolve())
        own = fallback == self.data_dir / "archive.db"
        self.empty.set_fallback(str(fallback) if offer else "",
                                "Open your own archive" if own else "Open the archive that comes with the app")
        self.empty.set_recent([p for p in settings.recent_archives()])
        self.central.setCurrentWidget(self.empty)
        self.close_archive_action.setEnabled(False)
        self.check_action.setEnabled(False)

    @Slot()
    def check_archive(self) -> None:
        """File > Check archive…: the full health check (`archive-viewer check`) in a worker, then its
        report. Runs on a private copy: the archive file is never changed."""
        from viewer.core.check import check_archive

        if self.archive is None or self.runner.is_busy("check"):
            return
        self.check_action.setEnabled(False)
        self.statusBar().showMessage(f"Checking “{self.archive.path.name}”…")
        self.runner.submit("check", partial(check_archive, self.archive.path), self._on_check_done,
                           self._on_check_failed)

    @Slot(object)
    def _on_check_done(self, report) -> None:
        from viewer.ui.widgets.text import message_box

        self.check_action.setEnabled(self.archive is not None)
        self.statusBar().clearMessage()
        name = Path(report.path).name
        if report.ok:
            box = message_box(QMessageBox.Icon.Information, "Check archive", f"No problems found in “{name}”.",
                              "\n".join(report.lines()[1:]), QMessageBox.StandardButton.Ok, self)
            box.setObjectName("checkReportBox")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.last_check_report = box
            box.open()
        else:
            dialog = self.show_error("Check archive", f"“{name}” has {len(report.problems)} problem(s); the file was "
                                     "not changed. Details list them.", "\n".join(report.lines()))
            self.last_check_report = dialog

    @Slot(object)
    def _on_check_failed(self, error: BaseException) -> None:
        from viewer.ui.dialogs.error_dialog import describe

        self.check_action.setEnabled(self.archive is not None)
        self.statusBar().clearMessage()
        message, details = describe(error, self.data_dir)
        self.last_check_report = self.show_error("Check archive", message, details)

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
        """F1: every shortcut and the guide (a HelpDialog); does not block."""
        from viewer.ui.dialogs.help_dialog import HelpDialog

        dialog = HelpDialog(self.all_actions(), self, extra=self.panel_shortcuts())
        dialog.open()
        return dialog

    # ------------------------------------------------------------------ bookmarks

    def set_bookmarks(self, controller) -> None:
        """Plug in the bookmarks (a ``BookmarksController``): Ctrl+D and the reader's "Bookmark…",
        Edit > Undo / Redo of bookmark changes, the bookmarked words drawn in the reader in their
        colour, File > Export bookmarks…."""
        self.bookmarks = controller
        controller.set_archive(self.archive)
        self.reader.set_span_provider(BOOKMARKS_SPANS, controller.spans_for_passage)
        controller.bookmarks_changed.connect(self._on_bookmarks_changed)
        controller.bookmark_added.connect(self._on_bookmark_added)
        controller.error_occurred.connect(self._on_status_message)
        self.undo_action = controller.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setObjectName("undoAction")
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
        self.undo_action.setStatusTip("Take back the last change to your bookmarks")
        self.redo_action = controller.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setObjectName("redoAction")
        self.redo_action.setShortcuts(QKeySequence.StandardKey.Redo)
        self.redo_action.setStatusTip("Make the change taken back again")
        for action in (self.undo_action, self.redo_action):
            self.addAction(action)
            self.edit_menu.insertAction(self._undo_separator, action)
        self.bookmark_action.setEnabled(True)
        self.export_bookmarks_action.setEnabled(True)

    @Slot()
    def _on_bookmarks_changed(self) -> None:
        self.reader.refresh_marks(BOOKMARKS_SPANS)

    @Slot(int)
    def _on_bookmark_added(self, _bookmark_id: int) -> None:
        self.statusBar().showMessage("Bookmarked: it is in the Bookmarks panel. Ctrl+Z takes it back.", 8000)

    @Slot()
    def bookmark_here(self) -> None:
        """Ctrl+D: the result under the cursor when a results list has the focus (a panel with
        ``selected_hit()``), else the reader's selection, else the quote at the reader's cursor."""
        if self.bookmarks is None:
            return
        focus = QApplication.focusWidget()
        for p in self._panels:
            finder = getattr(p.panel, "selected_hit", None)
            if focus is not None and callable(finder) and p.panel.isAncestorOf(focus):
                hit = finder()
                if hit is not None:
                    self.bookmarks.add_search_hit(hit, parent=self)
                    return
        ranges = self.reader.selected_ranges()
        if ranges:
            self._bookmark_ranges(ranges)
            return
        quote_id = self.reader.quote_at_cursor()
        if quote_id is not None:
            self.bookmarks.add_quote(quote_id, parent=self)
            return
        self.statusBar().showMessage("Select words in the reader, or put the cursor in a quote, then press Ctrl+D "
                                     "to bookmark them.", 8000)

    def _bookmark_ranges(self, ranges, _checked: bool = False) -> None:
        """A bookmark keeps words of one passage: a selection over several keeps its first part."""
        if self.bookmarks is None or not ranges:
            return
        passage_id, start, end = ranges[0]
        if self.bookmarks.add_selection(passage_id, start, end, parent=self) is not None and len(ranges) > 1:
            self.statusBar().showMessage("A bookmark keeps the words of one passage: the selection in the first "
                                         "passage was bookmarked.", 10000)

    def _bookmark_quote(self, quote_id: int, _checked: bool = False) -> None:
        if self.bookmarks is not None:
            self.bookmarks.add_quote(quote_id, parent=self)

    def _bookmark_passage(self, passage_id: int, _checked: bool = False) -> None:
        if self.bookmarks is not None:
            self.bookmarks.add_passage(passage_id, parent=self)

    @Slot(object)
    def _on_panel_bookmark_requested(self, hit) -> None:
        if self.bookmarks is not None:
            self.bookmarks.add_search_hit(hit, parent=self)

    @Slot(object, object)
    def _on_reader_context_menu_opened(self, menu, ctx) -> None:
        """The reader's context menu gets "Bookmark…" for the selection, the quote or the passage."""
        if self.bookmarks is None or self.archive is None:
            return
        if ctx.ranges:
            text, slot = "Bookmark selection…", partial(self._bookmark_ranges, list(ctx.ranges))
        elif ctx.quote_id is not None:
            text, slot = "Bookmark this quote…", partial(self._bookmark_quote, ctx.quote_id)
        elif ctx.passage_id is not None:
            text, slot = "Bookmark this passage…", partial(self._bookmark_passage, ctx.passage_id)
        else:
            return
        action = QAction(text, menu)
        action.setObjectName("bookmarkReaderAction")
        action.setShortcut(self.bookmark_action.shortcut())  # shown as a hint
        action.triggered.connect(slot)
        separator = next((a for a in menu.actions() if a.isSeparator()), None)
        menu.insertAction(separator, action) if separator is not None else menu.addAction(action)

    # ------------------------------------------------------------------ corrections of who said what

    def set_corrections(self, controller) -> None:
        """Plug in the corrections (a ``CorrectionsController``): the reader's "Set speaker…" (Edit menu,
        Ctrl+Shift+S, context menu) and the Unattributed quotes panel's requests."""
        self.corrections = controller
        self.reader.speaker_requested.connect(self.open_speaker_dialog)
        controller.done.connect(self._on_correction_done)
        controller.failed.connect(self._on_correction_failed)
        controller.ambiguous.connect(self._on_correction_ambiguous)
        self.edit_menu.insertAction(self._after_bookmark_separator, self.reader.set_speaker_action)

    @Slot(object, object)
    def open_speaker_dialog(self, quote, passage):
        """"Set speaker…" for a quote (``quote``) or a passage (``passage``, with ``quote`` None); returns
        the dialog (not modal: the answer is applied when it is accepted)."""
        from viewer.core.corrections import describe_attribution
        from viewer.ui.dialogs.speaker_dialog import SetSpeakerDialog

        if self.corrections is None or self.archive is None or (quote is None and passage is None):
            return None
        if self.corrections.is_busy():
            self.statusBar().showMessage("A correction is being written; try again in a moment.", 6000)
            return None
        if self.speaker_dialog is not None:
            self.speaker_dialog.close()
        in_reader = self.reader.current_document()
        doc_id = quote.document_id if quote is not None else passage.document_id
        names = [sp.name for sp in self.reader.speakers()] if in_reader is not None and in_reader.id == doc_id else []
        unsure = quote is not None and not quote.attributed and not quote.corrected
        dialog = SetSpeakerDialog(
            self, words=quote.text if quote is not None else passage.text,
            now="unattributed" if unsure else describe_attribution(quote, passage),
            quote_id=quote.id if quote is not None else None, passage_id=None if quote is not None else passage.id,
            speakers=names, suggestion=quote.suggested_speaker if quote is not None and not quote.attributed else None,
            corrected=(quote or passage).corrected, where=self._where(quote, passage))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._on_speaker_dialog_accepted)
        dialog.clear_requested.connect(self._on_speaker_dialog_clear_requested)
        dialog.finished.connect(self._on_speaker_dialog_finished)
        self.speaker_dialog = dialog
        reader = self.archive.clone()
        self.runner.submit("speaker-names", partial(_speaker_names, reader), self._on_speaker_names,
                           self._on_speaker_names_failed)
        self.corrections.find(self.archive, quote.id if quote is not None else None,
                              None if quote is not None else passage.id, self._on_existing_correction)
        dialog.open()
        return dialog

    def _where(self, quote, passage) -> str:
        """"¶ 8 of “Title”" for the dialog, when the reader shows the words."""
        if passage is None and quote is not None:
            passage = self.reader.passage(quote.passage_id)
        document = self.reader.current_document()
        if passage is None or document is None or document.id != passage.document_id:
            return ""
        return f"¶ {passage.seq} of “{document.title}”"

    def _on_speaker_names(self, names: list[str]) -> None:
        if self.speaker_dialog is not None:
            self.speaker_dialog.add_speakers(names)

    def _on_speaker_names_failed(self, _error: BaseException) -> None:
        pass  # the dialog still takes a typed name

    def _on_existing_correction(self, correction) -> None:
        if self.speaker_dialog is not None:
            self.speaker_dialog.set_existing(correction)

    @Slot()
    def _on_speaker_dialog_accepted(self) -> None:
        if self.speaker_dialog is not None:
            self.set_attribution(self.speaker_dialog.request())

    @Slot()
    def _on_speaker_dialog_clear_requested(self) -> None:
        dialog = self.speaker_dialog
        if dialog is not None and self.corrections is not None and self.archive is not None:
            request = dialog.request()
            self.corrections.clear(self.archive.path, request.quote_id, request.passage_id)
            self.statusBar().showMessage("Clearing your correction…", 6000)

    @Slot(int)
    def _on_speaker_dialog_finished(self, _result: int) -> None:
        self.speaker_dialog = None

    @Slot(object)
    def set_attribution(self, request) -> None:
        """Write a correction (a ``SpeakerRequest``) of the open archive's quote or passage, off the UI thread."""
        if self.corrections is None or self.archive is None:
            return
        self.corrections.set_attribution(self.archive.path, request)
        self.statusBar().showMessage("Saving your correction…", 6000)

    @Slot()
    def apply_corrections(self) -> None:
        """Apply the stored corrections not applied yet in the open archive."""
        if self.corrections is not None and self.archive is not None:
            self.corrections.apply_stored(self.archive.path)

    @Slot(object)
    def _on_correction_done(self, done) -> None:
        from viewer.core.bookmarks import BookmarkError

        if done.outcome.changed or done.outcome.copied_from:
            if not self.open_archive(done.outcome.archive):
                return
            if self.bookmarks is not None and done.places:
                try:
                    followed = self.bookmarks.store.follow_corrections(self.archive, done.places)
                except (BookmarkError, ArchiveError) as e:
                    followed = []
                    self.statusBar().showMessage(f"Your bookmarks of these words were not updated: {e.message}",
                                                 10000)
                if followed:
                    self.bookmarks.reload()
            if done.quote_id is not None:
                self.reader.show_quote(done.quote_id)
            elif done.passage_id is not None:
                self.reader.show_passage(done.passage_id)
        if done.message:
            where = " Your own archive was made for it; the bundled one is unchanged." if done.outcome.copied_from else ""
            self.statusBar().showMessage(done.message + where, 10000)

    @Slot(object)
    def _on_correction_failed(self, error: BaseException) -> None:
        from viewer.core.userstore import StoreError
        from viewer.ui.dialogs.error_dialog import describe

        if isinstance(error, (StoreError, ValueError)) and not isinstance(error, ArchiveError):
            message, details = getattr(error, "message", str(error)), getattr(error, "details", "")
        else:
            message, details = describe(error)
        self.show_error("Your correction was not saved", message, details)

    @Slot(object, str)
    def _on_correction_ambiguous(self, request, why: str):
        """The name typed may be a speaker of the archive: ask whether it is someone new."""
        from viewer.ui.widgets.text import message_box

        box = message_box(QMessageBox.Icon.Question, "Who is it?", why,
                          f"Is “{request.speaker}” someone else, a new speaker?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.button(QMessageBox.StandardButton.Yes).setText("A new speaker")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(partial(self._on_ambiguous_answered, request))
        box.open()
        return box

    def _on_ambiguous_answered(self, request, result: int) -> None:
        from dataclasses import replace

        if result == QMessageBox.StandardButton.Yes:
            self.set_attribution(replace(request, new_speaker=True))

    @Slot()
    def export_bookmarks(self) -> None:
        """File > Export bookmarks…: the Bookmarks panel's export dialog (the panel is shown)."""
        panel = self.ensure_panel("bookmarksDock")
        if panel is not None and hasattr(panel, "open_export_dialog"):
            panel.open_export_dialog()

    # ------------------------------------------------------------------ citation template

    @Slot()
    def edit_citation_template(self):
        """Edit > Citation template…: the one template of every "Copy with citation" (a dialog that
        validates it and previews it on a quote of the open archive); does not block."""
        from viewer.ui.dialogs.citation_dialog import CitationTemplateDialog, sample_citation

        document = self.reader.current_document()
        sample = sample_citation(self.archive, document.id if document is not None else None,
                                 self.reader.quote_at_cursor())
        dialog = CitationTemplateDialog(self.citation_template(), sample, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(partial(self._on_citation_template_accepted, dialog))
        dialog.open()
        return dialog

    def citation_template(self) -> str:
        """The user's citation template (a file in the data folder, shared with the command line)."""
        return settings.citation_template(self.data_dir)

    def _on_citation_template_accepted(self, dialog) -> None:
        from viewer.core.citation import save_template
        from viewer.core.export import ExportError

        try:
            save_template(self.data_dir, dialog.template())
        except (ValueError, ExportError) as e:
            self.statusBar().showMessage(f"The citation template was not saved: {getattr(e, 'message', e)}", 10000)
            return
        self.statusBar().showMessage("Citation template saved.", 6000)

    # ------------------------------------------------------------------ import

    @Slot()
    def choose_import_files(self) -> None:
        """File > Import…: pick reports and transcripts, then import them."""
        from viewer.ui.dialogs.import_dialog import choose_files

        files = choose_files(self, settings.get_str(settings.IMPORT_FOLDER, str(Path.home())))
        if files:
            settings.set_value(settings.IMPORT_FOLDER, str(files[0].parent))
            self.import_files(files)

    @Slot()
    def choose_import_folder(self) -> None:
        """File > Import a folder…: every document in a folder and its subfolders."""
        from viewer.ui.dialogs.import_dialog import choose_folder

        folder = choose_folder(self, settings.get_str(settings.IMPORT_FOLDER, str(Path.home())))
        if folder is not None:
            settings.set_value(settings.IMPORT_FOLDER, str(folder))
            self.import_files([folder])

    def import_files(self, files):
        """Import ``files`` with the progress dialog (returned) into the open archive, or into the
        user's own archive when the open one is the bundled one (``import_target``: the bundled file
        is never written). When documents were added the archive is opened afresh and every panel
        refreshes; "Open document" shows the first new one."""
        from viewer.core.importer import import_target
        from viewer.ui.dialogs.import_dialog import ImportDialog

        if self.import_dialog is not None and self.import_dialog.state in (ImportDialog.RUNNING,
                                                                           ImportDialog.CANCELLING):
            self.statusBar().showMessage("An import is running; wait for it to finish.", 6000)
            return None
        try:
            target = import_target(self.archive.path if self.archive is not None else None, self.data_dir)
        except ArchiveError as e:
            self.show_error("Nothing was imported", e.message, e.details)
            return None
        if self.import_dialog is not None:
            self.import_dialog.deleteLater()
        dialog = ImportDialog(target.path, files, runner=self.runner, parent=self, copy_from=target.copy_from,
                              import_limits=settings.import_limits(), data_dir=self.data_dir)
        dialog.import_finished.connect(self._on_import_finished)
        dialog.document_requested.connect(self._on_import_document_requested)
        self.import_dialog = dialog
        dialog.open()
        dialog.start()
        return dialog

    @Slot(object)
    def _on_import_finished(self, report) -> None:
        if not report.documents:
            return
        # A fresh Archive: the connection open now may read a private copy that cannot see the new rows.
        if self.open_archive(report.archive):
            self.statusBar().showMessage(report.summary(), 10000)
            if report.first_document_id is not None:
                self.reader.show_document(report.first_document_id)  # what was just imported
            if self.corrections is not None:  # a re-imported document gets the user's corrections again
                self.corrections.apply_stored(report.archive, quiet=True)

    @Slot(int)
    def _on_import_document_requested(self, document_id: int) -> None:
        self.reader.show_document(document_id)

    # ------------------------------------------------------------------ drag and drop

    @staticmethod
    def _dropped(event) -> tuple[str, list[str]]:
        """("import", files) for reports and transcripts and folders of them, ("open", [path]) for one
        other file, ("", []) for anything else."""
        from viewer.core.readers import is_importable  # read when files are dropped, not at start-up

        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return "", []
        paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
        importable = [p for p in paths if is_importable(p) or Path(p).is_dir()]
        if importable:
            return "import", importable
        if len(paths) == 1 and len(mime.urls()) == 1:
            return "open", paths
        return "", []

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped(event)[0]:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if self._dropped(event)[0]:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        what, paths = self._dropped(event)
        if not what:
            event.ignore()
            return
        event.acceptProposedAction()
        if what == "import":
            # after the drop has finished: the import dialog is modal
            QTimer.singleShot(0, partial(self.import_files, [Path(p) for p in paths]))
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
                self.resize(first_size(screen.availableGeometry().size()))
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


def _speaker_names(archive: Archive) -> list[str]:
    """Every speaker's name, for the Set speaker dialog (on a worker, with its own connection)."""
    try:
        return [s.name for s in archive.speakers()]
    finally:
        archive.close()
