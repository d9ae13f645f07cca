"""Precomputed impact-ordered top-k lists: a BM25 top 50 for frequent words without scoring every match.

Why: FTS5 ranks ``MATCH ? ORDER BY bm25(...) LIMIT 50`` by scoring every matching row (reading its
positions and its length). For a word in 40% of a million passages that is ~0.6 s, while the unranked
first 50 rows take under a millisecond.

What is stored (``build_topk``, run once after the index is built, e.g. at build or import time):
for every word (index token) in at least ``min_df`` rows, the ``k`` rows with the highest *impact* of
that word, best first, as the BM25 score FTS5 itself gives the one-word query
(``-bm25(<table>_fts, weights...)``). Two tables beside the FTS index (the format allows extra tables):

* ``<table>_topk(term TEXT PRIMARY KEY, df INTEGER, ids BLOB, scores BLOB)``: ``ids`` int64 and
  ``scores`` float64 arrays, little-endian;
* ``<table>_topk_info(key, value)``: the weights, k, min_df, and the FTS index's averages record (row
  count and token totals, which BM25 depends on). A list is used only while that record is unchanged:
  any write to the index changes it, and ``TopK`` then answers ``None`` (rebuild the lists after an import).

How a query is answered (``TopK.ranked``), exactly as FTS5 would rank it:

* one word: its list, cut to ``limit``. FTS5's BM25 for a one-word query is that word's impact.
* words that must all match (AND): BM25 is the sum of each word's impact, so the threshold algorithm
  applies. Rows in every list have an exact score. A row in some lists only has an upper bound (its known
  impacts plus the last impact of each list it is missing from); those are resolved best bound first, by
  random access (the missing word counted in the row's text, read in batches, with a tokenizer checked
  against FTS5's character by character, or FTS5's ``highlight()`` for text outside what it covers; the
  row's length from ``<table>_fts_docsize``), until no bound can beat the current 50th score. Rows in no
  list score at most the sum of the lists' last impacts: if that could beat the 50th score, the answer is
  ``None`` and the caller ranks the usual way. A complete list (a word in fewer than ``k`` rows) rules out
  every row not in it. AND queries expected to match few rows, or needing too many random accesses, are
  declined too: FTS5 ranks those fast enough.
* anything else (phrases, prefixes, OR, NOT, a word without a list): ``None``.

Use: ``TopK(conn)`` once per connection (it caches the lists it reads), then
``ranked(words, limit=50, weights=...)`` with the query's index words; ``None`` means "rank as usual".
On a million passages (bench/RESULTS.md): 0.05 ms instead of ~400 ms for a frequent word; 13 ms instead of
71 ms for ``political prisoners``; building the lists takes ~40 s and ~50 MB.

Scores are FTS5's own numbers (negative, lower is better, like ``rank``); the random-access ones are
computed here with FTS5's formula (k1 = 1.2, b = 0.75, the same IDF and average length) in the same
order of operations, and the build checks that the formula reproduces FTS5's scores. Ties are ordered
by rowid.
"""

from __future__ import annotations

import functools
import heapq
import json
import math
import re
import sqlite3
import sys
import threading
import time
import unicodedata
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass

K1 = 1.2
B = 0.75
DEFAULT_K = 5000
DEFAULT_WEIGHTS = (1.0, 2.0)
# FTS5 ranks ~1 matching row a µs; a random access here costs ~30 µs, and preparing an AND query ~10 ms.
# So an AND query is tried only when it should match many rows (estimated as if the words were independent),
# and gives up (the caller then ranks the usual way) past 1 random access per 25 expected matches.
MIN_AND_MATCHES = 20_000
MATCHES_PER_RANDOM = 25
MIN_RANDOM, MAX_RANDOM = 200, 3000
PREFETCH = 64  # rows read per query when resolving bounds
MARK_OPEN = "\x01"  # the marker highlight() puts before each instance of the word


