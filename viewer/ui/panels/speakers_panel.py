"""The Speakers dock: everyone who speaks, with their counts, a filter, and a short profile.

Why this module is a little over 600 lines: the list, its filter, the selected speaker's profile and the
stepping through their passages are one selection and its views; the table model is in
``viewer.ui.models``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QSize, Qt, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListView,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from viewer.core.db import QueryInterrupted
from viewer.core.records import Document, EventRole, Quote, Speaker
from viewer.core.text import fold
from viewer.ui import settings
from viewer.ui.models.profile_models import EventRolesModel, SpeakerQuotesModel
from viewer.ui.models.roles import RECORD_ROLE
from viewer.ui.models.speakers_model import (
    NAME,
    ORDER,
    PASSAGES,
    QUOTES,
    ROLE,
    WORDS,
    SpeakersFilterModel,
    SpeakersModel,
    affiliation,
    filter_haystacks,
)
from viewer.ui.panels.panel import PanelLinks
from viewer.ui.widgets.fitted_list import FittedListView
from viewer.ui.widgets.speaker_colors import is_dark, speaker_color
from viewer.ui.widgets.text import count, plain_label
from viewer.ui.workers import TaskRunner


@dataclass(frozen=True)
class SpeakerProfile:
    speaker: Speaker
    roles: list[tuple[Document, EventRole]]
    quotes: list[Quote]
    passage_ids: list[int]


def load_speakers(archive, document_id: int | None) -> tuple[list[Speaker], list[str]]:
    """The speakers (of one document, or all) and what the filter looks in (runs on a worker)."""
    speakers = archive.speakers(document_id)
    return speakers, filter_haystacks(speakers)


def load_profile(archive, speaker_id: int) -> SpeakerProfile | None:
    """Everything the profile shows (runs on a worker with its own connection)."""
    speaker = archive.speaker(speaker_id)
    if speaker is None:
        return None
    return SpeakerProfile(
        speaker,
        archive.event_roles(speaker_id),
        archive.quotes(speaker_id=speaker_id),
        archive.passage_ids(speaker_id=speaker_id),
    )


PROFILE_HINT = "select one for their profile"
NAME_CHARS = 14  # a name column never narrower than this many digits: names stay readable
NAME_MAX_CHARS = 24  # columns are left out to give the longest name up to this many
ROLE_MIN_CHARS = 16  # the role column is shown only with room for this many more
# when the dock is narrow, columns are left out in this order (the profile and tooltips keep them)
DROP_ORDER = (ROLE, ORDER, QUOTES, PASSAGES)


def _bare(text: str) -> str:
    """Text compared for sameness: folded, without quote marks or extra spaces."""
    return " ".join(fold(text).replace('"', " ").replace("'", " ").split())


class SpeakersPanel(QWidget):
    """Speakers with role, organisation and counts; a filter box; sortable columns (by default the
    order of appearance); the selected speaker's profile and their passages one by one.

    Signals:
        passage_requested(int, object): show a passage (highlights: None).
        quote_requested(int): show a quote.
        document_requested(int): show a document.
        speaker_highlighted(object): the selected speaker's id, or None; the reader tints their passages.
        speaker_listing_requested(int): list everything this speaker said (in the search panel).
        archive_error(object): reading the archive failed (an ArchiveError).
    """

    passage_requested = Signal(int, object)
    quote_requested = Signal(int)
    document_requested = Signal(int)
    speaker_highlighted = Signal(object)
    speaker_listing_requested = Signal(int)
    archive_error = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("speakersPanel")
        self.setAccessibleName("Speakers")
        self._archive = None
        self._worker_archive = None
        self._runner = TaskRunner(self)
        self._document_id: int | None = None
        self._selected: int | None = None
        self._profile: SpeakerProfile | None = None
        self._passage_index = -1
        self._jump_first = False

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("speakersFilter")
        self.filter_edit.setPlaceholderText("Filter by name, role or organisation")
        self.filter_edit.setAccessibleName("Filter speakers")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAcceptDrops(False)  # a dropped archive file goes to the window, not in here
        self.filter_edit.textChanged.connect(self._on_filter_text_changed)
        self.this_document = QCheckBox("Only this document", self)
        self.this_document.setObjectName("speakersThisDocument")
        self.this_document.setAccessibleName("Only speakers of the document in the reader")
        self.this_document.setToolTip(
            "List only the speakers of the document shown in the reader, with their counts in that document"
        )
        self.this_document.setChecked(settings.get_bool(settings.SPEAKERS_THIS_DOCUMENT, False))
        self.this_document.toggled.connect(self._on_this_document_toggled)
        self.count_label = plain_label("", self, accessible_name="Number of speakers", object_name="speakersCount")

        self.model = SpeakersModel(self)
        self.proxy = SpeakersFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.table = QTableView(self)
        self.table.setObjectName("speakersTable")
        self.table.setAccessibleName("Speakers")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(ORDER, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setAccessibleName("Speaker columns: click to sort")
        self.table.verticalHeader().setAccessibleName("Speaker rows")
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(24)
        self.table.viewport().installEventFilter(self)  # its resizes fit the columns
        self.model.modelReset.connect(self._fit_columns)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.table.activated.connect(self._on_table_activated)

        self._build_profile()

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("speakersSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.profile_scroll)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([240, 380])
        self.profile_scroll.hide()  # the table has the whole dock until a speaker is selected

        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.this_document)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.count_label)
        layout.addWidget(self.splitter, 1)
        self._set_enabled(False)

    def _build_profile(self) -> None:
        self.profile_stack = QStackedWidget(self)
        self.profile_stack.setObjectName("speakerProfile")
        self.profile_hint = plain_label("", self, wrap=True, accessible_name="Profile hint")
        self.profile_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # the profile scrolls when the dock is short: it never makes the window taller than the screen
        self.profile_scroll = QScrollArea(self)
        self.profile_scroll.setObjectName("speakerProfileScroll")
        self.profile_scroll.setAccessibleName("Speaker profile")
        self.profile_scroll.setWidgetResizable(True)
        self.profile_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to what is in it
        self.profile_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.profile_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.profile_scroll.setWidget(self.profile_stack)
        body = QWidget(self)
        body.setAccessibleName("Speaker profile")
        self.profile_name = plain_label(
            "", body, wrap=True, selectable=True, accessible_name="Speaker name", object_name="profileName"
        )
        font = self.profile_name.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.profile_name.setFont(font)
        self.profile_role = plain_label(
            "", body, wrap=True, selectable=True, accessible_name="Role and organisation", object_name="profileRole"
        )
        self.profile_details = plain_label(
            "", body, wrap=True, selectable=True, accessible_name="Speaker details", object_name="profileDetails"
        )
        self.profile_counts = plain_label(
            "", body, wrap=True, accessible_name="Speaker counts", object_name="profileCounts"
        )

        self.prev_button = QPushButton("◀ Previous", body)
        self.prev_button.setObjectName("previousPassageButton")
        self.prev_button.setAccessibleName("Previous passage of this speaker")
        self.prev_button.setToolTip("Show this speaker's previous passage")
        self.prev_button.clicked.connect(self.previous_passage)
        self.next_button = QPushButton("Next ▶", body)
        self.next_button.setObjectName("nextPassageButton")
        self.next_button.setAccessibleName("Next passage of this speaker")
        self.next_button.setToolTip("Show this speaker's next passage")
        self.next_button.clicked.connect(self.next_passage)
        self.position_label = plain_label("", body, accessible_name="Passage position", object_name="passagePosition")
        # the buttons, then where the reader is among the passages: narrow enough for a small dock
        nav = QHBoxLayout()
        nav.addWidget(self.prev_button)
        nav.addWidget(self.next_button)
        nav.addStretch(1)
        listing = QHBoxLayout()
        self.list_button = QPushButton("List all in Search", body)
        self.list_button.setObjectName("listSpeakerButton")
        self.list_button.setAccessibleName("List everything this speaker said in the search panel")
        self.list_button.setToolTip(
            "Everything this speaker said, passages and quotes, listed in the search panel in document order"
        )
        self.list_button.clicked.connect(self._on_list_button_clicked)
        listing.addWidget(self.list_button)
        listing.addStretch(1)

        self.roles_model = EventRolesModel(self)
        self.roles_view = FittedListView(4, body)
        self.roles_view.setObjectName("profileEvents")
        self.roles_view.setAccessibleName("Events the speaker takes part in")
        self.roles_view.setModel(self.roles_model)
        self.roles_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.roles_view.activated.connect(self._on_roles_view_activated)
        self.quotes_model = SpeakerQuotesModel(self)
        self.quotes_view = QListView(body)
        self.quotes_view.setObjectName("profileQuotes")
        self.quotes_view.setAccessibleName("The speaker's quotes")
        self.quotes_view.setModel(self.quotes_model)
        self.quotes_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.quotes_view.setWordWrap(True)
        self.quotes_view.setIconSize(QSize(10, 10))
        self.quotes_view.setSpacing(2)
        self.quotes_view.setAlternatingRowColors(True)
        self.quotes_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.quotes_view.setMinimumHeight(self.fontMetrics().lineSpacing() * 6)
        self.quotes_view.activated.connect(self._on_quotes_view_activated)
        self.quotes_label = plain_label("Quotes", body, accessible_name="Quotes heading")
        events_label = plain_label("Takes part in", body, accessible_name="Events heading")
        for label in (self.quotes_label, events_label):
            f = label.font()
            f.setBold(True)
            label.setFont(f)

        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.profile_name)
        layout.addWidget(self.profile_role)
        layout.addWidget(self.profile_details)
        layout.addWidget(self.profile_counts)
        layout.addLayout(nav)
        layout.addWidget(self.position_label)
        layout.addLayout(listing)
        layout.addWidget(events_label)
        layout.addWidget(self.roles_view)
        layout.addWidget(self.quotes_label)
        layout.addWidget(self.quotes_view, 1)
        self.profile_stack.addWidget(self.profile_hint)
        self.profile_stack.addWidget(body)
        self._profile_page = body

    def tab_order(self) -> list[QWidget]:
        """The order Tab goes through the panel: the filter, the list, then the profile."""
        return [
            self.filter_edit,
            self.this_document,
            self.table,
            self.prev_button,
            self.next_button,
            self.list_button,
            self.roles_view,
            self.quotes_view,
        ]

    # ------------------------------------------------------------------ archive

    def connect_window(self, links: PanelLinks) -> None:
        self.passage_requested.connect(links.show_passage)
        self.quote_requested.connect(links.show_quote)
        self.document_requested.connect(links.show_document)
        self.speaker_highlighted.connect(links.set_speaker_highlight)
        self.speaker_listing_requested.connect(links.list_speaker)
        self.archive_error.connect(links.report_archive_error)
        links.offer_speaker_selection(self.select_speaker)

    def set_archive(self, archive) -> None:
        self._runner.cancel("speakers")
        self._runner.cancel("profile")
        self._runner.wait()
        if self._worker_archive is not None:
            self._worker_archive.close()
            self._worker_archive = None
        self._archive = archive
        self._document_id = None
        self._select(None)
        self.model.set_speakers([])
        if archive is None:
            self.count_label.setText("No archive is open.")
            self.profile_hint.setText("")
            self._set_enabled(False)
            return
        self.profile_hint.setText(PROFILE_HINT)
        self._worker_archive = archive.clone()
        self._set_enabled(True)
        self._reload()

    def set_current_document(self, document: Document | None) -> None:
        """The reader shows ``document``; with "Only this document", list its speakers."""
        doc_id = document.id if document is not None and document.has_text else None
        if doc_id == self._document_id:
            return
        self._document_id = doc_id
        if self.this_document.isChecked():
            self._reload()

    def _reload(self) -> None:
        if self._worker_archive is None:
            return
        document_id = self._document_id if self.this_document.isChecked() else None
        if self.this_document.isChecked() and document_id is None:
            self.model.set_speakers([])
            self.count_label.setText("The reader shows no document with text.")
            return
        self.count_label.setText("Reading the speakers…")
        self._runner.submit(
            "speakers",
            partial(load_speakers, self._worker_archive, document_id),
            self._on_speakers_done,
            self._on_read_failed,
            cancel=self._worker_archive.interrupt,
        )

    def is_loading(self) -> bool:
        return self._runner.is_busy("speakers") or self._runner.is_busy("profile")

    @Slot(object)
    def _on_speakers_done(self, loaded: tuple[list[Speaker], list[str]]) -> None:
        keep = self._selected
        self.model.set_speakers(*loaded)
        self._update_count()
        if keep is not None and self.model.row_of(keep) is not None:
            self.select_speaker(keep)
        elif keep is not None:
            self._select(None)

    @Slot(object)
    def _on_read_failed(self, error: BaseException) -> None:
        if isinstance(error, QueryInterrupted):
            return
        self.count_label.setText("The speakers cannot be read.")
        self.archive_error.emit(error)

    def _set_enabled(self, enabled: bool) -> None:
        self.filter_edit.setEnabled(enabled)
        self.this_document.setEnabled(enabled)
        self.table.setEnabled(enabled)

    @Slot()
    def _update_count(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        if self._archive is None:
            return
        text = count(total, "speaker") if shown == total else f"{shown:,} of {count(total, 'speaker')}"
        self.count_label.setText(text + (f" · {PROFILE_HINT}" if total and self._selected is None else ""))

    # ------------------------------------------------------------------ filter and selection

    @Slot(str)
    def _on_filter_text_changed(self, text: str) -> None:
        self.proxy.set_filter_text(text)
        self._update_count()

    @Slot(bool)
    def _on_this_document_toggled(self, checked: bool) -> None:
        settings.set_value(settings.SPEAKERS_THIS_DOCUMENT, checked)
        self._reload()

    def select_speaker(self, speaker_id: int) -> None:
        """Select a speaker (clearing the filter if it hides them) and show their profile."""
        row = self.model.row_of(speaker_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, NAME))
        if not index.isValid():
            self.filter_edit.clear()
            index = self.proxy.mapFromSource(self.model.index(row, NAME))
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index)

    def selected_speaker(self) -> int | None:
        return self._selected

    @Slot(QModelIndex, QModelIndex)
    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        speaker = current.data(RECORD_ROLE) if current.isValid() else None
        self._select(speaker.id if isinstance(speaker, Speaker) else None)

    def _select(self, speaker_id: int | None) -> None:
        if speaker_id == self._selected and (
            speaker_id is None or self._profile is not None or self._runner.is_busy("profile")
        ):
            return
        self._selected = speaker_id
        self._profile = None
        self._passage_index = -1
        self.speaker_highlighted.emit(speaker_id)
        self._update_count()
        if speaker_id is None or self._worker_archive is None:
            self._runner.cancel("profile")
            self.quotes_model.set_quotes(None, [])
            self.roles_model.set_roles([])
            self.profile_stack.setCurrentWidget(self.profile_hint)
            self.profile_scroll.hide()  # the table takes the whole dock again
            return
        self.profile_scroll.show()
        self._runner.submit(
            "profile",
            partial(load_profile, self._worker_archive, speaker_id),
            self._on_profile_done,
            self._on_read_failed,
            cancel=self._worker_archive.interrupt,
        )

    @Slot(object)
    def _on_profile_done(self, profile: SpeakerProfile | None) -> None:
        if profile is None or profile.speaker.id != self._selected:
            return
        self._profile = profile
        s = profile.speaker
        self.profile_name.setText(s.name)
        color = speaker_color(s.id, is_dark(self.palette()))
        pal = self.profile_name.palette()
        pal.setColor(QPalette.ColorRole.WindowText, color)
        self.profile_name.setPalette(pal)
        self.profile_role.setText(affiliation(s) or "No role or organisation is given in the text.")
        details = []
        if s.description and _bare(s.description) != _bare(s.affiliation or ""):
            details.append(f"Introduced as: {s.description}")
        if s.country and s.country not in (s.affiliation or ""):
            details.append(f"Country: {s.country}")
        other_names = [a for a in s.aliases if _bare(a) not in _bare(s.name)]
        if other_names:
            details.append("Also named: " + ", ".join(other_names))
        self.profile_details.setText("\n".join(details))
        self.profile_details.setVisible(bool(self.profile_details.text()))
        self.profile_counts.setText(
            f"{count(s.passages, 'passage')} · {count(s.quotes, 'direct quote')} · {count(s.words, 'word')}"
        )
        self.roles_model.set_roles(profile.roles)
        self.quotes_model.set_quotes(s.id, profile.quotes)
        relayed = sum(1 for q in profile.quotes if q.speaker_id != s.id)
        said = len(profile.quotes) - relayed
        self.quotes_label.setText(
            f"Quotes ({said} said" + (f", {relayed} relayed)" if relayed else ")")
            if profile.quotes
            else "Quotes: none in the text"
        )
        self.profile_stack.setCurrentWidget(self._profile_page)
        self.roles_view.fit()
        self._update_navigation()
        if self._jump_first:
            self._jump_first = False
            self.first_passage()

    # ------------------------------------------------------------------ passages of the speaker

    def _update_navigation(self) -> None:
        ids = self._profile.passage_ids if self._profile else []
        self.prev_button.setEnabled(bool(ids) and self._passage_index > 0)
        self.next_button.setEnabled(bool(ids) and self._passage_index < len(ids) - 1)
        if not ids:
            self.position_label.setText("No passages")
        elif self._passage_index < 0:
            self.position_label.setText(count(len(ids), "passage"))
        else:
            self.position_label.setText(f"Passage {self._passage_index + 1:,} of {len(ids):,}")

    def _go(self, index: int) -> None:
        ids = self._profile.passage_ids if self._profile else []
        if not 0 <= index < len(ids):
            return
        self._passage_index = index
        self._update_navigation()
        self.passage_requested.emit(ids[index], None)

    @Slot()
    def _on_list_button_clicked(self) -> None:
        if self._selected is not None:
            self.speaker_listing_requested.emit(self._selected)

    @Slot()
    def next_passage(self) -> None:
        self._go(self._passage_index + 1)

    @Slot()
    def previous_passage(self) -> None:
        self._go(self._passage_index - 1)

    @Slot()
    def first_passage(self) -> None:
        if self._profile is None:
            self._jump_first = True  # the profile is on its way
            return
        self._go(0)

    @Slot(QModelIndex)
    def _on_table_activated(self, index: QModelIndex) -> None:
        """Double-click (or Enter) on a speaker: their first passage."""
        speaker = index.data(RECORD_ROLE)
        if not isinstance(speaker, Speaker):
            return
        if speaker.id != self._selected:
            self._select(speaker.id)
        self.first_passage()

    @Slot(QModelIndex)
    def _on_quotes_view_activated(self, index: QModelIndex) -> None:
        quote = index.data(RECORD_ROLE)
        if isinstance(quote, Quote):
            self.quote_requested.emit(quote.id)

    @Slot(QModelIndex)
    def _on_roles_view_activated(self, index: QModelIndex) -> None:
        doc = self.roles_model.document(index.row())
        if doc is not None:
            self.document_requested.emit(doc.id)

    # ------------------------------------------------------------------ settings

    def sizeHint(self) -> QSize:
        return QSize(460, 620)

    def save_settings(self) -> None:
        settings.set_value(settings.SPEAKERS_SPLITTER, self.splitter.saveState())
        header = self.table.horizontalHeader()
        settings.set_value(settings.SPEAKERS_SORT, [header.sortIndicatorSection(), header.sortIndicatorOrder().value])

    def eventFilter(self, watched, event) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    @Slot()
    def _fit_columns(self) -> None:
        """Numbers at their full width, the name readable: in a narrow dock the columns that do not fit
        are left out (role, order, quotes, passages, in that order; the profile and each name's tooltip
        still give them), and the name takes what is left."""
        header = self.table.horizontalHeader()
        metrics = header.fontMetrics()
        digit = metrics.horizontalAdvance("0")
        pad = 16  # the cell's margins (a sorted column's arrow sits in its header's room)
        need = {
            col: max(
                metrics.horizontalAdvance(self.model.HEADERS[col]), metrics.horizontalAdvance(self.model.widest(col))
            )
            + pad
            for col in (ORDER, PASSAGES, QUOTES, WORDS)
        }
        room = self.table.viewport().width()
        shown = {ORDER, NAME, ROLE, PASSAGES, QUOTES, WORDS}
        # the name column: the longest name with its colour square, within bounds
        icon = self.table.iconSize().width() if self.table.iconSize().isValid() else 16
        name = max(
            digit * NAME_CHARS,
            min(digit * NAME_MAX_CHARS, metrics.horizontalAdvance(self.model.widest(NAME)) + pad + icon + 4),
        )

        def used() -> int:
            return sum(need[c] for c in shown if c in need) + name + (digit * ROLE_MIN_CHARS if ROLE in shown else 0)

        for col in DROP_ORDER:
            if used() <= room:
                break
            shown.discard(col)
        for col in range(self.model.columnCount()):
            self.table.setColumnHidden(col, col not in shown)
        for col, width in need.items():
            header.resizeSection(col, width)
        if ROLE in shown:
            header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(NAME, name)
            header.setSectionResizeMode(ROLE, QHeaderView.ResizeMode.Stretch)
        else:
            header.setSectionResizeMode(ROLE, QHeaderView.ResizeMode.Fixed)
            header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)

    def restore_settings(self) -> None:
        state = settings.get_bytes(settings.SPEAKERS_SPLITTER)
        if state is not None:
            self.splitter.restoreState(state)
        sort = settings.get_int_list(settings.SPEAKERS_SORT)
        if len(sort) == 2 and 0 <= sort[0] < self.model.columnCount() and sort[1] in (0, 1):
            self.table.sortByColumn(sort[0], Qt.SortOrder(sort[1]))
