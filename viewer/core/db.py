"""Open an archive safely: read-only, checked, time-limited, errors mapped to ours.

Archives come from other people. Opening one never writes beside it, never trusts its schema,
and every failure becomes an ``ArchiveError`` with a one-line plain-text message and details.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from viewer.core import schema
from viewer.core.errors import (  # noqa: F401 - the archive errors, importable from here as before
    ArchiveBusy,
    ArchiveDamaged,
    ArchiveError,
    ArchiveInterrupted,
    ArchiveNotAFile,
    ArchiveNotFound,
    ArchiveTooNew,
    ArchiveUnreadable,
    DataDamaged,
    NotAnArchive,
    QueryInterrupted,
    QueryTimeout,
)
from viewer.core.scratch import ScratchDir, clean_stale
from viewer.core.values import RowChecker

SQLITE_HEADER = b"SQLite format 3\x00"
DEFAULT_TIMEOUT_MS = 5000


IN_BATCH = 500  # values bound in one ``IN (...)``: well under SQLite's limit on parameters


def chunks(items: Sequence, size: int = IN_BATCH) -> Iterator[Sequence]:
    """``items`` in slices small enough to bind in one ``IN (...)``."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def placeholders(n: int) -> str:
    """``?,?,...`` for ``n`` values."""
    return ",".join("?" * n)


