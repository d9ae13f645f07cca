#!/usr/bin/env python3
"""Benchmarks on a big archive, each measure next to a baseline measured in the same run.

    python bench/run.py --archive bench/synth-1m.db            # a table, then one JSON line
    python bench/run.py --archive bench/synth-1m.db --json     # only the JSON line
    python bench/run.py --archive tiny.db --quick --json       # seconds, for the test suite

What is measured (see bench/RESULTS.md for numbers and the machine):

* ``naive_ms``: ``SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? ORDER BY rank LIMIT 50`` (what
  sqlite-utils and Datasette do) for a fixed query set: frequent words, a phrase, a prefix, a two-word AND
  and a rare name (the surname of the archive's least active speaker). p50/p95 over queries x repeats.
* ``first_ms`` / ``ranked_ms``: time from the start of a search to its first visible page, and to the final
  ranked top 50, through ``search_steps()``: the search engine's two steps when ``viewer.core.search``
  provides them, else a fallback (the unranked ``MATCH ? LIMIT 50``, then the naive ranked query), labelled
  ``"search": "fallback"`` in the output.
* ``topk``: when the archive has top-k lists (``--topk`` adds them), ``viewer.core.topk`` against the
  naive query with the same BM25 weights, with an equality check of the top 50.
* ``cli_search_s``: ``python -m viewer search QUERY --archive FILE --json`` timed from outside, when that
  command exists, against ``python -m viewer --version``.
* ``ui_max_stall_ms``: the longest gap of a 5 ms heartbeat ``QTimer`` while the queries are typed into the
  search panel (``viewer.ui.panels.search_panel.SearchPanel``) in an offscreen ``QApplication`` in a child
  process; ``ui_idle_max_gap_ms`` is the same heartbeat before typing.
* ``startup_s``: launch to main window shown with content (a visible item view with rows, or text), in a
  child process running the real entry point ``viewer.cli.main(["--archive", FILE])``: ``QApplication.exec``
  is wrapped to time the first event-loop turn and to poll for content, then the child exits. Against
  ``hello_s``: a bare PySide6 window with one list item, started the same way. Without a main window yet,
  ``startup_s`` is ``python -m viewer --help`` and the notes say so.
* ``rss_mb``: peak RSS (VmHWM) of the UI child after the searches (the archive open, the panel shown), plus
  the peak RSS of the processes it started (the search process of a big archive: ``rss_ui_mb`` and
  ``rss_search_process_mb`` give the two parts); else of a child that opens the archive and runs the
  searches through ``search_steps()``. ``hello_rss_mb`` for the
  bare window.
* ``build_pps``: ``viewer.core.synth`` passages per second (``--build-passages``, default 100,000), against
  ``raw_build_pps``: the same rows inserted with plain ``executemany`` into a bare table and indexed with FTS5.

``--root DIR`` measures another checkout's ``viewer`` (another branch's worktree) on the same archive.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_ROOT = HERE.parent
LIMIT = 50


# ---------------------------------------------------------------------------- the query set


@dataclass(frozen=True)
class BenchQuery:
    label: str
    text: str  # what a user types
    fts: str  # the same query as an FTS5 expression, for the naive baseline
    words: tuple[str, ...] = ()  # index words that must all match, when it is that kind of query


def query_set(conn: sqlite3.Connection) -> list[BenchQuery]:
    queries = [
        BenchQuery("frequent word", "rights", '"rights"', ("rights",)),
        BenchQuery("frequent word", "kazakhstan", '"kazakhstan"', ("kazakhstan",)),
        BenchQuery("frequent word", "political", '"political"', ("political",)),
        BenchQuery("phrase", '"human rights"', '"human rights"'),
        BenchQuery("prefix", "sanc*", '"sanc"*'),
        BenchQuery("two-word AND", "political prisoners", '"political" "prisoners"', ("political", "prisoners")),
    ]
    row = conn.execute("SELECT name FROM speakers WHERE passages > 0 ORDER BY passages, id LIMIT 1").fetchone()
    if row:
        surname = row[0].split()[-1]
        token = conn.execute("SELECT lower(?)", (surname,)).fetchone()[0]
        queries.append(
            BenchQuery(
                "rare name",
                surname,
                '"' + surname.replace('"', '""') + '"',
                (token,) if token.isascii() and token.isalpha() else (),
            )
        )
    return queries


# ---------------------------------------------------------------------------- search adapter


class SearchSteps:
    """A search in two steps: ``first(text)`` -> a token for ``ranked(token)``; both return hit counts."""

    name = "fallback"
    note = (
        "fallback: first = unranked MATCH ? LIMIT 50, ranked = naive ORDER BY rank LIMIT 50 "
        "(viewer.core.search has no two-step API here)"
    )

    def __init__(self, conn: sqlite3.Connection, queries: list[BenchQuery]):
        self.conn = conn
        self.fts = {q.text: q.fts for q in queries}

    def first(self, text: str):
        rows = self.conn.execute(
            "SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? LIMIT ?", (self.fts[text], LIMIT)
        ).fetchall()
        return text, len(rows)

    def ranked(self, token) -> int:
        return len(
            self.conn.execute(
                "SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? ORDER BY rank LIMIT ?",
                (self.fts[token], LIMIT),
            ).fetchall()
        )

    def close(self) -> None:
        pass


class EngineSteps(SearchSteps):
    """viewer.core.search's own two steps: ``Search(archive).prepare`` + ``first_page``, then ``ranked``.
    This is the one place to adapt when that API changes."""

    name = "viewer.core.search"
    note = "search: viewer.core.search (Search.prepare + first_page, then Search.ranked)"

    def __init__(self, engine, archive):
        self.archive = archive
        self.search = engine.Search(archive)
        options = getattr(engine, "SearchOptions", None)
        self.options = None
        if options is not None:
            try:
                self.options = options(limit=LIMIT, timeout_ms=600_000)
            except TypeError:
                self.options = options()

    def first(self, text: str):
        prepared = self.search.prepare(text, self.options)
        result = self.search.first_page(prepared)
        if getattr(result, "message", None):
            raise RuntimeError(f"{text!r}: {result.message}")
        return prepared, len(result.hits)

    def ranked(self, token) -> int:
        result = self.search.ranked(token)
        if getattr(result, "message", None):
            raise RuntimeError(f"ranked: {result.message}")
        return len(result.hits)

    def close(self) -> None:
        self.archive.close()


def search_steps(archive_path: Path, conn: sqlite3.Connection, queries: list[BenchQuery]) -> SearchSteps:
    """The engine's two steps if ``viewer.core.search`` provides them, else the labelled fallback."""
    try:
        engine = importlib.import_module("viewer.core.search")
    except ImportError:
        return SearchSteps(conn, queries)
    search = getattr(engine, "Search", None)
    if search is None or not all(callable(getattr(search, m, None)) for m in ("prepare", "first_page", "ranked")):
        return SearchSteps(conn, queries)
    from viewer.core.archive import Archive

    return EngineSteps(engine, Archive(archive_path, timeout_ms=600_000))


