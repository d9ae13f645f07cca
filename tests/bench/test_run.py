"""bench/run.py runs end to end (quick mode) on the honest query mix and ends with one JSON line holding every
measure or a reason; when the search engine's API changes it fails, it never measures something else instead."""

from __future__ import annotations

import json
import shutil
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
    assert out["passages"] == 3000 and out["search"] == "viewer.core.search"
    # one query of each shape of the mix, measured through the engine with and without its lists
    assert sorted(q["label"] for q in out["queries"]) == ["and2", "and3", "not", "or", "phrase", "prefix", "word"]
    for q in out["queries"]:
        assert 0 <= q["hits"] <= 50 and (q["hits"] > 0) == (q["matches"] > 0), q
        assert q["ranked_ms"] > 0 and q["fts5_ranked_ms"] > 0 and q["ranked_by"].startswith("passage:"), q
    assert out["naive_ms_p95"] >= out["naive_ms_p50"] > 0
    assert out["cold_lists_total_ms_p50"] > out["cold_lists_ranked_ms_p50"] > 0 and out["cold_fts5_total_ms_p50"] > 0
    # every query of the mix as a whole process, next to sqlite-utils
    assert len(out["cli_queries"]) == 7 and all(c["cli_s"] > 0 and c["sqlite_utils_s"] > 0 for c in out["cli_queries"])
    assert set(out["ui"]) == {"child", "thread-fts5"} and out["ui_max_stall_ms"] > 0
    assert out["build_pps"] > 0 and out["raw_build_pps"] > 0 and out["hello_s"] > 0
    # the top-k lists were added and agree with FTS5 wherever they answer
    assert out["topk_build"]["max_score_error"] == 0.0
    assert all(q["equal"] for q in out["topk"]["queries"] if q["answered"])


def test_an_api_change_fails_the_bench_instead_of_measuring_something_else(tmp_path):
    from viewer.core.synth import synthesize

    archive = tmp_path / "tiny.db"
    synthesize(archive, 400, seed=7, log=lambda _m: None)
    changed = tmp_path / "checkout"
    shutil.copytree(ROOT / "viewer", changed / "viewer", ignore=shutil.ignore_patterns("__pycache__"))
    engine = changed / "viewer" / "core" / "search.py"
    text = engine.read_text(encoding="utf-8")
    assert "    def ranked(self" in text
    engine.write_text(text.replace("    def ranked(self", "    def ranked_page(self"), encoding="utf-8")
    p = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--archive",
            str(archive),
            "--quick",
            "--json",
            "--root",
            str(changed),
            "--skip",
            "ui,startup,cli,build,cold",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 1 and "Search has no ranked" in p.stderr and "needs updating" in p.stderr, p.stderr
    assert not p.stdout.strip()  # no numbers at all


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
            "ui,startup,cli,build,cold",
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
