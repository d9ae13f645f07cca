#!/usr/bin/env python3
"""Statistics benchmarks on a big archive: building them, updating them when one document is
imported, and reading them, each next to a baseline measured in the same run.

    python bench/stats_bench.py --archive bench/synth-1m.db            # a table, then one JSON line
    python bench/stats_bench.py --archive bench/synth-1m.db --verify   # also the equality checks
    python bench/stats_bench.py --archive FILE --json --skip import    # only the JSON line

The archive is never written: everything that writes works on a copy (``--tmp DIR``, default the
system's temporary folder; a million passages need about 2.5 GB there).

* ``rebuild_s``: ``viewer.core.stats_rebuild.rebuild_stats`` on the copy, in one worker process per CPU
  (``rebuild_cpu_s``: CPU seconds of all processes). Baseline ``per_document_s``: the per-document
  writer (``write_document_stats``, what build and import run for each document) on the copy's first
  documents, extrapolated to all passages (``per_document_sample`` passages measured).
* ``import_*``: ``viewer.core.importer.import_files`` of one transcript into the copy:
  ``active`` has the archive's five most active speakers (the most passages),
  ``new`` only speakers the archive does not have. ``stats_s`` is the statistics' part (``write_document_stats``
  and ``refresh_stats``), ``total_s`` the whole import (``check_s`` of it: the importer's full-text
  integrity check). Baseline ``archive_wide_refresh_s``: ``refresh_stats`` of every label and entity
  group, what each import recomputed before the refresh was incremental.
* ``stats_json_s``: ``python -m viewer stats --json --archive FILE`` from outside for the whole
  archive, a document of median size, the most active speaker and a speaker of median activity
  (median of ``--repeat`` runs), against ``version_s`` (``python -m viewer --version``);
  ``report_s``: ``Statistics.report`` for the same scopes in this process, and ``json_mb`` the output.
* ``panel``: the statistics panel (``viewer/ui/panels/statistics_panel.py``, offscreen, in a child
  process) shows the archive, then the most active speaker, then a document of median size:
  ``ready_s`` from the call to the numbers shown, and ``max_stall_ms``, the longest gap of a 5 ms
  heartbeat timer meanwhile (the UI thread blocked), against ``idle_max_gap_ms`` before anything starts.
* ``speaker_terms``: the table's layout (``plain``: a row a (speaker, term), or the older ``packed`` one: a
  zlib value a speaker), rows and size on disk (dbstat), and the time to read all the term counts of the most
  active speaker and of a speaker of median activity (``Statistics._speaker_counts``, what a speaker's
  distinctive terms start from; median of ``--repeat``, in this process, after one unmeasured read).
* ``--verify``: ``import_equals_rebuild`` (the imported copy's statistics equal a rebuild of it,
  term by term) and ``distinctive_equal`` (for the most active speakers, the distinctive terms the
  panel shows, from ``speaker_terms``, equal those computed from their passages).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from viewer.core import build as build_module  # noqa: E402
from viewer.core import importer as importer_module  # noqa: E402
from viewer.core import stats_rebuild, stats_writer  # noqa: E402
from viewer.core.archive import Archive  # noqa: E402
from viewer.core.stats import Statistics  # noqa: E402
from viewer.core.stats_export import report_dict  # noqa: E402
from viewer.core.stats_records import Scope  # noqa: E402
from viewer.core.terms import distinctive  # noqa: E402

TRANSCRIPT = """Public hearing on budget transparency: transcript

Date: 3 March 2025

