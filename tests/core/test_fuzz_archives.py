"""500 byte-flipped and truncated copies of the archive through every read command: no traceback,
no hang, no file changed (RELIABILITY 8, 9)."""

import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
@pytest.mark.timeout(960)  # past the 900 s its child process is given below, so that limit speaks first
def test_damaged_copies_never_crash_or_hang(tmp_path, seed_archive_path):
    r = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "fuzz_archives.py"), str(seed_archive_path), str(tmp_path), "500", "7"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert r.stdout.strip().splitlines()[-1] == "checked 500"


def test_check_reports_a_healthy_archive(seed_archive_path):
    r = subprocess.run(
        [sys.executable, "-m", "viewer", "check", "--archive", str(seed_archive_path), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert '"ok": true' in r.stdout


def test_check_finds_a_broken_index(tmp_path, seed_archive_path):
    import shutil
    import sqlite3

    path = tmp_path / "broken.db"
    shutil.copy(seed_archive_path, path)
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM passages_fts_data WHERE id > 10 AND rowid % 2 = 0")
    conn.execute("UPDATE quotes SET start = start + 1 WHERE id = 3")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    r = subprocess.run(
        [sys.executable, "-m", "viewer", "check", "--archive", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 1, r.stdout + r.stderr
    assert "problem: full-text index passages_fts" in r.stdout
    assert "problem: quote and mention offsets: quotes 3 does not match its passage text" in r.stdout
    assert path.read_bytes() == before
