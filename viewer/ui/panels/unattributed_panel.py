"""The Unattributed quotes panel: the quotes nobody is named for, per document, with the person the
text points to; what needs the user's decision. Read them in the reader, accept the suggestion, or
set the speaker; apply the user's stored corrections when some are not applied in this archive."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QModelIndex, Signal, Slot
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QPushButton, QTreeView, QVBoxLayout, QWidget

from viewer.core.corrections import SPEAKER
from viewer.core.db import QueryInterrupted
from viewer.ui.dialogs.speaker_dialog import SpeakerRequest
from viewer.ui.models.unattributed_model import MAX_QUOTES, UnattributedModel, load_unattributed
from viewer.ui.panels.panel import PanelDefaults, PanelLinks
from viewer.ui.widgets.text import action_text, count, plain_label
from viewer.ui.workers import TaskRunner

CHANNEL = "unattributed"


class UnattributedPanel(PanelDefaults, QWidget):
    """Quotes that need a decision.

    Signals:
        quote_requested(int): show this quote in the reader.
        speaker_requested(object, object): "Set speaker…" for (Quote, None).
        attribution_requested(object): a SpeakerRequest to apply (the suggestion accepted).
        corrections_apply_requested(): apply the stored corrections to the open archive.
        archive_error(object): reading the archive failed.
        status_message(str): a short note for the status bar.
    """

    quote_requested = Signal(int)
    speaker_requested = Signal(object, object)
    attribution_requested = Signal(object)
    corrections_apply_requested = Signal()
    archive_error = Signal(object)
    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None, runner: TaskRunner | None = None, corrections=None):
        """``corrections``: the window's ``CorrectionsController`` (the standing of the user's corrections in the
        archive, and whether one is being written)."""
        super().__init__(parent)
        self.setObjectName("unattributedPanel")
        self.setAccessibleName("Unattributed quotes")
        self.runner = runner if runner is not None else TaskRunner(self)
        self._worker = None
        self._archive = None
        self._corrections = corrections
        if corrections is not None:
            corrections.busy_changed.connect(self._on_corrections_busy_changed)

        self.summary = plain_label(
            "", self, wrap=True, accessible_name="How many quotes need a decision", object_name="unattributedSummary"
        )
        self.standing = plain_label(
            "", self, wrap=True, accessible_name="Your corrections in this archive", object_name="correctionsStanding"
        )
        self.apply_button = QPushButton("Apply &corrections", self)
        self.apply_button.setObjectName("applyCorrectionsButton")
        self.apply_button.setAccessibleName("Apply your corrections to this archive")
        self.apply_button.setToolTip("Write your corrections that are not applied in this archive yet")
        self.apply_button.clicked.connect(self.corrections_apply_requested)
        standing_row = QHBoxLayout()
        standing_row.addWidget(self.standing, 1)
        standing_row.addWidget(self.apply_button)
        self.standing.hide()
        self.apply_button.hide()

        self.model = UnattributedModel(self)
        self.view = QTreeView(self)
        self.view.setObjectName("unattributedView")
        self.view.setAccessibleName("Unattributed quotes by document")
        self.view.setModel(self.model)
        self.view.setUniformRowHeights(False)  # a quote's row has two lines: its words, the suggestion
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setHeaderHidden(True)
        self.view.activated.connect(self._on_view_activated)
        self.view.selectionModel().currentChanged.connect(self._on_view_current_changed)

        self.accept_button = QPushButton("&Accept suggestion", self)
        self.accept_button.setObjectName("acceptSuggestionButton")
        self.accept_button.setAccessibleName("Accept the suggestion")
        self.accept_button.setToolTip("Give the quote to the person the text points to")
        self.accept_button.clicked.connect(self.accept_suggestion)
        self.set_button = QPushButton("&Set speaker…", self)
        self.set_button.setObjectName("setSpeakerButton")
        self.set_button.setAccessibleName("Set speaker")
        self.set_button.setToolTip("Say who said the quote, or that it is narration or unknown")
        self.set_button.clicked.connect(self.set_speaker)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.set_button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.summary)
        layout.addLayout(standing_row)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self._update_buttons()
        self.summary.setText("No archive is open.")

    def connect_window(self, links: PanelLinks) -> None:
        self.quote_requested.connect(links.show_quote)
        self.speaker_requested.connect(links.request_speaker)
        self.attribution_requested.connect(links.set_attribution)
        self.corrections_apply_requested.connect(links.apply_corrections)
        self.archive_error.connect(links.report_archive_error)
        self.status_message.connect(links.show_status)

    # ------------------------------------------------------------------ archive

    def set_archive(self, archive) -> None:
        self.runner.cancel(CHANNEL)
        self.runner.wait(channel=CHANNEL)
        if self._worker is not None:
            self._worker.close()
            self._worker = None
        self._archive = archive
        self.model.set_groups([])
        self._update_buttons()
        if archive is None:
            self.summary.setText("No archive is open.")
            self.standing.hide()
            self.apply_button.hide()
            return
        self.summary.setText("Looking for quotes nobody is named for…")
        self._worker = archive.clone()
        self.runner.submit(
            CHANNEL,
            partial(load_unattributed, self._worker),
            self._on_loaded,
            self._on_load_failed,
            cancel=self._worker.interrupt,
        )
        self._ask_standing()

    def _ask_standing(self) -> None:
        if self._corrections is not None and self._archive is not None:
            self._corrections.standing(self._archive, self._on_standing)

    @Slot(object)
    def _on_loaded(self, groups) -> None:
        self.model.set_groups(groups)
        self.view.expandAll()
        n = self.model.quote_count()
        if n == 0:
            self.summary.setText("Every direct quote has a speaker, or your decision.")
        else:
            docs = count(len(groups), "document")
            more = " (the first shown)" if n >= MAX_QUOTES else ""
            self.summary.setText(
                f"{count(n, 'direct quote')}{more} in {docs} nobody is named for: the text "
                "does not say surely who said them. Read one (double-click), accept the text's "
                "suggestion, or set the speaker."
            )
        first = self.model.index(0, 0, self.model.index(0, 0)) if groups else QModelIndex()
        if first.isValid():
            self.view.setCurrentIndex(first)
        self._update_buttons()

    @Slot(object)
    def _on_load_failed(self, error: BaseException) -> None:
        if isinstance(error, QueryInterrupted):
            return
        self.summary.setText("The unattributed quotes cannot be read from this archive.")
        self.archive_error.emit(error)

    def _on_standing(self, standing) -> None:
        if standing.pending:
            self.standing.setText(
                f"{count(standing.pending, 'of your corrections', 'of your corrections')} "
                f"{'is' if standing.pending == 1 else 'are'} not applied in this archive."
            )
        elif standing.not_found:
            self.standing.setText(
                f"{count(standing.not_found, 'correction')} of yours: words not found in this "
                "archive (`archive-viewer attribution list`)."
            )
        self.standing.setVisible(bool(standing.pending or standing.not_found))
        self.apply_button.setVisible(bool(standing.pending))

    # ------------------------------------------------------------------ actions

    def current_item(self):
        return self.model.item(self.view.currentIndex())

    @Slot(QModelIndex)
    def _on_view_activated(self, index: QModelIndex) -> None:
        item = self.model.item(index)
        if item is not None:
            self.quote_requested.emit(item.quote.id)
        else:
            self.view.setExpanded(index, not self.view.isExpanded(index))

    @Slot(QModelIndex, QModelIndex)
    def _on_view_current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_buttons()

    def _busy(self) -> bool:
        return self._corrections is not None and self._corrections.is_busy()

    @Slot(bool)
    def _on_corrections_busy_changed(self, _busy: bool) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        item = self.current_item()
        free = not self._busy() and self._archive is not None
        self.set_button.setEnabled(item is not None and free)
        suggestion = item.quote.suggested_speaker if item is not None else None
        self.accept_button.setEnabled(bool(suggestion) and free)
        self.accept_button.setText(f"&Accept: {action_text(suggestion)}" if suggestion else "&Accept suggestion")
        self.apply_button.setEnabled(free)

    @Slot()
    def accept_suggestion(self) -> None:
        item = self.current_item()
        if item is None or not item.quote.suggested_speaker:
            return
        self.attribution_requested.emit(SpeakerRequest(SPEAKER, item.quote.suggested_speaker, quote_id=item.quote.id))
        self.status_message.emit(f"Giving the quote to {item.quote.suggested_speaker}…")

    @Slot()
    def set_speaker(self) -> None:
        item = self.current_item()
        if item is not None:
            self.speaker_requested.emit(item.quote, None)
