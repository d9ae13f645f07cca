"""Corrections of who said what, as the window offers them: the reader's "Set speaker…" (Edit menu,
Ctrl+Shift+S, its context menu) and a panel's requests open the Set speaker dialog; the answer goes to the
``CorrectionsController``, which writes it off the UI thread; when a correction is written the archive is
opened afresh (every panel refreshes), the bookmarks of those words follow it, and the reader shows them.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QMessageBox

from viewer.core.archive import Archive
from viewer.core.errors import ArchiveError


class SpeakerCorrections(QObject):
    """The window's side of the corrections (``window``: the MainWindow), which do nothing until
    ``set_controller`` gives the ``CorrectionsController``. ``dialog`` is the Set speaker dialog on screen, if
    any."""

    def __init__(self, window):
        super().__init__(window)
        self._window = window
        self.controller = None
        self.dialog = None

    def set_controller(self, controller) -> None:
        self.controller = controller
        controller.done.connect(self._on_correction_done)
        controller.failed.connect(self._on_correction_failed)
        controller.ambiguous.connect(self._on_correction_ambiguous)

    def _status(self, text: str, ms: int) -> None:
        self._window.statusBar().showMessage(text, ms)

    @Slot(object, object)
    def open_dialog(self, quote, passage):
        """ "Set speaker…" for a quote (``quote``) or a passage (``passage``, with ``quote`` None); returns the
        dialog (not modal: the answer is applied when it is accepted)."""
        from viewer.core.corrections import describe_attribution
        from viewer.ui.dialogs.speaker_dialog import SetSpeakerDialog

        window, archive = self._window, self._window.archive
        if self.controller is None or archive is None or (quote is None and passage is None):
            return None
        if self.controller.is_busy():
            self._status("A correction is being written; try again in a moment.", 6000)
            return None
        if self.dialog is not None:
            self.dialog.close()
        reader = window.reader
        in_reader = reader.current_document()
        doc_id = quote.document_id if quote is not None else passage.document_id
        names = [sp.name for sp in reader.speakers()] if in_reader is not None and in_reader.id == doc_id else []
        unsure = quote is not None and not quote.attributed and not quote.corrected
        dialog = SetSpeakerDialog(
            window,
            words=quote.text if quote is not None else passage.text,
            now="unattributed" if unsure else describe_attribution(quote, passage),
            quote_id=quote.id if quote is not None else None,
            passage_id=None if quote is not None else passage.id,
            speakers=names,
            suggestion=quote.suggested_speaker if quote is not None and not quote.attributed else None,
            corrected=(quote or passage).corrected,
            where=self._where(quote, passage),
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._on_dialog_accepted)
        dialog.clear_requested.connect(self._on_dialog_clear_requested)
        dialog.finished.connect(self._on_dialog_finished)
        self.dialog = dialog
        window.runner.submit(
            "speaker-names",
            partial(_speaker_names, archive.clone()),
            self._on_speaker_names,
            self._on_speaker_names_failed,
        )
        self.controller.find(
            archive,
            quote.id if quote is not None else None,
            None if quote is not None else passage.id,
            self._on_existing_correction,
        )
        dialog.open()
        return dialog

    def _where(self, quote, passage) -> str:
        """ "¶ 8 of “Title”" for the dialog, when the reader shows the words."""
        reader = self._window.reader
        if passage is None and quote is not None:
            passage = reader.passage(quote.passage_id)
        document = reader.current_document()
        if passage is None or document is None or document.id != passage.document_id:
            return ""
        return f"¶ {passage.seq} of “{document.title}”"

    def _on_speaker_names(self, names: list[str]) -> None:
        if self.dialog is not None:
            self.dialog.add_speakers(names)

    def _on_speaker_names_failed(self, _error: BaseException) -> None:
        pass  # the dialog still takes a typed name

    def _on_existing_correction(self, correction) -> None:
        if self.dialog is not None:
            self.dialog.set_existing(correction)

    @Slot()
    def _on_dialog_accepted(self) -> None:
        if self.dialog is not None:
            self.set_attribution(self.dialog.request())

    @Slot()
    def _on_dialog_clear_requested(self) -> None:
        archive = self._window.archive
        if self.dialog is not None and self.controller is not None and archive is not None:
            request = self.dialog.request()
            self.controller.clear(archive.path, request.quote_id, request.passage_id)
            self._status("Clearing your correction…", 6000)

    @Slot(int)
    def _on_dialog_finished(self, _result: int) -> None:
        self.dialog = None

    @Slot(object)
    def set_attribution(self, request) -> None:
        """Write a correction (a ``SpeakerRequest``) of the open archive's quote or passage, off the UI thread."""
        archive = self._window.archive
        if self.controller is None or archive is None:
            return
        self.controller.set_attribution(archive.path, request)
        self._status("Saving your correction…", 6000)

    @Slot()
    def apply_corrections(self) -> None:
        """Apply the stored corrections not applied yet in the open archive."""
        archive = self._window.archive
        if self.controller is not None and archive is not None:
            self.controller.apply_stored(archive.path)

    @Slot(object)
    def _on_correction_done(self, done) -> None:
        from viewer.core.bookmarks import BookmarkError

        window = self._window
        if done.outcome.changed or done.outcome.copied_from:
            if not window.open_archive(done.outcome.archive):
                return
            bookmarks = window.bookmarks
            if bookmarks is not None and done.places:
                try:
                    followed = bookmarks.store.follow_corrections(window.archive, done.places)
                except (BookmarkError, ArchiveError) as e:
                    followed = []
                    self._status(f"Your bookmarks of these words were not updated: {e.message}", 10000)
                if followed:
                    bookmarks.reload()
            if done.quote_id is not None:
                window.reader.show_quote(done.quote_id)
            elif done.passage_id is not None:
                window.reader.show_passage(done.passage_id)
        if done.message:
            where = " Your own archive was made for it; the bundled one is unchanged."
            self._status(done.message + (where if done.outcome.copied_from else ""), 10000)

    @Slot(object)
    def _on_correction_failed(self, error: BaseException) -> None:
        from viewer.core.userstore import StoreError
        from viewer.ui.dialogs.error_dialog import describe

        if isinstance(error, (StoreError, ValueError)) and not isinstance(error, ArchiveError):
            message, details = getattr(error, "message", str(error)), getattr(error, "details", "")
        else:
            message, details = describe(error)
        self._window.show_error("Your correction was not saved", message, details)

    @Slot(object, str)
    def _on_correction_ambiguous(self, request, why: str):
        """The name typed may be a speaker of the archive: ask whether it is someone new."""
        from viewer.ui.widgets.text import message_box

        box = message_box(
            QMessageBox.Icon.Question,
            "Who is it?",
            why,
            f"Is “{request.speaker}” someone else, a new speaker?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self._window,
        )
        box.button(QMessageBox.StandardButton.Yes).setText("A new speaker")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(partial(self._on_ambiguous_answered, request))
        box.open()
        return box

    def _on_ambiguous_answered(self, request, result: int) -> None:
        if result == QMessageBox.StandardButton.Yes:
            self.set_attribution(replace(request, new_speaker=True))


def _speaker_names(archive: Archive) -> list[str]:
    """Every speaker's name, for the Set speaker dialog (on a worker, with its own connection)."""
    try:
        return [s.name for s in archive.speakers()]
    finally:
        archive.close()
