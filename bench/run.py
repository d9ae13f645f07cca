#!/usr/bin/env python3
"""Benchmarks on a big archive, each measure next to a baseline measured in the same run.

    python bench/run.py --archive bench/synth-1m.db            # a table, then one JSON line
    python bench/run.py --archive bench/synth-1m.db --json     # only the JSON line
    python bench/run.py --archive tiny.db --quick --json       # seconds, for the test suite

What is measured (see bench/RESULTS.md for numbers and the machine), on the honest query mix of
bench/query_mix.py (46 queries drawn, seeded, from the archive's own vocabulary across the frequency range:
words, AND of two and three, OR, NOT, prefixes, phrases):

* ``naive_ms``: ``SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? ORDER BY rank LIMIT 50`` (what
  sqlite-utils and Datasette do), p50/p95 over queries x rounds.
* ``first_ms`` / ``ranked_ms``: time from the start of a search to its first visible page, and to the final
  ranked top 50 (passages and quotes, with the exact total), through the engine's two steps
  (``Search.prepare`` + ``first_page``, then ``ranked``), warm: one ``Search`` per engine in this process.
  ``fts5_first_ms`` / ``fts5_ranked_ms``: the same with ``Search(archive, lists=False)``: FTS5's ranking alone,
  the same answers. ``ranked_by`` per query: what ranked each kind of result. If the engine's API changes the
  bench fails (exit 1); it never falls back to measuring raw SQL.
* ``cold_*``: the first query of a new process (import, open, first page, ranked), per engine.
* ``topk``: ``viewer.core.topk`` alone against the naive query with the same BM25 weights, for the mix's
  words and ANDs, with an equality check of the top 50.
* ``cli_*``: every query of the mix as a whole process, ``python -m viewer search TEXT --archive FILE --json
  --limit 50`` against ``python -m sqlite_utils search FILE passages QUERY --limit 50``; ``cli_ratio_max`` is the
  worst query's ratio.
* ``ui_max_stall_ms``: the longest gap of a 5 ms heartbeat ``QTimer`` while the queries are typed into the
  search panel (``viewer.ui.panels.search_panel.SearchPanel``) in an offscreen ``QApplication`` in a child
  process; ``ui_idle_max_gap_ms`` is the same heartbeat before typing. ``ui`` holds it per mode
  (``--ui-modes``): the app's own (a search process), and FTS5 alone on the panel's TaskRunner thread.
* ``startup_s``: launch to main window shown with content (a visible item view with rows, or text), in a
  child process running the real entry point ``viewer.cli.main(["--archive", FILE])``: ``QApplication.exec``
  is wrapped to time the first event-loop turn and to poll for content, then the child exits. Against
  ``hello_s``: a bare PySide6 window with one list item, started the same way. Without a main window yet,
  ``startup_s`` is ``python -m viewer --help`` and the notes say so.
* ``rss_mb``: peak RSS (VmHWM) of the UI child after the searches (the archive open, the panel shown), plus
  the peak RSS of the processes it started (the search process of a big archive: ``rss_ui_mb`` and
  ``rss_search_process_mb`` give the two parts); else of a child that opens the archive and runs the
  searches through the engine's two steps. ``hello_rss_mb`` for the bare window.
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
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_ROOT = HERE.parent
LIMIT = 50


# ---------------------------------------------------------------------------- the query mix


def load_mix(conn: sqlite3.Connection, seed: int, quick: bool) -> list:
    """bench/query_mix.py's honest mix (a short one with --quick: one query of each shape)."""
    from query_mix import query_mix

    mix = query_mix(conn, seed)
    if quick:
        seen: dict[str, object] = {}
        for q in mix:
            seen.setdefault(q.label, q)
        mix = list(seen.values())
    return mix


# ---------------------------------------------------------------------------- the search engine


class BenchError(Exception):
    """The bench cannot measure what it promises (an API it drives changed): it fails, it never falls back."""


