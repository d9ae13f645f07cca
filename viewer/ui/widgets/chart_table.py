"""A chart above a table, the two showing the same records: one tab of the statistics panel
(``viewer.ui.panels.statistics_panel``)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QSplitter, QTableView, QVBoxLayout, QWidget

from viewer.ui.models.statistics_models import StatsTableModel
from viewer.ui.widgets.charts import StatsChartView

FIT_ROWS = 60  # rows measured (besides those in view) when a table's columns are fitted to their contents
SIDE_BY_SIDE_WIDTH = 720  # narrower, the distinctive terms go under the frequent ones, not beside them


class ChartTable(QWidget):
    """A chart above a table, the two showing the same records."""

    def __init__(self, name: str, columns, parent: QWidget | None = None, chart: bool = True):
        super().__init__(parent)
        self.columns_fitted = False  # the columns fit the current records (done when the tab is shown)
        self.model = StatsTableModel(columns, self)
        self.table = QTableView(self)
        self.table.setObjectName(f"{name}Table")
        self.table.setAccessibleName(f"{name.capitalize()} table")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        # fitting columns to their contents measures these many rows, not thousands of speakers
        self.table.horizontalHeader().setResizeContentsPrecision(FIT_ROWS)
        self.table.horizontalHeader().setSectionsClickable(True)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.chart = StatsChartView(self) if chart else None
        if self.chart is not None:
            self.chart.setObjectName(f"{name}Chart")
            self.chart.setAccessibleName(f"{name.capitalize()} chart")
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        if self.chart is not None:
            self.splitter.addWidget(self.chart)
        self.splitter.addWidget(self.table)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.outer = QSplitter(Qt.Orientation.Horizontal, self)
        self.outer.addWidget(self.splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.top = QHBoxLayout()
        layout.addLayout(self.top)
        layout.addWidget(self.outer, 1)

    def add_side(self, widget: QWidget) -> None:
        """A widget beside the chart and table (the distinctive terms beside the frequent ones); under
        them when the tab is too narrow for both side by side."""
        self.outer.addWidget(widget)
        self.outer.setStretchFactor(0, 3)
        self.outer.setStretchFactor(1, 2)
        self._place_side()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_side()

    def _place_side(self) -> None:
        if self.outer.count() < 2:
            return
        wide = self.width() >= SIDE_BY_SIDE_WIDTH
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.outer.orientation() != orientation:
            self.outer.setOrientation(orientation)
