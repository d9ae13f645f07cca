"""Building the top-k lists (``viewer.core.topk`` reads them and ranks with them): for each FTS table, FTS5's
own BM25 top rows of every frequent word and two-word phrase, every index word with its row count (and, for
passages, its romanisation key), and the index's state when they were made. See ``viewer.core.topk`` for what
is stored and docs/archive-format.md for the tables.

Apart from the ranking so that a search (the command line, the search process) does not load what only a
build, an import or ``reindex`` runs.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from viewer.core.schema import OPTIONAL_TABLES, optional_table_sql
from viewer.core.tokens import FOLDED_WORD_RE, TOKENIZE, fold_text
from viewer.core.topk import (
    DEFAULT_K,
    DEFAULT_WEIGHTS,
    DEPTH,
    FORMAT,
    K1,
    MAX_PHRASES,
    MIN_SAMPLE,
    RANKED,
    SAMPLE_SHARE,
    TABLE_SUFFIXES,
    B,
    Phrase,
    Query,
    TopKError,
    _as_query,
    _columns,
    _pack,
    _quote,
    _Rows,
    _unpack,
    averages,
    idf,
    impact,
    keys_version,
)


@dataclass
class BuildResult:
    terms: int = 0  # lists, words and phrases
    phrases: int = 0
    entries: int = 0
    bytes: int = 0
    seconds: float = 0.0
    max_score_error: float = 0.0  # the formula against FTS5 on each list's first and last rows (0.0: exact)
    tables: dict[str, dict] = field(default_factory=dict)


def build_topk(
    conn: sqlite3.Connection,
    tables: Sequence[str] = tuple(RANKED),
    *,
    weights: Sequence[float] = DEFAULT_WEIGHTS,
    k: int = DEFAULT_K,
    min_df: int | None = None,
    phrases: int = MAX_PHRASES,
    threads: int = 2,
    log: Callable[[str], None] | None = None,
) -> BuildResult:
    """(Re)build the lists of ``tables`` (see the module docstring). ``min_df`` defaults to 1% of a table's
    rows, at least 1000. ``conn`` must be writable with everything committed and not locked exclusively:
    ``threads`` read-only connections compute the lists in parallel (SQLite releases the GIL)."""
    t0 = time.perf_counter()
    total = BuildResult()
    for table in tables:
        res = _build_table(conn, table, tuple(float(w) for w in weights), int(k), min_df, phrases, threads)
        total.tables[table] = {
            "lists": res.terms,
            "phrases": res.phrases,
            "entries": res.entries,
            "bytes": res.bytes,
            "seconds": round(res.seconds, 2),
        }
        total.terms += res.terms
        total.phrases += res.phrases
        total.entries += res.entries
        total.bytes += res.bytes
        total.max_score_error = max(total.max_score_error, res.max_score_error)
        if log:
            log(
                f"{table}_topk: {res.terms} lists ({res.phrases} phrases), {res.entries:,} entries, "
                f"{res.bytes / 1e6:.1f} MB, {res.seconds:.1f} s"
            )
    total.seconds = time.perf_counter() - t0
    return total


def drop_topk(conn: sqlite3.Connection, tables: Sequence[str] = tuple(RANKED)) -> None:
    for table in tables:
        for suffix in TABLE_SUFFIXES:
            if f"{table}{suffix}" in OPTIONAL_TABLES:
                conn.execute(f"DROP TABLE IF EXISTS [{table}{suffix}]")


def _database_path(conn: sqlite3.Connection) -> str:
    for _seq, name, file in conn.execute("PRAGMA database_list"):
        if name == "main" and file:
            return file
    raise TopKError("the lists are built on a database file")


def _vocabulary(conn: sqlite3.Connection, schema: str, fts: str) -> list[tuple[str, int]]:
    conn.execute(f"CREATE VIRTUAL TABLE temp.[topk_vocab] USING fts5vocab([{schema}], [{fts}], 'row')")
    try:
        return conn.execute("SELECT term, doc FROM temp.[topk_vocab]").fetchall()
    finally:
        conn.execute("DROP TABLE temp.[topk_vocab]")


def _build_table(
    conn: sqlite3.Connection,
    table: str,
    weights: tuple[float, ...],
    k: int,
    min_df: int | None,
    max_phrases: int,
    threads: int,
) -> BuildResult:
    t0 = time.perf_counter()
    where, order = RANKED[table]
    query = _as_query(conn)
    fts = f"{table}_fts"
    rows, tokens, record = averages(query, table)
    columns = _columns(query, table)
    if min_df is None:
        min_df = max(1000, rows // 100)
    min_df = max(1, int(min_df))
    max_rowid = query(f"SELECT COALESCE(MAX(id), 0) FROM [{fts}_docsize]", ())[0][0]
    vocab = _vocabulary(conn, "main", fts)
    df = dict(vocab)
    # rows the engine does not rank (quotes of another kind): their ids, and their own index for exact counts
    skipped: set[int] = set()
    skipped_df: dict[str, int] = {}
    if where:
        skipped = {r[0] for r in query(f"SELECT t.rowid FROM [{table}] t WHERE ({where}) IS NOT 1", ())}
        skipped_df = _skipped_index(conn, table, columns, where)
    keys = sorted((t for t, d in vocab if d >= min_df and d - skipped_df.get(t, 0) > 0), key=lambda t: (-df[t], t))
    pairs = [
        " ".join(p) for p in _frequent_pairs(query, table, columns, where, rows, max_rowid, min_df, df, max_phrases)
    ]
    if where:
        for key in pairs:
            skipped_df[key] = conn.execute(
                "SELECT count(*) FROM temp.[topk_skipped] WHERE [topk_skipped] MATCH ?", (_quote(key),)
            ).fetchone()[0]
        conn.execute("DROP TABLE temp.[topk_skipped]")
    keys += pairs
    w = ", ".join(repr(x) for x in weights)
    sql = (
        f"SELECT rowid, -bm25([{fts}], {w}) FROM [{fts}] WHERE [{fts}] MATCH ? "
        f"ORDER BY bm25([{fts}], {w}), rowid LIMIT ?"
    )
    count_sql = f"SELECT count(*) FROM [{fts}] WHERE [{fts}] MATCH ?"
    wide = max_rowid >= 2**31
    results: dict[str, tuple[int, int, bytes, bytes, int, int]] = {}  # df, matches, lists, first and last rowid

    def one(reader: sqlite3.Connection, key: str) -> None:
        expr = _quote(key)
        n = df[key] if key in df else reader.execute(count_sql, (expr,)).fetchone()[0]
        n_skipped = skipped_df.get(key, 0)
        depth = max(k, n // DEPTH)
        got = reader.execute(sql, (expr, depth + n_skipped)).fetchall()
        if skipped:
            got = [r for r in got if r[0] not in skipped]
        got = got[:depth]
        matches = n - n_skipped
        if not got or matches < (1 if " " not in key else min_df):
            return  # nothing the engine ranks, or a phrase less frequent than the sample said
        ids = array("q" if wide else "i", (r[0] for r in got))
        scores = array("d", (r[1] for r in got))
        results[key] = (n, matches, _pack(ids), _pack(scores), got[0][0], got[-1][0])

    _in_parallel(_database_path(conn), keys, one, threads)
    out = [(key, *results[key][:4]) for key in keys if key in results]
    # the formula used for random access reproduces FTS5's scores: each list's first and last rows
    access = _Rows(query, table, columns, weights)
    avgdl = float(sum(tokens)) / float(rows) if rows else 1.0
    error = 0.0
    for key, n, _m, _ids, scores_blob, first, last in ((key, *results[key]) for key in keys if key in results):
        scores = _unpack("d", scores_blob)
        value = idf(rows, n)
        phrase = Phrase(tuple(key.split(" ")))
        for rowid, score in ((first, scores[0]), (last, scores[-1])):
            found = access.freqs(rowid, [phrase])
            if found is None:
                raise TopKError(f"row {rowid} of {table} is not in its index")
            error = max(error, abs(impact(value, found[0][0], found[1], avgdl) - score))
        access = _Rows(query, table, columns, weights)
    if error > 0.0:
        raise TopKError(f"the BM25 formula or the tokenizer here does not reproduce FTS5 (error {error:g})")
    ties = "rowid" if not where or _ids_in_order(query, table, order) else ""
    drop_topk(conn, [table])
    for suffix in TABLE_SUFFIXES:
        if f"{table}{suffix}" in OPTIONAL_TABLES:
            conn.execute(optional_table_sql(f"{table}{suffix}"))
    conn.executemany(f"INSERT INTO [{table}_topk] VALUES (?, ?, ?, ?, ?)", out)
    conn.executemany(f"INSERT INTO [{table}_topk_terms] VALUES (?, ?)", sorted(vocab))
    extra = []
    if f"{table}_topk_keys" in OPTIONAL_TABLES:
        from viewer.core.text import romanisation_key

        conn.executemany(
            f"INSERT INTO [{table}_topk_keys] VALUES (?, ?)", ((t, romanisation_key(t)) for t, _n in sorted(vocab))
        )
        extra.append(("keys", keys_version()))
    conn.executemany(
        f"INSERT INTO [{table}_topk_info] VALUES (?, ?)",
        [
            ("format", FORMAT),
            ("weights", json.dumps(weights)),
            ("k", str(k)),
            ("min_df", str(min_df)),
            ("k1", repr(K1)),
            ("b", repr(B)),
            ("rows", str(rows)),
            ("tokens", json.dumps(tokens)),
            ("max_rowid", str(max_rowid)),
            ("averages", record.hex()),
            ("ids", "int64" if wide else "int32"),
            ("ties", ties),
            *extra,
        ],
    )
    conn.commit()
    entries = sum(len(o[4]) // 8 for o in out)
    size = sum(len(o[3]) + len(o[4]) for o in out)
    return BuildResult(len(out), sum(" " in o[0] for o in out), entries, size, time.perf_counter() - t0, error)


def _skipped_index(conn: sqlite3.Connection, table: str, columns: Sequence[str], where: str) -> dict[str, int]:
    """A temporary FTS5 index of the rows the engine does not rank, with the same tokenizer: how many of them
    hold each word (returned); phrases are counted with ``MATCH`` on ``temp.topk_skipped``."""
    cols = ", ".join(f"[{c}]" for c in columns)
    conn.execute("DROP TABLE IF EXISTS temp.[topk_skipped]")
    conn.execute(f"CREATE VIRTUAL TABLE temp.[topk_skipped] USING fts5({cols}, tokenize='{TOKENIZE}')")
    conn.execute(
        f"INSERT INTO temp.[topk_skipped] (rowid, {cols}) SELECT t.rowid, "
        f"{', '.join(f't.[{c}]' for c in columns)} FROM [{table}] t WHERE ({where}) IS NOT 1"
    )
    return dict(_vocabulary(conn, "temp", "topk_skipped"))


def _ids_in_order(query: Query, table: str, order: Sequence[str]) -> bool:
    """Whether rowid order is the engine's tie order (quotes: ids follow passage and offset)."""
    cols = [c for c in order if c != "id"]
    lags = ", ".join(f"[{c}], lag([{c}]) OVER (ORDER BY rowid) AS [prev_{c}]" for c in cols)
    now = ", ".join(f"[{c}]" for c in cols)
    prev = ", ".join(f"[prev_{c}]" for c in cols)
    rows = query(
        f"SELECT count(*) FROM (SELECT {lags} FROM [{table}]) WHERE [prev_{cols[0]}] IS NOT NULL "
        f"AND ({now}) < ({prev})",
        (),
    )
    return rows[0][0] == 0


