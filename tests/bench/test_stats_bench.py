"""bench/stats_bench.py runs end to end on a small archive, leaves it untouched, and ends with one
JSON line holding every measure and the equality checks."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each runs a benchmark script end to end

ROOT = Path(__file__).resolve().parents[2]


def test_a_small_run_prints_every_measure_and_the_checks_hold(tmp_path):
    from viewer.core.synth import synthesize

    archive = tmp_path / "small.db"
    synthesize(archive, 1500, seed=12, log=lambda _m: None)
    before = hashlib.sha256(archive.read_bytes()).hexdigest()
    p = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "stats_bench.py"),
            "--archive",
            str(archive),
            "--json",
            "--verify",
            "--repeat",
            "1",
            "--tmp",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert p.returncode == 0, p.stderr
    lines = p.stdout.strip().splitlines()
    assert len(lines) == 1
    out = json.loads(lines[0])
    build = out["build"]
    assert build["passages"] == 1500 and build["rebuild_s"] > 0 and build["per_document_s"] > 0
    assert build["rows"]["terms"] > 0 and build["rows"]["speaker_terms"] > 0
    for name in ("active", "new"):
        assert out["import"][name]["status"] == "imported" and out["import"][name]["stats_s"] >= 0
    assert out["import"]["active"]["new_speakers"] == 0 and out["import"]["new"]["new_speakers"] == 4
    assert out["import"]["import_equals_rebuild"] is True
    assert set(out["queries"]["stats_json_s"]) == {"archive", "document", "speaker_active", "speaker_median"}
    assert (
        set(out["panel"]["ready_s"]) == set(out["panel"]["max_stall_ms"]) == {"archive", "speaker_active", "document"}
    )
    assert out["distinctive_equal"].split("/")[0] == out["distinctive_equal"].split("/")[1]
    assert hashlib.sha256(archive.read_bytes()).hexdigest() == before
    assert not list(tmp_path.glob("stats-bench-*"))  # the copies are gone
