"""The ranked search is FTS5's BM25 ranking, exactly, whether it comes from the top-k lists or not.

The same archive with and without the lists (and after an import that adds rows the lists never saw) gives
the same hits in the same order with the same scores and the same totals, for queries of every shape and
every frequency, with filters, deeper pages and quotes only; and the lists answer a good share of them."""

from __future__ import annotations

import random
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from viewer.core import search as search_module
from viewer.core import synth, topk
from viewer.core.archive import Archive
from viewer.core.importer import import_files
from viewer.core.search import PASSAGE_WEIGHTS, QUOTE_BOOST, QUOTE_WEIGHTS, Search, SearchOptions

N = 3000


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ranking") / "plain.db"
    synth.synthesize(path, N, seed=21, log=lambda _m: None, topk=False)
    return path


def with_lists(path: Path, out: Path, **kw) -> Path:
    shutil.copy(path, out)
    conn = sqlite3.connect(out)
    topk.build_topk(conn, **{"k": 200, "min_df": 30, "phrases": 100, **kw})
    conn.close()
    return out


@pytest.fixture(scope="module")
def listed(plain) -> Path:
    return with_lists(plain, plain.with_name("listed.db"))


@pytest.fixture
def unlimited(monkeypatch) -> None:
    """No limit on random accesses: the threshold algorithm goes as deep as the lists allow (on a small
    archive the engine would rank with FTS5 sooner, which is faster there)."""
    monkeypatch.setattr(topk, "MIN_RANDOM", 10**6)
    monkeypatch.setattr(topk, "MAX_RANDOM", 10**6)
    monkeypatch.setattr(topk, "MIN_FTS5_US", 0)


@pytest.fixture
def spy(monkeypatch) -> Counter:
    """How often each kind of result came from the lists (True) or from FTS5 (False)."""
    used: Counter = Counter()
    original = Search._listed

    def listed(self, kind, prepared, n):
        got = original(self, kind, prepared, n)
        used[(kind, got is not None)] += 1
        return got

    monkeypatch.setattr(Search, "_listed", listed)
    return used


