"""Corrections of who said what: written into the user's own archive everywhere the archive says who
spoke (rows, counts, search, statistics, citations), taken back exactly, found again after a rebuild."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from viewer.core.archive import Archive
from viewer.core.citation import cite_quote, cite_selection
from viewer.core.corrections import (
    APPLIED,
    MISSING,
    NARRATION,
    NOT_FOUND,
    PENDING,
    UNKNOWN,
    CorrectionStore,
    make_correction,
    resolve_all,
)
from viewer.core.datadir import user_archive_path
from viewer.core.db import ArchiveError
from viewer.core.reattribution import SpeakerAmbiguous, clear_correction, reapply, set_correction
from viewer.core.records import CORRECTED, CORRECTED_NARRATION, CORRECTED_UNKNOWN
from viewer.core.search import Search, SearchOptions
from viewer.core.stats import Statistics
from viewer.core.stats_rebuild import rebuild_stats
from viewer.core.stats_records import Scope
from viewer.core.stats_writer import STATS_TABLES

TABLES = ["documents", "speakers", "document_speakers", "passages", "quotes", "entities", "mentions", *STATS_TABLES]


def dump(path: Path) -> dict[str, list]:
    """Every row of the archive's tables and of its full-text indexes, in a comparable form."""
    conn = sqlite3.connect(path)
    try:
        out = {t: sorted(map(repr, conn.execute(f"SELECT * FROM [{t}]"))) for t in TABLES}
        for table in ("passages", "quotes"):
            out[f"{table}_fts"] = sorted(
                map(
                    repr,
                    conn.execute(
                        f"SELECT rowid, text, search_text FROM [{table}_fts] "
                        f"WHERE [{table}_fts] MATCH 'anna OR zhovtis OR burian OR newperson OR jardemalie'"
                    ),
                )
            )
        return out
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"  # the autouse fixture points $ARCHIVE_VIEWER_DATA_DIR here


@pytest.fixture
def store(data_dir):
    with CorrectionStore.open(data_dir) as s:
        yield s


@pytest.fixture
def own(bundled, data_dir) -> Path:
    """The user's own archive: a copy of the bundled one."""
    path = user_archive_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(bundled, path)
    return path


def correct(path: Path, store: CorrectionStore, **kwargs):
    with Archive(path) as archive:
        return set_correction(archive, store, make_correction(archive, **kwargs))


def quote_with(archive: Archive, words: str):
    return next(q for q in archive.quotes(kinds=None) if q.text.startswith(words))


# ------------------------------------------------------------------------------ where corrections go


def test_the_first_correction_makes_the_users_own_archive_and_leaves_the_bundled_one(bundled, data_dir, store):
    before = digest(bundled)
    with Archive(bundled) as a:
        q = quote_with(a, "nothing has been done")
        assert q.speaker_name == "Anna Shukeyeva"
        change = set_correction(a, store, make_correction(a, quote_id=q.id, speaker="Peter Burian", note="video"))
    own = user_archive_path(data_dir)
    assert change.outcome.archive == str(own) and change.outcome.copied_from == str(bundled)
    assert digest(bundled) == before
    with Archive(own) as a:
        q = a.quote(q.id)
        assert q.speaker_name == "Peter Burian" and q.rule == CORRECTED and q.corrected
    saved = store.list()
    assert [(c.speaker, c.note, c.was) for c in saved] == [("Peter Burian", "video", "Anna Shukeyeva")]
    assert [p.status for p in resolve_all(Archive(own), saved).values()] == [APPLIED]


def test_a_correction_on_the_bundled_archive_goes_into_the_users_own_when_it_exists(bundled, own, store):
    before = digest(bundled)
    with Archive(bundled) as a:
        q = quote_with(a, "nothing has been done")
        change = set_correction(a, store, make_correction(a, quote_id=q.id, decision=UNKNOWN))
    assert change.outcome.archive == str(own) and change.outcome.copied_from is None
    assert digest(bundled) == before
    with Archive(own) as a:
        assert a.quote(q.id).speaker_id is None


# ------------------------------------------------------------------------------ used everywhere


