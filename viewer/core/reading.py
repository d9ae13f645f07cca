"""The files of an import are read and analysed in a process of their own, each within its time budget.

Readers check the import limits as they go (``viewer.core.limits``), but some work has no checkpoint:
one regular expression, one call into lxml, the analysis of a document. A hostile file could hold any of
them for minutes, and with them the app's import and its Cancel button. So ``FileReader`` hands each file
to a child process (``python -m viewer.core.reading SOCKET_FD``) and waits: past the file's time
budget (and a second's grace) it stops the child and the file is refused in one line; a cancel stops it
at once; a child that dies (out of memory: its address space is capped at ``MEMORY_CAP``) costs that
file only, and the next file gets a new child. The child serves every import of the app's process, one
file at a time, and ends when the app does (its socket closes).

A bug met while reading one file (an exception that is not a ``ReadError``) is a bug: its traceback is
written to the log (``viewer.core.buglog``) and the file is refused with "internal error, details in
LOGFILE"; the other files are imported.

Where a child cannot be started this way (not POSIX), files are read in this process with the
cooperative checks alone.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection as Channel
from pathlib import Path

from viewer.core import buglog, limits
from viewer.core.errors import ImportCancelled, ReadError
from viewer.core.limits import ImportLimits

GRACE_S = 1.0  # the child's own check usually answers first; past this it is stopped
POLL_S = 0.05  # how often a cancel is looked for while a file is read
MEMORY_CAP = 3 * 1024**3  # the child's address space: a file that needs more is refused


class ReadingBug(Exception):
    """A bug in the reading process; the message is its traceback there."""


def _prepare(path: Path):
    from viewer.core.importer import prepare  # here: the importer imports this module

    return prepare(path)


class FileReader:
    """Reads the files of one import (``prepare(path)``), in a child process when it can. Use it as a
    context manager; ``cancelled()`` is polled while a file is read. The child is shared by the imports
    of this process (one file at a time) and kept for the next one; ``release()`` lets it go."""

    def __init__(self, import_limits: ImportLimits | None = None, cancelled: Callable[[], bool] | None = None,
                 data_dir: str | os.PathLike | None = None, child: bool = True):
        self.limits = import_limits or ImportLimits()
        self.cancelled = cancelled or (lambda: False)
        self.data_dir = data_dir
        self.use_child = child and os.name == "posix"

    def __enter__(self) -> FileReader:
        return self

    def __exit__(self, *exc) -> None:
        pass

    def prepare(self, path: str | os.PathLike):
        """The file read and analysed (an ``importer.Prepared``). Raises ReadError (LimitExceeded among
        them) when it cannot be imported, ImportCancelled when the import was cancelled meanwhile."""
        path = Path(path)
        if self.cancelled():
            raise ImportCancelled("The import was cancelled; the archive is unchanged.")
        if not self.use_child:
            with limits.applying(self.limits, self.cancelled) as budget:
                budget.start(path.name)
                return _prepare(path)
        with _lock:
            try:
                kind, value = _child().ask(path, self.limits, self.cancelled)
            except ReadingBug as e:
                line = buglog.report(e, self.data_dir, f"reading {path.name}")
                raise ReadError(f"{path.name}: could not be read: {line}", str(e)) from None
        if kind == "done":
            return value
        raise value


_lock = threading.Lock()
_shared: _Child | None = None


def _child() -> _Child:
    global _shared
    if _shared is None or not _shared.alive():
        if _shared is not None:
            _shared.stop()
        _shared = _Child()
    return _shared


def release() -> None:
    """Stop the reading process while it is idle (the desktop app, after an import)."""
    global _shared
    with _lock:
        if _shared is not None:
            _shared.stop()
            _shared = None


class _Child:
    """The app's end of one reading process."""

    def __init__(self):
        ours, theirs = socket.socketpair()
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
        try:
            self.process = subprocess.Popen([sys.executable, "-m", "viewer.core.reading", str(theirs.fileno())],
                                            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, env=env)
        except OSError as e:
            ours.close()
            raise ReadError(f"the files cannot be read: the reading process could not start ({e})", repr(e)) from e
        finally:
            theirs.close()
        self.channel = Channel(ours.detach())

    def alive(self) -> bool:
        return self.process.poll() is None and not self.channel.closed

    def ask(self, path: Path, import_limits: ImportLimits, cancelled: Callable[[], bool]) -> tuple[str, object]:
        deadline = time.monotonic() + import_limits.seconds + GRACE_S
        try:
            self.channel.send((str(path), dataclasses.asdict(import_limits)))
            while not self.channel.poll(POLL_S):
                if cancelled():
                    self.stop()
                    raise ImportCancelled("The import was cancelled; the archive is unchanged.")
                if time.monotonic() > deadline:
                    self.stop()
                    raise limits.over_time(path.name, import_limits)
                if self.process.poll() is not None:
                    break
            kind, value = self.channel.recv()
        except (OSError, EOFError) as e:
            try:
                code = self.process.wait(2)
            except subprocess.TimeoutExpired:
                code = None
            self.stop()
            killed = code is not None and code < 0  # by a signal: the kernel's out-of-memory killer, or a person
            why = "it needed more memory than allowed, or was stopped" if killed else "the reading process ended"
            raise ReadError(f"{path.name}: could not be read: {why}", repr(e)) from None
        if kind == "bug":
            raise ReadingBug(value)
        return kind, value

    def stop(self) -> None:
        if not self.channel.closed:
            self.channel.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


# ---------------------------------------------------------------------------- the child


def serve(channel: Channel) -> None:
    """Read the files the app names, each within the limits that come with it, until it closes the socket."""
    while True:
        try:
            name, settings = channel.recv()
        except (EOFError, OSError):
            return
        path = Path(name)
        import_limits = ImportLimits(**settings)
        try:
            with limits.applying(import_limits) as budget:
                budget.start(path.name)
                answer = ("done", _prepare(path))
        except ReadError as e:
            answer = ("refused", e)
        except MemoryError:
            answer = ("refused", ReadError(f"{path.name}: could not be read: it needs more memory than allowed"))
        except Exception as e:  # noqa: BLE001 - a bug: the app logs it and refuses this file only
            answer = ("bug", buglog.format_bug(e))
        try:
            channel.send(answer)
        except (EOFError, OSError):
            return


def main(argv: list[str]) -> int:
    channel = Channel(int(argv[0]))
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    import viewer.core.importer  # noqa: F401 - loaded once, before the first file's clock starts

    serve(channel)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
