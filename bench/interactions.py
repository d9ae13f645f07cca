#!/usr/bin/env python3
"""The longest the UI thread is blocked while a user clicks through a big archive in the whole main window.

    QT_QPA_PLATFORM=offscreen python bench/interactions.py --archive bench/synth-1m.db [--runs 2] [--json]

The real main window (``viewer.app.build``, offscreen, 1440 x 900, a fresh data folder and settings) on
the archive, with a 5 ms heartbeat ``QTimer``. Each step is done, then the event loop runs for a while
(``--settle`` seconds) and the step's ``max_gap_ms`` is the longest gap between two heartbeats meanwhile:
opening the archive, a search and its results, F3 to the next results (the reader opens their
documents), selecting the most active speaker (their profile, their passages highlighted), that speaker's
next and previous passages, a second search, listing everything that speaker said (the search panel with
their filter and no words: every place in document order), the next page of that list and the list by date,
a bookmark added from a result, the bookmarks panel and the statistics panel shown. The baseline is
``idle_max_gap_ms``: the same heartbeat with nothing to do. One table per run, then one JSON line:
``steps`` (name -> the longest gap over the runs), ``runs`` (every run's gaps).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def run_once(archive: Path, settle: float) -> dict[str, float]:
    """One run in this process; returns the longest heartbeat gap of each step, in order."""
    from PySide6 import QtCore, QtWidgets

    folder = Path(tempfile.mkdtemp(prefix="archive-viewer-bench-"))
    os.environ["ARCHIVE_VIEWER_ARCHIVE"] = str(archive)
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    QtCore.QCoreApplication.setOrganizationName("ArchiveViewerBench")
    from viewer.app import build
    from viewer.core.archive import Archive

    with Archive(archive) as a:
        busiest = max(a.speakers(), key=lambda s: s.passages)
    services = build(folder / "data")
    window = services.window
    window.resize(1440, 900)
    window.show()
    state = {"last": None, "max": 0.0}

    class Heartbeat(QtCore.QObject):
        @QtCore.Slot()
        def beat(self) -> None:
            now = time.perf_counter()
            if state["last"] is not None:
                state["max"] = max(state["max"], (now - state["last"]) * 1000)
            state["last"] = now

    heart = Heartbeat()
    timer = QtCore.QTimer()
    timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
    timer.setInterval(5)
    timer.timeout.connect(heart.beat)
    timer.start()

    def wait(seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 5)
            time.sleep(0.001)

    gaps: dict[str, float] = {}

    def step(name: str, action, seconds: float = settle) -> None:
        wait(0.3)
        state["last"], state["max"] = None, 0.0
        action()
        wait(seconds)
        gaps[name] = round(state["max"], 1)

    try:
        step("idle", lambda: None, 1.0)
        step("open the archive", window.open_initial, settle * 2)
        search = window.dock("searchDock").widget()
        step("search: sanctions", lambda: search.search("sanctions"))
        step("F3: next result", search.next_hit)
        step("F3: next result again", search.next_hit)
        speakers = window.dock("speakersDock").widget()
        step(
            f"select the most active speaker ({busiest.passages:,} passages)",
            lambda: speakers.select_speaker(busiest.id),
            settle * 1.5,
        )
        step("their next passage", speakers.next_passage)
        step("their next passage again", speakers.next_passage)
        step("their previous passage", speakers.previous_passage)
        step('search: "human rights" political', lambda: search.search('"human rights" political'))
        step("F3: next result", search.next_hit)
        step("list everything the most active speaker said", lambda: search.list_speaker(busiest.id))
        step("the next page of that list", search.model.load_more)
        step("that list by date", lambda: search.order_combo.setCurrentIndex(search.order_combo.findData("date")))
        step("bookmark a result", lambda: services.controller.add_search_hit(search.model.hit(0), ask=False))
        step("show the bookmarks panel", lambda: window.ensure_panel("bookmarksDock"))
        step("show the statistics panel", lambda: window.ensure_panel("statisticsDock"), settle * 2.5)
    finally:
        timer.stop()
        services.close()
        shutil.rmtree(folder, ignore_errors=True)
    return gaps


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--archive", type=Path, required=True)
    p.add_argument("--runs", type=int, default=2)
    p.add_argument("--settle", type=float, default=2.0, help="seconds the event loop runs after each step")
    p.add_argument("--json", action="store_true", help="print only the JSON line")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        print(json.dumps(run_once(args.archive.resolve(), args.settle)))
        return 0
    runs = []
    for _ in range(max(1, args.runs)):  # each run in a fresh process: cold caches, as a user starts the app
        import subprocess

        env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
        out = subprocess.run(
            [sys.executable, __file__, "--child", "--archive", str(args.archive), "--settle", str(args.settle)],
            capture_output=True,
            text=True,
            env=env,
            timeout=900,
        )
        lines = [x for x in out.stdout.splitlines() if x.startswith("{")]
        if out.returncode != 0 or not lines:
            print(out.stderr.strip().splitlines()[-1:] or f"exit {out.returncode}", file=sys.stderr)
            return 1
        runs.append(json.loads(lines[-1]))
    steps = {name: max(r[name] for r in runs) for name in runs[0]}
    if not args.json:
        print(f"archive: {args.archive}, {len(runs)} runs, longest heartbeat gap (ms) per step")
        for name in runs[0]:
            print(f"  {name:50} " + "  ".join(f"{r[name]:7.1f}" for r in runs))
    print(
        json.dumps(
            {"archive": str(args.archive), "idle_max_gap_ms": steps.pop("idle"), "steps": steps, "runs": runs},
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
