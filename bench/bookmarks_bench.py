#!/usr/bin/env python3
"""Bookmarks at scale: a store of a million bookmarks listed, exported, imported and opened by the app, with
the peak memory and time of each, each in a process of its own as a user runs it.

    python bench/bookmarks_bench.py --archive archive.db --bookmarks 1000000       # a table, then one JSON line
    python bench/bookmarks_bench.py --archive archive.db --bookmarks 2000 --json   # only the JSON line

The store is made in a data folder under ``--tmp`` (default: the system's temporary folder), removed at
the end: ``--bookmarks`` bookmarks of every quote and passage of the archive's documents with text (the same
words bookmarked again and again, each a bookmark of its own: a uid, a note, tags, a time), inserted in
bulk. The archive is only read.

* ``open``: ``archive-viewer bookmark list --tag no-such-tag``: opening the store (its checks on open, and
  its daily backup the first time) and listing nothing.
* ``list``: ``archive-viewer bookmark list --json`` to a pipe: ``peak_mb`` (the process's maximum resident
  memory), ``first_row_s`` (from the start to the first bookmark on the pipe), ``total_s``; baseline
  ``version``: ``archive-viewer --version``, the same process doing nothing.
* ``export_csv``, ``export_json``: ``archive-viewer export --format csv|json --out FILE``.
* ``import``: ``archive-viewer bookmark import`` of the JSON export into an empty data folder (its file
  size in ``mb``).
* ``app``: the desktop app (offscreen) built on the data folder, the archive opened and the Bookmarks
  panel shown: ``ready_s`` until the panel shows its first rows, ``peak_mb``, ``rows_read`` (the rows the
  panel holds) against ``bookmarks``.

Goal (issue "Reliability"): ``bookmark list --json`` over a million bookmarks within 150 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from viewer.core.archive import Archive  # noqa: E402
from viewer.core.bookmarks import _COLUMNS, BookmarkStore, make_bookmark  # noqa: E402

GOAL_LIST_MB = 150


def make_store(data: Path, archive_path: Path, n: int) -> int:
    """``n`` bookmarks in the store of ``data``, made from real bookmarks of the archive, inserted in bulk."""
    templates = []
    with Archive(archive_path) as archive:
        for doc in (d for d in archive.documents() if d.has_text):
            templates += [make_bookmark(archive, quote_id=q.id) for q in archive.quotes(document_id=doc.id)]
            templates += [make_bookmark(archive, passage_id=p.id, start=0, end=min(len(p.text), 120))
                          for p in archive.passages(doc.id) if p.text.strip()]
    BookmarkStore.open(data, backup=False).close()
    conn = sqlite3.connect(data / "bookmarks.db")
    conn.execute("PRAGMA journal_mode = WAL")
    cols = [c for c in _COLUMNS if c != "id"]
    sql = f"INSERT INTO bookmarks ({', '.join(f'[{c}]' for c in cols)}) VALUES ({', '.join('?' * len(cols))})"

    start = datetime(2024, 1, 1, tzinfo=timezone.utc)

    def rows():
        for i in range(n):
            b = templates[i % len(templates)].to_dict()
            made = (start + timedelta(milliseconds=i)).isoformat(timespec="milliseconds")
            b.update(uid=f"bench{i:08d}", note=f"note {i}: kept for the report", colour="yellow", created=made,
                     updated=made)
            yield tuple(b[c] for c in cols)

    with conn:
        conn.executemany(sql, rows())
        conn.execute("INSERT INTO tags (bookmark_id, position, tag) SELECT id, 0, 'bench' FROM bookmarks")
        conn.execute("INSERT INTO tags (bookmark_id, position, tag) SELECT id, 1, 'kazakhstan' FROM bookmarks "
                     "WHERE id % 3 = 0")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return len(templates)


def measured(argv: list[str], env: dict, stdout=subprocess.DEVNULL, first_marker: bytes | None = None) -> dict:
    """Run ``archive-viewer ARGV`` and measure it: peak memory (from the kernel's accounting of the child),
    time, and with ``first_marker`` the time until it first appears on the pipe."""
    script = ("import resource, subprocess, sys, time, json\n"
              "t = time.monotonic()\n"
              "p = subprocess.Popen(sys.argv[2:], stdout=subprocess.PIPE if sys.argv[1] else subprocess.DEVNULL)\n"
              "first = None\n"
              "if sys.argv[1]:\n"
              "    seen = b''\n"
              "    while True:\n"
              "        chunk = p.stdout.read1(1 << 16)\n"
              "        if not chunk:\n"
              "            break\n"
              "        if first is None:\n"
              "            if sys.argv[1].encode() in seen + chunk:\n"
              "                first = time.monotonic() - t\n"
              "            seen = (seen + chunk)[-64:]\n"
              "code = p.wait()\n"
              "total = time.monotonic() - t\n"
              "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
              "print(json.dumps({'code': code, 'total_s': round(total, 2), 'peak_mb': round(peak, 1),\n"
              "                  'first_row_s': round(first, 3) if first is not None else None}))\n")
    marker = first_marker.decode() if first_marker else ""
    p = subprocess.run([sys.executable, "-c", script, marker, sys.executable, "-m", "viewer", *argv], env=env,
                       cwd=ROOT, capture_output=True, text=True, check=True)
    out = json.loads(p.stdout)
    if out["code"] != 0:
        raise SystemExit(f"archive-viewer {' '.join(argv)} failed ({out['code']}): {p.stderr[-2000:]}")
    del out["code"]
    if first_marker is None:
        del out["first_row_s"]
    return out


APP = r"""
import json, resource, sys, time
from pathlib import Path
t = time.monotonic()
from PySide6.QtWidgets import QApplication
app = QApplication([])
from viewer.app import build
services = build(Path(sys.argv[1]))
window = services.window
window.show()
window.open_archive(sys.argv[2])
panel = window.ensure_panel("bookmarksDock")
while panel.model.rowCount() == 0 and time.monotonic() - t < 600:
    app.processEvents()
for _ in range(20):
    app.processEvents()
ready = time.monotonic() - t
rows = panel.model.rowCount()
services.close()
print(json.dumps({"ready_s": round(ready, 2), "rows_read": rows,
                  "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", default=str(ROOT / "archive.db"))
    parser.add_argument("--bookmarks", type=int, default=1_000_000)
    parser.add_argument("--tmp", default=None, help="where the data folders are made (removed at the end)")
    parser.add_argument("--json", action="store_true", help="only the JSON line")
    parser.add_argument("--skip", action="append", default=[], choices=["list", "import", "app", "export"])
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bookmarks-bench-", dir=args.tmp))
    try:
        data = work / "data"
        env = {**os.environ, "ARCHIVE_VIEWER_DATA_DIR": str(data), "QT_QPA_PLATFORM": "offscreen",
               "PYTHONPATH": str(ROOT)}
        t = time.monotonic()
        templates = make_store(data, Path(args.archive), args.bookmarks)
        out = {"bookmarks": args.bookmarks, "templates": templates, "make_store_s": round(time.monotonic() - t, 1),
               "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                           "load": round(os.getloadavg()[0], 2)}}
        base = ["--archive", args.archive]

        def step(name: str, value: dict) -> None:
            out[name] = value
            if not args.json:  # as it comes: a long run is read while it runs
                print(f"  {name:12} " + ", ".join(f"{k} {v}" for k, v in value.items()), flush=True)

        if not args.json:
            print(f"{args.bookmarks:,} bookmarks ({templates} distinct words), made in {out['make_store_s']} s, "
                  f"load {out['machine']['load']}", flush=True)
        step("version", measured(["--version"], env))
        step("open", measured(["bookmark", "list", "--tag", "no-such-tag", *base], env))
        if "list" not in args.skip:
            step("list", {**measured(["bookmark", "list", "--json", *base], env, first_marker=b'"id"'),
                          "goal_peak_mb": GOAL_LIST_MB})
        export = work / "export.json"
        if "export" not in args.skip:
            step("export_csv", measured(["export", "--format", "csv", "--out", str(work / "export.csv"), *base], env))
        if "export" not in args.skip or "import" not in args.skip:
            step("export_json", measured(["export", "--format", "json", "--out", str(export), *base], env))
        if "import" not in args.skip:
            fresh = {**env, "ARCHIVE_VIEWER_DATA_DIR": str(work / "fresh")}
            step("import", {**measured(["bookmark", "import", str(export)], fresh),
                            "mb": round(export.stat().st_size / 2**20, 1)})
        if "app" not in args.skip:
            p = subprocess.run([sys.executable, "-c", APP, str(data), args.archive], env=env, cwd=ROOT,
                               capture_output=True, text=True, check=True)
            step("app", json.loads(p.stdout.strip().splitlines()[-1]))
        out["machine"]["load_after"] = round(os.getloadavg()[0], 2)
        print(json.dumps(out))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
