"""The search panel's search: in this process for a small archive, in a child process for a big one.

Why a child process: on a big archive, ranking a query is tens of milliseconds of Python work. In a
thread of the app's own process that work holds the interpreter lock, and the window cannot repaint
until it lets go, so typing stutters. In a child process (no Qt there) the app's worker thread only
waits on a socket, which does not hold the lock, and then reads back one page of hits.

``SearchService`` offers what the panel needs: ``warm`` (open and decide, ahead of the first query),
``staged`` (on a big archive the answer comes in two steps: ``report(first_page)``, then the ranked
page), ``page`` and ``interrupt`` (safe from any thread). Use it from one thread at a time.

The child is ``python -m viewer.core.search_service SOCKET_FD FLAG_FD PATH TIMEOUT_MS [PRIVATE_COPY]``.
It reads requests ``(number, name, args)`` and writes ``("report" | "done" | "error", number, value)``
back on the same socket. To cancel, the app writes the request's number into an 8-byte flag (a
memory-mapped temporary file), which the child's search reads between steps and in SQLite's progress
handler. A child that dies or stops answering is replaced at the next request, and the request in
flight fails with an ArchiveError. A child ends when its socket closes, so it never outlives the app.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import socket
import struct
import subprocess
import sys
import tempfile
from collections.abc import Callable
from multiprocessing.connection import Connection as Channel
from pathlib import Path
from typing import Any

from viewer.core.archive import Archive
from viewer.core.buglog import format_bug
from viewer.core.db import ArchiveError, Connection
from viewer.core.errors import ViewerError
from viewer.core.search import PreparedQuery, Search, SearchHit, SearchOptions, SearchResult

# From this many passages on, an archive is "big": its answer comes in two steps, from a child process.
BIG_ARCHIVE = 50_000
# How long the app waits for an answer beyond the query's own time budget before it gives up on the child.
GRACE_S = 10.0
_FLAG = struct.Struct("<q")
STOPPED_MESSAGE = "The search stopped unexpectedly; try again."


class SearchProcessBug(Exception):
    """A bug in the search process; the message is its traceback there."""


def staged(search: Search, text: str, options: SearchOptions, report: Callable[[SearchResult], None],
           big: bool) -> SearchResult:
    """The answer to ``text``. On a big archive the fast unranked first page goes to ``report`` first
    (when it has hits); the ranked page is returned."""
    if not big:
        return search.run(text, options)
    answer = None
    for answer in search.stages(text, options):
        if answer.total is None and answer.hits:
            report(answer)
    return answer


class SearchService:
    """One archive's search for an interactive client (see the module docstring).

    ``archive`` is a connection this service may use on its thread (a clone). ``big`` overrides
    ``BIG_ARCHIVE``; ``child=False`` keeps even a big archive's search in this process.
    """

    def __init__(self, archive: Archive, *, big: int | None = None, child: bool = True):
        self._archive = archive
        self._search = Search(archive)
        self._big_from = BIG_ARCHIVE if big is None else big
        self._use_child = child and os.name == "posix"  # the child gets its socket through pass_fds
        self._big: bool | None = None
        self._child: _Child | None = None

    @property
    def child_pid(self) -> int | None:
        """The search process's id while it runs (for tests and benchmarks)."""
        return self._child.pid if self._child is not None and self._child.alive() else None

    def warm(self) -> None:
        """Decide where searches run and start the child if it is needed (slow: run it off the UI thread)."""
        if self._big is None:
            self._big = self._archive.passage_count() >= self._big_from
        if self._big and self._use_child and (self._child is None or not self._child.alive()):
            if self._child is not None:
                self._child.close()  # it died while idle: let go of its socket and flag
            self._child = _Child(self._archive)

    def staged(self, text: str, options: SearchOptions, report: Callable[[SearchResult], None]) -> SearchResult:
        """See ``staged``: the answer, with the first page reported early on a big archive."""
        self.warm()
        if self._child is None:
            return staged(self._search, text, options, report, self._big)
        return self._child.call("staged", (text, options), options.timeout_ms, report)

    def page(self, prepared: PreparedQuery, offset: int, limit: int | None = None) -> list[SearchHit]:
        """A later page of results (``Search.page``)."""
        self.warm()
        if self._child is None:
            return self._search.page(prepared, offset, limit)
        return self._child.call("page", (prepared, offset, limit), prepared.options.timeout_ms)

    def interrupt(self) -> None:
        """Cancel the call in flight (safe from any thread)."""
        self._search.interrupt()
        child = self._child
        if child is not None:
            child.cancel()

    def close(self) -> None:
        """Stop the child and close the connection (on the service's thread)."""
        if self._child is not None:
            self._child.close()
            self._child = None
        self._archive.close()


