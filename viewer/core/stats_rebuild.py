"""Every precomputed statistic again from the documents, passages and mentions (``rebuild_stats``), for an
archive written without ``ArchiveWriter`` (``synth``), after documents were removed, or when the statistics
are stale (``archive-viewer reindex``): in worker processes for big archives (a million passages in about a
minute on two cores, bench/RESULTS.md). The result is what ``viewer.core.stats_writer`` writes document by
document, whatever the number of workers.
"""

from __future__ import annotations

import multiprocessing
import queue
import sqlite3
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from viewer.core import derived, schema
from viewer.core.db import chunks, placeholders
from viewer.core.entity_groups import json_strings, regroup
from viewer.core.errors import ViewerError
from viewer.core.figures import find_figures
from viewer.core.records import QUOTE
from viewer.core.stats_writer import (
    _INSERT_FIGURE,
    NOT_DISCUSSION,
    STATS_TABLES,
    TermTally,
    _figure_row,
    _Tokens,
    mention_form,
)
from viewer.core.terms import _token, best_form, name_words

_BATCH = 500  # speakers in one unit of work at most
_U32 = next(code for code in "IL" if array(code).itemsize == 4)
SpeakerTerms = tuple[int, array, array]  # a speaker's id, term ids (ascending) and counts
# passages per unit of work of ``rebuild_stats`` (a speaker's passages are never split)
_TASK_PASSAGES = 8000


def rebuild_stats(conn: sqlite3.Connection, workers: int | None = 0, log: Callable[[str], None] | None = None) -> None:
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
        self._run = (
            _InWorkers(path, tasks, excludes, workers)
            if workers > 0 and path is not None
            else _InThisProcess(conn, tasks, excludes)
        )
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
        _empty_tables(conn)
        terms.write(conn)
        conn.executemany(
            "INSERT INTO speaker_terms (speaker_id, term_id, count) VALUES (?, ?, ?)",
            ((sid, t, c) for sid, ids, counts in sorted(speakers, key=lambda s: s[0]) for t, c in zip(ids, counts)),
        )
        figures.sort(key=lambda r: (r[1], r[0], r[3], r[4]))
        conn.executemany(_INSERT_FIGURE, figures)
        conn.executemany(
            "INSERT INTO mention_variants (entity_id, form, count) VALUES (?, ?, ?)",
            sorted((eid, form, c) for (eid, form), c in variants.items()),
        )
        regroup(conn, None)
        derived.mark_statistics(conn, True)


def _empty_tables(conn: sqlite3.Connection) -> None:
    """The statistics tables emptied, each in this version's layout (one of an older layout is made again)."""
    for table in STATS_TABLES:
        columns = {r[1] for r in conn.execute(f"PRAGMA table_info([{table}])")}
        if table in schema.TABLES and schema.has_layout(columns, table) != "current":
            conn.execute(f"DROP TABLE IF EXISTS [{table}]")
            schema.create_table(conn, table)
        else:
            conn.execute(f"DELETE FROM [{table}]")


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
        words[sid] = name_words([name, *json_strings(aliases)])
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
        "ORDER BY p.speaker_id, p.id",
        params,
    ).fetchall()
    mentions = conn.execute(
        f'SELECT m.passage_id, m.entity_id, m.start, m."end", m.surface FROM passages p '
        f"JOIN mentions m ON m.passage_id = p.id WHERE {where}",
        params,
    ).fetchall()
    masks: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pid, _eid, start, end, _surface in mentions:
        masks[pid].append((start, end))
    for pid, start, end in conn.execute(
        f'SELECT q.passage_id, q.start, q."end" FROM passages p JOIN quotes q ON q.passage_id = p.id '
        f"WHERE {where} AND q.kind != ?",
        (*params, QUOTE),
    ):
        masks[pid].append((start, end))
    return _Payload(rows, dict(masks), mentions, excludes)


@dataclass
class _Result:
    passages: int = 0
    figures: list[tuple] = field(default_factory=list)


class _Counting:
    """What one process keeps while counting units of work: its words and mention forms, and
    each speaker's term counts (as term ids once the archive's term ids are known)."""

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
            self.variants[(eid, mention_form(text[start:end] or surface, text[end : end + 3]))] += 1
        return _Result(len(p.rows), figures)

    def speaker_terms(self, ids: dict[str, int]) -> list[SpeakerTerms]:
        """Each speaker's term ids (ascending: ids follow the keys' order) and counts."""
        out = [(sid, array(_U32, map(ids.__getitem__, keys)), values) for sid, keys, values in self.speakers]
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

    def speakers(self, ids: dict[str, int]) -> list[SpeakerTerms]:
        return self.counting.speaker_terms(ids)


class StatsError(ViewerError):
    """Computing the statistics failed (a worker process failed or stopped)."""


class _InWorkers:
    """The units of work in forked processes that read the archive file themselves. Each sends a
    result per unit, then its words and mention forms; once the archive's term ids are sent back,
    its speakers' term counts."""

    def __init__(self, path: str, tasks: list, excludes: dict[int, frozenset[str]], workers: int):
        mp = multiprocessing.get_context("fork")
        self.todo, self.done = mp.Queue(), mp.Queue()
        self.ids_queues = [mp.Queue() for _ in range(workers)]
        for task in tasks:
            self.todo.put(task)
        for _ in range(workers):
            self.todo.put(None)
        self.procs = [
            mp.Process(target=_worker, args=(path, self.todo, self.done, back, excludes), daemon=True)
            for back in self.ids_queues
        ]

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

    def speakers(self, ids: dict[str, int]) -> list[SpeakerTerms]:
        for back in self.ids_queues:
            back.put(ids)
        out: list[SpeakerTerms] = []
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
        done.put(("speakers", counting.speaker_terms(ids_queue.get())))
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
        conn.executemany(
            "INSERT INTO terms (id, key, label, count) VALUES (?, ?, ?, ?)",
            [(i, k, best_form(self.forms[k]), self.counts[k]) for k, i in self.ids.items()],
        )
        conn.executemany(
            "INSERT INTO term_forms (term_id, form, count) VALUES (?, ?, ?)",
            sorted((self.ids[k], f, c) for k, fc in self.forms.items() for f, c in fc.items()),
        )
