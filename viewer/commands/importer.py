"""import: add reports and transcripts (.txt, .md, .html, .docx) to an existing archive."""

from __future__ import annotations

import argparse
import sys

from viewer.commands.output import emit_json
from viewer.core.archive import default_archive_path
from viewer.core.importer import DUPLICATE, FAILED, import_files


def cmd_import(args: argparse.Namespace, _archive: None) -> int:
    """Exit 0 when every file was imported or already there, 1 when a file could not be imported
    (the others are), 3 when the archive cannot be used (raised as ArchiveError; nothing changes)."""
    report = import_files(args.archive or default_archive_path(), args.files, collection=args.collection)
    if args.json:
        emit_json(report.to_dict())
    else:
        for f in report.files:
            if f.status == FAILED:
                print(f"archive-viewer: cannot import {f.message}", file=sys.stderr)
            elif f.status == DUPLICATE:
                print(f"skipped {f.message}")
            else:
                print(f"imported {f.message}")
        for note in report.uncertain:
            print(f"uncertain: {note}")
        print(report.summary())
    return report.exit_code


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("import", parents=[common],
                       help="import reports and transcripts (.txt, .md, .html, .docx) into the archive")
    p.add_argument("files", nargs="+", metavar="FILE", help="the files to import")
    p.add_argument("--collection", metavar="NAME",
                   help="the collection new documents go into (default: Imported); a file that fills a report "
                        "the archive lists keeps that report's collection")
    p.set_defaults(handler=cmd_import, needs_archive=False)
