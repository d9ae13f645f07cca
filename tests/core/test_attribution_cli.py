"""`archive-viewer attribution set|list|clear|apply|unattributed`, as a person or a script uses them,
and corrections applied again by `import` and `build` into the user's own archive."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import SOURCES
from viewer.cli import main
from viewer.core.datadir import user_archive_path

AUCTION = """Notes from the fishermen's assembly

On 3 March 2023, fishermen of the Caspian coast met in Aktau, with Marat Seitkali, head of the cooperative, \
in the chair.

Marat Seitkali opened the assembly. “The quotas are written for the factories, not for us,” Seitkali said.

Gulnara Abenova, a net maker, described the winter. “We mended nets for boats that never sailed,” she said.
"""


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"  # ARCHIVE_VIEWER_DATA_DIR (tests/conftest.py)


@pytest.fixture
def run(capsys):
    """run(*argv) -> (exit code, stdout, stderr)."""

    def _run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def quote_id(run, words: str) -> int:
    code, out, _err = run("quotes", "--json")
    assert code == 0
    return next(q["id"] for q in json.loads(out) if q["text"].startswith(words))


def listed(run) -> list[dict]:
    code, out, err = run("attribution", "list", "--json")
    assert code == 0, err
    return json.loads(out)


def test_set_list_and_clear_a_quotes_speaker(bundled, data_dir, run):
    before = digest(bundled)
    qid = quote_id(run, "nothing has been done")
    code, out, err = run("attribution", "set", str(qid), "--speaker", "burian", "--note", "from the video")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == (
        f"correction 1 saved: quote {qid} (“nothing has been done”, ¶ 8) is now Peter Burian's; it was Anna Shukeyeva"
    )
    assert lines[-1].startswith(f"Your own archive is now {user_archive_path(data_dir)}")
    assert digest(bundled) == before
    [c] = listed(run)
    assert (c["id"], c["target"], c["decision"], c["speaker"], c["note"], c["was"], c["status"], c["quote_id"]) == (
        1,
        "quote",
        "speaker",
        "Peter Burian",
        "from the video",
        "Anna Shukeyeva",
        "applied",
        qid,
    )
    code, out, _err = run("quotes", "--json", "--speaker", "Peter Burian")
    q = next(q for q in json.loads(out) if q["id"] == qid)
    assert q["rule"] == "corrected" and q["corrected"] is True
    code, out, _err = run("attribution", "list")
    assert "Peter Burian" in out and "applied" in out and "quote ¶ 8" in out
    code, out, err = run("attribution", "clear", "1")
    assert code == 0, err
    assert (
        out.splitlines()[0] == "correction 1 cleared: “nothing has been done” (¶ 8) is again as the text says: "
        "Anna Shukeyeva"
    )
    assert listed(run) == []
    code, out, _err = run("quotes", "--json", "--speaker", "Shukeyeva")
    assert qid in [q["id"] for q in json.loads(out)]


def test_passages_narration_and_unknown(bundled, run):
    code, out, _err = run("passages", "--document", "addressing-human-rights-abuses-in-kazakhstan", "--json")
    passage = next(p for p in json.loads(out) if p["speaker"] == "Luca Anceschi")
    assert run("attribution", "set", "--passage", str(passage["id"]), "--narration")[0] == 0
    qid = quote_id(run, "nothing has been done")
    code, out, err = run("attribution", "set", str(qid), "--unknown", "--note", "two voices")
    assert code == 0, err
    assert "is now someone's words, speaker unknown" in out
    code, out, _err = run("passages", "--document", "addressing-human-rights-abuses-in-kazakhstan", "--json")
    now = next(p for p in json.loads(out) if p["id"] == passage["id"])
    assert now["speaker"] is None and now["attribution"] == "corrected-narration"
    assert [c["status"] for c in listed(run)] == ["applied", "applied"]
    # "speaker unknown" is a decision: the quote is not listed as needing one
    code, out, _err = run("attribution", "unattributed", "--json")
    assert json.loads(out) == []


def test_bad_usage_exits_2_and_saves_nothing(bundled, data_dir, run):
    qid = quote_id(run, "nothing has been done")
    for argv, message in [
        (("attribution", "set", str(qid)), "say who said it"),
        (("attribution", "set", str(qid), "--speaker", "X", "--unknown"), "say who said it"),
        (("attribution", "set", "--speaker", "X"), "give a QUOTE_ID, or --passage ID"),
        (("attribution", "set", str(qid), "--passage", "3", "--speaker", "X"), "give a QUOTE_ID, or --passage ID"),
        (("attribution", "set", "99999", "--speaker", "X"), "there is no quote 99999"),
        (("attribution", "set", str(qid), "--narration", "--new-speaker"), "--new-speaker goes with --speaker"),
        (("attribution", "set", str(qid), "--speaker", "   "), "give the speaker's name"),
        (
            ("attribution", "set", str(qid), "--speaker", "A. Shukeyeva"),
            "“A. Shukeyeva” may be the same person as “Anna Shukeyeva”",
        ),
        (("attribution", "clear", "7"), "there is no correction 7"),
    ]:
        code, _out, err = run(*argv)
        assert code == 2, argv
        assert message in err and err.count("\n") == 1, (argv, err)
    assert not user_archive_path(data_dir).exists()
    code, out, err = run("attribution", "set", str(qid), "--speaker", "A. Shukeyeva", "--new-speaker")
    assert code == 0, err
    assert listed(run)[0]["new_speaker"] is True


def test_an_archive_that_cannot_be_used_exits_3_and_a_store_that_cannot_exits_1(bundled, data_dir, tmp_path, run):
    code, _out, err = run("attribution", "set", "1", "--speaker", "X", "--archive", str(tmp_path / "missing.db"))
    assert code == 3 and "does not exist" in err
    data_dir.mkdir(parents=True)
    store = data_dir / "corrections.db"
    assert run("attribution", "list")[0] == 0  # makes the store
    conn = sqlite3.connect(store)
    conn.execute("PRAGMA user_version = 7")
    conn.close()
    code, _out, err = run("attribution", "list")
    assert code == 1 and "newer version" in err


def test_unattributed_quotes_with_the_texts_suggestion(bundled, data_dir, run):
    own = user_archive_path(data_dir)
    own.parent.mkdir(parents=True)
    shutil.copyfile(bundled, own)
    qid = quote_id(run, "nothing has been done")
    conn = sqlite3.connect(own)  # as the text would leave a quote it cannot attribute
    conn.execute(
        "UPDATE quotes SET speaker_id = NULL, rule = NULL, suggested_speaker = 'Anna Shukeyeva', "
        "suggested_speaker_id = (SELECT id FROM speakers WHERE name = 'Anna Shukeyeva') WHERE id = ?",
        (qid,),
    )
    conn.commit()
    conn.close()
    code, out, _err = run("attribution", "unattributed", "--json")
    [row] = json.loads(out)
    assert (row["id"], row["paragraph"], row["suggestion"], row["text"]) == (
        qid,
        8,
        "Anna Shukeyeva",
        "nothing has been done",
    )
    code, out, _err = run("attribution", "unattributed")
    assert "Anna Shukeyeva" in out and "nothing has been done" in out
    assert run("attribution", "set", str(qid), "--speaker", row["suggestion"])[0] == 0
    assert json.loads(run("attribution", "unattributed", "--json")[1]) == []


def test_a_re_import_gets_the_corrections_applied_again(bundled, data_dir, tmp_path, run):
    notes = tmp_path / "assembly.txt"
    notes.write_text(AUCTION, encoding="utf-8")
    assert run("import", str(notes))[0] == 0
    qid = quote_id(run, "We mended nets")
    assert run("attribution", "set", str(qid), "--speaker", "Marat Seitkali")[0] == 0
    # the user's own archive is made again from the bundled one, and the file imported again
    own = user_archive_path(data_dir)
    own.unlink()
    code, out, err = run("import", str(notes))
    assert code == 0, err
    assert "1 of your corrections applied again (`archive-viewer attribution list`)" in out
    assert [c["status"] for c in listed(run)] == ["applied"]
    code, out, _err = run("quotes", "--json", "--speaker", "Seitkali")
    assert "We mended nets for boats that never sailed," in [q["text"] for q in json.loads(out)]


def test_a_build_into_the_users_own_archive_gets_the_corrections_applied_again(bundled, data_dir, run):
    qid = quote_id(run, "nothing has been done")
    assert run("attribution", "set", str(qid), "--speaker", "Luca Anceschi")[0] == 0
    own = user_archive_path(data_dir)
    code, out, err = run("build", "--out", str(own), "--sources", str(SOURCES))
    assert code == 0, err
    assert "1 of your corrections applied again" in out
    assert [c["status"] for c in listed(run)] == ["applied"]
    # a build anywhere else is left as built
    other = data_dir / "other.db"
    code, out, _err = run("build", "--out", str(other), "--sources", str(SOURCES))
    assert "corrections" not in out
    code, out, _err = run("attribution", "list", "--json", "--archive", str(other))
    assert [c["status"] for c in json.loads(out)] == ["not applied"]
    code, out, err = run("attribution", "apply", "--archive", str(other))
    assert code == 0, err
    assert out.startswith("1 correction applied now, 0 already applied, 0 not found in this archive")
    code, out, _err = run("attribution", "list", "--json", "--archive", str(other))
    assert [c["status"] for c in json.loads(out)] == ["applied"]
