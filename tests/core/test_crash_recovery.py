"""Crash recovery as SQLite intends (issue: a crash during import looks like a damaged archive): an import
killed at any moment leaves the archive as it was, a hot journal is rolled back by opening the archive
read-write once, never called damaged; an import's temporary files are cleaned on the next start; `check`
copies with SQLite's backup API and removes its copy even when it is interrupted."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, process_gone

DATA = ROOT / "tests" / "data" / "import"
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


def run(*argv: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "viewer", *argv], cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env
    )


def killing_at(tmp_path: Path, module: str, name: str, nth: int = 1) -> dict:
    """An environment in which the nth call of ``module.name`` (``Class.method`` too) kills its process
    (SIGKILL: no clean-up of any kind), through a ``sitecustomize`` module. Its SQLite connections keep
    almost nothing in memory, as in an import of many documents: a change goes to the file before its
    commit, with a rollback journal beside it."""
    folder = tmp_path / f"kill-{name}-{nth}"
    folder.mkdir(exist_ok=True)
    owner, _, attr = name.rpartition(".")
    (folder / "sitecustomize.py").write_text(
        textwrap.dedent(f"""
        import importlib, os, signal, sqlite3
        connect = sqlite3.connect
        def spilling(*args, **kwargs):
            conn = connect(*args, **kwargs)
            conn.execute("PRAGMA cache_size = 2")
            return conn
        sqlite3.connect = spilling
        module = importlib.import_module({module!r})
        owner = getattr(module, {owner!r}) if {owner!r} else module
        real = getattr(owner, {attr!r})
        calls = [0]
        def dying(*args, **kwargs):
            calls[0] += 1
            if calls[0] == {nth}:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)
        setattr(owner, {attr!r}, dying)
    """),
        encoding="utf-8",
    )
    return {**os.environ, "PYTHONPATH": f"{folder}{os.pathsep}{ROOT}"}


def documents(path: Path) -> list[dict]:
    p = run("documents", "--json", "--archive", str(path))
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def hot(path: Path) -> bool:
    journal = path.with_name(path.name + "-journal")
    return journal.exists() and journal.read_bytes()[:8] == JOURNAL_MAGIC


FILES = [
    DATA / "campus-debate.txt",
    DATA / "prose-report.txt",
    DATA / "webinar-notes.md",
    DATA / "lawyers-round-table.html",
]


@pytest.mark.slow
@pytest.mark.parametrize(
    "module, name, nth",
    [
        ("viewer.core.build", "ArchiveWriter.add_document", 1),
        ("viewer.core.build", "ArchiveWriter.add_document", 3),
        ("viewer.core.build", "ArchiveWriter.index_document", 2),
        ("viewer.core.build", "ArchiveWriter.refresh_counts", 1),
        ("viewer.core.importer", "_check_indexes", 1),
        ("viewer.core.archive_writing", "value_problems", 1),
        ("viewer.core.importer", "FileReader.prepare", 2),
        ("viewer.core.importer", "check_archive", 1),
    ],
)
def test_an_import_killed_at_any_moment_leaves_the_archive_as_it_was(seed_archive_path, tmp_path, module, name, nth):
    path = tmp_path / "archive.db"
    shutil.copy(seed_archive_path, path)
    before = documents(path)
    p = subprocess.run(
        [sys.executable, "-m", "viewer", "import", *map(str, FILES), "--archive", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=killing_at(tmp_path, module, name, nth),
    )
    assert p.returncode == -signal.SIGKILL, p.stderr
    was_hot = hot(path)
    # read-only commands open it as it was: the interrupted change is rolled back, never called damaged
    assert documents(path) == before
    assert not hot(path)
    check = run("check", "--archive", str(path))
    assert check.returncode == 0, check.stdout + check.stderr
    # and an import into it works
    p = run("import", str(FILES[0]), "--archive", str(path))
    assert p.returncode == 0, p.stderr
    assert len(documents(path)) == len(before) + 1
    if ("ArchiveWriter" in name and nth > 1) or name in ("_check_indexes", "ArchiveWriter.refresh_counts"):
        assert was_hot  # this moment is inside the import's transaction, after some of its writes


def make_hot_journal(seed: Path, path: Path) -> Path:
    """A copy of ``seed`` whose writer was killed in the middle of a big change: the file holds part of the
    change and a hot rollback journal lies beside it."""
    shutil.copy(seed, path)
    code = textwrap.dedent("""
        import os, signal, sqlite3, sys
        conn = sqlite3.connect(sys.argv[1], isolation_level=None)
        conn.execute("PRAGMA cache_size = 2")  # changed pages go to the file before the commit
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE passages SET text = text || ' (changed)'")
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    p = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, timeout=60)
    assert p.returncode == -signal.SIGKILL
    assert hot(path)
    return path


