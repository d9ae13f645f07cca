"""The precomputed statistics: written when documents are built or imported, read by
``viewer.core.stats``. No Qt.

* ``write_document_stats(conn, document_id)``: one new document's key figures, its term counts
  (added to the archive's and to its speakers'), the written forms of its mentions, and the labels
  of the terms it touched. Work in proportion to the document. ``remove_document_stats`` takes a
  document's share out again (before who said what in it changes: a correction).
* ``refresh_stats(conn, document_ids)``: what else those documents change archive-wide: the grouping
  of the entities they touch (and of the entities whose names could be spellings of the same name)
  and those groups' rows. ``document_ids=None`` recomputes every label and group.
* ``rebuild_stats(conn, workers=0)``: everything from the passages, for an archive written without
  ``ArchiveWriter``; in ``workers`` processes for big archives (a million passages in about a minute
  on two cores, bench/RESULTS.md).

How every number is computed is written down in ``docs/statistics.md``.
"""

from __future__ import annotations

import json
import multiprocessing
import operator
import queue
import sqlite3
import sys
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

from viewer.core.db import chunks, placeholders
from viewer.core.figures import find_figures, may_start_a_number
from viewer.core.names import compatible_given, readings, similar_surnames
from viewer.core.names import words as name_words_of
from viewer.core.records import HEADING, LIST_ITEM, QUOTE
from viewer.core.terms import _token, best_form, name_words
from viewer.core.text import fold_quotes, romanisation_key, spelling_keys
from viewer.core.tokens import TERM_RE

# Passages whose words are not the discussion: headings and the lists of related reports.
NOT_DISCUSSION = (HEADING, LIST_ITEM)
STATS_TABLES = ("figures", "terms", "term_forms", "speaker_terms", "mention_variants", "entity_keys",
                "entity_groups", "mention_groups")
_BATCH = 500
# passages per unit of work of ``rebuild_stats`` (a speaker's passages are never split)
_TASK_PASSAGES = 8000


# ================================================================== one document (build, import)


def _speaker_names(conn: sqlite3.Connection, document_id: int) -> list[str]:
    names = []
    for name, aliases in conn.execute(
        "SELECT s.name, s.aliases FROM document_speakers ds JOIN speakers s ON s.id = ds.speaker_id "
        "WHERE ds.document_id = ?", (document_id,)
    ):
        names.append(name)
        names.extend(_json_strings(aliases))
    return names


def _json_strings(value: str | None) -> list[str]:
    try:
        data = json.loads(value or "[]")
    except ValueError:
        return []
    return [a for a in data if isinstance(a, str)] if isinstance(data, list) else []


def mention_form(surface: str, after: str) -> str:
    """How a mention is written, with its possessive ("Nazarbayev’s", "Austrevicius’")."""
    a = fold_quotes(after[:3])
    if a.startswith("'s") and not a[2:3].isalpha():
        return surface + after[:2]
    if a.startswith("'") and surface[-1:] in "sSzZ" and not a[1:2].isalpha():
        return surface + after[:1]
    return surface


def _figure_row(pid: int, document_id: int, sid: int | None, f) -> tuple:
    return (pid, document_id, sid, f.start, f.end, f.value, f.number, f.number_max, f.noun, int(f.approx),
            f.context_start, f.context_end)


_INSERT_FIGURE = ('INSERT INTO figures (passage_id, document_id, speaker_id, start, "end", value, number, number_max, '
                  "noun, approx, context_start, context_end) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")


def write_document_stats(conn: sqlite3.Connection, document_id: int) -> None:
    """Precompute the statistics of one document just written: its key figures, its term counts
    (added to the archive's and its speakers'), the labels of the terms it uses and the written
    forms of its mentions. Work in proportion to the document and its speakers' vocabularies."""
    _document_stats(conn, document_id, +1)


def remove_document_stats(conn: sqlite3.Connection, document_id: int) -> None:
    """Take one document's share out of the statistics, as ``write_document_stats`` counted it with
    the document as it is now: its figures go, its term counts are subtracted from the archive's and
    its speakers' (terms nobody uses any more go), and so are its mention forms. Before a change of
    who said what in the document (a correction), then ``write_document_stats`` with the change."""
    _document_stats(conn, document_id, -1)


