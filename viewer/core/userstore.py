"""The user's own data stores (bookmarks, attribution corrections): SQLite files in the data folder
that lose nothing the user was told is saved. ``UserStore`` is what every such store shares; a
``StoreKind`` says which store it is (file name, identification, tables).

* WAL mode, ``synchronous=FULL``, one ``BEGIN IMMEDIATE`` transaction per change and a busy
  timeout, so a kill at any moment loses no acknowledged change and two running copies of the app
  can both save;
* checked on open (``application_id``, ``user_version``, the expected tables and columns,
  ``quick_check``; the daily backup gets the full ``integrity_check``); a damaged store is moved to
  ``damaged/`` (never deleted) and the newest backup that passes the same checks is restored;
  ``UserStore.recovery`` says what happened and the backup's date;
* at most one backup a day, made on open with SQLite's online backup, verified before it is kept;
  the newest ``keep_backups`` are kept.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from viewer.core.errors import ViewerError
from viewer.core.scratch import try_lock, unlock

BACKUP_DIR = "backups"
DAMAGED_DIR = "damaged"
KEEP_BACKUPS = 7
BUSY_TIMEOUT_MS = 15000


class StoreError(ViewerError):
    """A store cannot be read or saved. ``message`` is one plain line for the user."""


class StoreTooNewError(StoreError):
    """The store was saved by a newer version of the app; it is left alone."""


@dataclass(frozen=True)
class StoreKind:
    """One kind of store: ``name`` is its file's stem and the word its messages use ("bookmarks");
    ``schema`` the SQL that makes an empty store; ``expected`` the tables and columns a store must
    have; ``rows`` the table whose rows a backup must hold all of; ``error`` and ``too_new`` the
    exceptions its failures raise."""

    name: str
    application_id: int
    version: int
    schema: str
    expected: dict[str, set[str]]
    rows: str
    error: type[StoreError] = StoreError
    too_new: type[StoreError] = StoreTooNewError

    @property
    def file_name(self) -> str:
        return f"{self.name}.db"


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def store_error(e: BaseException, doing: str, kind: StoreKind) -> StoreError:
    """An sqlite3 or OS error while ``doing`` something with a store, as one plain line."""
    code = getattr(e, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary == 13 or (isinstance(e, OSError) and e.errno == errno.ENOSPC):  # SQLITE_FULL
        why = "the disk is full"
    elif primary in (5, 6):  # BUSY, LOCKED
        why = f"another copy of Archive Viewer kept the {kind.name} busy for too long; try again"
    elif primary == 8 or (isinstance(e, OSError) and e.errno in (errno.EACCES, errno.EPERM, errno.EROFS)):
        why = f"the {kind.name} folder is read-only"
    elif primary in (11, 26):
        why = f"the {kind.name} file is damaged; restart Archive Viewer to restore the latest backup"
    else:
        why = str(e) or type(e).__name__
    return kind.error(f"could not {doing}: {why}", f"{type(e).__name__}: {e}")


@dataclass(frozen=True)
class Recovery:
    """What happened when a store was found damaged on open. ``rows``: what the restored backup holds."""

    reason: str
    damaged_path: Path
    backup_path: Path | None
    backup_date: date | None
    rows: int
    noun: str = "bookmarks"

    @property
    def bookmarks(self) -> int:
        return self.rows

    @property
    def message(self) -> str:
        where = f"The damaged file was kept as {self.damaged_path}."
        if self.backup_date is not None:
            return (f"Your {self.noun} file was damaged ({self.reason}). The backup of "
                    f"{self.backup_date.day} {self.backup_date:%B %Y} was restored ({self.rows} {self.noun}); "
                    f"{self.noun} made or changed after that date are not in it. {where}")
        return (f"Your {self.noun} file was damaged ({self.reason}) and there was no good backup to restore; "
                f"a new, empty {self.noun} file was started. {where}")


# ---------------------------------------------------------------------------------------- files


def fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def folder_lock(folder: Path, kind: StoreKind, timeout_ms: int) -> Iterator[None]:
    """An exclusive lock on the data folder while a store is checked, backed up or restored,
    so two copies of the app starting together do not both repair it."""
    path = folder / f".{kind.name}.lock"
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise store_error(e, f"open the {kind.name}", kind) from e
    try:
        deadline = time.monotonic() + timeout_ms / 1000
        while not try_lock(fd):
            if time.monotonic() > deadline:
                raise kind.error(f"could not open the {kind.name}: another copy of Archive Viewer is repairing "
                                 "them")
            time.sleep(0.02)
        try:
            yield
        finally:
            unlock(fd)
    finally:
        os.close(fd)


class Damaged(Exception):
    """The file is not a usable store (the reason is the message)."""


def connect(path: Path, busy_timeout_ms: int) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=busy_timeout_ms / 1000, isolation_level=None, check_same_thread=True)
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    return conn


_DAMAGE_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_SHORT_READ = 522  # SQLITE_IOERR_SHORT_READ: a truncated file


def is_damage(e: BaseException) -> bool:
    if isinstance(e, UnicodeDecodeError):
        return True
    code = getattr(e, "sqlite_errorcode", None)
    if not isinstance(code, int):
        text = str(e).lower()
        return "malformed" in text or "not a database" in text
    return (code & 0xFF) in _DAMAGE_CODES or code == _SHORT_READ


def verify(path: Path, kind: StoreKind, busy_timeout_ms: int = BUSY_TIMEOUT_MS, full: bool = True) -> int:
    """Check that ``path`` is a usable store of ``kind``: its application_id, a version this code
    reads, the expected tables and columns and a clean ``integrity_check`` (``full``), or ``quick_check``
    (every page read and checked, the indexes taken as they are: a sixth of the time). Returns the number of
    rows of ``kind.rows``; raises Damaged with a reason, ``kind.too_new``, or ``kind.error`` for
    trouble that is not damage (a locked or unreadable file)."""
    doing = f"open the {kind.name}"
    try:
        size = path.stat().st_size
    except OSError as e:
        raise store_error(e, doing, kind) from e
    if size == 0:
        raise Damaged("the file is empty")
    try:
        with path.open("rb") as f:
            header = f.read(100)
    except OSError as e:
        raise store_error(e, doing, kind) from e
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        raise Damaged("it is not a database file")
    conn = None
    try:
        conn = connect(path, busy_timeout_ms)
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if app_id != kind.application_id:
            raise Damaged(f"it is not an Archive Viewer {kind.name} file")
        if version > kind.version:
            raise kind.too_new(f"these {kind.name} were saved by a newer version of Archive Viewer; please update")
        if version < 1:
            raise Damaged("it was never finished")
        for table, expected in kind.expected.items():
            have = {r[1] for r in conn.execute(f"PRAGMA table_info([{table}])")}
            if not expected <= have:
                raise Damaged(f"its {table} table is missing or incomplete")
        problems = [r[0] for r in conn.execute(f"PRAGMA {'integrity_check' if full else 'quick_check'}(20)")]
        if problems != ["ok"]:
            raise Damaged(f"integrity check: {problems[0]}")
        return conn.execute(f"SELECT COUNT(*) FROM [{kind.rows}]").fetchone()[0]
    except (sqlite3.Error, UnicodeDecodeError) as e:
        if is_damage(e):
            raise Damaged(str(e)) from e
        raise store_error(e, doing, kind) from e
    finally:
        if conn is not None:
            conn.close()


def create(path: Path, kind: StoreKind) -> None:
    """A new, empty store at ``path``, made beside it and moved into place whole."""
    tmp = path.with_name(path.name + ".new")
    for extra in ("", "-journal", "-wal", "-shm"):
        Path(str(tmp) + extra).unlink(missing_ok=True)
    conn = sqlite3.connect(tmp, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("BEGIN")
        for statement in kind.schema.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("INSERT INTO meta(key, value) VALUES ('created', ?)", (now_iso(),))
        conn.execute(f"PRAGMA application_id = {kind.application_id}")
        conn.execute(f"PRAGMA user_version = {kind.version}")
        conn.execute("COMMIT")
    finally:
        conn.close()
    fsync_file(tmp)
    os.replace(tmp, path)
    fsync_dir(path.parent)


def backup_date(path: Path, kind: StoreKind) -> date | None:
    m = re.fullmatch(rf"{re.escape(kind.name)}-(\d{{4}}-\d{{2}}-\d{{2}})\.db", path.name)
    if not m:
        return None
    try:
        return date.fromisoformat(m.group(1))
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------- the store


class Connected:
    """Something that holds a connection to a store (``_conn``): closed once, usable with ``with``."""

    _conn: sqlite3.Connection | None = None

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class UserStore(Connected):
    """One store of the user's own data in one SQLite file (``KIND`` says which). Use from one
    thread (the UI thread or a CLI command); every change is one transaction and is on disk when
    the method that makes it returns.

    ``recovery`` is set when the file was found damaged on open and a backup restored (or a new
    store started); show ``recovery.message`` to the user. ``backup_warning`` is set when today's
    backup could not be made (the store itself is fine)."""

    KIND: StoreKind

    def __init__(self, path: str | os.PathLike, *, keep_backups: int = KEEP_BACKUPS,
                 busy_timeout_ms: int = BUSY_TIMEOUT_MS, backup: bool = True, today: date | None = None):
        self.path = Path(path)
        self.keep_backups = keep_backups
        self.busy_timeout_ms = busy_timeout_ms
        self.recovery: Recovery | None = None
        self.backup_warning: str = ""
        self._conn: sqlite3.Connection | None = None
        kind = self.KIND
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise kind.error(f"could not create the {kind.name} folder {self.path.parent}: {e.strerror or e}",
                             repr(e)) from e
        with folder_lock(self.path.parent, kind, busy_timeout_ms):
            self.recovery = self._prepare()
            try:
                self._conn = connect(self.path, busy_timeout_ms)
                mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                self._conn.execute("PRAGMA synchronous = FULL")
                self._conn.execute("PRAGMA foreign_keys = ON")
                self.journal_mode = mode
                self._opened()
            except sqlite3.Error as e:
                self.close()
                raise store_error(e, f"open the {kind.name}", kind) from e
            if backup:
                self._backup(today or date.today())

    def _verify(self, path: Path, full: bool = True) -> int:
        return verify(path, self.KIND, self.busy_timeout_ms, full)

    def _opened(self) -> None:
        """Called once the connection is ready, before the backup (a store brings an older file up to date)."""

    # ---------------------------------------------------------------- open, check, recover, back up

    @property
    def backup_dir(self) -> Path:
        return self.path.parent / BACKUP_DIR

    @property
    def damaged_dir(self) -> Path:
        return self.path.parent / DAMAGED_DIR

    def _prepare(self) -> Recovery | None:
        restoring = self.path.with_name(self.path.name + ".restoring")
        if not self.path.exists() and restoring.exists():
            # a restore was interrupted after the damaged file was moved aside: finish it
            try:
                self._verify(restoring)
                os.replace(restoring, self.path)
            except Damaged:
                restoring.unlink(missing_ok=True)
        elif restoring.exists():  # a copy of a backup left by an interrupted repair: nothing of its own
            restoring.unlink()
        if not self.path.exists():
            create(self.path, self.KIND)
            return None
        try:
            self._verify(self.path, full=False)  # on every open; the daily backup is checked in full
            return None
        except Damaged as e:
            return self._recover(str(e))

    def backups(self) -> list[Path]:
        """Backup files, newest first."""
        if not self.backup_dir.is_dir():
            return []
        found = [p for p in self.backup_dir.iterdir() if backup_date(p, self.KIND) is not None]
        return sorted(found, key=lambda p: p.name, reverse=True)

    def _recover(self, reason: str) -> Recovery:
        kind = self.KIND
        restoring = self.path.with_name(self.path.name + ".restoring")
        chosen, count = None, 0
        for candidate in self.backups():
            try:
                shutil.copyfile(candidate, restoring)
                count = self._verify(restoring)
            except (Damaged, OSError, StoreError):
                restoring.unlink(missing_ok=True)
                continue
            fsync_file(restoring)
            chosen = candidate
            break
        self.damaged_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y-%m-%d-%H%M%S")
        moved = self.damaged_dir / f"{kind.name}-{stamp}.db"
        n = 1
        while moved.exists():
            n += 1
            moved = self.damaged_dir / f"{kind.name}-{stamp}-{n}.db"
        for extra in ("-wal", "-shm", "-journal"):
            side = Path(str(self.path) + extra)
            if side.exists():
                os.replace(side, Path(str(moved) + extra))
        os.replace(self.path, moved)
        fsync_dir(self.damaged_dir)
        if chosen is not None:
            os.replace(restoring, self.path)
            fsync_dir(self.path.parent)
        else:
            create(self.path, kind)
        recovery = Recovery(reason, moved, chosen, backup_date(chosen, kind) if chosen else None, count, kind.name)
        conn = connect(self.path, self.busy_timeout_ms)
        try:
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('recovery_notice', ?)",
                         (json.dumps({"message": recovery.message, "when": now_iso()}),))
        finally:
            conn.close()
        return recovery

    def _backup(self, today: date) -> Path | None:
        """Today's verified backup, if none was made today and there is something to keep."""
        name = self.KIND.name
        target = self.backup_dir / f"{name}-{today.isoformat()}.db"
        tmp = self.backup_dir / f".{name}-{today.isoformat()}.db.tmp{os.getpid()}"
        try:
            if target.exists() or self._rows() == 0:
                return None
            self.backup_dir.mkdir(parents=True, exist_ok=True)
            for stale in self.backup_dir.glob(f".{name}-*.tmp*"):
                stale.unlink(missing_ok=True)
            dst = sqlite3.connect(tmp)
            try:
                self._conn.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
            copied = self._verify(tmp)
            if copied != self._rows():
                raise Damaged(f"the copy does not hold every one of the {name}")
            fsync_file(tmp)
            os.replace(tmp, target)
            fsync_dir(self.backup_dir)
            for old in self.backups()[self.keep_backups:]:
                old.unlink(missing_ok=True)
            return target
        except (OSError, sqlite3.Error, Damaged, StoreError) as e:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            self.backup_warning = f"today's backup of the {name} could not be made: {e}"
            return None

    def _rows(self) -> int:
        return self._read(f"SELECT COUNT(*) FROM [{self.KIND.rows}]")[0][0]

    def recovery_notice(self) -> str:
        """The message of an earlier recovery the user has not dismissed yet ("" if none)."""
        row = self._read("SELECT value FROM meta WHERE key = 'recovery_notice'")
        if not row:
            return ""
        try:
            return str(json.loads(row[0][0]).get("message", ""))
        except (ValueError, AttributeError):
            return ""

    def dismiss_recovery_notice(self) -> None:
        with self._write(f"save the {self.KIND.name}") as c:
            c.execute("DELETE FROM meta WHERE key = 'recovery_notice'")

    def data_version(self) -> int:
        """Changes when another connection (another copy of the app) commits a change."""
        return self._read("PRAGMA data_version")[0][0]

    # ---------------------------------------------------------------- transactions

    @contextlib.contextmanager
    def _write(self, doing: str) -> Iterator[sqlite3.Connection]:
        """One transaction; committed (and on disk, synchronous=FULL) when the block ends."""
        if self._conn is None:
            raise self.KIND.error(f"could not {doing}: the {self.KIND.name} are closed")
        c = self._conn
        try:
            c.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise store_error(e, doing, self.KIND) from e
        try:
            yield c
            c.execute("COMMIT")
        except BaseException as e:
            with contextlib.suppress(sqlite3.Error):
                c.execute("ROLLBACK")
            if isinstance(e, sqlite3.Error):
                raise store_error(e, doing, self.KIND) from e
            raise

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self._conn is None:
            raise self.KIND.error(f"could not read the {self.KIND.name}: they are closed")
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as e:
            raise store_error(e, f"read the {self.KIND.name}", self.KIND) from e
