"""An existing archive opened for writing: checked first as a reader checks it, then writable, then inside one
IMMEDIATE transaction with its schema, its integrity and its values checked under the write lock; SQLite's
errors mapped to ours. The importer and the user's corrections (``viewer.core.reattribution``) write this way."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from viewer.core import db as dbmod
from viewer.core import schema
from viewer.core.errors import ArchiveBusy, ArchiveError, ArchiveReadOnly
from viewer.core.values import problems as value_problems

BUSY_TIMEOUT_MS = 5000


def check_archive(path: str | os.PathLike) -> Path:
    """The archive's path after every check a reader makes (exists, is an archive of a format we
    know, not damaged) plus writability; raises ArchiveError. Creates nothing."""
    try:
        conn = dbmod.open_archive(path)
    except ArchiveError as e:
        if "locked" in e.details.lower():
            raise ArchiveBusy(
                f"The archive “{Path(path).name}” is in use by another program; try again when it "
                "is done. Nothing was imported.",
                e.details,
            ) from e
        raise
    resolved = conn.path
    conn.close()
    reason = dbmod.read_only_reason(resolved)
    if reason:
        raise ArchiveReadOnly(f"The archive “{resolved.name}” {reason}; nothing was imported.", str(resolved))
    return resolved


class _Rows:
    """``db._check_schema`` reads through ``execute(sql) -> rows``; this gives it our connection."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def execute(self, sql: str, params: tuple = ()) -> list:
        return self.conn.execute(sql, params).fetchall()


def _map_write_error(e: BaseException, path: Path) -> ArchiveError:
    low = str(e).lower()
    if "locked" in low or "busy" in low:
        return ArchiveBusy(
            f"The archive “{path.name}” is in use by another program; try again when it is done. Nothing was imported.",
            str(e),
        )
    if "readonly" in low or "read-only" in low:
        return ArchiveReadOnly(f"The archive “{path.name}” is read-only; nothing was imported.", str(e))
    if "full" in low:
        return ArchiveError(
            f"The archive “{path.name}” could not be written: the disk is full. Nothing was imported.", str(e)
        )
    if "disk i/o" in low:
        return ArchiveError(
            f"The archive “{path.name}” could not be written (a disk error). Nothing was imported.", str(e)
        )
    return dbmod.map_error(e, path)


class _Transaction:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.commit = True  # False: nothing to keep, roll back so the file is not touched at all


@contextlib.contextmanager
def writing(path: Path):
    """A read-write connection to an existing archive inside one IMMEDIATE transaction: committed
    when the block ends normally (unless ``commit`` was set false), rolled back on any exception
    (cancel included)."""
    try:
        conn = sqlite3.connect(path.as_uri() + "?mode=rw", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as e:
        raise _map_write_error(e, path) from e
    try:
        conn.text_factory = lambda b: b.decode("utf-8", "replace")
        try:
            conn.execute("PRAGMA trusted_schema = OFF")
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            dbmod._check_schema(_Rows(conn), path)
            if conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'").fetchone()[0]:
                raise dbmod.NotAnArchive(f"“{path.name}” is not an Archive Viewer archive.", "it has triggers")
            conn.execute("BEGIN IMMEDIATE")
            # never write into a damaged file: it would only get worse (checked under the write lock)
            problems = [r[0] for r in conn.execute("PRAGMA quick_check(5)").fetchall()]
            if problems != ["ok"]:
                raise dbmod.ArchiveDamaged(
                    f"The archive “{path.name}” is damaged; nothing was imported.", "; ".join(map(str, problems))
                )
            # the writer reads what is there (speakers, titles, counts): every value must be one the format allows
            for table in schema.TABLES:
                bad = value_problems(lambda sql, params: conn.execute(sql, params).fetchall(), table, 1)
                if bad:
                    raise dbmod.DataDamaged(
                        f"The archive “{path.name}” is damaged ({bad[0]}); nothing was imported.", bad[0]
                    )
        except (sqlite3.Error, UnicodeDecodeError) as e:
            with contextlib.suppress(sqlite3.Error):
                conn.rollback()
            raise _map_write_error(e, path) from e
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.rollback()
            raise
        try:
            tx = _Transaction(conn)
            yield tx
            if tx.commit:
                conn.commit()
            else:
                conn.rollback()
        except BaseException as e:
            with contextlib.suppress(sqlite3.Error):
                conn.rollback()
            if isinstance(e, sqlite3.Error):
                raise _map_write_error(e, path) from e
            raise
    finally:
        conn.close()
