"""search: find passages and quotes in any spelling; the same search code as the app's panel."""

from __future__ import annotations

import argparse
import sys

from viewer.commands.output import emit_json
from viewer.commands.read import resolve_document, resolve_speaker
from viewer.core.errors import ExitCode, UsageError
from viewer.core.archive import Archive
from viewer.core.search import (
    MAX_LIMIT, ORDERS, Search, SearchOptions, SearchResult, collections, parse_date_bound,
)
from viewer.core.text import fold


def resolve_collection(archive: Archive, name: str) -> str:
    known = collections(archive)
    want = fold(name).strip()
    found = [c for c in known if fold(c) == want] or [c for c in known if fold(c).startswith(want)]
    if len(found) != 1:
        raise UsageError(f"no collection {name!r}; collections: {', '.join(known) or 'none'}"
                         if not found else f"{name!r} could be {', '.join(found)}; give the full name")
    return found[0]


def _date(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    iso = parse_date_bound(value)
    if iso is None:
        raise UsageError(f"{option}: {value!r} is not a date (try 2021, 2021-03, 2021-03-25 or 25 March 2021)")
    return iso


def options_from_args(args: argparse.Namespace, archive: Archive) -> SearchOptions:
    if not 1 <= args.limit <= MAX_LIMIT:
        raise UsageError(f"--limit must be between 1 and {MAX_LIMIT}")
    date_from, date_to = _date(args.date_from, "--from"), _date(args.date_to, "--to")
    if date_from and date_to and date_from[:len(date_to)] > date_to[:len(date_from)]:
        raise UsageError("--from is after --to")
    return SearchOptions(
        speakers=tuple(dict.fromkeys(resolve_speaker(archive, n).id for n in args.speaker or ())),
        documents=tuple(dict.fromkeys(resolve_document(archive, s).id for s in args.document or ())),
        collection=resolve_collection(archive, args.collection) if args.collection else None,
        date_from=date_from, date_to=date_to, quotes_only=args.quotes_only, order=args.order, limit=args.limit,
        exact_diacritics=args.exact_diacritics,
    )


def print_result(result: SearchResult) -> None:
    if result.message:
        print(f"archive-viewer: {result.message}", file=sys.stderr)
        return
    for note in result.notes:
        print(f"note: {note}")
    if result.total is None or result.total == 0:
        print(result.hint)
        return
    total = f"{result.total}" if result.exact else f"about {result.total}"
    shown = f"{len(result.hits)} of {total}" if result.has_more else total
    line = f"{shown} result{'s' if result.total != 1 else ''} " + (
        "in this scope" if result.browsing else f"for “{result.query}”")
    if result.variants:
        line += f" (also searched: {', '.join(result.variants)})"
    print(line)
    for n, h in enumerate(result.hits, start=result.offset + 1):
        who = h.speaker or "narration"
        if h.quoted_by:
            who += f", quoted by {h.quoted_by}"
        print(f"\n{n:>3}. {h.kind} · {who} · {h.where}")
        print("     " + " ".join(h.snippet.plain().split()))


def cmd_search(args: argparse.Namespace, archive: Archive) -> int:
    options = options_from_args(args, archive)
    result = Search(archive).run(" ".join(args.query), options)
    if args.json:
        emit_json(result.to_dict())
    else:
        print_result(result)
    return ExitCode.ARCHIVE if result.message else ExitCode.OK  # too slow to answer: an archive problem


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "search", parents=[common], help="find passages and quotes (words, \"phrase\", prefix*, OR, -word)",
        description="Search passages and quotes in any spelling. Matched words are marked **like this**. "
                    "Put -- before a query that starts with a minus: archive-viewer search -- -word other.",
    )
    p.add_argument("query", nargs="*", metavar="QUERY",
                   help="what to search for (see docs/search.md); without it, everything the filters allow is "
                        "listed in document order (search --speaker NAME: everything they said)")
    p.add_argument("--speaker", metavar="NAME", action="append",
                   help="only this speaker's passages and quotes (repeat for several)")
    p.add_argument("--document", metavar="SLUG", action="append", help="only in this document (repeatable)")
    p.add_argument("--collection", metavar="NAME", help="only in documents of this collection")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="only documents on or after DATE")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="only documents on or before DATE")
    p.add_argument("--quotes-only", action="store_true", help="only direct quotes (someone's own words)")
    p.add_argument("--order", choices=ORDERS, default="relevance",
                   help="relevance (default), date (the documents' dates) or document order")
    p.add_argument("--limit", type=int, default=50, metavar="N", help="at most N results (default 50)")
    p.add_argument("--exact-diacritics", action="store_true",
                   help="only text with exactly the diacritics typed (no folding, transliteration or variants)")
    p.set_defaults(handler=cmd_search, needs_archive=True)
