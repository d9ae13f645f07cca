"""A statistics report (``viewer.core.stats``) as plain data: the ``stats --json`` format, for the command
line and exports."""

from __future__ import annotations

from viewer.core.archive import Archive
from viewer.core.dates import format_range
from viewer.core.records import Document
from viewer.core.stats_records import StatsReport


def report_dict(archive: Archive, report: StatsReport) -> dict:
    """The report as JSON-ready data (the ``stats --json`` format)."""
    slugs = dict(archive.db.execute("SELECT id, slug FROM documents"))
    out = {
        "scope": {"document": slugs.get(report.scope.document_id), "speaker": _speaker_name(report)},
        "speakers": [
            {
                "id": s.speaker_id,
                "name": s.name,
                "passages": s.passages,
                "words": s.words,
                "share": round(s.share, 2),
                "quotes": s.quotes,
            }
            for s in report.speakers
        ],
        "mentions": [
            {
                "name": m.name,
                "kind": m.kind,
                "count": m.count,
                "variants": [f for f, _c in m.variants],
                "variant_counts": {f: c for f, c in m.variants},
                "merged": list(m.entities),
                "by": [{"speaker": name or None, "count": c} for _sid, name, c in m.by],
            }
            for m in report.mentions
        ],
        "terms": [{"term": t.term, "count": t.count, "forms": [f for f, _c in t.forms]} for t in report.terms],
        "distinctive": [
            {"speaker": name, "terms": [{"term": t.term, "count": t.count, "z": round(t.z or 0.0, 2)} for t in terms]}
            for _sid, name, terms in report.distinctive
        ],
        "figures": [
            {
                "value": f.value,
                "text": f.text,
                "number": f.number,
                "number_max": f.number_max,
                "noun": f.noun,
                "approx": f.approx,
                "context": f.context,
                "passage_id": f.passage_id,
                "start": f.start,
                "end": f.end,
                "speaker": f.speaker or None,
                "document": slugs.get(f.document_id),
            }
            for f in report.figures
        ],
        "figures_total": report.figures_total,
        "timeline": [
            {
                "date": date,
                "label": format_range(date, docs[0].date_end),
                "documents": [
                    {
                        "slug": d.slug,
                        "title": d.title,
                        "kind": d.kind,
                        "date": d.date,
                        "date_end": d.date_end,
                        "has_text": d.has_text,
                    }
                    for d in docs
                ],
            }
            for date, docs in _by_date(report.timeline.documents)
        ],
    }
    if report.speaker_documents:
        out["documents"] = [
            {
                "document": slugs.get(s.document_id),
                "title": s.label,
                "passages": s.passages,
                "words": s.words,
                "share": round(s.share, 2),
                "quotes": s.quotes,
            }
            for s in report.speaker_documents
        ]
    if report.timeline.undated:
        out["undated"] = [{"slug": d.slug, "title": d.title} for d in report.timeline.undated]
    if report.notes:
        out["notes"] = list(report.notes)
    return out


def _speaker_name(report: StatsReport) -> str | None:
    if report.scope.speaker_id is None:
        return None
    return next((s.name for s in report.speakers if s.speaker_id == report.scope.speaker_id), None)


def _by_date(docs: list[Document]) -> list[tuple[str, list[Document]]]:
    out: dict[tuple[str, str], list[Document]] = {}
    for d in docs:
        out.setdefault((d.date, d.date_end or ""), []).append(d)
    return [(k[0], v) for k, v in out.items()]