def test_a_hot_journal_is_rolled_back_not_called_damaged(seed_archive_path, tmp_path):
    path = make_hot_journal(seed_archive_path, tmp_path / "interrupted.db")
    p = run("passages", "--document", "addressing-human-rights-abuses-in-kazakhstan", "--json", "--archive", str(path))
    assert p.returncode == 0, p.stderr
    assert not any("(changed)" in row["text"] for row in json.loads(p.stdout))
    assert not hot(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_check_takes_a_relative_path_with_or_without_a_hot_journal(seed_archive_path, tmp_path, monkeypatch, capsys):
    """`check --archive archive.db` from the archive's folder (a path SQLite's URIs cannot take as it is)."""
    from viewer.cli import main

    shutil.copy(seed_archive_path, tmp_path / "plain.db")
    make_hot_journal(seed_archive_path, tmp_path / "interrupted.db")
    monkeypatch.chdir(tmp_path)
    for name in ("plain.db", "interrupted.db"):
        assert main(["--data-dir", "data", "check", "--archive", name]) == 0
        out = capsys.readouterr().out
        first = out.splitlines()[0]
        assert first.endswith(": no problems found") and Path(first.removesuffix(": no problems found")).name == name, (
            out
        )
    assert not hot(tmp_path / "interrupted.db")


def test_a_hot_journal_on_a_read_only_folder_asks_for_a_writable_place(seed_archive_path, tmp_path):
    folder = tmp_path / "media"
    folder.mkdir()
    path = make_hot_journal(seed_archive_path, folder / "interrupted.db")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    folder.chmod(0o555)
    try:
        p = run("documents", "--archive", str(path))
    finally:
        folder.chmod(0o755)
    assert p.returncode == 3
    assert p.stderr == (
        "archive-viewer: A change to the archive “interrupted.db” was interrupted and the archive is "
        "in a read-only folder: open it once where it can be written, to undo that change.\n"
    )
    assert {q.name: q.read_bytes() for q in folder.iterdir()} == before


def test_the_app_opens_an_archive_with_a_hot_journal(qtbot, seed_archive_path, tmp_path):
    from viewer.app import make_window

    path = make_hot_journal(seed_archive_path, tmp_path / "interrupted.db")
    window = make_window(data_dir=tmp_path / "data")
    qtbot.addWidget(window)
    assert window.open_archive(path)
    assert window.last_error_dialog is None and not hot(path)
    window.close_archive()


def test_a_killed_first_import_leaves_nothing_for_good(seed_archive_path, tmp_path, monkeypatch):
    """The first import makes the user's own archive in a folder of its own in the data folder; killed, that
    folder is left, and the next import (or the app's next start) removes it."""
    bundled = tmp_path / "app" / "archive.db"
    bundled.parent.mkdir()
    shutil.copy(seed_archive_path, bundled)
    data = tmp_path / "data"
    env = killing_at(tmp_path, "viewer.core.build", "ArchiveWriter.refresh_counts")
    env.update(ARCHIVE_VIEWER_ARCHIVE=str(bundled), ARCHIVE_VIEWER_DATA_DIR=str(data))
    p = subprocess.run(
        [sys.executable, "-m", "viewer", "import", str(FILES[0])],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert p.returncode == -signal.SIGKILL
    left = [q.name for q in data.iterdir() if q.name.startswith(".archive-import-")]
    assert len(left) == 1 and not (data / "archive.db").exists()
    # the app's next start removes it
    from viewer.core.datadir import clean_import_leftovers

    assert [q.name for q in clean_import_leftovers(data)] == left
    # and so does the next import, which makes the user's archive as if nothing had happened
    env = killing_at(tmp_path, "viewer.core.build", "ArchiveWriter.refresh_counts")
    env.update(ARCHIVE_VIEWER_ARCHIVE=str(bundled), ARCHIVE_VIEWER_DATA_DIR=str(data))
    subprocess.run(
        [sys.executable, "-m", "viewer", "import", str(FILES[0])], cwd=ROOT, capture_output=True, timeout=120, env=env
    )
    p = run(
        "import",
        str(FILES[1]),
        env={**os.environ, "ARCHIVE_VIEWER_ARCHIVE": str(bundled), "ARCHIVE_VIEWER_DATA_DIR": str(data)},
    )
    assert p.returncode == 0, p.stderr
    assert sorted(q.name for q in data.iterdir()) == ["archive.db"]


def test_the_apps_start_removes_what_a_killed_import_left(qtbot, tmp_path):
    from viewer.app import build
    from viewer.core.datadir import IMPORT_PREFIX
    from viewer.core.scratch import LOCK_NAME

    data = tmp_path / "data"
    left = data / f"{IMPORT_PREFIX}killed"
    left.mkdir(parents=True)
    (left / LOCK_NAME).write_bytes(b"")  # its lock file, held by nobody now
    (left / "archive.db").write_bytes(b"half an archive")
    services = build(data)
    qtbot.addWidget(services.window)
    try:
        assert not left.exists()
    finally:
        services.close()


def test_a_running_import_keeps_its_folder(tmp_path):
    from viewer.core.datadir import IMPORT_PREFIX, clean_import_leftovers
    from viewer.core.scratch import ScratchDir

    with ScratchDir(IMPORT_PREFIX, tmp_path) as running:
        assert clean_import_leftovers(tmp_path) == []
        assert running.path.is_dir()
    assert not running.path.exists()


# ---------------------------------------------------------------------------------------- check


def test_check_sees_a_consistent_archive_while_another_program_writes(seed_archive_path, tmp_path):
    """A writer in the middle of a big change has part of it in the file (and the rest in its journal):
    a plain file copy made then is torn, and was reported as damaged; the backup API waits for a
    consistent state."""
    path = tmp_path / "busy.db"
    shutil.copy(seed_archive_path, path)
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent("""
        import sqlite3, sys, time
        conn = sqlite3.connect(sys.argv[1], isolation_level=None)
        conn.execute("PRAGMA cache_size = 2")  # the change goes to the file before the commit
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE passages SET text = text || text, words = words * 2")  # pages split and move
        conn.execute("DELETE FROM quotes WHERE id % 2 = 0")
        print("writing", flush=True)
        time.sleep(3)
        conn.execute("ROLLBACK")
    """),
            str(path),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline() == "writing\n"
        p = run("check", "--archive", str(path), timeout=300)
        assert p.returncode == 0, p.stdout + p.stderr
        assert "no problems found" in p.stdout
    finally:
        writer.wait(60)


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _check_copies(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("archive-viewer-check-"))


@pytest.mark.parametrize("sig, left", [(signal.SIGTERM, 0), (signal.SIGINT, 0), (signal.SIGKILL, 1)])
def test_checks_copy_is_removed_even_when_it_is_interrupted(seed_archive_path, tmp_path, sig, left):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = killing_at(tmp_path, "viewer.core.check", "_run")  # (replaced below: wait instead of dying)
    (Path(env["PYTHONPATH"].split(os.pathsep)[0]) / "sitecustomize.py").write_text(
        textwrap.dedent("""
        import time
        import viewer.core.check as check
        def slow(conn, report):
            time.sleep(3600)
        check._run = slow
    """),
        encoding="utf-8",
    )
    env["TMPDIR"] = str(tmp)
    # started as a user starts it: Ctrl+C interrupts it even when this test runs where SIGINT is ignored (a
    # background job), which a child would inherit
    proc = subprocess.Popen(
        [sys.executable, "-m", "viewer", "check", "--archive", str(seed_archive_path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_default_sigint,
    )
    deadline = time.monotonic() + 60
    # the check has made its folder and copied the archive into it (the folder comes first)
    while not any((tmp / c / "archive.db").exists() for c in _check_copies(tmp)) and time.monotonic() < deadline:
        time.sleep(0.05)
    copy = _check_copies(tmp)
    assert copy and (tmp / copy[0] / "archive.db").exists()
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    assert process_gone(proc.pid)
    assert b"Traceback" not in err
    assert len(_check_copies(tmp)) == left
    # the next check removes what a killed one left
    p = subprocess.run(
        [sys.executable, "-m", "viewer", "check", "--archive", str(seed_archive_path)],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(tmp)},
        capture_output=True,
        timeout=120,
    )
    assert p.returncode == 0 and _check_copies(tmp) == []