def _document_stats(conn: sqlite3.Connection, document_id: int, sign: int) -> None:
    passages = conn.execute(
        "SELECT id, speaker_id, kind, text FROM passages WHERE document_id = ? ORDER BY seq", (document_id,)
    ).fetchall()
    masks: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pid, start, end in conn.execute(
        'SELECT passage_id, start, "end" FROM mentions WHERE document_id = ?', (document_id,)
    ):
        masks[pid].append((start, end))
    for pid, start, end in conn.execute(
        'SELECT passage_id, start, "end" FROM quotes WHERE document_id = ? AND kind != ?', (document_id, QUOTE)
    ):
        masks[pid].append((start, end))
    exclude = name_words(_speaker_names(conn, document_id))
    tokens = _writer_tokens()
    figure_rows = []
    tallies: dict[int | None, TermTally] = {}
    texts = {}
    for pid, sid, kind, text in passages:
        texts[pid] = text
        if kind in NOT_DISCUSSION:
            number = True
        else:
            tally = tallies.get(sid)
            if tally is None:
                tally = tallies[sid] = TermTally(tokens)
            number = tally.add(text, exclude)
        if number and sign > 0:
            figure_rows.extend(_figure_row(pid, document_id, sid, f) for f in find_figures(text, masks.get(pid, ())))
    if sign > 0:
        conn.executemany(_INSERT_FIGURE, figure_rows)
    else:
        conn.execute("DELETE FROM figures WHERE document_id = ?", (document_id,))
    words: Counter = Counter()
    by_speaker = {sid: tally.term_counts(words) for sid, tally in tallies.items()}
    doc_counts: Counter = Counter()
    doc_forms: Counter = Counter()
    for word, n in words.items():
        key, form, _name = _token(word)
        doc_counts[key] += n
        doc_forms[(key, form)] += n
    # the label is the archive's most written form, set by _relabel below
    conn.executemany(
        "INSERT INTO terms (key, label, count) VALUES (?, ?, ?) "
        "ON CONFLICT(key) DO UPDATE SET count = count + excluded.count",
        [(k, k, sign * c) for k, c in doc_counts.items()],
    )
    ids = _term_ids(conn, list(doc_counts))
    conn.executemany(
        "INSERT INTO term_forms (term_id, form, count) VALUES (?, ?, ?) "
        "ON CONFLICT(term_id, form) DO UPDATE SET count = count + excluded.count",
        [(ids[k], form, sign * c) for (k, form), c in doc_forms.items()],
    )
    if sign < 0:
        _drop_unused_terms(conn, list(ids.values()))
    _relabel(conn, list(ids.values()))
    for sid, counts in sorted(by_speaker.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)):
        if sid is not None:
            add_speaker_terms(conn, sid, {ids[k]: sign * c for k, c in counts.items()})
    forms: Counter = Counter()
    for eid, pid, start, end, surface in conn.execute(
        'SELECT entity_id, passage_id, start, "end", surface FROM mentions WHERE document_id = ?', (document_id,)
    ):
        text = texts.get(pid, "")
        forms[(eid, mention_form(text[start:end] or surface, text[end:end + 3]))] += 1
    conn.executemany(
        "INSERT INTO mention_variants (entity_id, form, count) VALUES (?, ?, ?) "
        "ON CONFLICT(entity_id, form) DO UPDATE SET count = count + excluded.count",
        [(eid, form, sign * c) for (eid, form), c in forms.items()],
    )
    if sign < 0:
        conn.execute("DELETE FROM mention_variants WHERE count <= 0")


def _drop_unused_terms(conn: sqlite3.Connection, term_ids: list[int]) -> None:
    """Forms and terms whose count fell to zero (a document's share taken out) go."""
    for chunk in chunks(sorted(term_ids)):
        marks = placeholders(len(chunk))
        conn.execute(f"DELETE FROM term_forms WHERE term_id IN ({marks}) AND count <= 0", chunk)
        conn.execute(f"DELETE FROM terms WHERE id IN ({marks}) AND count <= 0", chunk)


_tokens_cache: _Tokens | None = None


def _writer_tokens() -> _Tokens:
    """What words count for, kept from one document to the next of a build or an import (and
    dropped by ``refresh_stats`` at its end, or when it grows large)."""
    global _tokens_cache
    if _tokens_cache is None or len(_tokens_cache.number) > 100_000:
        _tokens_cache = _Tokens()
    return _tokens_cache


def _term_ids(conn: sqlite3.Connection, keys: list[str]) -> dict[str, int]:
    out = {}
    for chunk in chunks(keys):
        out.update(conn.execute(f"SELECT key, id FROM terms WHERE key IN ({placeholders(len(chunk))})", chunk).fetchall())
    return out


_LABEL_SQL = """UPDATE terms SET label = COALESCE((SELECT form FROM term_forms f WHERE f.term_id = terms.id
                 ORDER BY f.count DESC, length(f.form), f.form LIMIT 1), label)"""


def _relabel(conn: sqlite3.Connection, term_ids: list[int] | None) -> None:
    """Each term is shown under the form the whole archive writes most (ties: the shorter, then
    alphabetical; ``terms.best_form``), for these terms or all."""
    if term_ids is None:
        conn.execute(_LABEL_SQL)
        return
    for chunk in chunks(sorted(term_ids)):
        conn.execute(f"{_LABEL_SQL} WHERE id IN ({placeholders(len(chunk))})", chunk)


# ------------------------------------------------------------------ a speaker's terms

# ``speaker_terms.data``: all of a speaker's term counts in one value, zlib-compressed: n unsigned
# 32-bit little-endian integers, the ascending term ids as differences (the first is the id itself),
# then their n counts. About 1.3 bytes a (speaker, term) pair; unpacked in milliseconds.
_U32 = next(code for code in "IL" if array(code).itemsize == 4)
_SWAP = sys.byteorder != "little"


def pack_term_counts(ids: Sequence[int], counts: Sequence[int]) -> bytes:
    """``speaker_terms.data`` for these term ids (ascending) and counts."""
    ids = array(_U32, ids)
    deltas = array(_U32, ids[:1])
    deltas.extend(map(operator.sub, ids[1:], ids))
    values = array(_U32, counts)
    if _SWAP:
        deltas.byteswap()
        values.byteswap()
    return zlib.compress(deltas.tobytes() + values.tobytes(), 6)


class PackedTermsDamaged(ValueError):
    """A ``speaker_terms.data`` value that is not what ``pack_term_counts`` writes."""


