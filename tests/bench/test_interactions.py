"""bench/interactions.py clicks through the whole window on an archive, leaves it untouched, and ends with
one JSON line holding every step's longest heartbeat gap."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each runs a benchmark script end to end

ROOT = Path(__file__).resolve().parents[2]


def test_a_run_on_the_seed_reports_every_step(seed_archive_path, tmp_path):
    archive = tmp_path / "seed.db"
    archive.write_bytes(seed_archive_path.read_bytes())
    before = hashlib.sha256(archive.read_bytes()).hexdigest()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    p = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "interactions.py"),
            "--archive",
            str(archive),
            "--runs",
            "1",
            "--settle",
            "0.3",
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert p.returncode == 0, p.stderr
    lines = p.stdout.strip().splitlines()
    assert len(lines) == 1
    out = json.loads(lines[0])
    assert out["idle_max_gap_ms"] > 0
    steps = out["steps"]
    assert "search: sanctions" in steps and "show the statistics panel" in steps
    assert any(name.startswith("select the most active speaker (") for name in steps)
    assert all(gap > 0 for gap in steps.values()) and len(out["runs"]) == 1
    assert hashlib.sha256(archive.read_bytes()).hexdigest() == before