class EngineSteps:
    """viewer.core.search's own two steps: ``Search.prepare`` + ``first_page``, then ``ranked``. The one place to
    adapt when that API changes; until then the bench fails (``BenchError``)."""

    def __init__(self, archive_path: Path, lists: bool):
        from viewer.core import search as engine
        from viewer.core.archive import Archive

        missing = [m for m in ("prepare", "first_page", "ranked") if not callable(getattr(engine.Search, m, None))]
        if missing:
            raise BenchError(f"viewer.core.search.Search has no {', '.join(missing)}: bench/run.py needs updating")
        self.archive = Archive(archive_path, timeout_ms=600_000)
        self.search = engine.Search(self.archive, lists=lists)
        self.options = engine.SearchOptions(limit=LIMIT, timeout_ms=600_000)

    def first(self, text: str):
        prepared = self.search.prepare(text, self.options)
        result = self.search.first_page(prepared)
        if result.message:
            raise BenchError(f"{text!r}: {result.message}")
        return prepared, len(result.hits)

    def ranked(self, token) -> int:
        result = self.search.ranked(token)
        if result.message:
            raise BenchError(f"ranked: {result.message}")
        return len(result.hits)

    def ranked_by(self) -> str:
        """What ranked the last query: "lists" or "fts5" for each kind of result, joined."""
        by = self.search.ranked_by
        return "/".join(f"{kind}:{how}" for kind, how in sorted(by.items())) or "none"

    def close(self) -> None:
        self.archive.close()


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

NAIVE_SQL = "SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? ORDER BY rank LIMIT 50"
ENGINES = ("lists", "fts5")  # the search with its top-k lists, and the same search ranking with FTS5 alone


def measure_search(archive: Path, queries: list, repeat: int, notes: list[str]) -> dict:
    """Warm: one process, one ``Search`` per engine kept across queries, after a warm-up round (the file in the
    OS cache). Every query of the mix through naive FTS5 and both engines, ``repeat`` rounds, medians per query;
    p50/p95 over queries x rounds."""
    conn = sqlite3.connect(f"file:{archive}?mode=ro", uri=True)
    engines = {name: EngineSteps(archive, lists=name == "lists") for name in ENGINES}
    kinds = ["naive"] + [f"{name}_{step}" for name in ENGINES for step in ("first", "ranked")]
    per: dict[str, dict[str, list[float]]] = {q.text: {k: [] for k in kinds} for q in queries}
    hits: dict[str, dict[str, int]] = {q.text: {} for q in queries}
    by: dict[str, str] = {}
    for round_ in range(repeat + 1):  # round 0 warms up and is not counted
        for q in queries:
            t = time.perf_counter()
            conn.execute(NAIVE_SQL, (q.fts,)).fetchall()
            naive = ms_since(t)
            timed = {"naive": naive}
            for name, steps in engines.items():
                t = time.perf_counter()
                token, _n = steps.first(q.text)
                timed[f"{name}_first"] = ms_since(t)
                hits[q.text][name] = steps.ranked(token)
                timed[f"{name}_ranked"] = ms_since(t)
                if name == "lists":
                    by[q.text] = steps.ranked_by()
            if round_:
                for k, v in timed.items():
                    per[q.text][k].append(v)
    for steps in engines.values():
        steps.close()
    matches = {
        q.text: conn.execute("SELECT COUNT(*) FROM passages_fts WHERE passages_fts MATCH ?", (q.fts,)).fetchone()[0]
        for q in queries
    }
    differ = [q.text for q in queries if hits[q.text]["lists"] != hits[q.text]["fts5"]]
    if differ:
        raise BenchError(f"the lists and FTS5 give different numbers of hits for {differ[:5]}")
    out: dict = {"search": "viewer.core.search", "queries": []}
    for k in kinds:
        values = [v for q in queries for v in per[q.text][k]]
        key = {"lists_first": "first", "lists_ranked": "ranked"}.get(k, k)
        out[f"{key}_ms_p50"] = r(pct(values, 50))
        out[f"{key}_ms_p95"] = r(pct(values, 95))
    for q in queries:
        row = {
            "label": q.label,
            "query": q.text,
            "fts": q.fts,
            "matches": matches[q.text],
            "hits": hits[q.text]["lists"],
            "ranked_by": by.get(q.text),
        }
        for k in kinds:
            key = {"lists_first": "first", "lists_ranked": "ranked"}.get(k, k)
            row[f"{key}_ms"] = r(statistics.median(per[q.text][k]))
        out["queries"].append(row)
    out["topk"] = measure_topk(conn, queries, repeat, notes)
    conn.close()
    return out