def unpack_term_counts(data: bytes | None) -> tuple[array, array]:
    """(term ids ascending, counts) from ``speaker_terms.data``; PackedTermsDamaged when it is not
    a value ``pack_term_counts`` wrote."""
    if not data:
        return array(_U32), array(_U32)
    values = array(_U32)
    try:
        raw = zlib.decompress(data) if isinstance(data, bytes) else None
    except zlib.error as e:
        raise PackedTermsDamaged(f"speaker_terms.data cannot be unpacked: {e}") from e
    if raw is None or len(raw) % (2 * values.itemsize):
        raise PackedTermsDamaged("speaker_terms.data has the wrong length or type")
    values.frombytes(raw)
    if _SWAP:
        values.byteswap()
    n = len(values) // 2
    return array(_U32, accumulate(values[:n])), values[n:]


def add_speaker_terms(conn: sqlite3.Connection, speaker_id: int, counts: dict[int, int]) -> None:
    """Add a new document's term counts (term id -> count) to a speaker's (``speaker_terms``), or take
    them out (negative counts): work in proportion to the speaker's vocabulary, never to the archive.
    A speaker left with no terms has no row."""
    row = conn.execute("SELECT data FROM speaker_terms WHERE speaker_id = ?", (speaker_id,)).fetchone()
    merged = dict(zip(*unpack_term_counts(row[0] if row else None)))
    for tid, c in counts.items():
        merged[tid] = merged.get(tid, 0) + c
    ids = sorted(i for i, c in merged.items() if c > 0)
    if not ids:
        conn.execute("DELETE FROM speaker_terms WHERE speaker_id = ?", (speaker_id,))
        return
    values = [merged[i] for i in ids]
    conn.execute("INSERT OR REPLACE INTO speaker_terms (speaker_id, count, terms, data) VALUES (?, ?, ?, ?)",
                 (speaker_id, sum(values), len(ids), pack_term_counts(ids, values)))


class TermTally:
    """The term counts of many passages, equal to ``TermCounts.add_text`` on each of them, but
    fast: each text is split on white space (no token of ``tokens.TERM_RE`` holds any), its words
    counted with ``Counter`` (in C) and mapped to terms once per distinct word when the counts are
    asked for. Exclusions (a document's speakers' names) are applied per text."""

    def __init__(self, tokens: _Tokens | None = None):
        self.tokens = tokens or _Tokens()
        self.words: Counter = Counter()

    def add(self, text: str, exclude: frozenset[str] = frozenset()) -> bool:
        """Count the terms of ``text``; True when it may state a key figure (one of its words may
        start a number: ``figures.may_start_a_number``)."""
        words = text.split()
        tokens = self.tokens
        number = max(map(tokens.number.__getitem__, words), default=False)  # learns every new word
        if exclude:
            words = tokens.without_names(words, exclude, self.words)
        self.words.update(words)
        return number

    def term_counts(self, surfaces: Counter | None = None) -> dict[str, int]:
        """key -> count; with ``surfaces``, the count of each counted token is added to it."""
        out: dict[str, int] = {}
        get, terms = out.get, self.tokens.terms  # every counted word was learned by add()
        if surfaces is None:
            for word, n in self.words.items():
                for key, _real in terms[word]:
                    out[key] = get(key, 0) + n
            return out
        surface = surfaces.get
        for word, n in self.words.items():
            for key, real in terms[word]:
                out[key] = get(key, 0) + n
                surfaces[real] = surface(real, 0) + n
        return out


class _NumberFlags(dict):
    def __init__(self, tokens: _Tokens):
        super().__init__()
        self.tokens = tokens

    def __missing__(self, word: str) -> bool:
        return self.tokens.learn(word)


class _Tokens:
    """What each word (a text split on white space) counts for, computed once: its tokens
    (``tokens.TERM_RE``: "rights," holds "rights") with their terms, whether it may start a
    number, and the words holding each name word."""

    def __init__(self) -> None:
        self.number = _NumberFlags(self)
        self.terms: dict[str, tuple[tuple[str, str], ...]] = {}  # word -> (key, token) of its terms
        self._by_name: dict[str, set[str]] = defaultdict(set)

    def learn(self, word: str) -> bool:
        terms = []
        for real in TERM_RE.findall(word):
            key, _form, name = _token(real)
            if key is not None:
                terms.append((key, real))
            if name:
                self._by_name[name].add(word)
        self.terms[word] = tuple(terms)
        flag = self.number[word] = may_start_a_number(word)
        return flag

    def without_names(self, words: list[str], exclude: frozenset[str], into: Counter) -> list[str]:
        """``words`` without those holding a word of the names in ``exclude`` written with a
        capital letter; the other tokens of such a word are added to ``into`` as words of their own."""
        bad: set[str] = set()
        for name in exclude:
            found = self._by_name.get(name)
            if found:
                bad |= found
        if not bad or bad.isdisjoint(words):
            return words
        bad.intersection_update(words)
        for word in bad:
            rest = [real for real in TERM_RE.findall(word) if _token(real)[2] not in exclude]
            if rest:
                n = words.count(word)
                for real in rest:
                    self.number[real]  # learns it
                    into[real] += n
        return [w for w in words if w not in bad]


# ================================================================== everything again (rebuild)


def rebuild_stats(conn: sqlite3.Connection, workers: int | None = 0,
                  log: Callable[[str], None] | None = None) -> None:
    """Recompute every precomputed statistic from the documents, passages and mentions (for an
    archive written without ``ArchiveWriter``, or after documents were removed). The passages are
    read speaker by speaker and counted in ``workers`` processes (None: one per CPU; 0: in this
    process), which read the archive file themselves: that needs ``fork``, a file, its rows
    committed and no exclusive lock, else the counting happens here. The result does not depend on
    the number of workers."""
    StatsRebuild(conn, workers).finish(conn, log)


