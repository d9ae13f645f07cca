"""What the window shows when no archive is open: why, and a way to open one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from viewer.ui.widgets.text import action_text, plain_label, tooltip

MAX_RECENT_BUTTONS = 5


class EmptyStateWidget(QWidget):
    """ "No archive is open", the reason when opening failed (details behind a button), an
    "Open archive…" button and the recent archives.

    Signals:
        open_requested(): the user wants to choose an archive file.
        recent_requested(str): the user chose a recent archive.
    """

    open_requested = Signal()
    recent_requested = Signal(str)

    def __init__(self, icon: QIcon | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.setAccessibleName("No archive open")
        self.icon = QLabel(self)
        self.icon.setAccessibleName("Application icon")
        if icon is not None and not icon.isNull():
            self.icon.setPixmap(icon.pixmap(96, 96))
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.heading = plain_label("No archive is open", self, accessible_name="Heading", object_name="emptyHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = plain_label(
            "", self, wrap=True, selectable=True, accessible_name="Why no archive is open", object_name="emptyMessage"
        )
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setMinimumWidth(240)
        self.message.setMaximumWidth(620)
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("emptyDetails")
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Technical details")
        self.details.setMaximumHeight(120)
        self.details.setMaximumWidth(620)
        self.details.hide()
        self.details_button = QPushButton("Show details", self)
        self.details_button.setObjectName("emptyDetailsButton")
        self.details_button.setAccessibleName("Show technical details")
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self._on_details_toggled)
        self.open_button = QPushButton("Open archive…", self)
        self.open_button.setObjectName("emptyOpenButton")
        self.open_button.setAccessibleName("Open an archive file")
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self.open_requested)
        self.fallback_button = QPushButton(self)
        self.fallback_button.setObjectName("emptyFallbackButton")
        self.fallback_button.clicked.connect(self._on_fallback_clicked)
        self._fallback = ""
        # one above the other: the window stays narrow enough for a small screen
        buttons = QVBoxLayout()
        for button in (self.open_button, self.fallback_button, self.details_button):
            buttons.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.recent_box = QVBoxLayout()
        self.recent_label = plain_label("Recent archives", self, accessible_name="Recent archives heading")
        self.recent_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.recent_box.addWidget(self.recent_label)
        self._recent_buttons: list[QPushButton] = []

        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.icon)
        layout.addWidget(self.heading)
        message_row = QHBoxLayout()
        message_row.addStretch(1)
        message_row.addWidget(self.message, 4)
        message_row.addStretch(1)
        layout.addLayout(message_row)
        layout.addLayout(buttons)
        layout.addWidget(self.details, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(12)
        layout.addLayout(self.recent_box)
        layout.addStretch(3)
        self.set_problem("", "")
        self.set_recent([])
        self.set_fallback("", "")

    def set_problem(self, message: str, details: str) -> None:
        """Say why no archive is open ("" when none was asked for)."""
        self.message.setText(message or "Open an archive file to read who said what.")
        self.details.setPlainText(details)
        self.details_button.setVisible(bool(details))
        self.details_button.setChecked(False)
        self.details.hide()

    def set_fallback(self, path: str, text: str) -> None:
        """Offer one archive to open in a click (the one the app opens by default), or none ("")."""
        self._fallback = path
        self.fallback_button.setText(text)
        self.fallback_button.setAccessibleName(f"{text}: {path}" if path else "")
        self.fallback_button.setToolTip(path)
        self.fallback_button.setVisible(bool(path))

    @Slot()
    def _on_fallback_clicked(self) -> None:
        if self._fallback:
            self.recent_requested.emit(self._fallback)

    def set_recent(self, paths: list[str]) -> None:
        for button in self._recent_buttons:
            self.recent_box.removeWidget(button)
            button.deleteLater()
        self._recent_buttons = []
        for path in paths[:MAX_RECENT_BUTTONS]:
            button = QPushButton(action_text(Path(path).name), self)
            button.setFlat(True)
            button.setToolTip(tooltip(path))
            button.setStatusTip(path)
            button.setAccessibleName(f"Open recent archive {path}")
            button.setProperty("path", path)
            button.clicked.connect(self._on_recent_clicked)
            self.recent_box.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
            self._recent_buttons.append(button)
        self.recent_label.setVisible(bool(self._recent_buttons))

    @Slot(bool)
    def _on_details_toggled(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.details_button.setText("Hide details" if shown else "Show details")

    @Slot()
    def _on_recent_clicked(self) -> None:
        button = self.sender()
        path = button.property("path") if button is not None else None
        if isinstance(path, str):
            self.recent_requested.emit(path)
