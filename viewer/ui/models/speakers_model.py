"""Speakers as a table (order of appearance, name, role, counts) and a filter/sort proxy over it."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from viewer.core.records import Speaker
from viewer.core.text import fold
from viewer.ui.models.roles import ID_ROLE, RECORD_ROLE, SORT_ROLE
from viewer.ui.widgets.speaker_colors import is_dark, speaker_color
from viewer.ui.widgets.text import count, tooltip

Index = QModelIndex | QPersistentModelIndex

ORDER, NAME, ROLE, PASSAGES, QUOTES, WORDS = range(6)
NUMERIC = (ORDER, PASSAGES, QUOTES, WORDS)


def affiliation(s: Speaker) -> str:
    """Role and organisation as one line ("" when unknown)."""
    if s.affiliation:
        return s.affiliation
    return ", ".join(p for p in (s.role, s.organisation, s.country) if p)


def filter_haystacks(speakers: list[Speaker]) -> list[str]:
    """For each speaker, the folded text the filter box searches: name, aliases, role, description."""
    return [fold(" ".join([s.name, *s.aliases, affiliation(s), s.description or ""])) for s in speakers]


class SpeakersModel(QAbstractTableModel):
    """One row per speaker in the order given (order of appearance), with their counts."""

    HEADERS = ("#", "Name", "Role / affiliation", "Passages", "Quotes", "Words")
    HEADER_TIPS = (
        "Order of first appearance in the archive",
        "The speaker's name",
        "Role and organisation as the text gives them",
        "Passages attributed to the speaker",
        "Direct quotes of the speaker's own words",
        "Words in the speaker's passages",
    )

    def __init__(self, parent=None):
        super().__init__(parent)
        self._speakers: list[Speaker] = []
        self._haystacks: list[str] = []

    def set_speakers(self, speakers: list[Speaker], haystacks: list[str] | None = None) -> None:
        """Show ``speakers``; ``haystacks`` (from ``filter_haystacks``, made off the UI thread for a
        long list) are what the filter looks in."""
        self.beginResetModel()
        self._speakers = list(speakers)
        self._haystacks = list(haystacks) if haystacks is not None else filter_haystacks(self._speakers)
        self.endResetModel()

    def widest(self, column: int) -> str:
        """The longest text of a numeric column (for fitting it: numbers are never cut); of the name
        column, the longest name."""
        if column == NAME:
            return max((s.name for s in self._speakers), key=len, default="")
        if column == ORDER:
            return str(len(self._speakers))
        values = [(s.passages, s.quotes, s.words)[column - PASSAGES] for s in self._speakers]
        return f"{max(values, default=0):,}"

    def speaker(self, row: int) -> Speaker | None:
        return self._speakers[row] if 0 <= row < len(self._speakers) else None

    def row_of(self, speaker_id: int) -> int | None:
        for row, s in enumerate(self._speakers):
            if s.id == speaker_id:
                return row
        return None

    def haystack(self, row: int) -> str:
        return self._haystacks[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._speakers)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.HEADER_TIPS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._speakers):
            return None
        s = self._speakers[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(index.row(), s, col)
        if role == SORT_ROLE:
            if col == ORDER:
                return index.row()
            if col == NAME:
                return fold(s.name)
            if col == ROLE:
                return fold(affiliation(s))
            return (s.passages, s.quotes, s.words)[col - PASSAGES]
        if role == Qt.ItemDataRole.TextAlignmentRole and col in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DecorationRole and col == NAME:
            return speaker_color(s.id, is_dark(QApplication.palette()))
        if role == Qt.ItemDataRole.ForegroundRole and col == ORDER:
            return QApplication.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == Qt.ItemDataRole.ToolTipRole:
            counts = f"{count(s.passages, 'passage')}, {count(s.quotes, 'direct quote')}, {count(s.words, 'word')}"
            return tooltip(s.name, affiliation(s), counts, bold_first=True)
        if role == RECORD_ROLE:
            return s
        if role == ID_ROLE:
            return s.id
        return None

    def _display(self, row: int, s: Speaker, col: int) -> str:
        if col == ORDER:
            return str(row + 1)
        if col == NAME:
            return s.name
        if col == ROLE:
            return affiliation(s)
        return f"{(s.passages, s.quotes, s.words)[col - PASSAGES]:,}"


class SpeakersFilterModel(QSortFilterProxyModel):
    """Keeps the speakers whose name, alias or affiliation contains the filter text, ignoring case,
    diacritics and quote styles (``Austrevicius`` finds Auštrevičius); sorts numbers as numbers."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._needle = ""
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_filter_text(self, text: str) -> None:
        needle = " ".join(fold(text).split())
        if needle == self._needle:
            return
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+
            self.beginFilterChange()
            self._needle = needle
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._needle = needle
            self.invalidateRowsFilter()

    def filter_text(self) -> str:
        return self._needle

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._needle:
            return True
        model = self.sourceModel()
        if not isinstance(model, SpeakersModel):
            return True
        hay = model.haystack(source_row)
        return all(word in hay for word in self._needle.split())
