"""Faults the bookmark store must survive (RELIABILITY items 17-18): kill -9 while saving, two
copies of the app saving at once, a damaged file, a damaged backup, an interrupted repair."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from viewer.core.bookmark_anchoring import make_bookmark
from viewer.core.bookmarks import BACKUP_DIR, DAMAGED_DIR, STORE_NAME, BookmarkError, BookmarkStore, StoreTooNew, verify

ROOT = Path(__file__).resolve().parents[2]

# A child that adds bookmarks as fast as it can and prints each one's uid once add() returned.
# Each run opens the store on another day so that kills also land during the daily backup.
CHILD = r"""
import sys
from datetime import date, timedelta
from pathlib import Path
from viewer.core.archive import Archive
from viewer.core.bookmark_anchoring import make_bookmark
from viewer.core.bookmarks import BookmarkStore
data, archive_path, run, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
archive = Archive(archive_path)
drafts = [make_bookmark(archive, quote_id=q.id, note=f"run {run}", tags=[f"run{run}"]) for q in archive.quotes()]
store = BookmarkStore(Path(data) / "bookmarks.db", keep_backups=3, today=date(2020, 1, 1) + timedelta(days=run))
print("ready", flush=True)
if go != "-":
    while not Path(go).exists():
        pass
for i in range(int(sys.argv[5])):
    b = store.add(drafts[i % len(drafts)])
    print(b.uid, flush=True)