# ---------------------------------------------------------------------------- statistics


def pct(values: list[float], q: float) -> float | None:
    """The q-th percentile (nearest rank) of ``values``."""
    if not values:
        return None
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def r(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def ms_since(t: float) -> float:
    return (time.perf_counter() - t) * 1000


# ---------------------------------------------------------------------------- measures


def measure_search(archive: Path, repeat: int, notes: list[str]) -> dict:
    conn = sqlite3.connect(f"file:{archive}?mode=ro", uri=True)
    queries = query_set(conn)
    steps = search_steps(archive, conn, queries)
    notes.append(steps.note)
    naive_sql = "SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? ORDER BY rank LIMIT 50"
    # one warm-up round: the file's pages come into the OS cache, the engine loads what it caches
    for q in queries:
        conn.execute(naive_sql, (q.fts,)).fetchall()
        steps.ranked(steps.first(q.text)[0])
    per: dict[str, dict[str, list[float]]] = {q.text: {"naive": [], "first": [], "ranked": []} for q in queries}
    hits: dict[str, int] = {}
    for _ in range(repeat):
        for q in queries:
            t = time.perf_counter()
            conn.execute(naive_sql, (q.fts,)).fetchall()
            per[q.text]["naive"].append(ms_since(t))
            t = time.perf_counter()
            token, _n = steps.first(q.text)
            per[q.text]["first"].append(ms_since(t))
            hits[q.text] = steps.ranked(token)
            per[q.text]["ranked"].append(ms_since(t))
    steps.close()
    matches = {
        q.text: conn.execute("SELECT COUNT(*) FROM passages_fts WHERE passages_fts MATCH ?", (q.fts,)).fetchone()[0]
        for q in queries
    }
    out = {"search": steps.name, "queries": []}
    for kind in ("naive", "first", "ranked"):
        values = [v for q in queries for v in per[q.text][kind]]
        out[f"{kind}_ms_p50"] = r(pct(values, 50))
        out[f"{kind}_ms_p95"] = r(pct(values, 95))
    for q in queries:
        out["queries"].append(
            {
                "label": q.label,
                "query": q.text,
                "matches": matches[q.text],
                "hits": hits.get(q.text),
                **{f"{kind}_ms": r(statistics.median(per[q.text][kind])) for kind in ("naive", "first", "ranked")},
            }
        )
    out["topk"] = measure_topk(conn, queries, repeat, notes)
    conn.close()
    return out


def measure_topk(conn: sqlite3.Connection, queries: list[BenchQuery], repeat: int, notes: list[str]) -> dict | None:
    """``viewer.core.topk`` alone (passages only) against FTS5's ranking with the same weights, for the queries
    that are words that must all match, with an equality check."""
    try:
        from viewer.core import topk
    except ImportError:
        return None
    lists = topk.TopK(conn)
    if not lists.available:
        notes.append(f"topk: the archive has no usable top-k lists ({lists.reason}); bench/run.py --topk adds them")
        return None
    w = ", ".join(repr(x) for x in lists.weights)
    sql = (
        f"SELECT rowid, bm25(passages_fts, {w}) FROM passages_fts WHERE passages_fts MATCH ? "
        f"ORDER BY bm25(passages_fts, {w}), rowid LIMIT {LIMIT}"
    )
    rows = []
    for q in queries:
        if not q.words:
            continue
        match = " ".join(f'"{t}"' for t in q.words)
        groups = [[topk.Phrase((t,))] for t in q.words]
        naive, fast, got = [], [], None
        for _ in range(repeat + 1):
            t = time.perf_counter()
            want = conn.execute(sql, (match,)).fetchall()
            naive.append(ms_since(t))
            t = time.perf_counter()
            got = lists.rank(groups, LIMIT)
            fast.append(ms_since(t))
        rows.append(
            {
                "query": q.text,
                "words": list(q.words),
                "answered": got is not None,
                "equal": None if got is None else [(g[0], g[1]) for g in got] == [tuple(x) for x in want],
                "random_accesses": lists.random_accesses,
                "topk_ms": r(statistics.median(fast[1:]), 2),
                "topk_first_call_ms": r(fast[0], 2),
                "naive_weighted_ms": r(statistics.median(naive[1:])),
            }
        )
    info = dict(conn.execute("SELECT key, value FROM passages_topk_info"))
    size = conn.execute(
        "SELECT COUNT(*), SUM(length(ids) + length(scores)), SUM(term LIKE '% %') FROM passages_topk"
    ).fetchone()
    return {
        "weights": list(lists.weights),
        "k": lists.k,
        "min_df": int(info["min_df"]),
        "words": size[0],
        "phrases": size[2],
        "mb": r((size[1] or 0) / 1e6),
        "queries": rows,
    }


def run_child(args: list[str], root: Path, timeout: float, env: dict | None = None) -> tuple[dict | None, str]:
    """Run this script as a child (``--child ...``); its last stdout line is JSON."""
    full_env = {**os.environ, "PYTHONPATH": str(root), "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    # as installed for a user: Python caches compiled modules (a shell may have turned that off)
    full_env.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        p = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), *args, "--root", str(root)],
            cwd=root,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout:.0f} s"
    lines = [x for x in p.stdout.splitlines() if x.startswith("{")]
    if p.returncode != 0 or not lines:
        return None, (p.stderr.strip().splitlines() or [f"exit {p.returncode}"])[-1]
    return json.loads(lines[-1]), ""


