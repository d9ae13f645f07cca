"""The small popup that takes a bookmark's note, tags and colour (when creating or editing)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from viewer.core.bookmark_records import COLOURS, Bookmark, clean_note, normalise_tags
from viewer.core.export import words_text

PREVIEW_CHARS = 600


def colour_icon(hex_colour: str, size: int = 14) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(QColor(hex_colour))
    return QIcon(pix)


class TagCompleter(QCompleter):
    """Completes the tag being typed after the last comma, from the tags already in use."""

    def __init__(self, tags: Sequence[str], parent=None):
        super().__init__(parent)
        self._tags = QStringListModel(list(tags), self)
        self.setModel(self._tags)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

    def splitPath(self, path: str) -> list[str]:
        return [path.split(",")[-1].strip()]

    def pathFromIndex(self, index) -> str:
        done = self.widget().text().split(",")[:-1] if self.widget() is not None else []
        return ", ".join([p.strip() for p in done if p.strip()] + [index.data()])


class BookmarkDialog(QDialog):
    """Shows the words and their attribution (as plain text) and takes note, tags and colour.
    ``values()`` gives (note, tags, colour) as the store will keep them."""

    def __init__(
        self, parent: QWidget | None, bookmark: Bookmark, known_tags: Sequence[str] = (), title: str = "Bookmark"
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)

        words = words_text(bookmark)
        text = words if len(words) <= PREVIEW_CHARS else words[: PREVIEW_CHARS - 1] + "…"
        # only a speaker's own words in quotation marks; the report's words say they are the report's
        self.preview = QLabel(f"“{text}”" if bookmark.is_quote else text)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setWordWrap(True)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.attribution = QLabel("— " + bookmark.attribution_line())
        self.attribution.setTextFormat(Qt.TextFormat.PlainText)
        self.attribution.setWordWrap(True)

        self.note = QPlainTextEdit(bookmark.note)
        self.note.setPlaceholderText("Why this matters, where to use it…")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(90)
        self.tags = QLineEdit(", ".join(bookmark.tags))
        self.tags.setPlaceholderText("tags, separated by commas")
        self.tags.setCompleter(TagCompleter(known_tags, self.tags))
        self.colour = QComboBox()
        for name, hex_colour in COLOURS.items():
            self.colour.addItem(colour_icon(hex_colour), name, name)
        self.colour.setCurrentIndex(max(0, self.colour.findData(bookmark.colour)))

        form = QFormLayout()
        form.addRow("Note", self.note)
        form.addRow("Tags", self.tags)
        form.addRow("Colour", self.colour)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons

        layout = QVBoxLayout(self)
        layout.addWidget(self.preview)
        layout.addWidget(self.attribution)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.note.setFocus()

    def values(self) -> tuple[str, tuple[str, ...], str]:
        return clean_note(self.note.toPlainText()), normalise_tags(self.tags.text()), self.colour.currentData()
