"""The corrections store keeps the user's decisions like the bookmarks keep theirs (RELIABILITY items
17-18): a kill -9 while saving, two copies of the app saving at once, a damaged file, a newer file."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from viewer.core.corrections import (
    NARRATION,
    SPEAKER,
    STORE_NAME,
    CorrectionError,
    CorrectionNotFound,
    CorrectionsTooNew,
    CorrectionStore,
    make_correction,
)
from viewer.core.userstore import BACKUP_DIR, DAMAGED_DIR

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from viewer.core.archive import Archive
from viewer.core.corrections import CorrectionStore, make_correction
data, archive_path, run, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
archive = Archive(archive_path)
draft = make_correction(archive, passage_id=1, speaker="Jane Newperson", note=f"run {run}")
store = CorrectionStore(Path(data) / "corrections.db", keep_backups=3, today=date(2020, 1, 1) + timedelta(days=run))
print("ready", flush=True)
for i in range(count):
    c = store.save(replace(draft, paragraph=1000 * run + i))
    print(c.uid, flush=True)
store.close()
"""


def _child(data: Path, archive: Path, run: int, count: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data), str(archive), str(run), str(count)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _acknowledged(out: str) -> list[str]:
    return [line for line in out.split("\n")[:-1] if line and line != "ready"]  # a cut-off line was not


@pytest.fixture
def draft(seed_archive):
    return make_correction(seed_archive, passage_id=1, speaker="Jane Newperson", note="a note")


def test_saved_corrections_are_read_back_as_saved(draft, tmp_path):
    with CorrectionStore(tmp_path / STORE_NAME) as store:
        a = store.save(draft)
        b = store.save(replace(draft, paragraph=2, decision=NARRATION, speaker="ignored"))
        assert [c.id for c in store.list()] == [a.id, b.id] and store.count() == 2
        assert store.get(a.id) == a and a.uid and a.created and a.text_hash
        assert b.speaker == "" and b.decision == NARRATION and b.label.startswith("narration")
        assert store.list(document_slug="nope") == []
        gone = store.remove(a.id)
        assert gone == a and store.get(a.id) is None
        with pytest.raises(CorrectionNotFound):
            store.remove(a.id)
        assert store.restore(gone) == a
        with pytest.raises(ValueError, match="speaker's name"):
            store.save(replace(draft, speaker=""))
        assert store.count() == 2


@pytest.mark.slow
def test_kill_9_while_saving_loses_no_acknowledged_correction(seed_archive_path, tmp_path):
    data = tmp_path / "data"
    acked: list[str] = []
    for run in range(12):
        proc = _child(data, seed_archive_path, run, 100000)
        early = proc.stdout.readline()
        assert early == "ready\n", proc.stderr.read()
        time.sleep(0.05 + 0.02 * run)
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate()
        assert proc.returncode == -signal.SIGKILL, err
        acked += _acknowledged(out)
    assert acked
    with CorrectionStore(data / STORE_NAME, backup=False) as store:
        assert store.recovery is None
        have = {c.uid for c in store.list()}
    assert set(acked) <= have


def test_two_processes_saving_at_once_lose_nothing(seed_archive_path, tmp_path):
    data = tmp_path / "data"
    CorrectionStore(data / STORE_NAME).close()
    procs = [_child(data, seed_archive_path, run, 150) for run in (1, 2)]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (_out, err) in zip(procs, outs):
        assert p.returncode == 0, err
    uids = [u for out, _err in outs for u in _acknowledged(out)]
    assert len(uids) == 300
    with CorrectionStore(data / STORE_NAME) as store:
        assert {c.uid for c in store.list()} == set(uids)


def test_a_damaged_store_is_moved_aside_and_the_newest_backup_restored(draft, tmp_path):
    data = tmp_path / "data"
    with CorrectionStore(data / STORE_NAME, today=date(2024, 5, 1)) as store:
        store.save(draft)
    with CorrectionStore(data / STORE_NAME, today=date(2024, 5, 2)) as store:  # backs up the one of day 1
        store.save(replace(draft, paragraph=7))
    path = data / STORE_NAME
    assert (data / BACKUP_DIR / "corrections-2024-05-02.db").is_file()
    with path.open("r+b") as f:
        f.write(b"garbage" * 20)
    damaged = path.read_bytes()
    with CorrectionStore(path, today=date(2024, 5, 3)) as store:
        r = store.recovery
        assert r is not None and r.backup_date == date(2024, 5, 2) and r.rows == 1
        assert "Your corrections file was damaged" in r.message and "2 May 2024" in r.message
        assert "(1 corrections)" in r.message and r.damaged_path.parent == data / DAMAGED_DIR
        assert r.damaged_path.read_bytes() == damaged
        assert [c.paragraph for c in store.list()] == [draft.paragraph]
        assert store.recovery_notice() == r.message


def test_a_store_from_a_newer_version_is_left_alone(tmp_path):
    path = tmp_path / STORE_NAME
    CorrectionStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 9")
    conn.close()
    with pytest.raises(CorrectionsTooNew, match="newer version"):
        CorrectionStore(path)
    assert not (tmp_path / DAMAGED_DIR).exists()


def test_a_locked_store_is_busy_not_damaged(draft, tmp_path):
    path = tmp_path / STORE_NAME
    with CorrectionStore(path) as store:
        store.save(draft)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with CorrectionStore(path, busy_timeout_ms=200, backup=False) as store:
            assert store.recovery is None
            with pytest.raises(CorrectionError, match="busy"):
                store.save(replace(draft, paragraph=3))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not (tmp_path / DAMAGED_DIR).exists()


def test_a_full_disk_refuses_the_change_and_keeps_the_rest(draft, tmp_path):
    with CorrectionStore(tmp_path / STORE_NAME, backup=False) as store:
        store.save(draft)
        pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
        store._conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(CorrectionError, match="could not save the correction: the disk is full"):
            for i in range(50):
                store.save(replace(draft, decision=SPEAKER, note="n" * 3000, paragraph=100 + i))
        assert store.count() >= 1
    assert os.path.getsize(tmp_path / STORE_NAME) > 0