def test_a_quote_given_to_another_speaker_counts_for_them_everywhere(own, store):
    with Archive(own) as a:
        q = quote_with(a, "nothing has been done")
        anna, peter = a.find_speakers("Shukeyeva")[0], a.find_speakers("Burian")[0]
        hits_before = Search(a).run("nothing has been done", SearchOptions(speakers=(peter.id,))).total
    correct(own, store, quote_id=q.id, speaker="burian")  # a surname in any case is the speaker it names
    with Archive(own) as a:
        now = {s.name: s for s in a.speakers()}
        assert now["Anna Shukeyeva"].quotes == anna.quotes - 1 and now["Peter Burian"].quotes == peter.quotes + 1
        doc = {s.name: s.quotes for s in a.speakers(q.document_id)}
        assert doc["Peter Burian"] == peter.quotes + 1
        assert q.id in [x.id for x in a.quotes(speaker_id=peter.id)]  # the profile's quotes
        assert q.id not in [x.id for x in a.quotes(speaker_id=anna.id)]
        search = Search(a)
        found = search.run("nothing has been done", SearchOptions(speakers=(peter.id,), quotes_only=True))
        assert found.total == hits_before + 1 and found.hits[0].id == q.id and found.hits[0].speaker == "Peter Burian"
        assert search.run("nothing has been done", SearchOptions(speakers=(anna.id,), quotes_only=True)).total == 0
        # the speaker's name is indexed with the words: "burian done" finds the quote
        assert q.id in [h.id for h in search.run("burian done", SearchOptions(quotes_only=True)).hits]
        assert cite_quote(a, q.id).speaker == "Peter Burian"
        stats = {s.name: s for s in Statistics(a).speakers(Scope())}
        assert stats["Peter Burian"].quotes == peter.quotes + 1


def test_a_new_name_is_a_new_speaker_with_the_passage(own, store):
    with Archive(own) as a:
        p = next(p for p in a.passages(1) if p.speaker_name == "Yevgeniy Zhovtis")
        zhovtis = a.find_speakers("Zhovtis")[0]
        speakers = len(a.speakers())
    correct(own, store, passage_id=p.id, speaker="Jane Newperson")
    with Archive(own) as a:
        assert len(a.speakers()) == speakers + 1
        jane = a.find_speakers("Jane Newperson")[0]
        assert (jane.passages, jane.words, jane.quotes) == (1, p.words, 0)
        assert a.speaker(zhovtis.id).passages == zhovtis.passages - 1
        passage = a.passage(p.id)
        assert passage.speaker_name == "Jane Newperson" and passage.attribution == CORRECTED
        assert a.passage_ids(speaker_id=jane.id) == [p.id]
        assert p.id in [h.id for h in Search(a).run("newperson").hits]
        # the report's words in her passage are cited as the report's, naming her
        assert "Jane Newperson" in cite_selection(a, p.id, 0, 20).speaker
        stats = Statistics(a)
        assert [s.words for s in stats.speakers(Scope(speaker_id=jane.id))] == [p.words]
        assert stats.terms(Scope(speaker_id=jane.id))


def test_a_name_in_another_script_is_the_same_speaker(own, store):
    with Archive(own) as a:
        q = quote_with(a, "nothing has been done")
    correct(own, store, quote_id=q.id, speaker="Евгений Жовтис")
    with Archive(own) as a:
        assert a.quote(q.id).speaker_name == "Yevgeniy Zhovtis"
    assert store.list()[0].speaker == "Yevgeniy Zhovtis"


def test_a_name_that_may_be_a_speaker_saves_nothing_unless_it_is_said_to_be_new(own, store):
    with Archive(own) as a:
        q = quote_with(a, "nothing has been done")
        with pytest.raises(SpeakerAmbiguous, match="Anna Shukeyeva"):
            set_correction(a, store, make_correction(a, quote_id=q.id, speaker="A. Shukeyeva"))
        assert store.count() == 0
        set_correction(a, store, make_correction(a, quote_id=q.id, speaker="A. Shukeyeva", new_speaker=True))
    with Archive(own) as a:
        assert a.quote(q.id).speaker_name == "A. Shukeyeva"
        assert len(a.find_speakers("A. Shukeyeva")) == 1