def _in_parallel(path: str, keys: list[str], work: Callable[[sqlite3.Connection, str], None], threads: int) -> None:
    lock = threading.Lock()
    queue = list(reversed(keys))
    errors: list[BaseException] = []

    def run() -> None:
        try:
            reader = sqlite3.connect(f"{Path(path).as_uri()}?mode=ro", uri=True, check_same_thread=False)
            try:
                while True:
                    with lock:
                        if not queue or errors:
                            return
                        key = queue.pop()
                    work(reader, key)
            finally:
                reader.close()
        except BaseException as e:  # noqa: BLE001 - handed to the calling thread
            errors.append(e)

    workers = [threading.Thread(target=run, daemon=True) for _ in range(max(1, threads))]
    for th in workers:
        th.start()
    for th in workers:
        th.join()
    if errors:
        raise TopKError(f"building the lists failed: {errors[0]}") from errors[0]


def _frequent_pairs(
    query: Query,
    table: str,
    columns: Sequence[str],
    where: str,
    rows: int,
    max_rowid: int,
    min_df: int,
    df: dict[str, int],
    limit: int,
) -> list[tuple[str, str]]:
    """Two-word phrases estimated (from a sample of the rows) to be in at least ``min_df`` rows."""
    if limit <= 0 or rows < min_df:
        return []
    step = max(1, min(SAMPLE_SHARE, max_rowid // MIN_SAMPLE))
    cols = ", ".join(f"t.[{c}]" for c in columns)
    wanted = list(range(1, max_rowid + 1, step))
    sample = []
    for start in range(0, len(wanted), 500):
        part = wanted[start : start + 500]
        sample += query(
            f"SELECT {cols} FROM [{table}] t WHERE t.rowid IN ({','.join('?' * len(part))})"
            + (f" AND {where}" if where else ""),
            part,
        )
    if not sample:
        return []
    counts: Counter = Counter()
    for texts in sample:
        seen = set()
        for text in texts:
            if isinstance(text, str) and text:
                words = FOLDED_WORD_RE.findall(fold_text(text))
                seen.update(zip(words, words[1:]))
        counts.update(seen)
    scale = rows / len(sample)
    found = [
        (n * scale, pair)
        for pair, n in counts.items()
        if n * scale >= 0.8 * min_df
        and pair[0] != pair[1]
        and df.get(pair[0], 0) >= min_df
        and df.get(pair[1], 0) >= min_df
    ]
    found.sort(key=lambda e: (-e[0], e[1]))
    return [pair for _n, pair in found[:limit]]
