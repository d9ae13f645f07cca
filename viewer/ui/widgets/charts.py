"""Charts of the statistics (QtCharts), drawn the same way in the panel and offscreen for the CLI.

QtCharts draws axis labels, titles and legend entries as rich text, so every label that comes from
the archive is escaped here before Qt sees it: a speaker named ``<b>x</b>`` is shown as written.
Colours are neutral and the same for every bar: the charts show parts, not a ranking.

A "top" chart (speakers, mentions, terms) shows the top N by its measure, as many as have room for a
readable label (its table has them all); the timeline labels as many of its months or years as fit the
width, each under its own bar (QtCharts would cut every label of a bar category axis to "…"). While the
numbers are counted a chart says so.
"""

from __future__ import annotations

import html
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from operator import attrgetter
from pathlib import Path

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QGraphicsScene, QWidget

from viewer.core.errors import ViewerError
from viewer.core.files import write_atomic
from viewer.core.stats_records import MentionStat, SpeakerStat, StatsReport, TermStat, Timeline

BAR_COLOR = QColor("#62788a")
SECOND_COLOR = QColor("#b9c5ce")
LABEL_COLOR = QColor("#303840")
MAX_BARS = 25
MAX_RANKED_BARS = 15
LABEL_CHARS = 42
BAR_ROOM = 22  # pixels a horizontal bar needs for its label to show unabridged
CHART_FRAME = 130  # pixels of a chart's height taken by its title, axis and margins
AXIS_ROOM = 90  # pixels of a vertical chart's width taken by its value axis and margins
DEFAULT_SIZE = (1000, 600)
MIN_SIZE = (800, 500)
COUNTING = "counting…"


class ChartError(ViewerError):
    """A chart cannot be drawn or written; the message says why."""


