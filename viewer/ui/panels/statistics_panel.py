"""The Statistics dock: what the discussion says in numbers and charts, for the whole archive, one
document or one speaker.

Tabs for speakers, mentions, terms, key figures and the timeline, each a chart (QtCharts) over a
table. The numbers come from ``viewer.core.stats`` on a worker (precomputed tables, or one
document's passages); nothing archive-sized runs on the UI thread. Clicking a bar or a row shows the
matching passages in the reader, one after another on repeated clicks.

Why this module is over 600 lines: every part of the panel reads and changes the same three things, the
scope, its report and the tabs showing it (choosing the scope, computing the report on the worker, showing
it in each tab, drilling down from a bar or a row, exporting a tab's chart or table). What stands apart is
apart: the charts (``viewer.ui.widgets.charts``), a tab's chart over its table
(``viewer.ui.widgets.chart_table``), the table models (``viewer.ui.models.statistics_models``).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from viewer.core.archive import Archive
from viewer.core.db import ArchiveError, QueryInterrupted
from viewer.core.files import ExportError, write_csv
from viewer.core.records import Document
from viewer.core.stats import Statistics
from viewer.core.stats_records import FigureStat, MentionStat, Scope, SpeakerStat, StatsReport, TermStat, TimelineBucket
from viewer.core.text import slugify
from viewer.ui.models.choices_model import ChoicesModel
from viewer.ui.models.statistics_models import (
    RECORD_ROLE,
    StatsTableModel,
    distinctive_columns,
    figure_columns,
    mention_columns,
    speaker_columns,
    term_columns,
    timeline_columns,
)
from viewer.ui.panels.panel import PanelDefaults, PanelLinks
from viewer.ui.widgets.chart_table import FIT_ROWS, ChartTable
from viewer.ui.widgets.charts import (
    ChartData,
    ChartError,
    mentions_chart,
    render_chart,
    speakers_chart,
    terms_chart,
    timeline_chart,
)
from viewer.ui.workers import TaskRunner

ARCHIVE, DOCUMENT, SPEAKER = "archive", "document", "speaker"
TABS = ("speakers", "mentions", "terms", "figures", "timeline")
MENTION_KINDS = {"All named": None, "People": ("person",), "Organisations": ("organisation",)}


def load_choices(archive: Archive) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Documents with text and speakers to choose a scope from (runs on a worker)."""
    docs = [
        (f"{d.title} ({d.date_label})" if d.date_label else d.title, d.id) for d in archive.documents() if d.has_text
    ]
    speakers = [(s.name, s.id) for s in archive.speakers()]
    return docs, speakers


def compute_report(stats: Statistics, scope: Scope) -> StatsReport:
    # the distinctive terms of the first speaker come with the numbers; the others when chosen
    return stats.report(scope, distinctive_speakers=1)


def speaker_steps(stats: Statistics, speaker_id: int, scope: Scope) -> list[tuple[int, object]]:
    return [(pid, None) for pid in stats.speaker_passages(speaker_id, scope)]


def mention_steps(stats: Statistics, group_id: int, scope: Scope) -> list[tuple[int, object]]:
    return [(pid, spans) for pid, spans in stats.mention_passages(group_id, scope)]


def term_steps(stats: Statistics, term: TermStat, scope: Scope) -> list[tuple[int, object]]:
    return [(pid, spans) for pid, spans in stats.term_passages(term.key, scope, [f for f, _c in term.forms])]


def document_steps(stats: Statistics, documents: list[Document]) -> list[tuple[int, object]]:
    """Where to show each document: its first passage, or the passage that lists it."""
    out = []
    for d in documents:
        if d.has_text:
            ids = stats.archive.passage_ids(document_id=d.id)
            if ids:
                out.append((ids[0], None))
        else:
            p = stats.archive.listed_in(d.id)
            if p is not None:
                out.append((p.id, None))
    return out


def distinctive_for(stats: Statistics, scope: Scope, speaker_id: int) -> tuple[int, list[TermStat]]:
    return speaker_id, stats.distinctive_terms(scope, speaker_id)


