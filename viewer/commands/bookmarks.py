"""bookmark add|list|remove|import and export: the user's bookmarks from the command line.

Every command takes ``--archive`` and ``--data-dir``. ``bookmark add`` prints and exits 0 only once
the bookmark is on disk. A damaged bookmarks file is repaired on open and the repair is reported on
stderr. Exit codes: 0 done; 1 the bookmarks or the export file could not be read or written;
2 bad usage (unknown quote, passage or bookmark, bad offsets or colour); 3 the archive cannot be used
(``list`` and ``export`` still give every bookmark, as it was saved, after one line saying why).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from viewer.commands.output import emit_json, emit_json_list, emit_table, open_user_store, warn
from viewer.core.bookmarks import (
    COLOURS, DEFAULT_COLOUR, STATUS_LABELS, UNRESOLVED, Bookmark, BookmarkNotFound, BookmarkQuery, BookmarkStore,
    Resolution, Resolver, make_bookmark, resolve_all,
)
from viewer.core.bookmark_file import ExportFile
from viewer.core.citation import load_template
from viewer.core.errors import ArchiveError, ExitCode, UsageError
from viewer.core.export import FORMATS, ExportError, export_chunks, write_atomic


def open_store(args: argparse.Namespace) -> BookmarkStore:
    return open_user_store(BookmarkStore, args)


class _Mapper:
    """Bookmarks mapped onto the archive one at a time. When the archive cannot be used (it cannot be
    opened, or damage is found while reading it), one warning says why, the bookmarks not yet mapped are
    shown as they were saved, and ``exit_code`` is 3: nothing of the user's is lost to a bad archive."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.archive = None
        self.resolver: Resolver | None = None
        self.problem: ArchiveError | None = None
        self.source = ""  # the archive's title, once it is open

    def __call__(self, bookmarks: Iterable[Bookmark]) -> Iterator[tuple[Bookmark, Resolution]]:
        for b in bookmarks:
            yield b, self.resolve(b)

    def open(self) -> None:
        """Open the archive (once; a problem is warned about and the bookmarks are then shown as saved)."""
        if self.resolver is None and self.problem is None:
            from viewer.core.archive import Archive
            from viewer.core.datadir import default_archive

            try:
                self.archive = Archive(getattr(self.args, "archive", None)
                                       or default_archive(getattr(self.args, "data_dir", None)))
                self.resolver = Resolver(self.archive)
                self.source = self.archive.meta().get("title", "")
            except ArchiveError as e:
                self._give_up(e)

    def resolve(self, b: Bookmark) -> Resolution:
        self.open()
        if self.resolver is not None:
            try:
                return self.resolver.resolve(b)
            except ArchiveError as e:
                self._give_up(e)
        return Resolution(UNRESOLVED)

    def _give_up(self, e: ArchiveError) -> None:
        self.problem = e
        self.resolver = None
        warn(f"{e.message} Bookmarks are shown as they were saved.")
        self.close()

    def close(self) -> None:
        if self.archive is not None:
            self.archive.close()
            self.archive = None

    @property
    def exit_code(self) -> ExitCode:
        return self.problem.exit_code if self.problem is not None else ExitCode.OK


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
    return ExitCode.OK


def cmd_list(args: argparse.Namespace, _archive: None) -> int:
    """Bookmarks as they come from the store, mapped one at a time: the first row at once, memory flat
    however many there are."""
    mapper = _Mapper(args)
    with open_store(args) as store, store.snapshot():
        rows = (list_dict(b, r) for b, r in mapper(store.iter(BookmarkQuery(tag=args.tag or ""))))
        try:
            if args.json:
                emit_json_list(rows)
            else:
                emit_table(({**row, "status": STATUS_LABELS.get(row["status"], row["status"]), "¶": row["paragraph"]}
                            for row in rows),
                           ["id", "speaker", "words", "document", "¶", "tags", "status", "text"], wide="text")
        finally:
            mapper.close()
    return mapper.exit_code