def has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def measure_ui(archive: Path, root: Path, texts: list[str], notes: list[str], quick: bool) -> dict:
    if not has_module("viewer.ui.panels.search_panel"):
        notes.append("ui_max_stall_ms: null: viewer/ui/panels/search_panel.py does not exist yet")
        return {}
    got, err = run_child(
        ["--child", "ui", "--archive", str(archive), "--texts", json.dumps(texts[:2] if quick else texts)]
        + (["--quick"] if quick else []),
        root,
        timeout=600,
    )
    if got is None:
        notes.append(f"ui_max_stall_ms: null: the search panel child failed: {err}")
        return {}
    if got.get("note"):
        notes.append(got["note"])
    return got


def measure_startup(archive: Path, root: Path, notes: list[str], runs: int) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    env = {
        "ARCHIVE_VIEWER_DATA_DIR": str(data_dir / "data"),
        "XDG_CONFIG_HOME": str(data_dir / "config"),
        "XDG_DATA_HOME": str(data_dir / "share"),
        "XDG_CACHE_HOME": str(data_dir / "cache"),
    }
    out: dict = {}
    try:
        hello = [
            run_child(["--child", "startup", "--mode", "hello"], root, 120, {**env, "BENCH_T0": repr(time.time())})
            for _ in range(runs)
        ]
        ok = [h for h, _e in hello if h]
        if ok:
            out["hello_s"] = r(statistics.median(h["content_s"] for h in ok), 3)
            out["hello_rss_mb"] = r(statistics.median(h["rss_mb"] for h in ok))
        else:
            notes.append(f"hello_s: null: {hello[0][1]}")
        if has_module("viewer.ui.main_window"):
            # one unmeasured launch first, as for the bare window: caches warm, modules compiled once
            run_child(
                ["--child", "startup", "--mode", "app", "--archive", str(archive)],
                root,
                120,
                {**env, "BENCH_T0": repr(time.time())},
            )
            app = []
            for _ in range(runs):
                got, err = run_child(
                    ["--child", "startup", "--mode", "app", "--archive", str(archive)],
                    root,
                    120,
                    {**env, "BENCH_T0": repr(time.time())},
                )
                if got is None:
                    notes.append(f"startup_s: null: the app child failed: {err}")
                    break
                app.append(got)
            if app:
                out["startup_s"] = r(statistics.median(a["content_s"] or a["shown_s"] for a in app), 3)
                out["startup_kind"] = "window"
                out["startup_shown_s"] = r(statistics.median(a["shown_s"] for a in app), 3)
                out["startup_rss_mb"] = r(statistics.median(a["rss_mb"] for a in app))
                if any(a["content_s"] is None for a in app):
                    notes.append("startup_s: the window showed no rows or text within 10 s; time to shown")
        else:
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "viewer", "--help"],
                    cwd=root,
                    capture_output=True,
                    env={**os.environ, "PYTHONPATH": str(root)},
                    timeout=60,
                    check=True,
                )
                times.append(time.perf_counter() - t)
            out["startup_s"] = r(statistics.median(times), 3)
            out["startup_kind"] = "help"
            notes.append(
                "startup_s: `python -m viewer --help` (viewer/ui/main_window.py does not exist yet, "
                "so there is no window to time)"
            )
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return out


