"""Folders of work in progress that nothing leaves behind for good, and the file locks they use.

A check copies the archive to look at it, an import into the bundled archive builds the user's own copy,
a WAL archive is read from a private copy. Each works in a ``ScratchDir``: a new folder with a lock file
that its process holds while the folder is in use. ``close()`` removes the folder; a process killed
before it could (kill -9, a power cut) leaves it behind unlocked, and ``clean_stale`` removes such
folders the next time (the next check, the next import, the app's next start). A folder whose lock is
held belongs to a process still running and is never touched.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from pathlib import Path

LOCK_NAME = ".in-use"
UNLOCKED_GRACE_S = 60.0


def try_lock(fd: int) -> bool:
    """Take an exclusive lock on an open file without waiting; False when another process holds it."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def unlock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:
        import msvcrt

        with contextlib.suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    fcntl.flock(fd, fcntl.LOCK_UN)


class ScratchDir:
    """A new folder ``<parent>/<prefix>XXXXXXXX`` held (locked) by this process until ``close()``, which
    removes it with everything in it. ``parent`` defaults to the temporary folder."""

    def __init__(self, prefix: str, parent: str | os.PathLike | None = None):
        import tempfile  # only when a folder is made: a search that reads the archive where it is does not

        self.path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        try:
            self._fd = os.open(self.path / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            shutil.rmtree(self.path, ignore_errors=True)
            raise
        try_lock(self._fd)  # a folder made just now: nobody else can hold it

    def __enter__(self) -> ScratchDir:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._fd is None:
            return
        shutil.rmtree(self.path, ignore_errors=True)  # before letting go: never seen stale while it goes
        with contextlib.suppress(OSError):
            unlock(self._fd)
        os.close(self._fd)
        self._fd = None


def clean_stale(prefix: str, parent: str | os.PathLike | None = None) -> list[Path]:
    """Remove the folders ``<parent>/<prefix>*`` that no running process holds; returns what was removed."""
    import tempfile

    folder = Path(parent) if parent is not None else Path(tempfile.gettempdir())
    removed = []
    try:
        candidates = [p for p in folder.iterdir() if p.name.startswith(prefix) and p.is_dir() and not p.is_symlink()]
    except OSError:
        return removed
    for path in candidates:
        try:
            fd = os.open(path / LOCK_NAME, os.O_RDWR)
        except FileNotFoundError:
            # made and killed before its lock existed, or being made or removed right now: left a minute
            with contextlib.suppress(OSError):
                if time.time() - path.stat().st_mtime > UNLOCKED_GRACE_S:
                    shutil.rmtree(path, ignore_errors=True)
                    if not path.exists():
                        removed.append(path)
            continue
        except OSError:
            continue
        try:
            if not try_lock(fd):
                continue  # in use
            shutil.rmtree(path, ignore_errors=True)
            if not path.exists():
                removed.append(path)
        finally:
            os.close(fd)
    return removed