def measure_cold(archive: Path, root: Path, queries: list, runs: int, notes: list[str]) -> dict:
    """The first query of a new process: a child imports the search, opens the archive and runs one query of
    the mix (first page, then ranked), with the lists and without; ``runs`` queries each, the file in the OS
    cache (the page cache is the machine's; a process's own caches start empty)."""
    out: dict = {}
    for name in ENGINES:
        rows = []
        for q in queries[:runs]:
            got, err = run_child(
                ["--child", "cold", "--archive", str(archive), "--texts", json.dumps([q.text]), "--engine", name],
                root,
                timeout=600,
            )
            if got is None:
                raise BenchError(f"the cold {name} child failed on {q.text!r}: {err}")
            rows.append({"query": q.text, **got})
        out[name] = rows
        for k in ("import_ms", "open_ms", "first_ms", "ranked_ms", "total_ms"):
            values = [x[k] for x in rows]
            out[f"cold_{name}_{k}_p50"] = r(pct(values, 50))
            out[f"cold_{name}_{k}_max"] = r(max(values))
    notes.append(
        f"cold: the first query of a new process, {runs} queries of the mix, each in its own process; "
        "import = viewer.core.search imported, open = Archive + Search, total from the process's start "
        "of the import to the ranked page"
    )
    return out


def measure_topk(conn: sqlite3.Connection, queries: list, repeat: int, notes: list[str]) -> dict | None:
    """``viewer.core.topk`` alone (passages only) against FTS5's ranking with the same weights, for the queries
    of the mix that are words that must all match, with an equality check."""
    from viewer.core import topk

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


UI_MODES = {
    "child": "the app's design: a big archive searched in a process of its own, with the lists",
    "thread-fts5": "the simplest alternative: FTS5 ranking alone, on the panel's TaskRunner thread",
    "thread-lists": "the lists on the panel's TaskRunner thread (Python ranking holding the interpreter lock)",
}


def measure_ui(archive: Path, root: Path, texts: list[str], notes: list[str], quick: bool, mode: str) -> dict:
    got, err = run_child(
        ["--child", "ui", "--archive", str(archive), "--texts", json.dumps(texts), "--mode", mode]
        + (["--quick"] if quick else []),
        root,
        timeout=1800,
    )
    if got is None:
        raise BenchError(f"the search panel child ({mode}) failed: {err}")
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


