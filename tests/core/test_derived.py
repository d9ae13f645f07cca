"""Derived data (statistics, search lists) is versioned apart from the format: an archive whose derived data
was made by an older version opens and works, says so, and `archive-viewer reindex` makes it again; a write into
it makes its statistics again whole."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import zlib
from array import array
from itertools import pairwise
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.core.test_stats_scale import NOTES, content
from viewer.core import derived
from viewer.core.archive import Archive
from viewer.core.db import ArchiveDamaged
from viewer.core.importer import import_files
from viewer.core.search import Search, SearchOptions
from viewer.core.stats import Statistics, packed_term_counts
from viewer.core.stats_rebuild import rebuild_stats
from viewer.core.stats_records import Scope
from viewer.core.synth import synthesize


def pack(counts: dict[int, int]) -> bytes:
    """A speaker's counts as statistics version 1 stored them (docs/archive-format.md)."""
    ids = sorted(counts)
    deltas = array("I", ids[:1] + [b - a for a, b in pairwise(ids)])
    values = array("I", [counts[i] for i in ids])
    if sys.byteorder != "little":
        deltas.byteswap()
        values.byteswap()
    return zlib.compress(deltas.tobytes() + values.tobytes())


def make_older(path: Path) -> None:
    """Turn an archive into one written before derived data had versions: speaker_terms packed, no statistics
    version, top-k lists of another format."""
    conn = sqlite3.connect(path)
    per: dict[int, dict[int, int]] = {}
    for sid, tid, n in conn.execute("SELECT speaker_id, term_id, count FROM speaker_terms"):
        per.setdefault(sid, {})[tid] = n
    conn.execute("DROP TABLE speaker_terms")
    conn.execute(
        "CREATE TABLE speaker_terms (speaker_id INTEGER PRIMARY KEY REFERENCES speakers(id), "
        "count INTEGER NOT NULL, terms INTEGER NOT NULL, data BLOB NOT NULL)"
    )
    conn.executemany(
        "INSERT INTO speaker_terms VALUES (?, ?, ?, ?)",
        [(sid, sum(c.values()), len(c), pack(c)) for sid, c in per.items()],
    )
    conn.execute("DELETE FROM meta WHERE key = 'statistics_version'")
    conn.execute("UPDATE passages_topk_info SET value = '1' WHERE key = 'format'")
    conn.execute("UPDATE quotes_topk_info SET value = '1' WHERE key = 'format'")
    conn.commit()
    conn.close()


@pytest.fixture
def older(seed_archive_path, tmp_path) -> Path:
    path = tmp_path / "older.db"
    shutil.copyfile(seed_archive_path, path)
    make_older(path)
    return path


def statuses(path: Path) -> dict[str, str]:
    conn = sqlite3.connect(path)
    try:
        return {s.kind: s.status for s in derived.states(conn)}
    finally:
        conn.close()


def test_a_new_archive_has_current_derived_data(seed_archive_path):
    assert statuses(seed_archive_path) == {derived.STATISTICS: "current", derived.SEARCH_LISTS: "current"}
    with Archive(seed_archive_path) as a:
        assert Statistics(a).report(Scope()).notes == ()


def test_an_older_archive_opens_reads_its_packed_statistics_and_says_they_are_stale(seed_archive_path, older):
    assert statuses(older) == {derived.STATISTICS: "stale", derived.SEARCH_LISTS: "stale"}
    with Archive(seed_archive_path) as a:
        speaker = a.speakers()[0].id
        want = Statistics(a).report(Scope(speaker_id=speaker))
    with Archive(older) as a:
        got = Statistics(a).report(Scope(speaker_id=speaker))
        assert got.terms == want.terms and got.distinctive == want.distinctive
        assert got.notes and "reindex" in got.notes[0]
        # the search ranks with FTS5 alone: the same answer
        old = Search(a).run("rights", SearchOptions(limit=20))
    with Archive(seed_archive_path) as a:
        new = Search(a).run("rights", SearchOptions(limit=20))
    assert [h.key for h in old.hits] == [h.key for h in new.hits] and old.total == new.total


def test_a_damaged_packed_value_is_a_damaged_archive_not_a_crash(older):
    conn = sqlite3.connect(older)
    speaker = conn.execute("SELECT speaker_id FROM speaker_terms LIMIT 1").fetchone()[0]
    conn.execute("UPDATE speaker_terms SET data = ? WHERE speaker_id = ?", (b"\x00not zlib", speaker))
    conn.commit()
    conn.close()
    for bad in (b"\x00not zlib", zlib.compress(b"abc"), "text"):
        with pytest.raises(ValueError):
            packed_term_counts(bad)
    with Archive(older) as archive, pytest.raises(ArchiveDamaged, match="damaged"):
        Statistics(archive).report(Scope(speaker_id=speaker))


