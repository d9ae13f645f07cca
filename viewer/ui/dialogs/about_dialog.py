"""Help > About: the version, the open archive's format, path and counts."""

from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

import viewer
from viewer.core import schema
from viewer.core.records import ArchiveSummary
from viewer.ui.widgets.text import count, plain_label


class AboutDialog(QDialog):
    """What this program is and what it has open. Every value is shown as plain text."""

    def __init__(
        self,
        summary: ArchiveSummary | None,
        icon: QIcon | None = None,
        parent: QWidget | None = None,
        archive_error: str = "",
    ):
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About Archive Viewer")
        self.setAccessibleName("About Archive Viewer")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        title = plain_label(f"Archive Viewer {viewer.__version__}", self, accessible_name="Program and version")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        blurb = plain_label(
            "Find who said what in an offline archive of event reports and transcripts.",
            self,
            wrap=True,
            accessible_name="What this program does",
        )
        head = QHBoxLayout()
        if icon is not None and not icon.isNull():
            pic = QLabel(self)
            pic.setPixmap(icon.pixmap(64, 64))
            pic.setAccessibleName("Application icon")
            head.addWidget(pic, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.addWidget(title)
        text.addWidget(blurb)
        head.addLayout(text, 1)

        form = QFormLayout()
        self.values: dict[str, QLabel] = {}

        def row(name: str, value: str) -> None:
            label = plain_label(value, self, wrap=True, selectable=True, accessible_name=name)
            self.values[name] = label
            form.addRow(plain_label(name + ":", self), label)

        row("Archive formats read", f"up to {schema.FORMAT_VERSION}")
        if summary is not None:
            row("Archive", summary.title)
            row("File", summary.path)
            row("Archive format", str(summary.format_version))
            if summary.app_version:
                row("Made by", summary.app_version)
            row(
                "Contents",
                f"{count(summary.documents, 'document')} ({summary.documents_with_text:,} with text), "
                f"{count(summary.speakers, 'speaker')}, {count(summary.passages, 'passage')}, "
                f"{count(summary.quotes, 'direct quote')}",
            )
        else:
            row("Archive", archive_error or "No archive is open.")
        row("Built with", f"Python {platform.python_version()}, Qt {qVersion()}, PySide6 {pyside_version}")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(form)
        layout.addWidget(buttons)
