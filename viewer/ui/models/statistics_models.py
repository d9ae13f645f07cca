"""Table models of the statistics panel: adapters over the records of ``viewer.core.stats``.

One model class, ``StatsTableModel``, shows a list of records through a list of ``Column``s; the
functions below give the columns of each table. ``data()`` gives the record itself for
``RECORD_ROLE`` and a naturally sorting value for ``SORT_ROLE``; sorting by a column is stable,
and the first column of the speakers table restores the order of appearance.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from viewer.core.dates import format_range
from viewer.core.stats_records import FigureStat, MentionStat

RECORD_ROLE = Qt.ItemDataRole.UserRole + 1  # the core record itself
SORT_ROLE = Qt.ItemDataRole.UserRole + 3  # a value that sorts naturally (numbers as numbers)

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None
    numeric: bool = False
    tip: str = ""
    tooltip: Callable[[Any], str] | None = None  # plain text; escaped before Qt sees it


def _n(value: int | float) -> str:
    return f"{value:,}"


class StatsTableModel(QAbstractTableModel):
    """Records shown through columns; sortable, read-only."""

    def __init__(self, columns: Sequence[Column], parent=None):
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Any] = []

    # -------------------------------------------------------------- content

    def set_rows(self, rows: Sequence[Any], columns: Sequence[Column] | None = None) -> None:
        self.beginResetModel()
        if columns is not None:
            self._columns = list(columns)
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def record(self, row: int) -> Any:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def columns(self) -> list[Column]:
        return list(self._columns)

    def table(self) -> tuple[list[str], list[list[str]]]:
        """Header and cells as shown (for CSV export)."""
        return [c.title for c in self._columns], [[c.text(r) for c in self._columns] for r in self._rows]

    # -------------------------------------------------------------- Qt

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            not index.isValid()
            or not (0 <= index.row() < len(self._rows))
            or not (0 <= index.column() < len(self._columns))
        ):
            return None
        record = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(record)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if column.numeric else _LEFT)
        if role == RECORD_ROLE:
            return record
        if role == SORT_ROLE:
            return (column.sort or column.text)(record)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            text = column.tooltip(record)
            # tooltips guess rich text: escape the archive's text inside our own paragraph
            return f"<p>{html.escape(text)}</p>" if text else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not (0 <= section < len(self._columns)):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].title
        if role == Qt.ItemDataRole.ToolTipRole and self._columns[section].tip:
            return self._columns[section].tip  # our own words, never archive text
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not (0 <= column < len(self._columns)):
            return
        key = self._columns[column].sort or self._columns[column].text
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_rows = [self._rows[i.row()] if 0 <= i.row() < len(self._rows) else None for i in old]
        positions = list(range(len(self._rows)))
        positions.sort(key=lambda i: key(self._rows[i]), reverse=order == Qt.SortOrder.DescendingOrder)
        self._rows = [self._rows[i] for i in positions]
        where = {id(r): n for n, r in enumerate(self._rows)}
        new = [self.index(where[id(r)], i.column()) if r is not None else QModelIndex() for i, r in zip(old, old_rows)]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()


# ------------------------------------------------------------------ the tables' columns


def speaker_columns(per_document: bool = False) -> list[Column]:
    first = (
        Column("Document", lambda s: s.label)
        if per_document
        else Column("Speaker", lambda s: s.name, lambda s: s.name.casefold())
    )
    share_tip = (
        "Share of the words spoken in the document's passages attributed to speakers"
        if per_document
        else "Share of the words spoken in passages attributed to speakers in scope"
    )
    return [
        Column("#", lambda s: str(s.position), lambda s: s.position, True, "Order of appearance"),
        first,
        Column("Words", lambda s: _n(s.words), lambda s: s.words, True),
        Column("Share", lambda s: f"{s.share:.1f}%", lambda s: s.share, True, share_tip),
        Column("Passages", lambda s: _n(s.passages), lambda s: s.passages, True),
        Column("Direct quotes", lambda s: _n(s.quotes), lambda s: s.quotes, True),
    ]


def _by(m: MentionStat) -> str:
    return ", ".join(f"{name or 'narration'} ({c})" for _sid, name, c in m.by)


def _variants(m: MentionStat) -> str:
    return ", ".join(f"{f} ({c})" for f, c in m.variants)


def mention_columns() -> list[Column]:
    return [
        Column("Name", lambda m: m.name, lambda m: m.name.casefold()),
        Column("Kind", lambda m: m.kind),
        Column("Mentions", lambda m: _n(m.count), lambda m: m.count, True),
        Column(
            "Written as",
            _variants,
            None,
            False,
            "Every spelling merged into this name, with how often it occurs",
            _variants,
        ),
        Column(
            "In passages of", _by, None, False, "Whose passages mention it (narration: the report's own words)", _by
        ),
    ]


def _forms(t) -> str:
    return ", ".join(f if c is None else f"{f} ({c})" for f, c in t.forms)


def term_columns() -> list[Column]:
    return [
        Column("Term", lambda t: t.term, lambda t: t.term),
        Column("Count", lambda t: _n(t.count), lambda t: t.count, True),
        Column("Forms", _forms, None, False, "The inflections counted together"),
    ]


def distinctive_columns() -> list[Column]:
    return [
        Column("Term", lambda t: t.term, lambda t: t.term),
        Column("Count", lambda t: _n(t.count), lambda t: t.count, True, "Times this speaker uses it"),
        Column("Others", lambda t: _n(t.other or 0), lambda t: t.other or 0, True, "Times everyone else uses it"),
        Column(
            "z",
            lambda t: f"{t.z:.2f}" if t.z is not None else "",
            lambda t: t.z or 0.0,
            True,
            "Weighted log-odds over its standard error: how much more this speaker uses it",
        ),
    ]


def figure_columns() -> list[Column]:
    return [
        Column("Figure", lambda f: f.text, lambda f: f.id),
        Column("Number", lambda f: _number(f), lambda f: f.number if f.number is not None else -1, True),
        Column("Counts", lambda f: f.noun),
        Column("Speaker", lambda f: f.speaker or "narration", lambda f: f.speaker.casefold()),
        Column("Context", lambda f: f.context, None, False, "", lambda f: f.context),
    ]


def _number(f: FigureStat) -> str:
    if f.number is None:
        return ""
    text = f"{f.number:,.2f}".rstrip("0").rstrip(".")
    if f.number_max is not None:
        text += "–" + f"{f.number_max:,.2f}".rstrip("0").rstrip(".")
    return ("≈ " if f.approx else "") + text


def timeline_columns() -> list[Column]:
    return [
        Column("Date", lambda d: format_range(d.date, d.date_end) or "undated", lambda d: (d.date or "9999", d.id)),
        Column("Title", lambda d: d.title, lambda d: d.title.casefold()),
        Column("Kind", lambda d: d.kind),
        Column("Collection", lambda d: d.collection or ""),
        Column(
            "Text in the archive", lambda d: "yes" if d.has_text else "no (listed)", lambda d: (not d.has_text, d.id)
        ),
    ]