class TopKError(Exception):
    """The lists cannot be built for this index."""


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def read_varint(data: bytes, pos: int) -> tuple[int, int]:
    """SQLite's varint (big-endian, 7 bits a byte, the 9th byte whole) at ``pos`` -> (value, next pos)."""
    value = 0
    for i in range(8):
        byte = data[pos + i]
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, pos + i + 1
    return (value << 8) | data[pos + 8], pos + 9


def varints(data: bytes) -> list[int]:
    out, pos = [], 0
    while pos < len(data):
        v, pos = read_varint(data, pos)
        out.append(v)
    return out


def averages(conn: sqlite3.Connection, table: str) -> tuple[int, list[int], bytes]:
    """The FTS5 averages record of ``<table>_fts``: (rows, tokens per column, the raw record)."""
    row = conn.execute(f"SELECT block FROM [{table}_fts_data] WHERE id = 1").fetchone()
    if row is None:
        raise TopKError(f"{table}_fts has no averages record")
    values = varints(row[0])
    return values[0], values[1:], bytes(row[0])


def idf(rows: int, df: int) -> float:
    """FTS5's IDF for a phrase matching ``df`` of ``rows`` rows."""
    value = math.log((rows - df + 0.5) / (df + 0.5))
    return value if value > 0.0 else 1e-6


def impact(idf_value: float, freq: float, length: float, avgdl: float) -> float:
    """One phrase's share of FTS5's BM25 (positive; FTS5 returns minus the sum), same operation order."""
    return idf_value * ((freq * (K1 + 1.0)) / (freq + K1 * (1 - B + B * length / avgdl)))


def _pack(values: array) -> bytes:
    if sys.byteorder != "little":
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def _unpack(typecode: str, data: bytes) -> array:
    values = array(typecode)
    values.frombytes(data)
    if sys.byteorder != "little":
        values.byteswap()
    return values


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    """The indexed columns of ``<table>_fts``, in order."""
    return [r[1] for r in conn.execute(f"PRAGMA table_info([{table}_fts])")]


def _database_path(conn: sqlite3.Connection) -> str:
    for _seq, name, file in conn.execute("PRAGMA database_list"):
        if name == "main":
            return file
    raise TopKError("no main database")


@dataclass
class BuildResult:
    terms: int
    entries: int
    bytes: int
    seconds: float
    max_score_error: float