store.close()
"""


def _child(data: Path, archive: Path, run: int, count: int, go: str = "-") -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data), str(archive), str(run), go, str(count)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _acknowledged(out: str) -> list[str]:
    # only whole lines: a uid cut off by the kill was not acknowledged
    lines = out.split("\n")[:-1]
    return [line for line in lines if line and line != "ready"]


@pytest.mark.slow
def test_kill_9_at_random_moments_loses_no_acknowledged_bookmark(seed_archive_path, tmp_path):
    data = tmp_path / "data"
    rng = random.Random(1234)
    acked: list[str] = []
    kills = 0
    for run in range(24):
        proc = _child(data, seed_archive_path, run, 100000)
        early = ""
        if run % 2:
            # anywhere from the start: while it opens, checks or backs up the store, or adds
            time.sleep(rng.uniform(0.0, 0.5))
        else:
            # while it adds
            early = proc.stdout.readline()
            assert early == "ready\n", proc.stderr.read()
            time.sleep(rng.uniform(0.0, 0.3))
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate()
        assert proc.returncode == -signal.SIGKILL, err
        kills += 1
        acked += _acknowledged(early + out)
    assert kills >= 20
    assert len(acked) > 0
    with BookmarkStore(data / STORE_NAME, backup=False) as store:
        assert store.recovery is None
        uids = {b.uid for b in store.list()}
    missing = [u for u in acked if u not in uids]
    assert missing == []
    assert verify(data / STORE_NAME) >= len(acked)
    for backup in (data / BACKUP_DIR).glob("bookmarks-*.db"):
        verify(backup)


def test_two_processes_adding_at_once_lose_nothing(seed_archive_path, tmp_path):
    data = tmp_path / "data"
    go = tmp_path / "go"
    BookmarkStore(data / STORE_NAME).close()
    procs = [_child(data, seed_archive_path, run, 150, str(go)) for run in (1, 2)]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    go.touch()
    acked = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        acked += _acknowledged(out)
    assert len(acked) == 300
    with BookmarkStore(data / STORE_NAME, backup=False) as store:
        assert {b.uid for b in store.list()} == set(acked)
        assert store.count() == 300
        assert {t for t, _ in store.tags()} == {"run1", "run2"}


# ------------------------------------------------------------------------ damaged store


def _fill(seed_archive, data: Path, day: date, n: int) -> None:
    with BookmarkStore(data / STORE_NAME, today=day) as store:
        quotes = seed_archive.quotes()
        for i in range(n):
            store.add(make_bookmark(seed_archive, quote_id=quotes[i % len(quotes)].id, note=f"{day} {i} " + "x" * 300))


def _truncate(path: Path) -> None:
    with path.open("r+b") as f:
        f.truncate(path.stat().st_size // 2)


def _header(path: Path) -> None:
    with path.open("r+b") as f:
        f.write(b"this is no longer a database!!!" * 3)


def _pages(path: Path) -> None:
    with path.open("r+b") as f:
        f.seek(4096)
        f.write(b"\xff" * 4096 * 3)


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _garbage(path: Path) -> None:
    path.write_bytes(os.urandom(20000))


def _schema(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE tags")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("damage", [_truncate, _header, _pages, _empty, _garbage, _schema])
def test_damaged_store_is_moved_aside_and_the_newest_backup_restored(seed_archive, tmp_path, damage):
    data = tmp_path / "data"
    day1, day2, day3 = date(2024, 5, 1), date(2024, 5, 2), date(2024, 5, 3)
    _fill(seed_archive, data, day1, 5)  # no backup yet (empty on open)
    _fill(seed_archive, data, day2, 5)  # backs up the 5 of day 1, then adds 5
    path = data / STORE_NAME
    assert not Path(str(path) + "-wal").exists()
    damage(path)
    damaged_bytes = path.read_bytes()

    store = BookmarkStore(path, today=day3)
    try:
        r = store.recovery
        assert r is not None
        assert r.backup_date == day2 and r.bookmarks == 5
        assert "2 May 2024" in r.message and str(r.damaged_path) in r.message
        assert r.damaged_path.parent == data / DAMAGED_DIR
        assert r.damaged_path.read_bytes() == damaged_bytes  # kept, never deleted
        assert store.count() == 5
        assert all(b.note.startswith("2024-05-01") for b in store.list())
        assert store.recovery_notice() == r.message
        store.dismiss_recovery_notice()
        assert store.recovery_notice() == ""
        store.add(make_bookmark(seed_archive, quote_id=4))
    finally:
        store.close()
    with BookmarkStore(path, today=day3) as again:
        assert again.recovery is None and again.count() == 6


def test_a_damaged_backup_is_skipped_for_an_older_good_one(seed_archive, tmp_path):
    data = tmp_path / "data"
    _fill(seed_archive, data, date(2024, 5, 1), 3)
    _fill(seed_archive, data, date(2024, 5, 2), 3)  # backup of 3
    _fill(seed_archive, data, date(2024, 5, 3), 3)  # backup of 6
    backups = sorted((data / BACKUP_DIR).glob("bookmarks-*.db"))
    assert [b.name for b in backups] == ["bookmarks-2024-05-02.db", "bookmarks-2024-05-03.db"]
    _truncate(backups[-1])
    _header(data / STORE_NAME)
    with BookmarkStore(data / STORE_NAME, today=date(2024, 5, 4)) as store:
        assert store.recovery.backup_date == date(2024, 5, 2)
        assert store.count() == 3
    assert backups[-1].exists()  # the bad backup is left as it was


def test_no_backup_starts_an_empty_store_and_says_so(seed_archive, tmp_path):
    data = tmp_path / "data"
    _fill(seed_archive, data, date(2024, 5, 1), 2)
    _garbage(data / STORE_NAME)
    with BookmarkStore(data / STORE_NAME) as store:
        assert store.recovery.backup_date is None
        assert "no good backup" in store.recovery.message
        assert store.count() == 0
    assert len(list((data / DAMAGED_DIR).iterdir())) == 1


def test_a_store_from_a_newer_version_is_left_alone(tmp_path):
    data = tmp_path / "data"
    BookmarkStore(data / STORE_NAME).close()
    conn = sqlite3.connect(data / STORE_NAME)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreTooNew, match="newer version"):
        BookmarkStore(data / STORE_NAME)
    assert not (data / DAMAGED_DIR).exists()


def test_an_interrupted_restore_is_finished(seed_archive, tmp_path):
    data = tmp_path / "data"
    _fill(seed_archive, data, date(2024, 5, 1), 2)
    path = data / STORE_NAME
    os.replace(path, path.with_name(path.name + ".restoring"))  # killed between the two renames
    with BookmarkStore(path) as store:
        assert store.count() == 2 and store.recovery is None


def test_backups_one_a_day_verified_and_rotated(seed_archive, tmp_path):
    data = tmp_path / "data"
    start = date(2024, 1, 1)
    for day in range(10):
        _fill(seed_archive, data, start + timedelta(days=day), 1)
        _fill(seed_archive, data, start + timedelta(days=day), 1)  # a second open the same day: no new backup
    backups = sorted((data / BACKUP_DIR).glob("bookmarks-*.db"))
    assert len(backups) == 7
    assert backups[-1].name == "bookmarks-2024-01-10.db"
    assert verify(backups[-1]) == 18  # 2 a day for 9 days before the 10th day's backup
    assert not list((data / BACKUP_DIR).glob(".*"))


def test_a_backup_that_fails_verification_is_not_kept(seed_archive, tmp_path, monkeypatch):
    import viewer.core.bookmarks as bm

    data = tmp_path / "data"
    _fill(seed_archive, data, date(2024, 5, 1), 2)
    real = bm.verify

    def bad(path, *a, **k):
        if ".tmp" in path.name:
            raise bm._Damaged("simulated")
        return real(path, *a, **k)

    monkeypatch.setattr(bm, "verify", bad)
    with BookmarkStore(data / STORE_NAME, today=date(2024, 5, 2)) as store:
        assert "backup" in store.backup_warning
        assert store.count() == 2
    assert list((data / BACKUP_DIR).iterdir()) == []


def test_a_locked_store_is_not_mistaken_for_damage(seed_archive, tmp_path):
    data = tmp_path / "data"
    _fill(seed_archive, data, date(2024, 5, 1), 1)
    holder = sqlite3.connect(data / STORE_NAME, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another copy of the app in the middle of a change
    holder.execute("UPDATE bookmarks SET note = 'being edited'")
    try:
        with BookmarkStore(data / STORE_NAME, busy_timeout_ms=200, backup=False) as store:
            assert store.recovery is None and store.count() == 1
            with pytest.raises(BookmarkError, match="busy"):
                store.update(store.list()[0].id, note="mine")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not (data / DAMAGED_DIR).exists()


def test_a_full_disk_refuses_the_change_and_keeps_the_rest(seed_archive, tmp_path):
    data = tmp_path / "data"
    _fill(seed_archive, data, date(2024, 5, 1), 3)
    with BookmarkStore(data / STORE_NAME, backup=False) as store:
        before = store.list()
        pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
        store._conn.execute(f"PRAGMA max_page_count = {pages}")  # no room for one more page
        with pytest.raises(BookmarkError, match="could not save the bookmark: the disk is full"):
            for _ in range(50):
                store.add(make_bookmark(seed_archive, quote_id=4, note="y" * 3000))
        assert store.list()[:3] == before
    assert verify(data / STORE_NAME) >= 3


def test_a_leftover_copy_from_an_interrupted_repair_is_cleared(seed_archive, tmp_path):
    data = tmp_path / "data"
    _fill(seed_archive, data, date(2024, 5, 1), 2)
    path = data / STORE_NAME
    leftover = path.with_name(path.name + ".restoring")
    leftover.write_bytes(path.read_bytes())
    with BookmarkStore(path) as store:
        assert store.recovery is None and store.count() == 2
    assert not leftover.exists()