def measure_cli(archive: Path, root: Path, texts: list[str], notes: list[str]) -> dict:
    cli = importlib.import_module("viewer.cli")
    if "search" not in getattr(cli, "COMMAND_MODULES", []):
        notes.append("cli_search_s: null: there is no `archive-viewer search` command yet")
        return {}
    env = {**os.environ, "PYTHONPATH": str(root)}

    def timed(argv: list[str]) -> float:
        t = time.perf_counter()
        p = subprocess.run([sys.executable, "-m", "viewer", *argv], cwd=root, capture_output=True, env=env, timeout=600)
        if p.returncode != 0:
            raise RuntimeError(f"{argv}: exit {p.returncode}: {p.stderr.decode(errors='replace').strip()[-200:]}")
        return time.perf_counter() - t

    try:
        base = statistics.median(timed(["--version"]) for _ in range(3))
        times = [timed(["search", text, "--archive", str(archive), "--json"]) for text in texts]
    except RuntimeError as e:
        notes.append(f"cli_search_s: null: {e}")
        return {}
    return {"cli_search_s_p50": r(pct(times, 50), 3), "cli_search_s_max": r(max(times), 3), "cli_version_s": r(base, 3)}


def measure_build(passages: int, notes: list[str]) -> dict:
    from viewer.core.synth import synthesize

    folder = Path(tempfile.mkdtemp(prefix="bench-build-"))
    try:
        out = folder / "synth.db"
        res = synthesize(out, passages, seed=1, log=lambda _m: None)
        src = sqlite3.connect(out)
        rows = src.execute("SELECT id, text, search_text FROM passages ORDER BY id").fetchall()
        src.close()
        raw = sqlite3.connect(folder / "raw.db")
        t = time.perf_counter()
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -400000", "temp_store = MEMORY"):
            raw.execute(f"PRAGMA {pragma}")
        raw.execute("CREATE TABLE p (id INTEGER PRIMARY KEY, text TEXT, search_text TEXT)")
        raw.executemany("INSERT INTO p VALUES (?, ?, ?)", rows)
        raw.execute(
            "CREATE VIRTUAL TABLE p_fts USING fts5(text, search_text, tokenize='unicode61 remove_diacritics 2', "
            "content=p)"
        )
        raw.execute("INSERT INTO p_fts (rowid, text, search_text) SELECT id, text, search_text FROM p")
        raw.commit()
        raw_s = time.perf_counter() - t
        raw.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    notes.append(
        f"build: synth of {passages:,} passages (all tables, quotes, mentions, both FTS indexes) vs "
        "the same passages' text only into one bare table + FTS5"
    )
    return {
        "build_passages": passages,
        "build_s": r(res.seconds, 2),
        "build_pps": round(res.passages_per_second),
        "raw_build_s": r(raw_s, 2),
        "raw_build_pps": round(passages / raw_s),
        "build_timings": {k: r(v, 2) for k, v in res.timings.items()},
    }


