"""Hostile bookmark files (issue: one bookmark file stops bookmarks from saving): `bookmark import` checks the
file against its schema before the store is touched, refuses with the first problem and its JSON path and
changes nothing; ids in a file are never kept; a store whose id sequence is exhausted is repaired."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from viewer.cli import main
from viewer.core import bookmark_file
from viewer.core.bookmarks import BookmarkStore

GOOD = {"kind": "quote", "text": "We will not stop", "document_slug": "d", "document_title": "A report",
        "paragraph": 3, "start": 10, "end": 26, "uid": "a1", "tags": ["eu"], "colour": "blue"}


def export_file(tmp_path: Path, items, name: str = "export.json") -> Path:
    path = tmp_path / name
    data = {"format": "archive-viewer-bookmarks", "version": 1, "exported": "2024-05-01T10:00:00+00:00",
            "count": len(items), "bookmarks": items}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def store_state(tmp_path, seed_archive_path, capsys):
    """The user's store with one bookmark, and a function that says what is in it now."""
    assert main(["bookmark", "add", "4", "--archive", str(seed_archive_path)]) == 0
    capsys.readouterr()

    def state():
        with BookmarkStore.open() as store:
            return [(b.id, b.uid, b.note, b.tags) for b in store.list()]

    return state


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("item, where, problem", [
    ({**GOOD, "paragraph": 2**70}, "paragraph", "1180591620717411303424 is not a whole number from 0 to 2,147,483,647"),
    ({**GOOD, "start": -1, "end": 15}, "start", "-1 is not a whole number from 0 to 2,147,483,647"),
    ({**GOOD, "id": 2**64}, "id", "18446744073709551616 is not a whole number from 1 to 9,223,372,036,854,775,807 (or null)"),
    ({**GOOD, "quote_id": 2**40}, "quote_id", "1099511627776 is not a whole number from 1 to 2,147,483,647 (or null)"),
    ({**GOOD, "paragraph": "3"}, "paragraph", '"3" is not a whole number from 0 to 2,147,483,647'),
    ({**GOOD, "text": None}, "text", "null is not text"),
    ({**GOOD, "note": "x" * 1_000_001}, "note", "text of 1,000,001 characters, more than the 1,000,000 allowed"),
    ({**GOOD, "tags": ["eu", ["nested"]]}, "tags[1]", "list is not a tag (text of at most 1,000 characters)"),
    ({**GOOD, "tags": "eu"}, "tags", '"eu" is not a list of at most 1,000 tags'),
    ({**GOOD, "created": "yesterday"}, "created", '"yesterday" is not an ISO date and time'),
    ({**GOOD, "uid": "../../x"}, "uid", '"../../x" is not a uid (1 to 64 letters, digits, - or _)'),
])
def test_a_bad_field_is_refused_with_its_path_and_nothing_changes(tmp_path, capsys, store_state, item, where, problem):
    before = store_state()
    path = export_file(tmp_path, [GOOD | {"uid": "first"}, item])
    code, out, err = run(capsys, "bookmark", "import", str(path))
    assert (code, out) == (1, "")
    assert err == f"archive-viewer: $.bookmarks[1].{where}: {problem}\n"
    assert store_state() == before


def test_deep_nesting_is_refused_in_one_line(tmp_path, capsys, store_state):
    before = store_state()
    deep = tmp_path / "deep.json"
    deep.write_text('{"format": "archive-viewer-bookmarks", "version": 1, "bookmarks": [' + "[" * 200_000,
                    encoding="utf-8")
    code, _out, err = run(capsys, "bookmark", "import", str(deep))
    assert code == 1 and err == "archive-viewer: $.bookmarks[0]: '[' where a bookmark (an object) belongs\n"
    inner = tmp_path / "inner.json"
    inner.write_text(json.dumps({"format": "archive-viewer-bookmarks", "version": 1, "bookmarks": [GOOD]})[:-2]
                     .replace('"tags": ["eu"]', '"tags": ' + "[" * 100_000), encoding="utf-8")
    code, _out, err = run(capsys, "bookmark", "import", str(inner))
    assert code == 1 and err == "archive-viewer: $.bookmarks[0]: nested too deeply for a bookmarks export\n"
    assert store_state() == before


