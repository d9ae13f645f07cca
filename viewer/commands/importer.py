"""import: add reports and transcripts (.txt, .md, .html, .mhtml, .docx, .pdf; or folders of them) to an archive.

The bundled archive is never changed: an import into it (the default) goes into your own archive in
the data folder, made as a copy of the bundled one the first time (``viewer.core.import_target.import_target``,
the same rule as the desktop app). The last line says which archive the import went into.
"""

from __future__ import annotations

import argparse
import sys

from viewer.commands.output import emit_json
from viewer.core.db import ArchiveError
from viewer.core.import_target import import_target
from viewer.core.importer import DUPLICATE, FAILED, IGNORED, import_files
from viewer.core.limits import ImportLimits


def _defaults() -> str:
    limits = ImportLimits()
    values = (getattr(limits, name.replace("-", "_")) for name in ImportLimits.names())
    return ", ".join(
        f"{name}={value:g}" if isinstance(value, float) else f"{name}={value}"
        for name, value in zip(ImportLimits.names(), values)
    )


def cmd_import(args: argparse.Namespace, _archive: None) -> int:
    """Exit 0 when every file was imported or already there, 1 when a file could not be imported
    (the others are), 3 when the archive cannot be used (raised as ArchiveError; nothing changes)."""
    data_dir = getattr(args, "data_dir", None)
    target = import_target(getattr(args, "archive", None), data_dir)
    import_limits = ImportLimits().with_settings(args.limit or ())
    report = import_files(
        target.path,
        args.files,
        collection=args.collection,
        copy_from=target.copy_from,
        import_limits=import_limits,
        data_dir=data_dir,
    )
    if args.json:
        emit_json(report.to_dict())
    else:
        for f in report.files:
            if f.status == FAILED:
                print(f"archive-viewer: cannot import {f.message}", file=sys.stderr)
            elif f.status == DUPLICATE:
                print(f"skipped {f.message}")
            elif f.status == IGNORED:
                print(f"ignored {f.message}")
            else:
                print(f"imported {f.message}")
        for note in report.uncertain:
            print(f"uncertain: {note}")
        print(report.summary())
        print(report.where())
    if report.documents:
        _reapply_corrections(report.archive, data_dir, args.json)
    return report.exit_code


def _reapply_corrections(archive: str, data_dir, quiet: bool) -> None:
    """Your corrections of the documents just imported (a re-import) are applied to them again."""
    from pathlib import Path

    from viewer.core.corrections import CorrectionError
    from viewer.core.reattribution import describe, reapply_after

    try:
        outcome = reapply_after(Path(archive), data_dir)
    except (CorrectionError, ArchiveError) as e:
        print(f"archive-viewer: warning: your corrections could not be applied to it: {e.message}", file=sys.stderr)
        return
    if outcome is None or quiet:
        return
    if outcome.written:
        n = len(outcome.written)
        print(f"{n} of your corrections applied again (`archive-viewer attribution list`)")
    for line in describe(outcome):
        print(f"note: {line}")


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "import",
        parents=[common],
        help="import reports and transcripts (.txt, .md, .html, .mhtml, .docx, .pdf) into the archive",
    )
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="the files to import; a folder: every document in it and its subfolders",
    )
    p.add_argument(
        "--collection",
        metavar="NAME",
        help="the collection new documents go into (default: Imported); a file that fills a report "
        "the archive lists keeps that report's collection",
    )
    p.add_argument(
        "--limit",
        metavar="NAME=VALUE",
        action="append",
        help=f"change an import limit for this import (repeat for more): {', '.join(ImportLimits.names())}; "
        f"defaults: {_defaults()}",
    )
    p.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="the folder of your own archive, made by the first import into the bundled one "
        "(default: $ARCHIVE_VIEWER_DATA_DIR, else the platform's user data folder)",
    )
    p.set_defaults(handler=cmd_import, needs_archive=False)
