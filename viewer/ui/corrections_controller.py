"""The one object the UI asks about corrections of who said what: set one, clear one, apply the
stored ones, find the one of some words, count those not applied. Everything that reads or writes an
archive or the corrections store runs on the shared ``TaskRunner`` (channel ``corrections``), with a
connection and a store of its own; answers come back on the UI thread as signals. The writing side
(``viewer.core.reattribution``: extraction's speaker matching, the statistics writer) is imported when
first needed, not at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from viewer.core.archive import Archive
from viewer.core.corrections import (
    APPLIED,
    NOT_FOUND,
    PENDING,
    STORE_NAME,
    Correction,
    CorrectionStore,
    make_correction,
    resolve_all,
)
from viewer.ui.dialogs.speaker_dialog import SpeakerRequest
from viewer.ui.workers import TaskRunner

CHANNEL = "corrections"


@dataclass(frozen=True)
class Done:
    """A correction written (or taken back, or the stored ones applied): ``outcome`` says where;
    ``places`` are the corrected words in that archive, (passage id, start, end); ``quote_id`` /
    ``passage_id`` the corrected quote or passage there, to show it again; ``message`` one line."""

    outcome: object  # viewer.core.correction_writer.Outcome
    places: list[tuple[int, int, int]] = field(default_factory=list)
    quote_id: int | None = None
    passage_id: int | None = None
    message: str = ""


@dataclass(frozen=True)
class Standing:
    """The user's corrections in one archive: how many are applied, not applied, not found there."""

    applied: int = 0
    pending: int = 0
    not_found: int = 0


