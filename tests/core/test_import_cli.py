"""`archive-viewer import`: output, exit codes, and the read commands showing what was imported."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from viewer.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "import"
SLUG = "press-freedom-under-pressure-a-public-discussion-in-vilnius"


@pytest.fixture
def archive(seed_archive_path, tmp_path) -> Path:
    path = tmp_path / "archive.db"
    shutil.copy(seed_archive_path, path)
    return path


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def cli(*argv):
    return subprocess.run(
        [sys.executable, "-m", "viewer", *map(str, argv)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_import_prints_what_it_did_and_exits_0(capsys, archive):
    code, out, err = run(
        capsys, "import", DATA / "prose-report.txt", DATA / "servants-of-the-regime.txt", "--archive", archive
    )
    assert code == 0 and err == ""
    assert out.splitlines() == [
        f"imported prose-report.txt: added “Press freedom under pressure: a public discussion in Vilnius” ({SLUG}): "
        "3 speakers, 5 passages, 4 quotes",
        "imported servants-of-the-regime.txt: filled the listed report “Servants of the Regime: Servants of the "
        "Regime in Kazakhstan” (servants-of-the-regime-servants-of-the-regime-in-2020-10-28): 1 speaker, 2 passages, "
        "1 quote",
        "2 documents imported (1 filling a listed report), 4 speakers (4 new), 5 quotes.",
        f"Archive: {archive}",
    ]
    code, out, err = run(capsys, "import", DATA / "prose-report.txt", "--archive", archive)
    assert code == 0
    assert out.splitlines() == [
        "skipped prose-report.txt: already in the archive as “Press freedom under pressure: a public discussion in "
        f"Vilnius” ({SLUG}); nothing added",
        "0 documents imported; 1 already in the archive.",
        f"Archive: {archive}",
    ]


def test_the_read_commands_show_the_new_document(capsys, archive):
    run(capsys, "import", DATA / "prose-report.txt", "--archive", archive)
    code, out, _ = run(capsys, "documents", "--archive", archive, "--json")
    doc = next(d for d in json.loads(out) if d["slug"] == SLUG)
    assert (doc["date"], doc["kind"], doc["collection"], doc["has_text"]) == (
        "2022-06-04",
        "discussion",
        "Imported",
        True,
    )
    code, out, _ = run(capsys, "speakers", "--document", SLUG, "--archive", archive, "--json")
    assert [(s["name"], s["event_role"], s["quotes"]) for s in json.loads(out)] == [
        ("Jonas Petraitis", "moderator", 1),
        ("Aigerim Serikbayeva", "panelist", 1),
        ("Martin Keller", "panelist", 1),
    ]
    code, out, _ = run(capsys, "passages", "--document", SLUG, "--archive", archive, "--json")
    assert [p["speaker"] for p in json.loads(out)] == [
        None,
        "Jonas Petraitis",
        "Aigerim Serikbayeva",
        "Martin Keller",
        "Jonas Petraitis",
    ]
    code, out, _ = run(capsys, "quotes", "--speaker", "Serikbayeva", "--relayed", "--archive", archive, "--json")
    assert [(q["text"], q["speaker"], q["quoted_by"], q["document"]) for q in json.loads(out)] == [
        ("You will write about the weather from now on.", "an officer", "Aigerim Serikbayeva", SLUG),
        ("the pressure is quiet, but it never stops.", "Aigerim Serikbayeva", None, SLUG),
    ]
    code, out, _ = run(capsys, "speakers", "--archive", archive)
    assert code == 0 and "Martin Keller" in out and "Rosalba Castelletti" in out


def test_json_report_and_collection(capsys, archive):
    code, out, _ = run(
        capsys, "import", DATA / "campus-debate.txt", "--collection", "Students", "--json", "--archive", archive
    )
    report = json.loads(out)
    assert code == 0
    assert (report["documents"], report["speakers"], report["new_speakers"], report["quotes"]) == (1, 3, 3, 7)
    [f] = report["files"]
    assert (f["status"], f["slug"], f["title"], f["kind"], f["date"]) == (
        "imported",
        "students-and-the-new-media-law-a-campus-debate",
        "Students and the new media law: a campus debate",
        "debate",
        "2022-10-03",
    )
    code, out, _ = run(capsys, "documents", "--archive", archive, "--json")
    assert next(d for d in json.loads(out) if d["slug"] == f["slug"])["collection"] == "Students"


def test_a_file_that_cannot_be_imported_exits_1_with_one_line(capsys, archive, tmp_path):
    noise = tmp_path / "noise.txt"
    noise.write_bytes(bytes(range(256)) * 10)
    code, out, err = run(capsys, "import", noise, DATA / "campus-debate.txt", "--archive", archive)
    assert code == 1
    assert err == "archive-viewer: cannot import noise.txt: is not a text document (it contains binary data)\n"
    assert out.splitlines()[-2:] == [
        "1 document imported, 3 speakers (3 new), 7 quotes; 1 could not be imported.",
        f"Archive: {archive}",
    ]


def test_uncertain_things_are_printed(capsys, archive):
    code, out, _ = run(
        capsys,
        "import",
        DATA / "servants-of-the-regime.txt",
        DATA / "lawyers-round-table.html",
        "--archive",
        archive,
        "--collection",
        "Mixed",
    )
    assert code == 0 and not [line for line in out.splitlines() if line.startswith("uncertain")]
    doc = ROOT / "tests" / "data" / "import" / "campus-debate.txt"
    text = doc.read_text(encoding="utf-8").replace("On 3 October 2022, students", "Students")
    undated = archive.parent / "undated.txt"
    undated.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "import", undated, "--archive", archive)
    assert "uncertain: undated.txt: no date in the document" in out.splitlines()


def test_no_files_is_bad_usage(capsys, archive):
    with pytest.raises(SystemExit) as e:
        main(["import", "--archive", str(archive)])
    assert e.value.code == 2


def test_archive_problems_exit_3_and_nothing_is_created_or_changed(tmp_path, archive):
    missing = tmp_path / "nothing here.db"
    text = tmp_path / "notes.db"
    text.write_text("just some notes")
    for path, words in [(missing, "does not exist"), (text, "not an Archive Viewer archive")]:
        before = sorted(p.name for p in tmp_path.iterdir())
        r = cli("import", DATA / "prose-report.txt", "--archive", path)
        assert r.returncode == 3, r.stderr
        assert words in r.stderr and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
        assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert not missing.exists()
    archive.chmod(0o444)
    try:
        before = digest(archive)
        r = cli("import", DATA / "prose-report.txt", "--archive", archive)
        assert r.returncode == 3
        assert r.stderr == "archive-viewer: The archive “archive.db” is read-only; nothing was imported.\n"
        assert digest(archive) == before
    finally:
        archive.chmod(0o644)


def test_a_newer_archive_exits_3(archive):
    import sqlite3

    conn = sqlite3.connect(archive)
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    r = cli("import", DATA / "prose-report.txt", "--archive", archive)
    assert r.returncode == 3 and "newer version" in r.stderr
