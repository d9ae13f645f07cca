"""The reader: one document, passage by passage, with who said what.

Other panels reach it through the main window: ``show_document(document_id)``,
``show_passage(passage_id, highlights=None)`` and ``show_quote(quote_id)``. Offsets everywhere are
offsets in ``passage.text`` (Python string indexes), the same ones the archive stores.

Why this module is over 600 lines: the drawing is in ``viewer.ui.widgets.reader_view``, the document's content
in ``viewer.ui.models.reader_document`` and its header page in ``viewer.ui.widgets.document_info``; what is
left here (loading in slices, going to a passage or a quote, the layers of speakers, hits and marks, the
selection, the context menu and the clipboard with citations) works on the one document loaded and its view,
and would need all of that state wherever it went.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QColor, QFont, QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import QLabel, QMenu, QStackedWidget, QVBoxLayout, QWidget

from viewer.core.citation import DEFAULT_TEMPLATE, Citation, cite_quote, cite_selection
from viewer.core.db import ArchiveError, QueryInterrupted
from viewer.core.records import Document, Passage, Quote, Speaker
from viewer.core.search import highlight_ranges
from viewer.ui import settings
from viewer.ui.models.reader_document import Range, ReaderContent, ReaderDocument, load_content
from viewer.ui.widgets.document_info import DocumentInfoPage
from viewer.ui.widgets.reader_view import ReaderView, direct_background, relayed_background
from viewer.ui.widgets.speaker_colors import is_dark, speaker_color, tint
from viewer.ui.widgets.text import action_text, count, escape, plain_label
from viewer.ui.workers import TaskRunner

BUILD_SLICE = 150  # passages laid out per turn of the event loop
MIN_FONT, MAX_FONT = 7, 32
HIT_COLOR = QColor("#ffd54a")
CURRENT_COLOR = QColor("#fff4c2")


@dataclass(frozen=True)
class ReaderContext:
    """Where a context menu was opened: the passage and offset under the mouse, the direct quote
    there (innermost), and the current selection as (passage id, start, end) ranges."""

    document_id: int | None
    passage_id: int | None
    offset: int | None
    quote_id: int | None
    ranges: tuple[Range, ...]


class ReaderPanel(QWidget):
    """The document reader (the main window's central widget).

    Signals:
        document_changed(object): the Document now shown (or None when nothing is).
        document_loaded(int): the document's text is fully laid out.
        passage_shown(int): a passage was brought into view by show_passage / show_quote.
        selection_changed(object): the selection as a list of (passage id, start, end), [] when none.
        context_menu_opened(object, object): (QMenu, ReaderContext) before the menu shows; add actions.
        speaker_clicked(int): a speaker's name in the margin was clicked.
        archive_error(object): reading the archive failed (an ArchiveError).
        status_message(str): a short note for the status bar.
        speaker_requested(object, object): "Set speaker…" for (Quote or None, Passage): who said the quote,
            or whose the passage is, for the user to decide.
    """

    document_changed = Signal(object)
    document_loaded = Signal(int)
    passage_shown = Signal(int)
    selection_changed = Signal(object)
    context_menu_opened = Signal(object, object)
    speaker_clicked = Signal(int)
    archive_error = Signal(object)
    status_message = Signal(str)
    speaker_requested = Signal(object, object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("readerPanel")
        self.setAccessibleName("Reader")
        self._archive = None
        self._worker_archive = None
        self._runner = TaskRunner(self)
        self._requested: int | str | None = None  # the document asked for (id), while loading or shown
        self._document: Document | None = None
        self._content: ReaderDocument | None = None
        self._target: tuple | None = None
        self._speaker: int | None = None
        self._marks: dict[str, list] = {}
        self._providers: dict[str, object] = {}
        self._ranges: list[Range] = []
        self._template_source = _default_template
        self._search = None  # the search whose words are marked (a PreparedQuery), if any
        self._search_passage: int | None = None  # the passage whose "hits" marks are the search's
        self._build_timer = QTimer(self)
        self._build_timer.setSingleShot(True)
        self._build_timer.setInterval(0)
        self._build_timer.timeout.connect(self._on_build_timer_timeout)

        self.title_label = plain_label(
            "", self, wrap=True, selectable=True, accessible_name="Document title", object_name="readerTitle"
        )
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title_label.setFont(font)
        self.meta_label = plain_label(
            "", self, wrap=True, selectable=True, accessible_name="Document details", object_name="readerMeta"
        )
        self.legend_label = QLabel(self)
        self.legend_label.setObjectName("readerLegend")
        self.legend_label.setAccessibleName("How quotes are marked")
        self.legend_label.setTextFormat(Qt.TextFormat.RichText)  # our own fixed text, no archive text
        self.legend_label.setWordWrap(True)

        self.view = ReaderView(self)
        self.view.selectionChanged.connect(self._on_view_selection_changed)
        self.view.context_menu_requested.connect(self._on_view_context_menu_requested)
        self.view.speaker_clicked.connect(self.speaker_clicked)
        self.info = DocumentInfoPage(self)
        self.info.listing_requested.connect(self._on_info_listing_requested)
        self.placeholder = plain_label(
            "", self, wrap=True, accessible_name="Reader status", object_name="readerPlaceholder"
        )
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.info)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        header = QVBoxLayout()
        header.setContentsMargins(12, 8, 12, 4)
        header.addWidget(self.title_label)
        header.addWidget(self.meta_label)
        header.addWidget(self.legend_label)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)

        self.copy_action = self._action(
            "&Copy", QKeySequence.StandardKey.Copy, self.copy, "Copy the selected text exactly as the archive has it"
        )
        self.cite_action = self._action(
            "Copy with &citation",
            QKeySequence("Ctrl+Shift+C"),
            self.copy_with_citation,
            "Copy the selection or the quote under the cursor with who said it, where and when",
        )
        self.select_all_action = self._action(
            "Select &all", QKeySequence.StandardKey.SelectAll, self.select_all, "Select the whole document"
        )
        self.set_speaker_action = self._action(
            "Set &speaker…",
            QKeySequence("Ctrl+Shift+S"),
            self.set_speaker_here,
            "Say who said the quote at the cursor, or whose its passage is",
        )
        self._apply_font_size(settings.get_int(settings.READER_FONT_SIZE, self._default_font_size()))
        self._show_placeholder("No archive is open.")
        self._update_actions()

    def _action(self, text: str, key, slot, tip: str) -> QAction:
        action = QAction(text, self)
        action.setShortcut(key)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        self.view.addAction(action)
        return action

    # ------------------------------------------------------------------ archive

    def set_archive(self, archive) -> None:
        """Show ``archive`` (nothing is shown until a document is asked for) or nothing (None)."""
        self._runner.cancel("load")
        self._runner.wait()
        self._build_timer.stop()
        if self._worker_archive is not None:
            self._worker_archive.close()
            self._worker_archive = None
        self._archive = archive
        self._requested = None
        self._document = None
        self._target = None
        self._speaker = None
        self._marks.clear()  # providers stay: they belong to panels that outlive an archive
        self._set_content(None)
        self.title_label.clear()
        self.meta_label.clear()
        self.legend_label.clear()
        if archive is None:
            self._show_placeholder("No archive is open.")
        else:
            self._worker_archive = archive.clone()
            self._show_placeholder("Choose a document in the Documents panel.")
        self.document_changed.emit(None)

    def current_document(self) -> Document | None:
        return self._document

    def set_template_source(self, source) -> None:
        """Where "Copy with citation" gets the user's citation template: ``source()`` returns it."""
        self._template_source = source

    # ------------------------------------------------------------------ navigation API

    def show_first_document(self, slug: str | None = None) -> None:
        """Show the document with ``slug`` if the archive has it, else its first document with text."""
        if self._worker_archive is None:
            return
        self._requested = slug or ""
        self._load(partial(load_content, self._worker_archive, None, slug))

    def show_document(self, document_id: int) -> None:
        """Show a document (its text, or its details when the archive has no text of it)."""
        self._target = None
        self._request_document(document_id)

    def _request_document(self, document_id: int) -> None:
        if self._worker_archive is None or document_id is None or document_id == self._requested:
            return
        self._requested = document_id
        self._load(partial(load_content, self._worker_archive, document_id))

    def show_search_hit(self, passage_id: int, highlights=None) -> bool:
        """``show_passage`` for a search result: every word of the search is marked in the passage, and
        the marks follow the search (``set_search_highlight``)."""
        shown = self.show_passage(passage_id, highlights, search=True)
        self._search_passage = passage_id if shown else None
        return shown

    def set_search_highlight(self, prepared) -> None:
        """The search whose words are marked: a result opened from it keeps every word of the current
        query marked (the marks change with the query), and loses them when there is none (None)."""
        self._search = prepared
        pid = self._search_passage
        if pid is None or self._content is None or pid not in self._content.row_by_id:
            return
        row = self._content.row_by_id[pid]
        if prepared is None:
            self._search_passage = None
            self.view.set_layer("hits", [])
            return
        if row >= self._content.built:
            return
        text = self._content.passages[row].text
        self._set_hits(row, list(highlight_ranges(text, prepared)))

    def _set_hits(self, row: int, highlights: list[tuple[int, int]]) -> None:
        content, view = self._content, self.view
        text = content.passages[row].text
        view.set_layer(
            "hits",
            [
                view.range_selection(content.position(row, s), content.position(row, e), HIT_COLOR, QColor("black"))
                for s, e in highlights
                if 0 <= s < e <= len(text)
            ],
        )

    def show_passage(self, passage_id: int, highlights=None, *, search: bool = False) -> bool:
        """Scroll ``passage_id`` into view, switching document if needed, and highlight the
        ``highlights`` (start, end) ranges of its text (with ``search``, also every word of the current
        search). False if there is no such passage."""
        self._search_passage = None
        if self._archive is None:
            return False
        target = ("passage", passage_id, _clean_ranges(highlights), search)
        if self._content is not None and passage_id in self._content.row_by_id:
            self._target = target
            self._apply_target()
            return True
        try:
            passage = self._archive.passage(passage_id)
        except ArchiveError as e:
            self.archive_error.emit(e)
            return False
        if passage is None:
            self.status_message.emit("That passage is not in this archive.")
            return False
        self._target = target
        self._go_to_document(passage.document_id)
        return True

    def show_quote(self, quote_id: int) -> bool:
        """Bring a quote into view and select it. False if there is no such quote."""
        self._search_passage = None
        if self._archive is None:
            return False
        try:
            quote = self._archive.quote(quote_id)
        except ArchiveError as e:
            self.archive_error.emit(e)
            return False
        if quote is None:
            self.status_message.emit("That quote is not in this archive.")
            return False
        self._target = ("quote", quote)
        if self._content is not None and quote.passage_id in self._content.row_by_id:
            self._apply_target()
        else:
            self._go_to_document(quote.document_id)
        return True

    def _go_to_document(self, document_id: int) -> None:
        """Load ``document_id`` unless it is the one already on its way (the target waits for it)."""
        loading = self._requested is not None and (self._document is None or self._requested != self._document.id)
        if loading and document_id == self._requested:
            return
        self._requested = None
        self._request_document(document_id)

    def set_speaker_highlight(self, speaker_id: int | None) -> None:
        """Tint the passages of ``speaker_id`` (None: no speaker)."""
        self._speaker = speaker_id
        self.view.set_highlighted_speaker(speaker_id)
        self._update_speaker_layer()

    def set_marks(self, key: str, marks) -> None:
        """Mark spans for another panel (bookmarks): ``marks`` is a list of (passage id, start, end,
        colour). Marks of passages in other documents are kept and shown when their document is."""
        self._marks[key] = [m for m in (marks or []) if len(m) >= 4]
        self._update_marks_layer(key)

    def set_span_provider(self, key: str, provider) -> None:
        """Mark spans that another panel knows per passage (the bookmarks controller's
        ``spans_for_passage``): ``provider(passage_id)`` returns objects with ``start``, ``end`` and
        ``colour_hex``, or (start, end, colour) tuples. Asked for each passage shown, and again on
        ``refresh_marks(key)``. None removes the provider."""
        if provider is None:
            self._providers.pop(key, None)
        else:
            self._providers[key] = provider
        self._update_marks_layer(key)

    def refresh_marks(self, key: str | None = None) -> None:
        """Ask the span providers again (all, or ``key``'s) for the document shown."""
        for name in [key] if key is not None else list(self._providers):
            self._update_marks_layer(name)

    def clear_highlights(self) -> None:
        self.view.set_layer("hits", [])
        self.view.set_layer("current", [])

    def selected_ranges(self) -> list[Range]:
        return list(self._ranges)

    def selected_text(self) -> str:
        return self._content.text_of(self._ranges) if self._content is not None else ""

    def quote_at_cursor(self) -> int | None:
        """The direct quote (innermost) at the text cursor, if any."""
        if self._content is None:
            return None
        cursor = self.view.textCursor()
        located = self._content.locate(cursor.selectionStart() if cursor.hasSelection() else cursor.position())
        if located is None:
            return None
        quotes = self._content.speech_at(*located)
        return quotes[-1].id if quotes else None

    def passage_at_cursor(self) -> int | None:
        """The passage at the text cursor, if any."""
        if self._content is None:
            return None
        cursor = self.view.textCursor()
        located = self._content.locate(cursor.selectionStart() if cursor.hasSelection() else cursor.position())
        return self._content.passages[located[0]].id if located is not None else None

    def quote(self, quote_id: int) -> Quote | None:
        """A quoted span (any kind) of the document shown."""
        if self._content is None:
            return None
        return next((q for q in self._content.content.quotes if q.id == quote_id), None)

    def passage(self, passage_id: int) -> Passage | None:
        """A passage of the document shown."""
        row = self._content.row_by_id.get(passage_id) if self._content is not None else None
        return self._content.passages[row] if row is not None else None

    def speakers(self) -> list[Speaker]:
        """The speakers of the document shown, in order of appearance."""
        return list(self._content.content.speakers.values()) if self._content is not None else []

    @Slot()
    def set_speaker_here(self) -> None:
        """ "Set speaker…" (Ctrl+Shift+S): for the quote at the cursor, else the passage at the cursor."""
        quote_id = self.quote_at_cursor()
        passage_id = self.passage_at_cursor()
        if passage_id is None:
            self.status_message.emit(
                "Put the cursor in a quote or a passage, then press Ctrl+Shift+S to say who said it."
            )
            return
        self.speaker_requested.emit(self.quote(quote_id) if quote_id is not None else None, self.passage(passage_id))

    def passage_at_top(self) -> int | None:
        row = self.view.first_visible_row()
        return self._content.passages[row].id if row is not None and self._content is not None else None

    # ------------------------------------------------------------------ loading

    def _load(self, fn) -> None:
        self._runner.submit("load", fn, self._on_load_done, self._on_load_failed, cancel=self._worker_archive.interrupt)

    @Slot(object)
    def _on_load_done(self, content: ReaderContent | None) -> None:
        self._build_timer.stop()
        self.clear_highlights()
        if content is None:
            self._document = None
            self._set_content(None)
            self.title_label.clear()
            self.meta_label.clear()
            self.legend_label.clear()
            self._show_placeholder("This archive has no document with text. Choose one in the Documents panel.")
            self._target = None
            self.document_changed.emit(None)
            return
        doc = content.document
        self._document = doc
        self._requested = doc.id
        self._set_header(content)
        if not doc.has_text:
            self._set_content(None)
            self.info.set_document(doc, content.listed_in, content.listed_in_document)
            self.stack.setCurrentWidget(self.info)
            self._target = None
            self.document_changed.emit(doc)
            return
        if not content.passages:
            self._set_content(None)
            self._show_placeholder("This document has no passages.")
            self.document_changed.emit(doc)
            return
        reader_doc = ReaderDocument(content, self.view.style_for_build(), self.view.font())
        reader_doc.build(BUILD_SLICE)
        self._set_content(reader_doc)
        self.stack.setCurrentWidget(self.view)
        self.document_changed.emit(doc)
        self._after_build_step()

    @Slot(object)
    def _on_load_failed(self, error: BaseException) -> None:
        if isinstance(error, QueryInterrupted):
            return
        self._requested = self._document.id if self._document is not None else None
        self._target = None
        if self._content is None:
            self._show_placeholder("This document cannot be read from the archive.")
        self.archive_error.emit(error)

    @Slot()
    def _on_build_timer_timeout(self) -> None:
        if self._content is None:
            return
        self._content.build(BUILD_SLICE)
        self.view.content_grew()
        self._after_build_step()

    def _after_build_step(self) -> None:
        self._update_speaker_layer()
        for key in set(self._marks) | set(self._providers):
            self._update_marks_layer(key)
        self._apply_target()
        if self._content.done:
            self.document_loaded.emit(self._document.id)
        else:
            self._build_timer.start()

    def _set_content(self, content: ReaderDocument | None) -> None:
        self._content = content
        self._ranges = []
        self.view.set_content(content)
        self._update_actions()

    def _set_header(self, content: ReaderContent) -> None:
        doc = content.document
        self.title_label.setText(doc.title)
        parts = [doc.date_label, doc.kind, f"by {doc.author}" if doc.author else "", doc.publisher or doc.organiser]
        if doc.has_text:
            if doc.pages:
                parts.append(count(doc.pages, "page"))
            parts.append(count(len(content.passages), "passage"))
            if content.speakers:
                parts.append(count(len(content.speakers), "speaker"))
            parts.append(doc.url or "")
        else:
            parts.append("text not in this archive")
        self.meta_label.setText(" · ".join(p for p in parts if p))
        has_quotes = any(q.kind == "quote" for q in content.quotes)
        if doc.has_text and has_quotes:
            dark = is_dark(self.palette())
            base = self.palette().color(QPalette.ColorRole.Base)
            sample = direct_background(1, base, dark).name()
            relayed = relayed_background(base, dark).name()
            self.legend_label.setText(
                f"<small><span style='background:{sample}; text-decoration: underline'>&nbsp;tinted&nbsp;</span> "
                "direct quote, in the speaker's colour &nbsp;·&nbsp; "
                f"<span style='background:{relayed}; text-decoration: underline; font-style: italic'>"
                "&nbsp;grey, dashed&nbsp;</span> "
                "someone else's words relayed by a speaker &nbsp;·&nbsp; "
                + (
                    f"<span style='background:{relayed}; text-decoration: underline'>&nbsp;grey, dotted&nbsp;</span> "
                    "unattributed: the text does not say surely who &nbsp;·&nbsp; "
                    if any(q.kind == "quote" and not q.attributed and not q.corrected for q in content.quotes)
                    else ""
                )
                + "hover a quote to see who said it</small>"
            )
        else:
            self.legend_label.clear()
        self.legend_label.setVisible(bool(self.legend_label.text()))

    def _show_placeholder(self, text: str) -> None:
        self.placeholder.setText(text)
        self.stack.setCurrentWidget(self.placeholder)

    # ------------------------------------------------------------------ targets and layers

    def _apply_target(self) -> None:
        if self._target is None or self._content is None:
            return
        if self._target[0] == "passage":
            _, pid, highlights, search = self._target
            row = self._content.row_by_id.get(pid)
        else:
            quote: Quote = self._target[1]
            row = self._content.row_by_id.get(quote.passage_id)
            pid = quote.passage_id
        if row is None:
            self._target = None
            return
        if row >= self._content.built:
            return  # not laid out yet; tried again after the next slice
        target, self._target = self._target, None
        content = self._content
        view = self.view
        base = self.palette().color(QPalette.ColorRole.Base)
        current_color = CURRENT_COLOR if not is_dark(self.palette()) else tint(CURRENT_COLOR, base, 0.25)
        view.set_layer("current", [view.block_selection(content.block_positions[row], current_color)])
        text = content.passages[row].text
        if target[0] == "passage":
            if search and self._search is not None:
                highlights = sorted(set(highlights) | set(highlight_ranges(text, self._search)))
            self._set_hits(row, highlights)
            first = min((s for s, e in highlights if 0 <= s < e <= len(text)), default=None)
            view.scroll_to_row(row, first)
        else:
            view.set_layer("hits", [])
            cursor = view.textCursor()
            cursor.setPosition(content.position(row, quote.start))
            cursor.setPosition(content.position(row, quote.end), cursor.MoveMode.KeepAnchor)
            view.setTextCursor(cursor)
            view.scroll_to_row(row, quote.start)
        self.passage_shown.emit(pid)

    def _update_speaker_layer(self) -> None:
        if self._content is None or self._speaker is None:
            self.view.set_layer("speaker", [])
            return
        base = self.palette().color(QPalette.ColorRole.Base)
        color = tint(speaker_color(self._speaker, is_dark(self.palette())), base, 0.12)
        content = self._content
        self.view.set_layer(
            "speaker",
            [
                self.view.block_selection(content.block_positions[row], color)
                for row in range(content.built)
                if content.passages[row].speaker_id == self._speaker
            ],
        )

    def _update_marks_layer(self, key: str) -> None:
        name = f"marks:{key}"
        if self._content is None:
            self.view.set_layer(name, [])
            return
        content = self._content
        marks = list(self._marks.get(key, ()))
        provider = self._providers.get(key)
        if provider is not None:
            for row in range(content.built):
                pid = content.passages[row].id
                for span in provider(pid) or ():
                    if isinstance(span, tuple):
                        marks.append((pid, *span[:3]))
                    else:
                        marks.append((pid, span.start, span.end, getattr(span, "colour_hex", "#ffd54a")))
        out = []
        for mark in marks:
            pid, start, end, color = mark[:4]
            row = content.row_by_id.get(pid)
            if row is None or row >= content.built or not 0 <= start < end <= len(content.passages[row].text):
                continue
            out.append(
                self.view.range_selection(content.position(row, start), content.position(row, end), QColor(color))
            )
        self.view.set_layer(name, out)

    # ------------------------------------------------------------------ selection, menu, clipboard

    @Slot()
    def _on_view_selection_changed(self) -> None:
        cursor = self.view.textCursor()
        ranges = (
            self._content.ranges(cursor.selectionStart(), cursor.selectionEnd())
            if self._content is not None and cursor.hasSelection()
            else []
        )
        if ranges != self._ranges:
            self._ranges = ranges
            self._update_actions()
            self.selection_changed.emit(list(ranges))

    def _update_actions(self) -> None:
        has_text = self._content is not None
        self.copy_action.setEnabled(bool(self._ranges))
        self.cite_action.setEnabled(has_text)
        self.select_all_action.setEnabled(has_text)
        self.set_speaker_action.setEnabled(has_text)

    def context_at(self, position: int) -> ReaderContext:
        """What is at document position ``position`` (for the context menu)."""
        pid = offset = quote_id = None
        if self._content is not None:
            located = self._content.locate(position)
            if located is not None:
                row, offset = located
                pid = self._content.passages[row].id
                quotes = self._content.speech_at(row, offset)
                quote_id = quotes[-1].id if quotes else None
        return ReaderContext(self._document.id if self._document else None, pid, offset, quote_id, tuple(self._ranges))

    def context_menu(self, position: int) -> QMenu:
        """The reader's context menu for document position ``position`` (not yet shown)."""
        ctx = self.context_at(position)
        menu = QMenu(self)
        menu.setObjectName("readerContextMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction(self.copy_action)
        cite = menu.addAction("Copy selection with citation")
        cite.setObjectName("citeSelectionAction")
        cite.setShortcut(self.cite_action.shortcut())
        cite.setEnabled(bool(ctx.ranges))
        cite.triggered.connect(self.copy_with_citation)
        if ctx.quote_id is not None:
            quote = next(
                q for q in self._content.speech_in(self._content.row_by_id[ctx.passage_id]) if q.id == ctx.quote_id
            )
            who = quote.speaker_name or quote.speaker_label or "unidentified speaker"
            act = menu.addAction(action_text(f"Copy quote of {who} with citation"))
            act.setObjectName("citeQuoteAction")
            act.triggered.connect(partial(self.copy_quote_with_citation, quote.id))
            act = menu.addAction("Select this quote")
            act.setObjectName("selectQuoteAction")
            act.triggered.connect(partial(self.select_quote, quote.id))
        if ctx.passage_id is not None:
            seq = self._content.passages[self._content.row_by_id[ctx.passage_id]].seq
            act = menu.addAction(f"Copy ¶ {seq} with citation")
            act.setObjectName("citePassageAction")
            act.triggered.connect(partial(self.copy_passage_with_citation, ctx.passage_id))
            menu.addSeparator()
            if ctx.quote_id is not None:
                act = menu.addAction("Set speaker of this &quote…")
                act.setObjectName("setQuoteSpeakerAction")
                act.setShortcut(self.set_speaker_action.shortcut())  # shown as a hint
                act.triggered.connect(partial(self._request_speaker, ctx.quote_id, ctx.passage_id))
            act = menu.addAction(f"Set speaker of ¶ {seq}…")
            act.setObjectName("setPassageSpeakerAction")
            if ctx.quote_id is None:
                act.setShortcut(self.set_speaker_action.shortcut())
            act.triggered.connect(partial(self._request_speaker, None, ctx.passage_id))
        menu.addSeparator()
        menu.addAction(self.select_all_action)
        self.context_menu_opened.emit(menu, ctx)
        return menu

    def _request_speaker(self, quote_id: int | None, passage_id: int, _checked: bool = False) -> None:
        self.speaker_requested.emit(self.quote(quote_id) if quote_id is not None else None, self.passage(passage_id))

    @Slot(QPoint, int)
    def _on_view_context_menu_requested(self, global_pos: QPoint, position: int) -> None:
        self.context_menu(position).popup(global_pos)

    @Slot()
    def select_all(self) -> None:
        self.view.selectAll()

    def select_quote(self, quote_id: int) -> None:
        if self._content is None:
            return
        for row in range(self._content.built):
            for q in self._content.speech_in(row):
                if q.id == quote_id:
                    cursor = self.view.textCursor()
                    cursor.setPosition(self._content.position(row, q.start))
                    cursor.setPosition(self._content.position(row, q.end), cursor.MoveMode.KeepAnchor)
                    self.view.setTextCursor(cursor)
                    return

    @Slot()
    def copy(self) -> None:
        """Copy the selection exactly as the archive has it (plain text)."""
        text = self.selected_text()
        if text:
            mime = QMimeData()
            mime.setText(text)
            QGuiApplication.clipboard().setMimeData(mime)

    @Slot()
    def copy_with_citation(self) -> None:
        """Copy the selection, or else the quote at the cursor, with its citation (plain text and HTML)."""
        if self._archive is None:
            return
        try:
            if self._ranges:
                citations = [cite_selection(self._archive, pid, s, e) for pid, s, e in self._ranges]
            else:
                quote_id = self.quote_at_cursor()
                if quote_id is None:
                    self.status_message.emit(
                        "Select some text, or put the cursor in a quote, to copy it with its citation."
                    )
                    return
                citations = [cite_quote(self._archive, quote_id)]
        except ArchiveError as e:
            self.archive_error.emit(e)
            return
        self._put_citations([c for c in citations if c is not None])

    def copy_quote_with_citation(self, quote_id: int) -> None:
        try:
            citation = cite_quote(self._archive, quote_id) if self._archive is not None else None
        except ArchiveError as e:
            self.archive_error.emit(e)
            return
        if citation is not None:
            self._put_citations([citation])

    def copy_passage_with_citation(self, passage_id: int) -> None:
        if self._content is None or passage_id not in self._content.row_by_id:
            return
        text = self._content.passages[self._content.row_by_id[passage_id]].text
        try:
            citation = cite_selection(self._archive, passage_id, 0, len(text))
        except ArchiveError as e:
            self.archive_error.emit(e)
            return
        if citation is not None:
            self._put_citations([citation])

    def _put_citations(self, citations: list[Citation]) -> None:
        if not citations:
            return
        template = self._template_source()
        plain = [c.render(template) for c in citations]
        mime = QMimeData()
        mime.setText("\n\n".join(plain))
        mime.setHtml("<html><body>" + "".join(f"<p>{escape(p)}</p>" for p in plain) + "</body></html>")
        QGuiApplication.clipboard().setMimeData(mime)
        self.status_message.emit(
            "Copied with citation." if len(plain) == 1 else f"Copied {len(plain)} passages with their citations."
        )

    # ------------------------------------------------------------------ zoom

    @staticmethod
    def _default_font_size() -> int:
        return max(MIN_FONT, round(QGuiApplication.font().pointSizeF() * 1.15))

    def font_size(self) -> int:
        return round(self.view.font().pointSizeF())

    def _apply_font_size(self, size: int) -> None:
        size = max(MIN_FONT, min(MAX_FONT, int(size)))
        font = QFont(self.view.font())
        font.setPointSize(size)
        self.view.setFont(font)

    def zoom(self, step: int) -> None:
        """Make the text larger (step > 0), smaller (< 0) or the default size (0); remembered."""
        size = self._default_font_size() if step == 0 else self.font_size() + step
        self._apply_font_size(size)
        settings.set_value(settings.READER_FONT_SIZE, self.font_size())
        if self._content is not None:
            self._content.doc.setDefaultFont(self.view.font())

    # ------------------------------------------------------------------ misc

    @Slot(int)
    def _on_info_listing_requested(self, passage_id: int) -> None:
        self.show_passage(passage_id, None)


def _default_template() -> str:
    return DEFAULT_TEMPLATE


def _clean_ranges(highlights) -> list[tuple[int, int]]:
    """Highlights from other panels: keep well-formed (start, end) integer pairs only."""
    out = []
    for item in highlights or ():
        try:
            start, end = int(item[0]), int(item[1])
        except (TypeError, ValueError, IndexError):
            continue
        if 0 <= start < end:
            out.append((start, end))
    return out
