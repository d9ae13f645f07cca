"""bookmark add|list|remove|import and export: the user's bookmarks from the command line.

Every command takes ``--archive`` and ``--data-dir``. ``bookmark add`` prints and exits 0 only once
the bookmark is on disk. A damaged bookmarks file is repaired on open and the repair is reported on
stderr. Exit codes: 0 done; 1 the bookmarks or the export file could not be read or written;
2 bad usage (unknown quote, passage or bookmark, bad offsets or colour); 3 the archive cannot be used.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from viewer.commands.output import emit, emit_json, open_user_store, optional_archive, store_errors
from viewer.commands.read import UsageError
from viewer.core.bookmarks import (
    COLOURS, DEFAULT_COLOUR, UNRESOLVED, Bookmark, BookmarkNotFound, BookmarkStore, Resolution,
    load_export, make_bookmark, resolve_all,
)
from viewer.core.citation import load_template
from viewer.core.export import FORMATS, ExportError, render_export, write_atomic


def open_store(args: argparse.Namespace) -> BookmarkStore:
    return open_user_store(BookmarkStore, args)


def _optional_archive(args: argparse.Namespace):
    """The archive if it can be opened; else a warning, and bookmarks are shown as they were saved."""
    return optional_archive(args, "Bookmarks")


def _template(args: argparse.Namespace) -> str:
    """The user's citation template, the one the app uses (in the data folder)."""
    from viewer.core.datadir import data_dir

    return load_template(data_dir(getattr(args, "data_dir", None)))


def list_dict(b: Bookmark, r: Resolution) -> dict:
    """A bookmark as ``bookmark list --json`` prints it. ``passage_id``/``start``/``end``/``quote_id``
    and ``paragraph`` are the current archive's when the bookmark was found in it; else those it was
    made with (``status`` says which). ``speaker`` is the clean name of who said the words (or whom the
    report paraphrases); ``words`` says what they are: quote, paraphrase or narration."""
    if r.status == UNRESOLVED:
        where = {"passage_id": b.passage_id, "start": b.start, "end": b.end, "quote_id": b.quote_id}
    else:
        where = {"passage_id": r.passage_id, "start": r.start, "end": r.end, "quote_id": r.quote_id}
    return {
        "id": b.id, "text": b.text, "speaker": b.speaker, "words": b.words, "quoted_by": b.relayer,
        "citation_speaker": b.attribution, "document": b.document_slug,
        "document_title": b.document_title, "date": b.document_date, **where, "note": b.note,
        "tags": list(b.tags), "colour": b.colour, "created": b.created, "updated": b.updated, "kind": b.kind,
        "paragraph": b.at(r).paragraph, "status": r.status, "status_reason": r.reason, "uid": b.uid,
    }


def cmd_add(args: argparse.Namespace, archive) -> int:
    by_passage = args.passage is not None or args.start is not None or args.end is not None
    if args.quote_id is not None and by_passage:
        raise UsageError("give either a QUOTE_ID or --passage/--start/--end, not both")
    if args.quote_id is None and not by_passage:
        raise UsageError("give a QUOTE_ID, or --passage ID --start S --end E")
    if by_passage and None in (args.passage, args.start, args.end):
        raise UsageError("--passage needs --start and --end")
    try:
        draft = make_bookmark(archive, quote_id=args.quote_id, passage_id=args.passage, start=args.start,
                              end=args.end, note=args.note or "", tags=args.tag or (), colour=args.colour)
    except ValueError as e:
        raise UsageError(str(e)) from e
    with open_store(args) as store:
        saved = store.add(draft)
        r = resolve_all(archive, [saved])[saved.id]
    if args.json:
        emit_json(list_dict(saved, r))
    else:
        print(f"bookmark {saved.id} saved: {saved.citation().render(_template(args))}")
    return 0


def cmd_list(args: argparse.Namespace, _archive: None) -> int:
    with open_store(args) as store:
        bookmarks = store.list(tag=args.tag)
    archive = _optional_archive(args) if bookmarks else None
    try:
        resolutions = resolve_all(archive, bookmarks)
    finally:
        if archive is not None:
            archive.close()
    rows = [list_dict(b, resolutions[b.id]) for b in bookmarks]
    if not args.json:
        for row, b in zip(rows, bookmarks):
            row["status"] = resolutions[b.id].label if row["status"] != UNRESOLVED else ""
    emit([{**r, "¶": r["paragraph"]} for r in rows] if not args.json else rows,
         ["id", "speaker", "words", "document", "¶", "tags", "status", "text"], args.json, wide="text")
    return 0


