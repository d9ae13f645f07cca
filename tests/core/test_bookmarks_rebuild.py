"""Bookmarks survive a rebuilt archive: found again by their words, never silently on other words."""

from __future__ import annotations

import pytest

from viewer.core.archive import Archive
from viewer.core.bookmark_anchoring import make_bookmark, resolve_all
from viewer.core.bookmark_records import CHANGED, MISSING, MOVED, OK, UNRESOLVED
from viewer.core.bookmarks import BookmarkStore

INTRO = "On 1 May 2020, activists met online to discuss press freedom."
JANE = (
    "The first speaker, Jane Doe, Director of the Example Foundation, opened the meeting. "
    "“We will not stop here, whatever they do to us” she said."
)
JOHN = (
    "John Roe, a journalist from Almaty, described the pressure on reporters. "
    "“The press is not free in this country” he noted."
)
CLOSING = "The meeting closed with a call for solidarity with detained reporters."

V1 = "\n".join([INTRO, JANE, JOHN, CLOSING]) + "\n"
# v2: a paragraph added at the top (every ¶ moves down), John's quote reworded, the closing kept
V2 = (
    "\n".join(
        [
            "This report was updated on 3 May 2020.",
            INTRO,
            JANE,
            JOHN.replace("The press is not free in this country", "The press is still not free here"),
            CLOSING,
        ]
    )
    + "\n"
)
OTHER = "Alex Poe, a lawyer from Astana, spoke briefly. “Nothing has changed since then” he said.\n"


@pytest.fixture
def archives(make_archive):
    a1 = make_archive({"one.txt": V1})
    # rebuilt from edited sources, with another document before it: every id changes
    a2 = make_archive({"aaa-other.txt": OTHER, "one.txt": V2})
    with Archive(a1) as x1, Archive(a2) as x2:
        yield x1, x2


def test_bookmarks_map_back_after_a_rebuild(archives, tmp_path):
    a1, a2 = archives
    store = BookmarkStore.open(tmp_path / "data")
    jane_q = next(q for q in a1.quotes() if q.text.startswith("We will not stop"))
    john_q = next(q for q in a1.quotes() if q.text.startswith("The press"))
    closing = next(p for p in a1.passages(1) if p.text == CLOSING)
    jane = store.add(make_bookmark(a1, quote_id=jane_q.id, note="keep"))
    john = store.add(make_bookmark(a1, quote_id=john_q.id))
    sel = store.add(
        make_bookmark(
            a1, passage_id=closing.id, start=closing.text.index("solidarity"), end=closing.text.index(" with detained")
        )
    )

    before = resolve_all(a1, store.list())
    assert {r.status for r in before.values()} == {OK}

    after = resolve_all(a2, store.list())
    # Jane's words are one ¶ further down, with new ids, still Jane's
    r = after[jane.id]
    assert r.status == MOVED and r.found
    assert r.quote_id != jane_q.id and r.passage_id != jane_q.passage_id
    new_q = a2.quote(r.quote_id)
    assert new_q.text == jane.text and new_q.speaker_name == "Jane Doe"
    assert a2.passage(r.passage_id).text[r.start : r.end] == jane.text
    # the selection in the closing paragraph too
    r = after[sel.id]
    assert r.status == MOVED and a2.passage(r.passage_id).text[r.start : r.end] == "solidarity"
    # John's words changed: shown as changed, with the snapshot, never on the new words
    r = after[john.id]
    assert r.status == CHANGED and not r.found and r.start is None and r.quote_id is None
    assert store.get(john.id).text == "The press is not free in this country"
    # the reader draws only bookmarks that are where they were
    jane_pid = after[jane.id].passage_id
    assert [s.bookmark_id for s in store.for_passage(a2, jane_pid)] == [jane.id]
    john_pid = next(p.id for p in a2.passages(a2.document("one").id) if p.text.startswith("John Roe"))
    assert store.for_passage(a2, john_pid) == []
    store.close()


def test_words_moved_to_another_speaker_are_not_followed(make_archive, tmp_path):
    said = "“We will not stop here, whatever they do to us” she said."
    v1 = f"{INTRO}\nThe first speaker, Jane Doe, Director of the Example Foundation, spoke. {said}\n"
    v2 = f"{INTRO}\nThe first speaker, Mary Major, head of the Other Foundation, spoke. {said}\n"
    with Archive(make_archive({"one.txt": v1})) as a1, Archive(make_archive({"one.txt": v2})) as a2:
        store = BookmarkStore.open(tmp_path / "data")
        q = a1.quotes()[0]
        b = store.add(make_bookmark(a1, quote_id=q.id))
        assert b.attribution == "Jane Doe"
        r = resolve_all(a2, [b])[b.id]
        assert r.status == CHANGED and "Mary Major" in r.reason
        store.close()


def test_a_bookmark_of_a_document_not_in_the_archive_is_missing(archives, make_archive, tmp_path):
    a1, _ = archives
    store = BookmarkStore.open(tmp_path / "data")
    b = store.add(make_bookmark(a1, quote_id=a1.quotes()[0].id))
    with Archive(make_archive({"elsewhere.txt": OTHER})) as a3:
        r = resolve_all(a3, [b])[b.id]
    assert r.status == MISSING and r.passage_id is None
    assert resolve_all(None, [b])[b.id].status == UNRESOLVED
    store.close()