class StatsRebuild:
    """``rebuild_stats`` in two steps, so that the caller can work while the worker processes
    count: ``StatsRebuild(conn, workers)`` starts them (on the committed rows), ``finish(conn)``
    collects their counts and writes the tables, ``abort()`` stops them. ``synth`` builds the
    full-text indexes in between; the workers only read passages, speakers and mentions."""

    def __init__(self, conn: sqlite3.Connection, workers: int | None = 0):
        path = _parallel_file(conn)
        workers = (multiprocessing.cpu_count() or 1) if workers is None else workers
        tasks = _tasks(conn)
        excludes = _document_excludes(conn)
        self._run = _InWorkers(path, tasks, excludes, workers) if workers > 0 and path is not None else \
            _InThisProcess(conn, tasks, excludes)
        self._run.__enter__()
        self._open = True

    def abort(self) -> None:
        if self._open:
            self._open = False
            self._run.__exit__(StatsError, StatsError("stopped"), None)

    def finish(self, conn: sqlite3.Connection, log: Callable[[str], None] | None = None) -> None:
        run = self._run
        try:
            passages = 0
            figures: list[tuple] = []
            for i, result in enumerate(run.results(), start=1):
                passages += result.passages
                figures.extend(result.figures)
                if log and i % 25 == 0:
                    log(f"statistics: {passages:,} passages counted")
            words, variants = run.totals()
            terms = _Terms(words)
            speakers = run.speakers(terms.ids)
        except BaseException:
            self.abort()
            raise
        self._open = False
        run.__exit__(None, None, None)
        for table in STATS_TABLES:
            conn.execute(f"DELETE FROM [{table}]")
        terms.write(conn)
        conn.executemany("INSERT INTO speaker_terms (speaker_id, count, terms, data) VALUES (?, ?, ?, ?)",
                         sorted(speakers))
        figures.sort(key=lambda r: (r[1], r[0], r[3], r[4]))
        conn.executemany(_INSERT_FIGURE, figures)
        conn.executemany("INSERT INTO mention_variants (entity_id, form, count) VALUES (?, ?, ?)",
                         sorted((eid, form, c) for (eid, form), c in variants.items()))
        _regroup(conn, None)


def _parallel_file(conn: sqlite3.Connection) -> str | None:
    """The archive's file when other processes can read what ``conn`` sees, else None."""
    if conn.in_transaction or "fork" not in multiprocessing.get_all_start_methods():
        return None
    if conn.execute("PRAGMA locking_mode").fetchone()[0].lower() == "exclusive":
        return None
    for _seq, name, file in conn.execute("PRAGMA database_list"):
        if name == "main":
            return file or None
    return None


def _tasks(conn: sqlite3.Connection) -> list[tuple[str, tuple]]:
    """Units of work: groups of whole speakers of about ``_TASK_PASSAGES`` passages (the most
    active first, so that the workers end together), and the narration in ranges of ids."""
    per_speaker = conn.execute(
        "SELECT speaker_id, COUNT(*) FROM passages WHERE speaker_id IS NOT NULL GROUP BY speaker_id"
    ).fetchall()
    tasks: list[tuple[int, str, tuple]] = []
    group: list[int] = []
    size = 0
    for sid, n in sorted(per_speaker, key=lambda r: (-r[1], r[0])):
        if n >= _TASK_PASSAGES:
            tasks.append((n, "speakers", (sid,)))
            continue
        if group and (size + n > _TASK_PASSAGES or len(group) >= _BATCH):
            tasks.append((size, "speakers", tuple(group)))
            group, size = [], 0
        group.append(sid)
        size += n
    if group:
        tasks.append((size, "speakers", tuple(group)))
    narration = [r[0] for r in conn.execute("SELECT id FROM passages WHERE speaker_id IS NULL ORDER BY id")]
    for chunk in chunks(narration, _TASK_PASSAGES):
        tasks.append((len(chunk), "narration", (chunk[0], chunk[-1])))
    tasks.sort(key=lambda t: -t[0])
    return [(kind, args) for _n, kind, args in tasks]


def _document_excludes(conn: sqlite3.Connection) -> dict[int, frozenset[str]]:
    """Each document's speakers' name words, which are not terms of that document."""
    words: dict[int, frozenset[str]] = {}
    for sid, name, aliases in conn.execute("SELECT id, name, aliases FROM speakers"):
        words[sid] = name_words([name, *_json_strings(aliases)])
    out: dict[int, set[str]] = defaultdict(set)
    for doc_id, sid in conn.execute("SELECT document_id, speaker_id FROM document_speakers"):
        out[doc_id] |= words.get(sid, frozenset())
    return {d: frozenset(w) for d, w in out.items()}


@dataclass
class _Payload:
    rows: list[tuple[int, int, int | None, str, str]]  # id, document_id, speaker_id, kind, text
    masks: dict[int, list[tuple[int, int]]]
    mentions: list[tuple[int, int, int, int, str]]  # passage_id, entity_id, start, end, surface
    excludes: dict[int, frozenset[str]]