{turns}
"""
# Our own sentences, in the archive's register; each speaker says two of them.
SENTENCES = [
    "The budget grew by 12 percent, and 40 new hospitals were opened in the regions.",
    "Transparency matters to the citizens and to the parliament, and the committee asked for the figures.",
    "The elections were not fair: observers reported 300 violations of the electoral law.",
    "The courts dismissed every complaint without a hearing, and the prosecutors stayed silent.",
    "Independent courts are the first condition of the rule of law and of foreign investment.",
    "Sanctions are not the answer; dialogue with the government and the civil society is.",
    "The parliament should invite the human rights defenders and the journalists to the next hearing.",
    "Around 75 activists are still in detention, and their lawyers are harassed.",
    "The ministry promised a report on the spending of the regions before the summer.",
    "Political prisoners must be released before any agreement is signed.",
]


def _cpu() -> float:
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def _copy(archive: Path, folder: Path, name: str) -> Path:
    out = folder / name
    shutil.copyfile(archive, out)
    return out


# ------------------------------------------------------------------ build


def fresh_tables(copy: Path) -> None:
    """The copy's statistics tables made again in this version's format (empty): an archive written
    by an older ``synth`` can be measured too."""
    import sqlite_utils

    from viewer.core import schema

    conn = sqlite3.connect(copy)
    db = sqlite_utils.Database(conn)
    for table in stats_writer.STATS_TABLES:
        conn.execute(f"DROP TABLE IF EXISTS [{table}]")
    for name in schema.TABLES:
        if name in stats_writer.STATS_TABLES:
            schema.create_table(db, name)
    for table, cols, unique in schema.INDEXES:
        if table in stats_writer.STATS_TABLES:
            db[table].create_index(cols, unique=unique, find_unique_name=True)
    conn.commit()
    conn.close()


def measure_rebuild(copy: Path, notes: list[str]) -> dict:
    fresh_tables(copy)
    conn = sqlite3.connect(copy)
    passages = conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
    cpu, t = _cpu(), time.perf_counter()
    stats_rebuild.rebuild_stats(conn, workers=None)
    conn.commit()
    out = {
        "rebuild_s": round(time.perf_counter() - t, 2),
        "rebuild_cpu_s": round(_cpu() - cpu, 1),
        "passages": passages,
        "workers": os.cpu_count(),
    }
    out["rows"] = {t: conn.execute(f"SELECT COUNT(*) FROM [{t}]").fetchone()[0] for t in stats_writer.STATS_TABLES}
    try:
        sizes = dict(conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"))
        tables = {
            r[0]: r[1]
            for r in conn.execute("SELECT name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')")
        }
        out["stats_mb"] = round(sum(v for k, v in sizes.items() if tables.get(k) in stats_writer.STATS_TABLES) / 1e6, 1)
        out["archive_mb"] = round(sum(sizes.values()) / 1e6, 1)
    except sqlite3.Error:
        notes.append("this SQLite has no dbstat: no table sizes")
    conn.close()
    return out


def measure_per_document(copy: Path, sample: int = 10_000) -> dict:
    """The per-document writer on the first documents of a copy whose statistics are emptied first."""
    conn = sqlite3.connect(copy)
    for table in stats_writer.STATS_TABLES:
        conn.execute(f"DELETE FROM [{table}]")
    total = conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
    done = 0
    t = time.perf_counter()
    for doc_id, n in conn.execute("SELECT id, passages FROM documents WHERE has_text ORDER BY id").fetchall():
        stats_writer.write_document_stats(conn, doc_id)
        done += n
        if done >= sample:
            break
    dt = time.perf_counter() - t
    conn.rollback()
    conn.close()
    return {"per_document_sample": done, "per_document_s": round(dt * total / max(done, 1), 1)}


# ------------------------------------------------------------------ import


def _transcript(names: list[tuple[str, str]]) -> str:
    turns = []
    for i, (name, role) in enumerate(names):
        said = " ".join(SENTENCES[(2 * i + j) % len(SENTENCES)] for j in range(2))
        turns.append(f"{name.upper()} ({role}): {said}")
    return TRANSCRIPT.format(turns="\n\n".join(turns))


def measure_import(copy: Path, folder: Path) -> dict:
    conn = sqlite3.connect(copy)
    active = [r[0] for r in conn.execute("SELECT name FROM speakers ORDER BY passages DESC, id LIMIT 5")]
    conn.close()
    docs = {
        "active": _transcript([(n, "Member") for n in active]),
        "new": _transcript(
            [
                ("Hanna Vestergaard", "Chair"),
                ("Tomasz Wierzbicki", "Member"),
                ("Olena Marchuk", "Member"),
                ("Idris Bekov", "Witness"),
            ]
        ),
    }
    timers: Counter = Counter()

    def timed(fn, name):
        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                timers[name] += time.perf_counter() - t

        return wrapper

    saved = (build_module.write_document_stats, build_module.refresh_stats, importer_module._check_indexes)
    build_module.write_document_stats = timed(saved[0], "stats")
    build_module.refresh_stats = timed(saved[1], "stats")
    importer_module._check_indexes = timed(saved[2], "check")
    out = {}
    try:
        for name, text in docs.items():
            path = folder / f"hearing-{name}.txt"
            path.write_text(text, encoding="utf-8")
            timers.clear()
            t = time.perf_counter()
            report = importer_module.import_files(copy, [path])
            total = time.perf_counter() - t
            out[name] = {
                "stats_s": round(timers["stats"], 3),
                "total_s": round(total, 2),
                "check_s": round(timers["check"], 2),
                "status": report.files[0].status,
                "speakers": len(report.files[0].speakers),
                "new_speakers": len(report.files[0].new_speaker_ids),
            }
    finally:
        build_module.write_document_stats, build_module.refresh_stats, importer_module._check_indexes = saved
    conn = sqlite3.connect(copy)
    t = time.perf_counter()
    stats_writer.refresh_stats(conn, None)
    out["archive_wide_refresh_s"] = round(time.perf_counter() - t, 2)
    conn.rollback()
    conn.close()
    return out


# ------------------------------------------------------------------ reading


def scopes(archive: Path) -> dict[str, tuple[list[str], Scope]]:
    """The command's arguments and the scope for: the archive, a document of median size, the most
    active speaker, a speaker of median activity."""
    conn = sqlite3.connect(f"file:{archive}?mode=ro", uri=True)
    docs = conn.execute("SELECT id, slug FROM documents WHERE has_text ORDER BY passages, id").fetchall()
    speakers = conn.execute("SELECT id, name FROM speakers WHERE passages > 0 ORDER BY passages DESC, id").fetchall()
    conn.close()
    doc, active, median = docs[len(docs) // 2], speakers[0], speakers[len(speakers) // 2]
    return {
        "archive": ([], Scope()),
        "document": (["--document", doc[1]], Scope(document_id=doc[0])),
        "speaker_active": (["--speaker", active[1]], Scope(speaker_id=active[0])),
        "speaker_median": (["--speaker", median[1]], Scope(speaker_id=median[0])),
    }


def measure_queries(archive: Path, repeat: int) -> dict:
    def run(args: list[str]) -> tuple[float, int]:
        t = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "viewer", *args], cwd=ROOT, capture_output=True)
        if r.returncode != 0:
            raise RuntimeError(f"{args}: exit {r.returncode}: {r.stderr.decode(errors='replace')[-500:]}")
        return time.perf_counter() - t, len(r.stdout)

    out: dict = {"stats_json_s": {}, "json_mb": {}, "report_s": {}}
    out["version_s"] = round(statistics.median(run(["--version"])[0] for _ in range(repeat)), 2)
    with Archive(archive) as a:
        st = Statistics(a)
        for name, (args, scope) in scopes(archive).items():
            runs = [run(["stats", "--json", "--archive", str(archive), *args]) for _ in range(repeat)]
            out["stats_json_s"][name] = round(statistics.median(r[0] for r in runs), 2)
            out["json_mb"][name] = round(runs[0][1] / 1e6, 2)
            times = []
            for _ in range(repeat):
                t = time.perf_counter()
                report_dict(a, st.report(scope))
                times.append(time.perf_counter() - t)
            out["report_s"][name] = round(min(times), 2)
    return out


def measure_speaker_terms(archive: Path, repeat: int) -> dict:
    conn = sqlite3.connect(f"file:{archive}?mode=ro", uri=True)
    columns = {r[1] for r in conn.execute("PRAGMA table_info(speaker_terms)")}
    out: dict = {
        "layout": "packed" if "data" in columns else "plain",
        "rows": conn.execute("SELECT COUNT(*) FROM speaker_terms").fetchone()[0],
    }
    try:
        size = conn.execute(
            "SELECT SUM(pgsize) FROM dbstat WHERE name = 'speaker_terms' OR name LIKE 'sqlite_autoindex_speaker_terms%'"
        ).fetchone()[0]
        out["mb"] = round(size / 1e6, 1)
    except sqlite3.OperationalError:
        out["mb"] = None
    conn.close()
    found = scopes(archive)
    with Archive(archive) as a:
        st = Statistics(a)
        for name in ("speaker_active", "speaker_median"):
            sid = found[name][1].speaker_id
            st._speaker_counts(sid)
            times, n = [], 0
            for _ in range(repeat):
                t = time.perf_counter()
                n = len(st._speaker_counts(sid))
                times.append(time.perf_counter() - t)
            out[f"{name}_read_ms"] = round(statistics.median(times) * 1000, 1)
            out[f"{name}_terms"] = n
    return out


def panel_child(archive: Path) -> dict:
    """In this process: the statistics panel on ``archive``, each scope in turn, with a heartbeat."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6 import QtCore, QtWidgets

    from viewer.ui.panels.statistics_panel import StatisticsPanel

    app = QtWidgets.QApplication(sys.argv[:1])
    panel = StatisticsPanel()
    panel.resize(900, 700)
    panel.show()
    found = scopes(archive)
    steps = [
        ("archive", lambda: panel.set_archive(Archive(archive))),
        ("speaker_active", lambda: panel.set_scope(speaker_id=found["speaker_active"][1].speaker_id)),
        ("document", lambda: panel.set_scope(document_id=found["document"][1].document_id)),
    ]
    state = {"last": None, "gap": 0.0, "step": -1, "started": 0.0}
    out: dict = {"ready_s": {}, "max_stall_ms": {}}

    def beat() -> None:
        now = time.perf_counter()
        if state["last"] is not None:
            state["gap"] = max(state["gap"], (now - state["last"]) * 1000)
        state["last"] = now

    def next_step(*_args) -> None:
        name = steps[state["step"]][0] if state["step"] >= 0 else None
        if name is None:
            out["idle_max_gap_ms"] = round(state["gap"], 1)
        else:
            out["ready_s"][name] = round(time.perf_counter() - state["started"], 2)
        # the numbers are shown; let the table and chart paint before the gap is read
        QtCore.QTimer.singleShot(300, lambda: finish(name))

    def finish(name: str | None) -> None:
        if name is not None:
            out["max_stall_ms"][name] = round(state["gap"], 1)
        state["step"] += 1
        if state["step"] >= len(steps):
            app.quit()
            return
        state["gap"], state["last"] = 0.0, None
        state["started"] = time.perf_counter()
        steps[state["step"]][1]()

    panel.stats_ready.connect(next_step)
    heartbeat = QtCore.QTimer()
    heartbeat.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(beat)
    heartbeat.start()
    QtCore.QTimer.singleShot(1000, next_step)
    QtCore.QTimer.singleShot(600_000, app.quit)  # never hang a benchmark
    app.exec()
    heartbeat.stop()
    return out