def cmd_remove(args: argparse.Namespace, _archive: None) -> int:
    with open_store(args) as store:
        try:
            gone = store.remove(args.id)
        except BookmarkNotFound as e:
            raise UsageError(e.message) from e
    print(f"bookmark {gone[0].id} removed: “{gone[0].text}”")
    return 0


def cmd_import(args: argparse.Namespace, _archive: None) -> int:
    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        print(f"archive-viewer: import failed: cannot read {path}: {getattr(e, 'strerror', None) or e}",
              file=sys.stderr)
        return 1
    bookmarks = load_export(text)
    with open_store(args) as store:
        result = store.import_bookmarks(bookmarks)
    print(f"imported {path.name}: {result.added} added, {result.updated} updated, "
          f"{result.unchanged} already here")
    return 0


def cmd_export(args: argparse.Namespace, _archive: None) -> int:
    if args.format == "docx" and not args.out:
        raise UsageError("--format docx needs --out FILE (a Word document is not text)")
    with open_store(args) as store:
        bookmarks = store.list(tag=args.tag)
    archive = _optional_archive(args) if bookmarks else None
    source = ""
    try:
        resolutions = resolve_all(archive, bookmarks) if archive is not None else None
        if archive is not None:
            source = archive.meta().get("title", "")
    finally:
        if archive is not None:
            archive.close()
    data = render_export(args.format, bookmarks, resolutions, _template(args), source)
    if not args.out:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    try:
        out = write_atomic(args.out, data)
    except ExportError as e:
        print(f"archive-viewer: {e.message}", file=sys.stderr)
        return 1
    print(f"exported {len(bookmarks)} bookmark{'s' if len(bookmarks) != 1 else ''} to {out}")
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    data = argparse.ArgumentParser(add_help=False)
    data.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                      help="the folder of your bookmarks (default: $ARCHIVE_VIEWER_DATA_DIR, else the "
                           "platform's user data folder)")

    p = sub.add_parser("bookmark", help="keep quotes and selections with notes and tags")
    bsub = p.add_subparsers(dest="bookmark_command", metavar="ACTION", required=True)

    a = bsub.add_parser("add", parents=[common, data], help="bookmark a quote, or a selection in a passage")
    a.add_argument("quote_id", metavar="QUOTE_ID", type=int, nargs="?", help="the quote (see `quotes`)")
    a.add_argument("--passage", metavar="ID", type=int, help="bookmark a selection of this passage")
    a.add_argument("--start", metavar="S", type=int, help="where the selection starts in the passage's text")
    a.add_argument("--end", metavar="E", type=int, help="where it ends (exclusive)")
    a.add_argument("--note", metavar="TEXT", help="a note")
    a.add_argument("--tag", metavar="TAG", action="append", help="a tag (repeat for more)")
    a.add_argument("--colour", "--color", metavar="NAME", default=DEFAULT_COLOUR,
                   help=f"one of {', '.join(COLOURS)} (default {DEFAULT_COLOUR})")
    a.set_defaults(handler=store_errors(_checked_colour(cmd_add)), needs_archive=True)

    ls = bsub.add_parser("list", parents=[common, data], help="your bookmarks, where they are in the archive")
    ls.add_argument("--tag", metavar="TAG", help="only bookmarks with this tag")
    ls.set_defaults(handler=store_errors(cmd_list), needs_archive=False)

    rm = bsub.add_parser("remove", parents=[common, data], help="delete a bookmark")
    rm.add_argument("id", metavar="ID", type=int, help="the bookmark (see `bookmark list`)")
    rm.set_defaults(handler=store_errors(cmd_remove), needs_archive=False)

    im = bsub.add_parser("import", parents=[common, data], help="read bookmarks from a JSON export")
    im.add_argument("file", metavar="FILE", help="a file written by `export --format json`")
    im.set_defaults(handler=store_errors(cmd_import), needs_archive=False)

    ex = sub.add_parser("export", parents=[common, data], help="write your bookmarks with their attribution")
    ex.add_argument("--format", required=True, choices=FORMATS, help="csv, md (Markdown), json, docx or txt")
    ex.add_argument("--tag", metavar="TAG", help="only bookmarks with this tag")
    ex.add_argument("--out", metavar="FILE", help="the file to write (default: standard output; docx needs it)")
    ex.set_defaults(handler=store_errors(cmd_export), needs_archive=False)


def _checked_colour(handler):
    def run(args: argparse.Namespace, archive) -> int:
        if args.colour.strip().lower() not in COLOURS:
            raise UsageError(f"unknown colour {args.colour!r}; use one of {', '.join(COLOURS)}")
        return handler(args, archive)

    return run