def build_topk(conn: sqlite3.Connection, table: str = "passages", *, weights: Sequence[float] = DEFAULT_WEIGHTS,
               k: int = DEFAULT_K, min_df: int | None = None, threads: int = 2,
               log: Callable[[str], None] | None = None) -> BuildResult:
    """(Re)build ``<table>_topk`` for the words of ``<table>_fts`` in at least ``min_df`` rows (default:
    1% of the rows, at least 1000). ``conn`` must be writable and committed; ``threads`` read-only
    connections compute the lists in parallel (SQLite releases the GIL while it works)."""
    t0 = time.perf_counter()
    rows, tokens, record = averages(conn, table)
    if min_df is None:
        min_df = max(1000, rows // 100)
    weights = tuple(float(w) for w in weights)
    fts = f"{table}_fts"
    conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.[{table}_topk_vocab] USING fts5vocab(main, [{fts}], 'row')")
    terms = conn.execute(f"SELECT term, doc FROM temp.[{table}_topk_vocab] WHERE doc >= ? ORDER BY doc DESC, term",
                         (min_df,)).fetchall()
    conn.execute(f"DROP TABLE temp.[{table}_topk_vocab]")
    w = ", ".join(repr(x) for x in weights)
    sql = (f"SELECT rowid, -bm25([{fts}], {w}) FROM [{fts}] WHERE [{fts}] MATCH ? "
           f"ORDER BY bm25([{fts}], {w}), rowid LIMIT {int(k)}")
    path = _database_path(conn)
    results: dict[str, list[tuple[int, float]]] = {}
    lock = threading.Lock()
    queue = list(range(len(terms)))
    errors: list[BaseException] = []

    def work() -> None:
        try:
            reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            try:
                while True:
                    with lock:
                        if not queue or errors:
                            return
                        i = queue.pop(0)
                    term = terms[i][0]
                    got = reader.execute(sql, (_quote(term),)).fetchall()
                    with lock:
                        results[term] = got
            finally:
                reader.close()
        except BaseException as e:  # noqa: BLE001 - handed to the calling thread
            errors.append(e)

    workers = [threading.Thread(target=work, daemon=True) for _ in range(max(1, threads))]
    for th in workers:
        th.start()
    for th in workers:
        th.join()
    if errors:
        raise TopKError(f"building the lists failed: {errors[0]}") from errors[0]
    avgdl = float(sum(tokens)) / float(rows)
    checker = _RandomAccess(conn, table, weights, _columns(conn, table))
    max_error = 0.0
    total_bytes = entries = 0
    out = []
    for term, df in terms:
        got = results[term]
        ids = array("q", (r[0] for r in got))
        scores = array("d", (r[1] for r in got))
        # the formula used for random access must reproduce FTS5's own score (first and last entries)
        for j in {0, len(got) // 2, len(got) - 1}:
            freq = checker.fts_freq(ids[j], term)
            mine = impact(idf(rows, df), freq, checker.length(ids[j]), avgdl)
            max_error = max(max_error, abs(mine - scores[j]), abs(checker.lookup(ids[j], term)[0] - freq))
        out.append((term, df, _pack(ids), _pack(scores)))
        entries += len(got)
        total_bytes += len(out[-1][2]) + len(out[-1][3])
    if max_error > 1e-9:
        raise TopKError(f"the BM25 formula or the tokenizer here does not reproduce FTS5 (error {max_error:g})")
    conn.execute(f"DROP TABLE IF EXISTS [{table}_topk]")
    conn.execute(f"DROP TABLE IF EXISTS [{table}_topk_info]")
    conn.execute(f"CREATE TABLE [{table}_topk] (term TEXT PRIMARY KEY, df INTEGER NOT NULL, ids BLOB NOT NULL, "
                 f"scores BLOB NOT NULL) WITHOUT ROWID")
    conn.execute(f"CREATE TABLE [{table}_topk_info] (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.executemany(f"INSERT INTO [{table}_topk] VALUES (?, ?, ?, ?)", out)
    conn.executemany(f"INSERT INTO [{table}_topk_info] VALUES (?, ?)", [
        ("weights", json.dumps(weights)), ("k", str(int(k))), ("min_df", str(min_df)),
        ("averages", record.hex()), ("k1", repr(K1)), ("b", repr(B)),
    ])
    conn.commit()
    if log:
        log(f"{table}_topk: {len(out)} words, {entries:,} entries, {total_bytes / 1e6:.1f} MB")
    return BuildResult(len(out), entries, total_bytes, time.perf_counter() - t0, max_error)


# Text the Python tokenizer below splits and folds exactly like FTS5's "unicode61 remove_diacritics 2"
# (checked code point by code point in tests/core/test_topk.py): Latin and Cyrillic letters, digits,
# punctuation. Anything else (combining marks, other scripts, private use) goes to FTS5 itself.
# A few letters inside those blocks fold differently in FTS5 (µ, ſ, ǡ, ẛ) or are newer than its Unicode tables.
_UNSAFE = re.compile("[^\x00-\xb4\xb6-\u017e\u0180-\u01df\u01e2-\u024f\u0400-\u0482\u048a-\u0527"
                     "\u1e00-\u1e9a\u1e9c-\u1eff\u2000-\u2064\u20a0-\u20b9]")
_TOKEN = re.compile(r"[^\W_]+")


@functools.lru_cache(maxsize=256)
def _word(term: str) -> re.Pattern:
    """``term`` as a whole token of folded text (tokens are runs of letters and digits)."""
    return re.compile(f"(?<![^\\W_]){re.escape(term)}(?![^\\W_])")


def fold_token(token: str) -> str:
    """An index token the way unicode61 with remove_diacritics 2 folds it, for tokens of safe text:
    lower case, and accents dropped from letters whose base letter is ASCII (é -> e, but й and ё stay)."""
    low = token.lower()
    if low.isascii():
        return low
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", low):
        if unicodedata.combining(ch) and out and out[-1].isascii():
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _fold_table() -> dict[int, str]:
    """``str.translate`` table folding safe text character by character the way ``fold_token`` folds tokens
    (there are no combining marks in safe text, so the characters fold independently)."""
    table = {}
    for cp in range(0x41, 0x20ba):
        ch = chr(cp)
        if not _UNSAFE.match(ch):
            folded = fold_token(ch) if _TOKEN.fullmatch(ch) else ch
            if folded != ch:
                table[cp] = folded
    return table


_FOLD = _fold_table()
# letters that fold to ASCII (é, İ): only text with one of them needs the (slower) table; lower() does the rest
_TO_ASCII = re.compile("[" + "".join(re.escape(chr(cp)) for cp, v in sorted(_FOLD.items())
                                     if cp > 0x7F and v.isascii()) + "]")


def count_word(text: str, term: str) -> int:
    """How many tokens of ``text`` (safe text, see ``_UNSAFE``) fold to the ASCII word ``term``."""
    folded = text.lower() if text.isascii() or not _TO_ASCII.search(text) else text.translate(_FOLD)
    return len(_word(term).findall(folded)) if term in folded else 0


class _RandomAccess:
    """One row's weighted frequency of one word, and its length in tokens (from ``<table>_fts_docsize``).

    The frequency comes from the row's text tokenized here, when the text is of the kind this tokenizer
    reads exactly like FTS5 (``_UNSAFE``) and the word is ASCII; otherwise from FTS5's ``highlight()`` on
    that row (exact for any text, about four times slower)."""

    def __init__(self, conn: sqlite3.Connection, table: str, weights: Sequence[float], columns: Sequence[str]):
        fts = f"{table}_fts"
        marks = ", ".join(f"highlight([{fts}], {c}, char(1), ''), [{name}]" for c, name in enumerate(columns))
        self.conn = conn
        self.weights = tuple(weights) + (1.0,) * (len(columns) - len(weights))
        self.freq_sql = f"SELECT {marks} FROM [{fts}] WHERE [{fts}] MATCH ? AND rowid = ?"
        self.texts_sql = f"SELECT rowid, {', '.join(f'[{c}]' for c in columns)} FROM [{table}] WHERE rowid IN ({{}})"
        self.sizes_sql = f"SELECT id, sz FROM [{table}_fts_docsize] WHERE id IN ({{}})"
        self.size_sql = f"SELECT sz FROM [{table}_fts_docsize] WHERE id = ?"
        self.fts_calls = 0
        self._rows: dict[int, tuple[tuple[str, ...] | None, bytes | None]] = {}

    def prefetch(self, rowids: Sequence[int]) -> None:
        """Read the texts and lengths of ``rowids`` in two queries (one lookup each costs more than the
        batch does per row)."""
        want = [i for i in rowids if i not in self._rows]
        if not want:
            return
        marks = ",".join("?" * len(want))
        texts = {row[0]: row[1:] for row in self.conn.execute(self.texts_sql.format(marks), want)}
        sizes = dict(self.conn.execute(self.sizes_sql.format(marks), want))
        for i in want:
            self._rows[i] = (texts.get(i), sizes.get(i))

    def lookup(self, rowid: int, term: str) -> tuple[float, float]:
        """(BM25's f, the row's length): f counts the instances of ``term`` in the row, each with its
        column's weight; (0.0, 0.0) when the row does not contain it."""
        if rowid not in self._rows:
            self.prefetch([rowid])
        texts, size = self._rows[rowid]
        if texts is None or size is None:
            return 0.0, 0.0
        if term.isascii() and not any(t and _UNSAFE.search(t) for t in texts):
            f = 0.0
            for text, w in zip(texts, self.weights):
                if text:
                    f += w * count_word(text, term)
            return f, (float(sum(varints(size))) if f else 0.0)
        f = self.fts_freq(rowid, term)
        return f, (float(sum(varints(size))) if f else 0.0)

    def forget(self) -> None:
        self._rows.clear()

    def fts_freq(self, rowid: int, term: str) -> float:
        self.fts_calls += 1
        row = self.conn.execute(self.freq_sql, (_quote(term), rowid)).fetchone()
        if row is None:
            return 0.0
        f = 0.0
        for i, w in enumerate(self.weights):
            marked, text = row[2 * i], row[2 * i + 1]
            if marked:
                f += w * (marked.count(MARK_OPEN) - text.count(MARK_OPEN))  # the text may hold the marker too
        return f

    def length(self, rowid: int) -> float:
        row = self.conn.execute(self.size_sql, (rowid,)).fetchone()
        return float(sum(varints(row[0]))) if row else 0.0


class TopK:
    """The top-k lists of one FTS table, for ranking on one connection (one per thread)."""

    def __init__(self, conn: sqlite3.Connection, table: str = "passages"):
        self.conn = conn
        self.table = table
        self.available = False
        self.weights: tuple[float, ...] = ()
        self.k = 0
        self._df: dict[str, int] = {}
        self._lists: dict[str, tuple[array, array]] = {}
        self.random_accesses = 0  # of the last ranked() call, for measurements
        try:
            info = dict(conn.execute(f"SELECT key, value FROM [{table}_topk_info]").fetchall())
            rows, tokens, record = averages(conn, table)
        except (sqlite3.Error, TopKError, IndexError):
            return
        if info.get("averages") != record.hex() or float(info.get("k1", K1)) != K1 or float(info.get("b", B)) != B:
            return  # the index changed since the lists were built
        self.weights = tuple(json.loads(info["weights"]))
        self.k = int(info["k"])
        self.rows = rows
        self.avgdl = float(sum(tokens)) / float(rows)
        self.columns = len(tokens)
        self._df = dict(conn.execute(f"SELECT term, df FROM [{table}_topk]").fetchall())
        self._access = _RandomAccess(conn, table, self.weights, _columns(conn, table))
        self.available = True

    def has(self, term: str) -> bool:
        return term in self._df

    def _list(self, term: str) -> tuple[array, array]:
        got = self._lists.get(term)
        if got is None:
            ids, scores = self.conn.execute(f"SELECT ids, scores FROM [{self.table}_topk] WHERE term = ?",
                                            (term,)).fetchone()
            got = self._lists[term] = (_unpack("q", ids), _unpack("d", scores))
        return got

    def ranked(self, terms: Sequence[str], limit: int = 50, weights: Sequence[float] | None = None,
               max_random: int | None = None) -> list[tuple[int, float]] | None:
        """The top ``limit`` rows matching every one of ``terms`` (index tokens, in query order) as
        ``(rowid, bm25)``, ordered like ``ORDER BY bm25(<table>_fts, weights), rowid``; ``None`` when the
        lists cannot answer exactly (a word without a list, other weights, an index changed since) or
        would need more than ``max_random`` random accesses. By default an AND query of words expected to
        match few rows is declined at once, and the budget grows with the expected matches
        (``MIN_AND_MATCHES``, ``MATCHES_PER_RANDOM``): past it, ranking the usual way is as fast."""
        self.random_accesses = 0
        if not self.available or not terms or limit < 1:
            return None
        if weights is not None and tuple(float(w) for w in weights) != self.weights:
            return None
        if len(set(terms)) != len(terms) or not all(t in self._df for t in terms):
            return None
        lists = [self._list(t) for t in terms]
        complete = [self._df[t] <= len(ids) for t, (ids, _s) in zip(terms, lists)]
        if len(terms) == 1:
            ids, scores = lists[0]
            if limit > len(ids) and not complete[0]:
                return None
            return [(ids[i], -scores[i]) for i in range(min(limit, len(ids)))]
        if max_random is None:
            expected = self.rows
            for t in terms:
                expected *= self._df[t] / self.rows
            if expected < MIN_AND_MATCHES:
                return None  # few matches: FTS5 ranks them faster than the lists can be merged
            max_random = max(MIN_RANDOM, min(MAX_RANDOM, int(expected) // MATCHES_PER_RANDOM))
        return self._and(terms, lists, complete, limit, max_random)

    def _and(self, terms: Sequence[str], lists: list[tuple[array, array]], complete: list[bool],
             limit: int, max_random: int) -> list[tuple[int, float]] | None:
        n = len(terms)
        floor = [0.0 if complete[i] else lists[i][1][-1] for i in range(n)]  # best impact of a row not listed
        impacts = [dict(zip(ids, scores)) for ids, scores in lists]
        best: list[tuple[float, int]] = []  # min-heap of (score, -rowid): the current top ``limit``
        in_all = set(impacts[0]).intersection(*impacts[1:])
        for rowid in in_all:
            total = 0.0
            for d in impacts:
                total += d[rowid]  # left to right, as FTS5 adds the phrases' shares
            _offer(best, limit, total, rowid)
        low = best[0][0] if len(best) >= limit else -math.inf
        partial: list[tuple[float, int]] = []  # (upper bound, rowid) of rows missing from some list
        for rowid in set().union(*impacts) - in_all:
            total = 0.0
            for i in range(n):
                v = impacts[i].get(rowid)
                if v is None:
                    if complete[i]:
                        break  # the word is not in this row at all
                    v = floor[i]
                total += v
            else:
                if total >= low:
                    partial.append((total, rowid))
        partial.sort(key=lambda p: (-p[0], p[1]))
        unseen = -math.inf if any(complete) else sum(floor)  # the best a row in no list can score
        # the final ``limit``-th score can be no better than the ``limit``-th of the exact scores and the
        # bounds: if a row in no list could reach it, the lists cannot decide; say so before any random access
        if unseen > -math.inf and unseen >= _kth_best(best, partial, limit):
            return None
        self._access.forget()
        for index, (bound, rowid) in enumerate(partial):
            if len(best) >= limit and bound < best[0][0]:
                break
            if index % PREFETCH == 0:
                self._access.prefetch([r for _b, r in partial[index:index + PREFETCH]])
            total = 0.0
            for i in range(n):
                v = impacts[i].get(rowid)
                if v is None:
                    if self.random_accesses >= max_random:
                        return None
                    self.random_accesses += 1
                    f, length = self._access.lookup(rowid, terms[i])
                    if f == 0.0:
                        break
                    v = impact(idf(self.rows, self._df[terms[i]]), f, length, self.avgdl)
                total += v
            else:
                _offer(best, limit, total, rowid)
            if unseen > -math.inf and index % 64 == 63 and unseen >= _kth_best(best, partial[index + 1:], limit):
                return None
        if len(best) < limit:
            if unseen > -math.inf:
                return None  # fewer matches among the listed rows than asked, and unlisted rows may match
        elif unseen >= best[0][0]:
            return None  # a row in no list could still be in the top
        self._access.forget()
        ordered = sorted(best, key=lambda e: (-e[0], -e[1]))
        return [(-rowid_neg, -score) for score, rowid_neg in ordered]


def _kth_best(best: list[tuple[float, int]], partial: list[tuple[float, int]], limit: int) -> float:
    """The ``limit``-th largest of the exact scores in ``best`` and the bounds in ``partial`` (sorted, best
    first): the best the final ``limit``-th score can be."""
    scores = sorted([e[0] for e in best] + [b for b, _r in partial[:limit]], reverse=True)
    return scores[limit - 1] if len(scores) >= limit else -math.inf


def _offer(heap: list[tuple[float, int]], limit: int, score: float, rowid: int) -> None:
    # ties go to the lower rowid: (score, -rowid) makes the lower rowid the greater entry
    entry = (score, -rowid)
    if len(heap) < limit:
        heapq.heappush(heap, entry)
    elif entry > heap[0]:
        heapq.heapreplace(heap, entry)
