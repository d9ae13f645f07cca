"""The search panel's search service: the same answers in a child process as in this one, cancelling,
a child that dies, and a child that never outlives the app."""

from __future__ import annotations

import mmap
import os
import signal
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection as Channel

import pytest

from tests.conftest import process_gone, wal_archive_with_pending_change, with_damaged_table
from viewer.core.archive import Archive
from viewer.core.db import ArchiveError, QueryInterrupted, open_archive
from viewer.core.search import TIMEOUT_MESSAGE, Search, SearchOptions
from viewer.core.search_service import _FLAG, STOPPED_MESSAGE, SearchService, serve

SLOW = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT MAX(x) FROM c"


def keys(hits) -> list[tuple[str, int]]:
    return [(h.kind, h.id) for h in hits]


@pytest.fixture
def service(seed_archive):
    s = SearchService(seed_archive.clone(), big=0)  # the seed counts as big: searched in a child
    yield s
    s.close()


posix_only = pytest.mark.skipif(os.name != "posix", reason="the search process needs POSIX file descriptors")


def test_a_small_archive_is_searched_in_this_process_in_one_step(seed_archive):
    service = SearchService(seed_archive.clone())
    reports = []
    try:
        result = service.staged("sanctions", SearchOptions(), reports.append)
        assert service.child_pid is None and reports == []
        assert result.total == 13 and keys(result.hits) == keys(Search(seed_archive).run("sanctions").hits)
    finally:
        service.close()


@posix_only
def test_a_big_archive_is_searched_in_a_child_process_with_the_same_answers(service, seed_archive):
    reports = []
    result = service.staged("sanctions", SearchOptions(), reports.append)
    assert service.child_pid not in (None, os.getpid())
    expected = Search(seed_archive).run("sanctions")
    assert result.total == expected.total == 13
    assert keys(result.hits) == keys(expected.hits)
    assert [h.snippet for h in result.hits] == [h.snippet for h in expected.hits]
    # the unranked first page came first, without a total
    assert len(reports) == 1 and reports[0].total is None and set(keys(reports[0].hits)) <= set(keys(expected.hits))
    page = service.page(result.prepared, 5, 4)
    assert keys(page) == keys(Search(seed_archive).page(expected.prepared, 5, 4))


@posix_only
def test_the_child_answers_hints_filters_and_time_outs(service, seed_archive):
    assert service.staged("-sanctions", SearchOptions(), lambda r: None).hint
    one = seed_archive.speakers()[0]
    filtered = service.staged("Kazakhstan", SearchOptions(speakers=(one.id,)), lambda r: None)
    assert keys(filtered.hits) == keys(Search(seed_archive).run("Kazakhstan", SearchOptions(speakers=(one.id,))).hits)
    timed_out = service.staged("sanctions", SearchOptions(timeout_ms=0), lambda r: None)
    assert timed_out.message == TIMEOUT_MESSAGE and timed_out.hits == ()
    assert service.staged("sanctions", SearchOptions(), lambda r: None).total == 13  # still usable


@posix_only
def test_a_child_that_died_while_idle_is_replaced_at_the_next_search(service):
    assert service.staged("sanctions", SearchOptions(), lambda r: None).total == 13
    first = service.child_pid
    os.kill(first, signal.SIGKILL)
    assert process_gone(first)
    assert service.staged("sanctions", SearchOptions(), lambda r: None).total == 13
    assert service.child_pid not in (None, first)


@posix_only
def test_a_child_that_dies_during_a_search_fails_that_search_only(service):
    service.warm()
    first = service.child_pid
    os.kill(first, signal.SIGSTOP)  # the request waits in the socket; then the child dies
    killer = threading.Timer(0.3, os.kill, (first, signal.SIGKILL))
    killer.start()
    with pytest.raises(ArchiveError) as e:
        service.staged("sanctions", SearchOptions(), lambda r: None)
    killer.join()
    assert e.value.message == STOPPED_MESSAGE
    assert service.staged("sanctions", SearchOptions(), lambda r: None).total == 13
    assert service.child_pid not in (None, first)


@posix_only
def test_closing_the_service_ends_its_child(service):
    service.warm()
    pid = service.child_pid
    assert pid is not None
    service.close()
    assert process_gone(pid) and service.child_pid is None


