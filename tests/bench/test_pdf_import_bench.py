"""bench/pdf_import.py runs end to end on a short report and ends with one JSON line holding every
measure, the baseline and the check that every paragraph came back with its pages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each runs a benchmark script end to end

ROOT = Path(__file__).resolve().parents[2]


def test_a_short_run_prints_every_measure():
    p = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "pdf_import.py"), "--pages", "3", "--runs", "1", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert p.returncode == 0, p.stderr
    lines = p.stdout.strip().splitlines()
    assert len(lines) == 1
    out = json.loads(lines[0])
    assert out["pages"] == 3 and out["import_status"] == "imported"
    for key in ("bare_s", "reader_s", "analyse_s", "import_s"):
        assert out[key] > 0, key
    got, total = out["paragraphs_exact"].split("/")
    assert got == total and int(total) > 10
