"""Search on the seed archive: relevance, variants, filters, order, snippets, highlights, pages,
two-step answers, time budget and cancellation."""

from __future__ import annotations

import hashlib
import threading

import pytest

from viewer.core.archive import Archive
from viewer.core.db import QueryInterrupted, QueryTimeout
from viewer.core.query import EMPTY_HINT
from viewer.core.search import (
    NO_RESULTS_HINT,
    TIMEOUT_MESSAGE,
    Search,
    SearchOptions,
    Snippet,
    make_snippet,
    parse_date_bound,
    search,
)
from viewer.core.text import fold


@pytest.fixture
def searcher(seed_archive):
    return Search(seed_archive)


def first_words(hit, n=5):
    return " ".join(hit.text.split()[:n])


def marked(searcher, hit) -> list[str]:
    """The words a hit highlights, in its passage's text."""
    text = searcher.archive.passage(hit.passage_id).text
    return [text[s:e] for s, e in hit.highlights]


# ---------------------------------------------------------------------------- relevance


def test_sanctions_puts_peoples_own_words_first(searcher):
    result = searcher.run("sanctions")
    # 17 matches in 13 places: four quotes and their passages are one row each
    assert result.total == 13 and result.variants == () and result.exact
    assert first_words(result.hits[0]) == "sanctions would be a very"
    assert result.hits[0].kind == "quote" and result.hits[0].speaker == "Bota Jardemalie"
    # the four direct quotes with the word come before any passage
    assert [h.kind for h in result.hits[:4]] == ["quote"] * 4
    assert {h.speaker for h in result.hits[:4]} == {
        "Bota Jardemalie",
        "Peter Burian",
        "Anna Shukeyeva",
        "Rosalba Castelletti",
    }
    assert all(h.kind == "passage" for h in result.hits[4:])


def test_a_phrase_matches_only_the_words_in_order(searcher):
    result = searcher.run('"political prisoners"')
    assert result.total == 4  # a quote and its passage: one place
    top = result.hits[0]
    assert top.kind == "quote" and top.text == "Their members and supporters dominate the list of political prisoners"
    assert top.speaker == "Petras Auštrevičius"
    for hit in result.hits:
        assert "political prisoners" in fold(hit.text)
        assert [fold(w) for w in marked(searcher, hit)] == ["political prisoners"] * len(hit.highlights)
    assert searcher.run('"prisoners political"').total == 0


def test_a_match_in_the_speakers_name_counts_more(searcher):
    ranked = [(h.kind, h.passage_id) for h in searcher.run("Zhovtis").hits]
    # ¶ 7 is Zhovtis speaking without his name in the text; ¶ 5 is Kozlovska naming him
    assert ranked.index(("passage", 7)) < ranked.index(("passage", 5))
    assert ranked[0] == ("quote", 6)


def test_ties_are_in_document_order(searcher):
    hits = searcher.run("Magnitsky").hits
    tied = [h for h in hits if h.score == hits[-1].score]
    assert len(tied) >= 2 and [h.passage_id for h in tied] == sorted(h.passage_id for h in tied)


def test_words_must_all_match_or_either_with_or(searcher):
    both = searcher.run("Auštrevičius corruption")
    assert {h.passage_id for h in both.hits} == {3, 21}
    either = searcher.run("Magnitsky OR Lukashenko")
    assert {h.passage_id for h in either.hits} == {12, 32, 33, 34}
    without = searcher.run("Magnitsky -Italian")
    assert {h.passage_id for h in without.hits} == {32, 33}
    grouped = searcher.run("sanctions (Magnitsky OR Lukashenko)")
    assert {h.passage_id for h in grouped.hits} == {32, 33}


def test_prefix(searcher):
    result = searcher.run("Kazakhstan*", SearchOptions(limit=200))
    words = {fold(w) for h in result.hits for w in marked(searcher, h)}
    assert words == {"kazakhstan", "kazakhstani"}


# ---------------------------------------------------------------------------- spellings on the seed


@pytest.mark.parametrize("query", ["Austrevicius", "AUŠTREVIČIUS", "auštrevičius", "Аустрявичюс"])
def test_any_case_and_diacritics_find_austrevicius(searcher, query):
    result = searcher.run(query)
    assert {h.passage_id for h in result.hits} >= {1, 2, 3, 21, 22}