def cmd_remove(args: argparse.Namespace, _archive: None) -> int:
    with open_store(args) as store:
        try:
            gone = store.remove(args.id)
        except BookmarkNotFound as e:
            raise UsageError(e.message) from e
    print(f"bookmark {gone[0].id} removed: “{gone[0].text}”")
    return ExitCode.OK


def cmd_import(args: argparse.Namespace, _archive: None) -> int:
    """The file is checked whole against the export's schema before the store is touched (a problem: one
    line with where it is, exit 1, nothing changed), then read again into the store in one transaction."""
    path = Path(args.file)
    export_file = ExportFile(path)
    export_file.check()
    with open_store(args) as store:
        result = store.import_bookmarks(export_file)
    print(f"imported {path.name}: {result.added} added, {result.updated} updated, "
          f"{result.unchanged} already here")
    return ExitCode.OK


def cmd_export(args: argparse.Namespace, _archive: None) -> int:
    """The export is written as the bookmarks come from the store (DOCX excepted: a Word document is made
    whole), to standard output without ``--out``, else atomically to a regular file."""
    if args.format == "docx" and not args.out:
        raise UsageError("--format docx needs --out FILE (a Word document is not text)")
    query = BookmarkQuery(tag=args.tag or "")
    mapper = _Mapper(args)
    with open_store(args) as store, store.snapshot():
        count = store.count(query)
        if count:
            mapper.open()  # its title heads the export
        chunks = export_chunks(args.format, store.iter(query), count, mapper, _template(args), mapper.source)
        try:
            if args.out:
                out = write_atomic(args.out, chunks, follow_symlinks=args.follow_symlinks)
            else:
                _to_stdout(chunks)
        finally:
            mapper.close()
    if args.out:
        print(f"exported {count} bookmark{'s' if count != 1 else ''} to {out}")
    return mapper.exit_code


def _to_stdout(chunks: Iterable[bytes]) -> None:
    sys.stdout.flush()
    try:
        for chunk in chunks:
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as e:
        raise ExportError(f"export failed: standard output cannot be written ({e.strerror or e})", repr(e)) from e


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
    a.set_defaults(handler=_checked_colour(cmd_add), needs_archive=True)

    ls = bsub.add_parser("list", parents=[common, data], help="your bookmarks, where they are in the archive")
    ls.add_argument("--tag", metavar="TAG", help="only bookmarks with this tag")
    ls.set_defaults(handler=cmd_list, needs_archive=False)

    rm = bsub.add_parser("remove", parents=[common, data], help="delete a bookmark")
    rm.add_argument("id", metavar="ID", type=int, help="the bookmark (see `bookmark list`)")
    rm.set_defaults(handler=cmd_remove, needs_archive=False)

    im = bsub.add_parser("import", parents=[common, data], help="read bookmarks from a JSON export")
    im.add_argument("file", metavar="FILE", help="a file written by `export --format json`")
    im.set_defaults(handler=cmd_import, needs_archive=False)

    ex = sub.add_parser("export", parents=[common, data], help="write your bookmarks with their attribution")
    ex.add_argument("--format", required=True, choices=FORMATS, help="csv, md (Markdown), json, docx or txt")
    ex.add_argument("--tag", metavar="TAG", help="only bookmarks with this tag")
    ex.add_argument("--out", metavar="FILE", help="the file to write (default: standard output; docx needs it); "
                    "only a regular file is written or replaced")
    ex.add_argument("--follow-symlinks", action="store_true",
                    help="when --out is a symbolic link, replace the file it points to (else it is refused)")
    ex.set_defaults(handler=cmd_export, needs_archive=False)


def _checked_colour(handler):
    def run(args: argparse.Namespace, archive) -> int:
        if args.colour.strip().lower() not in COLOURS:
            raise UsageError(f"unknown colour {args.colour!r}; use one of {', '.join(COLOURS)}")
        return handler(args, archive)

    return run
