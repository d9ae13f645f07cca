"""Precomputed impact-ordered top-k lists: FTS5's exact BM25 top 50 without scoring every match.

Why: FTS5 ranks ``MATCH ? ORDER BY bm25(...) LIMIT 50`` by scoring every matching row (its positions and
its length). For a word in 40% of a million passages that is ~0.6 s, while the first 50 rows unranked take
under a millisecond.

What is stored (``build_topk``, at the end of a build; see docs/archive-format.md), for each FTS table
(``passages``, ``quotes``), beside the index:

* ``<table>_topk(term, df, matches, ids, scores)``: for every word (index token) in at least ``min_df`` rows
  (1%), and for the most frequent two-word phrases (found in a sample of the rows), the rows the search
  engine ranks first for that word or phrase alone, best first, with FTS5's own scores: ``max(k, df / 20)``
  of them (deeper for the most frequent words, whose scores lie close together). ``df`` is the number of
  rows holding the phrase (the IDF's input), ``matches`` the number the engine ranks (quotes: only
  ``kind = 'quote'``).
* ``<table>_topk_terms(term, df)``: every index word with its row count (for prefixes).
* ``<table>_topk_info(key, value)``: weights, k, min_df, k1, b and the index's state when the lists were
  made (rows, tokens per column, largest rowid, FTS5's averages record).

How a query is answered (``TopK.rank``), exactly as FTS5 ranks it:

* The query is words that must all match, each of them possibly one of several spellings (an AND of ORs of
  phrases), and phrases to leave out (NOT). A phrase is a word, a two-word phrase with a list, or a prefix
  with a single word under it. Anything else (longer phrases, other prefixes, NOT inside parentheses) is
  declined: the caller ranks with FTS5.
* BM25 is a sum over the query's phrases of ``idf * g(f, length)`` (a phrase left out adds 0). Each list
  gives the exact share of its phrase for the rows it holds and a bound (its last share) for every other
  row, or 0 when the list holds every row with the phrase. The threshold algorithm: rows in the lists are
  taken best bound first; a row with a share missing is scored exactly by random access (its text tokenized
  here with ``viewer.core.tokens``, whose folding is checked against FTS5's, or FTS5's ``highlight()`` for text
  outside what it covers, and its length from ``<table>_fts_docsize``); it stops when no bound can reach the
  current 50th score. Rows in no list score at most the sum of the bounds: if that could reach the 50th
  score, the lists cannot decide and the answer is ``None``. So is a query that would need more random
  accesses than about half of what FTS5 would spend ranking it. Filters are checked on the candidates
  (``keep``).
* Rows added since the lists were made (an import) are scored one by one; the lists' shares are recomputed
  with the new statistics (f from each stored score and the row's length) and their bounds widened by how
  much the average length moved (BM25 is monotone in it). When too many rows were added, or rows of the index
  were removed or changed (the row count and token totals do not add up), the lists are not used.

Building the lists is ``viewer.core.topk_build`` (``build_topk``, ``drop_topk`` are also importable from here).
Why the rest is one module of over 600 lines: it is one algorithm, the threshold algorithm of ``TopK.rank``,
with the FTS5 numbers it must reproduce to the last bit (varints, IDF, BM25's shares) and the random access
that scores a row from its text; split, the invariants that make an answer exact (each share's bound, the
order of additions, when to decline) would be spread over files that only make sense together.

Scores are FTS5's own numbers (negative, lower is better, like ``rank``). Those computed here use FTS5's
formula with the same operations in the same order; the build checks them against FTS5 on each list's first
and last rows, and ``TopK`` on one row when it opens. Ties are ordered as the search engine orders them:
passages by rowid, quotes by (passage_id, start, id).
"""

from __future__ import annotations

import heapq
import itertools
import json
import math
import sqlite3
import sys
import threading
import time
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from viewer.core.errors import ViewerError
from viewer.core.tokens import count_phrase, fold_text, is_plain, overlaps_itself

K1 = 1.2
B = 0.75
FORMAT = "2"
DEFAULT_K = 5000
DEFAULT_WEIGHTS = (1.0, 2.0)
MAX_PHRASES = 100  # two-word phrase lists per table, the most frequent first
SAMPLE_SHARE, MIN_SAMPLE = 50, 5000  # rows read to find the frequent two-word phrases: 1 in 50, at least 5,000
# Rows added after the lists were made are scored one by one (~30 µs each): up to this many rows may be
# added before the lists are set aside, and a query ranks at most this many of them.
MAX_ADDED_ROWS = 20_000
MAX_ADDED_MATCHES = 3000
# A random access costs ~35 µs. The search engine's FTS5 ranking of an AND or OR query costs ~0.12 µs for each
# row of each phrase (counting them for the IDF) and ~1.5 µs for each match (reading, scoring, joining,
# sorting; ~2.5 µs for quotes): fitted to 55 queries on a million passages (mostly within 25%; matches
# estimated as if the words were independent). Random accesses may take up to half of that: the lists usually
# answer with far fewer, and when they cannot, trying costs at most that much more than ranking with FTS5 at once.
RANDOM_ACCESS_US = 35.0
RANDOM_SHARE = 0.5  # of the estimated FTS5 cost that random accesses may take
MIN_FTS5_US = 15_000  # queries of several phrases that FTS5 ranks faster than this are left to it
MATCH_US = {"passages": 1.5, "quotes": 2.5}  # the quotes' ranking also reads each match's kind
MIN_RANDOM, MAX_RANDOM = 200, 20_000
# A phrase without a list in at most this many rows is read whole from FTS5 with its exact scores (~1.5 µs a
# row): a complete share, so that an AND or OR of it with listed words is answered from the lists.
RARE_ROWS = 2000
BATCH = 64  # candidates read (texts, lengths, filters) per query
SLACK = 1e-9  # relative widening of bounds computed from changed statistics
MARK_OPEN = "\x01"  # the marker highlight() puts before each instance
CACHED_ROWS = 1_000_000  # list rows a TopK keeps read (12 MB); shares of a quarter of that (~25 MB at most)
DEPTH = 20  # a list holds max(k, df / DEPTH) rows: deeper for the most frequent words, whose scores are close