class _Child:
    """The app's end of one search process."""

    def __init__(self, archive: Archive):
        db = archive.db
        ours, theirs = socket.socketpair()
        self._flag_file = tempfile.TemporaryFile()
        self._flag_file.write(bytes(_FLAG.size))
        self._flag_file.flush()
        self._flag = mmap.mmap(self._flag_file.fileno(), _FLAG.size)
        self._number = 0
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
        private = str(db.private_copy) if db.private_copy is not None else ""
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "viewer.core.search_service", str(theirs.fileno()),
                 str(self._flag_file.fileno()), str(db.path), str(db.timeout_ms), private],
                pass_fds=(theirs.fileno(), self._flag_file.fileno()), stdin=subprocess.DEVNULL, env=env)
        except OSError as e:
            ours.close()
            self._release()
            raise ArchiveError(STOPPED_MESSAGE, f"the search process could not start: {e!r}") from e
        finally:
            theirs.close()
        self._channel = Channel(ours.detach())
        self.pid = self._process.pid

    def alive(self) -> bool:
        return self._process.poll() is None and not self._channel.closed

    def call(self, name: str, args: tuple, budget_ms: int, report: Callable[[Any], None] | None = None) -> Any:
        """Run ``Search``'s step ``name`` in the child and wait for its answer (reports go to ``report``)."""
        self._number += 1
        number = self._number
        try:
            self._channel.send((number, name, args))
            while True:
                if not self._channel.poll(budget_ms / 1000 + GRACE_S):
                    self.close()
                    raise ArchiveError(STOPPED_MESSAGE, f"no answer to {name} within the time budget")
                kind, answered, value = self._channel.recv()
                if answered != number:
                    continue  # left over from a request that was given up
                if kind == "report":
                    if report is not None:
                        report(value)
                    continue
                if kind == "error":
                    raise value
                return value
        except (OSError, EOFError) as e:
            self.close()
            raise ArchiveError(STOPPED_MESSAGE, f"the search process ended: {e!r}") from e

    def cancel(self) -> None:
        """Ask the child to drop the request in flight (any thread)."""
        with contextlib.suppress(ValueError):  # already closed
            _FLAG.pack_into(self._flag, 0, self._number)

    def close(self) -> None:
        if not self._channel.closed:
            self._channel.close()  # the child's read ends: it exits
        try:
            self._process.wait(2)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._release()

    def _release(self) -> None:
        with contextlib.suppress(AttributeError, ValueError, BufferError):
            self._flag.close()
        self._flag_file.close()


# ---------------------------------------------------------------------------- the child


def serve(channel: Channel, flag: mmap.mmap, search: Search) -> None:
    """Answer requests until the app closes the socket."""
    current = [0]
    search.cancel_when(lambda: _FLAG.unpack_from(flag, 0)[0] >= current[0])
    big = True  # the app starts a child only for a big archive
    while True:
        try:
            number, name, args = channel.recv()
        except (EOFError, OSError):
            return
        current[0] = number
        try:
            if name == "staged":
                text, options = args
                value = staged(search, text, options, lambda r: channel.send(("report", number, r)), big)
            elif name == "page":
                value = search.page(*args)
            else:
                raise ArchiveError(STOPPED_MESSAGE, f"unknown request {name!r}")
            answer = ("done", number, value)
        except ViewerError as e:  # goes back to the app, which raises it in the caller
            answer = ("error", number, e)
        except Exception as e:  # noqa: BLE001 - a bug: raised in the app as one, with this process's traceback
            answer = ("error", number, SearchProcessBug(format_bug(e)))
        try:
            channel.send(answer)
        except (OSError, EOFError):
            return
        except Exception as e:  # an answer that cannot be pickled
            channel.send(("error", number, ArchiveError(STOPPED_MESSAGE, repr(e))))


def main(argv: list[str]) -> int:
    sock_fd, flag_fd, path, timeout_ms, private = int(argv[0]), int(argv[1]), argv[2], int(argv[3]), argv[4]
    channel = Channel(sock_fd)
    flag = mmap.mmap(flag_fd, _FLAG.size, access=mmap.ACCESS_READ)
    conn = Connection(Path(path), timeout_ms, Path(private) if private else None, _owns_copy=False)
    archive = Archive(path, _conn=conn)
    try:
        serve(channel, flag, Search(archive))
    finally:
        archive.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