class CorrectionsController(QObject):
    """Corrections for the UI (see the module docstring).

    Signals:
        done(object): a ``Done``: the archive to open again and where the corrected words are.
        failed(object): an exception with a ``message`` (the archive or the store could not be written).
        ambiguous(object, str): (the SpeakerRequest, why): the name may be a speaker of the archive, not
            surely; ask, then ``set_attribution`` again with ``new_speaker`` or another name.
        busy_changed(bool): work is running, or not.
    """

    done = Signal(object)
    failed = Signal(object)
    ambiguous = Signal(object, str)
    busy_changed = Signal(bool)

    def __init__(self, data_dir: Path, runner: TaskRunner, parent: QObject | None = None):
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.store_path = self.data_dir / STORE_NAME
        self.runner = runner
        runner.busy_changed.connect(self._on_runner_busy_changed)

    def _store(self) -> CorrectionStore:
        return CorrectionStore(self.store_path, backup=False)

    def is_busy(self) -> bool:
        return self.runner.is_busy(CHANNEL)

    def _on_runner_busy_changed(self, channel: str, busy: bool) -> None:
        if channel == CHANNEL:
            self.busy_changed.emit(busy)

    # ---------------------------------------------------------------- writing

    def set_attribution(self, archive_path: Path, request: SpeakerRequest) -> None:
        """Save and write a correction of the quote or passage of ``request`` (ids of the archive at
        ``archive_path``, the one the user reads)."""
        self.runner.submit(
            CHANNEL, lambda: self._set(Path(archive_path), request), self._on_done, self._on_set_failed_for(request)
        )

    def _set(self, archive_path: Path, request: SpeakerRequest) -> Done:
        from viewer.core.reattribution import set_correction

        with Archive(archive_path) as archive, self._store() as store:
            draft = make_correction(
                archive,
                quote_id=request.quote_id,
                passage_id=request.passage_id,
                decision=request.decision,
                speaker=request.speaker,
                note=request.note,
                new_speaker=request.new_speaker,
            )
            change = set_correction(archive, store, draft, self.data_dir)
        return self._done(change.outcome, [change.correction], f"Now {change.correction.label}: corrected by you.")

    def clear(self, archive_path: Path, quote_id: int | None = None, passage_id: int | None = None) -> None:
        """Take back the user's correction of that quote or passage of the archive at ``archive_path``."""
        self.runner.submit(
            CHANNEL, lambda: self._clear(Path(archive_path), quote_id, passage_id), self._on_done, self._on_failed
        )

    def _clear(self, archive_path: Path, quote_id: int | None, passage_id: int | None) -> Done:
        from viewer.core.correction_writer import Outcome
        from viewer.core.reattribution import clear_correction

        with self._store() as store:
            with Archive(archive_path) as archive:
                mine = _find(archive, store, quote_id, passage_id)
            if mine is None:
                return Done(Outcome(str(archive_path)), message="There is no correction of these words to clear.")
            change = clear_correction(archive_path, store, mine.id, self.data_dir)
        return self._done(change.outcome, [mine], "Correction cleared: the archive says again what the text says.")

    def apply_stored(self, archive_path: Path, quiet: bool = False) -> None:
        """Apply the stored corrections not applied yet in the archive at ``archive_path`` (``quiet``: say
        nothing when there were none to apply, after an import)."""
        self.runner.submit(CHANNEL, lambda: self._apply(Path(archive_path), quiet), self._on_done, self._on_failed)

    def _apply(self, archive_path: Path, quiet: bool) -> Done:
        from viewer.core.correction_writer import Outcome
        from viewer.core.reattribution import reapply

        if quiet and not self.store_path.exists():
            return Done(Outcome(str(archive_path)))
        with self._store() as store:
            outcome = reapply(archive_path, store, self.data_dir)
        n = len(outcome.written)
        missing = sum(1 for _c, p in outcome.not_found if p.status == NOT_FOUND)
        message = (
            ""
            if quiet and not n
            else (
                f"{n} of your corrections applied" + (f"; the words of {missing} were not found." if missing else ".")
            )
        )
        return self._done(outcome, outcome.written, message)

    def _done(self, outcome, corrections: list[Correction], message: str) -> Done:
        """Where the corrected words are in the archive written (read on the worker)."""
        from viewer.core.reattribution import places_of

        path = Path(outcome.archive)
        with Archive(path) as written:
            places = places_of(written, corrections)
            placed = resolve_all(written, corrections[:1]) if corrections else {}
        first = next(iter(placed.values()), None)
        quote_id = first.quote_id if first is not None else None
        passage_id = first.passage_id if first is not None else None
        return Done(outcome, places, quote_id, passage_id, message)

    def _on_done(self, done: Done) -> None:
        self.done.emit(done)

    def _on_failed(self, error: BaseException) -> None:
        self.failed.emit(error)

    def _on_set_failed_for(self, request: SpeakerRequest):
        return _SetFailed(self, request)

    # ---------------------------------------------------------------- reading

    def find(self, archive: Archive, quote_id: int | None, passage_id: int | None, on_found) -> None:
        """``on_found(correction or None)``: the user's correction of that quote or passage of
        ``archive`` (read with a connection of the worker's own)."""
        reader = archive.clone()

        def work():
            try:
                with self._store() as store:
                    return _find(reader, store, quote_id, passage_id)
            finally:
                reader.close()

        self.runner.submit("corrections-read", work, on_found, lambda _e: None)

    def standing(self, archive: Archive, on_done) -> None:
        """``on_done(Standing)`` of the stored corrections in ``archive``."""
        reader = archive.clone()

        def work() -> Standing:
            try:
                if not self.store_path.exists():
                    return Standing()
                with self._store() as store:
                    places = resolve_all(reader, store.list())
                statuses = [p.status for p in places.values()]
                return Standing(statuses.count(APPLIED), statuses.count(PENDING), statuses.count(NOT_FOUND))
            finally:
                reader.close()

        self.runner.submit("corrections-standing", work, on_done, lambda _e: None)


class _SetFailed:
    """A failed ``set_attribution``: a name that may be a speaker is asked about, the rest reported."""

    def __init__(self, controller: CorrectionsController, request: SpeakerRequest):
        self.controller = controller
        self.request = request

    def __call__(self, error: BaseException) -> None:
        from viewer.core.reattribution import SpeakerAmbiguous

        if isinstance(error, SpeakerAmbiguous):
            self.controller.ambiguous.emit(self.request, str(error))
        else:
            self.controller.failed.emit(error)


def _find(archive: Archive, store: CorrectionStore, quote_id: int | None, passage_id: int | None):
    """The stored correction whose words are that quote or passage of ``archive``."""
    corrections = store.list()
    places = resolve_all(archive, corrections)
    for c in corrections:
        p = places[c.id]
        if p.found and (
            (quote_id is not None and p.quote_id == quote_id)
            or (quote_id is None and p.quote_id is None and p.passage_id == passage_id)
        ):
            return c
    return None