def machine() -> dict:
    info = {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
    }
    try:
        cpu = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next(line.split(":", 1)[1].strip() for line in cpu.splitlines() if line.startswith("model name"))
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        info["ram_gb"] = round(int(mem) / 1024 / 1024, 1)
        info["loadavg"] = Path("/proc/loadavg").read_text().split()[:3]
    except (OSError, StopIteration, IndexError, ValueError):
        pass
    try:
        import PySide6

        info["pyside6"] = PySide6.__version__
    except ImportError:
        info["pyside6"] = None
    return info


def goals(out: dict) -> dict:
    """The issue's goals on 1M passages, checked against this run (null when not measured)."""

    def le(a, b):
        return None if a is None or b is None else a <= b

    return {
        "first_ms_p95<=30": le(out.get("first_ms_p95"), 30),
        "ranked_ms_p95<=150": le(out.get("ranked_ms_p95"), 150),
        "ranked_ms_p95<=0.25*naive_ms_p95": le(
            out.get("ranked_ms_p95"), None if out.get("naive_ms_p95") is None else 0.25 * out["naive_ms_p95"]
        ),
        "ui_max_stall_ms<=30": le(out.get("ui_max_stall_ms"), 30),
        "startup_s<=3*hello_s": le(
            out.get("startup_s") if out.get("startup_kind") == "window" else None,
            None if out.get("hello_s") is None else 3 * out["hello_s"],
        ),
        "rss_mb<=150": le(out.get("rss_mb"), 150),
    }


# ---------------------------------------------------------------------------- children


def vm_hwm_mb(pid: int | str = "self") -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        if pid != "self":
            return None
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_hwm_mb() -> float:
    """The summed peak RSS of this process's running children (the app's search process)."""
    total = 0.0
    me = str(os.getpid())
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == me:
            total += vm_hwm_mb(stat.parent.name) or 0.0
    return total


def tree_hwm_mb() -> dict:
    """Peak RSS of this process, of its children and of both: the memory the app really takes."""
    own, children = vm_hwm_mb() or 0.0, children_hwm_mb()
    return {"rss_mb": r(own + children), "rss_own_mb": r(own), "rss_children_mb": r(children)}


def child_core(archive: Path) -> dict:
    """Open the archive, run the query set through search_steps(), report peak memory."""
    conn = sqlite3.connect(f"file:{archive}?mode=ro", uri=True)
    queries = query_set(conn)
    steps = search_steps(archive, conn, queries)
    for q in queries:
        steps.ranked(steps.first(q.text)[0])
    return {"rss_mb": r(vm_hwm_mb()), "search": steps.name}