@dataclass(frozen=True)
class ChartData:
    """What a chart shows, in plain text. ``categories`` are in reading order (the first at the
    top of a horizontal chart, at the left of a vertical one); ``series`` are (name, values)
    aligned with them; ``keys`` identify what each category stands for (for drill-down)."""

    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    value_title: str
    horizontal: bool = True
    stacked: bool = False
    keys: tuple = ()
    total: int = 0
    note: str = ""
    legend: bool = False
    ranked_by: str = ""  # a top chart: its bars are the top N by this measure
    pending: bool = False  # the numbers are being counted

    @property
    def empty(self) -> bool:
        return not self.categories

    @property
    def full_title(self) -> str:
        """The title with what is left out (the table has everything): "Mentions (top 15 of 37 by mentions)"."""
        notes = []
        if self.pending:
            notes.append(COUNTING)
        elif self.total > len(self.categories):
            notes.append(
                f"top {len(self.categories)} of {self.total:,} by {self.ranked_by}"
                if self.ranked_by
                else f"the first {len(self.categories)} of {self.total:,}"
            )
        if self.note and not self.pending:
            notes.append(self.note)
        return self.title + (f" ({'; '.join(notes)})" if notes else "")

    def counting(self) -> ChartData:
        """The same chart, empty, saying its numbers are being counted."""
        return replace(
            self, categories=(), series=tuple((name, ()) for name, _v in self.series), keys=(), total=0, pending=True
        )

    def first(self, n: int) -> ChartData:
        """The same chart with only its first ``n`` categories."""
        if n >= len(self.categories):
            return self
        return replace(
            self,
            categories=self.categories[:n],
            series=tuple((name, values[:n]) for name, values in self.series),
            keys=self.keys[:n],
            total=max(self.total, len(self.categories)),
        )


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _unique(labels: Sequence[str]) -> list[str]:
    """Category labels must differ: a second "Anna Smith" becomes "Anna Smith (2)"."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        n = seen.get(label, 0) + 1
        seen[label] = n
        out.append(label if n == 1 else f"{label} ({n})")
    return out


def _top(rows: Sequence, measure, n: int) -> list:
    """The ``n`` rows with the most of ``measure``, most first (ties in the rows' order)."""
    return sorted(rows, key=measure, reverse=True)[:n]


def speakers_chart(rows: Sequence[SpeakerStat], title: str = "Words spoken") -> ChartData:
    """The top speakers (or a speaker's documents) by words spoken, most first."""
    shown = _top(rows, attrgetter("words"), MAX_BARS)
    labels = [s.label or s.name for s in shown]
    return ChartData(
        title=title,
        categories=tuple(_unique([_short(x) for x in labels])),
        series=(("Words", tuple(float(s.words) for s in shown)),),
        value_title="Words",
        keys=tuple(shown),
        total=len(rows),
        ranked_by="words",
    )


def mentions_chart(rows: Sequence[MentionStat], title: str = "Mentions") -> ChartData:
    """The names mentioned most, most first."""
    shown = _top(rows, attrgetter("count"), MAX_RANKED_BARS)
    return ChartData(
        title=title,
        categories=tuple(_unique([_short(m.name) for m in shown])),
        series=(("Mentions", tuple(float(m.count) for m in shown)),),
        value_title="Mentions",
        keys=tuple(shown),
        total=len(rows),
        ranked_by="mentions",
    )


def terms_chart(rows: Sequence[TermStat], title: str = "Most frequent terms") -> ChartData:
    """The most frequent terms, most first."""
    shown = _top(rows, attrgetter("count"), MAX_RANKED_BARS)
    return ChartData(
        title=title,
        categories=tuple(_unique([_short(t.term) for t in shown])),
        series=(("Occurrences", tuple(float(t.count) for t in shown)),),
        value_title="Occurrences",
        keys=tuple(shown),
        total=len(rows),
        ranked_by="occurrences",
    )


_HAS_TEXT = attrgetter("has_text")


def timeline_chart(timeline: Timeline, title: str = "Documents by date") -> ChartData:
    buckets = timeline.buckets
    # one pass in C per bucket: a timeline of a big archive holds tens of thousands of documents
    counted = [(sum(map(_HAS_TEXT, b.documents)), len(b.documents)) for b in buckets]
    with_text = tuple(float(n) for n, _total in counted)
    listed = tuple(float(total - n) for n, total in counted)
    labels = [b.label if timeline.precision == "year" else _month_label(b.bucket) for b in buckets]
    return ChartData(
        title=title,
        categories=tuple(_unique(labels)),
        series=(("Documents with text", with_text), ("Listed reports (no text)", listed)),
        value_title="Documents",
        horizontal=False,
        stacked=True,
        keys=tuple(buckets),
        legend=True,
        note=f"{len(timeline.undated)} undated" if timeline.undated else "",
    )


_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _month_label(bucket: str) -> str:
    year, month = bucket.split("-")
    return f"{_MONTHS[int(month) - 1]} {year}"


def report_chart(kind: str, report: StatsReport) -> ChartData:
    """The chart ``kind`` (speakers, mentions, terms, timeline) of a report."""
    if kind == "speakers":
        if report.speaker_documents:
            name = report.speakers[0].name if report.speakers else ""
            return speakers_chart(report.speaker_documents, f"Words spoken by {name}, by document")
        return speakers_chart(report.speakers)
    if kind == "mentions":
        return mentions_chart(report.mentions)
    if kind == "terms":
        return terms_chart(report.terms)
    if kind == "timeline":
        return timeline_chart(report.timeline)
    raise ChartError(f"no chart named {kind!r}")


# ------------------------------------------------------------------ drawing


def label_step(labels: Sequence[str], width: int, font: QFont) -> int:
    """Label every ``step``-th bar of a vertical chart ``width`` pixels wide so that labels never overlap."""
    if not labels:
        return 1
    room = max(1.0, (width - AXIS_ROOM) / len(labels))
    metrics = QFontMetrics(font)
    widest = max(metrics.horizontalAdvance(label) for label in labels) + metrics.horizontalAdvance("0") * 2
    return max(1, math.ceil(widest / room))


def labelled(n: int, step: int) -> list[int]:
    """The bars of ``n`` that get a label, ``step`` apart, the last one always (the latest date)."""
    shown = list(range(0, n, step))
    if shown and shown[-1] != n - 1:
        if n - 1 - shown[-1] < step:
            shown.pop()
        shown.append(n - 1)
    return shown


def make_chart(data: ChartData, width: int = DEFAULT_SIZE[0]) -> QChart:
    """A QChart of ``data`` ``width`` pixels wide; every text from the archive is escaped (QtCharts reads
    rich text)."""
    chart = QChart()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setTitle(html.escape(data.full_title))
    font = QFont(chart.titleFont())
    font.setBold(True)
    chart.setTitleFont(font)
    chart.legend().setVisible(data.legend and not data.empty)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    if data.empty:
        if not data.pending:
            chart.setTitle(html.escape(data.title + " (nothing in this scope)"))
        return chart
    horizontal = data.horizontal
    categories = list(data.categories)
    series_values = [list(values) for _name, values in data.series]
    if horizontal:  # Qt draws the first category at the bottom; people read from the top
        categories.reverse()
        for values in series_values:
            values.reverse()
    if data.stacked:
        series = QStackedBarSeries()
    elif horizontal:
        series = QHorizontalBarSeries()
    else:
        series = QBarSeries()
    colors = [BAR_COLOR, SECOND_COLOR]
    for i, ((name, _v), values) in enumerate(zip(data.series, series_values)):
        bar = QBarSet(html.escape(name))
        bar.append(values)
        bar.setColor(colors[i % len(colors)])
        bar.setBorderColor(colors[i % len(colors)])
        bar.setLabelColor(LABEL_COLOR)
        series.append(bar)
    if not data.stacked:
        series.setLabelsVisible(True)
        series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setLabelsFormat("@value")
        series.setLabelsPrecision(15)  # whole numbers in full: 3542563, not 3.54256e+06
    series.setBarWidth(0.7)
    chart.addSeries(series)
    if horizontal:
        cat_axis = QBarCategoryAxis()
        cat_axis.append([html.escape(c) for c in categories])
    else:  # each label under its own bar, as many as fit: a bar category axis would cut them all to "…"
        cat_axis = QCategoryAxis()
        cat_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        cat_axis.setRange(-0.5, len(categories) - 0.5)
        cat_axis.setGridLineVisible(False)
        for i in labelled(len(categories), label_step(categories, width, cat_axis.labelsFont())):
            cat_axis.append(html.escape(categories[i]), i)
    value_axis = QValueAxis()
    value_axis.setTitleText(html.escape(data.value_title))
    value_axis.setLabelFormat("%d")
    top = (
        max((sum(col) for col in zip(*series_values)), default=0)
        if data.stacked
        else max((max(v) for v in series_values if v), default=0)
    )
    value_axis.setRange(0, max(1.0, top * (1.0 if data.stacked else 1.12)))
    value_axis.applyNiceNumbers()
    if horizontal:
        chart.addAxis(cat_axis, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(value_axis, Qt.AlignmentFlag.AlignBottom)
    else:
        chart.addAxis(cat_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(value_axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(cat_axis)
    series.attachAxis(value_axis)
    return chart


def bar_key(data: ChartData, qt_index: int):
    """The key of the bar Qt reports as clicked (horizontal charts are drawn bottom-up)."""
    if not data.keys or qt_index < 0 or qt_index >= len(data.keys):
        return None
    return data.keys[len(data.keys) - 1 - qt_index] if data.horizontal else data.keys[qt_index]


class StatsChartView(QChartView):
    """A chart of ``ChartData`` that reports clicks on its bars.

    Signals:
        bar_clicked(object): the key of the clicked bar (a SpeakerStat, MentionStat, TermStat or
            TimelineBucket).
    """

    bar_clicked = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(160)
        self._full: ChartData | None = None
        self._data: ChartData | None = None
        self._step = 1
        self.set_data(ChartData("", (), (), ""))

    @property
    def data(self) -> ChartData | None:
        """Everything the chart would show given room (what an export draws)."""
        return self._full

    @property
    def shown(self) -> ChartData | None:
        """What fits the view now: horizontal charts drop their last bars when it is short."""
        return self._data

    def _fitting(self) -> int:
        return fitting_bars(self.height())

    def set_data(self, data: ChartData) -> None:
        self._full = data
        self._show(data.first(self._fitting()) if data.horizontal else data)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._full is None:
            return
        if self._full.horizontal:
            shown = self._full.first(self._fitting())
            if self._data is None or len(shown.categories) != len(self._data.categories):
                self._show(shown)
        elif self._step != label_step(self._full.categories, self.width(), QFont()):
            self._show(self._full)  # as many labels as the new width has room for

    def _show(self, data: ChartData) -> None:
        self._data = data
        self._step = label_step(data.categories, self.width(), QFont()) if not data.horizontal else 1
        chart = make_chart(data, self.width())
        for series in chart.series():
            for bar in series.barSets():
                bar.clicked.connect(self._on_bar_clicked)
        old = self.chart()
        self.setChart(chart)
        if old is not None and old is not chart:
            old.deleteLater()

    def categories(self) -> list[str]:
        """The category labels as Qt holds them (escaped), in Qt's order (a timeline: those shown)."""
        for axis in self.chart().axes():
            if isinstance(axis, QBarCategoryAxis):
                return list(axis.categories())
            if isinstance(axis, QCategoryAxis):
                return list(axis.categoriesLabels())
        return []

    def click_bar(self, index: int) -> None:
        """Act as if the bar at ``index`` (reading order) was clicked."""
        if self._full and 0 <= index < len(self._full.keys):
            self.bar_clicked.emit(self._full.keys[index])

    @Slot(int)
    def _on_bar_clicked(self, index: int) -> None:
        key = bar_key(self._data, index) if self._data else None
        if key is not None:
            self.bar_clicked.emit(key)


def fitting_bars(height: int) -> int:
    """How many horizontal bars a chart ``height`` pixels tall has room for, each with a readable label."""
    return max(3, (height - CHART_FRAME) // BAR_ROOM)


def ensure_app() -> QApplication:
    """The QApplication charts need; offscreen when nothing else was asked for (the CLI)."""
    app = QApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QApplication(["archive-viewer"])
    return app


def render_chart(data: ChartData, path: str | os.PathLike, size: tuple[int, int] = DEFAULT_SIZE) -> tuple[int, int]:
    """Draw ``data`` into a PNG or SVG file (by its suffix), atomically (``viewer.core.files.write_atomic``:
    ExportError when it cannot be written). Returns (width, height)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise ChartError(f"a chart is written as .png or .svg, not {suffix or 'a file without a suffix'}")
    width, height = max(size[0], MIN_SIZE[0]), max(size[1], MIN_SIZE[1])
    ensure_app()
    if data.horizontal:  # the top N that have room for their names (a tall image for more)
        data = data.first(fitting_bars(height))
    chart = make_chart(data, width)
    scene = QGraphicsScene()
    scene.addItem(chart)
    chart.setGeometry(QRectF(0, 0, width, height))
    scene.setSceneRect(0, 0, width, height)
    QApplication.processEvents()
    rect = QRectF(0, 0, width, height)
    if suffix == ".png":
        image = QImage(width, height, QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        scene.render(painter, rect, rect)
        painter.end()
        raw = QByteArray()
        buf = QBuffer(raw)
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buf, "PNG"):
            raise ChartError("the image could not be encoded")
        buf.close()
        payload = bytes(raw)
    else:
        raw = QByteArray()
        buf = QBuffer(raw)
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        gen = QSvgGenerator()
        gen.setOutputDevice(buf)
        gen.setSize(QSize(width, height))
        gen.setViewBox(QRect(0, 0, width, height))
        gen.setTitle(data.title)
        painter = QPainter(gen)
        painter.fillRect(rect, QColor("white"))
        scene.render(painter, rect, rect)
        painter.end()
        buf.close()
        payload = bytes(raw)
    scene.removeItem(chart)
    chart.deleteLater()
    if not payload:
        raise ChartError("nothing was drawn")
    write_atomic(path, payload)
    return width, height


def render_report_chart(
    kind: str, report: StatsReport, path: str | os.PathLike, size: tuple[int, int] = DEFAULT_SIZE
) -> tuple[int, int]:
    return render_chart(report_chart(kind, report), path, size)