def test_narration_and_unknown(own, store):
    with Archive(own) as a:
        q1 = quote_with(a, "nothing has been done")
        q2 = next(q for q in a.quotes() if q.speaker_name == "Bota Jardemalie")
        p = next(p for p in a.passages(1) if p.speaker_name == "Peter Burian")
        quotes = len(a.quotes())
    correct(own, store, quote_id=q1.id, decision=NARRATION)
    correct(own, store, quote_id=q2.id, decision=UNKNOWN, note="two people spoke")
    correct(own, store, passage_id=p.id, decision=NARRATION)
    with Archive(own) as a:
        # nobody's words: no longer a quote anywhere
        assert len(a.quotes()) == quotes - 1 and a.quote(q1.id).kind == "term"
        assert a.quote(q1.id).rule == CORRECTED_NARRATION
        unknown = a.quote(q2.id)
        assert unknown.kind == "quote" and not unknown.attributed and unknown.rule == CORRECTED_UNKNOWN
        assert cite_quote(a, q2.id).speaker == ""
        passage = a.passage(p.id)
        assert passage.speaker_id is None and passage.attribution == CORRECTED_NARRATION
    assert {p.status for p in resolve_all(Archive(own), store.list()).values()} == {APPLIED}


def test_a_quoted_term_given_a_speaker_becomes_their_quote(own, store):
    with Archive(own) as a:
        term = next(q for q in a.quotes(kinds=None) if q.kind != "quote")
        quotes = len(a.quotes())
    correct(own, store, quote_id=term.id, speaker="Bota Jardemalie")
    with Archive(own) as a:
        q = a.quote(term.id)
        assert q.kind == "quote" and q.speaker_name == "Bota Jardemalie" and len(a.quotes()) == quotes + 1


def test_quotes_inside_a_corrected_quote_are_relayed_by_its_new_speaker(make_archive, data_dir, store):
    text = (
        "Notes\n\nIrena Sokol, a teacher, spoke about the school. “The director told us: ‘We close on "
        "Friday’ and left,” Sokol said.\n"
    )
    path = make_archive({"notes.txt": text})
    own = user_archive_path(data_dir)
    own.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, own)
    with Archive(own) as a:
        outer = quote_with(a, "The director")
        inner = quote_with(a, "We close")
        assert inner.quoted_by_name == "Irena Sokol"
    correct(own, store, quote_id=outer.id, speaker="Pavel Dunin")
    with Archive(own) as a:
        assert a.quote(inner.id).quoted_by_name == "Pavel Dunin"
        assert a.find_speakers("Irena Sokol")[0].quotes == 0


# ------------------------------------------------------------------------------ taken back, exactly


def test_clearing_corrections_puts_the_archive_back_exactly(own, store):
    original = dump(own)
    with Archive(own) as a:
        quotes = a.quotes(kinds=None)
        passages = a.passages(1)
        term = next(q for q in quotes if q.kind != "quote")
    for kwargs in (
        dict(quote_id=quotes[2].id, speaker="Jane Newperson"),
        dict(quote_id=quotes[5].id, decision=NARRATION),
        dict(quote_id=quotes[7].id, decision=UNKNOWN),
        dict(passage_id=passages[5].id, speaker="Peter Burian"),
        dict(passage_id=passages[9].id, decision=NARRATION),
        dict(quote_id=term.id, speaker="Anna Shukeyeva"),
        dict(passage_id=passages[12].id, speaker="Jane Newperson"),
    ):
        correct(own, store, **kwargs)
    assert dump(own) != original
    with Archive(own) as a:
        assert a.find_speakers("Jane Newperson")
    for c in store.list():
        change = clear_correction(own, store, c.id)
        assert change.outcome.cleared == [c]
    assert store.count() == 0
    assert dump(own) == original


def test_statistics_after_corrections_are_those_of_a_rebuild_from_scratch(own, store, tmp_path):
    with Archive(own) as a:
        quotes, passages = a.quotes(), a.passages(1)
    for kwargs in (
        dict(quote_id=quotes[2].id, speaker="Jane Newperson"),
        dict(passage_id=passages[5].id, speaker="Peter Burian"),
        dict(passage_id=passages[9].id, decision=NARRATION),
        dict(passage_id=passages[12].id, speaker="Jane Newperson"),
    ):
        correct(own, store, **kwargs)
    scratch = tmp_path / "scratch.db"
    shutil.copyfile(own, scratch)
    conn = sqlite3.connect(scratch)
    rebuild_stats(conn)
    conn.commit()
    conn.close()
    assert stats_of(own) == stats_of(scratch)