def measure_cli(archive: Path, root: Path, queries: list, runs: int, notes: list[str]) -> dict:
    """Every query of the mix as a user runs it, each a whole process: ``python -m viewer search TEXT --archive
    FILE --json --limit 50`` against ``python -m sqlite_utils search FILE passages FTS --limit 50`` (BM25-ranked,
    with its own start-up), alternating, ``runs`` times each after one unmeasured run of each; medians per query."""
    if not has_module("sqlite_utils"):
        raise BenchError("sqlite-utils is not installed: the CLI cannot be measured against it")
    env = {**os.environ, "PYTHONPATH": str(root)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed for a user: compiled modules are cached

    def timed(argv: list[str]) -> float:
        t = time.perf_counter()
        p = subprocess.run([sys.executable, "-m", *argv], cwd=root, capture_output=True, env=env, timeout=600)
        if p.returncode != 0:
            raise BenchError(f"{argv[:3]}: exit {p.returncode}: {p.stderr.decode(errors='replace').strip()[-300:]}")
        return time.perf_counter() - t

    def ours(q) -> list[str]:
        return ["viewer", "search", q.text, "--archive", str(archive), "--json", "--limit", str(LIMIT)]

    def theirs(q) -> list[str]:
        return ["sqlite_utils", "search", str(archive), "passages", q.fts, "--limit", str(LIMIT)]

    timed(ours(queries[0]))
    timed(theirs(queries[0]))
    rows = []
    for q in queries:
        a, b = [], []
        for _ in range(runs):
            a.append(timed(ours(q)))
            b.append(timed(theirs(q)))
        mine, base = statistics.median(a), statistics.median(b)
        rows.append(
            {
                "query": q.text,
                "label": q.label,
                "cli_s": r(mine, 3),
                "sqlite_utils_s": r(base, 3),
                "ratio": r(mine / base, 2),
            }
        )
    ratios = [x["ratio"] for x in rows]
    version = statistics.median(timed(["viewer", "--version"]) for _ in range(3))
    notes.append(f"cli: each query of the mix {runs}x as a whole process, alternating with sqlite-utils; medians")
    return {
        "cli_search_s_p50": r(pct([x["cli_s"] for x in rows], 50), 3),
        "cli_search_s_max": r(max(x["cli_s"] for x in rows), 3),
        "sqlite_utils_s_p50": r(pct([x["sqlite_utils_s"] for x in rows], 50), 3),
        "cli_ratio_p50": r(pct(ratios, 50), 2),
        "cli_ratio_max": r(max(ratios), 2),
        "cli_within_half": sum(1 for x in ratios if x <= 0.5),
        "cli_queries": rows,
        "cli_version_s": r(version, 3),
    }


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
        "cli<=0.5*sqlite_utils on every query": le(out.get("cli_ratio_max"), 0.5),
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


def child_core(archive: Path, texts: list[str]) -> dict:
    """Open the archive, run the queries through the engine's two steps, report peak memory."""
    steps = EngineSteps(archive, lists=True)
    for text in texts:
        steps.ranked(steps.first(text)[0])
    return {"rss_mb": r(vm_hwm_mb())}


def child_cold(archive: Path, text: str, engine: str) -> dict:
    """One query in this new process: import the search, open the archive, first page, ranked page."""
    t0 = time.perf_counter()
    from viewer.core import search  # noqa: F401 - timed: what a new process loads
    from viewer.core.archive import Archive  # noqa: F401

    t1 = time.perf_counter()
    steps = EngineSteps(archive, lists=engine == "lists")
    t2 = time.perf_counter()
    token, _n = steps.first(text)
    t3 = time.perf_counter()
    steps.ranked(token)
    t4 = time.perf_counter()
    by = steps.ranked_by()
    steps.close()
    return {
        "import_ms": r((t1 - t0) * 1000),
        "open_ms": r((t2 - t1) * 1000),
        "first_ms": r((t3 - t2) * 1000),
        "ranked_ms": r((t4 - t2) * 1000),
        "total_ms": r((t4 - t0) * 1000),
        "ranked_by": by,
    }


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


def child_ui(archive: Path, texts: list[str], quick: bool, mode: str) -> dict:
    """Type ``texts`` into the search panel, one key every 40 ms, with a 5 ms heartbeat timer running. ``mode``
    (``UI_MODES``): where the panel searches, and with what."""
    from PySide6 import QtCore, QtWidgets
    from PySide6.QtTest import QTest

    from viewer.core import search as engine
    from viewer.core.archive import Archive
    from viewer.ui.panels.search_panel import SearchPanel

    if mode == "thread-fts5":  # every Search made in this process ranks with FTS5 alone
        make = engine.Search.__init__

        def fts5_only(self, archive, *, lists=True):
            make(self, archive, lists=False)

        engine.Search.__init__ = fts5_only
    app = QtWidgets.QApplication(sys.argv[:1])
    QtCore.QCoreApplication.setOrganizationName("ArchiveViewerBench")
    panel = SearchPanel()
    panel.search_in_child = mode == "child"
    panel.resize(900, 700)
    panel.show()
    archive = Archive(archive)
    panel.set_archive(archive)
    edit = panel.query_edit
    signal = panel.results_ready
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
            if settled or state["waited"] >= 30_000:
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
    print(f"query mix: seed {out['seed']}, {len(out['queries'])} queries")
    cli = {q["query"]: q for q in out.get("cli_queries") or []}
    print(
        f"{'query':30} {'shape':7} {'matches':>9} {'naive':>7} {'first':>7} {'ranked':>7} {'fts5':>7}  "
        f"{'ranked by':28} {'cli s':>6} {'s-u s':>6} {'ratio':>5}"
    )
    for q in out["queries"]:
        c = cli.get(q["query"], {})
        print(
            f"{q['query'][:30]:30} {q['label']:7} {q['matches']:>9,} {q['naive_ms']:>7} {q['first_ms']:>7} "
            f"{q['ranked_ms']:>7} {q['fts5_ranked_ms']:>7}  {q['ranked_by'] or '':28} {c.get('cli_s', ''):>6} "
            f"{c.get('sqlite_utils_s', ''):>6} {c.get('ratio', ''):>5}"
        )
    for k in ("naive", "first", "ranked", "fts5_first", "fts5_ranked"):
        print(f"{k}_ms: p50 {out[f'{k}_ms_p50']}  p95 {out[f'{k}_ms_p95']}")
    for name in ENGINES:
        if f"cold_{name}_total_ms_p50" in out:
            print(
                f"cold ({name}): "
                + ", ".join(
                    f"{k} p50 {out[f'cold_{name}_{k}_p50']} max {out[f'cold_{name}_{k}_max']}"
                    for k in ("import_ms", "open_ms", "first_ms", "ranked_ms", "total_ms")
                )
            )
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
    for mode, ui in (out.get("ui") or {}).items():
        print(
            f"ui ({mode}): longest stall {ui['ui_max_stall_ms']} ms, idle {ui['ui_idle_max_gap_ms']} ms, "
            f"rss {ui['rss_mb']} MB, stalls over 30 ms {ui['ui_stalls_over_30ms']}"
        )
    for key in (
        "ui_max_stall_ms",
        "startup_s",
        "hello_s",
        "rss_mb",
        "hello_rss_mb",
        "cli_search_s_p50",
        "sqlite_utils_s_p50",
        "cli_ratio_p50",
        "cli_ratio_max",
        "cli_within_half",
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
    p.add_argument(
        "--quick",
        action="store_true",
        help="one query of each shape, one repeat, small build, one start-up run (for tests)",
    )
    p.add_argument("--seed", type=int, default=None, help="the query mix's seed (default: bench/query_mix.py's)")
    p.add_argument("--repeat", type=int, default=3, help="timed rounds of the query mix (default 3)")
    p.add_argument("--cold", type=int, default=12, help="queries run each in a new process, per engine (default 12)")
    p.add_argument("--cli-runs", type=int, default=3, help="whole-process runs of each query, ours and sqlite-utils")
    p.add_argument(
        "--ui-modes",
        default="child,thread-fts5",
        help=f"comma-separated search panel modes to type into: {', '.join(UI_MODES)}",
    )
    p.add_argument("--build-passages", type=int, default=100_000, help="passages for the build throughput")
    p.add_argument(
        "--topk", action="store_true", help="(re)build the archive's top-k lists first (this writes to the archive)"
    )
    p.add_argument("--skip", default="", help="comma-separated: cold,ui,startup,cli,build")
    p.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="the checkout whose viewer is measured")
    p.add_argument("--child", choices=["ui", "startup", "core", "cold"], help=argparse.SUPPRESS)
    p.add_argument("--mode", help=argparse.SUPPRESS)
    p.add_argument("--engine", choices=ENGINES, help=argparse.SUPPRESS)
    p.add_argument("--texts", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    root = args.root.resolve()
    sys.path.insert(0, str(root))
    try:
        return run(p, args, root)
    except BenchError as e:
        print(f"bench/run.py: {e}", file=sys.stderr)
        return 1


def run(p: argparse.ArgumentParser, args: argparse.Namespace, root: Path) -> int:
    if args.child == "startup":
        child_startup(args.mode, args.archive)
        return 0
    if args.archive is None:
        p.error("--archive is required")
    archive = args.archive.resolve()
    if args.child == "ui":
        print(json.dumps(child_ui(archive, json.loads(args.texts), args.quick, args.mode)), flush=True)
        os._exit(0)  # the measure is over; skip tearing down Qt and the panel's worker threads
    if args.child == "core":
        print(json.dumps(child_core(archive, json.loads(args.texts))))
        return 0
    if args.child == "cold":
        print(json.dumps(child_cold(archive, json.loads(args.texts)[0], args.engine)))
        return 0
    if not archive.is_file():
        p.error(f"no archive at {archive}")
    if args.quick:
        args.repeat, args.build_passages, args.cold, args.cli_runs = 1, min(args.build_passages, 2000), 1, 1
    skip = set(filter(None, args.skip.split(",")))
    unknown = set(filter(None, args.ui_modes.split(","))) - set(UI_MODES)
    if unknown:
        p.error(f"--ui-modes: no mode {', '.join(sorted(unknown))}")
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
    from query_mix import DEFAULT_SEED

    out["seed"] = DEFAULT_SEED if args.seed is None else args.seed
    queries = load_mix(conn, out["seed"], args.quick)
    conn.close()
    texts = [q.text for q in queries]
    out.update(measure_search(archive, queries, max(1, args.repeat), notes))
    if "cold" not in skip:
        out.update(measure_cold(archive, root, queries, max(1, args.cold), notes))
    core, err = run_child(
        ["--child", "core", "--archive", str(archive), "--texts", json.dumps(texts)], root, timeout=1800
    )
    if core is None:
        raise BenchError(f"the core child failed: {err}")
    out["core_rss_mb"] = core["rss_mb"]
    out["ui"] = {}
    if "ui" not in skip:
        for mode in filter(None, args.ui_modes.split(",")):
            out["ui"][mode] = measure_ui(archive, root, texts[:2] if args.quick else texts, notes, args.quick, mode)
            notes.append(f"ui ({mode}): {UI_MODES[mode]}")
    main_ui = out["ui"].get("child") or next(iter(out["ui"].values()), {})
    out["ui_max_stall_ms"] = main_ui.get("ui_max_stall_ms")
    out["ui_idle_max_gap_ms"] = main_ui.get("ui_idle_max_gap_ms")
    if not main_ui:
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
    if main_ui.get("rss_mb") is not None:
        out["rss_mb"] = main_ui["rss_mb"]
        out["rss_ui_mb"], out["rss_search_process_mb"] = main_ui.get("rss_own_mb"), main_ui.get("rss_children_mb")
        notes.append(
            "rss_mb: peak RSS of the search panel child after typing the queries (archive open), "
            "plus the peak RSS of the search process it started, if any"
        )
    else:
        out["rss_mb"] = out["core_rss_mb"]
        notes.append("rss_mb: peak RSS of a child that opened the archive and ran the searches (no UI)")
    if "cli" not in skip:
        out.update(measure_cli(archive, root, queries, max(1, args.cli_runs), notes))
    else:
        notes.append("cli_ratio_max: null: skipped")
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