def child_startup(mode: str, archive: Path | None) -> None:
    """Time launch -> first event-loop turn with a window shown -> content in it, then exit at once."""
    t0 = float(os.environ.get("BENCH_T0", time.time()))
    from PySide6 import QtCore, QtWidgets

    state: dict = {"shown": None, "content": None, "polls": 0}
    original_exec = QtWidgets.QApplication.exec

    def content(window: QtWidgets.QWidget) -> bool:
        for view in window.findChildren(QtWidgets.QAbstractItemView):
            model = view.model()
            if view.isVisible() and model is not None and model.rowCount() > 0:
                return True
        for edit in window.findChildren(QtWidgets.QTextEdit) + window.findChildren(QtWidgets.QPlainTextEdit):
            if edit.isVisible() and edit.toPlainText().strip():
                return True
        return False

    def finish() -> None:
        print(json.dumps({"shown_s": state["shown"], "content_s": state["content"], **tree_hwm_mb()}), flush=True)
        os._exit(0)  # no settings written, no close prompts: the measure is over

    def poll() -> None:
        windows = [w for w in QtWidgets.QApplication.topLevelWidgets() if w.isVisible() and w.isWindow()]
        if windows and state["shown"] is None:
            state["shown"] = round(time.time() - t0, 4)
        if windows and any(content(w) for w in windows):
            state["content"] = round(time.time() - t0, 4)
            finish()
        state["polls"] += 1
        if state["polls"] > 2000:  # ~10 s
            finish()

    # one repeating timer, not a chain of singleShot calls: PySide6 6.12 on Python 3.11 loses a reference
    # to None at every QTimer.singleShot(ms, callable) (see bench/RESULTS.md)
    poller = QtCore.QTimer()
    poller.setInterval(5)
    poller.timeout.connect(poll)

    def timed_exec(*_args, **_kwargs):
        poller.start()
        return original_exec()

    QtWidgets.QApplication.exec = timed_exec
    if mode == "hello":
        app = QtWidgets.QApplication(sys.argv[:1])
        window = QtWidgets.QMainWindow()
        items = QtWidgets.QListWidget(window)
        items.addItem("hello")
        window.setCentralWidget(items)
        window.resize(800, 600)
        window.show()
        app.exec()
    else:
        from viewer.cli import main

        main(["--archive", str(archive)])
    finish()  # the app returned without an event loop


def child_ui(archive: Path, texts: list[str], quick: bool) -> dict:
    """Type ``texts`` into the search panel, one key every 40 ms, with a 5 ms heartbeat timer running."""
    from PySide6 import QtCore, QtWidgets
    from PySide6.QtTest import QTest

    from viewer.core.archive import Archive
    from viewer.ui.panels.search_panel import SearchPanel

    app = QtWidgets.QApplication(sys.argv[:1])
    QtCore.QCoreApplication.setOrganizationName("ArchiveViewerBench")
    panel = SearchPanel()
    panel.resize(900, 700)
    panel.show()
    archive = Archive(archive)
    panel.set_archive(archive)
    edit = getattr(panel, "query_edit", None) or panel.findChild(QtWidgets.QLineEdit)
    signal = getattr(panel, "results_ready", None)
    state = {
        "last": None,
        "phase": "idle",
        "idle_gap": 0.0,
        "typing_gap": 0.0,
        "results": 0,
        "query": 0,
        "char": 0,
        "waited": 0,
        "since_result": 0,
        "seen": 0,
    }
    stalls: list[tuple[float, str]] = []

    def beat() -> None:
        now = time.perf_counter()
        if state["last"] is None:  # the first beat starts the clock
            state["last"] = now
            return
        gap = (now - state["last"]) * 1000
        state["last"] = now
        key = "idle_gap" if state["phase"] == "idle" else "typing_gap"
        state[key] = max(state[key], gap)
        if state["phase"] != "idle" and gap > 30:
            stalls.append((round(gap, 1), texts[min(state["query"], len(texts) - 1)]))

    class Counter(QtCore.QObject):
        @QtCore.Slot(object)
        def on_results(self, _result) -> None:
            state["results"] += 1
            state["since_result"] = 0

    counter = Counter()
    if signal is not None:
        signal.connect(counter.on_results)
    heartbeat = QtCore.QTimer()
    heartbeat.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(beat)
    heartbeat.start()

    def step() -> None:
        if state["phase"] == "idle":
            state["phase"] = "typing"
            edit.clear()
        elif state["phase"] == "typing":
            text = texts[state["query"]]
            if state["char"] < len(text):
                QTest.keyClick(edit, text[state["char"]])
                state["char"] += 1
            else:
                QTest.keyClick(edit, QtCore.Qt.Key.Key_Return)
                state["phase"], state["waited"], state["since_result"] = "waiting", 0, 0
                state["seen"] = state["results"]
        elif state["phase"] == "waiting":
            state["waited"] += 40
            state["since_result"] += 40
            settled = state["results"] > state["seen"] and state["since_result"] >= 600
            if settled or state["waited"] >= (3000 if signal is None else 30_000):
                state["query"] += 1
                if state["query"] >= len(texts):
                    stepper.stop()
                    app.quit()
                    return
                state["phase"], state["char"] = "typing", 0
                edit.selectAll()
                QTest.keyClick(edit, QtCore.Qt.Key.Key_Backspace)

    stepper = QtCore.QTimer()  # a repeating timer rather than singleShot chains (see child_startup)
    stepper.setInterval(40)
    stepper.timeout.connect(step)
    starter = QtCore.QTimer()
    starter.setSingleShot(True)
    starter.setInterval(300 if quick else 1000)
    starter.timeout.connect(stepper.start)
    starter.start()
    app.exec()
    heartbeat.stop()
    out = {
        "ui_max_stall_ms": r(state["typing_gap"]),
        "ui_idle_max_gap_ms": r(state["idle_gap"]),
        "ui_results_signals": state["results"],
        **tree_hwm_mb(),
        "ui_stalls_over_30ms": stalls[:20],
    }
    if signal is None:
        out["note"] = "ui: the panel has no results_ready signal; waited 3 s after each query"
    archive.close()
    return out


