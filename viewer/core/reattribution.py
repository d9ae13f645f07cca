"""The user's corrections of who said what, kept in step in their store (``viewer.core.corrections``) and in
the archive: a correction saved, taken back or applied again (after an import or a build), and written where
corrections go (``viewer.core.correction_writer`` writes them into an archive).

The bundled archive is never changed: corrections go into the archive an import would go into
(``viewer.core.import_target.import_target``): the user's own archive, made as a copy of the bundled one
by the first import or the first correction. When the archive cannot be written, the store is put back as it
was.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from viewer.core.archive import Archive
from viewer.core.build import ArchiveWriter
from viewer.core.correction_writer import Outcome, apply_to, as_person, write_corrections
from viewer.core.corrections import (
    NOT_FOUND,
    SPEAKER,
    Correction,
    CorrectionStore,
    Placement,
    Resolver,
    resolve_all,
)


class SpeakerAmbiguous(ValueError):
    """The name given may be a speaker of the archive or someone new; the message says who it may be."""


# ---------------------------------------------------------------------------------------- which speaker


def resolve_speaker(archive: Archive, name: str, new_speaker: bool = False) -> str:
    """The name a correction keeps for ``name``: the archive's name of the one speaker it names (any
    spelling, a surname or an alias: ``Archive.find_speakers``; or another script or romanisation:
    ``ArchiveWriter.match_speaker``), else ``name`` itself, a new speaker. SpeakerAmbiguous when it
    names several, or may be a speaker but not surely (unless ``new_speaker``: then ``name`` as given)."""
    if new_speaker:
        return name
    found = archive.find_speakers(name)
    if len(found) == 1:
        return found[0].name
    if len(found) > 1:
        who = " or ".join(f"“{s.name}”" for s in found[:6])
        raise SpeakerAmbiguous(f"“{name}” could be {who}; give the full name")
    writer = ArchiveWriter(sqlite_utils.Database(archive.db.conn))
    sid, note = writer.match_speaker(as_person(name))
    if sid is not None:
        speaker = archive.speaker(sid)
        return speaker.name if speaker is not None else name
    if note:
        raise SpeakerAmbiguous(
            f"{note.removesuffix('; kept apart')}: give the name as the archive writes it, or say it is a new speaker"
        )
    return name


@dataclass
class Change:
    """A correction saved and written: ``correction`` as saved; ``outcome`` what the archive did."""

    correction: Correction | None
    outcome: Outcome


def set_correction(archive: Archive, store: CorrectionStore, draft: Correction, data_dir=None) -> Change:
    """Save ``draft`` (from ``corrections.make_correction`` on ``archive``, the archive the user reads)
    in place of any correction of the same words, and write it where corrections go (``import_target``
    of ``archive``; the first correction of the bundled archive makes the user's own archive, with
    every stored correction applied). When the archive cannot be written the store is put back as it
    was and the ArchiveError is raised. SpeakerAmbiguous (before anything is saved) when the speaker's
    name may be a speaker of the archive but not surely."""
    from dataclasses import replace

    from viewer.core.import_target import import_target

    if draft.decision == SPEAKER:
        draft = replace(draft, speaker=resolve_speaker(archive, draft.speaker, draft.new_speaker))
    target = import_target(archive.path, data_dir)
    same = _same_target(archive, store, draft)
    replaced = [store.get(i) for i in same]
    saved = store.save(draft, replaces=same)
    try:
        others = [c for c in store.list() if c.id != saved.id] if target.copy_from is not None else []
        outcome = apply_to(target.path, target.copy_from, [*others, saved])
    except BaseException:
        _put_back(store, saved, [r for r in replaced if r is not None])
        raise
    _keep_befores(store, outcome)
    saved = store.get(saved.id) or saved
    return Change(saved, outcome)


def _same_target(archive: Archive, store: CorrectionStore, draft: Correction) -> list[int]:
    """The stored corrections of the same words as ``draft`` in ``archive``."""
    resolver = Resolver(archive)
    mine = resolver.resolve(draft)
    if not mine.found:
        return []
    out = []
    for c in store.list():
        if c.target != draft.target:
            continue
        place = resolver.resolve(c)
        if place.found and place.passage_id == mine.passage_id and place.quote_id == mine.quote_id:
            out.append(c.id)
    return out


def _put_back(store: CorrectionStore, saved: Correction, replaced: list[Correction]) -> None:
    with contextlib.suppress(Exception):
        store.remove(saved.id)
    for old in replaced:
        with contextlib.suppress(Exception):
            store.restore(old)


def _keep_befores(store: CorrectionStore, outcome: Outcome) -> None:
    for cid, (before, was) in outcome.befores.items():
        store.set_before(cid, before, was)


def clear_correction(archive_path: Path | None, store: CorrectionStore, correction_id: int, data_dir=None) -> Change:
    """Take a correction back: it leaves the store, and the archive corrections go into (the user's own
    archive; the bundled one is never changed) says again what it said before. The store is put back
    when the archive cannot be written (the ArchiveError is raised)."""
    from viewer.core.import_target import import_target

    target = import_target(archive_path, data_dir)
    gone = store.remove(correction_id)
    if target.copy_from is not None:  # no archive of the user's own yet: nothing was ever written
        return Change(gone, Outcome(str(target.copy_from), cleared=[gone]))
    try:
        outcome = write_corrections(target.path, [], [gone])
    except BaseException:
        store.restore(gone)
        raise
    return Change(gone, outcome)


def reapply(
    archive_path: Path | None, store: CorrectionStore, data_dir=None, only: Callable[[Correction], bool] | None = None
) -> Outcome:
    """Apply every stored correction (or those ``only`` accepts) whose words are in the archive but
    which it does not say yet (after an import, a rebuild, or in an archive made before them). The
    archive is the one corrections go into (``import_target``): the bundled one is never written, and
    its own copy is made only when something changes."""
    from viewer.core.import_target import import_target

    target = import_target(archive_path, data_dir)
    corrections = [c for c in store.list() if only is None or only(c)]
    if not corrections:
        return Outcome(str(target.path if target.copy_from is None else target.copy_from))
    outcome = apply_to(target.path, target.copy_from, corrections)
    _keep_befores(store, outcome)
    return outcome


def reapply_after(archive_path: Path, data_dir=None) -> Outcome | None:
    """After an import or a build wrote ``archive_path`` (never the bundled archive): the user's stored
    corrections applied to it again; None when they have none. Raises ArchiveError and CorrectionError."""
    from viewer.core.corrections import store_path
    from viewer.core.import_target import is_bundled

    if is_bundled(archive_path) or not store_path(data_dir).exists():
        return None
    with CorrectionStore.open(data_dir) as store:
        return reapply(archive_path, store, data_dir)


def placements(archive: Archive | None, corrections: list[Correction]) -> dict[int, Placement]:
    """Where each correction stands in ``archive`` (``corrections.resolve_all``)."""
    return resolve_all(archive, corrections)


def places_of(archive: Archive, corrections: Iterable[Correction]) -> list[tuple[int, int, int]]:
    """Where the corrections' words are in ``archive``: (passage id, start, end), for the bookmarks that
    follow them (``BookmarkStore.follow_corrections``)."""
    resolver = Resolver(archive)
    out = []
    for c in corrections:
        place = resolver.resolve(c)
        if not place.found:
            continue
        if place.quote_id is not None:
            q = archive.quote(place.quote_id)
            out.append((place.passage_id, q.start, q.end))
        else:
            out.append((place.passage_id, 0, len(c.text)))
    return out


def describe(outcome: Outcome) -> list[str]:
    """Lines for people: the corrections of documents in the archive whose words were not found, and
    notes (a name kept apart from a speaker like it)."""
    lines = []
    for c, place in outcome.not_found:
        if place.status == NOT_FOUND:
            lines.append(f"correction {c.id} ({c.where}): {place.reason}")
    lines.extend(outcome.notes)
    return lines
