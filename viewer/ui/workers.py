"""The one module that knows about threads.

``TaskRunner.submit(channel, fn, on_done, on_error, cancel)`` runs ``fn()`` off the UI thread and
calls ``on_done(result)`` or ``on_error(exception)`` on the UI thread. With ``on_progress``, ``fn`` is
called as ``fn(report)`` and each ``report(value)`` reaches ``on_progress(value)`` on the UI thread
(an early answer before the final one: a search's first page before its ranked page). Each channel runs one task
at a time; the newest request on a channel wins: older requests still queued are skipped, the one
in flight is cancelled with ``cancel()`` (for example ``Archive.interrupt``), and their answers are
dropped. Panels pass bound methods as callbacks and never touch threads themselves.

A worker that reads the archive uses its own connection (``Archive.clone()``), made on the UI thread
and used only by its channel, which runs one task at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Relay(QObject):
    """Carries a finished task back to the UI thread (emitted from the worker thread)."""

    done = Signal(int, str, object, object)
    progress = Signal(int, str, object)


class _Task(QRunnable):
    def __init__(self, runner: TaskRunner, rid: int, channel: str, fn: Callable[..., Any], reports: bool = False):
        super().__init__()
        # Python owns the task (TaskRunner keeps it until its answer is delivered): with Qt's
        # auto-delete, PySide6 6.12 freed tasks twice and the app crashed later at random places.
        self.setAutoDelete(False)
        self._runner = runner
        self._rid = rid
        self._channel = channel
        self._fn = fn
        self._reports = reports
        self._relay = runner._relay

    def _report(self, value: Any) -> None:
        if self._runner._is_current(self._channel, self._rid):
            self._relay.progress.emit(self._rid, self._channel, value)

    def run(self) -> None:
        if not self._runner._is_current(self._channel, self._rid):
            self._relay.done.emit(self._rid, self._channel, None, None)
            return
        try:
            result, error = (self._fn(self._report) if self._reports else self._fn()), None
        except BaseException as e:  # delivered to on_error on the UI thread
            result, error = None, e
        self._relay.done.emit(self._rid, self._channel, result, error)


class TaskRunner(QObject):
    """Runs work off the UI thread; see the module docstring.

    Signals:
        busy_changed(str, bool): a channel started or finished its newest request.
    """

    busy_changed = Signal(str, bool)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_relay_done)
        self._relay.progress.connect(self._on_relay_progress)
        self._lock = threading.Lock()
        self._pools: dict[str, QThreadPool] = {}
        self._latest: dict[str, int] = {}
        self._pending: dict[int, tuple[Callable | None, Callable | None]] = {}
        self._progress: dict[int, Callable[[Any], None]] = {}
        self._cancel: dict[str, Callable[[], None] | None] = {}
        self._next = 0
        self._tasks: dict[int, _Task] = {}  # alive until their answer is back on the UI thread

    def submit(
        self,
        channel: str,
        fn: Callable[..., Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        cancel: Callable[[], None] | None = None,
        on_progress: Callable[[Any], None] | None = None,
    ) -> int:
        """Queue ``fn`` on ``channel``; returns the request number. With ``on_progress``, ``fn`` gets a
        ``report`` function (see the module docstring)."""
        self._next += 1
        rid = self._next
        with self._lock:
            previous = self._latest.get(channel)
            cancel_previous = self._cancel.get(channel) if previous in self._pending else None
            self._latest[channel] = rid
            self._cancel[channel] = cancel
        if cancel_previous is not None:
            cancel_previous()
        self._pending[rid] = (on_done, on_error)
        if on_progress is not None:
            self._progress[rid] = on_progress
        pool = self._pools.get(channel)
        if pool is None:
            pool = self._pools[channel] = QThreadPool(self)
            pool.setMaxThreadCount(1)
        if previous is None or previous not in self._pending:
            self.busy_changed.emit(channel, True)
        task = self._tasks[rid] = _Task(self, rid, channel, fn, reports=on_progress is not None)
        pool.start(task)
        return rid

    def cancel(self, channel: str) -> None:
        """Drop the channel's pending answer and interrupt its work in flight."""
        with self._lock:
            rid = self._latest.get(channel)
            cancel = self._cancel.get(channel)
            self._latest[channel] = -1
        if rid in self._pending:
            self._pending.pop(rid, None)
            self._progress.pop(rid, None)
            if cancel is not None:
                cancel()
            self.busy_changed.emit(channel, False)

    def is_busy(self, channel: str) -> bool:
        return self._latest.get(channel) in self._pending

    def wait(self, msecs: int = -1, channel: str | None = None) -> bool:
        """Block until every channel (or ``channel``) is idle (for shutdown and tests). True if all finished."""
        pools = list(self._pools.values()) if channel is None else [p for c, p in self._pools.items() if c == channel]
        return all(pool.waitForDone(msecs) for pool in pools)

    def _is_current(self, channel: str, rid: int) -> bool:
        with self._lock:
            return self._latest.get(channel) == rid

    @Slot(int, str, object)
    def _on_relay_progress(self, rid: int, channel: str, value: Any) -> None:
        on_progress = self._progress.get(rid)
        if on_progress is not None and rid in self._pending and self._is_current(channel, rid):
            on_progress(value)

    @Slot(int, str, object, object)
    def _on_relay_done(self, rid: int, channel: str, result: Any, error: BaseException | None) -> None:
        self._tasks.pop(rid, None)
        self._progress.pop(rid, None)
        callbacks = self._pending.pop(rid, None)
        if callbacks is None or not self._is_current(channel, rid):
            return  # a newer request replaced this one
        self.busy_changed.emit(channel, False)
        on_done, on_error = callbacks
        if error is None:
            if on_done is not None:
                on_done(result)
        elif on_error is not None:
            on_error(error)
