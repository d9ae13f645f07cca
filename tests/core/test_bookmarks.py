"""The bookmark store: what a bookmark keeps, how it is saved, edited, deleted and restored."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from viewer.core.bookmarks import (
    APPLICATION_ID, CHANGED, COLOURS, OK, QUOTE_KIND, SELECTION_KIND, STORE_NAME, Bookmark, BookmarkNotFound,
    BookmarkStore, Resolver, clean_note, make_bookmark, normalise_tags, resolve_all, verify,
)
from viewer.core.citation import cite_quote

ROOT = Path(__file__).resolve().parents[2]


def _quote(archive, startswith):
    return next(q for q in archive.quotes() if q.text.startswith(startswith))


@pytest.fixture
def store(tmp_path):
    s = BookmarkStore.open(tmp_path / "data")
    yield s
    s.close()


def test_the_store_is_its_own_file_in_wal_mode(store, tmp_path):
    assert store.path == tmp_path / "data" / STORE_NAME
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    assert store._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store._conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_data_dir_comes_from_the_option_then_the_environment(tmp_path, monkeypatch):
    from viewer.core.datadir import data_dir

    monkeypatch.setenv("ARCHIVE_VIEWER_DATA_DIR", str(tmp_path / "env"))
    assert data_dir() == tmp_path / "env"
    assert data_dir(tmp_path / "opt") == tmp_path / "opt"
    monkeypatch.delenv("ARCHIVE_VIEWER_DATA_DIR")
    assert data_dir().name == "archive-viewer"


def test_quote_bookmark_keeps_a_snapshot_of_words_and_attribution(seed_archive, store):
    q = _quote(seed_archive, "Democracy building")
    b = store.add(make_bookmark(seed_archive, quote_id=q.id, note="EU view", tags=["eu", "reform"], colour="blue"))
    assert b.id and len(b.uid) == 32 and b.created and b.created == b.updated
    assert b.kind == QUOTE_KIND and b.quote_id == q.id and b.passage_id == q.passage_id
    assert b.text == q.text == seed_archive.passage(q.passage_id).text[b.start:b.end]
    assert b.speaker == "Peter Burian" and b.relayer == ""
    assert b.attribution == "Peter Burian"
    assert b.affiliation == "EU Special Representative for Central Asia"
    assert b.document_slug == "addressing-human-rights-abuses-in-kazakhstan"
    assert b.document_date == "2021-03-25" and b.paragraph == 4
    assert b.citation().render() == cite_quote(seed_archive, q.id).render()
    assert store.get(b.id) == b


def test_relayed_quote_names_who_said_it_and_who_relayed_it(seed_archive, store):
    q = _quote(seed_archive, "We live in a prison")
    b = store.add(make_bookmark(seed_archive, quote_id=q.id))
    assert b.speaker == "six brave women who shaved their head"
    assert b.relayer == "Rosalba Castelletti"
    assert b.attribution == "six brave women who shaved their head, quoted by Rosalba Castelletti"
    assert b.role == "" and b.organisation == ""  # the women are not the journalist


def test_selection_outside_a_quote_is_the_reports_words(seed_archive, store):
    p = seed_archive.passages(1)[5]
    b = store.add(make_bookmark(seed_archive, passage_id=p.id, start=0, end=40))
    assert b.kind == SELECTION_KIND and b.quote_id is None
    assert b.attribution == "Yevgeniy Zhovtis" and b.speaker == "Yevgeniy Zhovtis"  # the clean name
    assert b.words == "paraphrase" and not b.is_quote
    assert b.text == p.text[0:40].rstrip()
    assert store.get(b.id) == b
    cited = b.citation().render()
    assert cited.startswith("According to the report, Yevgeniy Zhovtis raised") and "“" not in cited
    assert b.attribution_line().startswith("the report, paraphrasing Yevgeniy Zhovtis, Director of")


def test_selection_is_trimmed_and_an_exact_quote_becomes_a_quote(seed_archive):
    q = _quote(seed_archive, "Democracy building")
    p = seed_archive.passage(q.passage_id)
    b = make_bookmark(seed_archive, passage_id=p.id, start=q.start, end=q.end)
    assert b.kind == QUOTE_KIND and b.quote_id == q.id
    padded = make_bookmark(seed_archive, passage_id=p.id, start=q.start - 2, end=q.start + 10)
    assert padded.text == p.text[q.start - 2:q.start + 10].strip()


@pytest.mark.parametrize("kwargs, message", [
    ({"quote_id": 99999}, "no quote 99999"),
    ({"passage_id": 99999, "start": 0, "end": 3}, "no passage 99999"),
    ({"passage_id": 1, "start": 5, "end": 5}, "outside passage"),
    ({"passage_id": 1, "start": 0, "end": 10**6}, "outside passage"),
    ({"passage_id": 1, "start": -1, "end": 4}, "outside passage"),
    ({"passage_id": 1}, "give a quote id"),
    ({"quote_id": 4, "colour": "red"}, "unknown colour"),
])
def test_nothing_to_bookmark_is_a_plain_error(seed_archive, kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_bookmark(seed_archive, **kwargs)


def test_blank_selection_is_refused(seed_archive):
    p = next(p for p in seed_archive.passages(1) if " " in p.text)
    i = p.text.index(" ")
    with pytest.raises(ValueError, match="no text"):
        make_bookmark(seed_archive, passage_id=p.id, start=i, end=i + 1)


def test_update_note_tags_colour(seed_archive, store):
    b = store.add(make_bookmark(seed_archive, quote_id=_quote(seed_archive, "nothing has been").id))
    u = store.update(b.id, note="line 1\r\nline 2\x00", tags=["Prisons", "prisons", " EU ,  law "], colour="PINK")
    assert u.note == "line 1\nline 2"
    assert u.tags == ("Prisons", "EU", "law")
    assert u.colour == "pink"
    assert u.updated >= b.updated and u.created == b.created
    assert store.update(b.id, tags=[]).tags == ()
    with pytest.raises(BookmarkNotFound):
        store.update(12345, note="x")
    with pytest.raises(ValueError):
        store.update(b.id, colour="mauve")


def test_remove_and_restore_keep_everything(seed_archive, store):
    a = store.add(make_bookmark(seed_archive, quote_id=4, note="n", tags=["x"]))
    b = store.add(make_bookmark(seed_archive, quote_id=5))
    gone = store.remove([a.id, b.id])
    assert gone == [a, b] and store.count() == 0
    back = store.restore(gone)
    assert back == [a, b]
    assert store.restore(gone) == [a, b]  # already there: nothing twice
    assert store.count() == 2
    with pytest.raises(BookmarkNotFound):
        store.remove(999)


def test_list_by_tag_ignores_case_and_tags_are_counted(seed_archive, store):
    store.add(make_bookmark(seed_archive, quote_id=4, tags=["EU"]))
    store.add(make_bookmark(seed_archive, quote_id=5, tags=["eu", "reform"]))
    store.add(make_bookmark(seed_archive, quote_id=6))
    assert len(store.list(tag="eu")) == 2
    assert [t for t, _ in store.tags()] == ["EU", "reform"]
    assert dict(store.tags())["EU"] == 2


def test_hostile_notes_and_tags_are_kept_as_text(seed_archive, store):
    note = "=HYPERLINK(\"http://x\")\n<img src=x onerror=alert(1)>\t# not a heading\n\ud800 \u202e end"
    b = store.add(make_bookmark(seed_archive, quote_id=4, note=note, tags=["<b>bold</b>", "a'b\"c"]))
    got = store.get(b.id)
    assert got.note == clean_note(note) and "\ufffd" in got.note and "<img src=x" in got.note
    assert got.tags == ("<b>bold</b>", "a'b\"c")


def test_normalise_tags():
    assert normalise_tags("a, b,,c ") == ("a", "b", "c")
    assert normalise_tags(["x\ny", "X Y"]) == ("x y",)


def test_every_colour_has_a_paint(seed_archive, store):
    for name in COLOURS:
        assert store.add(make_bookmark(seed_archive, quote_id=4, colour=name)).colour_hex == COLOURS[name]


def test_for_passage_gives_spans_with_colours(seed_archive, store):
    q = _quote(seed_archive, "Democracy building")
    a = store.add(make_bookmark(seed_archive, quote_id=q.id, colour="green"))
    b = store.add(make_bookmark(seed_archive, passage_id=q.passage_id, start=0, end=10))
    spans = store.for_passage(seed_archive, q.passage_id)
    assert [(s.bookmark_id, s.start, s.end, s.colour) for s in spans] == [
        (b.id, 0, 10, "yellow"), (a.id, q.start, q.end, "green")]
    assert store.for_passage(seed_archive, 1) == []


def test_resolution_in_the_same_archive_is_ok(seed_archive, store):
    added = [store.add(make_bookmark(seed_archive, quote_id=q.id)) for q in seed_archive.quotes()]
    res = resolve_all(seed_archive, store.list())
    assert {r.status for r in res.values()} == {OK}
    for b in added:
        assert res[b.id].quote_id == b.quote_id and res[b.id].passage_id == b.passage_id


def test_same_words_now_attributed_to_someone_else_are_changed(seed_archive, store):
    q = _quote(seed_archive, "Democracy building")
    b = store.add(make_bookmark(seed_archive, quote_id=q.id))
    from dataclasses import replace

    forged = replace(b, attribution="Someone Else")
    r = Resolver(seed_archive).resolve(forged)
    assert r.status == CHANGED and "Peter Burian" in r.reason


def test_store_file_passes_verification_after_use(seed_archive, store):
    for q in seed_archive.quotes():
        store.add(make_bookmark(seed_archive, quote_id=q.id, note="x" * 500))
    assert verify(store.path) == len(seed_archive.quotes())


def test_core_does_not_import_qt():
    code = ("import sys, viewer.core.bookmarks, viewer.core.export, viewer.core.datadir; "
            "sys.exit(1 if any(m.startswith('PySide6') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_bookmark_from_dict_round_trip(seed_archive, store):
    from dataclasses import replace

    from viewer.core.bookmark_file import bookmark_from_dict
    from viewer.core.bookmarks import ImportFailed

    b = store.add(make_bookmark(seed_archive, quote_id=22, note="n\nm", tags=["a", "b"], colour="purple"))
    assert bookmark_from_dict(b.to_dict()) == replace(b, id=None)  # the store gives the id
    bad = b.to_dict() | {"end": b.end + 1}
    with pytest.raises(ImportFailed, match="length"):
        bookmark_from_dict(bad)
    assert isinstance(b, Bookmark)


def test_bookmarks_saved_before_they_said_what_their_words_are_read_as_they_were_meant(seed_archive, tmp_path):
    """A store of an earlier version: no ``words`` column, a paraphrase marked in the speaker field."""
    import sqlite3

    from viewer.core.bookmarks import OK, resolve_all

    p = seed_archive.passages(1)[5]
    q = _quote(seed_archive, "Democracy building")
    with BookmarkStore.open(tmp_path / "old") as old:
        para = old.add(make_bookmark(seed_archive, passage_id=p.id, start=0, end=40))
        quote = old.add(make_bookmark(seed_archive, quote_id=q.id))
    db = sqlite3.connect(tmp_path / "old" / "bookmarks.db")
    db.execute("UPDATE bookmarks SET attribution = attribution || ' (paraphrased in the report)' WHERE id = ?",
               (para.id,))
    db.execute("ALTER TABLE bookmarks DROP COLUMN words")
    db.commit()
    db.close()
    with BookmarkStore.open(tmp_path / "old") as store:
        again = store.get(para.id)
        assert (again.words, again.attribution) == ("paraphrase", "Yevgeniy Zhovtis")
        assert store.get(quote.id).words == "quote"
        assert {r.status for r in resolve_all(seed_archive, store.list()).values()} == {OK}  # not "changed"
    db = sqlite3.connect(tmp_path / "old" / "bookmarks.db")
    assert "words" in {r[1] for r in db.execute("PRAGMA table_info(bookmarks)")}
    db.close()


def test_a_bookmark_keeps_the_page_and_the_address_and_cites_them(paged_archive, store):
    doc = paged_archive.document("trial-monitoring-in-aktobe-the-second-session")
    broken = next(p for p in paged_archive.passages(doc.id) if p.page != p.page_end)
    b = store.add(make_bookmark(paged_archive, passage_id=broken.id, start=0, end=20))
    assert (b.page, b.page_end, b.url) == (broken.page, broken.page_end, "")
    assert f"p. {broken.page}–{broken.page_end}, ¶ {broken.seq}" in b.attribution_line()
    assert store.get(b.id) == b
    web = paged_archive.document("court-hears-appeal-of-jailed-almaty-activists")
    p = paged_archive.passages(web.id)[0]
    w = store.add(make_bookmark(paged_archive, passage_id=p.id, start=0, end=12))
    assert w.page is None and w.url == web.url and w.attribution_line().endswith(f"¶ {p.seq}, {web.url}")
    assert "p." not in w.citation().render()


def test_a_store_made_before_pages_gets_them_and_keeps_its_bookmarks(paged_archive, seed_archive, tmp_path):
    path = tmp_path / "old" / STORE_NAME
    with BookmarkStore(path) as s:
        old = s.add(make_bookmark(seed_archive, quote_id=_quote(seed_archive, "Democracy building").id))
    conn = sqlite3.connect(path)
    for column in ("page", "page_end", "url"):  # as an earlier version made it
        conn.execute(f'ALTER TABLE bookmarks DROP COLUMN "{column}"')
    conn.commit()
    conn.close()
    assert verify(path) == 1
    with BookmarkStore(path) as s:
        assert s.get(old.id) == old
        doc = paged_archive.document("trial-monitoring-in-aktobe-the-second-session")
        p = paged_archive.passages(doc.id)[3]
        assert s.add(make_bookmark(paged_archive, passage_id=p.id, start=0, end=5)).page == p.page
