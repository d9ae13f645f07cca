"""The threading helper: results on the UI thread, newest request wins, errors delivered."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThread, Slot

from viewer.ui.workers import TaskRunner


class Sink(QObject):
    def __init__(self):
        super().__init__()
        self.results = []
        self.errors = []
        self.threads = []

    @Slot(object)
    def on_done(self, result):
        self.results.append(result)
        self.threads.append(QThread.currentThread())

    @Slot(object)
    def on_error(self, error):
        self.errors.append(error)


def test_result_arrives_on_the_ui_thread(qtbot):
    runner = TaskRunner()
    sink = Sink()
    worker_thread = []
    runner.submit("c", lambda: worker_thread.append(threading.current_thread()) or 42, sink.on_done)
    qtbot.waitUntil(lambda: sink.results == [42])
    assert sink.threads == [QThread.currentThread()]
    assert worker_thread[0] is not threading.main_thread()


def test_error_is_delivered_not_raised(qtbot):
    runner = TaskRunner()
    sink = Sink()

    def boom():
        raise ValueError("bad")

    runner.submit("c", boom, sink.on_done, sink.on_error)
    qtbot.waitUntil(lambda: len(sink.errors) == 1)
    assert isinstance(sink.errors[0], ValueError) and sink.results == []


def test_newest_request_wins_and_the_old_one_is_cancelled(qtbot):
    runner = TaskRunner()
    sink = Sink()
    started = threading.Event()
    release = threading.Event()
    cancelled = []

    def slow():
        started.set()
        release.wait(5)
        return "old"

    runner.submit("search", slow, sink.on_done, cancel=lambda: (cancelled.append(True), release.set()))
    assert started.wait(5)
    runner.submit("search", lambda: "queued-and-replaced", sink.on_done)
    runner.submit("search", lambda: "new", sink.on_done)
    qtbot.waitUntil(lambda: sink.results == ["new"])
    assert runner.wait(5000)
    assert sink.results == ["new"]
    assert cancelled == [True]
    assert not runner.is_busy("search")


def test_channels_are_independent(qtbot):
    runner = TaskRunner()
    sink = Sink()
    runner.submit("a", lambda: "a", sink.on_done)
    runner.submit("b", lambda: "b", sink.on_done)
    qtbot.waitUntil(lambda: sorted(sink.results) == ["a", "b"])


def test_progress_arrives_before_the_answer_and_stale_progress_is_dropped(qtbot):
    runner = TaskRunner()
    sink = Sink()
    steps = []

    class Steps(QObject):
        @Slot(object)
        def on_progress(self, value):
            steps.append((value, list(sink.results)))

    receiver = Steps()
    release = threading.Event()

    def staged(report):
        report("first page")
        release.wait(5)
        return "ranked page"

    runner.submit("search", staged, sink.on_done, on_progress=receiver.on_progress)
    qtbot.waitUntil(lambda: steps == [("first page", [])])
    release.set()
    qtbot.waitUntil(lambda: sink.results == ["ranked page"])

    gate = threading.Event()

    def stale(report):
        gate.wait(5)
        report("too late")
        return "old"

    runner.submit("search", stale, sink.on_done, on_progress=receiver.on_progress)
    runner.submit("search", lambda: "new", sink.on_done)
    gate.set()
    qtbot.waitUntil(lambda: sink.results[-1] == "new")
    assert runner.wait(5000)
    assert [s[0] for s in steps] == ["first page"]
