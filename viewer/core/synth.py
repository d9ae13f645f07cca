"""Synthetic archives for benchmarks: any number of passages, in the real format, from a seed.

``synthesize(out, passages=1_000_000, seed=1)`` writes an archive (format v1, the tables and FTS
indexes of ``viewer.core.schema``) that looks like every debate of a parliament, statistically:

* about 25 passages per document, dates spread over 20 years, a few related reports without text;
* thousands of speakers whose activity follows a Zipf law (a few speak everywhere, most once or twice),
  a third of them with Kazakh or Russian names that English reports transliterate;
* words drawn from a Zipf vocabulary: the words of the bundled sources, ranked by how often they occur
  there (read at run time; no third-party text is copied), their frequent word pairs (so phrases such
  as "human rights" occur), then a long tail of generated words and names;
* about 10% of passages in Cyrillic (Russian and Kazakh letters, words made from syllables), naming the
  same people in Cyrillic so that Latin and Cyrillic searches meet;
* a quoted span in about a third of the passages, with exact offsets; entity mentions in a sample;
* the precomputed statistics tables, counted by ``viewer.core.stats_rebuild.StatsRebuild``'s worker
  processes while the full-text indexes are built (``stats=False``,
  ``--no-stats``, leaves them empty), and the search's top-k lists, by ``viewer.core.topk.build_topk``
  (``topk=False``, ``--no-topk``, leaves them out).

The same seed gives the same archive, row for row in every table, however many worker processes
generate it: documents are generated in batches, each from its own random stream (seed, batch), in
worker processes where ``fork`` is available, and written in order by the main process through
``build.ArchiveWriter``'s bulk API (``bulk``, ``insert_rows``: large transactions, journaling off, the indexes made
after the rows), as ``build`` and the importer write through its per-document API. The full-text
indexes are built once at the end with ``schema.enable_fts``. A million passages take about 80 s on two
cores, and about a minute more for the statistics (bench/RESULTS.md).

The vocabulary and the people are made in ``viewer.core.synth_vocabulary``, the plan of the documents and
their rows in ``viewer.core.synth_documents``; this module writes them.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import viewer
from viewer.core import derived, schema
from viewer.core.build import ArchiveWriter, create_archive
from viewer.core.errors import SynthError
from viewer.core.names import name_key
from viewer.core.records import QUOTE
from viewer.core.stats_rebuild import StatsRebuild
from viewer.core.synth_documents import Batch, Context, DocPlan, generate, make_plan
from viewer.core.text import fold
from viewer.core.topk import build_topk

DEFAULT_SEED = 1
CHUNK_DOCUMENTS = 400  # documents generated (and written) per batch; also the unit of the random streams

DEFAULT_SOURCES = Path(__file__).resolve().parents[2] / "resources" / "sources"


@dataclass
class SynthResult:
    path: Path
    documents: int = 0
    listed: int = 0
    passages: int = 0
    speakers: int = 0
    quotes: int = 0
    entities: int = 0
    mentions: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def passages_per_second(self) -> float:
        return self.passages / self.seconds if self.seconds else 0.0


def batches(plans: list[DocPlan], size: int | None = None) -> list[list[DocPlan]]:
    size = size or CHUNK_DOCUMENTS
    return [plans[i : i + size] for i in range(0, len(plans), size)]


def synthesize(
    out: str | os.PathLike,
    passages: int,
    seed: int = DEFAULT_SEED,
    sources: Path = DEFAULT_SOURCES,
    log: Callable[[str], None] = print,
    workers: int | None = None,
    stats: bool = True,
    topk: bool = True,
) -> SynthResult:
    """Write a synthetic archive of ``passages`` passages to ``out`` (atomic: replaced when complete).

    The precomputed statistics (figures, terms, entity groups: ``viewer.core.stats``) are written by
    ``rebuild_stats`` in ``workers`` processes (about a minute for a million passages on two cores,
    bench/RESULTS.md); ``stats=False`` leaves those tables empty. The search's top-k lists
    (``viewer.core.topk``) are written unless ``topk=False``."""
    if passages < 1:
        raise SynthError("the number of passages must be at least 1")
    out = Path(out)
    tmp = out.with_name(f".{out.name}.building")
    tmp.unlink(missing_ok=True)
    result = SynthResult(out)
    t0 = time.perf_counter()
    rebuild = None  # the statistics' worker processes while they count
    try:
        ctx, plans = make_plan(seed, passages, Path(sources))
        result.timings["plan"] = time.perf_counter() - t0
        db = create_archive(tmp)
        conn = db.conn
        writer = ArchiveWriter(db)
        t = time.perf_counter()
        with writer.bulk():
            totals = _write_batches(writer, ctx, plans, result, log, workers)
            _write_people(writer, ctx, totals, result)
            result.timings["rows"] = time.perf_counter() - t
            t = time.perf_counter()
        result.timings["indexes"] = time.perf_counter() - t
        if stats:
            conn.commit()
            # the statistics workers read the file themselves while the full-text indexes are built
            # here: release the exclusive lock, and wait for their reads to end before each commit
            conn.execute("PRAGMA locking_mode = NORMAL")
            conn.execute("SELECT COUNT(*) FROM meta").fetchone()
            conn.execute("PRAGMA busy_timeout = 600000")
            rebuild = StatsRebuild(conn, workers=workers)
        t = time.perf_counter()
        writer.set_meta(
            {
                "format_version": str(schema.FORMAT_VERSION),
                "title": f"Synthetic archive: {passages:,} passages (seed {seed})",
                "generator": f"archive-viewer {viewer.__version__} synth",
                "sources_sha256": hashlib.sha256("".join(totals["hashes"]).encode()).hexdigest(),
                "synth": json.dumps({"passages": passages, "seed": seed}),
            }
        )
        if not stats:
            derived.mark_statistics(conn, False)  # left empty: reindex makes them
        conn.commit()
        schema.enable_fts(db)
        conn.commit()
        result.timings["fts"] = time.perf_counter() - t
        if rebuild is not None:
            t = time.perf_counter()
            rebuild.finish(conn, log=log)
            rebuild = None
            conn.commit()
            result.timings["stats"] = time.perf_counter() - t  # what was left once the indexes were built
        t = time.perf_counter()
        conn.execute("PRAGMA analysis_limit = 1000")
        conn.execute("ANALYZE")
        conn.commit()
        conn.execute("PRAGMA locking_mode = NORMAL")
        conn.execute("PRAGMA journal_mode = DELETE")
        result.timings["analyze"] = time.perf_counter() - t
        if topk:
            t = time.perf_counter()
            conn.execute("PRAGMA shrink_memory")  # the index build's page cache is no longer needed
            build_topk(conn, log=log)
            result.timings["topk"] = time.perf_counter() - t
        conn.close()
        os.replace(tmp, out)
    except BaseException:
        if rebuild is not None:
            rebuild.abort()
        tmp.unlink(missing_ok=True)
        raise
    result.seconds = time.perf_counter() - t0
    return result


def _write_batches(
    writer: ArchiveWriter, ctx: Context, plans: list[DocPlan], result: SynthResult, log, workers
) -> dict:
    conn = writer.conn
    qid = mid = 1
    speakers: dict[int, list[int]] = {}
    entity_mentions: Counter = Counter()
    hashes: list[str] = []
    groups = batches(plans)
    for i, batch in enumerate(_batches(ctx, groups, workers)):
        writer.insert_rows("documents", batch.documents)
        writer.insert_rows("passages", batch.passages)
        writer.insert_rows("quotes", [(qid + j, *q) for j, q in enumerate(batch.quotes)])
        writer.insert_rows("mentions", [(mid + j, *m) for j, m in enumerate(batch.mentions)])
        writer.insert_rows("document_speakers", batch.document_speakers)
        qid += len(batch.quotes)
        mid += len(batch.mentions)
        for row in batch.document_speakers:
            s = speakers.setdefault(row[1], [0, 0, 0])
            s[0] += row[5]
            s[1] += row[6]
            s[2] += row[7]
        entity_mentions.update(batch.entity_mentions)
        hashes.extend(d[13] for d in batch.documents if d[13])
        result.documents += len(batch.documents)
        result.listed += sum(1 for d in batch.documents if not d[12])
        result.passages += len(batch.passages)
        result.quotes += sum(1 for q in batch.quotes if q[6] == QUOTE)
        result.mentions += len(batch.mentions)
        if (i + 1) % 25 == 0:
            conn.commit()
            log(f"{result.passages:,} passages written")
    conn.commit()
    return {"speakers": speakers, "entities": entity_mentions, "hashes": hashes}


def _batches(ctx: Context, groups: list[list[DocPlan]], workers: int | None) -> Iterator[Batch]:
    """Batches in order; generated in ``workers`` processes (default: one per CPU) when fork is available."""
    workers = (os.cpu_count() or 1) if workers is None else workers
    if workers < 1 or len(groups) < 4 or "fork" not in multiprocessing.get_all_start_methods():
        for i, g in enumerate(groups):
            yield generate(ctx, g, i)
        return
    with multiprocessing.get_context("fork").Pool(workers, initializer=_init_worker, initargs=(ctx,)) as pool:
        yield from pool.imap(_generate_in_worker, enumerate(groups), chunksize=1)


_worker_ctx: Context | None = None


def _init_worker(ctx: Context) -> None:
    global _worker_ctx
    _worker_ctx = ctx


def _generate_in_worker(job: tuple[int, list[DocPlan]]) -> Batch:
    return generate(_worker_ctx, job[1], job[0])


def _write_people(writer: ArchiveWriter, ctx: Context, totals: dict, result: SynthResult) -> None:
    rows = []
    for sid, (p, extra) in enumerate(zip(ctx.speakers, ctx.speaker_extra), start=1):
        n = totals["speakers"].get(sid, [0, 0, 0])
        affiliation = ", ".join(filter(None, [extra["role"], extra["organisation"]])) or None
        aliases = json.dumps([p.cyrillic] if p.cyrillic else [], ensure_ascii=False)
        description = f"{extra['role']} ({extra['country']})" if extra["country"] else extra["role"]
        rows.append(
            (
                sid,
                p.name,
                name_key(p.name),
                extra["honorific"],
                extra["role"],
                extra["organisation"],
                extra["country"],
                affiliation,
                description,
                aliases,
                n[0],
                n[1],
                n[2],
            )
        )
    writer.insert_rows("speakers", rows)
    ents = []
    for eid, (name, kind, cyr, sid) in enumerate(ctx.entities, start=1):
        key = name_key(name) if kind == "person" else fold(name)
        aliases = json.dumps([cyr] if cyr else [], ensure_ascii=False)
        ents.append((eid, name, key, kind, aliases, sid, totals["entities"].get(eid, 0)))
    writer.insert_rows("entities", ents)
    result.speakers, result.entities = len(rows), len(ents)