@pytest.mark.parametrize(
    "query, name",
    [
        ("Назарбаев", "Nazarbayev"),
        ("Токаев", "Tokayev"),
        ("Жовтис", "Zhovtis"),
        ("Nazarbaev", "Nazarbayev"),
        ("Tokaev", "Tokayev"),
        ("Jovtis", "Zhovtis"),
        ("Castelleti", "Castelletti"),
        ("Evgeny", "Yevgeniy"),
    ],
)
def test_other_spellings_find_the_names_in_the_report(searcher, query, name):
    result = searcher.run(query)
    assert name in result.variants
    highlighted = {w for h in result.hits for w in marked(searcher, h)}
    assert name in highlighted


def test_a_typo_in_the_source_is_found_and_finds_the_right_name(searcher):
    result = searcher.run("Nazabaryev")
    assert result.variants == ("Nazarbayev",)
    hit = next(h for h in result.hits if h.passage_id == 11)
    assert {"Nazabaryev", "Nazarbayev"} <= set(marked(searcher, hit))


def test_common_words_are_not_widened(searcher):
    assert searcher.run("Kazakhstan").variants == ()
    assert searcher.run("sanction").variants == ("sanctions",)


def test_apostrophes_and_quotes_are_equal(searcher):
    straight = searcher.run("doesn't")
    curly = searcher.run("doesn’t")
    assert [h.key for h in straight.hits] == [h.key for h in curly.hits] and straight.total == 1  # one place
    assert all(w == "doesn’t" for h in straight.hits for w in marked(searcher, h))


def test_exact_diacritics(searcher):
    plain = searcher.run("Austrevicius", SearchOptions(exact_diacritics=True))
    assert [(h.kind, h.passage_id) for h in plain.hits] == [("passage", 22)]
    marked = searcher.run("Auštrevičius", SearchOptions(exact_diacritics=True, order="document"))
    assert 22 not in {h.passage_id for h in marked.hits}
    assert {h.passage_id for h in marked.hits} >= {1, 2, 3, 21}


# ---------------------------------------------------------------------------- filters and order


def test_quotes_only(searcher):
    result = searcher.run("sanctions", SearchOptions(quotes_only=True))
    assert result.total == 4 and all(h.kind == "quote" for h in result.hits)


def test_speaker_filter(searcher, seed_archive):
    castelletti = seed_archive.find_speakers("Castelletti")[0]
    result = searcher.run("sanctions", SearchOptions(speakers=(castelletti.id,)))
    assert result.total == 2 and {h.speaker for h in result.hits} == {"Rosalba Castelletti"}
    burian = seed_archive.find_speakers("Burian")[0]
    both = searcher.run("sanctions", SearchOptions(speakers=(castelletti.id, burian.id)))
    assert {h.speaker for h in both.hits} == {"Rosalba Castelletti", "Peter Burian"}


def test_relayed_quote_counts_for_who_relayed_it_but_names_who_said_it(searcher, seed_archive):
    castelletti = seed_archive.find_speakers("Castelletti")[0]
    result = searcher.run('"prison called Kazakhstan"', SearchOptions(speakers=(castelletti.id,), quotes_only=True))
    relayed = next(h for h in result.hits if h.quoted_by)
    assert relayed.speaker == "six brave women who shaved their head"
    assert relayed.quoted_by == "Rosalba Castelletti"


def test_document_collection_and_dates(searcher, seed_archive):
    doc = seed_archive.document("addressing-human-rights-abuses-in-kazakhstan")
    assert searcher.run("sanctions", SearchOptions(documents=(doc.id,))).total == 13
    assert searcher.run("sanctions", SearchOptions(documents=(doc.id + 1,))).total == 0
    assert searcher.run("sanctions", SearchOptions(collection="Events")).total == 13
    assert (
        searcher.run("sanctions", SearchOptions(collection="Personal sanctions against human rights violators")).total
        == 0
    )
    for date_from, date_to, total in [
        ("2021", None, 13),
        ("2021-03", "2021-03", 13),
        ("2021-03-25", "2021-03-25", 13),
        ("2021-03-26", None, 0),
        (None, "2021-03-24", 0),
        (None, "2020", 0),
        ("2020", "2022", 13),
    ]:
        result = searcher.run("sanctions", SearchOptions(date_from=date_from, date_to=date_to))
        assert result.total == total, (date_from, date_to)
    empty = searcher.run("sanctions", SearchOptions(date_from="2030"))
    assert empty.hits == () and empty.hint == NO_RESULTS_HINT


