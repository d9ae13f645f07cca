#!/usr/bin/env python3
"""Top-k lists against FTS5's own BM25 ranking, on many queries of an archive that has the lists.

    python bench/topk_check.py --archive bench/synth-1m-topk.db [--words 100] [--pairs 100] [--seed 1]

For a sample of words with lists (spread over the document-frequency range), random AND pairs of them and
random AND pairs of the most frequent ones (where FTS5's ranking is slowest),
compares ``viewer.core.topk.TopK.ranked`` with ``ORDER BY bm25(passages_fts, weights), rowid LIMIT 50``:
the same rows in the same order with the same scores, or ``None`` (the caller then ranks the usual way).
Prints a summary and, last, one JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from viewer.core.topk import TopK  # noqa: E402


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))], 2)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--archive", type=Path, required=True)
    p.add_argument("--words", type=int, default=100)
    p.add_argument("--pairs", type=int, default=100, help="random pairs of words with lists")
    p.add_argument("--frequent-pairs", type=int, default=50, help="random pairs of the 60 most frequent words")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    conn = sqlite3.connect(f"file:{args.archive.resolve()}?mode=ro", uri=True)
    lists = TopK(conn)
    if not lists.available:
        p.error("the archive has no current top-k lists (bench/run.py --topk adds them)")
    w = ", ".join(repr(x) for x in lists.weights)
    sql = (f"SELECT rowid, bm25(passages_fts, {w}) FROM passages_fts WHERE passages_fts MATCH ? "
           f"ORDER BY bm25(passages_fts, {w}), rowid LIMIT 50")
    words = [r[0] for r in conn.execute("SELECT term FROM passages_topk ORDER BY df DESC, term")]
    rng = random.Random(args.seed)
    step = max(1, len(words) // max(1, args.words))
    queries = [[t] for t in words[::step][: args.words]] + [rng.sample(words, 2) for _ in range(args.pairs)]
    frequent = [rng.sample(words[:60], 2) for _ in range(args.frequent_pairs)]
    queries += frequent
    rows = []
    for terms in queries:
        match = " ".join('"' + t.replace('"', '""') + '"' for t in terms)
        t = time.perf_counter()
        want = conn.execute(sql, (match,)).fetchall()
        naive = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        got = lists.ranked(terms)
        fast = (time.perf_counter() - t) * 1000
        rows.append({"terms": terms, "naive_ms": naive, "topk_ms": fast, "answered": got is not None,
                     "equal": None if got is None else [tuple(x) for x in got] == [tuple(x) for x in want],
                     "random_accesses": lists.random_accesses})
    summary = {}
    groups = {"words": rows[: len(rows) - args.pairs - len(frequent)],
              "pairs": rows[len(rows) - args.pairs - len(frequent): len(rows) - len(frequent)],
              "frequent_pairs": rows[len(rows) - len(frequent):]}
    for kind, group in groups.items():
        answered = [r for r in group if r["answered"]]
        summary[kind] = {
            "queries": len(group), "answered": len(answered),
            "equal": sum(1 for r in answered if r["equal"]),
            "topk_ms_p50": pct([r["topk_ms"] for r in answered], 50),
            "topk_ms_p95": pct([r["topk_ms"] for r in answered], 95),
            "naive_ms_p50_answered": pct([r["naive_ms"] for r in answered], 50),
            "naive_ms_p95_answered": pct([r["naive_ms"] for r in answered], 95),
            "declined_topk_ms_p95": pct([r["topk_ms"] for r in group if not r["answered"]], 95),
            "declined_naive_ms_p50": pct([r["naive_ms"] for r in group if not r["answered"]], 50),
            "random_accesses_p50": pct([r["random_accesses"] for r in answered], 50),
        }
        s = summary[kind]
        print(f"{kind}: {s['answered']}/{s['queries']} answered by the lists, {s['equal']} of them equal to FTS5's "
              f"top 50; top-k p50 {s['topk_ms_p50']} ms / p95 {s['topk_ms_p95']} ms vs naive p50 "
              f"{s['naive_ms_p50_answered']} ms / p95 {s['naive_ms_p95_answered']} ms on the same queries; declined: "
              f"cost of trying p95 {s['declined_topk_ms_p95']} ms, their naive p50 {s['declined_naive_ms_p50']} ms")
    bad = [r["terms"] for r in rows if r["equal"] is False]
    if bad:
        print(f"NOT EQUAL: {bad}")
    print(json.dumps({"archive": str(args.archive), "lists": {"k": lists.k, "weights": list(lists.weights),
                                                               "words": len(words)},
                      "summary": summary, "not_equal": bad}))
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
