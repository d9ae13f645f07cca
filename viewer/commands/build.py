"""build: resources/sources -> archive.db."""

from __future__ import annotations

import argparse
from pathlib import Path

from viewer.core.archive import default_archive_path
from viewer.core.build import BuildError, build
from viewer.core.errors import ExitCode


def default_sources() -> Path:
    return Path(__file__).resolve().parents[2] / "resources" / "sources"


def cmd_build(args: argparse.Namespace, _archive: None) -> int:
    out = Path(args.out) if args.out else default_archive_path()
    try:
        results = build(Path(args.sources) if args.sources else default_sources(), out)
    except BuildError as e:
        print(f"archive-viewer: build failed: {e}")
        return ExitCode.FAILED
    for r in results:
        print(
            f"{r.slug}: {r.passages} passages, {r.quotes} quotes, {len(r.speakers)} speakers "
            f"({', '.join(r.speakers)}), {len(r.related)} related reports"
        )
    print(f"wrote {out}")
    _reapply_corrections(out, getattr(args, "data_dir", None))
    return ExitCode.OK


def _reapply_corrections(out: Path, data_dir) -> None:
    """A build into your own archive gets your corrections applied again (never the bundled archive)."""
    from viewer.core.corrections import CorrectionError
    from viewer.core.datadir import user_archive_path
    from viewer.core.db import ArchiveError
    from viewer.core.import_target import same_file
    from viewer.core.reattribution import describe, reapply_after

    if not same_file(out, user_archive_path(data_dir)):
        return
    try:
        outcome = reapply_after(out, data_dir)
    except (CorrectionError, ArchiveError) as e:
        print(f"archive-viewer: warning: your corrections could not be applied to it: {e.message}")
        return
    if outcome is not None:
        print(f"{len(outcome.written)} of your corrections applied again")
        for line in describe(outcome):
            print(f"note: {line}")


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("build", help="build the archive from resources/sources")
    p.add_argument("--out", metavar="PATH", help="where to write the archive (default: the bundled archive.db)")
    p.add_argument("--sources", metavar="DIR", help="the sources folder (default: resources/sources)")
    p.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="the folder of your own data: a build into your own archive there gets your corrections "
        "applied again (default: $ARCHIVE_VIEWER_DATA_DIR, else the platform's user data folder)",
    )
    p.set_defaults(handler=cmd_build, needs_archive=False)
