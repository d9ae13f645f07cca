"""bench/run.py runs end to end (quick mode) and ends with one JSON line holding every measure or a reason."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each runs a benchmark script end to end

ROOT = Path(__file__).resolve().parents[2]
KEYS = ("first_ms_p95", "ranked_ms_p95", "naive_ms_p95", "ui_max_stall_ms", "startup_s", "hello_s", "rss_mb")


def test_quick_run_prints_a_json_last_line(tmp_path):
    from viewer.core.synth import synthesize

    archive = tmp_path / "tiny.db"
    synthesize(archive, 3000, seed=5, log=lambda _m: None)
    p = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--archive", str(archive), "--quick", "--json", "--topk"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert p.returncode == 0, p.stderr
    lines = p.stdout.strip().splitlines()
    assert len(lines) == 1  # --json: nothing but the JSON line
    out = json.loads(lines[-1])
    for key in KEYS:
        assert key in out
        if out[key] is None:
            assert any(note.startswith(key) or f"{key}:" in note for note in out["notes"]), key
    assert out["passages"] == 3000 and len(out["queries"]) == 7
    # the engine (or the fallback) found something for every query, at most a page
    assert all(0 < q["hits"] <= 50 and q["matches"] > 0 for q in out["queries"]), out["queries"]
    assert out["naive_ms_p95"] >= out["naive_ms_p50"] > 0
    assert out["build_pps"] > 0 and out["raw_build_pps"] > 0 and out["hello_s"] > 0
    # the top-k lists were added and agree with FTS5 wherever they answer
    assert out["topk_build"]["max_score_error"] == 0.0
    answered = [q for q in out["topk"]["queries"] if q["answered"]]
    assert answered and all(q["equal"] for q in answered)


def test_table_output_ends_with_the_json_line(tmp_path):
    from viewer.core.synth import synthesize

    archive = tmp_path / "tiny.db"
    synthesize(archive, 400, seed=6, log=lambda _m: None)
    p = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--archive",
            str(archive),
            "--quick",
            "--skip",
            "ui,startup,cli,build",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    lines = p.stdout.strip().splitlines()
    assert lines[0].startswith("archive:") and len(lines) > 10
    out = json.loads(lines[-1])
    assert out["startup_s"] is None and any("skipped" in n for n in out["notes"])
    missing = tmp_path / "missing.db"
    bad = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--archive", str(missing)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "no archive" in bad.stderr
