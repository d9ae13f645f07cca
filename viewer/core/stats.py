"""Statistics: what the archive's text says, in numbers. No drawing, no Qt.

Two halves:

* the *writer* side runs at build and import time: ``stats_writer.write_document_stats`` stores one
  new document's key figures, term counts and the written forms of its mentions;
  ``stats_writer.refresh_stats`` groups again the entities those documents touch (``entity_groups``);
  ``stats_rebuild.rebuild_stats`` computes everything again in worker processes. Opening an archive
  computes nothing.
* the *read* side, ``Statistics(archive).report(scope)``, reads those tables for the whole archive
  or one speaker, and counts one document's passages on demand (work proportional to the
  document, never to the archive). Run it off the UI thread.

The records a report is made of are in ``viewer.core.stats_records``, a report as plain data (``stats --json``)
in ``viewer.core.stats_export``. How every number is computed is written down in ``docs/statistics.md``.

Why this module is about 650 lines: ``Statistics`` reads every kind of number (speakers, mentions, terms,
distinctive terms, figures, the timeline) for a scope with one connection, one set of scope rules and the
caches they share; split by kind, each part would need all of them.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import accumulate

from viewer.core import derived
from viewer.core.archive import Archive
from viewer.core.dates import format_range
from viewer.core.db import chunks, placeholders
from viewer.core.errors import DataDamaged
from viewer.core.figures import Figure, context
from viewer.core.records import Document
from viewer.core.schema import columns_of
from viewer.core.stats_records import (
    FigureStat,
    MentionStat,
    Scope,
    SpeakerStat,
    StatsReport,
    TermStat,
    Timeline,
    TimelineBucket,
)
from viewer.core.stats_writer import NOT_DISCUSSION, mention_form
from viewer.core.terms import TermCounts, distinctive, name_words, term_spans
from viewer.core.tokens import index_form, index_words


class Statistics:
    """The statistics of an open archive, read from its precomputed tables. One per thread
    (it uses the archive's connection); run it off the UI thread."""

    def __init__(self, archive: Archive):
        self.archive = archive
        self.db = archive.db
        self._background: int | None = None
        self._all_terms: dict[int, dict] | None = None
        self._packed_terms: bool | None = None  # speaker_terms in the layout of version 1

    # -------------------------------------------------------------- speakers

    def speakers(self, scope: Scope) -> list[SpeakerStat]:
        """Speakers in order of appearance with words, share, passages and direct quotes. In a
        speaker's scope: one row per document they spoke in, with their share of that document."""
        if scope.speaker_id is not None and scope.document_id is None:
            return self._speaker_documents(scope.speaker_id)
        people = self.archive.speakers(scope.document_id)
        if scope.speaker_id is not None:
            total = sum(s.words for s in people)
            people = [s for s in people if s.id == scope.speaker_id]
        else:
            total = sum(s.words for s in people)
        return [
            SpeakerStat(s.id, s.name, i, s.passages, s.words, _percent(s.words, total), s.quotes, scope.document_id)
            for i, s in enumerate(people, start=1)
        ]

    def _speaker_documents(self, speaker_id: int, roles: list | None = None) -> list[SpeakerStat]:
        speaker = self.archive.speaker(speaker_id)
        if speaker is None:
            return []
        totals = dict(
            self.db.execute(
                """SELECT ds.document_id, SUM(other.words) FROM document_speakers ds
               JOIN document_speakers other ON other.document_id = ds.document_id
               WHERE ds.speaker_id = ? GROUP BY ds.document_id""",
                (speaker_id,),
            )
        )
        roles = self.archive.event_roles(speaker_id) if roles is None else roles
        return [
            SpeakerStat(
                speaker_id,
                speaker.name,
                i,
                role.passages,
                role.words,
                _percent(role.words, totals.get(doc.id) or 0),
                role.quotes,
                doc.id,
                doc.title,
            )
            for i, (doc, role) in enumerate(roles, start=1)
        ]

    def speaker_total(self, speaker_id: int) -> SpeakerStat | None:
        """A speaker's totals, ``share`` being of the words spoken in the documents they spoke in."""
        speaker = self.archive.speaker(speaker_id)
        if speaker is None:
            return None
        total = self.db.execute(
            """SELECT COALESCE(SUM(words), 0) FROM document_speakers WHERE document_id IN
               (SELECT document_id FROM document_speakers WHERE speaker_id = ?)""",
            (speaker_id,),
        )[0][0]
        return SpeakerStat(
            speaker.id, speaker.name, 1, speaker.passages, speaker.words, _percent(speaker.words, total), speaker.quotes
        )

    def speaker_passages(self, speaker_id: int, scope: Scope) -> list[int]:
        """The speaker's passages in scope, in document order (the first is where to drill down)."""
        return self.archive.passage_ids(document_id=scope.document_id, speaker_id=speaker_id)

    # -------------------------------------------------------------- mentions

    def mentions(self, scope: Scope, limit: int = 100, kinds: Iterable[str] | None = None) -> list[MentionStat]:
        """People and organisations mentioned in scope, the most mentioned first, with the
        variants merged and who mentioned them."""
        kinds = tuple(kinds) if kinds else None
        kind_sql = f" AND g.kind IN ({','.join('?' * len(kinds))})" if kinds else ""
        if scope.is_archive:
            rows = self.db.execute(
                f"SELECT g.id, g.name, g.kind, g.mentions, g.entities, g.variants, g.speakers FROM mention_groups g "
                f"WHERE g.mentions > 0{kind_sql} ORDER BY g.mentions DESC, g.id LIMIT ?",
                (*(kinds or ()), limit),
            )
            names = self._speaker_names()
            return [
                MentionStat(
                    r["id"],
                    r["name"],
                    r["kind"],
                    r["mentions"],
                    _pairs(r["variants"]),
                    tuple(_json_list(r["entities"])),
                    _mentioned_by(r["speakers"], names),
                )
                for r in rows
            ]
        where, params = _passage_scope(scope)
        rows = self.db.execute(
            f"""SELECT eg.group_id AS gid, m.surface, substr(p.text, m."end" + 1, 3) AS after, m.speaker_id,
                       substr(p.text, m.start + 1, m."end" - m.start) AS written
                FROM passages p JOIN mentions m ON m.passage_id = p.id
                JOIN entity_groups eg ON eg.entity_id = m.entity_id WHERE {where}""",
            params,
        )
        counts: Counter = Counter()
        forms: dict[int, Counter] = defaultdict(Counter)
        by_speaker: dict[int, Counter] = defaultdict(Counter)
        for r in rows:
            gid = r["gid"]
            counts[gid] += 1
            forms[gid][mention_form(r["written"] or r["surface"], r["after"] or "")] += 1
            by_speaker[gid][r["speaker_id"]] += 1
        if not counts:
            return []
        groups = self._groups(list(counts), kinds)
        names = self._speaker_names()
        out = []
        for gid, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            if gid not in groups:
                continue
            g = groups[gid]
            out.append(
                MentionStat(
                    gid,
                    g["name"],
                    g["kind"],
                    n,
                    tuple(sorted(forms[gid].items(), key=lambda kv: (-kv[1], kv[0]))),
                    tuple(_json_list(g["entities"])),
                    tuple(
                        sorted(
                            ((sid, names.get(sid, ""), c) for sid, c in by_speaker[gid].items()),
                            key=lambda t: (-t[2], t[1]),
                        )
                    ),
                )
            )
            if len(out) >= limit:
                break
        return out

    def _groups(self, ids: list[int], kinds: tuple[str, ...] | None) -> dict[int, sqlite3.Row]:
        out = {}
        for chunk in chunks(ids):
            for r in self.db.execute(
                f"SELECT id, name, kind, entities FROM mention_groups WHERE id IN ({placeholders(len(chunk))})",
                tuple(chunk),
            ):
                if kinds is None or r["kind"] in kinds:
                    out[r["id"]] = r
        return out

    def _speaker_names(self) -> dict[int | None, str]:
        return {r["id"]: r["name"] for r in self.db.execute("SELECT id, name FROM speakers")}

    def mention_passages(self, group_id: int, scope: Scope) -> list[tuple[int, list[tuple[int, int]]]]:
        """The passages in scope that mention a group, with the mentions' offsets, in document order."""
        where, params = _passage_scope(scope)
        rows = self.db.execute(
            f"""SELECT m.passage_id AS pid, m.start, m."end" FROM entity_groups eg
                JOIN mentions m ON m.entity_id = eg.entity_id JOIN passages p ON p.id = m.passage_id
                WHERE eg.group_id = ? AND {where} ORDER BY p.document_id, p.seq, m.start""",
            (group_id, *params),
        )
        out: dict[int, list[tuple[int, int]]] = {}
        for r in rows:
            out.setdefault(r["pid"], []).append((r["start"], r["end"]))
        return list(out.items())

    # -------------------------------------------------------------- terms

    def _background_total(self) -> int:
        """Every term occurrence of the archive (the prior's total), read once."""
        if self._background is None:
            self._background = self.db.execute("SELECT COALESCE(SUM(count), 0) FROM terms")[0][0]
        return self._background

    def _term_rows(self, keys: list[str]) -> dict[str, sqlite3.Row]:
        """id, label and archive-wide count of these terms."""
        out = {}
        for chunk in chunks(keys):
            out.update(
                (r["key"], r)
                for r in self.db.execute(
                    f"SELECT id, key, label, count FROM terms WHERE key IN ({placeholders(len(chunk))})", tuple(chunk)
                )
            )
        return out

    def _document_terms(self, document_id: int, speaker_id: int | None = None) -> dict[int | None, TermCounts]:
        exclude = name_words(n for s in self.archive.speakers(document_id) for n in (s.name, *s.aliases))
        out: dict[int | None, TermCounts] = {}
        for p in self.archive.passages(document_id):
            if p.kind in NOT_DISCUSSION or (speaker_id is not None and p.speaker_id != speaker_id):
                continue
            out.setdefault(p.speaker_id, TermCounts.empty()).add_text(p.text, exclude)
        return out

    def terms(self, scope: Scope, limit: int = 50) -> list[TermStat]:
        """The most frequent terms in scope (inflections grouped, stop words out)."""
        if scope.document_id is not None:
            total = TermCounts.empty()
            for tc in self._document_terms(scope.document_id, scope.speaker_id).values():
                total.update(tc)
            labels = self._labels(list(total.counts))
            top = sorted(total.counts.items(), key=lambda kv: (-kv[1], labels.get(kv[0]) or total.label(kv[0]), kv[0]))
            return [
                TermStat(k, labels.get(k) or total.label(k), c, _sorted_forms(total.forms[k])) for k, c in top[:limit]
            ]
        if scope.speaker_id is not None:
            mine = self._speaker_counts(scope.speaker_id)
            if not mine:
                return []
            # every term used as often as the limit-th, then ordered as in the archive's scope
            least = sorted(mine.values(), reverse=True)[min(limit, len(mine)) - 1]
            found = self._terms_by_id([tid for tid, c in mine.items() if c >= least])
            rows = sorted(
                ({"id": tid, "key": r["key"], "label": r["label"], "count": mine[tid]} for tid, r in found.items()),
                key=lambda r: (-r["count"], r["label"], r["key"]),
            )[:limit]
        else:
            rows = self.db.execute(
                "SELECT id, key, label, count FROM terms ORDER BY count DESC, label, key LIMIT ?", (limit,)
            )
        forms = self._forms([r["id"] for r in rows])
        if scope.speaker_id is not None:
            # the forms are counted archive-wide; a speaker's own counts of each form are not kept
            forms = {k: tuple((f, None) for f, _c in v) for k, v in forms.items()}
        return [TermStat(r["key"], r["label"], r["count"], forms.get(r["id"], ())) for r in rows]

    def _labels(self, keys: list[str]) -> dict[str, str]:
        """Terms are shown under the form the whole archive writes most, in every scope."""
        return {k: r["label"] for k, r in self._term_rows(keys).items()}

    def _forms(self, term_ids: list[int]) -> dict[int, tuple[tuple[str, int], ...]]:
        if not term_ids:
            return {}
        out: dict[int, Counter] = defaultdict(Counter)
        for chunk in chunks(term_ids):
            for r in self.db.execute(
                f"SELECT term_id, form, count FROM term_forms WHERE term_id IN ({placeholders(len(chunk))})",
                tuple(chunk),
            ):
                out[r["term_id"]][r["form"]] = r["count"]
        return {k: _sorted_forms(v) for k, v in out.items()}

    def _speaker_counts(self, speaker_id: int) -> dict[int, int]:
        """All of a speaker's term counts: term id -> count (``speaker_terms``, in either layout)."""
        if self._packed_terms is None:
            self._packed_terms = "data" in columns_of(self.db, "speaker_terms")
        if self._packed_terms:
            rows = self.db.execute("SELECT data FROM speaker_terms WHERE speaker_id = ?", (speaker_id,))
            try:
                return packed_term_counts(rows[0][0] if rows else None)
            except ValueError as e:
                raise DataDamaged("This archive is damaged: a speaker's statistics cannot be read.", str(e)) from e
        return {
            r[0]: r[1]
            for r in self.db.execute("SELECT term_id, count FROM speaker_terms WHERE speaker_id = ?", (speaker_id,))
        }

    def notes(self) -> list[str]:
        """What the user should know about these statistics: stale ones (``derived``) say so."""
        note = derived.state(self.db, derived.STATISTICS).note
        return [note[0].upper() + note[1:] + "."] if note else []

    def _terms_by_id(self, ids: list[int]) -> dict[int, dict]:
        """id, key, label and archive-wide count of these terms; for many, from the whole terms
        table read once (a speaker of thousands of passages uses most of the archive's terms)."""
        if self._all_terms is None and len(ids) > 2000:
            self._all_terms = {
                r["id"]: {"id": r["id"], "key": r["key"], "label": r["label"], "count": r["count"]}
                for r in self.db.execute("SELECT id, key, label, count FROM terms")
            }
        if self._all_terms is not None:
            table = self._all_terms
            return {i: table[i] for i in ids if i in table}
        out = {}
        ids = sorted(ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            out.update(
                (r["id"], {"id": r["id"], "key": r["key"], "label": r["label"], "count": r["count"]})
                for r in self.db.execute(
                    f"SELECT id, key, label, count FROM terms WHERE id IN ({placeholders(len(chunk))})", tuple(chunk)
                )
            )
        return out

    def distinctive_terms(self, scope: Scope, speaker_id: int, limit: int = 15) -> list[TermStat]:
        """The terms ``speaker_id`` uses more than the others in scope (the rest of the document,
        or of the archive), by weighted log-odds with the archive's counts as the prior."""
        n_bg = self._background_total()
        if scope.document_id is not None:
            per = self._document_terms(scope.document_id)
            mine = per.get(speaker_id, TermCounts.empty())
            others: Counter = Counter()
            for sid, tc in per.items():
                if sid != speaker_id:
                    others.update(tc.counts)
            known = self._term_rows(sorted(set(mine.counts) | set(others)))
            background = {k: r["count"] for k, r in known.items()}
            result = distinctive(mine.counts, others, background, limit=limit, n_background=n_bg)
            return [
                TermStat(
                    d.key,
                    known[d.key]["label"] if d.key in known else mine.label(d.key),
                    d.count,
                    _sorted_forms(mine.forms[d.key]),
                    d.z,
                    d.other,
                )
                for d in result
            ]
        counts = self._speaker_counts(speaker_id)
        n_mine = sum(counts.values())
        # only terms used at least twice can be distinctive (``terms.distinctive``'s min_count)
        rows = self._terms_by_id([tid for tid, c in counts.items() if c >= 2]).values()
        mine = {r["key"]: counts[r["id"]] for r in rows}
        background = {r["key"]: r["count"] for r in rows}
        others = {k: background[k] - c for k, c in mine.items()}
        result = distinctive(
            mine, others, background, limit=limit, n_mine=n_mine, n_others=n_bg - n_mine, n_background=n_bg
        )
        labels = {r["key"]: (r["id"], r["label"]) for r in rows}
        forms = {k: tuple((f, None) for f, _c in v) for k, v in self._forms([labels[d.key][0] for d in result]).items()}
        return [
            TermStat(d.key, labels[d.key][1], d.count, forms.get(labels[d.key][0], ()), d.z, d.other) for d in result
        ]

    def term_passages(
        self,
        key: str,
        scope: Scope,
        forms: Iterable[str] = (),
        limit: int = 500,
    ) -> list[tuple[int, list[tuple[int, int]]]]:
        """Passages in scope where the term occurs, with its offsets, in document order."""
        if scope.document_id is not None:
            candidates = self.archive.passages(scope.document_id)
        else:
            words = sorted({index_form(w) for f in (*forms, key) for _s, _e, w in index_words(f)})
            if not words:
                return []
            match = " OR ".join(f'"{w}"' for w in words)
            ids = [
                r[0]
                for r in self.db.execute(
                    "SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? ORDER BY rowid LIMIT ?",
                    (match, limit * 4),
                )
            ]
            candidates = self.archive.passages_by_ids(ids)
        exclude_by_doc: dict[int, frozenset[str]] = {}
        out = []
        for p in candidates:
            if p.kind in NOT_DISCUSSION or (scope.speaker_id is not None and p.speaker_id != scope.speaker_id):
                continue
            if p.document_id not in exclude_by_doc:
                exclude_by_doc[p.document_id] = name_words(
                    n for s in self.archive.speakers(p.document_id) for n in (s.name, *s.aliases)
                )
            spans = term_spans(p.text, key, exclude_by_doc[p.document_id])
            if spans:
                out.append((p.id, spans))
                if len(out) >= limit:
                    break
        return out

    # -------------------------------------------------------------- figures

    def figures(self, scope: Scope, limit: int = 1000) -> tuple[list[FigureStat], int]:
        """Key figures in scope in document order (at most ``limit``) and how many there are."""
        where, params = [], []
        if scope.document_id is not None:
            where.append("f.document_id = ?")
            params.append(scope.document_id)
        if scope.speaker_id is not None:
            where.append("f.speaker_id = ?")
            params.append(scope.speaker_id)
        sql_where = (" WHERE " + " AND ".join(where)) if where else ""
        total = self.db.execute(f"SELECT COUNT(*) FROM figures f{sql_where}", tuple(params))[0][0]
        rows = self.db.execute(
            f"""SELECT f.*, p.text AS ptext, s.name AS sname FROM figures f JOIN passages p ON p.id = f.passage_id
                LEFT JOIN speakers s ON s.id = f.speaker_id{sql_where} ORDER BY f.id LIMIT ?""",
            (*params, limit),
        )
        out = []
        for r in rows:
            text = r["ptext"]
            f = Figure(
                r["start"],
                r["end"],
                r["value"],
                r["number"],
                r["number_max"],
                r["noun"],
                bool(r["approx"]),
                text[r["start"] : r["end"]],
                r["context_start"],
                r["context_end"],
            )
            out.append(
                FigureStat(
                    r["id"],
                    r["passage_id"],
                    r["document_id"],
                    r["speaker_id"],
                    r["sname"] or "",
                    r["value"],
                    r["number"],
                    r["number_max"],
                    r["noun"],
                    bool(r["approx"]),
                    f.text,
                    context(text, f),
                    r["start"],
                    r["end"],
                )
            )
        return out, total

    # -------------------------------------------------------------- timeline

    def timeline(self, scope: Scope, roles: list | None = None) -> Timeline:
        """Documents in scope by date: a document and the reports it lists, a speaker's documents,
        or all; in months (years when they span more than four years). Only the archive's scope
        reads every document; the others keep the order of ``Archive.documents()`` (which
        ``build_timeline`` keeps for undated documents)."""
        if scope.document_id is None and scope.speaker_id is None:
            return build_timeline(self.archive.documents())
        order = "ORDER BY d.has_text DESC, d.collection, d.position, d.id"
        if scope.document_id is not None:
            ids = [
                r[0]
                for r in self.db.execute(
                    f"""SELECT d.id FROM documents d WHERE d.id = ?
                    OR d.listed_in IN (SELECT id FROM passages WHERE document_id = ?) {order}""",
                    (scope.document_id, scope.document_id),
                )
            ]
        else:
            ids = [
                r[0]
                for r in self.db.execute(
                    f"""SELECT d.id FROM document_speakers ds JOIN documents d ON d.id = ds.document_id
                    WHERE ds.speaker_id = ? {order}""",
                    (scope.speaker_id,),
                )
            ]
        if scope.speaker_id is not None:
            roles = self.archive.event_roles(scope.speaker_id) if roles is None else roles
            mine = {d.id: d for d, _r in roles}
            docs = [mine[i] for i in ids if i in mine]
        else:
            docs = [d for d in (self.archive.document(i) for i in ids) if d is not None]
        return build_timeline(docs)

    # -------------------------------------------------------------- everything

    def report(
        self, scope: Scope, *, mentions: int = 100, terms: int = 50, figures: int = 1000, distinctive_speakers: int = 50
    ) -> StatsReport:
        """Everything at once. In a speaker's scope (no document), ``speakers`` holds the speaker's
        totals and ``speaker_documents`` their part in each document."""
        roles = self.archive.event_roles(scope.speaker_id) if scope.speaker_id is not None else None
        per_document: list[SpeakerStat] = []
        if scope.speaker_id is not None and scope.document_id is None:
            speakers = per_document = self._speaker_documents(scope.speaker_id, roles)
            total = self.speaker_total(scope.speaker_id)
            speakers = [total] if total else []
        else:
            speakers = self.speakers(scope)
        if scope.speaker_id is not None:
            who = [scope.speaker_id]
        else:
            who = [s.speaker_id for s in speakers][:distinctive_speakers]
        names = {s.speaker_id: s.name for s in speakers}
        dist = tuple((sid, names.get(sid, ""), tuple(self.distinctive_terms(scope, sid))) for sid in who)
        figs, total = self.figures(scope, figures)
        return StatsReport(
            scope=scope,
            speakers=tuple(speakers),
            mentions=tuple(self.mentions(scope, mentions)),
            terms=tuple(self.terms(scope, terms)),
            distinctive=dist,
            figures=tuple(figs),
            figures_total=total,
            timeline=self.timeline(scope, roles),
            speaker_documents=tuple(per_document),
            notes=tuple(self.notes()),
        )


def packed_term_counts(data: bytes | None) -> dict[int, int]:
    """A speaker's term counts (term id -> count) from ``speaker_terms.data`` of an archive whose statistics
    are of version 1: zlib-compressed n unsigned 32-bit little-endian integers, the ascending term ids as
    differences (the first the id itself), then the n counts. ValueError when it is not such a value."""
    if not data:
        return {}
    values = array("I" if array("I").itemsize == 4 else "L")
    try:
        raw = zlib.decompress(data) if isinstance(data, bytes) else None
    except zlib.error as e:
        raise ValueError(f"speaker_terms.data cannot be unpacked: {e}") from e
    if raw is None or len(raw) % (2 * values.itemsize):
        raise ValueError("speaker_terms.data has the wrong length or type")
    values.frombytes(raw)
    if sys.byteorder != "little":
        values.byteswap()
    n = len(values) // 2
    return dict(zip(accumulate(values[:n]), values[n:]))


def build_timeline(docs: Iterable[Document]) -> Timeline:
    dated = sorted((d for d in docs if d.date), key=lambda d: (d.date, d.id))
    undated = tuple(d for d in docs if not d.date)
    if not dated:
        return Timeline((), undated)
    first, last = dated[0].date, max((d.date_end or d.date) for d in dated)
    y0, m0 = _year_month(first)
    y1, m1 = _year_month(last)
    months = (y1 - y0) * 12 + (m1 - m0)
    precision = "month" if months <= 48 else "year"
    buckets: dict[str, list[Document]] = {}
    if precision == "month":
        y, m = y0, m0
        while (y, m) <= (y1, m1):
            buckets[f"{y:04d}-{m:02d}"] = []
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    else:
        for y in range(y0, y1 + 1):
            buckets[f"{y:04d}"] = []
    for d in dated:
        key = d.date[:7] if precision == "month" else d.date[:4]
        if precision == "month" and len(d.date) == 4:
            key = f"{d.date}-01"
        buckets.setdefault(key, []).append(d)
    return Timeline(
        tuple(TimelineBucket(k, format_range(k, None), tuple(v)) for k, v in sorted(buckets.items())),
        undated,
        precision,
    )


def _year_month(iso: str) -> tuple[int, int]:
    parts = iso.split("-")
    return int(parts[0]), int(parts[1]) if len(parts) > 1 else 1


def _passage_scope(scope: Scope) -> tuple[str, tuple]:
    where, params = [], []
    if scope.document_id is not None:
        where.append("p.document_id = ?")
        params.append(scope.document_id)
    if scope.speaker_id is not None:
        where.append("p.speaker_id = ?")
        params.append(scope.speaker_id)
    return (" AND ".join(where) or "1"), tuple(params)


def _percent(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


def _json_list(value: str | None) -> list:
    try:
        data = json.loads(value or "[]")
    except ValueError:
        return []
    return data if isinstance(data, list) else []


def _pairs(value: str | None) -> tuple[tuple[str, int], ...]:
    out = []
    for item in _json_list(value):
        if isinstance(item, list) and len(item) == 2 and isinstance(item[0], str) and isinstance(item[1], int):
            out.append((item[0], item[1]))
    return tuple(out)


def _mentioned_by(value: str | None, names: dict) -> tuple[tuple[int | None, str, int], ...]:
    out = []
    for item in _json_list(value):
        if (
            isinstance(item, list)
            and len(item) == 2
            and isinstance(item[1], int)
            and (item[0] is None or isinstance(item[0], int))
        ):
            out.append((item[0], names.get(item[0], ""), item[1]))
    return tuple(sorted(out, key=lambda t: (-t[2], t[1])))


def _sorted_forms(forms) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(forms.items(), key=lambda kv: (-kv[1], kv[0])))
