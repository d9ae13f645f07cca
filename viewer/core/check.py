"""A full health check of an archive, run on a private copy so the file itself is never touched.

The copy is made with SQLite's backup API from a read-only connection, in one step: a consistent
snapshot even while another program writes to the archive (the writer waits for the copy, up to its
busy timeout). An archive in WAL mode is copied with its ``-wal`` file instead, as every reader does
(opening it would write beside it). The copy lives in a ``ScratchDir``: removed when the check ends,
however it ends, and by the next check when a killed one left it behind.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from viewer.core import schema
from viewer.core.db import (
    ArchiveError,
    Connection,
    _check_schema,
    check_file,
    is_wal,
    map_error,
    recover_interrupted_write,
)
from viewer.core.scratch import ScratchDir, clean_stale
from viewer.core.stats import packed_term_counts
from viewer.core.values import problems


@dataclass
class CheckReport:
    path: str
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        head = f"{self.path}: " + ("no problems found" if self.ok else f"{len(self.problems)} problem(s) found")
        return [head, *(f"  ok: {c}" for c in self.checked), *(f"  problem: {p}" for p in self.problems)]


def check_archive(path: str | Path, timeout_ms: int = 60_000) -> CheckReport:
    """Check ``path``: the open checks, SQLite's integrity check, the FTS5 indexes, and that the
    archive's own promises hold (offsets slice the text, totals add up). Raises ArchiveError when the
    file cannot be opened as an archive at all."""
    path = Path(path).absolute()  # a file URI needs an absolute path
    check_file(path)
    recover_interrupted_write(path)
    report = CheckReport(str(path))
    clean_stale(CHECK_PREFIX)  # copies of checks that were killed
    scratch = ScratchDir(CHECK_PREFIX)
    try:
        copy = scratch.path / "archive.db"
        _copy(path, copy)
        conn = Connection(path, timeout_ms, _private=copy)  # a writable private copy: FTS5 checks need one
        try:
            _check_schema(conn, path)
            _run(conn, report)
        finally:
            conn.close()
    finally:
        scratch.close()
    return report


CHECK_PREFIX = "archive-viewer-check-"


def _copy(path: Path, copy: Path) -> None:
    """A consistent copy of the archive at ``copy`` (see the module docstring)."""
    try:
        if is_wal(path):
            shutil.copyfile(path, copy)
            wal = path.with_name(path.name + "-wal")
            if wal.is_file():
                shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
            return
        source = sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True, timeout=BACKUP_WAIT_S)
        try:
            target = sqlite3.connect(copy)
            try:
                source.backup(target)  # all pages in one step, under one read lock
            finally:
                target.close()
        finally:
            source.close()
    except OSError as e:
        raise ArchiveError(f"The archive “{path}” cannot be read.", repr(e)) from e
    except sqlite3.Error as e:
        raise map_error(e, path) from e


BACKUP_WAIT_S = 30.0  # how long the copy waits for a writer to finish


def _step(report: CheckReport, name: str, fn) -> None:
    try:
        problems = fn()
    except ArchiveError as e:
        report.problems.append(f"{name}: {e.message} ({e.details})" if e.details else f"{name}: {e.message}")
        return
    except (sqlite3.Error, UnicodeDecodeError) as e:  # pragma: no cover - Connection maps these
        report.problems.append(f"{name}: {e}")
        return
    if problems:
        report.problems.extend(f"{name}: {p}" for p in problems)
    else:
        report.checked.append(name)


def _run(conn, report: CheckReport) -> None:
    def integrity():
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        return [] if rows == ["ok"] else rows[:20]

    def fts(table: str):
        def run():
            conn.execute(f"INSERT INTO [{table}_fts]([{table}_fts]) VALUES ('integrity-check')")
            return []

        return run

    def values():
        raw = conn.conn.execute  # typeof() of every value, unchecked: finding bad values is the point
        found = []
        for table in schema.TABLES:
            found += problems(lambda sql, params: raw(sql, params).fetchall(), table, 20 - len(found))
            if len(found) >= 20:
                break
        return found

    def offsets():
        bad = []
        for table, column in (("quotes", "text"), ("mentions", "surface")):
            rows = conn.execute(
                f'SELECT t.id, t.start, t."end", t.{column}, p.text FROM {table} t JOIN passages p ON p.id = '
                "t.passage_id"
            )
            for r in rows:
                if r[4] is None or r[4][r[1] : r[2]] != r[3]:
                    bad.append(f"{table} {r[0]} does not match its passage text")
        return bad[:20]

    def totals():
        rows = conn.execute(
            """SELECT s.id, s.name FROM speakers s WHERE
                 s.passages != (SELECT COUNT(*) FROM passages p WHERE p.speaker_id = s.id)
              OR s.quotes != (SELECT COUNT(*) FROM quotes q WHERE q.speaker_id = s.id AND q.kind = 'quote')"""
        )
        return [f"speaker {r[0]} ({r[1]}): totals do not match passages and quotes" for r in rows][:20]

    def references():
        rows = conn.execute("PRAGMA foreign_key_check")
        return [f"{r[0]} row {r[1]} points at a missing {r[2]}" for r in rows][:20]

    def speaker_terms():
        """An older archive's packed counts (``speaker_terms.data``) unpack; the plain table's values are
        checked with every other table's."""
        if "data" not in {r[1] for r in conn.conn.execute("PRAGMA table_info(speaker_terms)")}:
            return []
        bad = []
        for speaker_id, data in conn.conn.execute("SELECT speaker_id, data FROM speaker_terms"):
            try:
                packed_term_counts(data)
            except ValueError as e:
                bad.append(f"speaker {speaker_id}: {e}")
        return bad[:20]

    conn.conn.execute("PRAGMA query_only = OFF")  # the private copy; FTS5's check is an INSERT
    _step(report, "SQLite integrity check", integrity)
    _step(report, "values the format allows", values)
    for table in schema.FTS:
        _step(report, f"full-text index {table}_fts", fts(table))
    _step(report, "quote and mention offsets", offsets)
    _step(report, "speaker totals", totals)
    _step(report, "references between tables", references)
    _step(report, "speakers' term counts", speaker_terms)