def test_document_order(searcher):
    result = searcher.run("sanctions", SearchOptions(order="document", limit=100))
    keys = [h.passage_id for h in result.hits]
    assert keys == sorted(set(keys)) and result.total == len(result.hits) == 13  # one row per place
    assert all(h.score is None for h in result.hits)


@pytest.mark.parametrize(
    "text, iso",
    [
        ("2021", "2021"),
        ("2021-03", "2021-03"),
        ("2021-03-25", "2021-03-25"),
        ("25 March 2021", "2021-03-25"),
        ("March 2021", "2021-03"),
        ("25.03.2021", "2021-03-25"),
        ("2021-13", None),
        ("soon", None),
        ("", None),
    ],
)
def test_date_bounds(text, iso):
    assert parse_date_bound(text) == iso


# ---------------------------------------------------------------------------- hits, snippets, pages


def test_highlights_are_offsets_in_the_passage_text(searcher, seed_archive):
    for hit in searcher.run("Kazakhstan sanctions", SearchOptions(limit=100)).hits:
        passage = seed_archive.passage(hit.passage_id)
        assert hit.highlights, hit
        for s, e in hit.highlights:
            assert fold(passage.text[s:e]) in ("kazakhstan", "sanctions")
        if hit.kind == "quote":  # the quote's text is where it is in the passage; its snippet marks words in it
            assert passage.text[hit.start : hit.start + len(hit.text)] == hit.text
            assert all(fold(hit.snippet.text[s:e]) in ("kazakhstan", "sanctions") for s, e in hit.snippet.marks)


def test_hit_records_say_where_and_who(searcher):
    hit = searcher.run("Democracy building").hits[0]
    assert (hit.kind, hit.speaker, hit.seq, hit.document, hit.date, hit.date_label) == (
        "quote",
        "Peter Burian",
        4,
        "addressing-human-rights-abuses-in-kazakhstan",
        "2021-03-25",
        "25 March 2021",
    )
    d = hit.to_dict()
    assert {"kind", "id", "document", "speaker", "text", "snippet", "passage_id", "highlights"} <= set(d)
    assert d["snippet"].startswith("**Democracy** **building**")


def test_snippet_cuts_at_spaces_and_marks_the_hits():
    text = " ".join(f"w{i}" for i in range(100)) + " target " + " ".join(f"v{i}" for i in range(100))
    start = text.index("target")
    snippet = make_snippet(text, ((start, start + 6),))
    assert snippet.text.startswith("…w") and snippet.text.endswith("…")
    assert snippet.text[snippet.marks[0][0] : snippet.marks[0][1]] == "target"
    assert "**target**" in snippet.plain()
    assert make_snippet("short", ()).plain() == "short"


def test_snippet_html_escapes_the_text_before_adding_tags():
    snippet = Snippet('<img src="file:///etc/passwd"> & <b>x</b>', ((1, 4),))
    assert snippet.html() == "&lt;<b>img</b> src=&quot;file:///etc/passwd&quot;&gt; &amp; &lt;b&gt;x&lt;/b&gt;"


def test_markup_in_archive_text_stays_text(make_archive):
    path = make_archive(
        {"markup.txt": 'Ana Lopez: The page said <img src="file:///etc/passwd"> and <b>bold</b> things & more.\n'}
    )
    with Archive(path) as archive:
        hit = search(archive, "img").hits[0]
        assert "<img" not in hit.snippet.html() and "&lt;<b>img</b> src=&quot;" in hit.snippet.html()
        assert "<b>bold</b>" not in hit.snippet.html()


def test_pages_continue_the_same_order(searcher):
    whole = searcher.run("Kazakhstan", SearchOptions(limit=30))
    first = searcher.run("Kazakhstan", SearchOptions(limit=10))
    assert first.total == whole.total and first.has_more and len(first.hits) == 10
    second = searcher.page(first.prepared, 10)
    third = searcher.page(first.prepared, 20)
    assert [h.key for h in first.hits + tuple(second) + tuple(third)] == [h.key for h in whole.hits]
    assert searcher.page(first.prepared, whole.total) == []


