"""synth: a synthetic archive of any size, for benchmarks."""

from __future__ import annotations

import argparse
from pathlib import Path

from viewer.commands.output import emit_json
from viewer.core.errors import ExitCode, SynthError, UsageError
from viewer.core.synth import DEFAULT_SEED, synthesize


def cmd_synth(args: argparse.Namespace, _archive: None) -> int:
    if args.passages < 1:
        raise UsageError("--passages must be at least 1")
    out = Path(args.out)
    if out.is_dir():
        raise UsageError(f"--out {out} is a folder")
    try:
        r = synthesize(
            out,
            args.passages,
            seed=args.seed,
            log=(lambda _m: None) if args.json else print,
            stats=args.stats,
            topk=not args.no_topk,
        )
    except SynthError as e:
        print(f"archive-viewer: synth failed: {e}")
        return ExitCode.FAILED
    summary = {
        "path": str(r.path),
        "documents": r.documents,
        "listed": r.listed,
        "passages": r.passages,
        "speakers": r.speakers,
        "quotes": r.quotes,
        "entities": r.entities,
        "mentions": r.mentions,
        "seconds": round(r.seconds, 2),
        "passages_per_second": round(r.passages_per_second),
        "timings": {k: round(v, 2) for k, v in r.timings.items()},
    }
    if args.json:
        emit_json(summary)
    else:
        print(
            f"wrote {r.path}: {r.passages:,} passages in {r.documents - r.listed:,} documents "
            f"(+{r.listed} listed without text), {r.speakers:,} speakers, {r.quotes:,} quotes, "
            f"{r.mentions:,} mentions of {r.entities:,} entities in {r.seconds:.1f} s "
            f"({r.passages_per_second:,.0f} passages/s)"
        )
    return ExitCode.OK


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("synth", help="write a synthetic archive in the archive format (for benchmarks)")
    p.add_argument("--passages", type=int, required=True, metavar="N", help="how many passages")
    p.add_argument("--out", required=True, metavar="FILE", help="where to write it (replaced when complete)")
    p.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        metavar="S",
        help=f"random seed; the same seed gives the same archive (default {DEFAULT_SEED})",
    )
    p.add_argument(
        "--no-stats",
        dest="stats",
        action="store_false",
        help="leave the precomputed statistics tables (figures, terms, entity groups) empty",
    )
    p.add_argument(
        "--stats",
        dest="stats",
        action="store_true",
        help="write the precomputed statistics (the default; kept for old scripts)",
    )
    p.add_argument(
        "--no-topk",
        action="store_true",
        help="leave out the search's precomputed top-k lists (ranking then scores every match)",
    )
    p.add_argument("--json", action="store_true", help="print a JSON summary instead of a line")
    p.set_defaults(handler=cmd_synth, needs_archive=False)
