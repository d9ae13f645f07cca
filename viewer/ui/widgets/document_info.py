"""What the reader shows for a document whose text is not in the archive: its metadata, said plainly."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from viewer.core.dates import format_date
from viewer.core.records import Document, Passage
from viewer.ui.widgets.text import is_safe_link, open_link, plain_label


class DocumentInfoPage(QScrollArea):
    """Metadata of a document without text, where the archive lists it, and its web address.

    Signals:
        listing_requested(int): the user asked to see the passage that lists this document.
    """

    listing_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("documentInfo")
        self.setAccessibleName("Document details")
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget(self)
        self.setWidget(body)
        self._listed_in: Passage | None = None
        self._url = ""

        self.notice = plain_label(
            "", body, wrap=True, accessible_name="Text availability", object_name="documentInfoNotice"
        )
        font = self.notice.font()
        font.setBold(True)
        self.notice.setFont(font)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, QLabel] = {}
        for name in (
            "Kind",
            "Date",
            "Published",
            "Collection",
            "Organiser",
            "Publisher",
            "Source note",
            "Web address",
            "Listed in",
        ):
            value = plain_label("", body, wrap=True, selectable=True, accessible_name=name)
            self.fields[name] = value
            self.form.addRow(plain_label(name + ":", body), value)

        self.listing_button = QPushButton("Show where it is listed", body)
        self.listing_button.setObjectName("showListingButton")
        self.listing_button.setAccessibleName("Show the passage that lists this document")
        self.listing_button.clicked.connect(self._on_listing_clicked)
        self.link_button = QPushButton("Open web address…", body)
        self.link_button.setObjectName("openLinkButton")
        self.link_button.setAccessibleName("Open the document's web address in a browser")
        self.link_button.clicked.connect(self._on_link_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.listing_button)
        buttons.addWidget(self.link_button)
        buttons.addStretch(1)

        layout = QVBoxLayout(body)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.addWidget(self.notice)
        layout.addSpacing(8)
        layout.addLayout(self.form)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def set_document(self, doc: Document, listed_in: Passage | None, listed_in_doc: Document | None) -> None:
        self._listed_in = listed_in
        self._url = doc.url or ""
        self.notice.setText(
            f"The text of this {doc.kind or 'document'} is not in this archive. "
            "The archive knows only what is listed below."
        )
        values = {
            "Kind": doc.kind,
            "Date": doc.date_label,
            "Published": format_date(doc.published),
            "Collection": doc.collection,
            "Organiser": doc.organiser,
            "Publisher": doc.publisher,
            "Source note": doc.source_note,
            "Web address": doc.url,
            "Listed in": (
                f"¶ {listed_in.seq} of “{listed_in_doc.title}”"
                + (f" ({listed_in_doc.date_label})" if listed_in_doc.date_label else "")
            )
            if listed_in is not None and listed_in_doc is not None
            else "",
        }
        for name, value in values.items():
            label = self.fields[name]
            label.setText(value or "")
            label.setVisible(bool(value))
            self.form.labelForField(label).setVisible(bool(value))
        self.listing_button.setVisible(listed_in is not None)
        self.link_button.setVisible(bool(self._url))
        self.link_button.setEnabled(is_safe_link(self._url))
        self.link_button.setToolTip(
            "" if is_safe_link(self._url) else "Only web addresses (http or https) can be opened."
        )

    @Slot()
    def _on_listing_clicked(self) -> None:
        if self._listed_in is not None:
            self.listing_requested.emit(self._listed_in.id)

    @Slot()
    def _on_link_clicked(self) -> None:
        if self._url:
            open_link(self, self._url)