def _decode(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def check_file(path: Path) -> None:
    """Raise the right ArchiveError if ``path`` cannot be an archive file; creates nothing."""
    name = str(path)
    if not path.exists():
        raise ArchiveNotFound(f"The archive “{name}” does not exist.")
    if path.is_dir():
        raise ArchiveNotAFile(f"“{name}” is a folder, not an archive file.")
    if not path.is_file():
        raise ArchiveNotAFile(f"“{name}” is not a regular file.")
    try:
        with path.open("rb") as f:
            header = f.read(100)
    except OSError as e:
        raise ArchiveUnreadable(f"The archive “{name}” cannot be read: {e.strerror or e}.", repr(e)) from e
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        raise NotAnArchive(
            f"“{path.name}” is not an Archive Viewer archive.",
            "empty file" if not header else "no SQLite header",
        )


def is_wal(path: Path) -> bool:
    """True when the file's header says it is in WAL mode (bytes 18-19 == 2)."""
    with path.open("rb") as f:
        header = f.read(20)
    return len(header) == 20 and (header[18] == 2 or header[19] == 2)


class Connection:
    """A read-only connection to one archive with a time limit on every query. Use one per thread;
    ``interrupt()`` may be called from any thread to cancel the query in flight."""

    def __init__(
        self,
        path: Path,
        timeout_ms: int = DEFAULT_TIMEOUT_MS,
        _private: Path | None = None,
        _owns_copy: bool = True,
        _scratch: ScratchDir | None = None,
    ):
        self.path = path
        self.timeout_ms = timeout_ms
        self._private = _private
        target = _private or path
        try:
            self.conn = sqlite3.connect(
                target.as_uri() + ("?mode=ro" if _private is None else ""), uri=True, check_same_thread=False
            )
        except sqlite3.Error as e:
            raise map_error(e, path) from e
        self.conn.text_factory = _decode
        self.conn.row_factory = sqlite3.Row
        self._copy_refs = [1]  # shared by clones; the private copy goes with the last one
        self._owns_copy = _owns_copy  # False in a process that borrows another process's copy
        self._scratch = _scratch  # the private copy's folder, held while it is read
        self._deadline = 0.0
        self._interrupted = False
        self._cancel_check: Callable[[], bool] | None = None
        self._lock = threading.Lock()
        self._checkers: dict[tuple[str, ...], RowChecker] = {}
        self.conn.set_progress_handler(self._progress, 2000)
        try:
            self.conn.execute("PRAGMA trusted_schema = OFF")
            self.conn.execute("PRAGMA query_only = ON")
            self.conn.execute("PRAGMA temp_store = MEMORY")
        except sqlite3.Error as e:
            self.conn.close()
            raise map_error(e, path) from e

    def _progress(self) -> int:
        if self._cancel_check is not None and self._cancel_check():
            self._interrupted = True
            return 1
        return 1 if (self._deadline and time.monotonic() > self._deadline) else 0

    @property
    def private_copy(self) -> Path | None:
        """The private copy this connection reads (an archive in WAL mode), else None."""
        return self._private

    def cancel_when(self, check: Callable[[], bool] | None) -> None:
        """Also cancel the query in flight (QueryInterrupted) as soon as ``check()`` is true, for a
        process that cannot be reached by ``interrupt()`` from another thread. SQLite's progress
        handler asks every few thousand steps, so ``check`` must be cheap."""
        self._cancel_check = check

    @contextlib.contextmanager
    def time_limit(self, ms: int | None = None) -> Iterator[None]:
        """Queries inside stop with QueryTimeout after ``ms`` (default: the connection's limit)."""
        previous = self._deadline
        self._deadline = time.monotonic() + (ms if ms is not None else self.timeout_ms) / 1000
        try:
            yield
        finally:
            self._deadline = previous

    def _checker(self, cursor: sqlite3.Cursor) -> RowChecker:
        names = tuple(c[0] for c in cursor.description or ())
        checker = self._checkers.get(names)
        if checker is None:
            checker = self._checkers[names] = RowChecker(cursor.description)
        return checker

    def execute(self, sql: str, params: tuple | dict = (), timeout_ms: int | None = None) -> list[sqlite3.Row]:
        """Run one query and fetch all rows, within the time limit; errors become ArchiveError, and a
        value the format does not allow DataDamaged (``viewer.core.values``)."""
        self._interrupted = False
        try:
            with self.time_limit(timeout_ms):
                cur = self.conn.execute(sql, params)
                rows = cur.fetchall()
        except (sqlite3.Error, UnicodeDecodeError, OverflowError, MemoryError) as e:
            raise self._map(e) from e
        self._checker(cur).check(rows, self.path)
        return rows

    def first(self, sql: str, params: tuple | dict = (), timeout_ms: int | None = None) -> sqlite3.Row | None:
        rows = self.execute(sql + ("" if " LIMIT " in sql.upper() else " LIMIT 1"), params, timeout_ms)
        return rows[0] if rows else None

    def iterate(self, sql: str, params: tuple | dict = (), timeout_ms: int | None = None, batch: int = 200):
        """Yield rows as they come (for progressive results); same limits and error mapping."""
        self._interrupted = False
        try:
            with self.time_limit(timeout_ms):
                cur = self.conn.execute(sql, params)
                checker = self._checker(cur)
                while True:
                    rows = cur.fetchmany(batch)
                    if not rows:
                        return
                    checker.check(rows, self.path)
                    yield from rows
        except (sqlite3.Error, UnicodeDecodeError, OverflowError, MemoryError) as e:
            raise self._map(e) from e

    def interrupt(self) -> None:
        """Cancel the query in flight (safe from another thread)."""
        self._interrupted = True
        self.conn.interrupt()

    def _map(self, e: BaseException) -> ArchiveError:
        if isinstance(e, sqlite3.OperationalError) and "interrupted" in str(e):
            if self._interrupted:
                return QueryInterrupted("The query was cancelled.", str(e))
            return QueryTimeout("This took too long; try a narrower search.", str(e))
        return map_error(e, self.path)

    def clone(self) -> "Connection":
        """Another connection to the same archive (and the same private copy), for another thread."""
        other = Connection(self.path, self.timeout_ms, self._private, self._owns_copy, self._scratch)
        other._copy_refs = self._copy_refs
        self._copy_refs[0] += 1
        return other

    def close(self) -> None:
        if self.conn is None:
            return
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()
        self.conn = None
        self._copy_refs[0] -= 1
        if self._private is not None and self._copy_refs[0] <= 0 and self._owns_copy:
            if self._scratch is not None:
                self._scratch.close()
            else:
                shutil.rmtree(self._private.parent, ignore_errors=True)


def map_error(e: BaseException, path: Path) -> ArchiveError:
    """sqlite3 and decoding errors -> our errors, one boundary for the whole app."""
    text = str(e)
    low = text.lower()
    if isinstance(e, ArchiveError):
        return e
    if "file is not a database" in low or "not a database" in low:
        return NotAnArchive(f"“{path.name}” is not an Archive Viewer archive.", text)
    if "unable to open" in low:
        return ArchiveUnreadable(f"The archive “{path}” cannot be opened.", text)
    if "too many levels of trigger recursion" in low or "recursive" in low:
        return NotAnArchive(f"“{path.name}” is not an Archive Viewer archive.", text)
    if "database is locked" in low or "database table is locked" in low or "busy" in low:
        return ArchiveBusy(
            f"The archive “{path.name}” is in use by another program that is writing to it; try again when it is done.",
            text,
        )
    return ArchiveDamaged(f"The archive “{path.name}” is damaged and cannot be read.", f"{type(e).__name__}: {text}")


def _check_schema(conn: Connection, path: Path) -> None:
    app_id = conn.execute("PRAGMA application_id")[0][0]
    version = conn.execute("PRAGMA user_version")[0][0]
    if app_id != schema.APPLICATION_ID:
        raise NotAnArchive(f"“{path.name}” is not an Archive Viewer archive.", f"application_id={app_id}")
    if version > schema.FORMAT_VERSION:
        raise ArchiveTooNew(
            f"“{path.name}” was made by a newer version of Archive Viewer (format {version}); please update.",
            f"user_version={version}, this version reads up to {schema.FORMAT_VERSION}",
        )
    if version < 1:
        raise NotAnArchive(f"“{path.name}” is not an Archive Viewer archive.", f"user_version={version}")
    objects = {row[0]: (row[1], row[2] or "") for row in conn.execute("SELECT name, type, sql FROM sqlite_master")}
    for table in sorted(schema.REQUIRED_TABLES):
        kind, sql = objects.get(table, (None, ""))
        if kind != "table":
            raise NotAnArchive(
                f"“{path.name}” is not an Archive Viewer archive.",
                f"{table}: expected a table, found {kind or 'nothing'}",
            )
        if table.endswith("_fts") and "fts5" not in sql.lower():
            raise NotAnArchive(f"“{path.name}” is not an Archive Viewer archive.", f"{table} is not an FTS5 index")
    for table, (columns, *_rest) in schema.TABLES.items():
        have = {row[1] for row in conn.execute(f"PRAGMA table_info([{table}])")}
        missing = set(columns) - have
        if missing and schema.has_layout(have, table) is None:  # an older layout of derived data opens
            raise ArchiveDamaged(
                f"The archive “{path.name}” is damaged and cannot be read.",
                f"{table} lacks columns {sorted(missing)}",
            )


def open_archive(path: str | os.PathLike, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> Connection:
    """Open ``path`` read-only after checking that it is an archive this version can read.
    A file in WAL mode is read from a private copy, so nothing is written beside it."""
    path = Path(path).expanduser()
    try:
        path = path.resolve()
    except (OSError, RuntimeError):
        pass
    check_file(path)
    recover_interrupted_write(path)
    private = scratch = None
    try:
        if is_wal(path):
            clean_stale(PRIVATE_PREFIX)  # copies left by a reader that was killed
            private, scratch = _private_copy(path)
    except OSError as e:
        raise ArchiveUnreadable(f"The archive “{path}” cannot be read.", repr(e)) from e
    try:
        conn = Connection(path, timeout_ms, private, _scratch=scratch)
    except BaseException:
        if scratch is not None:
            scratch.close()
        raise
    try:
        _check_schema(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


PRIVATE_PREFIX = "archive-viewer-copy-"


def _private_copy(path: Path) -> tuple[Path, ScratchDir]:
    scratch = ScratchDir(PRIVATE_PREFIX)
    try:
        target = scratch.path / "archive.db"
        shutil.copyfile(path, target)
        wal = path.with_name(path.name + "-wal")
        if wal.is_file():
            shutil.copyfile(wal, scratch.path / "archive.db-wal")
    except BaseException:
        scratch.close()
        raise
    return target, scratch


# The first bytes of a rollback journal that still holds a change to undo (SQLite zeroes them once it is done).
_JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


def read_only_reason(path: Path) -> str | None:
    """Why the archive may not be written (root ignores permission bits, so look at them too); None if it may."""
    folder = path.parent
    try:
        mode = path.stat().st_mode
        folder_mode = folder.stat().st_mode
    except OSError as e:
        return f"cannot be checked ({e.strerror or e})"
    if not os.access(path, os.W_OK) or not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return "is read-only"
    if not os.access(folder, os.W_OK | os.X_OK) or not folder_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return "is in a read-only folder"
    return None


def recover_interrupted_write(path: Path) -> bool:
    """Finish a write that was interrupted (a process killed in the middle of an import leaves a "hot"
    rollback journal beside the archive), as SQLite intends: the archive is opened read-write once, only
    for SQLite to roll the change back, which makes the file exactly as it was. A read-only connection
    cannot do that, and would call the archive damaged. Raises ArchiveInterrupted when the file or its
    folder cannot be written here. Returns True when there was a journal to look at."""
    journal = path.with_name(path.name + "-journal")
    try:
        with journal.open("rb") as f:
            if f.read(len(_JOURNAL_MAGIC)) != _JOURNAL_MAGIC:
                return False
    except OSError:
        return False
    reason = read_only_reason(path)
    if reason:
        raise ArchiveInterrupted(
            f"A change to the archive “{path.name}” was interrupted and the archive {reason}: open it once where it "
            "can be written, to undo that change.",
            f"hot journal {journal}",
        )
    try:
        conn = sqlite3.connect(path.absolute().as_uri() + "?mode=rw", uri=True, timeout=DEFAULT_TIMEOUT_MS / 1000)
        try:
            conn.execute("PRAGMA schema_version").fetchone()  # the first read rolls a hot journal back
        finally:
            conn.close()
    except sqlite3.Error as e:
        raise map_error(e, path) from e
    return True
