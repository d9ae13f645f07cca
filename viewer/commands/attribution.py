"""attribution set|list|clear|apply|unattributed: the user's corrections of who said what.

A correction is the user's own data (``viewer.core.corrections``, in the data folder like the
bookmarks) and is written into the archive corrections go into: the user's own archive, made as a copy
of the bundled one by the first import or correction (``viewer.core.reattribution``). Exit codes:
0 done; 1 the corrections could not be read or saved; 2 bad usage (no such quote, passage or
correction, no name, a name that may be a speaker but not surely); 3 the archive cannot be used.
"""

from __future__ import annotations

import argparse

from viewer.commands.output import emit, emit_json, open_user_store, optional_archive, store_errors, warn
from viewer.commands.read import UsageError, resolve_document
from viewer.core.correction_writer import Outcome
from viewer.core.corrections import (
    NARRATION,
    SPEAKER,
    UNKNOWN,
    UNRESOLVED,
    Correction,
    CorrectionNotFound,
    CorrectionStore,
    Placement,
    make_correction,
    resolve_all,
)
from viewer.core.db import ArchiveError
from viewer.core.reattribution import SpeakerAmbiguous, clear_correction, describe, places_of, reapply, set_correction


def open_store(args: argparse.Namespace) -> CorrectionStore:
    return open_user_store(CorrectionStore, args)


def _archive_path(args: argparse.Namespace):
    from viewer.core.datadir import default_archive

    return getattr(args, "archive", None) or default_archive(getattr(args, "data_dir", None))


def correction_dict(c: Correction, p: Placement) -> dict:
    """A correction as ``attribution list --json`` prints it: ``passage_id``/``quote_id`` are the
    archive's where its words are (null when they are not found)."""
    return {
        "id": c.id,
        "target": c.target,
        "decision": c.decision,
        "speaker": c.speaker or None,
        "note": c.note,
        "document": c.document_slug,
        "document_title": c.document_title,
        "paragraph": c.paragraph,
        "start": c.start,
        "end": c.end,
        "text": c.text,
        "was": c.was,
        "new_speaker": c.new_speaker,
        "status": p.status,
        "status_reason": p.reason,
        "passage_id": p.passage_id,
        "quote_id": p.quote_id,
        "created": c.created,
        "updated": c.updated,
        "uid": c.uid,
    }


def _follow_bookmarks(args: argparse.Namespace, archive_path, corrections: list[Correction]) -> None:
    """Bookmarks of the corrected words take the new attribution; trouble with them is only a warning."""
    from viewer.core.archive import Archive
    from viewer.core.bookmarks import STORE_NAME, BookmarkError, BookmarkStore
    from viewer.core.datadir import data_dir

    if not corrections or not (data_dir(getattr(args, "data_dir", None)) / STORE_NAME).exists():
        return
    try:
        with Archive(archive_path) as archive, BookmarkStore.open(getattr(args, "data_dir", None)) as store:
            followed = store.follow_corrections(archive, places_of(archive, corrections))
    except (BookmarkError, ArchiveError) as e:
        warn(f"your bookmarks of these words keep the attribution they had: {e.message}")
        return
    if followed:
        n = len(followed)
        print(f"{n} bookmark{'s' if n != 1 else ''} of these words now cite{'s' if n == 1 else ''} the new attribution")


def _report(outcome: Outcome) -> None:
    for line in describe(outcome):
        print(f"note: {line}")
    if outcome.copied_from:
        print(
            f"Your own archive is now {outcome.archive}: a copy of the bundled archive with your corrections. "
            "The bundled archive is left as it was; Archive Viewer opens yours from now on."
        )
    else:
        print(f"Archive: {outcome.archive}")


def cmd_set(args: argparse.Namespace, archive) -> int:
    decisions = [
        d for d, on in ((SPEAKER, args.speaker is not None), (NARRATION, args.narration), (UNKNOWN, args.unknown)) if on
    ]
    if len(decisions) != 1:
        raise UsageError("say who said it: --speaker NAME, --narration or --unknown (one of them)")
    if (args.quote_id is None) == (args.passage is None):
        raise UsageError("give a QUOTE_ID, or --passage ID")
    if args.new_speaker and decisions[0] != SPEAKER:
        raise UsageError("--new-speaker goes with --speaker")
    try:
        draft = make_correction(
            archive,
            quote_id=args.quote_id,
            passage_id=args.passage,
            decision=decisions[0],
            speaker=args.speaker or "",
            note=args.note or "",
            new_speaker=args.new_speaker,
        )
    except ValueError as e:
        raise UsageError(str(e)) from e
    with open_store(args) as store:
        try:
            change = set_correction(archive, store, draft, getattr(args, "data_dir", None))
        except SpeakerAmbiguous as e:
            raise UsageError(f"{e} (--new-speaker)") from e
    c, outcome = change.correction, change.outcome
    _follow_bookmarks(args, outcome.archive, [c])
    if args.json:
        status = "applied" if c.id in {x.id for x in outcome.applied} else "words not found"
        emit_json(
            {
                **correction_dict(c, Placement(status)),
                "archive": outcome.archive,
                "copied_from": outcome.copied_from,
                "notes": describe(outcome),
            }
        )
        return 0
    what = f"quote {args.quote_id}" if args.quote_id is not None else f"passage {args.passage}"
    print(
        f"correction {c.id} saved: {what} (“{_short(c.text)}”, ¶ {c.paragraph}) is now {_said(c)}"
        + (f"; it was {c.was}" if c.was else "")
    )
    _report(outcome)
    return 0