def query_texts(path: Path, seed: int = 1) -> list[str]:
    """Words over the whole frequency range (listed, unlisted, rare, missing), listed and unlisted phrases,
    prefixes, AND, OR, NOT, Cyrillic, misspellings."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.execute("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, 'passages_fts', 'row')")
    vocab = [
        t
        for t, d in conn.execute("SELECT term, doc FROM temp.v WHERE term GLOB '[a-z]*' ORDER BY doc DESC")
        if t.isalpha()
    ]
    conn.close()
    rng = random.Random(seed)
    frequent = vocab[:60]
    spread = vocab[:: max(1, len(vocab) // 60)]
    texts = frequent[:30] + spread + ["zzzmissing"]
    texts += [f'"{a} {b}"' for a, b in zip(frequent, frequent[1:12])]
    texts += ['"human rights"', '"political prisoners"', '"of the"', '"in kazakhstan"', '"the the"']
    texts += [" ".join(rng.sample(frequent, 2)) for _ in range(25)]
    texts += [" ".join(rng.sample(frequent, 3)) for _ in range(6)]
    texts += [f"{a} {b}" for a, b in zip(frequent[:8], spread[20:28])]  # frequent with rare
    texts += [" OR ".join(rng.sample(frequent, 2)) for _ in range(8)]
    texts += [f"({a} OR {b}) {c}" for a, b, c in (rng.sample(frequent, 3) for _ in range(6))]
    texts += [f"{a} -{b}" for a, b in (rng.sample(frequent, 2) for _ in range(4))]
    texts += [w[:n] + "*" for w in frequent[:25] for n in (3, 5) if len(w) > n]
    texts += [
        '"human rights" kazakhstan',
        '"human rights" -sanctions',
        "Казахстан",
        "Назарбаев",
        "rigths",
        "kazakstan",
        "sanc*",
        "s*",
        "права человека",
    ]
    return texts


def options(path: Path) -> list[SearchOptions]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    speakers = [r[0] for r in conn.execute("SELECT id FROM speakers ORDER BY passages DESC LIMIT 2")]
    documents = [r[0] for r in conn.execute("SELECT id FROM documents WHERE has_text ORDER BY passages DESC LIMIT 30")]
    collection = conn.execute(
        "SELECT collection FROM documents WHERE collection IS NOT NULL GROUP BY collection ORDER BY count(*) DESC"
    ).fetchone()[0]
    conn.close()
    return [
        SearchOptions(),
        SearchOptions(limit=10),
        SearchOptions(quotes_only=True),
        SearchOptions(speakers=tuple(speakers)),
        SearchOptions(documents=tuple(documents)),
        SearchOptions(collection=collection, date_from="2010"),
        SearchOptions(date_to="2012-06"),
    ]


def answers(search: Search, text: str, o: SearchOptions) -> tuple:
    prepared = search.prepare(text, o)
    result = search.ranked(prepared)
    assert result.message is None, (text, result.message)
    hits = [(h.kind, h.id, h.score) for h in result.hits]
    deeper = [(m.kind, m.id, m.score) for m in search.matches(prepared, 3 * o.limit)] if o.limit == 10 else None
    return result.total, hits, deeper


def assert_same(a: Path, b: Path, texts: list[str], opts: list[SearchOptions]) -> None:
    one, other = Search(Archive(a)), Search(Archive(b))
    for text in texts:
        for o in opts:
            assert answers(one, text, o) == answers(other, text, o), (text, o)


@pytest.mark.slow
def test_lists_give_fts5s_ranking_for_every_kind_of_query(plain, listed, spy, unlimited):
    texts = query_texts(plain)
    assert_same(listed, plain, texts, options(plain))
    # the lists answered a good share (unfiltered and filtered), and declined the rest; the counts include
    # the archive without lists, which never answers
    assert spy[("passage", True)] > 300 and spy[("quote", True)] > 400, spy


@pytest.mark.slow
def test_with_the_default_budget_too(plain, listed, spy, monkeypatch):
    monkeypatch.setattr(topk, "MIN_FTS5_US", 0)  # everything is cheap in a small archive
    assert_same(listed, plain, query_texts(plain, seed=5)[::2], [SearchOptions(), SearchOptions(limit=10)])
    assert spy[("passage", True)] > 50 and spy[("quote", True)] > 50, spy


def test_ranked_hits_are_bm25_with_the_engines_weights(listed):
    """An oracle independent of the engine: FTS5's bm25 with the engine's weights, quotes boosted, merged, one
    row per passage (the best of a passage and the quotes in it), and the number of those passages."""
    search = Search(Archive(listed))
    conn = sqlite3.connect(f"file:{listed}?mode=ro", uri=True)
    pw, qw = ", ".join(map(str, PASSAGE_WEIGHTS)), ", ".join(map(str, QUOTE_WEIGHTS))
    for text, expr in [
        ("rights", '"rights"'),
        ("kazakhstan", '"kazakhstan"'),
        ('"human rights"', '"human rights"'),
        ("political prisoners", '"political" AND "prisoners"'),
        ("sanc*", '"sanc"*'),
    ]:
        passages = [
            (s, pid, -1, 0, pid)
            for pid, s in conn.execute(
                f"SELECT rowid, bm25(passages_fts, {pw}) FROM passages_fts WHERE passages_fts MATCH ? "
                f"ORDER BY 2, 1 LIMIT 200",
                (expr,),
            )
        ]
        quotes = [
            (s * QUOTE_BOOST, pid, start, 1, qid)
            for qid, s, pid, start in conn.execute(
                f"SELECT quotes_fts.rowid, bm25(quotes_fts, {qw}), q.passage_id, q.start FROM quotes_fts JOIN quotes q "
                "ON q.id = quotes_fts.rowid WHERE quotes_fts MATCH ? AND q.kind = 'quote' ORDER BY 2, 3, 4, 1 LIMIT "
                "200",
                (expr,),
            )
        ]
        want, seen = [], set()
        for s, pid, _st, _kind, _i in sorted(passages + quotes):
            if pid not in seen:
                seen.add(pid)
                want.append((pid, s))
        result = search.ranked(search.prepare(text))
        assert [(h.passage_id, h.score) for h in result.hits] == want[:50], text
        total = conn.execute(
            "SELECT count(*) FROM (SELECT rowid FROM passages_fts WHERE passages_fts MATCH :q UNION "
            "SELECT q.passage_id FROM quotes_fts JOIN quotes q ON q.id = quotes_fts.rowid WHERE "
            "quotes_fts MATCH :q AND q.kind = 'quote')",
            {"q": expr},
        ).fetchone()[0]
        assert result.total == total and result.exact, text
    conn.close()


@pytest.mark.parametrize("margin", [search_module.QUOTE_MARGIN, 0])
def test_without_filters_fts5_ranks_each_table_alone_like_the_joined_query(plain, monkeypatch, margin):
    """Without filters FTS5 ranks on its own table (quotes read with a margin, then their kind looked up, and
    more read when the margin was not enough: every time with a margin of 0): the same hits as ranking the
    rows joined to their table, kind "quote" only, for every limit."""
    monkeypatch.setattr(search_module, "QUOTE_MARGIN", margin)
    conn = sqlite3.connect(f"file:{plain}?mode=ro", uri=True)
    search = Search(Archive(plain))
    qw = ", ".join(map(str, QUOTE_WEIGHTS))
    checked = 0
    for text in query_texts(plain)[:40]:
        for limit in (1, 7, 50):
            prepared = search.prepare(text, SearchOptions(quotes_only=True, limit=limit))
            if prepared.fts is None:
                continue
            want = [
                (qid, s * QUOTE_BOOST)
                for qid, s in conn.execute(
                    f"SELECT quotes_fts.rowid, bm25(quotes_fts, {qw}) AS s FROM quotes_fts JOIN quotes q "
                    "ON q.id = quotes_fts.rowid WHERE quotes_fts MATCH ? AND q.kind = 'quote' "
                    "ORDER BY s, q.passage_id, q.start, quotes_fts.rowid LIMIT ?",
                    (prepared.fts, limit),
                )
            ]
            got = search._ranked_by_fts("quote", prepared.fts, limit)
            assert [(m.id, m.score) for m in got] == want, (text, limit)
            checked += bool(want)
    assert checked > 50
    conn.close()


@pytest.mark.slow
def test_after_an_import_the_lists_follow_the_new_rows(plain, listed, tmp_path, spy, unlimited):
    paras = [
        "On 3 May 2022 the Foundation held a hearing on human rights in Kazakhstan. It was moderated by Ann "
        "Example, a journalist from Almaty."
    ]
    for i in range(15):
        paras.append(
            f"Ann Example said: “Human rights defenders and political prisoners in Kazakhstan need the EU, "
            f"and sanctions against the regime are overdue {i}.” She added that the authorities ignore the "
            f"resolution of the European Parliament on human rights."
        )
        paras.append(
            "“The rights of political prisoners are violated every day”, Ann Example noted. Sanctions, "
            "rights and elections were discussed again."
        )
    doc = tmp_path / "hearing.txt"
    doc.write_text("Hearing on rights (3 May 2022)\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    shutil.copy(listed, a)
    shutil.copy(plain, b)
    for path in (a, b):
        report = import_files(path, [doc])
        assert report.quotes > 20 and len(report.documents) == 1
    ro = sqlite3.connect(f"file:{a}?mode=ro", uri=True)
    for table in ("passages", "quotes"):
        lists = topk.TopK(ro, table)
        assert lists.available and lists.added > 20, (table, lists.reason)
    ro.close()
    texts = [
        "rights",
        "human",
        '"human rights"',
        "political prisoners",
        "sanctions",
        "sanc*",
        "ann",
        "example",
        "kazakhstan elections",
        "rights OR sanctions",
        "hearing",
        "overdue",
    ]
    assert_same(
        a,
        b,
        texts + query_texts(plain, seed=2)[::3],
        [SearchOptions(), SearchOptions(quotes_only=True), SearchOptions(limit=10)],
    )
    assert spy[("passage", True)] > 30 and spy[("quote", True)] > 30, spy


def test_an_archive_being_imported_into_while_open(plain, listed, tmp_path):
    """A Search opened before an import sees the new rows ranked exactly (the lists are read again)."""
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    shutil.copy(listed, a)
    shutil.copy(plain, b)
    search = Search(Archive(a))
    before = search.ranked(search.prepare("rights"))
    assert before.total > 0
    doc = tmp_path / "more.txt"
    doc.write_text(
        "More rights (4 May 2022)\n\n"
        + "\n\n".join("Rights rights rights rights. Rights of rights." for _ in range(10))
        + "\n",
        encoding="utf-8",
    )
    for path in (a, b):
        import_files(path, [doc])
    after = search.ranked(search.prepare("rights"))
    other = Search(Archive(b))
    want = other.ranked(other.prepare("rights"))
    assert [(h.kind, h.id, h.score) for h in after.hits] == [(h.kind, h.id, h.score) for h in want.hits]
    assert after.total == want.total == before.total + 10


def test_seed_archive_with_and_without_lists(seed_archive_path, tmp_path, spy, unlimited):
    listed = with_lists(seed_archive_path, tmp_path / "seed-lists.db", k=8, min_df=2, phrases=30)
    texts = [
        "rights",
        "human rights",
        '"human rights"',
        "kazakhstan",
        "Kazakhstan EU",
        "prison*",
        "political",
        "political prisoners",
        '"political prisoners"',
        "Zhovtis",
        "Жовтис",
        "Auštrevičius",
        "Austrevicius",
        "sanctions OR resolution",
        "elections -parliamentary",
        "NGOs",
        "the",
        "of the",
        '"of the"',
        "EU*",
        "Назарбаев",
        "Nazarbayev",
        "journalists",
        "freedom of expression",
        "zzzz",
    ]
    conn = sqlite3.connect(seed_archive_path)
    speaker = conn.execute("SELECT id FROM speakers WHERE name LIKE 'Yevgeniy%'").fetchone()[0]
    conn.close()
    assert_same(
        listed,
        seed_archive_path,
        texts,
        [SearchOptions(), SearchOptions(limit=5), SearchOptions(quotes_only=True), SearchOptions(speakers=(speaker,))],
    )
    assert spy[("passage", True)] > 20 and spy[("quote", True)] > 5, spy


def test_without_usable_lists_the_search_still_ranks(listed, tmp_path):
    """Lists that cannot be used (another format, damaged) change nothing but the speed."""
    copy = tmp_path / "odd.db"
    shutil.copy(listed, copy)
    w = sqlite3.connect(copy)
    w.execute("UPDATE passages_topk SET ids = x'00', scores = x'00'")
    w.execute("UPDATE quotes_topk_info SET value = 'nine' WHERE key = 'format'")
    w.commit()
    w.close()
    assert_same(copy, listed, ["rights", "political prisoners", '"human rights"'], [SearchOptions()])


def test_spelling_variants_read_the_lists_words_which_are_fts5s_vocabulary(plain, listed, tmp_path):
    conn = sqlite3.connect(f"file:{listed}?mode=ro", uri=True)
    conn.execute("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, 'passages_fts', 'row')")
    for start, end in (("r", "s"), ("ка", "кб"), ("a", "z")):
        want = conn.execute("SELECT term, doc FROM temp.v WHERE term >= ? AND term < ? ORDER BY term", (start, end))
        assert topk.TopK(conn).words(start, end, 10**6) == want.fetchall() != []
    conn.close()
    with_words, without = Search(Archive(listed)), Search(Archive(plain))
    for search in (with_words, without):
        search._start(SearchOptions())
    assert with_words._bucket("r") == without._bucket("r") and without._vocab_ready
    assert not with_words._vocab_ready  # FTS5's vocabulary was not read
    for text in ("rigths", "kazakstan", "sanctoins"):
        assert with_words.prepare(text, SearchOptions()).variants == without.prepare(text, SearchOptions()).variants
    # after an import the stored words miss the new ones: FTS5's vocabulary again
    imported = with_lists(plain, tmp_path / "imported.db")
    notes = tmp_path / "notes.txt"
    notes.write_text("Nobody said Qwertyuiopvoice before, Maria Quell said.\n", encoding="utf-8")
    import_files(imported, [notes])
    conn = sqlite3.connect(f"file:{imported}?mode=ro", uri=True)
    assert topk.TopK(conn).words("a", "z", 10) is None
    conn.close()
    after = Search(Archive(imported))
    after._start(SearchOptions())
    assert "qwertyuiopvoice" in after._bucket("q")[0] and after._vocab_ready


def test_stored_romanisation_keys_give_the_variants_computed_keys_give(listed, tmp_path, monkeypatch):
    """The romanisation keys stored with the lists' words are the ones the search would compute, and give the
    same spelling variants; keys that are missing, of another version, damaged or of other words are not
    used (computed instead, with the same variants)."""
    from viewer.core.text import romanisation_key

    texts = ["rigths", "kazakstan", "sanctoins", "Nazarbaev", "goverment", "pressure"]
    computed = []
    monkeypatch.setattr(search_module, "romanisation_key", lambda w: computed.append(w) or romanisation_key(w))

    def variants(path: Path) -> list[tuple[str, ...]]:
        computed.clear()
        search = Search(Archive(path))
        got = [search.prepare(text, SearchOptions()).variants for text in texts]
        search._start(SearchOptions())
        terms, keys, _counts = search._bucket("r")
        assert keys == [romanisation_key(t) for t in terms] and terms
        return got

    stored = variants(listed)
    assert len(computed) <= len(texts)  # only the query's own words: every word's key came from the archive
    assert any(stored)
    broken = {
        "missing": "DROP TABLE passages_topk_keys",
        "another version": "UPDATE passages_topk_info SET value = '0' WHERE key = 'keys'",
        "damaged": "UPDATE passages_topk_keys SET key = 'zz' WHERE term = (SELECT min(term) FROM passages_topk_keys "
        "WHERE term >= 'r')",
        "a word missing": "DELETE FROM passages_topk_keys WHERE term = (SELECT max(term) FROM passages_topk_keys "
        "WHERE term < 's')",
    }
    for name, sql in broken.items():
        copy = tmp_path / f"{name}.db"
        shutil.copy(listed, copy)
        w = sqlite3.connect(copy)
        w.execute(sql)
        w.commit()
        w.close()
        assert variants(copy) == stored, name
        assert len(computed) > 10 * len(texts), name  # the words' keys were computed