def _payload(conn: sqlite3.Connection, task: tuple[str, tuple], excludes: dict[int, frozenset[str]]) -> _Payload:
    kind, args = task
    if kind == "speakers":
        where, params = f"p.speaker_id IN ({placeholders(len(args))})", args
    else:
        where, params = "p.speaker_id IS NULL AND p.id BETWEEN ? AND ?", args
    rows = conn.execute(
        f"SELECT p.id, p.document_id, p.speaker_id, p.kind, p.text FROM passages p WHERE {where} "
        "ORDER BY p.speaker_id, p.id", params,
    ).fetchall()
    mentions = conn.execute(
        f'SELECT m.passage_id, m.entity_id, m.start, m."end", m.surface FROM passages p '
        f"JOIN mentions m ON m.passage_id = p.id WHERE {where}", params,
    ).fetchall()
    masks: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pid, _eid, start, end, _surface in mentions:
        masks[pid].append((start, end))
    for pid, start, end in conn.execute(
        f'SELECT q.passage_id, q.start, q."end" FROM passages p JOIN quotes q ON q.passage_id = p.id '
        f"WHERE {where} AND q.kind != ?", (*params, QUOTE),
    ):
        masks[pid].append((start, end))
    return _Payload(rows, dict(masks), mentions, excludes)


@dataclass
class _Result:
    passages: int = 0
    figures: list[tuple] = field(default_factory=list)


class _Counting:
    """What one process keeps while counting units of work: its words and mention forms, and
    each speaker's term counts (packed once the archive's term ids are known)."""

    def __init__(self) -> None:
        self.tokens = _Tokens()
        self.words: Counter = Counter()  # counted token -> count
        self.variants: Counter = Counter()  # (entity id, form) -> count
        self.speakers: list[tuple[int, list[str], array]] = []  # id, term keys (sorted), counts

    def count(self, p: _Payload) -> _Result:
        """Figures and term counts of one unit of work (no database)."""
        figures: list[tuple] = []
        texts: dict[int, str] = {}
        tallies: dict[int | None, TermTally] = {}
        for pid, doc_id, sid, kind, text in p.rows:
            texts[pid] = text
            if kind in NOT_DISCUSSION:
                number = True
            else:
                tally = tallies.get(sid)
                if tally is None:
                    tally = tallies[sid] = TermTally(self.tokens)
                number = tally.add(text, p.excludes.get(doc_id, frozenset()))
            if number:
                figures.extend(_figure_row(pid, doc_id, sid, f) for f in find_figures(text, p.masks.get(pid, ())))
        for sid, tally in tallies.items():
            counts = tally.term_counts(self.words)
            if sid is not None:
                keys = sorted(counts)  # the order of their term ids (``_Terms``)
                self.speakers.append((sid, keys, array(_U32, map(counts.__getitem__, keys))))
        for pid, eid, start, end, surface in p.mentions:
            text = texts.get(pid, "")
            self.variants[(eid, mention_form(text[start:end] or surface, text[end:end + 3]))] += 1
        return _Result(len(p.rows), figures)

    def pack(self, ids: dict[str, int]) -> list[tuple[int, int, int, bytes]]:
        """``speaker_terms`` rows: (speaker id, occurrences, distinct terms, packed counts)."""
        out = [(sid, sum(values), len(keys), pack_term_counts(array(_U32, map(ids.__getitem__, keys)), values))
               for sid, keys, values in self.speakers]
        self.speakers = []
        return out


class _InThisProcess:
    def __init__(self, conn: sqlite3.Connection, tasks: list, excludes: dict[int, frozenset[str]]):
        self.conn, self.tasks, self.excludes = conn, tasks, excludes
        self.counting = _Counting()

    def __enter__(self) -> _InThisProcess:
        return self

    def __exit__(self, *exc) -> None:
        pass

    def results(self) -> Iterator[_Result]:
        for task in self.tasks:
            yield self.counting.count(_payload(self.conn, task, self.excludes))

    def totals(self) -> tuple[Counter, Counter]:
        return self.counting.words, self.counting.variants

    def speakers(self, ids: dict[str, int]) -> list[tuple[int, int, int, bytes]]:
        return self.counting.pack(ids)


class StatsError(Exception):
    """Computing the statistics failed (a worker process failed or stopped)."""


class _InWorkers:
    """The units of work in forked processes that read the archive file themselves. Each sends a
    result per unit, then its words and mention forms; once the archive's term ids are sent back,
    its speakers' packed term counts."""

    def __init__(self, path: str, tasks: list, excludes: dict[int, frozenset[str]], workers: int):
        mp = multiprocessing.get_context("fork")
        self.todo, self.done = mp.Queue(), mp.Queue()
        self.ids_queues = [mp.Queue() for _ in range(workers)]
        for task in tasks:
            self.todo.put(task)
        for _ in range(workers):
            self.todo.put(None)
        self.procs = [mp.Process(target=_worker, args=(path, self.todo, self.done, back, excludes), daemon=True)
                      for back in self.ids_queues]

    def __enter__(self) -> _InWorkers:
        for proc in self.procs:
            proc.start()
        return self

    def __exit__(self, *exc) -> None:
        for proc in self.procs:
            if proc.is_alive() and exc[0] is not None:
                proc.terminate()
            proc.join()

    def _get(self) -> tuple[str, object]:
        while True:
            try:
                kind, value = self.done.get(timeout=1.0)
            except queue.Empty:
                if any(proc.exitcode not in (None, 0) for proc in self.procs):
                    raise StatsError("a statistics worker process stopped unexpectedly") from None
                continue
            if kind == "error":
                raise StatsError(f"a statistics worker failed: {value}")
            return kind, value

    def results(self) -> Iterator[_Result]:
        self._totals: list[tuple[Counter, Counter]] = []
        while len(self._totals) < len(self.procs):
            kind, value = self._get()
            if kind == "result":
                yield value
            else:
                self._totals.append(value)

    def totals(self) -> tuple[Counter, Counter]:
        words, variants = Counter(), Counter()
        for w, v in self._totals:
            words.update(w)
            variants.update(v)
        return words, variants

    def speakers(self, ids: dict[str, int]) -> list[tuple[int, int, int, bytes]]:
        for back in self.ids_queues:
            back.put(ids)
        out: list[tuple[int, int, int, bytes]] = []
        for _ in self.procs:
            out.extend(self._get()[1])
        return out


