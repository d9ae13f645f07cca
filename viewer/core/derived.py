"""Derived data: what an archive holds that is computed from its text, versioned apart from the format.

Two kinds, both rebuilt from the documents, passages, quotes and mentions at any time (``reindex``,
``archive-viewer reindex``):

* the **statistics** (``viewer.core.stats_writer``: key figures, terms, each speaker's terms, the groups of
  mentions), whose version is ``STATISTICS_VERSION``, stored in ``meta`` as ``statistics_version``;
* the search's **top-k lists** (``viewer.core.topk``), whose version is ``topk.FORMAT``, stored with them
  (``<table>_topk_info``).

A version of the app that counts or stores one of them differently raises its version instead of migrating
archives: an archive whose derived data has another version (or none: made before versions were stored) is
*stale*. It still opens and works: the search ranks with FTS5 alone, the statistics are read as they are
(an older layout too: ``schema.OLDER_LAYOUTS``). ``reindex`` brings it up to date, and so does any write of
the statistics (an import, a correction: ``stats_writer.refresh_stats`` rebuilds stale statistics whole).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

STATISTICS = "statistics"
SEARCH_LISTS = "search lists"
KINDS = (STATISTICS, SEARCH_LISTS)

# 1: each speaker's term counts packed in one zlib value (speaker_terms.data), before versions were stored;
# 2: speaker_terms as a plain table, one row a (speaker, term)
STATISTICS_VERSION = 2
_STATISTICS_KEY = "statistics_version"


@dataclass(frozen=True)
class DerivedState:
    """One kind of derived data in an archive: ``stored`` is its version there (None: none stored, or
    absent), ``current`` this app's; ``status`` is "current", "stale" or "missing"."""

    kind: str
    stored: str | None
    current: str
    present: bool = True

    @property
    def status(self) -> str:
        if not self.present:
            return "missing"
        return "current" if self.stored == self.current else "stale"

    @property
    def note(self) -> str:
        """One line for the user when the data is not current, else ""."""
        if self.status == "current":
            return ""
        what = "the statistics" if self.kind == STATISTICS else "the search's precomputed lists"
        why = "are not in this archive" if self.status == "missing" else "were made by another version"
        effect = "they are read as they are" if self.kind == STATISTICS else "frequent words are ranked more slowly"
        return f"{what} {why} ({effect}); `archive-viewer reindex` makes them again"


def _rows(conn, sql: str, params: tuple = ()) -> list:
    """Rows of a query on a ``sqlite3.Connection`` or a ``viewer.core.db.Connection``."""
    return list(conn.execute(sql, params))


def _tables(conn) -> set[str]:
    return {r[0] for r in _rows(conn, "SELECT name FROM sqlite_master WHERE type = 'table'")}


def states(conn) -> list[DerivedState]:
    """The state of each kind of derived data in the archive ``conn`` reads."""
    from viewer.core.topk import FORMAT, RANKED

    row = _rows(conn, "SELECT value FROM meta WHERE key = ?", (_STATISTICS_KEY,))
    out = [DerivedState(STATISTICS, str(row[0][0]) if row else None, str(STATISTICS_VERSION))]
    tables = _tables(conn)
    formats = set()
    present = all(f"{t}_topk_info" in tables for t in RANKED)
    if present:
        for table in RANKED:
            got = _rows(conn, f"SELECT value FROM [{table}_topk_info] WHERE key = 'format'")
            formats.add(str(got[0][0]) if got else None)
    stored = formats.pop() if len(formats) == 1 else None
    out.append(DerivedState(SEARCH_LISTS, stored, FORMAT, present))
    return out


def state(conn, kind: str) -> DerivedState:
    return next(s for s in states(conn) if s.kind == kind)


def statistics_current(conn) -> bool:
    """Whether the archive's statistics are this version's (writers then update them document by document)."""
    row = _rows(conn, "SELECT value FROM meta WHERE key = ?", (_STATISTICS_KEY,))
    return bool(row) and str(row[0][0]) == str(STATISTICS_VERSION)


def mark_statistics(conn: sqlite3.Connection, current: bool) -> None:
    """Record that the statistics are this version's (``current``), or that they are not (left empty)."""
    if current:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (_STATISTICS_KEY, str(STATISTICS_VERSION)),
        )
    else:
        conn.execute("DELETE FROM meta WHERE key = ?", (_STATISTICS_KEY,))


@dataclass
class ReindexResult:
    path: Path
    kinds: tuple[str, ...]
    seconds: dict[str, float] = field(default_factory=dict)
    before: dict[str, str] = field(default_factory=dict)  # kind -> status before


def reindex(
    path: str | Path,
    kinds: tuple[str, ...] = KINDS,
    log: Callable[[str], None] | None = None,
    workers: int | None = None,
) -> ReindexResult:
    """Make the derived data of the archive at ``path`` again from its text (each kind in its own
    transaction; the text itself is not changed). ``workers`` processes count the statistics (None: one per
    CPU)."""
    from viewer.core.stats_rebuild import rebuild_stats
    from viewer.core.topk import build_topk

    path = Path(path)
    result = ReindexResult(path, tuple(kinds))
    conn = sqlite3.connect(path, timeout=30)
    try:
        result.before = {s.kind: s.status for s in states(conn)}
        if STATISTICS in kinds:
            t = time.perf_counter()
            rebuild_stats(conn, workers=workers, log=log)
            conn.commit()
            result.seconds[STATISTICS] = time.perf_counter() - t
        if SEARCH_LISTS in kinds:
            t = time.perf_counter()
            build_topk(conn, log=log)
            conn.commit()
            result.seconds[SEARCH_LISTS] = time.perf_counter() - t
    except BaseException:
        conn.rollback()
        raise
    finally:
        conn.close()
    return result