# ---------------------------------------------------------------------------- main


def report(out: dict) -> None:
    print(f"archive: {out['archive']} ({out['passages']:,} passages, {out['archive_mb']:,.0f} MB)")
    m = out["machine"]
    print(
        f"machine: {m.get('nproc')} CPUs ({m.get('cpu')}), {m.get('ram_gb')} GB RAM, load {m.get('loadavg')}, "
        f"Python {m['python']}, SQLite {m['sqlite']}, PySide6 {m.get('pyside6')}"
    )
    print(f"search: {out['search']}")
    print(f"{'query':28} {'label':14} {'matches':>9} {'naive ms':>9} {'first ms':>9} {'ranked ms':>9}")
    for q in out["queries"]:
        print(
            f"{q['query'][:28]:28} {q['label']:14} {q['matches']:>9,} {q['naive_ms']:>9} {q['first_ms']:>9} "
            f"{q['ranked_ms']:>9}"
        )
    for k in ("naive", "first", "ranked"):
        print(f"{k}_ms: p50 {out[f'{k}_ms_p50']}  p95 {out[f'{k}_ms_p95']}")
    if out.get("topk_build"):
        b = out["topk_build"]
        print(
            f"top-k lists built: {b['words']} lists ({b['phrases']} phrases), {b['entries']:,} entries, {b['mb']} MB "
            f"in {b['seconds']} s"
        )
    if out.get("topk"):
        t = out["topk"]
        print(
            f"top-k lists (passages): {t['words']} lists ({t['phrases']} phrases), k={t['k']}, {t['mb']} MB, "
            f"weights {t['weights']}"
        )
        for q in t["queries"]:
            print(
                f"  {q['query'][:28]:28} top-k {q['topk_ms']} ms (first call {q['topk_first_call_ms']} ms) vs "
                f"naive {q['naive_weighted_ms']} ms, "
                f"answered {q['answered']}, equal {q['equal']}, random accesses {q['random_accesses']}"
            )
    for key in (
        "ui_max_stall_ms",
        "ui_idle_max_gap_ms",
        "startup_s",
        "hello_s",
        "rss_mb",
        "rss_ui_mb",
        "rss_search_process_mb",
        "hello_rss_mb",
        "cli_search_s_p50",
        "cli_version_s",
        "build_pps",
        "raw_build_pps",
    ):
        print(f"{key}: {out.get(key)}")
    for k, v in out["goals"].items():
        print(f"goal {k}: {'met' if v else 'not met' if v is False else 'not measured'}")
    for note in out["notes"]:
        print(f"note: {note}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--archive", type=Path, help="the archive to measure (required)")
    p.add_argument("--json", action="store_true", help="print only the JSON line")
    p.add_argument("--quick", action="store_true", help="one repeat, small build, one start-up run (for tests)")
    p.add_argument("--repeat", type=int, default=5, help="timed rounds of the query set (default 5)")
    p.add_argument("--build-passages", type=int, default=100_000, help="passages for the build throughput")
    p.add_argument(
        "--topk",
        action="store_true",
        help="measure viewer.core.topk alone too, (re)building the archive's top-k lists first "
        "(this writes to the archive)",
    )
    p.add_argument("--skip", default="", help="comma-separated: ui,startup,cli,build")
    p.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="the checkout whose viewer is measured")
    p.add_argument("--child", choices=["ui", "startup", "core"], help=argparse.SUPPRESS)
    p.add_argument("--mode", choices=["app", "hello"], help=argparse.SUPPRESS)
    p.add_argument("--texts", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    root = args.root.resolve()
    sys.path.insert(0, str(root))
    if args.child == "startup":
        child_startup(args.mode, args.archive)
        return 0
    if args.archive is None:
        p.error("--archive is required")
    archive = args.archive.resolve()
    if args.child == "ui":
        print(json.dumps(child_ui(archive, json.loads(args.texts), args.quick)), flush=True)
        os._exit(0)  # the measure is over; skip tearing down Qt and the panel's worker threads
    if args.child == "core":
        print(json.dumps(child_core(archive)))
        return 0
    if not archive.is_file():
        p.error(f"no archive at {archive}")
    if args.quick:
        args.repeat, args.build_passages = 1, min(args.build_passages, 2000)
    skip = set(filter(None, args.skip.split(",")))
    notes: list[str] = []
    out: dict = {"archive": str(archive), "archive_mb": archive.stat().st_size / 1e6, "machine": machine()}
    if args.topk:
        from viewer.core.topk import build_topk

        w = sqlite3.connect(archive)
        res = build_topk(w)
        out["topk_build"] = {
            "seconds": r(res.seconds),
            "words": res.terms,
            "phrases": res.phrases,
            "entries": res.entries,
            "mb": r(res.bytes / 1e6),
            "max_score_error": res.max_score_error,
            "tables": res.tables,
        }
        w.close()
    conn = sqlite3.connect(f"file:{archive}?mode=ro", uri=True)
    out["passages"] = conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
    texts = [q.text for q in query_set(conn)]
    conn.close()
    out.update(measure_search(archive, max(1, args.repeat), notes))
    core, err = run_child(["--child", "core", "--archive", str(archive)], root, timeout=600)
    out["core_rss_mb"] = core["rss_mb"] if core else None
    if core is None:
        notes.append(f"core_rss_mb: null: {err}")
    ui = {} if "ui" in skip else measure_ui(archive, root, texts, notes, args.quick)
    out["ui_max_stall_ms"] = ui.get("ui_max_stall_ms")
    out["ui_idle_max_gap_ms"] = ui.get("ui_idle_max_gap_ms")
    out["ui_stalls_over_30ms"] = ui.get("ui_stalls_over_30ms")
    if "ui" in skip:
        notes.append("ui_max_stall_ms: null: skipped")
    start = {} if "startup" in skip else measure_startup(archive, root, notes, 1 if args.quick else 5)
    out.update(
        {
            k: start.get(k)
            for k in ("startup_s", "startup_kind", "startup_shown_s", "hello_s", "hello_rss_mb", "startup_rss_mb")
        }
    )
    if "startup" in skip:
        notes.append("startup_s, hello_s: null: skipped")
    if ui.get("rss_mb") is not None:
        out["rss_mb"] = ui["rss_mb"]
        out["rss_ui_mb"], out["rss_search_process_mb"] = ui.get("rss_own_mb"), ui.get("rss_children_mb")
        notes.append(
            "rss_mb: peak RSS of the search panel child after typing the queries (archive open), "
            "plus the peak RSS of the search process it started, if any"
        )
    else:
        out["rss_mb"] = out["core_rss_mb"]
        notes.append("rss_mb: peak RSS of a child that opened the archive and ran the searches (no UI)")
    if "cli" not in skip:
        out.update(measure_cli(archive, root, texts, notes))
    if "build" not in skip:
        out.update(measure_build(args.build_passages, notes))
    out["goals"] = goals(out)
    out["notes"] = notes
    if not args.json:
        report(out)
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