def test_too_many_bookmarks_are_refused(tmp_path, capsys, store_state, monkeypatch):
    monkeypatch.setattr(bookmark_file, "MAX_BOOKMARKS", 3)
    before = store_state()
    path = export_file(tmp_path, [GOOD | {"uid": f"u{i}"} for i in range(4)])
    code, _out, err = run(capsys, "bookmark", "import", str(path))
    assert code == 1 and err == "archive-viewer: $.bookmarks: more than 3 bookmarks, the most one file may hold\n"
    assert store_state() == before


@pytest.mark.parametrize("content, message", [
    (b"\xff\xfe not utf-8", "this is not a bookmarks export (not UTF-8 text: invalid start byte)"),
    (b'{"format": "archive-viewer-bookmarks", "version": 1, "bookmarks": [{"kind": "quote"',
     "$.bookmarks[0]: this is not a bookmarks export (not JSON: Expecting ',' delimiter)"),
    (b'{"format": "someone-else", "version": 1, "bookmarks": []}', "this is not an Archive Viewer bookmarks export"),
    (b'[] []', "this is not a bookmarks export (not JSON: more after its end)"),
])
def test_a_file_that_is_not_an_export_is_refused(tmp_path, capsys, store_state, content, message):
    before = store_state()
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    code, _out, err = run(capsys, "bookmark", "import", str(path))
    assert code == 1 and err == f"archive-viewer: {message}\n"
    assert store_state() == before


def test_ids_in_a_file_are_never_kept_and_saving_goes_on(tmp_path, capsys, store_state, seed_archive_path):
    """An entry with id 2^63-1 used to be kept: after it, every `bookmark add` failed with "the disk is full"."""
    path = export_file(tmp_path, [GOOD | {"id": 2**63 - 1}])
    code, out, _err = run(capsys, "bookmark", "import", str(path))
    assert code == 0 and "1 added" in out
    ids = [i for i, *_rest in store_state()]
    assert ids == [1, 2]
    code, out, err = run(capsys, "bookmark", "add", "5", "--archive", str(seed_archive_path))
    assert code == 0, err
    assert [i for i, *_rest in store_state()] == [1, 2, 3]


def test_a_store_whose_ids_ran_out_is_repaired(tmp_path, capsys, store_state, seed_archive_path):
    """A store an earlier version filled up to id 2^63-1 (tags and all): opened, the bookmark is renumbered after the
    others with its tags, the id sequence is brought back, and bookmarks save again."""
    data = Path(__import__("os").environ["ARCHIVE_VIEWER_DATA_DIR"])
    conn = sqlite3.connect(data / "bookmarks.db")
    conn.execute("INSERT INTO bookmarks (id, uid, kind, text, text_hash, document_slug, document_title, paragraph, "
                 "start, \"end\", colour, created, updated) SELECT ?, 'huge', kind, text, text_hash, document_slug, "
                 "document_title, paragraph, start, \"end\", colour, created, updated FROM bookmarks WHERE id = 1",
                 (2**63 - 1,))
    conn.execute("INSERT INTO tags (bookmark_id, position, tag) VALUES (?, 0, 'kept')", (2**63 - 1,))
    conn.commit()
    conn.close()
    code, _out, err = run(capsys, "bookmark", "add", "5", "--archive", str(seed_archive_path))
    assert code == 0, err
    assert err == ("archive-viewer: warning: the numbering of the bookmarks was repaired: 1 bookmark with a number "
                   "too large to go on was renumbered from 2\n")
    with BookmarkStore.open() as store:
        assert [(b.id, b.uid, b.tags) for b in store.list()][1] == (2, "huge", ("kept",))
        assert store.list()[2].id == 3

