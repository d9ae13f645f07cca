"""The small dialog of "Set speaker…": who said a quote, or whose a passage is, as the user decides."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from viewer.core.corrections import NARRATION, SPEAKER, UNKNOWN, Correction, clean_name, clean_note
from viewer.ui.widgets.text import plain_label

PREVIEW_CHARS = 400


@dataclass(frozen=True)
class SpeakerRequest:
    """What the user asked for: a quote (``quote_id``) or a passage (``passage_id``) is ``speaker``'s,
    or narration / unknown (``decision``), with a note; ``new_speaker``: a new speaker even if the
    archive has one with a name like it."""

    decision: str
    speaker: str = ""
    note: str = ""
    quote_id: int | None = None
    passage_id: int | None = None
    new_speaker: bool = False


class SetSpeakerDialog(QDialog):
    """Shows the words and what the archive says of them; takes a speaker (one of the archive's, or a
    new name), narration or unknown, and a note. ``request()`` gives what was chosen.

    Signals:
        clear_requested(): the user asked to take the correction of these words back.
    """

    clear_requested = Signal()

    def __init__(
        self,
        parent: QWidget | None,
        *,
        words: str,
        now: str,
        quote_id: int | None = None,
        passage_id: int | None = None,
        speakers: Sequence[str] = (),
        suggestion: str | None = None,
        corrected: bool = False,
        where: str = "",
    ):
        super().__init__(parent)
        self.setObjectName("setSpeakerDialog")
        self.setWindowTitle("Set speaker" if quote_id is not None else "Set the passage's speaker")
        self.setAccessibleName("Set speaker")
        self.setMinimumWidth(460)
        self._quote_id, self._passage_id = quote_id, passage_id

        what = "The quote" if quote_id is not None else "The passage"
        self.where = plain_label(
            f"{what}, {where}:" if where else f"{what}:",
            self,
            wrap=True,
            accessible_name="What is corrected",
            object_name="speakerDialogWhere",
        )
        text = words if len(words) <= PREVIEW_CHARS else words[: PREVIEW_CHARS - 1] + "…"
        self.preview = plain_label(
            f"“{text}”" if quote_id is not None else text,
            self,
            wrap=True,
            selectable=True,
            accessible_name="The words",
            object_name="speakerDialogWords",
        )
        lines = [f"The archive says: {now}" + (" (corrected by you)" if corrected else "")]
        if suggestion:
            lines.append(f"The text points to {suggestion}, but not surely: a suggestion, not an attribution.")
        self.now = plain_label(
            "\n".join(lines),
            self,
            wrap=True,
            accessible_name="What the archive says now",
            object_name="speakerDialogNow",
        )

        self.speaker_choice = QRadioButton("&A speaker:", self)
        self.speaker_choice.setAccessibleName("A speaker")
        self.speaker = QComboBox(self)
        self.speaker.setObjectName("speakerCombo")
        self.speaker.setAccessibleName("Speaker's name")
        self.speaker.setEditable(True)
        self.speaker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.speaker.lineEdit().setPlaceholderText("a speaker of the archive, or a new name")
        self.speaker.lineEdit().setAccessibleName("Speaker's name")
        completer = QCompleter(self.speaker.model(), self.speaker)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.speaker.setCompleter(completer)
        self.add_speakers(speakers)
        self.speaker.setCurrentText(suggestion or "")
        self.new_speaker = QCheckBox("a &new speaker, even if a name like it is in the archive", self)
        self.new_speaker.setAccessibleName("A new speaker")
        self.narration = QRadioButton(
            "&Narration: nobody's words" + (" (not a quote)" if quote_id is not None else " (the report's own)"), self
        )
        self.narration.setAccessibleName("Narration")
        self.unknown = QRadioButton("&Unknown: someone's words, nobody knows whose", self)
        self.unknown.setAccessibleName("Speaker unknown")
        self.choices = QButtonGroup(self)
        for button in (self.speaker_choice, self.narration, self.unknown):
            self.choices.addButton(button)
        self.speaker_choice.setChecked(True)
        self.speaker.lineEdit().textEdited.connect(self._on_speaker_text_edited)
        self.choices.buttonToggled.connect(self._on_choices_button_toggled)

        self.note = QPlainTextEdit(self)
        self.note.setObjectName("speakerDialogNote")
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("Why: checked against the recording, the original report…")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(70)

        form = QFormLayout()
        form.addRow(self.speaker_choice, self.speaker)
        form.addRow("", self.new_speaker)
        form.addRow(self.narration)
        form.addRow(self.unknown)
        form.addRow("N&ote", self.note)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Set")
        self.ok_button.setAccessibleName("Set")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.clear_button: QPushButton | None = None
        if corrected:
            self.clear_button = self.buttons.addButton("C&lear correction", QDialogButtonBox.ButtonRole.ResetRole)
            self.clear_button.setAccessibleName("Clear correction")
            self.clear_button.setToolTip("Take your correction back: the archive says again what the text says")
            self.clear_button.clicked.connect(self._on_clear_button_clicked)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addWidget(self.preview)
        layout.addWidget(self.now)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.speaker.setFocus()
        self._update()

    def add_speakers(self, names: Sequence[str]) -> None:
        """Offer more speakers to pick (the archive's, read after the dialog opened); the text typed stays."""
        typed = self.speaker.currentText()
        have = {self.speaker.itemText(i) for i in range(self.speaker.count())}
        for name in names:
            if name and name not in have:
                self.speaker.addItem(name)
                have.add(name)
        self.speaker.setCurrentText(typed)

    def set_existing(self, correction: Correction | None) -> None:
        """Show the user's correction of these words (their decision and note) to change it."""
        if correction is None:
            return
        if not self.note.toPlainText():
            self.note.setPlainText(correction.note)
        {SPEAKER: self.speaker_choice, NARRATION: self.narration, UNKNOWN: self.unknown}[
            correction.decision
        ].setChecked(True)
        if correction.decision == SPEAKER:
            self.speaker.setCurrentText(correction.speaker)
        self._update()

    def _on_speaker_text_edited(self, _text: str) -> None:
        self.speaker_choice.setChecked(True)
        self._update()

    def _on_choices_button_toggled(self, _button, _checked: bool) -> None:
        self._update()

    def _on_clear_button_clicked(self) -> None:
        self.clear_requested.emit()
        self.reject()

    def _update(self) -> None:
        by_name = self.speaker_choice.isChecked()
        self.new_speaker.setEnabled(by_name)
        try:
            name = clean_name(self.speaker.currentText())
        except ValueError:
            name = ""
        self.ok_button.setEnabled(not by_name or bool(name))

    def request(self) -> SpeakerRequest:
        if self.narration.isChecked():
            decision = NARRATION
        elif self.unknown.isChecked():
            decision = UNKNOWN
        else:
            decision = SPEAKER
        speaker = clean_name(self.speaker.currentText()) if decision == SPEAKER else ""
        return SpeakerRequest(
            decision,
            speaker,
            clean_note(self.note.toPlainText()),
            self._quote_id,
            self._passage_id,
            decision == SPEAKER and self.new_speaker.isChecked(),
        )
