"""The search dock: a query box that searches as you type, filters, results that say where, hit navigation.

With no words but a filter (a speaker, a document, a collection, dates) it lists everything in that scope
in document order: "everything X said". Enter or Down in the box goes to the results, Up from the first
result back to the box. The filters are a widget of their own (``viewer.ui.widgets.search_filters``), the
results' model and delegates are in ``viewer.ui.models.search_results_model``.

Why this module is over 600 lines: the query box, the request sent to the search (debounced, numbered,
cancelled, in pages) and the results with their hit navigation share one state, the search in flight and
its result; the rest is apart.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QEvent, QObject, QPoint, QStringListModel, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QToolTip,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from viewer.core.archive import Archive
from viewer.core.db import ArchiveError, QueryInterrupted
from viewer.core.query import parse
from viewer.core.search import (
    DEFAULT_LIMIT,
    DEFAULT_TIMEOUT_MS,
    ORDER_LABELS,
    ORDERS,
    SearchHit,
    SearchOptions,
    SearchResult,
    parse_date_bound,
)
from viewer.core.search_service import SearchService
from viewer.ui import settings
from viewer.ui.models.search_results_model import (
    SNIPPET,
    WHERE,
    WHO,
    SearchResultsModel,
    SnippetDelegate,
    TwoLineDelegate,
    cells,
)
from viewer.ui.panels.panel import PanelDefaults, PanelLinks
from viewer.ui.widgets.search_filters import SCOPE_COLLECTION, SCOPE_DOCUMENT, SearchFilters
from viewer.ui.workers import TaskRunner

MAX_HISTORY = 20
DEBOUNCE_MS = 200  # a search starts this long after the last keystroke (Enter: at once)
LAYOUT_ROWS = 6  # rows of a new answer laid out in one turn of the event loop before it is shown
CHANNEL = "search"
# the results' columns share the width: who, where (the document, date and ¶), the words found (the rest);
# narrower, who goes on the first line of where (three lines a row)
WHO_SHARE, WHERE_SHARE = 0.25, 0.32
COMPACT_WHERE_SHARE = 0.45
COMPACT_WIDTH = 420
NO_WORDS_HINT = (
    "Type words to search for, or choose a speaker, a document or a collection in Filters to list "
    'everything in it. "Quotes" find a phrase, word* a prefix, OR either word, -word leaves a word out.'
)

SYNTAX_SHORT = 'words   "phrase"   prefix*   a OR b   -word   ( )'
SYNTAX_HELP = (
    "<p><b>Search syntax</b></p>"
    "<p>words: all must appear (any case, with or without diacritics, Cyrillic or Latin)<br>"
    '"exact phrase": these words in this order<br>'
    "prefix*: words that start with it (Kazakh* finds Kazakhstan)<br>"
    "a OR b: either word<br>"
    "-word or NOT word: leave out what has this word<br>"
    "( ): group, as in sanctions (regime OR government)</p>"
    "<p>Spelling variants of rare words are searched too and named under the box.</p>"
)


def _nothing() -> None:
    return None


class SearchPanel(PanelDefaults, QWidget):
    """Search the archive as you type.

    Signals:
        hit_requested(int, object): open a result's passage; highlights are (start, end) offsets in
            its text (a list). The reader keeps them marked while they are this panel's query's.
        bookmark_requested(object): the user asked to bookmark this result (a SearchHit).
        search_started(str): a search for this text was sent to the worker.
        results_ready(object): the SearchResult now shown (hint and time-out results too).
        search_highlight_changed(object): the query whose words the reader marks (a PreparedQuery),
            or None when there is none (the box was cleared): the reader's marks follow the query.
    """

    hit_requested = Signal(int, object)
    bookmark_requested = Signal(object)
    search_started = Signal(str)
    results_ready = Signal(object)
    search_highlight_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None, runner: TaskRunner | None = None):
        super().__init__(parent)
        self._runner = runner or TaskRunner(self)
        self._archive: Archive | None = None
        self._searcher: SearchService | None = None
        self._closing: list[SearchService] = []
        self.search_in_child = True  # a big archive is searched in a process of its own
        self._warmed = False  # the search (and a big archive's search process) was started
        self._result: SearchResult | None = None
        self._current_row = -1
        self._advance_after_fetch = False
        self._fetch_offset = -1
        self._focus_results = False  # Enter was pressed: go to the results when they come
        self._highlighting = False  # the reader marks this panel's query
        self.page_size = DEFAULT_LIMIT
        self.timeout_ms = DEFAULT_TIMEOUT_MS
        self._build()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._search_now)
        # a new answer waits here while the rows it brings into view are laid out (_lay_out_some)
        self._arriving: tuple[Callable[[SearchResult], None], SearchResult, int, int] | None = None
        self._layout_timer = QTimer(self)
        self._layout_timer.setSingleShot(True)
        self._layout_timer.setInterval(0)
        self._layout_timer.timeout.connect(self._lay_out_some)
        self._load_history()
        self._show_status("No archive is open.")

    # ------------------------------------------------------------ widgets

    def _build(self) -> None:
        self.query_edit = QLineEdit(self)
        self.query_edit.setPlaceholderText("Search passages and quotes")
        self.query_edit.setClearButtonEnabled(True)
        self.query_edit.setAccessibleName("Search query")
        self.query_edit.setMaxLength(100_000)
        self.query_edit.textEdited.connect(self._on_query_edited)
        self.query_edit.returnPressed.connect(self._on_query_return_pressed)
        self.query_edit.installEventFilter(self)
        self._history_model = QStringListModel(self)
        self.completer = QCompleter(self._history_model, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.query_edit.setCompleter(self.completer)

        help_button = QToolButton(self)
        help_button.setText("?")
        help_button.setAccessibleName("Search syntax")
        help_button.setToolTip(SYNTAX_HELP)  # our own text
        help_button.clicked.connect(self._on_help_clicked)
        self.help_button = help_button

        self.filters_button = QToolButton(self)
        self.filters_button.setText("Filters")
        self.filters_button.setCheckable(True)
        self.filters_button.setAccessibleName("Show filters")
        self.filters_button.toggled.connect(self._on_filters_toggled)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.query_edit, 1)
        top.addWidget(help_button)
        top.addWidget(self.filters_button)

        self.syntax_label = QLabel(SYNTAX_SHORT, self)
        self.syntax_label.setTextFormat(Qt.TextFormat.PlainText)
        self.syntax_label.setEnabled(False)  # drawn muted
        self.syntax_label.setToolTip(SYNTAX_HELP)

        self.filters = SearchFilters(self)
        self.filters.changed.connect(self._on_filters_changed)
        self.filters.setVisible(False)

        self.status_label = QLabel(self)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)  # variants come from the archive
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName("Search status")
        self.order_combo = QComboBox(self)
        self.order_combo.setObjectName("searchOrder")
        self.order_combo.setAccessibleName("Sort results by")
        self.order_combo.setToolTip(
            "Sort the results: most relevant first, by the documents' dates, or in document order"
        )
        for order in ORDERS:
            self.order_combo.addItem(ORDER_LABELS[order], order)
        self.order_combo.currentIndexChanged.connect(self._on_order_changed)
        status_row = QHBoxLayout()
        status_row.setContentsMargins(0, 0, 0, 0)
        status_row.addWidget(self.status_label, 1)
        status_row.addWidget(self.order_combo, 0, Qt.AlignmentFlag.AlignTop)

        self.model = SearchResultsModel(self)
        self.model.more_requested.connect(self._on_model_more_requested)
        self.view = QTreeView(self)
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setItemDelegateForColumn(SNIPPET, SnippetDelegate(self.view))
        self.view.setItemDelegateForColumn(WHO, TwoLineDelegate(self.view))
        self.where_delegate = TwoLineDelegate(self.view)
        self.view.setItemDelegateForColumn(WHERE, self.where_delegate)
        self.view.setAccessibleName("Search results")
        self.view.installEventFilter(self)
        self.view.viewport().installEventFilter(self)  # its resizes fit the columns
        header = self.view.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setAccessibleName("Result columns")
        self.view.clicked.connect(self._on_view_clicked)
        self.view.activated.connect(self._on_view_clicked)
        self.view.verticalScrollBar().valueChanged.connect(self._on_results_scrolled)
        self.view.verticalScrollBar().rangeChanged.connect(self._on_results_scrolled)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_view_context_menu_requested)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.syntax_label)
        layout.addWidget(self.filters)
        layout.addLayout(status_row)
        layout.addWidget(self.view, 1)

        self.next_shortcut = QShortcut(QKeySequence(Qt.Key.Key_F3), self, context=Qt.ShortcutContext.WindowShortcut)
        self.next_shortcut.activated.connect(self.next_hit)
        self.previous_shortcut = QShortcut(
            QKeySequence(Qt.Modifier.SHIFT | Qt.Key.Key_F3), self, context=Qt.ShortcutContext.WindowShortcut
        )
        self.previous_shortcut.activated.connect(self.previous_hit)

    # ------------------------------------------------------------ archive

    def connect_window(self, links: PanelLinks) -> None:
        self.hit_requested.connect(links.show_search_hit)
        self.bookmark_requested.connect(links.bookmark_hit)
        self.search_highlight_changed.connect(links.set_search_highlight)
        links.offer_search(self)

    def set_archive(self, archive: Archive | None) -> None:
        """Use ``archive`` (or none). The panel searches on its own clone, off the UI thread (a big
        archive in a process of its own, started at the first keystroke, while the debounce waits)."""
        self._debounce.stop()
        self._runner.cancel(CHANNEL)
        self._drop_arriving()
        if self._searcher is not None:
            # Closed on the worker thread by the next task of the channel, which runs after
            # anything still using it (the channel runs one task at a time).
            self._closing.append(self._searcher)
        self._archive = archive
        self._searcher = SearchService(archive.clone(), child=self.search_in_child) if archive is not None else None
        self._warmed = False
        self._result = None
        self.model.clear()
        self._current_row = -1
        self.filters.set_archive(archive)
        if self.filters.isVisibleTo(self):
            self.filters.fill()
        if self.query_edit.text().strip():
            self._search_now()
        else:
            self._set_highlighting(None)
            self._show_status(NO_WORDS_HINT if archive is not None else "No archive is open.")
        if self._closing and not self._runner.is_busy(CHANNEL):
            self._submit(_nothing, cancellable=False)  # else the search just sent closes them first

    # ------------------------------------------------------------ public

    def focus_query(self) -> None:
        """Put the cursor in the query box with its text selected (for Ctrl+F)."""
        self.query_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query_edit.selectAll()

    def focus_results(self) -> bool:
        """Go to the results (Enter or Down in the box): the current result, else the first, is selected
        (not opened). False when there are none."""
        if not self.model.rowCount():
            return False
        index = self.view.currentIndex()
        if not index.isValid():
            index = self.model.index(0, 0)
            self.view.selectionModel().setCurrentIndex(
                index,
                self.view.selectionModel().SelectionFlag.ClearAndSelect | self.view.selectionModel().SelectionFlag.Rows,
            )
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.view.scrollTo(index)
        return True

    def list_speaker(self, speaker_id: int) -> None:
        """List everything a speaker said: no words, only this speaker (in document order)."""
        self.query_edit.clear()
        self.set_speakers([speaker_id])
        self._debounce.stop()
        self._search_now()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.view.viewport():
            self._fit_columns()
        elif event.type() == QEvent.Type.KeyPress:
            if (
                watched is self.query_edit
                and event.key() == Qt.Key.Key_Down
                and not (self.completer.popup() and self.completer.popup().isVisible())
            ):
                return self.focus_results()
            if watched is self.view and event.key() == Qt.Key.Key_Up and self.view.currentIndex().row() <= 0:
                self.focus_query()
                return True
        return super().eventFilter(watched, event)

    def search(self, text: str) -> None:
        """Search ``text`` now, as if typed and Enter pressed."""
        self.query_edit.setText(text)
        self._on_query_return_pressed()

    def selected_speakers(self) -> tuple[int, ...]:
        return self.filters.selected_speakers()

    def set_speakers(self, speaker_ids) -> None:
        """Search only these speakers' passages and quotes (none: everyone)."""
        self.filters.set_speakers(speaker_ids)

    def set_scope(self, kind: str | None = None, value=None) -> None:
        """Search only one document (``SCOPE_DOCUMENT``, its id) or collection (``SCOPE_COLLECTION``,
        its name); no arguments: every document."""
        self.filters.set_scope(kind, value)

    def options(self) -> SearchOptions:
        """The filters as they are set now."""
        kind, value = self.filters.scope()
        return SearchOptions(
            speakers=self.selected_speakers(),
            documents=(value,) if kind == SCOPE_DOCUMENT else (),
            collection=value if kind == SCOPE_COLLECTION else None,
            date_from=parse_date_bound(self.filters.from_edit.text())
            if self.filters.from_edit.text().strip()
            else None,
            date_to=parse_date_bound(self.filters.to_edit.text()) if self.filters.to_edit.text().strip() else None,
            quotes_only=self.filters.quotes_only_check.isChecked(),
            order=self.order_combo.currentData() or "relevance",
            limit=self.page_size,
            exact_diacritics=self.filters.exact_check.isChecked(),
            timeout_ms=self.timeout_ms,
        )

    def history(self) -> list[str]:
        return list(self._history_model.stringList())

    def selected_hit(self) -> SearchHit | None:
        """The result the user is on (the current row of the results), if any."""
        index = self.view.currentIndex()
        return self.model.hit(index.row()) if index.isValid() else None

    def results_menu(self, row: int) -> QMenu | None:
        """The context menu of the result in ``row`` (not yet shown); None when there is no such row."""
        hit = self.model.hit(row)
        if hit is None:
            return None
        menu = QMenu(self)
        menu.setObjectName("searchResultMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        show = menu.addAction("Show in the reader")
        show.setObjectName("showResultAction")
        show.triggered.connect(partial(self._on_show_result_triggered, row))
        bookmark = menu.addAction("Bookmark this quote…" if hit.kind == "quote" else "Bookmark this passage…")
        bookmark.setObjectName("bookmarkResultAction")
        bookmark.setShortcut(QKeySequence("Ctrl+D"))  # shown as a hint; the window's Ctrl+D does the same
        bookmark.triggered.connect(partial(self._on_bookmark_result_triggered, row))
        return menu

    def _on_show_result_triggered(self, row: int, _checked: bool = False) -> None:
        self._go_to(row)

    def _on_bookmark_result_triggered(self, row: int, _checked: bool = False) -> None:
        hit = self.model.hit(row)
        if hit is not None:
            self.bookmark_requested.emit(hit)

    def current_row(self) -> int:
        return self._current_row

    @Slot()
    @Slot(int)
    @Slot(int, int)
    def _on_results_scrolled(self, *_args) -> None:
        """The next page is loaded when the view is scrolled to its end (or the rows do not fill
        it), never on its own."""
        bar = self.view.verticalScrollBar()
        if bar.value() >= bar.maximum() and self.model.has_more():
            self.model.load_more()

    @Slot()
    def next_hit(self) -> None:
        """Go to the next hit (F3): select it and open its passage; wraps at the end."""
        rows = self.model.rowCount()
        if not rows:
            return
        if self._current_row + 1 >= rows and (self.model.fetching or self.model.has_more()):
            # past the loaded rows: go on once the next page is in
            self._advance_after_fetch = True
            self.model.load_more()
            return
        self._go_to((self._current_row + 1) % rows)

    @Slot()
    def previous_hit(self) -> None:
        """Go to the previous hit (Shift+F3); wraps to the last loaded hit."""
        rows = self.model.rowCount()
        if rows:
            self._go_to((self._current_row - 1) % rows if self._current_row > 0 else rows - 1)

    # ------------------------------------------------------------ searching

    @Slot(str)
    def _on_query_edited(self, _text: str) -> None:
        if not self._warmed and self._searcher is not None:
            self._warmed = True
            self._submit(self._searcher.warm, on_error=self._on_search_error)
        self._debounce.start()

    @Slot()
    def _on_query_return_pressed(self) -> None:
        """Enter: the results of the text in the box, then the cursor goes to them."""
        if (
            not self._debounce.isActive()
            and self._result is not None
            and self._result.stage == "ranked"
            and self._result.query == parse(self.query_edit.text()).text
            and not self._runner.is_busy(CHANNEL)
        ):
            self._remember(self.query_edit.text())
            self.focus_results()  # already shown
            return
        self._debounce.stop()
        self._remember(self.query_edit.text())
        self._focus_results = True
        self._search_now()

    @Slot(int)
    def _on_order_changed(self, _index: int) -> None:
        self.filters.check_dates()
        self._debounce.start()

    @Slot()
    def _on_filters_changed(self) -> None:
        self._debounce.start()

    def _scoped(self) -> bool:
        """A filter limits the search to a speaker, a document, a collection or dates."""
        o = self.options()
        return bool(o.speakers or o.documents or o.collection or o.date_from or o.date_to)

    def _search_now(self) -> None:
        text = self.query_edit.text()
        self._current_row = -1
        self._advance_after_fetch = False
        query = parse(text)
        listing = (
            query.root is None and not text.strip() and self._scoped() and not self.filters.exact_check.isChecked()
        )
        if (query.root is None and not listing) or self._searcher is None:
            self._runner.cancel(CHANNEL)
            self._drop_arriving()
            self._result = None
            self._focus_results = False
            self.model.clear()
            self._set_highlighting(None)
            hint = (
                (NO_WORDS_HINT if not text.strip() else query.hint)
                if self._searcher is not None
                else "No archive is open."
            )
            self._show_status(hint or "")
            if self._searcher is not None:
                self.results_ready.emit(SearchResult(query.text, None, notes=query.notes, hint=hint))
            return
        self.search_started.emit(text)
        self._submit(
            partial(self._searcher.staged, text, self.options()),
            self._on_search_done,
            self._on_search_error,
            on_progress=self._on_first_page,
        )

    def _submit(self, fn: Callable, on_done=None, on_error=None, cancellable: bool = True, on_progress=None) -> None:
        searcher = self._searcher if cancellable else None
        work = partial(self._in_worker_reporting, fn) if on_progress is not None else partial(self._in_worker, fn)
        self._runner.submit(
            CHANNEL,
            work,
            on_done,
            on_error,
            cancel=searcher.interrupt if searcher is not None else None,
            on_progress=on_progress,
        )

    def _close_old_connections(self) -> None:
        """On the worker thread: close the searches (connections, processes) of archives no longer shown."""
        while self._closing:
            try:
                self._closing.pop().close()
            except IndexError:
                break

    def _in_worker(self, fn: Callable):
        self._close_old_connections()
        return fn()

    def _in_worker_reporting(self, fn: Callable, report: Callable):
        self._close_old_connections()
        return fn(report)

    @Slot(object)
    def _on_first_page(self, result: SearchResult) -> None:
        self._when_laid_out(self._show_first_page, result)

    @Slot(object)
    def _on_search_done(self, result: SearchResult) -> None:
        self._when_laid_out(self._show_answer, result)

    def _when_laid_out(self, show: Callable[[SearchResult], None], result: SearchResult) -> None:
        """``show(result)`` once the rows it brings into view are laid out, ``LAYOUT_ROWS`` in each turn of
        the event loop: the repaint that shows them then only draws, and a key typed meanwhile is not kept
        waiting for all of it (bench/RESULTS.md, "The search panel while typing"). A newer answer, a
        cleared box or another archive drops it. At once when nothing is to be laid out (a hidden panel)."""
        rows = 0
        if result.hits and self.view.isVisible():
            rows = min(len(result.hits), self.view.viewport().height() // max(1, self._row_height()) + 1)
        self._arriving = (show, result, 0, rows)
        self._lay_out_some()

    def _row_height(self) -> int:
        height = self.view.rowHeight(self.model.index(0, 0)) if self.model.rowCount() else 0
        return height or self.view.fontMetrics().lineSpacing() * 2 + 6

    @Slot()
    def _lay_out_some(self) -> None:
        if self._arriving is None:
            return
        show, result, done, rows = self._arriving
        if done < rows:
            header = self.view.header()
            columns = [
                (column, self.view.itemDelegateForColumn(column), header.sectionSize(column))
                for column in range(self.model.columnCount())
                if not self.view.isColumnHidden(column)
            ]
            end = min(rows, done + LAYOUT_ROWS)
            for hit in result.hits[done:end]:
                row = cells(hit)
                for column, delegate, width in columns:
                    delegate.prepare(row[column], width)
            self._arriving = (show, result, end, rows)
            self._layout_timer.start()
            return
        self._arriving = None
        show(result)

    def _drop_arriving(self) -> None:
        self._arriving = None
        self._layout_timer.stop()

    def _show_first_page(self, result: SearchResult) -> None:
        """The unranked first page of a big archive's answer, shown while the ranking runs."""
        if self.model.rowCount() and self._result is not None and self._result.query == result.query:
            return  # already showing this query's ranked answer
        self._result = result
        self.model.set_result(result)
        self._show_status(self._status_text(result))
        self._set_highlighting(result)

    def _show_answer(self, result: SearchResult) -> None:
        self._result = result
        self.model.set_result(result)
        if result.total is not None and len(result.hits) < self.page_size:
            self.model.finish()  # the whole answer is here (an "about" total counted more)
        self._show_status(self._status_text(result))
        self._set_highlighting(result)
        self.results_ready.emit(result)
        if self._focus_results:
            self._focus_results = False
            self.focus_results()

    def _set_highlighting(self, result: SearchResult | None) -> None:
        """Tell the reader which words to mark: this result's query's, or none (the box was cleared)."""
        prepared = result.prepared if result is not None and not result.browsing else None
        if prepared is None and not self._highlighting:
            return
        self._highlighting = prepared is not None
        self.search_highlight_changed.emit(prepared)

    @Slot(object)
    def _on_search_error(self, error: BaseException) -> None:
        if isinstance(error, QueryInterrupted):
            return
        self._drop_arriving()
        self._result = None
        self.model.clear()
        message = error.message if isinstance(error, ArchiveError) else "The search failed; try other words."
        self._show_status(message)

    @Slot(int)
    def _on_model_more_requested(self, offset: int) -> None:
        if self._searcher is None or self._result is None or self._result.prepared is None:
            self.model.fetch_failed()
            return
        self._fetch_offset = offset
        self._submit(
            partial(self._searcher.page, self._result.prepared, offset, self.page_size),
            self._on_page_done,
            self._on_page_error,
        )

    @Slot(object)
    def _on_page_done(self, hits: list) -> None:
        self.model.append_hits(self._fetch_offset, hits)
        if len(hits) < self.page_size:
            self.model.finish()
        if self._advance_after_fetch:
            self._advance_after_fetch = False
            self._go_to((self._current_row + 1) % max(1, self.model.rowCount()))

    @Slot(object)
    def _on_page_error(self, error: BaseException) -> None:
        self.model.fetch_failed()
        self._advance_after_fetch = False
        if not isinstance(error, QueryInterrupted):
            self._show_status(error.message if isinstance(error, ArchiveError) else "More results could not be loaded.")

    def _status_text(self, result: SearchResult) -> str:
        if result.message:
            return result.message
        parts = []
        if result.total is None and result.hits:
            parts.append(f"{len(result.hits):,}+ results, " + ("counting…" if result.browsing else "ranking…"))
        elif result.total:
            count = f"{result.total:,}" if result.exact else f"about {result.total:,}"
            parts.append(
                f"{count} result{'s' if result.total != 1 else ''}"
                + (
                    " in this scope, in document order"
                    if result.browsing and result.order != "date"
                    else " in this scope, by date"
                    if result.browsing
                    else ""
                )
            )
        elif result.hint:
            parts.append(result.hint)
        if result.variants:
            parts.append("also searched: " + ", ".join(result.variants))
        parts += list(result.notes)
        return " · ".join(parts)

    def _show_status(self, text: str) -> None:
        self.status_label.setText(text)

    # ------------------------------------------------------------ hits

    @Slot()
    def _on_view_clicked(self, index) -> None:
        if index.isValid():
            self._remember(self.query_edit.text())
            self._go_to(index.row())

    def _go_to(self, row: int) -> None:
        hit = self.model.hit(row)
        if hit is None:
            return
        self._current_row = row
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        self.hit_requested.emit(hit.passage_id, [tuple(h) for h in hit.highlights])

    # ------------------------------------------------------------ history and small slots

    def _load_history(self) -> None:
        items = [v for v in settings.get_str_list(settings.SEARCH_HISTORY) if v.strip()][:MAX_HISTORY]
        self._history_model.setStringList(items)

    def _remember(self, text: str) -> None:
        text = " ".join(text.split())[:500]
        if parse(text).root is None:
            return
        items = [text] + [h for h in self.history() if h != text]
        items = items[:MAX_HISTORY]
        self._history_model.setStringList(items)
        settings.set_value(settings.SEARCH_HISTORY, items)

    def _fit_columns(self) -> None:
        """Who and where take their share of the width, the words found the rest: each hit says who and
        where at any dock width (long names and titles are cut with "…", the tooltip has them whole); the
        date and ¶ under the title always fit."""
        width = self.view.viewport().width()
        metrics = self.view.fontMetrics()
        digit = metrics.horizontalAdvance("0")
        place = metrics.horizontalAdvance("30 Sep 2021 · ¶ 1000") + 12
        header = self.view.header()
        compact = width < COMPACT_WIDTH
        if compact != self.view.isColumnHidden(WHO):
            self.view.setColumnHidden(WHO, compact)
            self.where_delegate.lead = WHO if compact else None
            self.view.scheduleDelayedItemsLayout()  # rows of three lines, or two
        if compact:
            header.resizeSection(WHERE, max(place, int(width * COMPACT_WHERE_SHARE)))
        else:
            header.resizeSection(WHO, max(digit * 9, min(digit * 22, int(width * WHO_SHARE))))
            header.resizeSection(WHERE, max(place, min(digit * 30, int(width * WHERE_SHARE))))

    @Slot(QPoint)
    def _on_view_context_menu_requested(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():
            return
        self.view.setCurrentIndex(index)
        menu = self.results_menu(index.row())
        if menu is not None:
            menu.popup(self.view.viewport().mapToGlobal(pos))

    @Slot(bool)
    def _on_filters_toggled(self, checked: bool) -> None:
        if checked and self.filters.stale:
            self.filters.fill()
        self.filters.setVisible(checked)
        self.filters_button.setAccessibleName("Hide filters" if checked else "Show filters")

    @Slot()
    def _on_help_clicked(self) -> None:
        QToolTip.showText(
            self.help_button.mapToGlobal(self.help_button.rect().bottomLeft()), SYNTAX_HELP, self.help_button
        )
