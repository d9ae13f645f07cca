"""The search panel's filters (``viewer.ui.panels.search_panel``): the speakers (a menu of check boxes), a
document or a collection, dates, quotes only and exact diacritics. The panel reads them into its
``SearchOptions``; the lists are read from the archive when they are first shown.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from viewer.core.archive import Archive
from viewer.core.db import ArchiveError
from viewer.core.search import collections, parse_date_bound
from viewer.ui.models.choices_model import ChoicesModel

SCOPE_DOCUMENT = "document"  # scope choices: ("document", id) or ("collection", name); None: all documents
SCOPE_COLLECTION = "collection"


def _no_mnemonic(text: str) -> str:
    """Menu and button texts treat "&" as a shortcut marker; archive names show it as written."""
    return text.replace("&", "&&")


class StayOpenMenu(QMenu):
    """A menu of check boxes that stays open while they are ticked, so several can be chosen."""

    def mouseReleaseEvent(self, event) -> None:
        action = self.activeAction()
        if action is not None and action.isEnabled() and action.isCheckable():
            action.trigger()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event) -> None:
        action = self.activeAction()
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
            and action is not None
            and action.isEnabled()
            and action.isCheckable()
        ):
            action.trigger()
            return
        super().keyPressEvent(event)


class SearchFilters(QWidget):
    """The filters of a search.

    Signals:
        changed(): the user changed a filter, or ``set_speakers`` did (the dates are checked first).
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._archive: Archive | None = None
        self.stale = True  # the document list is read when the filters are first shown
        self._speakers_stale = True  # the speakers menu is filled when it is first opened
        self._speaker_ids: tuple[int, ...] = ()
        self._speaker_names: dict[int, str] = {}

        self.speakers_button = QToolButton(self)
        self.speakers_button.setText("All speakers")
        self.speakers_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.speakers_button.setAccessibleName("Speakers")
        self.speakers_menu = StayOpenMenu(self.speakers_button)
        self.speakers_menu.setObjectName("searchSpeakersMenu")
        self.speakers_menu.aboutToShow.connect(self._on_speakers_menu_about_to_show)
        self.speakers_button.setMenu(self.speakers_menu)

        self.scope_choices = ChoicesModel(self)  # thousands of documents: one list, not item by item
        self.scope_combo = QComboBox(self)
        self.scope_combo.setAccessibleName("Document or collection")
        self.scope_combo.setModel(self.scope_choices)
        self.scope_combo.view().setUniformItemSizes(True)
        self.scope_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.scope_combo.setMinimumContentsLength(12)
        self.scope_combo.currentIndexChanged.connect(self._on_scope_changed)

        self.from_edit = QLineEdit(self)
        self.from_edit.setPlaceholderText("from (2021-03)")
        self.from_edit.setAccessibleName("From date")
        self.to_edit = QLineEdit(self)
        self.to_edit.setPlaceholderText("to (25 March 2021)")
        self.to_edit.setAccessibleName("To date")
        for edit in (self.from_edit, self.to_edit):
            edit.setMaxLength(40)
            edit.editingFinished.connect(self._on_date_edited)

        self.quotes_only_check = QCheckBox("Quotes only", self)
        self.quotes_only_check.setAccessibleName("Quotes only")
        self.quotes_only_check.toggled.connect(self._on_check_toggled)
        self.exact_check = QCheckBox("Exact diacritics", self)
        self.exact_check.setAccessibleName("Exact diacritics")
        self.exact_check.setToolTip("Only text with exactly the diacritics typed (Auštrevičius, not Austrevicius)")
        self.exact_check.toggled.connect(self._on_check_toggled)

        row1 = QHBoxLayout()
        row1.setContentsMargins(0, 0, 0, 0)
        row1.addWidget(self.speakers_button)
        row1.addWidget(self.scope_combo, 1)
        row2 = QHBoxLayout()
        row2.setContentsMargins(0, 0, 0, 0)
        row2.addWidget(self.from_edit)
        row2.addWidget(self.to_edit)
        row3 = QHBoxLayout()
        row3.setContentsMargins(0, 0, 0, 0)
        row3.addWidget(self.quotes_only_check)
        row3.addWidget(self.exact_check)
        row3.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row1)
        layout.addLayout(row2)
        layout.addLayout(row3)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def set_archive(self, archive: Archive | None) -> None:
        """Filters for ``archive``: no speaker chosen, the lists read again when they are next shown."""
        self._archive = archive
        self.stale = True
        self._speakers_stale = True
        self._speaker_ids, self._speaker_names = (), {}
        self._update_speakers_button()

    def fill(self) -> None:
        """The documents and collections to choose from (the speakers when their menu opens)."""
        self.stale = False
        choices: list[tuple[str, object]] = [("All documents", None)]
        if self._archive is not None:
            choices += [(f"Collection: {name}", (SCOPE_COLLECTION, name)) for name in collections(self._archive)]
            choices += [(doc.title, (SCOPE_DOCUMENT, doc.id)) for doc in self._archive.documents() if doc.has_text]
        self.scope_combo.blockSignals(True)
        self.scope_choices.set_items(choices)
        self.scope_combo.setCurrentIndex(0)
        self.scope_combo.blockSignals(False)

    def selected_speakers(self) -> tuple[int, ...]:
        return self._speaker_ids

    def set_speakers(self, speaker_ids) -> None:
        """Only these speakers' passages and quotes (none: everyone)."""
        self._speaker_ids = tuple(dict.fromkeys(speaker_ids))
        wanted = set(self._speaker_ids)
        for action in self.speakers_menu.actions():
            action.blockSignals(True)
            action.setChecked(action.data() in wanted)
            action.blockSignals(False)
        self._update_speakers_button()
        self._changed()

    def set_scope(self, kind: str | None = None, value=None) -> None:
        """One document (``SCOPE_DOCUMENT``, its id) or collection (``SCOPE_COLLECTION``, its name); no
        arguments: every document."""
        if self.stale:
            self.fill()
        row = self.scope_choices.row_of((kind, value) if kind is not None else None)
        self.scope_combo.setCurrentIndex(max(row, 0))

    def scope(self) -> tuple[str | None, object]:
        """(``SCOPE_DOCUMENT``, id), (``SCOPE_COLLECTION``, name) or (None, None) for every document."""
        scope = self.scope_choices.item_id(self.scope_combo.currentIndex())
        return scope if scope else (None, None)

    def check_dates(self) -> None:
        """A date that cannot be read says so in its tooltip."""
        for edit in (self.from_edit, self.to_edit):
            bad = bool(edit.text().strip()) and parse_date_bound(edit.text()) is None
            edit.setToolTip("Not a date: try 2021, 2021-03, 2021-03-25 or 25 March 2021" if bad else "")

    def _changed(self) -> None:
        self.check_dates()
        self.changed.emit()

    @Slot(int)
    def _on_scope_changed(self, _index: int) -> None:
        self._changed()

    @Slot(bool)
    def _on_check_toggled(self, _checked: bool) -> None:
        self._changed()

    @Slot()
    def _on_date_edited(self) -> None:
        self._changed()

    @Slot()
    def _on_speakers_menu_about_to_show(self) -> None:
        if self._speakers_stale:
            self._fill_speakers_menu()

    def _fill_speakers_menu(self) -> None:
        self._speakers_stale = False
        self.speakers_menu.clear()
        if self._archive is None:
            return
        chosen = set(self._speaker_ids)
        for speaker in self._archive.speakers():
            action = QAction(_no_mnemonic(speaker.name), self.speakers_menu)
            action.setCheckable(True)
            action.setChecked(speaker.id in chosen)
            action.setData(speaker.id)
            action.toggled.connect(self._on_speaker_toggled)
            self.speakers_menu.addAction(action)

    @Slot(bool)
    def _on_speaker_toggled(self, _checked: bool) -> None:
        self._speaker_ids = tuple(a.data() for a in self.speakers_menu.actions() if a.isChecked())
        self._update_speakers_button()
        self._changed()

    def _speaker_name(self, speaker_id: int) -> str:
        if speaker_id not in self._speaker_names:
            try:
                speaker = self._archive.speaker(speaker_id) if self._archive is not None else None
            except ArchiveError:
                speaker = None
            self._speaker_names[speaker_id] = speaker.name if speaker is not None else "1 speaker"
        return self._speaker_names[speaker_id]

    def _update_speakers_button(self) -> None:
        chosen = self._speaker_ids
        label = (
            "All speakers"
            if not chosen
            else _no_mnemonic(self._speaker_name(chosen[0]))
            if len(chosen) == 1
            else f"{len(chosen)} speakers"
        )
        self.speakers_button.setText(label)
