"""Archives whose rows hold what the format cannot (NULL text, BLOB text, wrong column types, huge integers)
through every command, with the exact outcome of each: exit 3 and one line naming the archive, the column
and the row when the command reads the row; exit 0 when it does not; `check` lists the value as a problem;
`import` and `attribution set` refuse and change nothing; `bookmark list` and `export` still give every
bookmark as saved."""

from __future__ import annotations

import contextlib
import io
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import SEED_SLUG, with_bad_value
from viewer.cli import main

BIG = 2**63 - 1

# name: (SQL that damages the archive, table, row id, column, what the value is called)
CASES = {
    "passage-text-null": (
        "UPDATE passages SET text = NULL WHERE id = 3",
        "passages",
        3,
        "text",
        "holds no value (NULL)",
    ),
    "passage-text-blob": (
        "UPDATE passages SET text = CAST(text AS BLOB) WHERE id = 3",
        "passages",
        3,
        "text",
        "holds binary data (a BLOB) where text belongs",
    ),
    "passage-seq-text": (
        "UPDATE passages SET seq = 'third' WHERE id = 3",
        "passages",
        3,
        "seq",
        "holds text where a whole number belongs",
    ),
    "passage-seq-huge": (
        f"UPDATE passages SET seq = {BIG} WHERE id = 3",
        "passages",
        3,
        "seq",
        f"holds the number {BIG}, out of range",
    ),
    "passage-words-real": (
        "UPDATE passages SET words = 2.5 WHERE id = 3",
        "passages",
        3,
        "words",
        "holds a fractional number where a whole number belongs",
    ),
    "passage-speaker-huge": (
        f"UPDATE passages SET speaker_id = {BIG} WHERE id = 3",
        "passages",
        3,
        "speaker_id",
        f"holds the number {BIG}, out of range",
    ),
    "passage-page-huge": (
        f"UPDATE passages SET page = {BIG} WHERE id = 3",
        "passages",
        3,
        "page",
        f"holds the number {BIG}, out of range",
    ),  # a column added to the format later
    "quote-start-huge": (
        f"UPDATE quotes SET start = {BIG} WHERE id = 4",
        "quotes",
        4,
        "start",
        f"holds the number {BIG}, out of range",
    ),
    "quote-end-null": ('UPDATE quotes SET "end" = NULL WHERE id = 4', "quotes", 4, "end", "holds no value (NULL)"),
    "document-title-blob": (
        "UPDATE documents SET title = CAST(title AS BLOB) WHERE id = 1",
        "documents",
        1,
        "title",
        "holds binary data (a BLOB) where text belongs",
    ),
    "document-date-garbage": (
        "UPDATE documents SET date = '2021-3x' WHERE id = 1",
        "documents",
        1,
        "date",
        "holds '2021-3x', which is not a date",
    ),
    "speaker-name-null": (
        "UPDATE speakers SET name = NULL WHERE id = 2",
        "speakers",
        2,
        "name",
        "holds no value (NULL)",
    ),
    # read through a join, under another name, by the passages and quotes he speaks in
    "speaker-name-blob": (
        "UPDATE speakers SET name = CAST(name AS BLOB) WHERE id = 1",
        "speakers",
        1,
        "name",
        "holds binary data (a BLOB) where text belongs",
    ),
}

COMMANDS = {
    "documents": ["documents"],
    "speakers": ["speakers"],
    "speakers-doc": ["speakers", "--document", SEED_SLUG],
    "passages": ["passages", "--document", SEED_SLUG],
    "passages-json": ["passages", "--document", SEED_SLUG, "--json"],
    "quotes": ["quotes"],
    "search": ["search", "human rights"],
    "stats": ["stats"],
    "stats-doc": ["stats", "--document", SEED_SLUG],
    "add-quote": ["bookmark", "add", "4"],
    "add-selection": ["bookmark", "add", "--passage", "3", "--start", "0", "--end", "12"],
    "list": ["bookmark", "list"],
    "export-csv": ["export", "--format", "csv"],
    "export-json": ["export", "--format", "json"],
}
ALL = set(COMMANDS)
DOCUMENT = ALL - {"speakers"}  # the document's row is read by nearly everything
PASSAGE_3 = {
    "passages",
    "passages-json",
    "search",
    "stats-doc",
    "add-quote",
    "add-selection",
    "list",
    "export-csv",
    "export-json",
}
# the commands that read the damaged row (exit 3); every other one exits 0
READS = {
    "passage-text-null": PASSAGE_3,
    "passage-text-blob": PASSAGE_3,
    "passage-seq-text": PASSAGE_3,
    "passage-seq-huge": PASSAGE_3,
    "passage-words-real": PASSAGE_3,
    "passage-speaker-huge": PASSAGE_3,
    "passage-page-huge": PASSAGE_3,
    "quote-start-huge": {"quotes", "search", "add-quote", "add-selection", "list", "export-csv", "export-json"},
    "quote-end-null": {"quotes", "search", "add-quote", "add-selection", "list", "export-csv", "export-json"},
    "document-title-blob": DOCUMENT,
    "document-date-garbage": DOCUMENT,
    "speaker-name-null": {"speakers", "speakers-doc", "stats", "stats-doc"},
    "speaker-name-blob": ALL - {"documents"},
}
AS_SAVED = {"list", "export-csv", "export-json"}  # give the bookmarks as saved after a warning