def _worker(path: str, todo, done, ids_queue, excludes: dict[int, frozenset[str]]) -> None:
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=60)
        counting = _Counting()
        while (task := todo.get()) is not None:
            done.put(("result", counting.count(_payload(conn, task, excludes))))
        conn.close()
        done.put(("totals", (counting.words, counting.variants)))
        done.put(("speakers", counting.pack(ids_queue.get())))
    except BaseException as e:  # reported to the parent, which raises StatsError
        done.put(("error", f"{type(e).__name__}: {e}"))


class _Terms:
    """The archive's terms from the counted tokens: ids in the order of their keys."""

    def __init__(self, words: Counter):
        self.counts: Counter = Counter()
        self.forms: dict[str, Counter] = defaultdict(Counter)
        for word, n in words.items():
            key, form, _name = _token(word)
            self.counts[key] += n
            self.forms[key][form] += n
        self.ids = {key: i for i, key in enumerate(sorted(self.counts), start=1)}

    def write(self, conn: sqlite3.Connection) -> None:
        conn.executemany("INSERT INTO terms (id, key, label, count) VALUES (?, ?, ?, ?)",
                         [(i, k, best_form(self.forms[k]), self.counts[k]) for k, i in self.ids.items()])
        conn.executemany("INSERT INTO term_forms (term_id, form, count) VALUES (?, ?, ?)",
                         sorted((self.ids[k], f, c) for k, fc in self.forms.items() for f, c in fc.items()))


# ================================================================== archive-wide: labels and entity groups


def refresh_stats(conn: sqlite3.Connection, document_ids: Iterable[int] | None = None) -> None:
    """Recompute what new documents change archive-wide. The term labels were updated with each
    document; here the entities they touch (mentioned, new, or a speaker's) are grouped again with
    every entity whose name could be a spelling of theirs, and those groups' rows rewritten: work in
    proportion to the documents and the names they use. ``document_ids=None``: every label and
    every group, archive-wide."""
    global _tokens_cache
    _tokens_cache = None
    if document_ids is None:
        _relabel(conn, None)
        _regroup(conn, None)
        return
    docs = sorted(set(document_ids))
    if not docs:
        return
    touched: set[int] = set()
    for chunk in chunks(docs):
        marks = placeholders(len(chunk))
        touched.update(r[0] for r in conn.execute(
            f"SELECT DISTINCT entity_id FROM mentions WHERE document_id IN ({marks})", chunk))
        touched.update(r[0] for r in conn.execute(
            f"SELECT id FROM entities WHERE speaker_id IN (SELECT speaker_id FROM document_speakers "
            f"WHERE document_id IN ({marks}))", chunk))
    touched.update(r[0] for r in conn.execute(
        "SELECT id FROM entities WHERE id > (SELECT COALESCE(MAX(entity_id), 0) FROM entity_groups)"))
    if touched:
        _regroup(conn, _closure(conn, touched))


def _closure(conn: sqlite3.Connection, start: set[int]) -> set[int]:
    """``start``, the entities whose grouping may depend on theirs, and the other members of
    their present groups (a speaker may have changed), until nothing is added."""
    ids = set(start)
    while True:
        ids = _neighbourhood(conn, ids)
        more: set[int] = set()
        for chunk in chunks(sorted(ids)):
            more.update(r[0] for r in conn.execute(
                f"SELECT entity_id FROM entity_groups WHERE group_id IN (SELECT group_id FROM entity_groups "
                f"WHERE entity_id IN ({placeholders(len(chunk))}))", chunk))
        if more <= ids:
            return ids
        ids |= more


# ------------------------------------------------------------------ entities across documents


@dataclass(frozen=True)
class EntityName:
    """What grouping needs to know of an entity."""

    id: int
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    speaker_id: int | None = None
    mentions: int = 0


def _org_key(name: str) -> str:
    return " ".join(spelling_keys(fold_quotes(name)))