def _said(c: Correction) -> str:
    if c.decision == SPEAKER:
        return f"{c.speaker}'s"
    return "narration (nobody's words)" if c.decision == NARRATION else "someone's words, speaker unknown"


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def cmd_list(args: argparse.Namespace, _archive: None) -> int:
    with open_store(args) as store:
        corrections = store.list()
    archive = optional_archive(args, "Corrections") if corrections else None
    try:
        places = resolve_all(archive, corrections)
    finally:
        if archive is not None:
            archive.close()
    rows = [correction_dict(c, places[c.id]) for c in corrections]
    if not args.json:
        for row, c in zip(rows, corrections):
            row["says"] = c.label
            row["where"] = f"{c.target} ¶ {c.paragraph}"
            row["status"] = "" if row["status"] == UNRESOLVED else row["status"]
    emit(rows, ["id", "document", "where", "says", "was", "status", "text"], args.json, wide="text")
    return 0


def cmd_clear(args: argparse.Namespace, _archive: None) -> int:
    with open_store(args) as store:
        try:
            change = clear_correction(_archive_path(args), store, args.id, getattr(args, "data_dir", None))
        except CorrectionNotFound as e:
            raise UsageError(e.message) from e
    c = change.correction
    if not change.outcome.copied_from and change.outcome.archive:
        _follow_bookmarks(args, change.outcome.archive, [c])
    print(
        f"correction {c.id} cleared: “{_short(c.text)}” (¶ {c.paragraph}) is again as the text says"
        + (f": {c.was}" if c.was else "")
    )
    print(f"Archive: {change.outcome.archive}")
    return 0


def cmd_apply(args: argparse.Namespace, _archive: None) -> int:
    with open_store(args) as store:
        outcome = reapply(_archive_path(args), store, getattr(args, "data_dir", None))
    if args.json:
        emit_json(
            {
                "archive": outcome.archive,
                "copied_from": outcome.copied_from,
                "applied": [c.id for c in outcome.applied],
                "written": [c.id for c in outcome.written],
                "not_found": [{"id": c.id, "status": p.status, "reason": p.reason} for c, p in outcome.not_found],
                "notes": outcome.notes,
            }
        )
        return 0
    n = len(outcome.written)
    print(
        f"{n} correction{'s' if n != 1 else ''} applied now, {len(outcome.applied) - n} already applied, "
        f"{len(outcome.not_found)} not found in this archive"
    )
    _report(outcome)
    return 0


def cmd_unattributed(args: argparse.Namespace, archive) -> int:
    doc = resolve_document(archive, args.document) if args.document else None
    slugs = {d.id: d.slug for d in archive.documents()}
    passages = {}
    rows = []
    for q in archive.unattributed_quotes(doc.id if doc else None):
        if q.passage_id not in passages:
            passages[q.passage_id] = archive.passage(q.passage_id)
        rows.append(
            {
                "id": q.id,
                "document": slugs.get(q.document_id),
                "paragraph": passages[q.passage_id].seq,
                "passage_id": q.passage_id,
                "start": q.start,
                "end": q.end,
                "text": q.text,
                "suggestion": q.suggested_speaker,
                "suggested_speaker_id": q.suggested_speaker_id,
                "relayed_by": q.quoted_by_name,
                "cue": q.cue,
            }
        )
    emit(rows, ["id", "document", "paragraph", "suggestion", "text"], args.json, wide="text")
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    data = argparse.ArgumentParser(add_help=False)
    data.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="the folder of your corrections and your own archive (default: $ARCHIVE_VIEWER_DATA_DIR, "
        "else the platform's user data folder)",
    )

    p = sub.add_parser("attribution", help="correct who said a quote or a passage (your corrections)")
    asub = p.add_subparsers(dest="attribution_command", metavar="ACTION", required=True)

    s = asub.add_parser("set", parents=[common, data], help="say who said a quote or a passage")
    s.add_argument(
        "quote_id",
        metavar="QUOTE_ID",
        type=int,
        nargs="?",
        help="the quote (see `quotes`, `attribution unattributed`); a quoted name, title or term too",
    )
    s.add_argument("--passage", metavar="ID", type=int, help="correct this passage instead (see `passages`)")
    s.add_argument("--speaker", metavar="NAME", help="the speaker: a name, surname or alias of one, or a new name")
    s.add_argument(
        "--narration", action="store_true", help="nobody's words: the report's own (a quoted span: not a quote)"
    )
    s.add_argument("--unknown", action="store_true", help="someone's words, but nobody knows whose")
    s.add_argument(
        "--new-speaker",
        action="store_true",
        help="with --speaker: a new speaker even if the archive has someone with a name like it",
    )
    s.add_argument("--note", metavar="TEXT", help="why (kept with the correction)")
    s.set_defaults(handler=store_errors(cmd_set), needs_archive=True)

    ls = asub.add_parser("list", parents=[common, data], help="your corrections and whether the archive says them")
    ls.set_defaults(handler=store_errors(cmd_list), needs_archive=False)

    c = asub.add_parser("clear", parents=[common, data], help="take a correction back")
    c.add_argument("id", metavar="ID", type=int, help="the correction (see `attribution list`)")
    c.set_defaults(handler=store_errors(cmd_clear), needs_archive=False)

    a = asub.add_parser(
        "apply",
        parents=[common, data],
        help="apply your corrections to the archive again (after a rebuild or in another archive)",
    )
    a.set_defaults(handler=store_errors(cmd_apply), needs_archive=False)

    u = asub.add_parser(
        "unattributed",
        parents=[common, data],
        help="quotes nobody is named for: what needs a decision, with the text's suggestion",
    )
    u.add_argument("--document", metavar="SLUG", help="only in this document")
    u.set_defaults(handler=store_errors(cmd_unattributed), needs_archive=True)