def stats_of(path: Path) -> dict:
    """The statistics tables with terms by key (ids may differ between two ways of writing them)."""
    conn = sqlite3.connect(path)
    try:
        keys = dict(conn.execute("SELECT id, key FROM terms"))
        out = {
            t: sorted(map(repr, conn.execute(f"SELECT * FROM [{t}]")))
            for t in STATS_TABLES
            if t not in ("terms", "term_forms", "speaker_terms", "figures")
        }
        out["terms"] = sorted(conn.execute("SELECT key, label, count FROM terms"))
        out["term_forms"] = sorted((keys[i], f, n) for i, f, n in conn.execute("SELECT * FROM term_forms"))
        out["speaker_terms"] = sorted((sid, keys[i], n) for sid, i, n in conn.execute("SELECT * FROM speaker_terms"))
        out["figures"] = sorted(conn.execute('SELECT passage_id, speaker_id, start, "end", value FROM figures'))
        return out
    finally:
        conn.close()


def test_correcting_the_same_words_again_replaces_the_correction(own, store):
    with Archive(own) as a:
        q = quote_with(a, "nothing has been done")
    first = correct(own, store, quote_id=q.id, speaker="Peter Burian").correction
    second = correct(own, store, quote_id=q.id, speaker="Luca Anceschi", note="second look").correction
    assert store.count() == 1
    assert (second.id, second.uid, second.created) == (first.id, first.uid, first.created)
    assert second.was == "Anna Shukeyeva" and second.before_values()["speaker"] == "Anna Shukeyeva"
    clear_correction(own, store, second.id)
    with Archive(own) as a:
        assert a.quote(q.id).speaker_name == "Anna Shukeyeva" and a.quote(q.id).rule == "cue"


def test_an_archive_that_cannot_be_written_leaves_the_store_as_it_was(own, store):
    with Archive(own) as a:
        q = quote_with(a, "nothing has been done")
    correct(own, store, quote_id=q.id, speaker="Peter Burian")
    saved = store.list()
    own.chmod(0o444)
    try:
        with Archive(own) as a, pytest.raises(ArchiveError, match="read-only; nothing was changed"):
            set_correction(a, store, make_correction(a, quote_id=q.id, speaker="Luca Anceschi"))
        assert store.list() == saved
        with pytest.raises(ArchiveError):
            clear_correction(own, store, saved[0].id)
        assert store.list() == saved
    finally:
        own.chmod(0o644)


def test_bad_corrections_are_refused(own, store):
    with Archive(own) as a:
        with pytest.raises(ValueError, match="no quote 99999"):
            make_correction(a, quote_id=99999, speaker="X")
        with pytest.raises(ValueError, match="speaker's name"):
            make_correction(a, passage_id=1, speaker="  \u200b ")
        with pytest.raises(ValueError, match="at most"):
            make_correction(a, passage_id=1, speaker="x" * 500)
        assert make_correction(a, passage_id=1, speaker="Jane\x00 \u202eDoe").speaker == "Jane Doe"


# ------------------------------------------------------------------------------ anchored to the words

INTRO = "On 2 June 2022, teachers met in Kyzylorda to talk about the closed schools."
IRENA = "Irena Sokol, a teacher from the village of Aral, spoke first. “We teach in a kitchen now,” Sokol said."
PAVEL = "Pavel Dunin, a farmer, said the road had been cut. “The bus stopped in May,” Dunin said."
CLOSING = "The meeting ended with a letter to the regional office."
V1 = "\n\n".join(["Teachers' meeting", INTRO, IRENA, PAVEL, CLOSING]) + "\n"
V2 = (
    "\n\n".join(
        [
            "Teachers' meeting",
            "This report was updated on 5 June 2022.",
            INTRO,
            IRENA,
            PAVEL.replace("The bus stopped in May", "The bus stopped in April"),
            CLOSING,
        ]
    )
    + "\n"
)