class StatisticsPanel(PanelDefaults, QWidget):
    """Speakers, mentions, terms, key figures and the timeline of a scope (the whole archive, a
    document, a speaker), as charts and tables; drill-down to the passages; export as PNG, SVG, CSV.

    Signals:
        passage_requested(int, object): show a passage, with highlights ((start, end) list) or None.
        stats_ready(object): the numbers of the current scope are shown (a StatsReport).
        steps_ready(object): passages to step through were found for a click (list of (id, highlights)).
        archive_error(object): reading the archive failed (an ArchiveError), or a bug (any other exception).
    """

    passage_requested = Signal(int, object)
    stats_ready = Signal(object)
    steps_ready = Signal(object)
    archive_error = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("statisticsPanel")
        self.setAccessibleName("Statistics")
        self._runner = TaskRunner(self)
        self._runner.busy_changed.connect(self._on_runner_busy_changed)
        # a new report's columns are fitted on the next turn of the event loop: showing a big archive's
        # report and measuring its columns are then two short waits for the window, not one long one
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._fit_columns)
        self._archive: Archive | None = None
        self._stats: Statistics | None = None
        self._drill_stats: Statistics | None = None
        self._choices_archive: Archive | None = None
        self._scope = Scope()
        self._report: StatsReport | None = None
        self._current_document: int | None = None
        self._steps: list[tuple[int, object]] = []
        self._step = -1
        self._step_key: object = None
        self._distinctive: dict[int, list[TermStat]] = {}
        self._pending_choice = False

        # scope
        self.scope_kind = QComboBox(self)
        self.scope_kind.setObjectName("statisticsScopeKind")
        self.scope_kind.setAccessibleName("Statistics of")
        self.scope_kind.addItem("Whole archive", ARCHIVE)
        self.scope_kind.addItem("A document", DOCUMENT)
        self.scope_kind.addItem("A speaker", SPEAKER)
        self.scope_kind.currentIndexChanged.connect(self._on_scope_kind_changed)
        self.documents = ChoicesModel(self)
        self.speakers = ChoicesModel(self)
        self.scope_choice = QComboBox(self)
        self.scope_choice.setObjectName("statisticsScopeChoice")
        self.scope_choice.setAccessibleName("Document or speaker")
        self.scope_choice.setEditable(True)
        self.scope_choice.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.scope_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.scope_choice.setMinimumContentsLength(12)
        self.scope_choice.view().setUniformItemSizes(True)  # thousands of speakers: one row measured
        self.scope_choice.setEnabled(False)
        self.scope_choice.activated.connect(self._on_scope_choice_activated)
        self.status = QLabel(self)
        self.status.setObjectName("statisticsStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Statistics status")
        top = QHBoxLayout()
        top.addWidget(self.scope_kind)
        top.addWidget(self.scope_choice, 1)

        # tabs
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("statisticsTabs")
        self.speakers_tab = ChartTable("speakers", speaker_columns(), self)
        self.speakers_note = self._note(
            "Share: of the words spoken in passages attributed to speakers in scope. "
            "Click a bar or a row for their passages."
        )
        self.speakers_tab.top.addWidget(self.speakers_note, 1)
        self.mentions_tab = ChartTable("mentions", mention_columns(), self)
        self.mention_kind = QComboBox(self)
        self.mention_kind.setObjectName("statisticsMentionKind")
        self.mention_kind.setAccessibleName("Kinds of names")
        for label, kinds in MENTION_KINDS.items():
            self.mention_kind.addItem(label, kinds)
        self.mention_kind.currentIndexChanged.connect(self._on_mention_kind_changed)
        self.mentions_tab.top.addWidget(self.mention_kind)
        self.mentions_tab.top.addWidget(self._note("Spellings of one name are counted together."), 1)
        self.terms_tab = ChartTable("terms", term_columns(), self)
        self.terms_tab.top.addWidget(self._note("Stop words left out, inflections counted together."), 1)
        self.distinctive_speaker = QComboBox(self)
        self.distinctive_speaker.setObjectName("statisticsDistinctiveSpeaker")
        self.distinctive_speaker.setAccessibleName("Distinctive terms of")
        self.distinctive_speaker.activated.connect(self._on_distinctive_speaker_activated)
        self.distinctive_speakers = ChoicesModel(self)  # thousands of speakers: one list, no item by item
        self.distinctive_speaker.setModel(self.distinctive_speakers)
        self.distinctive_speaker.view().setUniformItemSizes(True)
        self.distinctive_model = StatsTableModel(distinctive_columns(), self)
        self.distinctive_table = QTableView(self)
        self.distinctive_table.setObjectName("distinctiveTable")
        self.distinctive_table.setAccessibleName("Distinctive terms table")
        self.distinctive_table.setModel(self.distinctive_model)
        self.distinctive_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.distinctive_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.distinctive_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.distinctive_table.verticalHeader().setVisible(False)
        self.distinctive_table.horizontalHeader().setResizeContentsPrecision(FIT_ROWS)
        self.distinctive_table.horizontalHeader().setStretchLastSection(True)
        self.distinctive_table.clicked.connect(self._on_distinctive_clicked)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self._note("Distinctive terms of"))
        row.addWidget(self.distinctive_speaker, 1)
        side_layout.addLayout(row)
        side_layout.addWidget(self.distinctive_table, 1)
        self.distinctive_note = self._note("")
        side_layout.addWidget(self.distinctive_note)
        self.terms_tab.add_side(side)
        self.figures_tab = ChartTable("figures", figure_columns(), self, chart=False)
        self.figures_note = self._note("")
        self.figures_tab.top.addWidget(self.figures_note, 1)
        self.timeline_tab = ChartTable("timeline", timeline_columns(), self)
        self.timeline_note = self._note("")
        self.timeline_tab.top.addWidget(self.timeline_note, 1)
        for name, tab, title in (
            ("speakers", self.speakers_tab, "Speakers"),
            ("mentions", self.mentions_tab, "Mentions"),
            ("terms", self.terms_tab, "Terms"),
            ("figures", self.figures_tab, "Key figures"),
            ("timeline", self.timeline_tab, "Timeline"),
        ):
            tab.setObjectName(f"statistics{title.replace(' ', '')}Tab")
            self.tabs.addTab(tab, title)
            tab.table.clicked.connect(self._on_table_clicked)
            tab.table.activated.connect(self._on_table_clicked)
            tab.table.horizontalHeader().sectionClicked.connect(self._on_header_clicked)
            if tab.chart is not None:
                tab.chart.bar_clicked.connect(self._on_bar_clicked)

        # drill-down steps and export
        self.previous_button = QPushButton("Previous", self)
        self.previous_button.setObjectName("statisticsPrevious")
        self.previous_button.setAccessibleName("Previous matching passage")
        self.previous_button.clicked.connect(self.previous_passage)
        self.next_button = QPushButton("Next", self)
        self.next_button.setObjectName("statisticsNext")
        self.next_button.setAccessibleName("Next matching passage")
        self.next_button.clicked.connect(self.next_passage)
        self.step_label = self._note("")
        self.step_label.setObjectName("statisticsStep")
        self.export_chart_button = QPushButton("Export chart…", self)
        self.export_chart_button.setObjectName("statisticsExportChart")
        self.export_chart_button.setToolTip("Save the chart of this tab as a PNG or SVG image")
        self.export_chart_button.clicked.connect(self._on_export_chart_clicked)
        self.export_table_button = QPushButton("Export table…", self)
        self.export_table_button.setObjectName("statisticsExportTable")
        self.export_table_button.setToolTip("Save the table of this tab as CSV")
        self.export_table_button.clicked.connect(self._on_export_table_clicked)
        # two rows: the panel fits a narrow dock with every button whole
        steps = QHBoxLayout()
        steps.addWidget(self.previous_button)
        steps.addWidget(self.next_button)
        steps.addWidget(self.step_label, 1)
        exports = QHBoxLayout()
        exports.addStretch(1)
        exports.addWidget(self.export_chart_button)
        exports.addWidget(self.export_table_button)
        bottom = QVBoxLayout()
        bottom.setSpacing(2)
        bottom.addLayout(steps)
        bottom.addLayout(exports)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self._update_steps()
        self._set_enabled(False)
        self.status.setText("No archive is open.")

    def _note(self, text: str) -> QLabel:
        label = QLabel(self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setText(text)
        label.setWordWrap(True)
        return label

    def tab_order(self) -> list[QWidget]:
        """The order Tab goes through the panel: the scope, the tabs, each tab's own controls, the buttons."""
        order: list[QWidget] = [self.scope_kind, self.scope_choice, self.tabs.tabBar()]
        for tab in (self.speakers_tab, self.mentions_tab, self.terms_tab, self.figures_tab, self.timeline_tab):
            order += [
                w
                for w in (
                    self.mention_kind if tab is self.mentions_tab else None,
                    tab.chart,
                    tab.table,
                    self.distinctive_speaker if tab is self.terms_tab else None,
                    self.distinctive_table if tab is self.terms_tab else None,
                )
                if w is not None
            ]
        return order + [self.previous_button, self.next_button, self.export_chart_button, self.export_table_button]

    # -------------------------------------------------------------- public API

    def connect_window(self, links: PanelLinks) -> None:
        self.passage_requested.connect(links.show_passage)
        self.archive_error.connect(links.report_archive_error)

    def set_archive(self, archive: Archive | None) -> None:
        for channel in ("stats", "stats-drill", "stats-choices"):
            self._runner.cancel(channel)
        self._runner.wait()
        # each worker channel has its own connection, closed once the channel is idle
        for connection in (
            self._stats and self._stats.archive,
            self._drill_stats and self._drill_stats.archive,
            self._choices_archive,
        ):
            if connection is not None:
                connection.close()
        self._stats = self._drill_stats = self._choices_archive = None
        self._archive = archive
        self._report = None
        self._scope = Scope()
        self._distinctive = {}
        self._clear_steps()
        self.documents.set_items([])
        self.speakers.set_items([])
        self.scope_kind.blockSignals(True)
        self.scope_kind.setCurrentIndex(0)
        self.scope_kind.blockSignals(False)
        self._show_choices()
        self._show_report(None)
        if archive is None:
            self.status.setText("No archive is open.")
            self._set_enabled(False)
            return
        self._stats = Statistics(archive.clone())
        self._drill_stats = Statistics(archive.clone())
        self._set_enabled(True)
        self._choices_archive = archive.clone()
        self._runner.submit(
            "stats-choices",
            partial(load_choices, self._choices_archive),
            self._on_choices_loaded,
            self._on_task_failed,
            self._choices_archive.interrupt,
        )
        self._compute()

    def set_current_document(self, document: Document | None) -> None:
        """The reader shows ``document``: it is the one offered when the scope becomes a document."""
        self._current_document = document.id if document is not None and document.has_text else None

    def scope(self) -> Scope:
        return self._scope

    def report(self) -> StatsReport | None:
        return self._report

    def set_scope(self, document_id: int | None = None, speaker_id: int | None = None) -> None:
        """Show the numbers of a document, a speaker, both, or (no arguments) the whole archive."""
        kind = (
            SPEAKER
            if speaker_id is not None and document_id is None
            else DOCUMENT
            if document_id is not None
            else ARCHIVE
        )
        self.scope_kind.blockSignals(True)
        self.scope_kind.setCurrentIndex(self.scope_kind.findData(kind))
        self.scope_kind.blockSignals(False)
        self._show_choices()
        model = self.documents if kind == DOCUMENT else self.speakers if kind == SPEAKER else None
        if model is not None:
            row = model.row_of(document_id if kind == DOCUMENT else speaker_id)
            if row >= 0:
                self.scope_choice.setCurrentIndex(row)
        new = Scope(document_id, speaker_id)
        if new != self._scope or self._report is None:
            self._scope = new
            self._compute()

    def current_tab(self) -> str:
        return TABS[self.tabs.currentIndex()]

    def set_current_tab(self, name: str) -> None:
        self.tabs.setCurrentIndex(TABS.index(name))

    def tab(self, name: str) -> ChartTable:
        return {
            "speakers": self.speakers_tab,
            "mentions": self.mentions_tab,
            "terms": self.terms_tab,
            "figures": self.figures_tab,
            "timeline": self.timeline_tab,
        }[name]

    def export_chart(self, path: str | Path, tab: str | None = None) -> tuple[int, int]:
        """Write the chart of ``tab`` (default: the current one) as PNG or SVG; raises ChartError or ExportError."""
        view = self.tab(tab or self.current_tab()).chart
        if view is None or view.data is None:
            raise ChartError("this tab has no chart")
        return render_chart(view.data, path)

    def export_table(self, path: str | Path, tab: str | None = None) -> None:
        """Write the table of ``tab`` (default: the current one) as CSV, atomically; raises ExportError."""
        name = tab or self.current_tab()
        model = self.tab(name).model
        header, rows = model.table()
        if name == "terms" and self.distinctive_model.rowCount():
            header = header + ["", "Distinctive term", "Count", "Others", "z"]
            _dh, drows = self.distinctive_model.table()
            width = max(len(rows), len(drows))
            rows = [
                (rows[i] if i < len(rows) else [""] * len(model.columns()))
                + [""]
                + (drows[i] if i < len(drows) else [""] * 4)
                for i in range(width)
            ]
        write_csv(path, header, rows)

    # -------------------------------------------------------------- drill-down

    def next_passage(self) -> None:
        if self._steps:
            self._go(min(self._step + 1, len(self._steps) - 1))

    def previous_passage(self) -> None:
        if self._steps:
            self._go(max(self._step - 1, 0))

    def _go(self, index: int) -> None:
        self._step = index
        pid, highlights = self._steps[index]
        self._update_steps()
        self.passage_requested.emit(pid, highlights)

    def _clear_steps(self) -> None:
        self._steps, self._step, self._step_key = [], -1, None
        self._update_steps()

    def _update_steps(self) -> None:
        n = len(self._steps)
        self.previous_button.setEnabled(n > 0 and self._step > 0)
        self.next_button.setEnabled(n > 0 and self._step < n - 1)
        self.step_label.setText(f"Passage {self._step + 1} of {n}" if n else "")

    def _drill(self, key: object, fn) -> None:
        """Step through the passages of ``key``: a repeated click on the same thing goes on."""
        if key == self._step_key and self._steps:
            self._go((self._step + 1) % len(self._steps))
            return
        if self._drill_stats is None:
            return
        self._step_key = key
        self._runner.submit(
            "stats-drill",
            partial(fn, self._drill_stats),
            self._on_steps_loaded,
            self._on_task_failed,
            self._drill_stats.archive.interrupt,
        )

    def _activate(self, record: object) -> None:
        scope = self._scope
        if isinstance(record, SpeakerStat):
            sub = Scope(record.document_id, record.speaker_id) if record.document_id is not None else scope
            self._drill(
                ("speaker", record.speaker_id, sub), partial(speaker_steps, speaker_id=record.speaker_id, scope=sub)
            )
        elif isinstance(record, MentionStat):
            self._drill(
                ("mention", record.group_id, scope), partial(mention_steps, group_id=record.group_id, scope=scope)
            )
        elif isinstance(record, TermStat):
            speaker_scope = scope
            if record.z is not None and self._distinctive_speaker_id() is not None:
                speaker_scope = Scope(scope.document_id, self._distinctive_speaker_id())
            self._drill(("term", record.key, speaker_scope), partial(term_steps, term=record, scope=speaker_scope))
        elif isinstance(record, FigureStat):
            self._steps, self._step_key = [(record.passage_id, [(record.start, record.end)])], ("figure", record.id)
            self._go(0)
        elif isinstance(record, Document):
            self._drill(("document", record.id), partial(document_steps, documents=[record]))
        elif isinstance(record, TimelineBucket):
            self._drill(("bucket", record.bucket, scope), partial(document_steps, documents=list(record.documents)))

    # -------------------------------------------------------------- computing

    def _compute(self) -> None:
        if self._stats is None:
            return
        self._clear_steps()
        self._distinctive = {}
        self.status.setText("Counting…")
        for tab in (self.speakers_tab, self.mentions_tab, self.terms_tab, self.timeline_tab):
            tab.chart.set_data((tab.chart.data or ChartData("", (), (), "")).counting())
        self._runner.submit(
            "stats",
            partial(compute_report, self._stats, self._scope),
            self._on_report_ready,
            self._on_task_failed,
            self._stats.archive.interrupt,
        )

    def _set_enabled(self, enabled: bool) -> None:
        for w in (self.scope_kind, self.tabs, self.export_chart_button, self.export_table_button):
            w.setEnabled(enabled)
        self.scope_choice.setEnabled(enabled and self.scope_kind.currentData() != ARCHIVE)

    def _show_choices(self) -> None:
        kind = self.scope_kind.currentData()
        model = self.documents if kind == DOCUMENT else self.speakers
        self.scope_choice.blockSignals(True)
        if self.scope_choice.model() is not model:
            self.scope_choice.setModel(model)
            completer = QCompleter(model, self.scope_choice)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            self.scope_choice.setCompleter(completer)
        self.scope_choice.setEnabled(kind != ARCHIVE and self._archive is not None)
        self.scope_choice.blockSignals(False)
        self._clear_choice_if_archive()

    def _clear_choice_if_archive(self) -> None:
        if self.scope_kind.currentData() == ARCHIVE:
            self.scope_choice.blockSignals(True)
            self.scope_choice.setCurrentIndex(-1)
            self.scope_choice.setEditText("")
            self.scope_choice.blockSignals(False)

    def _show_report(self, report: StatsReport | None) -> None:
        self._report = report
        speakers = report.speaker_documents or report.speakers if report else ()
        per_document = bool(report and report.speaker_documents)
        self.speakers_tab.model.set_rows(speakers, speaker_columns(per_document))
        title = "Words spoken" if not per_document else f"Words spoken by {report.speakers[0].name}, by document"
        self.speakers_tab.chart.set_data(speakers_chart(speakers, title))
        self._show_mentions()
        terms = report.terms if report else ()
        self.terms_tab.model.set_rows(terms)
        self.terms_tab.chart.set_data(terms_chart(terms))
        if report:
            self._distinctive = {sid: list(terms) for sid, _name, terms in report.distinctive}
            self.distinctive_speakers.set_items([(s.name, s.speaker_id) for s in report.speakers])
            self.distinctive_speaker.setCurrentIndex(0 if report.speakers else -1)
        else:
            self.distinctive_speakers.set_items([])
        self._show_distinctive()
        figures = report.figures if report else ()
        self.figures_tab.model.set_rows(figures)
        if report:
            more = f"; the first {len(figures):,} are listed" if report.figures_total > len(figures) else ""
            self.figures_note.setText(
                f"{report.figures_total:,} figures stated in the text{more}. "
                "Dates and list numbers are not figures. Click a row to see it in its passage."
            )
        else:
            self.figures_note.setText("")
        timeline = report.timeline if report else None
        docs = (list(timeline.documents) + list(timeline.undated)) if timeline else []
        self.timeline_tab.model.set_rows(docs)
        if timeline is not None:
            self.timeline_tab.chart.set_data(timeline_chart(timeline))
            self.timeline_note.setText(
                f"{len(docs):,} documents by {timeline.precision}"
                + (f", {len(timeline.undated)} undated" if timeline.undated else "")
            )
        else:
            self.timeline_tab.chart.set_data(ChartData("Documents by date", (), (), ""))
            self.timeline_note.setText("")
        for tab in (self.speakers_tab, self.mentions_tab, self.terms_tab, self.figures_tab, self.timeline_tab):
            tab.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
            tab.columns_fitted = False
        self._fit_timer.start()

    @Slot()
    def _fit_columns(self) -> None:
        """Fit the shown tab's columns to their contents, once per report (the other tabs when shown)."""
        tab = self.tab(self.current_tab())
        if tab.columns_fitted:
            return
        tab.columns_fitted = True
        tab.table.resizeColumnsToContents()
        header = tab.table.horizontalHeader()
        for i in range(header.count()):
            if header.sectionSize(i) > 320:
                header.resizeSection(i, 320)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # the last column takes what is left; a narrow dock scrolls rather than cut the names to nothing
        header.setStretchLastSection(True)

    def _show_mentions(self) -> None:
        kinds = self.mention_kind.currentData()
        rows = [m for m in (self._report.mentions if self._report else ()) if kinds is None or m.kind in kinds]
        self.mentions_tab.model.set_rows(rows)
        self.mentions_tab.chart.set_data(mentions_chart(rows))

    def _show_distinctive(self) -> None:
        sid = self._distinctive_speaker_id()
        rows = self._distinctive.get(sid) if sid is not None else []
        if sid is not None and rows is None:
            self.distinctive_model.set_rows([])
            self.distinctive_note.setText("Counting…")
            if self._drill_stats is not None:
                self._runner.submit(
                    "stats-drill",
                    partial(distinctive_for, self._drill_stats, self._scope, sid),
                    self._on_distinctive_ready,
                    self._on_task_failed,
                    self._drill_stats.archive.interrupt,
                )
            return
        self.distinctive_model.set_rows(rows or [])
        self.distinctive_table.resizeColumnsToContents()
        header = self.distinctive_table.horizontalHeader()
        header.setMinimumSectionSize(24)
        # the term column keeps at least its longest term's width (the others are short numbers)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        if sid is None:
            self.distinctive_note.setText("")
        elif not rows:
            self.distinctive_note.setText("No term stands out: none is used clearly more than by the others.")
        else:
            self.distinctive_note.setText("Used more than by the others (weighted log-odds, z ≥ 1).")

    # -------------------------------------------------------------- slots

    @Slot(int)
    def _on_scope_kind_changed(self, _index: int) -> None:
        self._show_choices()
        kind = self.scope_kind.currentData()
        if kind == ARCHIVE:
            self._scope = Scope()
            self._compute()
            return
        model = self.documents if kind == DOCUMENT else self.speakers
        row = model.row_of(self._current_document) if kind == DOCUMENT and self._current_document else 0
        if model.rowCount() == 0:
            self._pending_choice = True
            return
        self.scope_choice.setCurrentIndex(max(row, 0))
        self._on_scope_choice_activated(max(row, 0))

    @Slot(int)
    def _on_scope_choice_activated(self, row: int) -> None:
        kind = self.scope_kind.currentData()
        model = self.documents if kind == DOCUMENT else self.speakers
        item = model.item_id(row)
        if item is None:
            return
        new = Scope(document_id=item) if kind == DOCUMENT else Scope(speaker_id=item)
        if new != self._scope:
            self._scope = new
            self._compute()

    @Slot(int)
    def _on_mention_kind_changed(self, _index: int) -> None:
        self._show_mentions()

    def _distinctive_speaker_id(self):
        return self.distinctive_speakers.item_id(self.distinctive_speaker.currentIndex())

    @Slot(int)
    def _on_distinctive_speaker_activated(self, _index: int) -> None:
        self._show_distinctive()

    @Slot(int)
    def _on_tab_changed(self, _index: int) -> None:
        self._fit_columns()
        self.export_chart_button.setEnabled(
            self._archive is not None and self.tab(self.current_tab()).chart is not None
        )

    @Slot(int)
    def _on_header_clicked(self, section: int) -> None:
        sender = self.sender()
        tab = next(
            (
                t
                for t in (self.speakers_tab, self.mentions_tab, self.terms_tab, self.figures_tab, self.timeline_tab)
                if t.table.horizontalHeader() is sender
            ),
            None,
        )
        if tab is None:
            return
        header = tab.table.horizontalHeader()
        if header.sortIndicatorSection() == section and header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder:
            order = Qt.SortOrder.DescendingOrder
        else:
            order = Qt.SortOrder.AscendingOrder
        header.setSortIndicator(section, order)
        tab.model.sort(section, order)  # the chart keeps the top N by its measure

    @Slot(QModelIndex)
    def _on_table_clicked(self, index: QModelIndex) -> None:
        record = index.data(RECORD_ROLE)
        if record is not None:
            self._activate(record)

    @Slot(QModelIndex)
    def _on_distinctive_clicked(self, index: QModelIndex) -> None:
        record = index.data(RECORD_ROLE)
        if record is not None:
            self._activate(record)

    @Slot(object)
    def _on_bar_clicked(self, key: object) -> None:
        self._activate(key)

    @Slot(object)
    def _on_choices_loaded(self, result: tuple[list, list]) -> None:
        docs, speakers = result
        self.documents.set_items(docs)
        self.speakers.set_items(speakers)
        if self._pending_choice:
            self._pending_choice = False
            self._on_scope_kind_changed(self.scope_kind.currentIndex())
        else:
            kind = self.scope_kind.currentData()
            model = self.documents if kind == DOCUMENT else self.speakers if kind == SPEAKER else None
            if model is not None:
                item = self._scope.document_id if kind == DOCUMENT else self._scope.speaker_id
                self.scope_choice.setCurrentIndex(model.row_of(item))
            self._clear_choice_if_archive()

    @Slot(object)
    def _on_report_ready(self, report: StatsReport) -> None:
        if report.scope != self._scope:
            return
        self._show_report(report)
        self.status.setText(" ".join([self._describe(report), *report.notes]))
        self.stats_ready.emit(report)

    @Slot(object)
    def _on_steps_loaded(self, steps: list[tuple[int, object]]) -> None:
        self._steps = list(steps)
        self._step = -1
        if self._steps:
            self._go(0)
        else:
            self._update_steps()
            self.step_label.setText("No passage to show.")
        self.steps_ready.emit(self._steps)

    @Slot(object)
    def _on_distinctive_ready(self, result: tuple[int, list[TermStat]]) -> None:
        sid, rows = result
        self._distinctive[sid] = rows
        if self._distinctive_speaker_id() == sid:
            self._show_distinctive()

    @Slot(object)
    def _on_task_failed(self, error: BaseException) -> None:
        if isinstance(error, QueryInterrupted):
            return
        if isinstance(error, ArchiveError):
            self.status.setText(f"The statistics could not be read: {error.message}")
            self.archive_error.emit(error)
        else:  # a bug: the window tells it as one, with its log
            self.status.setText("The statistics could not be read: Archive Viewer met an internal error.")
            self.archive_error.emit(error)

    @Slot(str, bool)
    def _on_runner_busy_changed(self, channel: str, busy: bool) -> None:
        if channel == "stats" and busy:
            self.status.setText("Counting…")

    def _describe(self, report: StatsReport) -> str:
        words = sum(s.words for s in report.speakers)
        scope = report.scope
        figures = f"{report.figures_total:,} key figure{'s' if report.figures_total != 1 else ''}"
        if scope.speaker_id is not None and scope.document_id is None:
            name = report.speakers[0].name if report.speakers else "This speaker"
            n = len(report.speaker_documents)
            return f"{name}: {words:,} words spoken in {n:,} document{'s' if n != 1 else ''}, {figures}."
        if scope.is_archive:
            what = "The whole archive"
        else:
            what = "This document" if scope.speaker_id is None else "This speaker in this document"
        return (
            f"{what}: {len(report.speakers):,} speaker{'s' if len(report.speakers) != 1 else ''}, "
            f"{words:,} words spoken, {figures}."
        )

    # -------------------------------------------------------------- export

    def _suggested_name(self, suffix: str) -> str:
        tab = self.current_tab()
        scope = self._scope
        part = "archive"
        if scope.document_id is not None:
            part = slugify(self.documents_label(scope.document_id), 40)
        if scope.speaker_id is not None:
            part = (part + "-" if scope.document_id is not None else "") + slugify(
                self.speakers_label(scope.speaker_id), 40
            )
        return f"{tab}-{part}{suffix}"

    def documents_label(self, document_id: int) -> str:
        row = self.documents.row_of(document_id)
        return self.documents.data(self.documents.index(row), Qt.ItemDataRole.DisplayRole) if row >= 0 else "document"

    def speakers_label(self, speaker_id: int) -> str:
        row = self.speakers.row_of(speaker_id)
        return self.speakers.data(self.speakers.index(row), Qt.ItemDataRole.DisplayRole) if row >= 0 else "speaker"

    @Slot()
    def _on_export_chart_clicked(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export chart", self._suggested_name(".png"), "PNG image (*.png);;SVG image (*.svg)"
        )
        if not path:
            return
        if Path(path).suffix.lower() not in (".png", ".svg"):
            path += ".svg" if "svg" in chosen.lower() else ".png"
        try:
            self.export_chart(path)
        except (ChartError, ExportError) as e:
            self._warn("The chart was not exported", e)

    @Slot()
    def _on_export_table_clicked(self) -> None:
        path, _chosen = QFileDialog.getSaveFileName(
            self, "Export table", self._suggested_name(".csv"), "CSV table (*.csv)"
        )
        if not path:
            return
        if Path(path).suffix.lower() != ".csv":
            path += ".csv"
        try:
            self.export_table(path)
        except ExportError as e:
            self._warn("The table was not exported", e)

    def _warn(self, title: str, error: BaseException) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, "", QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        reason = error.reason if isinstance(error, ExportError) else str(error)
        box.setText(f"{title}: {reason}. The file you chose was left as it was.")
        box.open()
