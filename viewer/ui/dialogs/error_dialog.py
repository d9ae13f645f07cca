"""A plain message for the user, the technical details behind a button."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QStyle,
                               QVBoxLayout, QWidget)

from viewer.core import buglog
from viewer.core.errors import ViewerError
from viewer.ui.widgets.text import plain_label


BUG_TITLE = "Internal error"


def is_bug(error: BaseException) -> bool:
    """True for an exception the app does not expect (not a ``ViewerError``): a bug."""
    return not isinstance(error, ViewerError)


def describe(error: BaseException, data_dir: str | os.PathLike | None = None) -> tuple[str, str]:
    """(message, details) for any exception: our own errors say what happened in one plain line; anything
    else is a bug: its traceback is written to the log in the data folder (``viewer.core.buglog``) and
    is the details, and the message says where the log is."""
    if not is_bug(error):
        return error.message, error.details or type(error).__name__
    log = buglog.record(error, data_dir)
    where = f"details in {log}" if log is not None else "details below"
    return (f"Archive Viewer met an internal error ({where}). What you were doing may not have finished; "
            "archives are only changed by an import, and an import that does not finish changes nothing.",
            buglog.format_bug(error))


class ErrorDialog(QDialog):
    """Shows ``message`` as plain text; "Show details" reveals ``details`` (also plain text).

    Signals: none beyond QDialog's ``finished``.
    """

    def __init__(self, title: str, message: str, details: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        icon = QLabel(self)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(40, 40))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        icon.setAccessibleName("Warning")
        self.message_label = plain_label(message, self, wrap=True, selectable=True, accessible_name="Message",
                                         object_name="errorMessage")
        self.message_label.setMinimumWidth(360)

        self.details_view = QPlainTextEdit(self)
        self.details_view.setObjectName("errorDetails")
        self.details_view.setReadOnly(True)
        self.details_view.setPlainText(details)
        self.details_view.setAccessibleName("Technical details")
        self.details_view.setVisible(False)
        self.details_view.setMinimumHeight(140)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        close.setDefault(True)
        self.details_button = QPushButton("Show details", self)
        self.details_button.setObjectName("errorDetailsButton")
        self.details_button.setCheckable(True)
        self.details_button.setAccessibleName("Show technical details")
        self.details_button.setEnabled(bool(details))
        self.details_button.toggled.connect(self._on_details_toggled)
        self.copy_button = QPushButton("Copy details", self)
        self.copy_button.setAccessibleName("Copy the message and details")
        self.copy_button.setVisible(False)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        buttons.addButton(self.details_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)

        top = QHBoxLayout()
        top.addWidget(icon)
        top.addWidget(self.message_label, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details_view, 1)
        layout.addWidget(buttons)

    @Slot(bool)
    def _on_details_toggled(self, shown: bool) -> None:
        self.details_view.setVisible(shown)
        self.copy_button.setVisible(shown)
        self.details_button.setText("Hide details" if shown else "Show details")
        self.adjustSize()

    @Slot()
    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(f"{self.message_label.text()}\n\n{self.details_view.toPlainText()}")