def test_corrections_find_their_words_after_a_rebuild(make_archive, data_dir, store):
    a1 = make_archive({"meeting.txt": V1})
    own = user_archive_path(data_dir)
    own.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(a1, own)
    with Archive(own) as a:
        irena = quote_with(a, "We teach")
        pavel = quote_with(a, "The bus")
        closing = next(p for p in a.passages(1) if p.text == CLOSING)
    correct(own, store, quote_id=irena.id, speaker="Pavel Dunin")
    correct(own, store, quote_id=pavel.id, decision=UNKNOWN)
    correct(own, store, passage_id=closing.id, speaker="Irena Sokol")
    # the archive is rebuilt from edited sources: another document first, a paragraph added, a quote reworded
    rebuilt = make_archive(
        {"aaa.txt": "Other notes\n\nMira Lenz, a nurse, spoke. “The clinic is shut,” she said.\n", "meeting.txt": V2}
    )
    shutil.copyfile(rebuilt, own)
    irena_c, pavel_c, closing_c = store.list()
    with Archive(own) as a:
        places = resolve_all(a, store.list())
        assert places[irena_c.id].status == PENDING and places[closing_c.id].status == PENDING
        assert a.quote(places[irena_c.id].quote_id).text == irena.text
        assert a.passage(places[irena_c.id].passage_id).seq == irena_c.paragraph + 1
        assert places[pavel_c.id].status == NOT_FOUND
    outcome = reapply(own, store)
    assert [c.id for c in outcome.written] == [irena_c.id, closing_c.id]
    assert [c.id for c, _p in outcome.not_found] == [pavel_c.id]
    with Archive(own) as a:
        places = resolve_all(a, store.list())
        assert [places[c.id].status for c in (irena_c, pavel_c, closing_c)] == [APPLIED, NOT_FOUND, APPLIED]
        assert a.quote(places[irena_c.id].quote_id).speaker_name == "Pavel Dunin"
        assert a.passage(places[closing_c.id].passage_id).speaker_name == "Irena Sokol"
    assert reapply(own, store).written == []  # applied once
    # in an archive without the document the corrections are shown as such
    with Archive(make_archive({"aaa.txt": "Other notes\n\nMira Lenz spoke.\n"})) as other:
        assert {p.status for p in resolve_all(other, store.list()).values()} == {MISSING}


def test_clearing_a_correction_after_a_rebuild_puts_back_what_the_rebuilt_text_says(make_archive, data_dir, store):
    own = user_archive_path(data_dir)
    own.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(make_archive({"meeting.txt": V1}), own)
    with Archive(own) as a:
        irena = quote_with(a, "We teach")
    correct(own, store, quote_id=irena.id, speaker="Pavel Dunin")
    shutil.copyfile(make_archive({"meeting.txt": V2}), own)
    reapply(own, store)
    clear_correction(own, store, store.list()[0].id)
    with Archive(own) as a:
        assert quote_with(a, "We teach").speaker_name == "Irena Sokol"


