"""stats: what the discussion says in numbers; ``--chart`` renders one chart to a PNG or SVG file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from viewer.commands.output import emit_json, emit_table
from viewer.commands.read import resolve_document, resolve_speaker
from viewer.core.archive import Archive
from viewer.core.errors import ExitCode, UsageError
from viewer.core.stats import Statistics
from viewer.core.stats_export import report_dict
from viewer.core.stats_records import Scope

CHARTS = ("speakers", "mentions", "terms", "timeline")
CHART_FORMATS = (".png", ".svg")


def _scope(args: argparse.Namespace, archive: Archive) -> Scope:
    doc = resolve_document(archive, args.document) if args.document else None
    speaker = resolve_speaker(archive, args.speaker) if args.speaker else None
    return Scope(doc.id if doc else None, speaker.id if speaker else None)


def _check_chart_args(args: argparse.Namespace) -> Path | None:
    if args.chart and not args.out:
        raise UsageError("--chart needs --out FILE.png or FILE.svg")
    if args.out and not args.chart:
        raise UsageError(f"--out needs --chart ({'|'.join(CHARTS)})")
    if not args.out:
        return None
    out = Path(args.out)
    if out.suffix.lower() not in CHART_FORMATS:
        raise UsageError(f"--out must end in .png or .svg, not {out.suffix or 'nothing'!r}")
    if not out.parent.is_dir():
        raise UsageError(f"no folder {str(out.parent)!r} to write {out.name!r} in")
    return out


def cmd_stats(args: argparse.Namespace, archive: Archive) -> int:
    out = _check_chart_args(args)
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    scope = _scope(args, archive)
    report = Statistics(archive).report(scope, mentions=args.limit, terms=args.limit)
    if out is not None:
        from viewer.core.files import ExportError
        from viewer.ui.widgets.charts import ChartError, render_report_chart

        try:
            width, height = render_report_chart(args.chart, report, out)
        except (ChartError, ExportError) as e:
            print(
                f"archive-viewer: the chart could not be written: {e.reason if isinstance(e, ExportError) else e}",
                file=sys.stderr,
            )
            return ExitCode.FAILED
        if args.json:
            emit_json({"chart": args.chart, "out": str(out), "width": width, "height": height})
        else:
            print(f"wrote {out} ({width}x{height})")
        return ExitCode.OK
    data = report_dict(archive, report)
    if args.json:
        emit_json(data)
        return ExitCode.OK
    _print_text(data)
    return ExitCode.OK


def _print_text(data: dict) -> None:
    for note in data.get("notes", ()):
        print(f"note: {note}")
    print(f"Speakers: share of the words spoken in passages attributed to speakers in scope ({len(data['speakers'])})")
    emit_table(
        [{**s, "share": f"{s['share']:.1f}%"} for s in data["speakers"]],
        ["name", "words", "share", "passages", "quotes"],
    )
    if data.get("documents"):
        print("\nIn each document")
        emit_table(
            [{**s, "share": f"{s['share']:.1f}%"} for s in data["documents"]],
            ["document", "words", "share", "passages", "quotes"],
        )
    print("\nMentions: people and organisations, with the variants merged")
    emit_table(
        [
            {
                "name": m["name"],
                "kind": m["kind"],
                "count": m["count"],
                "variants": ", ".join(f"{v} ({m['variant_counts'][v]})" for v in m["variants"]),
            }
            for m in data["mentions"]
        ],
        ["name", "kind", "count", "variants"],
        wide="variants",
    )
    print("\nTerms: stop words out, inflections grouped")
    emit_table(
        [{"term": t["term"], "count": t["count"], "forms": ", ".join(t["forms"])} for t in data["terms"]],
        ["term", "count", "forms"],
        wide="forms",
    )
    if data["distinctive"]:
        print("\nDistinctive terms of each speaker (weighted log-odds against the others)")
        emit_table(
            [{"speaker": d["speaker"], "terms": ", ".join(t["term"] for t in d["terms"])} for d in data["distinctive"]],
            ["speaker", "terms"],
            wide="terms",
        )
    shown = len(data["figures"])
    more = f", the first {shown} shown" if data["figures_total"] > shown else ""
    print(f"\nKey figures ({data['figures_total']}{more})")
    emit_table(
        [
            {"figure": f["text"], "speaker": f["speaker"], "passage": f["passage_id"], "context": f["context"]}
            for f in data["figures"]
        ],
        ["figure", "speaker", "passage", "context"],
        wide="context",
    )
    print("\nTimeline")
    emit_table(
        [
            {
                "date": t["label"],
                "documents": len(t["documents"]),
                "titles": "; ".join(d["title"] for d in t["documents"]),
            }
            for t in data["timeline"]
        ],
        ["date", "documents", "titles"],
        wide="titles",
    )
    if data.get("undated"):
        print(f"undated: {len(data['undated'])} documents")


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "stats",
        parents=[common],
        help="what the discussion says in numbers: speakers, mentions, terms, key figures, timeline",
    )
    p.add_argument("--document", metavar="SLUG", help="only this document (slug or id)")
    p.add_argument("--speaker", metavar="NAME", help="only this speaker (name, surname or alias)")
    p.add_argument("--limit", metavar="N", type=int, default=50, help="how many mentions and terms (default 50)")
    p.add_argument("--chart", choices=CHARTS, help="render this chart instead of printing numbers (needs --out)")
    p.add_argument("--out", metavar="FILE", help="with --chart: the image to write, .png or .svg (at least 800x500)")
    p.set_defaults(handler=cmd_stats, needs_archive=True)
