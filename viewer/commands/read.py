"""documents, speakers, passages, quotes: read the archive."""

from __future__ import annotations

import argparse

from viewer.commands.output import emit
from viewer.core.archive import Archive
from viewer.core.errors import ExitCode, UsageError
from viewer.core.records import Document

if False:  # annotations only (typing.TYPE_CHECKING without importing typing): a search makes no Speaker class
    from viewer.core.speaker_records import Speaker


def resolve_document(archive: Archive, slug: str) -> Document:
    doc = archive.document(slug)
    if doc is None and slug.isdigit():
        doc = archive.document(int(slug))
    if doc is None:
        known = ", ".join(d.slug for d in archive.documents() if d.has_text)
        raise UsageError(f"no document {slug!r}; documents with text: {known or 'none'}")
    return doc


def resolve_speaker(archive: Archive, name: str) -> Speaker:
    found = archive.find_speakers(name)
    if not found:
        raise UsageError(f"no speaker named {name!r}")
    if len(found) > 1:
        raise UsageError(f"{name!r} could be {', '.join(s.name for s in found)}; give the full name")
    return found[0]


def speaker_dict(s: Speaker) -> dict:
    return {
        "id": s.id,
        "name": s.name,
        "honorific": s.honorific,
        "role": s.role,
        "organisation": s.organisation,
        "country": s.country,
        "affiliation": s.affiliation,
        "passages": s.passages,
        "words": s.words,
        "quotes": s.quotes,
    }


def cmd_documents(args: argparse.Namespace, archive: Archive) -> int:
    rows = [
        {
            "id": d.id,
            "slug": d.slug,
            "title": d.title,
            "kind": d.kind,
            "date": d.date,
            "date_end": d.date_end,
            "collection": d.collection,
            "has_text": d.has_text,
            "pages": d.pages,
            "author": d.author,
            "url": d.url,
        }
        for d in archive.documents()
    ]
    emit(rows, ["id", "date", "kind", "has_text", "collection", "title"], args.json, wide="title")
    return ExitCode.OK


def cmd_speakers(args: argparse.Namespace, archive: Archive) -> int:
    doc = resolve_document(archive, args.document) if args.document else None
    rows = [speaker_dict(s) for s in archive.speakers(doc.id if doc else None)]
    if doc:
        roles = {
            r["speaker_id"]: r["event_role"]
            for r in archive.db.execute(
                "SELECT speaker_id, event_role FROM document_speakers WHERE document_id = ?", (doc.id,)
            )
        }
        for r in rows:
            r["event_role"] = roles.get(r["id"])
    emit(rows, ["id", "name", "passages", "quotes", "words", "affiliation"], args.json, wide="affiliation")
    return ExitCode.OK


def cmd_passages(args: argparse.Namespace, archive: Archive) -> int:
    doc = resolve_document(archive, args.document)
    rows = [
        {
            "id": p.id,
            "seq": p.seq,
            "speaker": p.speaker_name,
            "kind": p.kind,
            "attribution": p.attribution,
            "page": p.page,
            "page_end": p.page_end,
            "text": p.text,
        }
        for p in archive.passages(doc.id)
    ]
    emit(rows, ["seq", "page", "speaker", "text"] if doc.paged else ["seq", "speaker", "text"], args.json, wide="text")
    return ExitCode.OK


def cmd_quotes(args: argparse.Namespace, archive: Archive) -> int:
    doc = resolve_document(archive, args.document) if args.document else None
    speaker = resolve_speaker(archive, args.speaker) if args.speaker else None
    slugs = {d.id: d.slug for d in archive.documents()}
    quotes = archive.quotes(speaker_id=speaker.id if speaker else None, document_id=doc.id if doc else None)
    if speaker and not args.relayed:
        quotes = [q for q in quotes if q.speaker_id == speaker.id]
    rows = [
        {
            "id": q.id,
            "text": q.text,
            "speaker": q.speaker_name or q.speaker_label,
            "speaker_id": q.speaker_id,
            "quoted_by": q.quoted_by_name,
            "document": slugs.get(q.document_id),
            "passage_id": q.passage_id,
            "start": q.start,
            "end": q.end,
            "cue": q.cue,
            "rule": q.rule,
            "corrected": q.corrected,
            "suggested_speaker": q.suggested_speaker,
        }
        for q in quotes
    ]
    emit(rows, ["id", "speaker", "quoted_by", "text"], args.json, wide="text")
    return ExitCode.OK


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("documents", parents=[common], help="list the documents")
    p.set_defaults(handler=cmd_documents, needs_archive=True)

    p = sub.add_parser("speakers", parents=[common], help="list the speakers with their counts")
    p.add_argument("--document", metavar="SLUG", help="only this document's speakers, with its counts")
    p.set_defaults(handler=cmd_speakers, needs_archive=True)

    p = sub.add_parser("passages", parents=[common], help="a document's passages with their speakers")
    p.add_argument("--document", metavar="SLUG", required=True, help="the document (slug or id)")
    p.set_defaults(handler=cmd_passages, needs_archive=True)

    p = sub.add_parser("quotes", parents=[common], help="direct quotes and who said them")
    p.add_argument("--speaker", metavar="NAME", help="quotes this speaker said (name, surname or alias)")
    p.add_argument("--document", metavar="SLUG", help="quotes in this document")
    p.add_argument("--relayed", action="store_true", help="with --speaker: also quotes the speaker relayed")
    p.set_defaults(handler=cmd_quotes, needs_archive=True)