@pytest.mark.parametrize("remade", [True, False])
def test_the_searchs_top_k_lists_never_rank_a_corrected_row_by_its_old_speaker(own, store, monkeypatch, remade):
    from viewer.core import correction_writer
    from viewer.core.topk import build_topk

    conn = sqlite3.connect(own)
    build_topk(conn, min_df=2)  # lists even for the words of a small archive
    conn.commit()
    conn.close()
    if not remade:  # a big archive: the lists are set aside, the search ranks with FTS5 alone
        monkeypatch.setattr(correction_writer, "TOPK_REBUILD_MAX_PASSAGES", 0)
    with Archive(own) as a:
        p = next(p for p in a.passages(1) if p.speaker_name == "Yevgeniy Zhovtis" and "Zhovtis" not in p.text)
        assert p.id in [h.id for h in Search(a).run("zhovtis", SearchOptions(limit=100)).hits]
    correct(own, store, passage_id=p.id, speaker="Jane Newperson")
    with Archive(own) as a:
        assert p.id not in [h.id for h in Search(a).run("zhovtis", SearchOptions(limit=100)).hits]
        assert p.id in [h.id for h in Search(a).run("newperson").hits]
        tables = {r[0] for r in a.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert ("passages_topk" in tables) == remade


def test_bookmarks_of_corrected_words_follow_the_correction_into_citations_and_exports(own, store, data_dir):
    from viewer.core.bookmark_anchoring import make_bookmark
    from viewer.core.bookmark_anchoring import resolve_all as resolve_bookmarks
    from viewer.core.bookmark_records import CHANGED, OK
    from viewer.core.bookmarks import BookmarkStore
    from viewer.core.export import render_export
    from viewer.core.reattribution import places_of

    with Archive(own) as a, BookmarkStore.open(data_dir) as bookmarks:
        q = quote_with(a, "nothing has been done")
        other = next(x for x in a.quotes() if x.speaker_name == "Bota Jardemalie")
        mine = bookmarks.add(make_bookmark(a, quote_id=q.id, note="key quote"))
        inside = bookmarks.add(make_bookmark(a, passage_id=q.passage_id, start=q.start, end=q.start + 7))
        kept = bookmarks.add(make_bookmark(a, quote_id=other.id))
    change = correct(own, store, quote_id=q.id, speaker="Peter Burian")
    with Archive(own) as a, BookmarkStore.open(data_dir) as bookmarks:
        assert resolve_bookmarks(a, [bookmarks.get(mine.id)])[mine.id].status == CHANGED
        followed = bookmarks.follow_corrections(a, places_of(a, [change.correction]))
        assert sorted(b.id for b in followed) == [mine.id, inside.id]
        now = {b.id: b for b in bookmarks.list()}
        assert now[mine.id].attribution == "Peter Burian" and now[mine.id].note == "key quote"
        assert now[kept.id] == kept
        assert {r.status for r in resolve_bookmarks(a, bookmarks.list()).values()} == {OK}
        exported = render_export("txt", [now[mine.id]]).decode()
        assert "“nothing has been done” (Peter Burian," in exported and "Shukeyeva" not in exported


def test_a_speaker_left_with_nothing_is_no_longer_listed_and_comes_back_as_they_were(own, store):
    with Archive(own) as a:
        luca = a.find_speakers("Anceschi")[0]
        doc = a.document(1)
        roles = a.event_roles_in(doc.id)
        mine = [p.id for p in a.passages(doc.id) if p.speaker_id == luca.id]
        said = [q.id for q in a.quotes() if q.speaker_id == luca.id]
        before = a.summary().speakers
    for pid in mine:
        correct(own, store, passage_id=pid, speaker="Peter Burian")
    for qid in said:
        correct(own, store, quote_id=qid, speaker="Peter Burian")
    with Archive(own) as a:
        assert "Luca Anceschi" not in [s.name for s in a.speakers()] + [s.name for s in a.speakers(doc.id)]
        assert a.summary().speakers == before - 1
        assert a.find_speakers("Anceschi") == []
    for c in store.list():
        clear_correction(own, store, c.id)
    with Archive(own) as a:
        back = a.find_speakers("Anceschi")[0]
        assert (back.id, back.passages, back.quotes, back.affiliation) == (
            luca.id,
            luca.passages,
            luca.quotes,
            luca.affiliation,
        )
        assert a.event_roles_in(doc.id)[luca.id] == roles[luca.id] and a.summary().speakers == before


def test_the_words_inside_a_corrected_quote_come_back_as_relayed_by_whom_they_were(make_archive, data_dir, store):
    text = (
        "Notes\n\nIrena Sokol, a teacher, spoke about the school. “The director told us: ‘We close on "
        "Friday’ and left,” Sokol said.\n"
    )
    own = user_archive_path(data_dir)
    own.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(make_archive({"notes.txt": text}), own)
    original = dump(own)
    with Archive(own) as a:
        outer = quote_with(a, "The director")
    correct(own, store, quote_id=outer.id, decision=UNKNOWN)
    with Archive(own) as a:
        assert quote_with(a, "We close").quoted_by is None  # nobody known relays them now
    clear_correction(own, store, store.list()[0].id)
    assert dump(own) == original


def test_a_bookmark_of_a_passage_made_narration_is_cited_as_the_reports_own_words(own, store, data_dir):
    from viewer.core.bookmark_anchoring import make_bookmark
    from viewer.core.bookmarks import BookmarkStore
    from viewer.core.citation import NARRATION as NARRATION_WORDS
    from viewer.core.citation import PARAPHRASE
    from viewer.core.export import render_export
    from viewer.core.reattribution import places_of

    with Archive(own) as a, BookmarkStore.open(data_dir) as bookmarks:
        p = next(p for p in a.passages(1) if p.speaker_name == "Peter Burian")
        first_quote = min((q.start for q in a.quotes(passage_id=p.id, kinds=None)), default=len(p.text))
        end = p.text.rfind(" ", 0, min(first_quote, 60))
        saved = bookmarks.add(make_bookmark(a, passage_id=p.id, start=0, end=end))
        assert saved.words == PARAPHRASE and saved.speaker == "Peter Burian"
    change = correct(own, store, passage_id=p.id, decision=NARRATION)
    with Archive(own) as a, BookmarkStore.open(data_dir) as bookmarks:
        [followed] = bookmarks.follow_corrections(a, places_of(a, [change.correction]))
        assert followed.words == NARRATION_WORDS and followed.speaker == ""
        cited = render_export("txt", [followed]).decode()
        assert "paraphrasing" not in cited and "“The second speaker" not in cited  # the report's own words
        assert ",,narration," in render_export("csv", [followed]).decode()  # no speaker, narration
