#!/usr/bin/env python3
"""Top-k lists against FTS5's own BM25 ranking, on many queries of an archive that has the lists.

    python bench/topk_check.py --archive bench/synth-1m.db [--words 100] [--pairs 100] [--seed 1]

For a sample of words with lists (spread over the document-frequency range), the listed two-word phrases,
random AND pairs and OR pairs of listed words, random AND pairs of the most frequent ones (where FTS5's ranking
is slowest) and one-word NOTs, compares ``viewer.core.topk.TopK.rank`` (passages) with
``ORDER BY bm25(passages_fts, weights), rowid LIMIT 50``: the same rows in the same order with the same scores,
or ``None`` (the search engine then ranks with FTS5). Prints a summary and, last, one JSON line.
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

from viewer.core.topk import Phrase, TopK  # noqa: E402


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))], 2)


def expression(groups, exclude) -> str:
    expr = " AND ".join("(" + " OR ".join(p.fts() for p in g) + ")" for g in groups)
    return f"({expr}) NOT ({' OR '.join(p.fts() for p in exclude)})" if exclude else expr


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--archive", type=Path, required=True)
    p.add_argument("--words", type=int, default=100)
    p.add_argument("--pairs", type=int, default=100, help="random AND pairs of words with lists")
    p.add_argument("--frequent-pairs", type=int, default=50, help="random AND pairs of the 60 most frequent words")
    p.add_argument("--ors", type=int, default=30, help="random OR pairs of words with lists")
    p.add_argument("--nots", type=int, default=30, help="a word without another")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    conn = sqlite3.connect(f"{args.archive.resolve().as_uri()}?mode=ro", uri=True)
    lists = TopK(conn)
    if not lists.available:
        p.error(f"the archive has no usable top-k lists: {lists.reason}")
    w = ", ".join(repr(x) for x in lists.weights)
    sql = (
        f"SELECT rowid, bm25(passages_fts, {w}) FROM passages_fts WHERE passages_fts MATCH ? "
        f"ORDER BY bm25(passages_fts, {w}), rowid LIMIT 50"
    )
    keys = [r[0] for r in conn.execute("SELECT term FROM passages_topk ORDER BY df DESC, term")]
    words = [k for k in keys if " " not in k]
    phrases = [k for k in keys if " " in k]
    rng = random.Random(args.seed)
    step = max(1, len(words) // max(1, args.words))

    def one(*ws):
        return [[Phrase(tuple(x.split(" ")))] for x in ws]

    groups: dict[str, list] = {
        "words": [(one(x), []) for x in words[::step][: args.words]],
        "phrases": [(one(x), []) for x in phrases],
        "pairs": [(one(*rng.sample(words, 2)), []) for _ in range(args.pairs)],
        "frequent_pairs": [(one(*rng.sample(words[:60], 2)), []) for _ in range(args.frequent_pairs)],
        "ors": [([[Phrase((a,)), Phrase((b,))]], []) for a, b in (rng.sample(words, 2) for _ in range(args.ors))],
        "nots": [(one(a), [Phrase((b,))]) for a, b in (rng.sample(words[:100], 2) for _ in range(args.nots))],
    }
    summary, bad = {}, []
    for kind, qs in groups.items():
        rows = []
        for g, ex in qs:
            t = time.perf_counter()
            want = conn.execute(sql, (expression(g, ex),)).fetchall()
            naive = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            got = lists.rank(g, 50, exclude=ex)
            fast = (time.perf_counter() - t) * 1000
            equal = None if got is None else [(r[0], r[1]) for r in got] == [tuple(x) for x in want]
            if equal is False:
                bad.append(expression(g, ex))
            rows.append(
                {
                    "naive_ms": naive,
                    "topk_ms": fast,
                    "answered": got is not None,
                    "equal": equal,
                    "random_accesses": lists.random_accesses,
                }
            )
        answered = [r for r in rows if r["answered"]]
        declined = [r for r in rows if not r["answered"]]
        s = summary[kind] = {
            "queries": len(rows),
            "answered": len(answered),
            "equal": sum(1 for r in answered if r["equal"]),
            "topk_ms_p50": pct([r["topk_ms"] for r in answered], 50),
            "topk_ms_p95": pct([r["topk_ms"] for r in answered], 95),
            "naive_ms_p50_answered": pct([r["naive_ms"] for r in answered], 50),
            "naive_ms_p95_answered": pct([r["naive_ms"] for r in answered], 95),
            "declined_topk_ms_p95": pct([r["topk_ms"] for r in declined], 95),
            "declined_naive_ms_p50": pct([r["naive_ms"] for r in declined], 50),
            "random_accesses_p50": pct([r["random_accesses"] for r in answered], 50),
        }
        print(
            f"{kind}: {s['answered']}/{s['queries']} answered by the lists, {s['equal']} of them equal to FTS5's "
            f"top 50; top-k p50 {s['topk_ms_p50']} ms / p95 {s['topk_ms_p95']} ms vs naive p50 "
            f"{s['naive_ms_p50_answered']} ms / p95 {s['naive_ms_p95_answered']} ms on the same queries; declined: "
            f"cost of trying p95 {s['declined_topk_ms_p95']} ms, their naive p50 {s['declined_naive_ms_p50']} ms"
        )
    if bad:
        print(f"NOT EQUAL: {bad}")
    print(
        json.dumps(
            {
                "archive": str(args.archive),
                "lists": {"k": lists.k, "weights": list(lists.weights), "words": len(words), "phrases": len(phrases)},
                "summary": summary,
                "not_equal": bad,
            }
        )
    )
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
