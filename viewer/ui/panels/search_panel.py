"""The search dock: a query box that searches as you type, filters, results, hit navigation."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QPoint, QSettings, QStringListModel, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QCompleter, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMenu,
    QSizePolicy, QToolButton, QToolTip, QTreeView, QVBoxLayout, QWidget,
)

from viewer.core.archive import Archive
from viewer.core.db import ArchiveError, QueryInterrupted
from viewer.core.query import parse
from viewer.core.search import (
    DEFAULT_LIMIT, DEFAULT_TIMEOUT_MS, SearchHit, SearchOptions, SearchResult, collections, parse_date_bound,
)
from viewer.core.search_service import SearchService
from viewer.ui.models.search_results_model import DATE, DOCUMENT, SNIPPET, SPEAKER, SearchResultsModel, SnippetDelegate
from viewer.ui.workers import TaskRunner

HISTORY_KEY = "search/history"
MAX_HISTORY = 20
DEBOUNCE_MS = 200  # a search starts this long after the last keystroke (Enter: at once)
COMPACT_WIDTH = 600  # narrower results leave out the document and date columns so the words found show
CHANNEL = "search"
SCOPE_DOCUMENT = "document:"  # scope_combo data: "document:<id>" or "collection:<name>"
SCOPE_COLLECTION = "collection:"

SYNTAX_SHORT = 'words   "phrase"   prefix*   a OR b   -word   ( )'
SYNTAX_HELP = (
    "<p><b>Search syntax</b></p>"
    "<p>words: all must appear (any case, with or without diacritics, Cyrillic or Latin)<br>"
    "\"exact phrase\": these words in this order<br>"
    "prefix*: words that start with it (Kazakh* finds Kazakhstan)<br>"
    "a OR b: either word<br>"
    "-word or NOT word: leave out what has this word<br>"
    "( ): group, as in sanctions (regime OR government)</p>"
    "<p>Spelling variants of rare words are searched too and named under the box.</p>"
)


def _nothing() -> None:
    return None


def _no_mnemonic(text: str) -> str:
    """Menu and button texts treat "&" as a shortcut marker; archive names show it as written."""
    return text.replace("&", "&&")


class StayOpenMenu(QMenu):
    """A menu of check boxes that stays open while they are ticked, so several can be chosen."""

    def mouseReleaseEvent(self, event) -> None:
        action = self.activeAction()
        if action is not None and action.isEnabled() and action.isCheckable():
            action.trigger()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event) -> None:
        action = self.activeAction()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and action is not None \
                and action.isEnabled() and action.isCheckable():
            action.trigger()
            return
        super().keyPressEvent(event)


class SearchPanel(QWidget):
    """Search the archive as you type.

    Signals:
        passage_requested(int, object): open a passage; highlights are (start, end) offsets in
            its text (a list) or None.
        bookmark_requested(object): the user asked to bookmark this result (a SearchHit).
        search_started(str): a search for this text was sent to the worker.
        results_ready(object): the SearchResult now shown (hint and time-out results too).
    """

    passage_requested = Signal(int, object)
    bookmark_requested = Signal(object)
    search_started = Signal(str)
    results_ready = Signal(object)

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
        self._filters_stale = True  # the speaker and document lists are read when the filters are first shown
        self._compact: bool | None = None
        self.page_size = DEFAULT_LIMIT
        self.timeout_ms = DEFAULT_TIMEOUT_MS
        self._build()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._search_now)
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

        self.filters = self._build_filters()
        self.filters.setVisible(False)

        self.status_label = QLabel(self)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)  # variants come from the archive
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName("Search status")

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
        self.view.setAccessibleName("Search results")
        header = self.view.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in ((0, 60), (1, 130), (2, 120), (3, 100)):
            header.resizeSection(col, width)
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
        layout.addWidget(self.status_label)
        layout.addWidget(self.view, 1)

        self.next_shortcut = QShortcut(QKeySequence(Qt.Key.Key_F3), self, context=Qt.ShortcutContext.WindowShortcut)
        self.next_shortcut.activated.connect(self.next_hit)
        self.previous_shortcut = QShortcut(QKeySequence(Qt.Modifier.SHIFT | Qt.Key.Key_F3), self,
                                           context=Qt.ShortcutContext.WindowShortcut)
        self.previous_shortcut.activated.connect(self.previous_hit)

    def _build_filters(self) -> QWidget:
        box = QWidget(self)
        self.speakers_button = QToolButton(box)
        self.speakers_button.setText("All speakers")
        self.speakers_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.speakers_button.setAccessibleName("Speakers")
        self.speakers_menu = StayOpenMenu(self.speakers_button)
        self.speakers_button.setMenu(self.speakers_menu)

        self.scope_combo = QComboBox(box)
        self.scope_combo.setAccessibleName("Document or collection")
        self.scope_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.scope_combo.setMinimumContentsLength(12)
        self.scope_combo.currentIndexChanged.connect(self._on_scope_changed)

        self.from_edit = QLineEdit(box)
        self.from_edit.setPlaceholderText("from (2021-03)")
        self.from_edit.setAccessibleName("From date")
        self.to_edit = QLineEdit(box)
        self.to_edit.setPlaceholderText("to (25 March 2021)")
        self.to_edit.setAccessibleName("To date")
        for edit in (self.from_edit, self.to_edit):
            edit.setMaxLength(40)
            edit.editingFinished.connect(self._on_date_edited)

        self.quotes_only_check = QCheckBox("Quotes only", box)
        self.quotes_only_check.toggled.connect(self._on_check_toggled)
        self.exact_check = QCheckBox("Exact diacritics", box)
        self.exact_check.setToolTip("Only text with exactly the diacritics typed (Auštrevičius, not Austrevicius)")
        self.exact_check.toggled.connect(self._on_check_toggled)
        self.order_combo = QComboBox(box)
        self.order_combo.setAccessibleName("Order")
        self.order_combo.addItem("Most relevant first", "relevance")
        self.order_combo.addItem("Document order", "document")
        self.order_combo.currentIndexChanged.connect(self._on_scope_changed)

        row1 = QHBoxLayout()
        row1.setContentsMargins(0, 0, 0, 0)
        row1.addWidget(self.speakers_button)
        row1.addWidget(self.scope_combo, 1)
        row2 = QHBoxLayout()
        row2.setContentsMargins(0, 0, 0, 0)
        row2.addWidget(self.from_edit)
        row2.addWidget(self.to_edit)
        row3 = QHBoxLayout()
        row3.setContentsMargins(0, 0, 0, 0)
        row3.addWidget(self.quotes_only_check)
        row3.addWidget(self.exact_check)
        row3.addWidget(self.order_combo, 1)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row1)
        layout.addLayout(row2)
        layout.addLayout(row3)
        box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        return box

    # ------------------------------------------------------------ archive

    def set_archive(self, archive: Archive | None) -> None:
        """Use ``archive`` (or none). The panel searches on its own clone, off the UI thread (a big
        archive in a process of its own, started at the first keystroke, while the debounce waits)."""
        self._debounce.stop()
        self._runner.cancel(CHANNEL)
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
        self._filters_stale = True
        if self.filters.isVisibleTo(self):
            self._fill_filters()
        if self.query_edit.text().strip():
            self._search_now()
        else:
            self._show_status(parse("").hint or "" if archive is not None else "No archive is open.")
        if self._closing and not self._runner.is_busy(CHANNEL):
            self._submit(_nothing, cancellable=False)  # else the search just sent closes them first

    def _fill_filters(self) -> None:
        self._filters_stale = False
        self.speakers_menu.clear()
        self.scope_combo.blockSignals(True)
        self.scope_combo.clear()
        self.scope_combo.addItem("All documents", "")
        if self._archive is not None:
            for speaker in self._archive.speakers():
                action = QAction(_no_mnemonic(speaker.name), self.speakers_menu)
                action.setCheckable(True)
                action.setData(speaker.id)
                action.toggled.connect(self._on_speaker_toggled)
                self.speakers_menu.addAction(action)
            for name in collections(self._archive):
                self.scope_combo.addItem(f"Collection: {name}", f"{SCOPE_COLLECTION}{name}")
            for doc in self._archive.documents():
                if doc.has_text:
                    self.scope_combo.addItem(doc.title, f"{SCOPE_DOCUMENT}{doc.id}")
        self.scope_combo.setCurrentIndex(0)
        self.scope_combo.blockSignals(False)
        self._update_speakers_button()

    # ------------------------------------------------------------ public

    def focus_query(self) -> None:
        """Put the cursor in the query box with its text selected (for Ctrl+F)."""
        self.query_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query_edit.selectAll()

    def search(self, text: str) -> None:
        """Search ``text`` now, as if typed and Enter pressed."""
        self.query_edit.setText(text)
        self._on_query_return_pressed()

    def selected_speakers(self) -> tuple[int, ...]:
        return tuple(a.data() for a in self.speakers_menu.actions() if a.isChecked())

    def set_speakers(self, speaker_ids) -> None:
        if self._filters_stale:
            self._fill_filters()
        wanted = set(speaker_ids)
        for action in self.speakers_menu.actions():
            action.blockSignals(True)
            action.setChecked(action.data() in wanted)
            action.blockSignals(False)
        self._update_speakers_button()
        self._filters_changed()

    def options(self) -> SearchOptions:
        """The filters as they are set now."""
        scope = self.scope_combo.currentData() or ""
        return SearchOptions(
            speakers=self.selected_speakers(),
            documents=(int(scope[len(SCOPE_DOCUMENT):]),) if scope.startswith(SCOPE_DOCUMENT) else (),
            collection=scope[len(SCOPE_COLLECTION):] if scope.startswith(SCOPE_COLLECTION) else None,
            date_from=parse_date_bound(self.from_edit.text()) if self.from_edit.text().strip() else None,
            date_to=parse_date_bound(self.to_edit.text()) if self.to_edit.text().strip() else None,
            quotes_only=self.quotes_only_check.isChecked(),
            order=self.order_combo.currentData() or "relevance",
            limit=self.page_size,
            exact_diacritics=self.exact_check.isChecked(),
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
        self._debounce.stop()
        self._remember(self.query_edit.text())
        self._search_now()

    @Slot(int)
    def _on_scope_changed(self, _index: int) -> None:
        self._filters_changed()

    @Slot(bool)
    def _on_check_toggled(self, _checked: bool) -> None:
        self._filters_changed()

    @Slot()
    def _on_date_edited(self) -> None:
        self._filters_changed()

    def _filters_changed(self) -> None:
        for edit in (self.from_edit, self.to_edit):
            bad = bool(edit.text().strip()) and parse_date_bound(edit.text()) is None
            edit.setToolTip("Not a date: try 2021, 2021-03, 2021-03-25 or 25 March 2021" if bad else "")
        self._debounce.start()

    @Slot(bool)
    def _on_speaker_toggled(self, _checked: bool) -> None:
        self._update_speakers_button()
        self._filters_changed()

    def _update_speakers_button(self) -> None:
        chosen = [a.text() for a in self.speakers_menu.actions() if a.isChecked()]  # already escaped
        label = "All speakers" if not chosen else chosen[0] if len(chosen) == 1 else f"{len(chosen)} speakers"
        self.speakers_button.setText(label)

    def _search_now(self) -> None:
        text = self.query_edit.text()
        self._current_row = -1
        self._advance_after_fetch = False
        query = parse(text)
        if query.root is None or self._searcher is None:
            self._runner.cancel(CHANNEL)
            self._result = None
            self.model.clear()
            hint = query.hint if self._searcher is not None else "No archive is open."
            self._show_status(hint or "")
            if self._searcher is not None:
                self.results_ready.emit(SearchResult(query.text, None, notes=query.notes, hint=query.hint))
            return
        self.search_started.emit(text)
        self._submit(partial(self._searcher.staged, text, self.options()), self._on_search_done,
                     self._on_search_error, on_progress=self._on_first_page)

    def _submit(self, fn: Callable, on_done=None, on_error=None, cancellable: bool = True,
                on_progress=None) -> None:
        searcher = self._searcher if cancellable else None
        work = partial(self._in_worker_reporting, fn) if on_progress is not None else partial(self._in_worker, fn)
        self._runner.submit(CHANNEL, work, on_done, on_error,
                            cancel=searcher.interrupt if searcher is not None else None, on_progress=on_progress)

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
        """The unranked first page of a big archive's answer, shown while the ranking runs."""
        if self.model.rowCount() and self._result is not None and self._result.query == result.query:
            return  # already showing this query's ranked answer
        self._result = result
        self.model.set_result(result)
        self._show_status(self._status_text(result))

    @Slot(object)
    def _on_search_done(self, result: SearchResult) -> None:
        self._result = result
        self.model.set_result(result)
        self._show_status(self._status_text(result))
        self.results_ready.emit(result)

    @Slot(object)
    def _on_search_error(self, error: BaseException) -> None:
        if isinstance(error, QueryInterrupted):
            return
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
        self._submit(partial(self._searcher.page, self._result.prepared, offset, self.page_size),
                     self._on_page_done, self._on_page_error)

    @Slot(object)
    def _on_page_done(self, hits: list) -> None:
        self.model.append_hits(self._fetch_offset, hits)
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
            parts.append(f"{len(result.hits):,}+ results, ranking…")
        elif result.total:
            parts.append(f"{result.total:,} result{'s' if result.total != 1 else ''}")
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
        self.passage_requested.emit(hit.passage_id, [tuple(h) for h in hit.highlights])

    # ------------------------------------------------------------ history and small slots

    def _load_history(self) -> None:
        value = QSettings().value(HISTORY_KEY, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)):
            value = []  # a damaged or foreign setting: start afresh
        items = [v for v in value if isinstance(v, str) and v.strip()][:MAX_HISTORY]
        self._history_model.setStringList(items)

    def _remember(self, text: str) -> None:
        text = " ".join(text.split())[:500]
        if parse(text).root is None:
            return
        items = [text] + [h for h in self.history() if h != text]
        items = items[:MAX_HISTORY]
        self._history_model.setStringList(items)
        QSettings().setValue(HISTORY_KEY, items)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """In a narrow dock the document and date columns give their room to the words found (the
        reader shows both when a result is opened)."""
        compact = self.width() < COMPACT_WIDTH
        if compact == self._compact:
            return
        self._compact = compact
        for column in (DOCUMENT, DATE):
            self.view.setColumnHidden(column, compact)
        self.view.header().resizeSection(SPEAKER, 120 if compact else 130)

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
        if checked and self._filters_stale:
            self._fill_filters()
        self.filters.setVisible(checked)

    @Slot()
    def _on_help_clicked(self) -> None:
        QToolTip.showText(self.help_button.mapToGlobal(self.help_button.rect().bottomLeft()), SYNTAX_HELP,
                          self.help_button)