def test_two_steps_first_page_then_ranked(searcher):
    first, ranked = list(searcher.stages("sanctions", SearchOptions(limit=5)))
    assert first.stage == "first" and first.total is None and len(first.hits) == 5
    assert ranked.stage == "ranked" and ranked.total == 13 and len(ranked.hits) == 5
    everything = {h.key for h in searcher.run("sanctions", SearchOptions(limit=100)).hits}
    assert {h.key for h in first.hits} <= everything
    prepared = searcher.prepare("sanctions", SearchOptions(limit=5))
    assert searcher.first_page(prepared).stage == "first"
    assert [h.key for h in searcher.ranked(prepared).hits] == [h.key for h in ranked.hits]


def test_empty_query_runs_nothing_and_hints(searcher, monkeypatch):
    monkeypatch.setattr(searcher.db, "execute", lambda *a, **k: pytest.fail("no query may run"))
    for text in ("", "   ", '""', "()", "-"):
        result = searcher.run(text)
        assert result.hint == EMPTY_HINT and result.hits == () and result.total is None
    assert list(searcher.stages(" "))[0].hint == EMPTY_HINT


# ---------------------------------------------------------------------------- budget, cancel, read-only


def test_past_the_time_budget_the_user_is_told_to_narrow_the_search(searcher, monkeypatch):
    result = searcher.run("sanctions", SearchOptions(timeout_ms=0))
    assert result.message == TIMEOUT_MESSAGE and result.hits == () and "narrow" in result.message.lower()

    def too_slow(*_a, **_k):
        raise QueryTimeout("This took too long; try a narrower search.", "interrupted")

    monkeypatch.setattr(searcher.db, "execute", too_slow)
    assert searcher.run("sanctions").message == TIMEOUT_MESSAGE
    assert list(searcher.stages("sanctions"))[-1].message == TIMEOUT_MESSAGE
    with pytest.raises(QueryTimeout):
        searcher.page(searcher.prepare("x"), 0)


def test_the_time_budget_interrupts_a_running_query(seed_archive):
    searcher = Search(seed_archive)
    # A query that runs long in SQLite: the connection's progress handler stops it at the deadline.
    prepared = searcher.prepare("Kazakhstan", SearchOptions(timeout_ms=50))
    searcher._start(prepared.options)
    with pytest.raises(QueryTimeout):
        searcher._execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c")


def test_interrupt_cancels_the_search_in_flight(seed_archive):
    searcher = Search(seed_archive)
    started, done = threading.Event(), threading.Event()
    outcome = []

    def work():
        searcher._start(SearchOptions(timeout_ms=10_000))
        started.set()
        try:
            searcher._execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c")
        except QueryInterrupted as e:
            outcome.append(e)
        done.set()

    thread = threading.Thread(target=work)
    thread.start()
    assert started.wait(5)
    while not done.is_set():
        searcher.interrupt()
        done.wait(0.01)
    thread.join(5)
    assert len(outcome) == 1
    assert searcher.run("sanctions").total == 13  # the next search runs normally


def test_interrupt_between_steps(searcher, monkeypatch):
    original = Search._hits

    def interrupted_hits(self, prepared, matches):
        self.interrupt()
        return original(self, prepared, matches)

    monkeypatch.setattr(Search, "_hits", interrupted_hits)
    with pytest.raises(QueryInterrupted):
        searcher.run("sanctions")


def test_search_writes_nothing(seed_archive_path):
    digest = hashlib.sha256(seed_archive_path.read_bytes()).hexdigest()
    before = sorted(p.name for p in seed_archive_path.parent.iterdir())
    with Archive(seed_archive_path) as archive:
        searcher = Search(archive)
        assert searcher.run("Castelleti").variants == ("Castelletti",)  # vocabulary table made
        assert archive.db.execute("PRAGMA query_only")[0][0] == 1
        clone = archive.clone()
        assert Search(clone).run("Nazabaryev").variants == ("Nazarbayev",)
        clone.close()
    assert sorted(p.name for p in seed_archive_path.parent.iterdir()) == before
    assert hashlib.sha256(seed_archive_path.read_bytes()).hexdigest() == digest


def test_search_after_the_archive_was_closed_elsewhere_does_not_crash_interrupt(seed_archive_path):
    archive = Archive(seed_archive_path)
    searcher = Search(archive)
    archive.close()
    searcher.interrupt()  # nothing runs; no error


def test_ids_first_then_read(searcher):
    prepared = searcher.prepare("sanctions", SearchOptions(limit=5))
    matches = searcher.matches(prepared, 17)
    assert len(matches) == 13 and matches[0].kind == "quote"  # 13 places
    hits = searcher.hits(prepared, matches[5:10])
    assert [h.passage_id for h in hits] == [m.passage_id for m in matches[5:10]]
    assert [h.key for h in hits] == [h.key for h in searcher.page(prepared, 5)]