def group_entities(entities: Sequence[EntityName]) -> dict[int, int]:
    """entity id -> group id (the smallest id of its group). People are grouped when their names
    are spellings of one name (transliteration, a typo, an oblique case) with compatible given
    names, never two different speakers; a surname alone joins the one group it fits, and stays
    alone when it fits several. Organisations are grouped by name, or by an alias only one group uses.

    Only entities whose names could interact decide each other's group (``entity_keys``): the
    grouping of any set of entities closed under that relation is the grouping of the archive."""
    parent = {e.id: e.id for e in entities}
    by_id = {e.id: e for e in entities}
    members: dict[int, set[int]] = {e.id: {e.id} for e in entities}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def speakers_of(root: int) -> set[int]:
        return {by_id[m].speaker_id for m in members[root] if by_id[m].speaker_id}

    def can_union(ra: int, rb: int) -> bool:
        if ra == rb:
            return True
        if len(speakers_of(ra) | speakers_of(rb)) > 1:
            return False
        return all(
            any(compatible_given(ga, gb) for ga, _sa in keys.get(x, ()) for gb, _sb in keys.get(y, ()))
            for x in members[ra] for y in members[rb] if keys.get(x) and keys.get(y)
        )

    def union(a: int, b: int) -> bool:
        ra, rb = find(a), find(b)
        if ra == rb:
            return True
        if not can_union(ra, rb):
            return False
        if rb < ra:
            ra, rb = rb, ra
        parent[rb] = ra
        members[ra] |= members.pop(rb)
        return True

    persons = [e for e in entities if e.kind == "person"]
    keys: dict[int, list[tuple[tuple[str, ...], str]]] = {e.id: readings(e.name) for e in persons}
    # the same speaker of the archive is the same person
    by_speaker: dict[int, int] = {}
    for e in persons:
        if e.speaker_id:
            if e.speaker_id in by_speaker:
                union(by_speaker[e.speaker_id], e.id)
            else:
                by_speaker[e.speaker_id] = e.id
    full = [e for e in persons if any(g for g, _s in keys[e.id])]
    # similar surnames start alike and differ in length by one letter at most: compare distinct
    # surnames within (first two letters, length) blocks, then the given names of their bearers
    bearers: dict[str, list[tuple[int, tuple[str, ...]]]] = defaultdict(list)
    for e in full:
        for g, sname in set(keys[e.id]):
            if g:
                bearers[sname].append((e.id, g))
    blocks: dict[tuple[str, int], list[str]] = defaultdict(list)
    for sname in bearers:
        blocks[(sname[:2], len(sname))].append(sname)

    def partners(sname: str) -> list[str]:
        near = [t for n in (len(sname) - 1, len(sname), len(sname) + 1) for t in blocks.get((sname[:2], n), ())]
        return [t for t in near if similar_surnames(sname, t)]

    matches: dict[int, set[int]] = defaultdict(set)
    for sname, people in bearers.items():
        for other in partners(sname):
            if other < sname:
                continue
            for a, ga in people:
                for b, gb in bearers[other]:
                    if a != b and compatible_given(ga, gb):
                        matches[a].add(b)
                        matches[b].add(a)
    # a name that fits several people who cannot be one ("A. Smith" and two speakers called Anna
    # Smith) joins none of them
    for e in full:
        roots = sorted({find(b) for b in matches[e.id]} | {find(e.id)})
        if len(roots) > 1 and all(can_union(x, y) for i, x in enumerate(roots) for y in roots[i + 1:]):
            for r in roots:
                union(e.id, r)
    # surnames alone: join the one group of full names they fit
    index: dict[tuple[str, int], dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for e in full:
        surnames = {sname for _g, sname in keys[e.id]}
        for alias in e.aliases:
            t = name_words_of(alias)
            if t:
                surnames.add(romanisation_key(t[-1]))
        for sname in surnames:
            index[(sname[:2], len(sname))][sname].add(e.id)
    fit_cache: dict[str, set[int]] = {}

    def fitting(surname: str) -> set[int]:
        if surname not in fit_cache:
            ids: set[int] = set()
            for n in (len(surname) - 1, len(surname), len(surname) + 1):
                for t, eids in index.get((surname[:2], n), {}).items():
                    if similar_surnames(surname, t):
                        ids |= eids
            fit_cache[surname] = ids
        return {find(i) for i in fit_cache[surname]}

    full_ids = {e.id for e in full}
    alone = [e for e in persons if e.id not in full_ids and keys[e.id]]
    leftovers: dict[str, int] = {}
    for e in alone:
        written = keys[e.id][0][1]
        fits = set().union(*(fitting(s) for _g, s in keys[e.id]))
        # an oblique case alone ("Назарбаева": his genitive, or a woman's name) is no evidence
        if len(fits) == 1 and fitting(written) == fits:
            union(fits.pop(), e.id)
        elif not fits:
            if written in leftovers:
                union(leftovers[written], e.id)
            else:
                leftovers[written] = e.id
    # organisations and other named things: by name, or an alias used by one group only
    others = [e for e in entities if e.kind != "person"]
    by_name: dict[tuple[str, str], int] = {}
    for e in others:
        k = (e.kind, _org_key(e.name))
        if k in by_name:
            union(by_name[k], e.id)
        else:
            by_name[k] = e.id
    alias_owner: dict[tuple[str, str], set[int]] = defaultdict(set)
    for e in others:
        for a in e.aliases:
            alias_owner[(e.kind, _org_key(a))].add(find(e.id))
    for e in others:
        owners = {find(r) for r in alias_owner.get((e.kind, _org_key(e.name)), set())}
        if len(owners) == 1:
            union(owners.pop(), e.id)
    return {e.id: find(e.id) for e in entities}


def _group_head(ents: list[EntityName]) -> EntityName:
    """The name a group is shown under: a speaker's, else the fullest, most mentioned name."""
    return min(ents, key=lambda e: (e.speaker_id is None, -len(name_words_of(e.name)) if e.kind == "person" else 0,
                                    -e.mentions, e.id))


def entity_keys(e: EntityName) -> set[str]:
    """What decides which entities can be grouped with ``e`` (``entity_keys``): for a person the
    loosely spelled surname of each reading of their name and aliases (``p:`` + its first two
    letters, length and itself: similar surnames are in the same or a neighbouring length) and their
    speaker (``s:``); for anything else its kind with its name and aliases as ``group_entities``
    compares them (``o:``)."""
    if e.kind == "person":
        surnames = {s for _g, s in readings(e.name)}
        for alias in e.aliases:
            t = name_words_of(alias)
            if t:
                surnames.add(romanisation_key(t[-1]))
        out = {_surname_key(s) for s in surnames}
        if e.speaker_id:
            out.add(f"s:{e.speaker_id}")
        return out
    return {f"o:{e.kind}:{_org_key(n)}" for n in (e.name, *e.aliases)}


def _surname_key(s: str) -> str:
    return f"p:{s[:2]}:{len(s):03d}:{s}"


def _entity_names(conn: sqlite3.Connection, ids: Iterable[int] | None) -> list[EntityName]:
    sql = "SELECT id, name, kind, aliases, speaker_id, mentions FROM entities"
    if ids is None:
        rows = conn.execute(sql + " ORDER BY id").fetchall()
    else:
        rows = []
        for chunk in chunks(sorted(ids)):
            rows.extend(conn.execute(f"{sql} WHERE id IN ({placeholders(len(chunk))})", chunk).fetchall())
        rows.sort()
    return [EntityName(eid, name, kind, tuple(_json_strings(aliases)), sid, mentions or 0)
            for eid, name, kind, aliases, sid, mentions in rows]


def _neighbourhood(conn: sqlite3.Connection, start: set[int]) -> set[int]:
    """``start`` and every entity whose grouping could depend on theirs, and so on: a set that
    ``group_entities`` groups as the whole archive would."""
    found = set(start)
    todo = set(start)
    while todo:
        nxt: set[int] = set()
        for e in _entity_names(conn, todo):
            for key in entity_keys(e):
                if key.startswith("p:"):
                    surname = key.split(":", 3)[3]
                    for n in (len(surname) - 1, len(surname), len(surname) + 1):
                        prefix = f"p:{surname[:2]}:{n:03d}:"
                        for other, eid in conn.execute(
                            "SELECT key, entity_id FROM entity_keys WHERE key >= ? AND key < ?",
                            (prefix, prefix + "\U0010ffff"),
                        ):
                            if eid not in found and similar_surnames(surname, other.split(":", 3)[3]):
                                nxt.add(eid)
                else:
                    nxt.update(r[0] for r in conn.execute("SELECT entity_id FROM entity_keys WHERE key = ?", (key,))
                               if r[0] not in found)
        nxt -= found
        found |= nxt
        todo = nxt
    return found


def _regroup(conn: sqlite3.Connection, ids: set[int] | None) -> None:
    """Group these entities again (None: all) and rewrite their groups' rows. ``ids`` must be
    closed under ``_neighbourhood``; then no group reaches outside it, before or after."""
    entities = _entity_names(conn, ids)
    groups = group_entities(entities)
    if ids is None:
        for table in ("entity_keys", "entity_groups", "mention_groups"):
            conn.execute(f"DELETE FROM [{table}]")
        old: set[int] = set()
    else:
        old = set()
        for chunk in chunks(sorted(ids)):
            marks = placeholders(len(chunk))
            old.update(r[0] for r in conn.execute(
                f"SELECT DISTINCT group_id FROM entity_groups WHERE entity_id IN ({marks})", chunk))
            conn.execute(f"DELETE FROM entity_keys WHERE entity_id IN ({marks})", chunk)
            conn.execute(f"DELETE FROM entity_groups WHERE entity_id IN ({marks})", chunk)
        for chunk in chunks(sorted(old)):
            conn.execute(f"DELETE FROM mention_groups WHERE id IN ({placeholders(len(chunk))})", chunk)
    conn.executemany("INSERT INTO entity_keys (entity_id, key) VALUES (?, ?)",
                     sorted((e.id, k) for e in entities for k in entity_keys(e)))
    conn.executemany("INSERT INTO entity_groups (entity_id, group_id) VALUES (?, ?)", sorted(groups.items()))
    variants: dict[int, Counter] = defaultdict(Counter)
    by_speaker: dict[int, Counter] = defaultdict(Counter)
    if ids is None:
        rows = conn.execute("SELECT entity_id, form, count FROM mention_variants")
        mentions = conn.execute("SELECT entity_id, speaker_id, COUNT(*) FROM mentions GROUP BY 1, 2")
    else:
        rows, mentions = [], []
        for chunk in chunks(sorted(ids)):
            marks = placeholders(len(chunk))
            rows += conn.execute(
                f"SELECT entity_id, form, count FROM mention_variants WHERE entity_id IN ({marks})", chunk).fetchall()
            mentions += conn.execute(
                f"SELECT entity_id, speaker_id, COUNT(*) FROM mentions WHERE entity_id IN ({marks}) GROUP BY 1, 2",
                chunk).fetchall()
    for eid, form, count in rows:
        variants[groups.get(eid, eid)][form] += count
    for eid, sid, count in mentions:
        by_speaker[groups.get(eid, eid)][sid] += count
    members: dict[int, list[EntityName]] = defaultdict(list)
    for e in entities:
        members[groups[e.id]].append(e)
    out = []
    for gid, ents in sorted(members.items()):
        head = _group_head(ents)
        forms = sorted(variants[gid].items(), key=lambda kv: (-kv[1], kv[0]))
        speakers = sorted(by_speaker[gid].items(), key=lambda kv: (-kv[1], kv[0] is None, kv[0] or 0))
        out.append((gid, head.name, head.kind, sum(e.mentions for e in ents),
                    json.dumps([e.name for e in ents], ensure_ascii=False),
                    json.dumps([[f, c] for f, c in forms], ensure_ascii=False),
                    json.dumps([[sid, c] for sid, c in speakers])))
    conn.executemany(
        "INSERT INTO mention_groups (id, name, kind, mentions, entities, variants, speakers) VALUES (?,?,?,?,?,?,?)",
        out,
    )
