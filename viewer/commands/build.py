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
        print(f"{r.slug}: {r.passages} passages, {r.quotes} quotes, {len(r.speakers)} speakers "
              f"({', '.join(r.speakers)}), {len(r.related)} related reports")
    print(f"wrote {out}")
    return ExitCode.OK


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("build", help="build the archive from resources/sources")
    p.add_argument("--out", metavar="PATH", help="where to write the archive (default: the bundled archive.db)")
    p.add_argument("--sources", metavar="DIR", help="the sources folder (default: resources/sources)")
    p.set_defaults(handler=cmd_build, needs_archive=False)
