"""The read commands: JSON for scripts, tables for people, exit codes, nothing created by accident."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SEED_SLUG
from viewer.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def cli(*argv, **kw):
    return subprocess.run(
        [sys.executable, "-m", "viewer", *argv], cwd=ROOT, capture_output=True, text=True, timeout=60, **kw
    )


def test_documents_json(capsys, seed_archive_path):
    code, out, _ = run(capsys, "documents", "--archive", str(seed_archive_path), "--json")
    docs = json.loads(out)
    assert code == 0 and len(docs) == 11
    assert set(docs[0]) == {
        "id",
        "slug",
        "title",
        "kind",
        "date",
        "date_end",
        "collection",
        "has_text",
        "pages",
        "author",
        "url",
    }
    assert docs[0]["pages"] is None and docs[0]["author"] is None
    assert docs[0]["slug"] == SEED_SLUG and docs[0]["has_text"] is True
    assert sum(1 for d in docs if not d["has_text"]) == 10


def test_speakers_json_and_per_document(capsys, seed_archive_path):
    code, out, _ = run(capsys, "speakers", "--archive", str(seed_archive_path), "--json")
    rows = json.loads(out)
    assert code == 0 and [r["name"] for r in rows][:2] == ["Petras Auštrevičius", "Lyudmyla Kozlovska"]
    assert {"id", "name", "role", "organisation", "country", "passages", "words", "quotes"} <= set(rows[0])
    code, out, _ = run(capsys, "speakers", "--document", SEED_SLUG, "--archive", str(seed_archive_path), "--json")
    assert json.loads(out)[1]["event_role"] == "moderator"


def test_passages_json(capsys, seed_archive_path):
    code, out, _ = run(capsys, "--archive", str(seed_archive_path), "passages", "--document", SEED_SLUG, "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 34
    assert rows[0]["speaker"] is None and rows[1]["speaker"] == "Petras Auštrevičius"
    assert {"id", "seq", "speaker", "text"} <= set(rows[0])


def test_quotes_by_speaker_in_any_spelling(capsys, seed_archive_path):
    for name in ("Austrevicius", "auštrevičius", "Petras Auštrevičius", "MEP Auštrevičius"):
        code, out, _ = run(capsys, "quotes", "--speaker", name, "--archive", str(seed_archive_path), "--json")
        rows = json.loads(out)
        assert code == 0 and len(rows) == 2, name
    assert set(rows[0]) >= {"id", "text", "speaker", "quoted_by", "document", "passage_id", "start", "end"}
    assert rows[0]["document"] == SEED_SLUG


def test_relayed_quotes_only_with_relayed(capsys, seed_archive_path):
    _, out, _ = run(capsys, "quotes", "--speaker", "Castelletti", "--archive", str(seed_archive_path), "--json")
    assert len(json.loads(out)) == 3
    _, out, _ = run(
        capsys, "quotes", "--speaker", "Castelletti", "--relayed", "--archive", str(seed_archive_path), "--json"
    )
    relayed = [q for q in json.loads(out) if q["quoted_by"]]
    assert relayed == [
        {**relayed[0], "speaker": "six brave women who shaved their head", "quoted_by": "Rosalba Castelletti"}
    ]


def test_table_output_is_readable(capsys, seed_archive_path):
    code, out, _ = run(capsys, "speakers", "--archive", str(seed_archive_path))
    assert code == 0
    assert out.splitlines()[0].split() == ["ID", "NAME", "PASSAGES", "QUOTES", "WORDS", "AFFILIATION"]
    assert "Rosalba Castelletti" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["quotes", "--speaker", "Nobody"],
        ["passages", "--document", "no-such-document"],
        ["passages"],
        ["no-such-command"],
    ],
)
def test_bad_usage_exits_2(capsys, seed_archive_path, argv):
    with pytest.raises(SystemExit) as e:
        code = main([*argv, "--archive", str(seed_archive_path)])
        raise SystemExit(code)
    assert e.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_unusable_archives_exit_3_and_are_not_created(tmp_path):
    missing = tmp_path / "nothing here.db"
    folder = tmp_path / "a folder.db"
    folder.mkdir()
    text = tmp_path / "notes.db"
    text.write_text("just some notes")
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    for path, words in [
        (missing, "does not exist"),
        (folder, "is a folder"),
        (text, "not an Archive Viewer archive"),
        (empty, "not an Archive Viewer archive"),
    ]:
        before = sorted(p.name for p in tmp_path.iterdir())
        r = cli("documents", "--archive", str(path))
        assert r.returncode == 3, r.stderr
        assert words in r.stderr and "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
        assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert not missing.exists()


def test_a_damaged_archive_exits_3_in_every_read_command(tmp_path, seed_archive_path):
    data = seed_archive_path.read_bytes()
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(data[: len(data) // 2])  # the header says more pages than there are
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    for argv in (
        ["documents"],
        ["speakers"],
        ["passages", "--document", SEED_SLUG],
        ["quotes"],
        ["search", "sanctions"],
        ["stats"],
    ):
        r = cli(*argv, "--archive", str(damaged))
        assert r.returncode == 3, (argv, r.returncode, r.stderr)
        assert "damaged" in r.stderr and "Traceback" not in r.stderr, argv
        assert len(r.stderr.strip().splitlines()) == 1 and r.stdout == "", argv
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_newer_format_asks_to_update(tmp_path, seed_archive_path):
    import shutil
    import sqlite3

    newer = tmp_path / "newer.db"
    shutil.copy(seed_archive_path, newer)
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    r = cli("speakers", "--archive", str(newer))
    assert r.returncode == 3 and "newer version" in r.stderr and "please update" in r.stderr


def test_python_dash_m_viewer_works_the_same(seed_archive_path):
    r = cli("documents", "--json", "--archive", str(seed_archive_path))
    assert r.returncode == 0 and len(json.loads(r.stdout)) == 11


def test_documents_json_gives_the_pages_author_and_address_of_imports(capsys, paged_archive_path):
    code, out, _ = run(capsys, "documents", "--archive", str(paged_archive_path), "--json")
    docs = {d["slug"]: d for d in json.loads(out)}
    pdf = docs["trial-monitoring-in-aktobe-the-second-session"]
    web = docs["court-hears-appeal-of-jailed-almaty-activists"]
    assert pdf["pages"] == 2 and pdf["url"] is None
    assert (web["pages"], web["author"]) == (None, "Irina Sokolova") and web["url"].startswith("https://www.northern")
