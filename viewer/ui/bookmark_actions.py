"""Bookmarks as the window offers them, once ``MainWindow.set_bookmarks`` gives a ``BookmarksController``:
Ctrl+D ("Bookmark…": the search result under the cursor, else the reader's selection, else the quote at
the reader's cursor), the reader's context menu ("Bookmark selection…", "… this quote…", "… this passage…"),
Edit > Undo / Redo of bookmark changes and the bookmarked words drawn in the reader in their colour.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication

BOOKMARKS_SPANS = "bookmarks"  # the reader's span provider key for bookmarked words


class BookmarkActions(QObject):
    """The window's bookmark actions (``window``: the MainWindow; ``controller``: the BookmarksController)."""

    def __init__(self, window, controller):
        super().__init__(window)
        self._window = window
        self.controller = controller
        reader = window.reader
        reader.set_span_provider(BOOKMARKS_SPANS, controller.spans_for_passage)
        reader.context_menu_opened.connect(self._on_reader_context_menu_opened)
        controller.bookmarks_changed.connect(self._on_bookmarks_changed)
        controller.bookmark_added.connect(self._on_bookmark_added)
        controller.error_occurred.connect(self._on_error_occurred)
        self.undo_action = controller.undo_stack.createUndoAction(window, "&Undo")
        self.undo_action.setObjectName("undoAction")
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
        self.undo_action.setStatusTip("Take back the last change to your bookmarks")
        self.redo_action = controller.undo_stack.createRedoAction(window, "&Redo")
        self.redo_action.setObjectName("redoAction")
        self.redo_action.setShortcuts(QKeySequence.StandardKey.Redo)
        self.redo_action.setStatusTip("Make the change taken back again")

    def _status(self, text: str, ms: int) -> None:
        self._window.statusBar().showMessage(text, ms)

    @Slot(str)
    def _on_error_occurred(self, text: str) -> None:
        self._status(text, 6000)

    @Slot()
    def _on_bookmarks_changed(self) -> None:
        self._window.reader.refresh_marks(BOOKMARKS_SPANS)

    @Slot(int)
    def _on_bookmark_added(self, _bookmark_id: int) -> None:
        self._status("Bookmarked: it is in the Bookmarks panel. Ctrl+Z takes it back.", 8000)

    def bookmark_here(self, search_panel, search) -> None:
        """Ctrl+D: the result under the cursor when ``search_panel`` (the panel that took Find; ``search``:
        what it offers) has the focus, else the reader's selection, else the quote at the reader's cursor."""
        window, reader = self._window, self._window.reader
        focused = QApplication.focusWidget()
        if search is not None and focused is not None and search_panel.isAncestorOf(focused):
            hit = search.selected_hit()
            if hit is not None:
                self.add_search_hit(hit)
                return
        ranges = reader.selected_ranges()
        if ranges:
            self._bookmark_ranges(ranges)
            return
        quote_id = reader.quote_at_cursor()
        if quote_id is not None:
            self.controller.add_quote(quote_id, parent=window)
            return
        self._status(
            "Select words in the reader, or put the cursor in a quote, then press Ctrl+D to bookmark them.", 8000
        )

    @Slot(object)
    def add_search_hit(self, hit) -> None:
        self.controller.add_search_hit(hit, parent=self._window)

    def _bookmark_ranges(self, ranges, _checked: bool = False) -> None:
        """A bookmark keeps words of one passage: a selection over several keeps its first part."""
        if not ranges:
            return
        passage_id, start, end = ranges[0]
        if self.controller.add_selection(passage_id, start, end, parent=self._window) is not None and len(ranges) > 1:
            self._status(
                "A bookmark keeps the words of one passage: the selection in the first passage was bookmarked.", 10000
            )

    def _bookmark_quote(self, quote_id: int, _checked: bool = False) -> None:
        self.controller.add_quote(quote_id, parent=self._window)

    def _bookmark_passage(self, passage_id: int, _checked: bool = False) -> None:
        self.controller.add_passage(passage_id, parent=self._window)

    @Slot(object, object)
    def _on_reader_context_menu_opened(self, menu, ctx) -> None:
        """The reader's context menu gets "Bookmark…" for the selection, the quote or the passage."""
        if self._window.archive is None:
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
        action.setShortcut(self._window.bookmark_action.shortcut())  # shown as a hint
        action.triggered.connect(slot)
        separator = next((a for a in menu.actions() if a.isSeparator()), None)
        menu.insertAction(separator, action) if separator is not None else menu.addAction(action)