def test_reindex_makes_an_older_archives_derived_data_again(seed_archive_path, older, tmp_path):
    result = derived.reindex(older, workers=0)
    assert result.before == {derived.STATISTICS: "stale", derived.SEARCH_LISTS: "stale"}
    assert statuses(older) == {derived.STATISTICS: "current", derived.SEARCH_LISTS: "current"}
    assert content(older) == content(seed_archive_path)
    conn = sqlite3.connect(older)
    assert [r[1] for r in conn.execute("PRAGMA table_info(speaker_terms)")] == ["speaker_id", "term_id", "count"]
    conn.close()


def test_an_import_into_an_older_archive_makes_its_statistics_again_whole(older, tmp_path):
    notes = tmp_path / "judicial-reform-notes.txt"
    notes.write_text(NOTES, encoding="utf-8")
    import_files(older, [notes])
    assert statuses(older)[derived.STATISTICS] == "current"
    scratch = tmp_path / "scratch.db"
    shutil.copyfile(older, scratch)
    conn = sqlite3.connect(scratch)
    rebuild_stats(conn)
    conn.commit()
    conn.close()
    assert content(older) == content(scratch)


def test_statistics_left_out_by_synth_are_stale_until_reindexed(tmp_path):
    path = tmp_path / "synth.db"
    synthesize(path, 300, seed=4, log=lambda _m: None, stats=False, topk=False)
    assert statuses(path) == {derived.STATISTICS: "stale", derived.SEARCH_LISTS: "missing"}
    derived.reindex(path, workers=0)
    assert statuses(path) == {derived.STATISTICS: "current", derived.SEARCH_LISTS: "current"}


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "viewer", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_the_commands_say_what_is_stale_and_reindex_makes_it_again(older, tmp_path):
    stats = run_cli("stats", "--archive", str(older))
    assert stats.returncode == 0 and "reindex" in stats.stdout.splitlines()[0], stats.stdout[:300]
    data = json.loads(run_cli("stats", "--archive", str(older), "--json").stdout)
    assert any("reindex" in n for n in data["notes"])
    done = run_cli("reindex", "--archive", str(older), "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["before"] == {"statistics": "stale", "search lists": "stale"} and set(out["seconds"]) == {
        "statistics",
        "search lists",
    }
    assert "notes" not in json.loads(run_cli("stats", "--archive", str(older), "--json").stdout)
    only = run_cli("reindex", "--archive", str(older), "--statistics")
    assert only.returncode == 0 and "statistics: made again" in only.stdout and "search lists" not in only.stdout


def test_reindex_leaves_the_bundled_archive_and_refuses_what_is_not_an_archive(tmp_path):
    bundled = run_cli("reindex", "--archive", str(ROOT / "archive.db"))
    assert bundled.returncode == 2 and "bundled" in bundled.stderr
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not an archive at all" * 10)
    refused = run_cli("reindex", "--archive", str(junk))
    assert refused.returncode == 3 and "not an Archive Viewer archive" in refused.stderr
    assert junk.read_bytes() == b"not an archive at all" * 10


def test_check_reads_speaker_terms_in_either_layout_and_finds_a_bad_count(seed_archive_path, older, tmp_path):
    from viewer.core.check import check_archive

    assert not check_archive(older).problems
    current = tmp_path / "current.db"
    shutil.copyfile(seed_archive_path, current)
    assert not check_archive(current).problems
    conn = sqlite3.connect(current)
    speaker, term = conn.execute("SELECT speaker_id, term_id FROM speaker_terms LIMIT 1").fetchone()
    conn.execute("UPDATE speaker_terms SET count = -4 WHERE speaker_id = ? AND term_id = ?", (speaker, term))
    conn.commit()
    conn.close()
    found = check_archive(current).problems
    assert any(f"speaker_terms row {speaker}/{term}: count holds -4" in p for p in found), found


def test_check_takes_a_relative_path(seed_archive_path, tmp_path, monkeypatch):
    shutil.copyfile(seed_archive_path, tmp_path / "here.db")
    monkeypatch.chdir(tmp_path)
    done = run_cli("check", "--archive", "here.db", cwd=tmp_path)
    assert done.returncode == 0 and "no problems found" in done.stdout, done.stderr