# ---------------------------------------------------------------------------- places, orders, listing a scope


@pytest.mark.parametrize("query", ["sanctions", "Kazakhstan", "political prisoners", "Zhovtis", "rights OR EU"])
def test_one_row_per_place(searcher, query):
    for order in ("relevance", "date", "document"):
        hits = searcher.run(query, SearchOptions(order=order, limit=500)).hits
        assert len({h.passage_id for h in hits}) == len(hits), (query, order)


def test_a_passage_whose_words_found_are_in_a_quote_is_shown_as_that_quote(searcher, seed_archive):
    [hit] = [h for h in searcher.run('"never-ending process"').hits]
    q = seed_archive.quote(hit.id)
    assert hit.kind == "quote" and q.speaker_name == "Peter Burian" == hit.speaker
    assert hit.where == ("Addressing human rights abuses in Kazakhstan: a need for the EU response, 25 March 2021, ¶ 4")


def test_everything_in_a_scope_without_words(searcher, seed_archive):
    burian = seed_archive.find_speakers("Burian")[0]
    for text in ("", "  "):
        result = searcher.run(text, SearchOptions(speakers=(burian.id,), limit=100))
        assert result.browsing and result.hint is None and result.exact
        want = sorted(
            {p.id for p in seed_archive.passages(1) if p.speaker_id == burian.id}
            | {q.passage_id for q in seed_archive.quotes(speaker_id=burian.id)}
        )
        assert [h.passage_id for h in result.hits] == want and result.total == len(want)
        assert all(h.highlights == () for h in result.hits)
    doc = seed_archive.document(1)
    listed = searcher.run("", SearchOptions(documents=(doc.id,), limit=10))
    assert listed.total == 34 and [h.seq for h in listed.hits] == list(range(1, 11))
    assert searcher.page(listed.prepared, 30)[-1].seq == 34
    assert searcher.run("").hint == EMPTY_HINT  # no filter: nothing to list
    nothing = searcher.run("", SearchOptions(speakers=(burian.id,), date_from="2030"))
    assert nothing.total == 0 and "Nothing in this scope" in nothing.hint


def test_many_matches_count_their_passages_and_say_it_is_about(searcher, monkeypatch):
    import viewer.core.search as search_module

    monkeypatch.setattr(search_module, "EXACT_PLACES", 3)
    result = searcher.run("sanctions", SearchOptions(limit=5))
    assert not result.exact and result.total == 13  # the 13 passages with the word: every quote is in one of them
    assert searcher.run("sanctions", SearchOptions(quotes_only=True, limit=2)).total == 4
    assert searcher.run("sanctions", SearchOptions(limit=50)).exact  # all on one page: counted


def test_by_date_the_undated_come_last(make_archive):
    path = make_archive(
        {
            "b.txt": "Ann Lee said: “Sanctions work.”\n",
            "a.txt": "Bo Kim said: “Sanctions fail.”\n",
            "c.txt": "Cy Dee said: “Sanctions again.”\n",
        },
        [{}, {"date": "2022-05-01"}, {"date": "2019"}],
    )
    with Archive(path) as archive:
        hits = Search(archive).run("sanctions", SearchOptions(order="date")).hits
        assert [h.document for h in hits] == ["c", "a", "b"]
        assert [h.date_label for h in hits][:2] == ["2019", "1 May 2022"]


def test_a_hit_in_a_pdf_says_its_page(paged_archive):
    doc = paged_archive.document("trial-monitoring-in-aktobe-the-second-session")
    passage = next(p for p in paged_archive.passages(doc.id) if p.page == 2 and len(p.text.split()) > 5)
    word = max((w for w in passage.text.split() if w.isalpha()), key=len)
    hits = [h for h in Search(paged_archive).run(word, SearchOptions(limit=200)).hits if h.passage_id == passage.id]
    assert hits and hits[0].page == passage.page_label
    assert hits[0].place == f"p. {passage.page_label}, ¶ {passage.seq}" and hits[0].where.endswith(hits[0].place)
    seed = Search(paged_archive).run('"never-ending process"').hits[0]
    assert seed.page == "" and seed.place == "¶ 4"  # a document without pages
