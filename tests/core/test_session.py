"""The archive session (viewer.core.session): one archive open at a time, switched so that nothing reads a
closed archive, opened afresh to see what was written to it, the last and the recent ones remembered."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from viewer.core.errors import ArchiveError
from viewer.core.session import RECENT_MAX, ArchiveSession, MemoryHistory


@pytest.fixture
def copies(seed_archive_path, tmp_path):
    def copy(name: str):
        path = tmp_path / name
        shutil.copyfile(seed_archive_path, path)
        return path

    return copy


@pytest.fixture
def session(tmp_path):
    s = ArchiveSession(tmp_path / "data")
    yield s
    s.shutdown()


class FakeArchive:
    def __init__(self, path, log):
        self.path, self._log = path, log

    def close(self):
        self._log.append(("closed", self.path.name))


def test_opening_another_archive_tells_listeners_before_the_old_one_closes(tmp_path):
    log = []
    session = ArchiveSession(tmp_path / "data", opener=lambda path: FakeArchive(path, log))
    session.add_listener(lambda archive: log.append(("now", archive.path.name if archive else None)))
    session.open(tmp_path / "a.db")
    session.open(tmp_path / "b.db")
    session.close()
    assert log == [("now", "a.db"), ("now", "b.db"), ("closed", "a.db"), ("now", None), ("closed", "b.db")]


def test_a_file_that_cannot_be_opened_changes_nothing(session, copies, tmp_path):
    a = copies("a.db")
    session.open(a)
    calls = []
    session.add_listener(calls.append)
    bad = tmp_path / "not-an-archive.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ArchiveError):
        session.open(bad)
    with pytest.raises(ArchiveError):
        session.open(tmp_path / "missing.db")
    assert calls == [] and session.archive.path == a and len(session.archive.documents()) > 0
    assert session.recent() == [str(a)] and session.history.last() == str(a)


def test_opening_the_same_file_again_sees_what_was_written_to_it(session, copies):
    a = copies("a.db")
    session.open(a)
    before = session.archive
    count = len(before.documents())
    conn = sqlite3.connect(a)
    with conn:
        conn.execute("DELETE FROM documents WHERE id = (SELECT MAX(id) FROM documents WHERE has_text = 0)")
    conn.close()
    assert session.open(a) is True  # the archive that was open last
    assert session.archive is not before and len(session.archive.documents()) == count - 1
    assert session.recent() == [str(a)]


def test_close_forgets_the_last_archive_and_shutdown_keeps_it(tmp_path, copies):
    a = copies("a.db")
    history = MemoryHistory()
    calls = []
    s = ArchiveSession(tmp_path / "data", history)
    s.add_listener(calls.append)
    s.close()  # nothing open: nothing to tell
    assert calls == []
    s.open(a)
    s.close()
    assert s.archive is None and calls[-1] is None and history.last() == ""
    s.open(a)
    s.shutdown()
    assert s.archive is None and calls[-1] is None and history.last() == str(a)
    again = ArchiveSession(tmp_path / "data", history)
    assert again.start_path() == a  # the next start opens it again


def test_recent_archives_newest_first_without_repeats_and_at_most_ten(session, copies):
    paths = [copies(f"r{i}.db") for i in range(RECENT_MAX + 2)]
    for p in paths:
        session.open(p)
    session.open(paths[3])
    recent = session.recent()
    assert recent[0] == str(paths[3]) and len(recent) == RECENT_MAX == len(set(recent))
    assert recent[1:3] == [str(paths[-1]), str(paths[-2])]
    assert str(paths[0]) not in recent
    session.clear_recent()
    assert session.recent() == []


def test_the_start_path(tmp_path, copies, monkeypatch):
    bundled = copies("bundled.db")
    monkeypatch.setenv("ARCHIVE_VIEWER_ARCHIVE", str(bundled))
    data = tmp_path / "data"
    history = MemoryHistory()
    s = ArchiveSession(data, history)
    assert s.start_path() == bundled and not s.is_users_own(bundled)  # nothing else: the bundled one
    given = copies("given.db")
    assert s.start_path(given) == given  # named: that one
    history.set_last(str(tmp_path / "gone.db"))
    assert s.start_path() == bundled  # the last one is gone
    data.mkdir()
    own = data / "archive.db"
    shutil.copyfile(bundled, own)
    assert s.start_path() == own and s.is_users_own(own)  # an import made the user's own
    last = copies("last.db")
    history.set_last(str(last))
    assert s.start_path() == last
