"""reindex: make an archive's derived data (statistics, search lists) again from its text."""

from __future__ import annotations

import argparse

from viewer.commands.output import emit_json
from viewer.core.errors import ExitCode, UsageError

KIND_OPTIONS = {"statistics": "statistics", "search_lists": "search lists"}


def cmd_reindex(args: argparse.Namespace, _archive: None) -> int:
    from viewer.core.archive_writing import check_archive
    from viewer.core.correction_writer import reworded
    from viewer.core.datadir import default_archive
    from viewer.core.db import ArchiveError
    from viewer.core.derived import KINDS, reindex
    from viewer.core.import_target import is_bundled

    path = getattr(args, "archive", None) or default_archive(getattr(args, "data_dir", None))
    if is_bundled(path):
        raise UsageError(
            "the bundled archive is kept as shipped (and is made by this version); "
            "give the archive to reindex with --archive PATH"
        )
    kinds = tuple(kind for option, kind in KIND_OPTIONS.items() if getattr(args, option)) or KINDS
    try:
        path = check_archive(path)
    except ArchiveError as e:
        raise reworded(e) from e
    log = None if args.json else (lambda message: print(f"  {message}"))
    result = reindex(path, kinds, log=log)
    if args.json:
        emit_json(
            {
                "path": str(result.path),
                "before": result.before,
                "seconds": {k: round(v, 2) for k, v in result.seconds.items()},
            }
        )
        return ExitCode.OK
    for kind in result.kinds:
        print(f"{kind}: made again in {result.seconds[kind]:.1f} s (they were {result.before[kind]})")
    print(f"reindexed {result.path}")
    return ExitCode.OK


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "reindex",
        parents=[common],
        help="make the archive's statistics and search lists again from its text (after an update)",
        description="Make the derived data of an archive again from its text: the statistics and the search's "
        "precomputed lists. Needed when they were made by another version (the app and the other "
        "commands say so); the text, speakers, quotes and your corrections are not changed.",
    )
    p.add_argument("--statistics", action="store_true", help="only the statistics")
    p.add_argument("--search-lists", action="store_true", help="only the search's precomputed lists")
    p.add_argument(
        "--data-dir", metavar="DIR", default=None, help="the folder of your own data, whose archive is the default"
    )
    p.set_defaults(handler=cmd_reindex, needs_archive=False)