@posix_only
def test_the_child_never_outlives_the_app(seed_archive_path, tmp_path):
    """An app killed without closing anything: its search process ends on its own."""
    script = tmp_path / "app.py"
    script.write_text(
        "import os, sys\n"
        "from viewer.core.archive import Archive\n"
        "from viewer.core.search_service import SearchService\n"
        "s = SearchService(Archive(sys.argv[1]), big=0)\n"
        "s.warm()\n"
        "print(s.child_pid, flush=True)\n"
        "os._exit(9)\n"
    )
    out = subprocess.run(
        [sys.executable, str(script), str(seed_archive_path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=os.getcwd(),
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    assert out.returncode == 9, out.stderr
    assert process_gone(int(out.stdout.strip()))


@posix_only
def test_a_wal_archive_is_searched_from_the_apps_private_copy(tmp_path, seed_archive_path):
    with wal_archive_with_pending_change(seed_archive_path, tmp_path) as path:
        before = sorted(p.name for p in tmp_path.iterdir())
        with Archive(path) as archive:
            service = SearchService(archive.clone(), big=0)
            try:
                result = service.staged("sanctions", SearchOptions(), lambda r: None)
                assert service.child_pid is not None and result.total == 13
            finally:
                service.close()
            private = archive.db.private_copy
            assert private is not None and private.exists()  # the child left the app's copy alone
            assert archive.document(1).title == "Changed in the WAL"
        assert not private.exists()
        assert sorted(p.name for p in tmp_path.iterdir()) == before


# ---------------------------------------------------------------------------- cancelling


def test_a_cancel_check_stops_a_running_query(seed_archive_path):
    conn = open_archive(seed_archive_path, timeout_ms=30_000)
    asked = []
    conn.cancel_when(lambda: asked.append(1) or len(asked) > 50)
    with pytest.raises(QueryInterrupted):
        conn.execute(SLOW)
    conn.cancel_when(None)
    assert conn.execute("SELECT COUNT(*) FROM passages")[0][0] == 34
    conn.close()


def test_the_child_drops_the_request_whose_number_is_flagged(seed_archive, monkeypatch, tmp_path):
    """``serve`` (the child's loop), run here on a thread: a request stops once the app flags its number."""
    started = threading.Event()

    def slow_page(self, prepared, offset, limit=None):
        self._start(SearchOptions(timeout_ms=30_000))
        started.set()
        while True:
            self._budget.check()

    monkeypatch.setattr(Search, "page", slow_page)
    ours, theirs = socket.socketpair()
    app, child = Channel(ours.detach()), Channel(theirs.detach())
    flag_file = tmp_path / "flag"
    flag_file.write_bytes(bytes(_FLAG.size))
    with flag_file.open("r+b") as f:
        flag = mmap.mmap(f.fileno(), _FLAG.size)
        clone = seed_archive.clone()
        worker = threading.Thread(target=serve, args=(child, flag, Search(clone)))
        worker.start()
        try:
            app.send((1, "page", (None, 0, 10)))
            assert started.wait(10)
            _FLAG.pack_into(flag, 0, 1)
            assert app.poll(10)
            kind, number, error = app.recv()
            assert (kind, number) == ("error", 1) and isinstance(error, QueryInterrupted)
            app.send((2, "unknown", ()))  # the next request is not cancelled by the old flag
            kind, number, error = app.recv()
            assert (kind, number) == ("error", 2) and error.message == STOPPED_MESSAGE
        finally:
            app.close()
            worker.join(10)
            flag.close()
            clone.close()
    assert not worker.is_alive()


@posix_only
def test_a_child_that_stops_answering_is_given_up_and_replaced(service, monkeypatch):
    from viewer.core import search_service

    monkeypatch.setattr(search_service, "GRACE_S", 0.3)
    service.warm()
    frozen = service.child_pid
    os.kill(frozen, signal.SIGSTOP)
    with pytest.raises(ArchiveError) as e:
        service.staged("sanctions", SearchOptions(timeout_ms=200), lambda r: None)
    assert e.value.message == STOPPED_MESSAGE and process_gone(frozen)
    assert service.staged("sanctions", SearchOptions(), lambda r: None).total == 13


@posix_only
def test_a_damaged_archive_is_reported_the_same_from_the_child(tmp_path, seed_archive_path):
    """Damage found while the child reads arrives as the same ArchiveError the app shows."""
    damaged = with_damaged_table(seed_archive_path, tmp_path / "damaged-inside.db")
    with Archive(damaged) as archive:
        with pytest.raises(ArchiveError) as here:
            Search(archive).run("sanctions")
        service = SearchService(archive.clone(), big=0)
        try:
            with pytest.raises(ArchiveError) as there:
                service.staged("sanctions", SearchOptions(), lambda r: None)
            assert service.child_pid is not None  # it answered, and it is still there
        finally:
            service.close()
    assert type(there.value) is type(here.value) and there.value.message == here.value.message
    assert "is damaged" in there.value.message