@pytest.fixture(scope="module")
def damaged(seed_archive_path, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("damaged")
    out = {}
    for name, (sql, *_rest) in CASES.items():
        out[name] = with_bad_value(seed_archive_path, folder / f"{name}.db", sql)
    return out


def run(capsys, argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def bookmarked(capsys, seed_archive_path):
    """Two bookmarks made on the healthy archive: quote 4 and the start of passage 3."""
    for argv in (["bookmark", "add", "4"], ["bookmark", "add", "--passage", "3", "--start", "0", "--end", "20"]):
        assert run(capsys, [*argv, "--archive", str(seed_archive_path)])[0] == 0


@pytest.mark.parametrize("case", CASES)
def test_every_command_gives_its_exact_outcome(case, damaged, bookmarked, capsys):
    _sql, table, row, column, problem = CASES[case]
    path = damaged[case]
    before = path.read_bytes()
    line = f"The archive “{path.name}” is damaged: its column “{column}” {problem} (row {row})."
    for key, argv in COMMANDS.items():
        buffer = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # `export` writes to standard output's buffer
        with contextlib.redirect_stdout(buffer):
            code = main([*argv, "--archive", str(path)])
        buffer.flush()
        out = buffer.buffer.getvalue().decode("utf-8")
        err = capsys.readouterr().err
        if key in READS[case]:
            assert code == 3, (key, err)
            if key in AS_SAVED:
                assert err == f"archive-viewer: warning: {line} Bookmarks are shown as they were saved.\n", key
                assert out.count("Their members and supporters") + out.count("Among these is") >= 2, key
            else:
                assert err == f"archive-viewer: {line}\n", key
        else:
            assert (code, err) == (0, ""), (key, err)
    code, out, err = run(capsys, ["check", "--archive", str(path)])
    assert code == 1 and err == ""
    assert f"problem: values the format allows: {table} row {row}: {column} holds " in out
    assert path.read_bytes() == before


@pytest.mark.parametrize("case", CASES)
def test_import_refuses_a_damaged_archive_and_changes_nothing(case, damaged, capsys, tmp_path):
    _sql, table, row, column, _problem = CASES[case]
    path = tmp_path / damaged[case].name
    shutil.copy(damaged[case], path)
    before = path.read_bytes()
    note = tmp_path / "note.txt"
    note.write_text("Notes of the meeting\n\nJane Roe said: “We will come back next year.”\n", encoding="utf-8")
    code, _out, err = run(capsys, ["import", str(note), "--archive", str(path)])
    assert code == 3
    assert err.startswith(f"archive-viewer: The archive “{path.name}” is damaged ({table} row {row}: {column} holds ")
    assert err.endswith("); nothing was imported.\n") and err.count("\n") == 1
    assert path.read_bytes() == before


def test_an_older_archives_packed_term_counts_that_cannot_be_unpacked_are_damage_not_a_crash(
    seed_archive_path, tmp_path, capsys
):
    """An archive written before derived data had versions keeps a speaker's term counts packed
    (``speaker_terms.data``); garbage there is damage for the statistics and for `check`, never an internal
    error (an import makes such statistics again whole: tests/core/test_derived.py)."""
    from tests.core.test_derived import make_older

    path = tmp_path / "terms.db"
    shutil.copyfile(seed_archive_path, path)
    make_older(path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE speaker_terms SET data = X'DEADBEEF' WHERE speaker_id = 1")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    assert run(capsys, ["stats", "--archive", str(path)])[::2] == (
        3,
        "archive-viewer: This archive is damaged: a speaker's statistics cannot be read.\n",
    )
    unpacked = "speaker_terms.data cannot be unpacked: Error -3 while decompressing data: incorrect header check"
    code, out, err = run(capsys, ["check", "--archive", str(path)])
    assert (code, err) == (1, "")
    assert f"  problem: speakers' term counts: speaker 1: {unpacked}\n" in out
    assert path.read_bytes() == before


@pytest.mark.parametrize("case", CASES)
def test_a_correction_refuses_a_damaged_archive_and_changes_nothing(case, damaged, capsys, tmp_path):
    path = tmp_path / damaged[case].name
    shutil.copy(damaged[case], path)
    before = path.read_bytes()
    code, out, err = run(capsys, ["attribution", "set", "4", "--speaker", "Peter Burian", "--archive", str(path)])
    assert (code, out) == (3, "")
    assert err.startswith(f"archive-viewer: The archive “{path.name}” is damaged") and err.count("\n") == 1, err
    assert path.read_bytes() == before
    assert run(capsys, ["attribution", "list"])[:2] == (0, "(none)\n")


def test_a_quote_not_where_its_passage_says_is_damage_for_a_bookmark_and_a_correction(
    seed_archive_path, tmp_path, capsys
):
    path = with_bad_value(seed_archive_path, tmp_path / "moved.db", "UPDATE quotes SET start = start + 1 WHERE id = 4")
    before = path.read_bytes()
    line = "archive-viewer: The archive “moved.db” is damaged: quote 4 is not where its passage says it is.\n"
    assert run(capsys, ["bookmark", "add", "4", "--archive", str(path)]) == (3, "", line)
    assert run(capsys, ["attribution", "set", "4", "--speaker", "Peter Burian", "--archive", str(path)]) == (
        3,
        "",
        line,
    )
    assert path.read_bytes() == before