TABLE_SUFFIXES = ("_topk", "_topk_terms", "_topk_info", "_topk_keys")  # those OPTIONAL_TABLES has for a table
# Words whose romanisation keys say which version of ``text.romanisation_key`` made the stored keys (every rule
# and script it folds): the version stored with the keys (``keys`` in the info table) is these keys, hashed.
KEY_SAMPLE = (
    "shchukin schneider dzhambul zhanna djamila tchaikovsky tsoi tzar aksakal philip wladimir halyk mihail "
    "thomas ghani yevgeniy evgeny vasilij anna ioann fyodor fedor yuriy iurii uri назарбаев жаңаөзен қазақстан "
    "ұлы өскемен һ щукин łódź müller ñandú ǆemal"
).split()
# Every how many words of a range read the stored key is checked against the key computed here.
KEY_CHECK_EVERY = 997

# what the search engine ranks in each table, and how it orders ties (after the score)
RANKED = {
    "passages": ("", ("id",)),
    "quotes": ("t.kind = 'quote'", ("passage_id", "start", "id")),
}

Query = Callable[[str, Sequence], list]


def __getattr__(name: str):
    """``build_topk``, ``drop_topk`` and ``BuildResult`` live in ``viewer.core.topk_build`` (loaded when asked for:
    a search does not need them)."""
    if name in ("build_topk", "drop_topk", "BuildResult"):
        from viewer.core import topk_build

        return getattr(topk_build, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def keys_version() -> str:
    """The version of ``text.romanisation_key`` that stored keys must have been made with (see ``KEY_SAMPLE``)."""
    import zlib

    from viewer.core.text import romanisation_key

    return format(zlib.crc32(" ".join(romanisation_key(w) for w in KEY_SAMPLE).encode()), "08x")


def let_threads_run() -> None:
    """Let a waiting thread (the UI's) take the interpreter between steps of Python work. Only when there is
    one: ``time.sleep(0)`` is a system call (~90 µs here, more when other processes hold the cores), and the
    search process and the command line have no other thread."""
    if threading.active_count() > 1:
        time.sleep(0)


class TopKError(ViewerError):
    """The lists cannot be built for this index."""


class _Unknown(Exception):
    """A row's frequency cannot be computed exactly here."""


# ---------------------------------------------------------------------------- FTS5's numbers


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def read_varint(data: bytes, pos: int) -> tuple[int, int]:
    """SQLite's varint (big-endian, 7 bits a byte, the 9th byte whole) at ``pos`` -> (value, next pos)."""
    value = 0
    end = len(data)
    for i in range(8):
        if pos + i >= end:
            raise TopKError("a varint is cut short")
        byte = data[pos + i]
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, pos + i + 1
    if pos + 8 >= end:
        raise TopKError("a varint is cut short")
    return (value << 8) | data[pos + 8], pos + 9


def varints(data: bytes) -> list[int]:
    out, pos = [], 0
    while pos < len(data):
        v, pos = read_varint(data, pos)
        out.append(v)
    return out


def row_length(size: bytes) -> int:
    """A row's length in tokens from its ``_docsize`` record (one varint per column)."""
    if max(size, default=0) < 0x80:
        return sum(size)  # every column under 128 tokens: one byte each
    return sum(varints(size))


def averages(conn_or_query, table: str) -> tuple[int, list[int], bytes]:
    """The FTS5 averages record of ``<table>_fts``: (rows, tokens per column, the raw record)."""
    query = _as_query(conn_or_query)
    rows = query(f"SELECT block FROM [{table}_fts_data] WHERE id = 1", ())
    if not rows or not isinstance(rows[0][0], bytes):
        raise TopKError(f"{table}_fts has no averages record")
    values = varints(rows[0][0])
    if not values:
        return 0, [], bytes(rows[0][0])  # an empty index
    return values[0], values[1:], bytes(rows[0][0])


def _floats(text: str) -> list[float]:
    values = json.loads(text)
    if not isinstance(values, list):
        raise ValueError("not a list")
    return [float(v) for v in values]


def _ints(text: str) -> list[int]:
    values = json.loads(text)
    if not isinstance(values, list) or not all(isinstance(v, int) and v >= 0 for v in values):
        raise ValueError("not a list of counts")
    return values


def _info(info: dict, key: str, decode: Callable):
    """One value of a ``<table>_topk_info`` table, decoded; TopKError when it is missing or damaged."""
    value = info.get(key)
    if not isinstance(value, str):
        raise TopKError(f"the lists' {key} is missing")
    try:
        return decode(value)
    except (ValueError, TypeError, RecursionError) as e:  # what int(), float() and json raise on bad text
        raise TopKError(f"the lists' {key} is damaged: {value[:40]!r}") from e


def idf(rows: int, df: int) -> float:
    """FTS5's IDF for a phrase matching ``df`` of ``rows`` rows."""
    value = math.log((rows - df + 0.5) / (df + 0.5))
    return value if value > 0.0 else 1e-6


def impact(idf_value: float, freq: float, length: float, avgdl: float) -> float:
    """One phrase's share of FTS5's BM25 (positive; FTS5 returns minus the sum), same operation order."""
    return idf_value * ((freq * (K1 + 1.0)) / (freq + K1 * (1 - B + B * length / avgdl)))


def weighted(counts: Sequence[int], weights: Sequence[float]) -> float:
    """BM25's f: FTS5 adds a column's weight for each instance, column by column."""
    f = 0.0
    for c, n in enumerate(counts):
        w = weights[c] if c < len(weights) else 1.0
        if float(w).is_integer():
            f += w * n  # whole numbers: the same as adding ``w`` n times
        else:
            for _ in range(n):
                f += w
    return f


def _pack(values: array) -> bytes:
    if sys.byteorder != "little":
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def _unpack(typecode: str, data: bytes) -> array:
    values = array(typecode)
    if not isinstance(data, bytes) or len(data) % values.itemsize:
        raise TopKError("a list is damaged")
    values.frombytes(data)
    if sys.byteorder != "little":
        values.byteswap()
    return values


def _as_query(conn_or_query) -> Query:
    if isinstance(conn_or_query, sqlite3.Connection):
        return lambda sql, params=(): conn_or_query.execute(sql, params).fetchall()
    return conn_or_query


def _columns(query: Query, table: str) -> list[str]:
    """The indexed columns of ``<table>_fts``, in order."""
    return [r[1] for r in query(f"PRAGMA table_info([{table}_fts])", ())]


# ---------------------------------------------------------------------------- phrases and rows


@dataclass(frozen=True)
class Phrase:
    """One phrase of a query: index words in order, the last one by prefix when ``prefix``."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def key(self) -> str:
        return " ".join(self.words)

    def fts(self) -> str:
        return _quote(self.key) + ("*" if self.prefix else "")


class _Rows:
    """Rows' texts and lengths read in batches, and the exact weighted frequency of phrases in them: from
    the text folded here when it is plain text (``tokens.is_plain``: folded exactly like FTS5 folds it), else
    from FTS5's ``highlight()`` on that row."""

    def __init__(self, query: Query, table: str, columns: Sequence[str], weights: Sequence[float]):
        fts = f"{table}_fts"
        marks = ", ".join(f"highlight([{fts}], {c}, char(1), ''), [{name}]" for c, name in enumerate(columns))
        self.query = query
        self.weights = tuple(weights)
        self.freq_sql = f"SELECT {marks} FROM [{fts}] WHERE [{fts}] MATCH ? AND rowid = ?"
        self.texts_sql = f"SELECT rowid, {', '.join(f'[{c}]' for c in columns)} FROM [{table}] WHERE rowid IN ({{}})"
        self.sizes_sql = f"SELECT id, sz FROM [{fts}_docsize] WHERE id IN ({{}})"
        self.fts_calls = 0
        self._rows: dict[int, tuple[tuple[str, ...] | None, int | None]] = {}

    def prefetch(self, rowids: Iterable[int]) -> None:
        want = [i for i in dict.fromkeys(rowids) if i not in self._rows]
        for start in range(0, len(want), 500):
            part = want[start : start + 500]
            marks = ",".join("?" * len(part))
            texts = {row[0]: tuple(row[1:]) for row in self.query(self.texts_sql.format(marks), part)}
            sizes = {row[0]: row[1] for row in self.query(self.sizes_sql.format(marks), part)}
            for i in part:
                size = sizes.get(i)
                self._rows[i] = (texts.get(i), row_length(size) if isinstance(size, bytes) else None)

    def freqs(self, rowid: int, phrases: Sequence[Phrase]) -> tuple[list[float], int] | None:
        """([f of each phrase], the row's length), or None when the row is not in the index."""
        if rowid not in self._rows:
            self.prefetch([rowid])
        texts, length = self._rows[rowid]
        if texts is None or length is None:
            return None
        if all(is_plain(t) for t in texts if isinstance(t, str)):
            ascii_words = all(w.isascii() for p in phrases for w in p.words)
            folded = [fold_text(t, ascii_words) if isinstance(t, str) else "" for t in texts]
            out = [weighted([count_phrase(t, p.words, p.prefix) for t in folded], self.weights) for p in phrases]
        else:
            out = [self._fts_freq(rowid, p) for p in phrases]
        return out, length

    def _fts_freq(self, rowid: int, phrase: Phrase) -> float:
        if len(phrase.words) > 1 and (phrase.prefix or overlaps_itself(phrase.words)):
            raise _Unknown  # highlight() merges overlapping instances
        self.fts_calls += 1
        rows = self.query(self.freq_sql, (phrase.fts(), rowid))
        if not rows:
            return 0.0
        row = rows[0]
        counts = []
        for i in range(len(row) // 2):
            marked, text = row[2 * i], row[2 * i + 1]
            counts.append(marked.count(MARK_OPEN) - text.count(MARK_OPEN) if marked else 0)
        return weighted(counts, self.weights)


# ---------------------------------------------------------------------------- ranking


@dataclass
class _List:
    ids: array
    scores: array  # FTS5's scores (positive) when the lists were made
    df: int
    matches: int

    @property
    def complete(self) -> bool:
        return self.matches <= len(self.ids)


def _solve_freq(idf_value: float, score: float, length: int, avgdl: float) -> float:
    """The f that gives ``score`` (whole-number weights give whole-number f)."""
    x = score / idf_value
    if not 0.0 < x < K1 + 1.0:
        raise TopKError("a score out of range")
    return float(round(x * K1 * (1 - B + B * length / avgdl) / (K1 + 1.0 - x)))


@dataclass
class _Share:
    """One phrase of a query in one table: its exact share of the score for the rows its list holds (``ids``
    and ``scores``, best first), and the most any other row can get (0.0 when the list holds every row with
    the phrase)."""

    phrase: Phrase
    idf: float
    ids: Sequence[int]
    scores: Sequence[float]
    floor: float
    complete: bool
    _values: dict[int, float] | None = None

    @property
    def values(self) -> dict[int, float]:
        """rowid -> share, best first (made when first needed: one-phrase queries only walk the list)."""
        if self._values is None:
            self._values = dict(zip(self.ids, self.scores))
        return self._values

    def items(self) -> Iterator[tuple[int, float]]:
        return zip(self.ids, self.scores)

    @property
    def top(self) -> float:
        return self.scores[0] if len(self.scores) else 0.0


class TopK:
    """The top-k lists of one FTS table, for ranking on one connection (one per thread). ``query(sql,
    params)`` runs a query and returns its rows (a ``sqlite3.Connection`` works too)."""

    def __init__(self, conn_or_query, table: str = "passages"):
        self.query = _as_query(conn_or_query)
        self.table = table
        self.available = False
        self.reason = "no lists"
        self.weights: tuple[float, ...] = ()
        self.k = 0
        self.random_accesses = 0  # of the last rank() call, for measurements
        self.added = 0  # rows added since the lists were made
        # caches, bounded by rows held: a list's row takes 12 bytes, a share's up to ~100 (its dict)
        self._lists: _Cache = _Cache(CACHED_ROWS, lambda lst: 1 + (len(lst.ids) if lst is not None else 0))
        self._shares: _Cache = _Cache(CACHED_ROWS // 4, lambda got: 1 + (len(got[0].ids) if got is not None else 0))
        self._expansions: _Cache = _Cache(1000)
        self._record: bytes | None = None
        self._info: dict = {}
        self._keys_current: bool | None = None  # the stored romanisation keys are this version's
        self._exclude: list[Phrase] = []  # of the rank() call in progress
        self.present = False  # the archive has lists for this table (usable or not)
        try:
            self._open()
        except (sqlite3.Error, TopKError) as e:
            self.available = False
            self.reason = f"the lists cannot be used: {e}"

    def _refresh(self) -> None:
        """Start again when the index changed since this object read it (an import by another program)."""
        if not self.present:
            return
        try:
            record = averages(self.query, self.table)[2]
        except (sqlite3.Error, TopKError):
            record = None
        if record != self._record:
            self.__init__(self.query, self.table)

    def _open(self) -> None:
        table = self.table
        kinds = dict(
            self.query(
                "SELECT name, type FROM sqlite_master WHERE name IN (?, ?, ?)",
                (f"{table}_topk", f"{table}_topk_terms", f"{table}_topk_info"),
            )
        )
        if len(kinds) < 3:
            return
        self.present = True
        self._record = averages(self.query, table)[2]
        if set(kinds.values()) != {"table"}:
            raise TopKError("the lists are not tables")
        info = dict(self.query(f"SELECT key, value FROM [{table}_topk_info]", ()))
        self._info = info
        if info.get("format") != FORMAT or _info(info, "k1", float) != K1 or _info(info, "b", float) != B:
            raise TopKError("lists of another format")
        self.weights = tuple(_info(info, "weights", _floats))
        self.k = _info(info, "k", int)
        self.min_df = _info(info, "min_df", int)
        base_rows, base_tokens = _info(info, "rows", int), _info(info, "tokens", _ints)
        self.base_max = _info(info, "max_rowid", int)
        if info.get("ids") not in ("int32", "int64") or not all(isinstance(info.get(k), str) for k in ("averages",)):
            raise TopKError("the lists' description is damaged")
        rows, tokens, record = averages(self.query, table)
        self.rows, self.tokens = rows, tokens
        self.columns = _columns(self.query, table)
        if rows <= 0 or base_rows <= 0:
            self.reason = "the index is empty"
            return
        if len(base_tokens) != len(tokens) or len(self.columns) != len(tokens):
            raise TopKError("the index has other columns")
        if sum(base_tokens) <= 0 or sum(tokens) <= 0 or len(self.weights) != len(tokens):
            raise TopKError("the lists' description does not fit the index")
        if record.hex() != info["averages"]:
            # rows added since: they must be the only change (rowids past the lists' last, the totals adding up)
            added = self.query(
                f"SELECT sz FROM [{table}_fts_docsize] WHERE id > ? LIMIT ?", (self.base_max, MAX_ADDED_ROWS + 1)
            )
            if len(added) > MAX_ADDED_ROWS:
                self.reason = f"more than {MAX_ADDED_ROWS:,} rows were added since the lists were made"
                return
            sums = [0] * len(tokens)
            for (size,) in added:
                for c, n in enumerate(varints(size)[: len(sums)]):
                    sums[c] += n
            if base_rows + len(added) != rows or [b + s for b, s in zip(base_tokens, sums)] != tokens:
                self.reason = "the index changed since the lists were made"
                return
            self.added = len(added)
        self.base_rows = base_rows
        self.base_avgdl = float(sum(base_tokens)) / float(base_rows) if base_rows else 1.0
        self.avgdl = float(sum(tokens)) / float(rows)
        self._access = _Rows(self.query, table, self.columns, self.weights)
        self._ids_type = {"int32": "i", "int64": "q"}[info["ids"]]
        self._ties_in_lists = info.get("ties") == "rowid"
        where, order = RANKED.get(table, ("", ("id",)))
        self._where, self._order = where, order
        self.available = True
        self.reason = ""
        self._check_formula()

    def _check_formula(self) -> None:
        """The scores computed here for random access are FTS5's on this machine: the best row of one word's
        list (the first in the index's order whose IDF is not clamped), scored from its text, against the score
        FTS5 gave it. Only that row is read: walking the lists to find the least frequent one took 5 ms a
        process on a million passages."""
        size = array(self._ids_type).itemsize
        row = self.query(
            f"SELECT term, df, substr(ids, 1, {size}), substr(scores, 1, 8) FROM [{self.table}_topk] "
            "WHERE term NOT LIKE '% %' AND df * 2 < ? ORDER BY term LIMIT 1",
            (self.base_rows,),
        )
        if not row:
            return
        term, df, first_id, first_score = row[0]
        if not isinstance(df, int) or len(first_id or b"") != size or len(first_score or b"") != 8:
            raise TopKError(f"the list of {term!r} is damaged")
        rowid, score = _unpack(self._ids_type, first_id)[0], _unpack("d", first_score)[0]
        found = self._access.freqs(rowid, [Phrase((term,))])
        mine = impact(idf(self.base_rows, df), found[0][0], found[1], self.base_avgdl) if found else None
        if mine != score:
            self.available = False
            self.reason = "the lists do not reproduce FTS5's scores here"

    # -------------------------------------------------------------- lists and shares

    def _list(self, key: str) -> _List | None:
        if self._lists.get(key, _MISSING) is _MISSING:
            rows = self.query(
                f"SELECT df, matches, length(scores), length(ids) FROM [{self.table}_topk] WHERE term = ?", (key,)
            )
            if rows and not (
                isinstance(rows[0][2], int)
                and rows[0][2] <= 8 * (self.rows + 1)
                and isinstance(rows[0][3], int)
                and rows[0][3] <= 8 * (self.rows + 1)
            ):
                raise TopKError(f"the list of {key!r} is larger than its table")  # read nothing that big
            if rows:
                rows = self.query(f"SELECT df, matches, ids, scores FROM [{self.table}_topk] WHERE term = ?", (key,))
            got = None
            if rows:
                n, matches, ids, scores = rows[0]
                if not (isinstance(n, int) and isinstance(matches, int)):
                    raise TopKError(f"the list of {key!r} is damaged")
                got = _List(_unpack(self._ids_type, ids), _unpack("d", scores), n, matches)
                if not (len(got.ids) == len(got.scores) and 0 < len(got.ids) <= got.matches <= n <= self.base_rows):
                    raise TopKError(f"the list of {key!r} is damaged")
            self._lists.put(key, got)
            return got
        return self._lists.get(key)

    def words(self, start: str, end: str, limit: int) -> list[tuple[str, int]] | None:
        """Index words from ``start`` up to ``end`` (excluded) with their row counts, as stored when the lists
        were made (an indexed range: a few ms where FTS5's vocabulary reads every word's rows to count them).
        None when the lists cannot be used or rows were added since (their words would be missing)."""
        self._refresh()
        if not self.available or self.added:
            return None
        try:
            rows = self.query(
                f"SELECT term, df FROM [{self.table}_topk_terms] WHERE term >= ? AND term < ? ORDER BY term LIMIT ?",
                (start, end, limit),
            )
        except sqlite3.Error as e:
            self._set_aside(e)
            return None
        if not all(isinstance(t, str) and isinstance(n, int) for t, n in rows):
            self._set_aside(TopKError("the lists' words are damaged"))
            return None
        return rows

    def keys(self, terms: list[str]) -> list[str] | None:
        """The stored romanisation keys of ``terms`` (a range of words as ``words`` gave them), or None when there
        are none, they were made by another version of ``text.romanisation_key``, or they do not hold exactly
        these words (the caller computes them then: ~13 µs a word)."""
        if not terms or not self.available or self._info.get("keys") is None or self.table != "passages":
            return None
        from viewer.core.text import romanisation_key

        if self._keys_current is None:
            self._keys_current = self._info.get("keys") == keys_version()
        if not self._keys_current:
            return None
        try:
            rows = self.query(
                f"SELECT term, key FROM [{self.table}_topk_keys] WHERE term >= ? AND term <= ? ORDER BY term LIMIT ?",
                (terms[0], terms[-1], len(terms) + 1),
            )
        except (sqlite3.Error, TopKError):
            return None  # no table of keys (made by an older version), or an odd one
        if len(rows) != len(terms) or any(r[0] != t or not isinstance(r[1], str) for r, t in zip(rows, terms)):
            return None
        keys = [r[1] for r in rows]
        if any(romanisation_key(terms[i]) != keys[i] for i in range(0, len(terms), KEY_CHECK_EVERY)):
            self._keys_current = False
            return None
        return keys

    def _prefix_words(self, phrase: Phrase) -> list[str]:
        """The index words (when the lists were made) that a one-word prefix stands for (at most 2)."""
        got = self._expansions.get(phrase, _MISSING)
        if got is _MISSING:
            p = phrase.words[0]
            if not p or ord(p[-1]) >= 0x10FFFF:
                got = ["", ""]
            else:
                upper = p[:-1] + chr(ord(p[-1]) + 1)
                got = [
                    r[0]
                    for r in self.query(
                        f"SELECT term FROM [{self.table}_topk_terms] "
                        "WHERE term >= ? AND term < ? ORDER BY term LIMIT 2",
                        (p, upper),
                    )
                ]
            self._expansions.put(phrase, got)
        return got

    def _base_list(self, phrase: Phrase) -> _List | None:
        """The list that holds a phrase's rows (for a prefix: its only word's), or None."""
        if phrase.prefix:
            if len(phrase.words) != 1:
                return None
            words = self._prefix_words(phrase)
            return self._list(words[0]) if len(words) == 1 else None
        if len(phrase.words) > 2:
            return None
        return self._list(phrase.key)

    def _added_count(self, fts_expr: str, ranked_only: bool) -> int:
        """Rows added since the lists were made that match ``fts_expr`` (only those the engine ranks)."""
        if not self.added:
            return 0
        fts = f"{self.table}_fts"
        if ranked_only and self._where:
            sql = (
                f"SELECT count(*) FROM [{fts}] JOIN [{self.table}] t ON t.rowid = [{fts}].rowid "
                f"WHERE [{fts}] MATCH ? AND [{fts}].rowid > ? AND {self._where}"
            )
        else:
            sql = f"SELECT count(*) FROM [{fts}] WHERE [{fts}] MATCH ? AND rowid > ?"
        return self.query(sql, (fts_expr, self.base_max))[0][0]

    def _share(self, phrase: Phrase) -> tuple[_Share, int] | None:
        """The phrase's share for the rows of its list under the index's current statistics, and the number
        of rows the engine ranks that hold it; None without a list."""
        got = self._shares.get(phrase, _MISSING)
        if got is not _MISSING:
            return got
        got = None
        lst = self._base_list(phrase)
        if lst is None:
            got = self._rare_share(phrase)
        else:
            matches = lst.matches
            if lst.complete:
                floor = 0.0
            if not self.added:
                if not lst.complete:
                    floor = lst.scores[-1]
                got = (_Share(phrase, idf(self.rows, lst.df), lst.ids, lst.scores, floor, lst.complete), matches)
            else:
                got = self._rescored(phrase, lst)
        self._shares.put(phrase, got)
        return got

    def _rare_share(self, phrase: Phrase) -> tuple[_Share, int] | None:
        """A phrase without a list in at most ``RARE_ROWS`` rows: every row the engine ranks that holds it, with
        FTS5's own score for the phrase alone (its exact share: BM25 adds each phrase's share), best first;
        nothing else holds it (complete, floor 0). None when it is in more rows."""
        fts = f"{self.table}_fts"
        expr = phrase.fts()
        df = self.query(
            f"SELECT count(*) FROM (SELECT rowid FROM [{fts}] WHERE [{fts}] MATCH ? LIMIT ?)", (expr, RARE_ROWS + 1)
        )[0][0]
        if df > RARE_ROWS:
            return None
        w = ", ".join(repr(x) for x in self.weights)
        join, where = "", ""
        if self._where:  # only the rows the engine ranks (quotes of kind "quote"), as the lists hold
            join, where = f" JOIN [{self.table}] t ON t.rowid = [{fts}].rowid", f" AND {self._where}"
        rows = self.query(
            f"SELECT [{fts}].rowid, -bm25([{fts}], {w}) AS score FROM [{fts}]{join} "
            f"WHERE [{fts}] MATCH ?{where} ORDER BY score DESC, [{fts}].rowid",
            (expr,),
        )
        ids = [r[0] for r in rows]
        scores = [float(r[1]) for r in rows]
        return _Share(phrase, idf(self.rows, df), ids, scores, 0.0, True), len(ids)

    def _rescored(self, phrase: Phrase, lst: _List) -> tuple[_Share, int]:
        """A list's shares with rows added since it was made: f from each score and row length (FTS5's own
        score checked again), then the score under the new statistics. A row not listed had g at most the
        last row's with the old average length; a new average moves g by at most the ratio of the averages."""
        if not all(float(w).is_integer() for w in self.weights):
            raise TopKError("lists with fractional weights cannot follow added rows")
        n = lst.df + self._added_count(phrase.fts(), False)
        matches = lst.matches + self._added_count(phrase.fts(), True)
        old, new = idf(self.base_rows, lst.df), idf(self.rows, n)
        lengths = self._lengths(lst.ids)
        values = {}
        g_last = 0.0
        for rowid, score in zip(lst.ids, lst.scores):
            length = lengths.get(rowid)
            if length is None:
                raise TopKError("a listed row left the index")
            f = _solve_freq(old, score, length, self.base_avgdl)
            if impact(old, f, length, self.base_avgdl) != score:
                raise TopKError("a list does not match its rows")
            values[rowid] = impact(new, f, length, self.avgdl)
            g_last = impact(1.0, f, length, self.base_avgdl)
        ordered = sorted(values.items(), key=lambda e: (-e[1], e[0]))
        floor = 0.0 if lst.complete else new * g_last * max(1.0, self.avgdl / self.base_avgdl) * (1.0 + SLACK)
        return _Share(phrase, new, [e[0] for e in ordered], [e[1] for e in ordered], floor, lst.complete), matches

    def _lengths(self, rowids: Sequence[int]) -> dict[int, int]:
        out: dict[int, int] = {}
        ids = list(rowids)
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            for rowid, size in self.query(
                f"SELECT id, sz FROM [{self.table}_fts_docsize] WHERE id IN ({','.join('?' * len(part))})", part
            ):
                if isinstance(size, bytes):
                    out[rowid] = row_length(size)
        return out

    def matches(self, phrase: Phrase) -> int | None:
        """How many rows the engine ranks hold ``phrase`` (a one-phrase query's total), or None."""
        self._refresh()
        if not self.available:
            return None
        try:
            got = self._share(phrase)
        except (sqlite3.Error, TopKError) as e:
            self._set_aside(e)
            return None
        return None if got is None else got[1]

    def _set_aside(self, e: BaseException) -> None:
        """A damaged list or an odd table: this object no longer uses the lists."""
        self.available = False
        self.reason = f"the lists cannot be used: {e}"

    # -------------------------------------------------------------- the threshold algorithm

    def rank(
        self,
        groups: Sequence[Sequence[Phrase]],
        limit: int = 50,
        weights: Sequence[float] | None = None,
        keep: Callable[[list[int]], set[int]] | None = None,
        check: Callable[[], None] | None = None,
        max_random: int | None = None,
        exclude: Sequence[Phrase] = (),
    ) -> list[tuple[int, float, tuple]] | None:
        """The top ``limit`` rows the engine ranks that match every group (one phrase of each group at
        least), as ``(rowid, bm25, tie key)`` ordered like ``ORDER BY bm25(<table>_fts, weights), <tie
        key>``: the tie key is (rowid,) for passages, (passage_id, start, id) for quotes. ``keep(rowids)``
        says which rows pass the caller's filters; rows holding a phrase of ``exclude`` are left out (FTS5's
        NOT, which adds nothing to the score); ``check()`` is called between steps (it may raise to stop).
        None when the lists cannot answer exactly (a phrase without a list, other weights, more
        random accesses than ``max_random``): rank with FTS5 then."""
        self.random_accesses = 0
        self._refresh()
        phrases = [p for g in groups for p in g]
        if not self.available or not phrases or limit < 1 or any(not g for g in groups):
            return None
        if weights is not None and tuple(float(w) for w in weights) != self.weights:
            return None
        if len(set(phrases) | set(exclude)) != len(phrases) + len(exclude):
            return None  # FTS5 would count a repeated phrase twice
        self._exclude = list(exclude)
        try:
            return self._rank([list(g) for g in groups], phrases, limit, keep, check or (lambda: None), max_random)
        except _Unknown:
            return None
        except (sqlite3.Error, TopKError) as e:
            self._set_aside(e)
            return None
        finally:
            self._exclude = []
            self._access = _Rows(self.query, self.table, self.columns, self.weights)  # drop what was read

    def _rank(
        self,
        groups: list[list[Phrase]],
        phrases: list[Phrase],
        limit: int,
        keep: Callable[[list[int]], set[int]] | None,
        check: Callable[[], None],
        max_random: int | None,
    ) -> list[tuple[int, float, tuple]] | None:
        shares = []
        for p in phrases:
            got = self._share(p)
            if got is None:
                return None
            shares.append(got[0])
        group_of = [gi for gi, g in enumerate(groups) for _ in g]
        closed = [all(shares[i].complete for i in range(len(shares)) if group_of[i] == gi) for gi in range(len(groups))]
        # the most a row in no list can score: nothing when some group's lists hold all of its rows
        unseen = -math.inf if any(closed) else _sum(s.floor for s in shares)
        if max_random is None:
            max_random = self._random_budget(shares, groups)
            if max_random <= 0:
                return None
        added = self._added_rows(groups, keep)
        if added is None:
            return None
        # ties_follow: one phrase, lists as made: a row not listed that ties with the last comes after every
        # listed row (the list was cut in the engine's order)
        ties_follow = len(shares) == 1 and not self.added and self._ties_in_lists
        heap: list[float] = []  # the best ``limit`` exact scores so far
        scored: dict[int, float | None] = {}  # exact scores (None: does not match or filtered out)
        for rowid, score in added:
            scored[rowid] = score
            _push(heap, limit, score)
        if unseen > -math.inf and len(shares) > 1:
            # the final limit-th score is at most the limit-th best of (a listed share + the best the other
            # shares can add): when a row in no list reaches that, the lists cannot decide (no random access yet)
            tops = [max(s.top, 0.0 if s.complete else s.floor) for s in shares]
            upper = []
            for i, s in enumerate(shares):
                rest = _sum(t for j, t in enumerate(tops) if j != i)
                upper += [v + rest for v in itertools.islice(s.scores, limit)]
            most = _kth(upper + [score for _r, score in added], limit)
            if unseen > most * (1.0 + SLACK) + SLACK:
                return None
        candidates = self._candidates(shares, group_of, closed)
        head = candidates.peek(limit)
        # the final limit-th score is at most the limit-th best bound: if a row in no list reaches that, give up now
        best = _kth([c[0] for c in head] + [s for s in scored.values() if s is not None], limit)
        if unseen > best or (unseen == best and not ties_follow):
            return None
        rest = candidates if len(shares) > 1 else None
        rounds = 0
        while True:
            batch = candidates.take(BATCH)
            if not batch or (len(heap) >= limit and batch[0][0] < heap[0]):
                break
            batch = [c for c in batch if c[1] not in scored and (len(heap) < limit or c[0] >= heap[0])]
            exact = {c[1]: c[0] for c in batch if c[2]}
            if not self._score_rows(
                [c[1] for c in batch],
                phrases,
                shares,
                group_of,
                len(groups),
                keep,
                scored,
                heap,
                limit,
                max_random,
                exact,
            ):
                return None
            check()
            rounds += 1
            if rest is not None and unseen > -math.inf and rounds % 4 == 0:
                # the final limit-th score is at most the limit-th best of the scores so far and the bounds left:
                # once a row in no list reaches that, the lists cannot decide; stop looking
                most = _kth(
                    heapq.nlargest(limit, (v for v in scored.values() if v is not None))
                    + [c[0] for c in rest.peek(limit)],
                    limit,
                )
                if unseen > most or (unseen == most and not ties_follow):
                    return None
        if len(heap) < limit:
            if unseen > -math.inf:
                return None  # fewer matches in the lists than asked, and rows in no list may match
            threshold = -math.inf
        else:
            threshold = heap[0]
            if unseen > threshold or (unseen == threshold and not ties_follow):
                return None  # a row in no list could still be in the top
        winners = [(s, r) for r, s in scored.items() if s is not None and s >= threshold]
        keys = self._tie_keys([r for _s, r in winners])
        winners.sort(key=lambda e: (-e[0], keys[e[1]]))
        return [(r, -s, keys[r]) for s, r in winners[:limit]]

    def _score_rows(
        self,
        rowids: list[int],
        phrases: list[Phrase],
        shares: list[_Share],
        group_of: list[int],
        groups: int,
        keep: Callable[[list[int]], set[int]] | None,
        scored: dict[int, float | None],
        heap: list[float],
        limit: int,
        max_random: int,
        exact: dict[int, float] | None = None,
    ) -> bool:
        """Score ``rowids`` (filters first, then the known score or a random access) into ``scored`` and the
        heap; False past ``max_random`` random accesses."""
        exact = exact if exact and not self._exclude else {}  # an excluded phrase is only seen in the text
        rowids = [r for r in rowids if r not in scored]
        if keep is not None and rowids:
            passed = keep(rowids)
            for r in rowids:
                if r not in passed:
                    scored[r] = None
            rowids = [r for r in rowids if r in passed]
        need = [r for r in rowids if r not in exact]
        if self.random_accesses + len(need) > max_random:
            return False
        if need:
            self._access.prefetch(need)
        for n, rowid in enumerate(rowids):
            score = exact.get(rowid)
            if score is None:
                self.random_accesses += 1
                score = self._score(rowid, phrases, shares, group_of, groups)
                if n % 16 == 15:
                    let_threads_run()
            scored[rowid] = score
            if score is not None:
                _push(heap, limit, score)
        return True

    def _candidates(self, shares: list[_Share], group_of: list[int], closed: list[bool]) -> "_Stream":
        """Rows in some list as (bound, rowid, exact), best bound first, made as they are taken; exact when
        every share is known (listed, or 0.0 from a list that holds all of its phrase's rows). A row in one list
        only is bounded by its share there and the other lists' floors, so each list gives its own rows in
        its own order; rows in several lists (few) are bounded one by one."""
        if len(shares) == 1:
            return _Stream(iter((v, r, True) for r, v in shares[0].items()))  # best first
        floors = [0.0 if s.complete else s.floor for s in shares]
        multi: set[int] = set()
        for i, s in enumerate(shares):
            for j in range(i + 1, len(shares)):
                multi.update(set(s.values).intersection(shares[j].values))
        streams = []
        for i, s in enumerate(shares):
            if any(c and gi != group_of[i] for gi, c in enumerate(closed)):
                continue  # a row only in this list lacks every phrase of a group whose lists hold all their rows
            exact = all(shares[j].complete for j in range(len(shares)) if j != i)
            if exact and len(closed) > 1:
                continue  # every other share is 0: the other groups have none of their phrases
            streams.append(_alone(s, _sum(floors[:i]), floors[i + 1 :], exact, multi))
        rows = []
        for rowid in multi:
            total, known = 0.0, True
            present = [False] * len(closed)
            for i, s in enumerate(shares):
                v = s.values.get(rowid)
                if v is None:
                    v = floors[i]
                    known = known and s.complete
                else:
                    present[group_of[i]] = True
                total += v
            if known and not all(present):
                continue  # every share known, and some group has none of its phrases
            if any(c and not p for c, p in zip(closed, present)):
                continue  # every list of that group holds all its rows, and none holds this one
            rows.append((total, rowid, known))
        rows.sort(key=lambda c: -c[0])
        return _Stream(heapq.merge(rows, *streams, key=lambda c: -c[0]))

    def _random_budget(self, shares: list[_Share], groups: Sequence[Sequence[Phrase]]) -> int:
        """Random accesses for a part of what FTS5 would spend ranking the query: reading and counting every
        phrase's rows (for the IDF) and scoring the expected matches (the groups taken as independent)."""
        dfs = []
        for s in shares:
            lst = self._base_list(s.phrase)
            dfs.append(lst.df if lst is not None else len(s.ids))
        expected = float(self.rows)
        pos = 0
        for g in groups:
            expected *= min(1.0, sum(dfs[pos : pos + len(g)]) / self.rows)
            pos += len(g)
        cost_us = 0.12 * sum(dfs) + MATCH_US.get(self.table, 1.5) * expected
        if len(shares) > 1 and cost_us < MIN_FTS5_US:
            return 0  # FTS5 is fast enough here
        return max(MIN_RANDOM, min(MAX_RANDOM, int(cost_us * RANDOM_SHARE / RANDOM_ACCESS_US)))

    def _score(
        self, rowid: int, phrases: list[Phrase], shares: list[_Share], group_of: list[int], groups: int
    ) -> float | None:
        """The row's exact score for the query (positive), or None when it does not match. Raises _Unknown
        when its frequencies cannot be computed exactly here."""
        found = self._access.freqs(rowid, phrases + self._exclude)
        if found is None:
            return None
        freqs, length = found
        if any(freqs[len(phrases) :]):
            return None  # it holds a phrase to leave out
        freqs = freqs[: len(phrases)]
        present = [False] * groups
        total = 0.0
        for i, f in enumerate(freqs):
            if f:
                present[group_of[i]] = True
            total += shares[i].idf * ((f * (K1 + 1.0)) / (f + K1 * (1 - B + B * length / self.avgdl)))
        return total if all(present) else None

    def _added_rows(
        self, groups: Sequence[Sequence[Phrase]], keep: Callable[[list[int]], set[int]] | None
    ) -> list[tuple[int, float]] | None:
        """Rows added since the lists were made that match the query, scored exactly; None past the limit."""
        if not self.added:
            return []
        fts = f"{self.table}_fts"
        expr = " AND ".join("(" + " OR ".join(p.fts() for p in g) + ")" for g in groups)
        if self._exclude:
            expr = f"({expr}) NOT ({' OR '.join(p.fts() for p in self._exclude)})"
        if self._where:
            sql = (
                f"SELECT [{fts}].rowid FROM [{fts}] JOIN [{self.table}] t ON t.rowid = [{fts}].rowid "
                f"WHERE [{fts}] MATCH ? AND [{fts}].rowid > ? AND {self._where} LIMIT ?"
            )
        else:
            sql = f"SELECT rowid FROM [{fts}] WHERE [{fts}] MATCH ? AND rowid > ? LIMIT ?"
        rowids = [r[0] for r in self.query(sql, (expr, self.base_max, MAX_ADDED_MATCHES + 1))]
        if len(rowids) > MAX_ADDED_MATCHES:
            return None
        if keep is not None and rowids:
            passed = keep(rowids)
            rowids = [r for r in rowids if r in passed]
        phrases = [p for g in groups for p in g]
        shares = [self._share(p)[0] for p in phrases]
        group_of = [gi for gi, g in enumerate(groups) for _ in g]
        out = []
        self._access.prefetch(rowids)
        for rowid in rowids:
            score = self._score(rowid, phrases, shares, group_of, len(groups))
            if score is not None:
                out.append((rowid, score))
        return out

    def _tie_keys(self, rowids: list[int]) -> dict[int, tuple]:
        if self._order == ("id",):
            return {r: (r,) for r in rowids}
        cols = ", ".join(f"[{c}]" for c in self._order)
        out = {}
        for start in range(0, len(rowids), 500):
            part = rowids[start : start + 500]
            for row in self.query(
                f"SELECT rowid, {cols} FROM [{self.table}] WHERE rowid IN ({','.join('?' * len(part))})", part
            ):
                if not all(isinstance(v, int) for v in row[1:]):
                    raise TopKError(f"row {row[0]} of {self.table} has a damaged position")
                out[row[0]] = tuple(row[1:])
        for r in rowids:
            out.setdefault(r, (math.inf,))
        return out


_MISSING = object()


def _alone(
    share: _Share, before: float, after: list[float], exact: bool, skip: set[int]
) -> Iterator[tuple[float, int, bool]]:
    """The rows of one list held by no other, with their bounds (the floors before, the share, the floors
    after, added in that order), best first."""
    for rowid, v in share.items():
        if rowid not in skip:
            yield _sum(after, before + v), rowid, exact


class _Stream:
    """Candidates taken from the front of an iterator, with a look ahead."""

    def __init__(self, items: Iterator):
        self._items = items
        self._ahead: list = []

    def peek(self, n: int) -> list:
        if len(self._ahead) < n:
            self._ahead += itertools.islice(self._items, n - len(self._ahead))
        return self._ahead[:n]

    def take(self, n: int) -> list:
        got = self.peek(n)
        del self._ahead[: len(got)]
        return got


class _Cache:
    """A least-recently-used map holding up to ``size`` units (``weight(value)`` each)."""

    def __init__(self, size: int, weight: Callable[[object], int] = lambda _v: 1):
        self.size = size
        self.weight = weight
        self.used = 0
        self._items: OrderedDict = OrderedDict()

    def get(self, key, default=None):
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key][0]
        return default

    def put(self, key, value) -> None:
        if key in self._items:
            self.used -= self._items.pop(key)[1]
        w = self.weight(value)
        self._items[key] = (value, w)
        self.used += w
        while self.used > self.size and len(self._items) > 1:
            self.used -= self._items.popitem(last=False)[1][1]


def _sum(values: Iterable[float], start: float = 0.0) -> float:
    total = start
    for v in values:
        total += v  # left to right, as FTS5 adds the phrases' shares
    return total


def _push(heap: list[float], limit: int, score: float) -> None:
    if len(heap) < limit:
        heapq.heappush(heap, score)
    elif score > heap[0]:
        heapq.heapreplace(heap, score)


def _kth(values: list[float], k: int) -> float:
    ordered = sorted(values, reverse=True)
    return ordered[k - 1] if len(ordered) >= k else -math.inf