def measure_panel(archive: Path) -> dict:
    r = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--archive", str(archive), "--panel-child"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if r.returncode != 0:
        raise RuntimeError(f"the panel child failed: {r.stderr[-800:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------ checks


def verify_import(copy: Path, folder: Path) -> bool:
    """The imported copy's statistics equal a rebuild of it, term by term."""
    again = _copy(copy, folder, "rebuilt.db")
    conn = sqlite3.connect(again)
    stats_rebuild.rebuild_stats(conn, workers=None)
    conn.commit()
    conn.execute(f"ATTACH DATABASE '{copy}' AS inc")
    same = True
    for sql in (
        "SELECT key, label, count FROM {db}terms",
        "SELECT t.key, f.form, f.count FROM {db}term_forms f JOIN {db}terms t ON t.id = f.term_id",
        'SELECT passage_id, start, "end", value, noun FROM {db}figures',
        "SELECT s.speaker_id, t.key, s.count FROM {db}speaker_terms s JOIN {db}terms t ON t.id = s.term_id",
        "SELECT * FROM {db}mention_variants",
        "SELECT * FROM {db}entity_groups",
        "SELECT * FROM {db}mention_groups",
        "SELECT * FROM {db}entity_keys",
    ):
        a = sorted(conn.execute(sql.format(db="inc.")).fetchall(), key=repr)
        b = sorted(conn.execute(sql.format(db="main.")).fetchall(), key=repr)
        same &= a == b
    conn.close()
    again.unlink()
    return bool(same)


def verify_distinctive(archive: Path, speakers: int = 10) -> str:
    """For the most active speakers: their distinctive terms from ``speaker_terms`` = from their passages."""
    equal = 0
    with Archive(archive) as a:
        st = Statistics(a)
        conn = sqlite3.connect(f"file:{archive}?mode=ro", uri=True)
        n_bg = conn.execute("SELECT SUM(count) FROM terms").fetchone()[0]
        ids = [r[0] for r in conn.execute("SELECT id FROM speakers ORDER BY words DESC, id LIMIT ?", (speakers,))]
        for sid in ids:
            tally = stats_writer.TermTally()
            for doc_id, text in conn.execute(
                "SELECT document_id, text FROM passages WHERE speaker_id = ? AND kind NOT IN ('heading', 'list_item')",
                (sid,),
            ):
                tally.add(text, _exclude(conn, doc_id))
            mine = tally.term_counts()
            background = {}
            keys = list(mine)
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                background.update(
                    conn.execute(
                        f"SELECT key, count FROM terms WHERE key IN ({','.join('?' * len(chunk))})", chunk
                    ).fetchall()
                )
            others = {k: background[k] - c for k, c in mine.items()}
            full = [
                (d.key, d.count)
                for d in distinctive(mine, others, background, n_others=n_bg - sum(mine.values()), n_background=n_bg)
            ]
            kept = [(t.key, t.count) for t in st.distinctive_terms(Scope(), sid)]
            equal += full == kept
        conn.close()
    return f"{equal}/{len(ids)}"


_EXCLUDES: dict[int, frozenset[str]] = {}


def _exclude(conn: sqlite3.Connection, doc_id: int) -> frozenset[str]:
    if doc_id not in _EXCLUDES:
        _EXCLUDES[doc_id] = stats_writer.name_words(stats_writer._speaker_names(conn, doc_id))
    return _EXCLUDES[doc_id]


# ------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--archive", type=Path, required=True, help="the archive to measure (not written)")
    p.add_argument("--json", action="store_true", help="print only the JSON line")
    p.add_argument("--repeat", type=int, default=3, help="runs of each stats --json (default 3)")
    p.add_argument("--skip", default="", help="comma-separated: build,import,queries,panel")
    p.add_argument("--panel-child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--verify", action="store_true", help="also check import = rebuild and the distinctive terms")
    p.add_argument("--tmp", type=Path, help="where the copies go (default: the system's temporary folder)")
    args = p.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    archive = args.archive.resolve()
    if args.panel_child:
        print(json.dumps(panel_child(archive)))
        return 0
    notes: list[str] = []
    result: dict = {
        "archive": str(archive),
        "machine": f"{os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
    }
    with tempfile.TemporaryDirectory(dir=args.tmp, prefix="stats-bench-") as tmp:
        folder = Path(tmp)
        copy = None
        if not {"build", "import"} <= skip or args.verify:
            copy = _copy(archive, folder, "copy.db")
        if "build" not in skip:
            result["build"] = measure_rebuild(copy, notes)
            sample = _copy(copy, folder, "sample.db")
            result["build"].update(measure_per_document(sample))
            sample.unlink()
        if "import" not in skip:
            result["import"] = measure_import(copy, folder)
            if args.verify:
                result["import"]["import_equals_rebuild"] = verify_import(copy, folder)
        if "queries" not in skip:
            target = copy if copy is not None and "build" not in skip else archive
            result["queries"] = measure_queries(target, args.repeat)
        result["speaker_terms"] = measure_speaker_terms(archive, max(3, args.repeat))
        if "panel" not in skip:
            result["panel"] = measure_panel(archive)
        if args.verify:
            result["distinctive_equal"] = verify_distinctive(copy if copy is not None else archive)
    result["notes"] = notes
    if not args.json:
        print(_table(result))
    print(json.dumps(result, ensure_ascii=False))
    return 0


def _table(r: dict) -> str:
    lines = [f"archive: {r['archive']} ({r['machine']})"]
    t = r.get("speaker_terms")
    if t:
        lines.append(
            f"speaker_terms ({t['layout']}): {t['rows']:,} rows, {t['mb']} MB; all terms of the most active "
            f"speaker ({t['speaker_active_terms']:,}) read in {t['speaker_active_read_ms']} ms, of a median "
            f"one ({t['speaker_median_terms']:,}) in {t['speaker_median_read_ms']} ms"
        )
    b = r.get("build")
    if b:
        lines.append(
            f"rebuild_stats: {b['rebuild_s']} s for {b['passages']:,} passages ({b['rebuild_cpu_s']} CPU s, "
            f"{b['workers']} workers); per-document writer: {b['per_document_s']} s extrapolated from "
            f"{b['per_document_sample']:,} passages"
        )
        lines.append(
            "rows: "
            + ", ".join(f"{k} {v:,}" for k, v in b["rows"].items())
            + (f"; {b['stats_mb']} MB of {b['archive_mb']} MB" if "stats_mb" in b else "")
        )
    i = r.get("import")
    if i:
        for name in ("active", "new"):
            x = i[name]
            lines.append(
                f"import ({name} speakers): statistics {x['stats_s']} s, whole import {x['total_s']} s "
                f"(full-text check {x['check_s']} s)"
            )
        lines.append(f"archive-wide refresh (every label and group): {i['archive_wide_refresh_s']} s")
        if "import_equals_rebuild" in i:
            lines.append(f"import = rebuild: {i['import_equals_rebuild']}")
    q = r.get("queries")
    if q:
        for name, s in q["stats_json_s"].items():
            lines.append(f"stats --json {name}: {s} s ({q['json_mb'][name]} MB), in process {q['report_s'][name]} s")
        lines.append(f"--version: {q['version_s']} s")
    pn = r.get("panel")
    if pn:
        for name, s in pn["ready_s"].items():
            lines.append(
                f"statistics panel, {name}: shown after {s} s, UI thread blocked at most "
                f"{pn['max_stall_ms'][name]} ms (idle: {pn['idle_max_gap_ms']} ms)"
            )
    if "distinctive_equal" in r:
        lines.append(f"distinctive terms from speaker_terms = from the passages: {r['distinctive_equal']}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
