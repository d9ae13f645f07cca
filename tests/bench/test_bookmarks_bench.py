"""bench/bookmarks_bench.py runs end to end on a small store and ends with one JSON line holding every measure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_small_run_prints_every_measure(tmp_path, seed_archive_path):
    p = subprocess.run([sys.executable, str(ROOT / "bench" / "bookmarks_bench.py"), "--archive", str(seed_archive_path),
                        "--bookmarks", "700", "--json", "--tmp", str(tmp_path)],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.strip().splitlines()
    assert len(lines) == 1
    out = json.loads(lines[0])
    assert out["bookmarks"] == 700 and out["templates"] > 10
    for name in ("list", "export_csv", "export_json", "import"):
        assert out[name]["peak_mb"] > 0 and out[name]["total_s"] > 0
    assert 0 < out["list"]["first_row_s"] <= out["list"]["total_s"]
    assert out["import"]["mb"] > 0
    assert out["app"]["rows_read"] == 200 and out["app"]["ready_s"] > 0
    assert not list(tmp_path.glob("bookmarks-bench-*"))  # the stores are gone
