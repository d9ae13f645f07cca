"""Edit > Citation template…: the one place to change how quotes are cited.

The template is the user's (a file in their data folder, ``viewer.core.citation.load_template``) and is
used by the reader's "Copy with citation", the bookmarks' copy, the plain-text export and the command
line. It is checked as it is typed (``viewer.core.citation.check_template``) and shown on a real quote of
the open archive, and on words of the report, which are never put in quotation marks.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from viewer.core.citation import DEFAULT_TEMPLATE, FIELDS, PARAPHRASE, Citation, check_template, cite_quote
from viewer.core.db import ArchiveError
from viewer.core.records import QUOTE
from viewer.ui.widgets.text import plain_label

SAMPLE = Citation(
    text="The words exactly as they were said",
    speaker="Name of the speaker",
    affiliation="their role and organisation",
    title="Title of the report",
    publisher="Publisher",
    date="25 March 2021",
    paragraph="17",
)


def sample_citation(archive, document_id: int | None = None, quote_id: int | None = None) -> Citation:
    """A citation to preview the template on: ``quote_id``, else the first direct quote of
    ``document_id``, else of the archive; a made-up one when there is none or it cannot be read."""
    if archive is None:
        return SAMPLE
    try:
        if quote_id is None:
            quotes = archive.quotes(document_id=document_id, kinds=(QUOTE,)) if document_id is not None else []
            quotes = quotes or archive.quotes(kinds=(QUOTE,))
            quote_id = quotes[0].id if quotes else None
        citation = cite_quote(archive, quote_id) if quote_id is not None else None
    except ArchiveError:
        citation = None
    return citation or SAMPLE


class CitationTemplateDialog(QDialog):
    """Edit the citation template with a live preview; OK only while the template is usable.

    Signals: none beyond QDialog's ``accepted``/``finished``; read ``template()`` after OK.
    """

    def __init__(self, template: str, sample: Citation = SAMPLE, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("citationTemplateDialog")
        self.setWindowTitle("Citation template")
        self.setAccessibleName("Citation template")
        self.setMinimumWidth(560)
        self._sample = sample

        intro = plain_label(
            "How “Copy with citation” in the reader, the bookmarks' copy, the plain-text export "
            "and the command line cite a quote. Parts between “, ” whose fields are all empty are "
            "left out. Words of the report (what it says a speaker said, or its own account) are "
            "never put in quotation marks: they are cited as the report's.",
            self,
            wrap=True,
        )
        self.edit = QLineEdit(template or DEFAULT_TEMPLATE, self)
        self.edit.setObjectName("citationTemplateEdit")
        self.edit.setAccessibleName("Template")
        self.edit.textChanged.connect(self._on_edit_text_changed)
        fields = plain_label(
            "Fields: " + "  ".join("{" + f + "}" for f in FIELDS),
            self,
            wrap=True,
            selectable=True,
            accessible_name="Fields",
        )
        fields.setEnabled(False)  # drawn muted
        self.problem_label = plain_label(
            "", self, wrap=True, accessible_name="Problem", object_name="citationTemplateProblem"
        )
        self.problem_label.setStyleSheet("color: #b3261e")
        preview_title = QLabel("Preview", self)
        font = preview_title.font()
        font.setBold(True)
        preview_title.setFont(font)
        self.preview_label = plain_label(
            "", self, wrap=True, selectable=True, accessible_name="Preview", object_name="citationTemplatePreview"
        )
        self.preview_label.setMinimumHeight(self.preview_label.fontMetrics().lineSpacing() * 3)
        self.preview_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults,
            self,
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self._on_restore_clicked)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.edit)
        layout.addWidget(fields)
        layout.addWidget(self.problem_label)
        layout.addWidget(preview_title)
        layout.addWidget(self.preview_label, 1)
        layout.addWidget(self.buttons)
        self._on_edit_text_changed(self.edit.text())

    def template(self) -> str:
        return self.edit.text()

    def problem(self) -> str:
        text = self.edit.text()
        return check_template(text) or "" if text.strip() else "the template is empty"

    @Slot(str)
    def _on_edit_text_changed(self, text: str) -> None:
        problem = self.problem()
        self.problem_label.setText(problem)
        self.problem_label.setVisible(bool(problem))
        report = replace(self._sample, text="the words of the report about what was said", words=PARAPHRASE)
        self.preview_label.setText("" if problem else f"{self._sample.render(text)}\n\n{report.render(text)}")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    @Slot()
    def _on_restore_clicked(self) -> None:
        self.edit.setText(DEFAULT_TEMPLATE)

    def accept(self) -> None:
        if self.problem():
            return
        super().accept()
