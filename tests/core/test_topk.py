"""Top-k lists: the ranked top n they give is FTS5's BM25 top n, exactly (rows, order, scores), or nothing."""

from __future__ import annotations

import random
import shutil
import sqlite3

import pytest

from viewer.core import synth, topk
from viewer.core.tokens import count_phrase, fold_text
from viewer.core.topk import Phrase

WEIGHTS = (1.0, 2.0)
W = ", ".join(map(str, WEIGHTS))
K = 60


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    path = tmp_path_factory.mktemp("topk") / "plain.db"
    synth.synthesize(path, 3000, seed=11, log=lambda _m: None, topk=False)
    return path


@pytest.fixture(scope="module")
def archive(plain):
    """The same archive with lists for words (and two-word phrases) in 40+ rows, only 60 deep, so that AND
    queries need the threshold algorithm's random accesses and sometimes cannot be answered."""
    path = plain.with_name("lists.db")
    shutil.copy(plain, path)
    conn = sqlite3.connect(path)
    result = topk.build_topk(conn, weights=WEIGHTS, k=K, min_df=40, phrases=40)
    conn.close()
    assert result.terms > 100 and result.phrases > 10 and result.max_score_error == 0.0
    assert set(result.tables) == {"passages", "quotes"}
    return path


@pytest.fixture(autouse=True)
def every_query(monkeypatch):
    """Exactness is tested on a small archive, where FTS5 is fast and the lists would leave every query of
    several phrases to it: here they try all of them."""
    monkeypatch.setattr(topk, "MIN_FTS5_US", 0)


@pytest.fixture
def conn(archive):
    c = sqlite3.connect(f"file:{archive}?mode=ro", uri=True)
    yield c
    c.close()


def fts_expr(groups) -> str:
    return " AND ".join("(" + " OR ".join(p.fts() for p in g) + ")" for g in groups)


def fts_top(conn, table, groups, limit=50):
    """FTS5's own ranking, the way the search engine orders each kind (quotes: kind 'quote' only)."""
    fts = f"{table}_fts"
    if table == "passages":
        return [
            (r, s, (r,))
            for r, s in conn.execute(
                f"SELECT rowid, bm25({fts}, {W}) FROM {fts} WHERE {fts} MATCH ? ORDER BY 2, rowid LIMIT {limit}",
                (fts_expr(groups),),
            )
        ]
    return [
        (r, s, (p, st, r))
        for r, s, p, st in conn.execute(
            f"SELECT {fts}.rowid, bm25({fts}, {W}), q.passage_id, q.start FROM {fts} JOIN quotes q "
            f"ON q.id = {fts}.rowid WHERE {fts} MATCH ? AND q.kind = 'quote' ORDER BY 2, 3, 4, 1 LIMIT {limit}",
            (fts_expr(groups),),
        )
    ]


def listed(conn, table):
    keys = [r[0] for r in conn.execute(f"SELECT term FROM {table}_topk ORDER BY df DESC, term")]
    return [k for k in keys if " " not in k], [k for k in keys if " " in k]


def queries(conn, table, seed=1):
    words, phrases = listed(conn, table)
    rng = random.Random(seed)
    one = [[[Phrase((w,))]] for w in words] + [[[Phrase(tuple(p.split()))]] for p in phrases]
    pairs = [[[Phrase((a,))], [Phrase((b,))]] for a, b in (rng.sample(words, 2) for _ in range(80))]
    pairs += [[[Phrase((a,))], [Phrase((b,))]] for a, b in zip(words, words[1:20])]  # frequent with frequent
    ors = [[[Phrase((a,)), Phrase((b,))]] for a, b in (rng.sample(words, 2) for _ in range(40))]
    mixed = [[[Phrase((a,)), Phrase((b,))], [Phrase((c,))]] for a, b, c in (rng.sample(words, 3) for _ in range(40))]
    threes = [[[Phrase((a,))], [Phrase((b,))], [Phrase((c,))]] for a, b, c in (rng.sample(words, 3) for _ in range(20))]
    prefixes = [[[Phrase((w[:n],), True)]] for w in words for n in (3, 5) if len(w) > n]
    with_phrase = [[[Phrase(tuple(p.split()))], [Phrase((w,))]] for p, w in zip(phrases, words[3:])]
    return {
        "one": one,
        "and": pairs,
        "or": ors,
        "mixed": mixed,
        "three": threes,
        "prefix": prefixes,
        "phrase_and": with_phrase,
    }


@pytest.mark.parametrize("table", ["passages", "quotes"])
def test_lists_rank_exactly_like_fts5(conn, table):
    lists = topk.TopK(conn, table)
    assert lists.available, lists.reason
    assert lists.weights == WEIGHTS and lists.k == K
    answered: dict[str, int] = {}
    used_random = 0
    for kind, qs in queries(conn, table).items():
        answered[kind] = 0
        for groups in qs:
            for limit in (10, 50):
                got = lists.rank(groups, limit)
                if got is None:
                    continue
                answered[kind] += 1
                used_random += lists.random_accesses > 0
                assert got == fts_top(conn, table, groups, limit), (groups, limit)
    assert answered["one"] >= len(queries(conn, table)["one"]), answered  # every list answers its own query
    assert answered["and"] > 10 and answered["prefix"] > 10 and used_random > 5, answered
    if table == "passages":
        assert all(answered[k] > 0 for k in answered), answered


@pytest.mark.parametrize("table", ["passages", "quotes"])
def test_phrases_left_out_like_fts5s_not(conn, table):
    lists = topk.TopK(conn, table)
    words, phrases = listed(conn, table)
    rng = random.Random(7)
    answered = 0
    for _ in range(60):
        a, b, c = rng.sample(words[:40], 3)
        groups = [[Phrase((a,))]] if rng.random() < 0.5 else [[Phrase((a,))], [Phrase((c,))]]
        exclude = [Phrase((b,))] if rng.random() < 0.7 else [Phrase((b,)), Phrase(tuple(rng.choice(phrases).split()))]
        got = lists.rank(groups, 20, exclude=exclude)
        if got is None:
            continue
        answered += 1
        expr = f"({fts_expr(groups)}) NOT ({' OR '.join(p.fts() for p in exclude)})"
        assert got == fts_top(conn, table, [[_Raw(expr)]], 20), (groups, exclude)
    assert answered > 20
    assert lists.rank([[Phrase((words[0],))]], exclude=[Phrase((words[0],))]) is None


class _Raw:
    """An FTS5 expression given as is (for the oracle)."""

    def __init__(self, expr: str):
        self.expr = expr

    def fts(self) -> str:
        return self.expr


def test_one_phrase_is_its_list_and_deeper_is_declined(conn):
    lists = topk.TopK(conn)
    words, phrases = listed(conn, "passages")
    for key in words[:40] + phrases:
        groups = [[Phrase(tuple(key.split()))]]
        assert lists.rank(groups, 50) == fts_top(conn, "passages", groups, 50), key
        df, matches, depth = conn.execute(
            "SELECT df, matches, length(scores) / 8 FROM passages_topk WHERE term = ?", (key,)
        ).fetchone()
        assert (
            df
            == matches
            == conn.execute(
                "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?", (groups[0][0].fts(),)
            ).fetchone()[0]
        )
        assert lists.matches(groups[0][0]) == matches
        assert depth == min(df, max(K, df // topk.DEPTH))  # deeper for the most frequent
        deeper = lists.rank(groups, depth + 20)
        assert deeper is None if df > depth else deeper == fts_top(conn, "passages", groups, depth + 20)


def test_quote_lists_hold_only_quotes_of_kind_quote(conn):
    lists = topk.TopK(conn, "quotes")
    words, _phrases = listed(conn, "quotes")
    for word in words[:30]:
        phrase = Phrase((word,))
        want = conn.execute(
            "SELECT count(*) FROM quotes_fts JOIN quotes q ON q.id = quotes_fts.rowid "
            "WHERE quotes_fts MATCH ? AND q.kind = 'quote'",
            (phrase.fts(),),
        ).fetchone()[0]
        assert lists.matches(phrase) == want
    ids = set()
    for (blob,) in conn.execute("SELECT ids FROM quotes_topk"):
        ids.update(topk._unpack("i", blob))
    other = {r[0] for r in conn.execute("SELECT id FROM quotes WHERE kind != 'quote'")}
    assert ids and other and not ids & other  # quotes of other kinds are left out


def test_filters_are_applied_to_the_candidates(conn):
    lists = topk.TopK(conn)
    words, _ = listed(conn, "passages")
    speakers = [r[0] for r in conn.execute("SELECT id FROM speakers ORDER BY passages DESC LIMIT 3")]
    keep_sql = f"SELECT id FROM passages WHERE speaker_id IN ({','.join(map(str, speakers))}) AND id IN ({{}})"

    def keep(ids):
        return {r[0] for r in conn.execute(keep_sql.format(",".join(map(str, ids))))}

    answered = 0
    for word in words[:30]:
        groups = [[Phrase((word,))]]
        got = lists.rank(groups, 5, keep=keep)
        want = [
            (r, s, (r,))
            for r, s in conn.execute(
                f"SELECT passages_fts.rowid, bm25(passages_fts, {W}) FROM passages_fts JOIN passages p "
                f"ON p.id = passages_fts.rowid WHERE passages_fts MATCH ? AND p.speaker_id IN "
                f"({','.join(map(str, speakers))}) ORDER BY 2, 1 LIMIT 5",
                (groups[0][0].fts(),),
            )
        ]
        if got is not None:
            answered += 1
            assert got == want, word
    assert answered > 5


def test_queries_fts5_ranks_fast_are_left_to_it(conn, monkeypatch):
    monkeypatch.setattr(topk, "MIN_FTS5_US", 30_000)
    lists = topk.TopK(conn)
    words, _ = listed(conn, "passages")
    assert lists.rank([[Phrase((words[0],))], [Phrase((words[1],))]]) is None  # ~1 ms for FTS5 here
    assert lists.rank([[Phrase((words[0],))]]) is not None  # one phrase: its list, always faster


def test_declines_what_it_cannot_answer(conn, monkeypatch):
    monkeypatch.setattr(topk, "RARE_ROWS", 0)  # no phrase without a list is read whole (next test)
    lists = topk.TopK(conn)
    words, phrases = listed(conn, "passages")
    word = words[0]
    assert lists.rank([[Phrase((word,))], [Phrase(("zzzunknownzzz",))]]) is None
    assert lists.rank([[Phrase((word,))]], weights=(1.0, 1.0)) is None
    assert lists.rank([[Phrase((word,))], [Phrase((word,))]]) is None  # FTS5 counts a repeated phrase twice
    assert lists.rank([]) is None and lists.rank([[]]) is None
    assert lists.rank([[Phrase((word, word, word))]]) is None  # longer phrases have no lists
    assert lists.rank([[Phrase(tuple(phrases[0].split()), True)]]) is None
    assert lists.rank([[Phrase(("t",), True)]]) is None  # a prefix of many words
    assert lists.rank([[Phrase((word,))]], weights=WEIGHTS) is not None


def unlisted(conn, table, most: int) -> list[str]:
    """Index words without a list in at most ``most`` rows, the most frequent first."""
    conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.v_{table} USING fts5vocab(main, '{table}_fts', 'row')")
    return [
        r[0]
        for r in conn.execute(
            f"SELECT term FROM temp.v_{table} WHERE doc <= ? AND term NOT IN (SELECT term FROM {table}_topk) "
            "AND term GLOB '[a-z][a-z]*' ORDER BY doc DESC, term",
            (most,),
        )
    ]


@pytest.mark.parametrize("table", ["passages", "quotes"])
def test_a_rare_phrase_without_a_list_is_read_whole_and_ranked_exactly(conn, table, monkeypatch):
    """AND, OR and NOT of listed words with words, phrases and prefixes that have no list but are in few rows:
    those are read whole from FTS5 with their own scores, and the answer is FTS5's, exactly."""
    monkeypatch.setattr(topk, "RARE_ROWS", 30)
    lists = topk.TopK(conn, table)
    words, phrases = listed(conn, table)
    rare = unlisted(conn, table, 30)
    too_many = unlisted(conn, table, 39)[0]  # no list, and in more rows than RARE_ROWS
    rng = random.Random(5)
    cases = []
    for _ in range(40):
        a, b = rng.sample(words, 2)
        x, y = rng.sample(rare, 2)
        cases += [
            [[Phrase((a,))], [Phrase((x,))]],  # listed AND rare
            [[Phrase((a,)), Phrase((x,))]],  # listed OR rare
            [[Phrase((x,)), Phrase((a,))], [Phrase((b,))]],
            [[Phrase((x,)), Phrase((y,))]],  # rare OR rare
            [[Phrase((x,))]],
            [[Phrase((a,)), Phrase((x[:-1],), True)]],  # a prefix of several words, or of none listed
            [[Phrase((a, x))], [Phrase((b,))]],  # a phrase without a list
        ]
    answered = {"and": 0, "or": 0}
    for groups in cases:
        for limit in (5, 50):
            got = lists.rank(groups, limit)
            if got is not None:
                answered["and" if len(groups) > 1 else "or"] += 1
                assert got == fts_top(conn, table, groups, limit), (groups, limit)
    assert answered["and"] > 20 and answered["or"] > 20, answered
    for exclude in ([Phrase((rare[0],))], [Phrase((too_many,))]):
        got = lists.rank([[Phrase((words[0],))]], 20, exclude=exclude)
        expr = f"({Phrase((words[0],)).fts()}) NOT ({exclude[0].fts()})"
        assert got == fts_top(conn, table, [[_Raw(expr)]], 20)
    assert lists.rank([[Phrase((words[0],))], [Phrase((too_many,))]]) is None
    assert fts_top(conn, table, [[Phrase((words[0],))], [Phrase(("zzzunknownzzz",))]]) == []
    assert lists.rank([[Phrase((words[0],))], [Phrase(("zzzunknownzzz",))]]) in (None, [])
    assert lists.matches(Phrase((rare[0],))) == len(fts_top(conn, table, [[Phrase((rare[0],))]], 1000))


def test_rows_added_since_are_scored_and_ranked_exactly(archive, tmp_path):
    """Rows appended to the index after the lists were made (what an import does) are ranked with the lists;
    the lists' scores follow the new statistics."""
    copy = tmp_path / "added.db"
    shutil.copy(archive, copy)
    w = sqlite3.connect(copy)
    words = [
        r[0] for r in w.execute("SELECT term FROM passages_topk WHERE term NOT LIKE '% %' ORDER BY df DESC LIMIT 40")
    ]
    rng = random.Random(9)
    top = w.execute("SELECT max(id) FROM passages").fetchone()[0]
    rows = [
        (top + i + 1, " ".join(rng.choice(words) for _ in range(rng.randint(2, 40))), "Ann Example") for i in range(150)
    ]
    w.executemany("INSERT INTO passages_fts (rowid, text, search_text) VALUES (?, ?, ?)", rows)
    w.executemany(
        "INSERT INTO passages (id, document_id, seq, kind, text, search_text, words, attribution) "
        "VALUES (?, 1, 10000 + ?, 'paragraph', ?, ?, 0, 'narration')",
        [(r[0], r[0], r[1], r[2]) for r in rows],
    )
    w.commit()
    lists = topk.TopK(w)
    assert lists.available and lists.added == 150, lists.reason
    answered = 0
    for kind, qs in queries(w, "passages", seed=3).items():
        for groups in qs[:40]:
            got = lists.rank(groups, 20)
            if got is not None:
                answered += 1
                assert got == fts_top(w, "passages", groups, 20), (kind, groups)
                if len(groups) == 1 and len(groups[0]) == 1:
                    count = "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?"
                    assert lists.matches(groups[0][0]) == w.execute(count, (fts_expr(groups),)).fetchone()[0]
    assert answered > 40
    w.close()


def _unindex(w: sqlite3.Connection, rowid: int) -> None:
    old = w.execute("SELECT text, search_text FROM passages WHERE id = ?", (rowid,)).fetchone()
    w.execute(
        "INSERT INTO passages_fts (passages_fts, rowid, text, search_text) VALUES ('delete', ?, ?, ?)", (rowid, *old)
    )


@pytest.mark.parametrize("change", ["row removed", "row replaced"])
def test_lists_of_a_changed_index_are_not_used(archive, tmp_path, change):
    copy = tmp_path / "changed.db"
    shutil.copy(archive, copy)
    w = sqlite3.connect(copy)
    _unindex(w, 5)
    if change == "row replaced":  # the same rowid with other words: not an addition
        w.execute("INSERT INTO passages_fts (rowid, text, search_text) VALUES (5, 'other words', '')")
    w.commit()
    lists = topk.TopK(w)
    assert lists.present and not lists.available and "changed" in lists.reason
    assert lists.rank([[Phrase(("the",))]]) is None and lists.matches(Phrase(("the",))) is None
    w.close()
    assert not topk.TopK(sqlite3.connect(":memory:")).available


def test_too_many_added_rows_set_the_lists_aside(archive, tmp_path, monkeypatch):
    copy = tmp_path / "grown.db"
    shutil.copy(archive, copy)
    w = sqlite3.connect(copy)
    top = w.execute("SELECT max(id) FROM passages").fetchone()[0]
    w.executemany(
        "INSERT INTO passages_fts (rowid, text, search_text) VALUES (?, 'more rights', '')",
        [(top + i,) for i in range(1, 30)],
    )
    w.commit()
    monkeypatch.setattr(topk, "MAX_ADDED_ROWS", 20)
    lists = topk.TopK(w)
    assert not lists.available and "added" in lists.reason
    w.close()


def test_damaged_or_odd_lists_are_not_used(archive, tmp_path):
    copy = tmp_path / "odd.db"
    shutil.copy(archive, copy)
    w = sqlite3.connect(copy)
    word = w.execute("SELECT term FROM passages_topk ORDER BY df DESC LIMIT 1").fetchone()[0]
    w.execute("UPDATE passages_topk SET ids = x'0102' WHERE term = ?", (word,))
    w.commit()
    lists = topk.TopK(w)
    assert lists.available
    assert lists.rank([[Phrase((word,))]]) is None and not lists.available  # set aside, no exception
    # a list larger than its table is not even read
    w.execute("UPDATE passages_topk SET ids = zeroblob(100000000) WHERE term = ?", (word,))
    w.commit()
    lists = topk.TopK(w)
    assert lists.rank([[Phrase((word,))]]) is None and "larger" in lists.reason
    # forged scores: the check when the lists are opened (one word's best row) sees the formula disagree
    w.execute("UPDATE passages_topk SET scores = zeroblob(length(scores)) WHERE term NOT LIKE '% %'")
    w.commit()
    assert not topk.TopK(w).available
    # another format, or a view where a table should be
    w.execute("UPDATE passages_topk_info SET value = '1' WHERE key = 'format'")
    w.commit()
    assert not topk.TopK(w).available
    w.execute("DROP TABLE passages_topk_terms")
    w.execute("CREATE VIEW passages_topk_terms AS SELECT 'a' AS term, 1 AS df")
    w.commit()
    lists = topk.TopK(w)
    assert not lists.available and lists.present
    w.close()


def test_an_empty_index_gets_empty_lists(tmp_path):
    path = tmp_path / "empty.db"
    synth.synthesize(path, 30, seed=1, log=lambda _m: None, topk=False)
    w = sqlite3.connect(path)
    w.execute("INSERT INTO quotes_fts (quotes_fts) VALUES ('delete-all')")
    w.commit()
    topk.build_topk(w, min_df=1, k=5)
    assert not topk.TopK(w, "quotes").available
    assert topk.TopK(w, "passages").available
    w.close()


# ---------------------------------------------------------------------------- random access and the tokenizer


def test_random_access_counts_like_fts5(conn):
    """The Python tokenizer path and FTS5's highlight() agree on every row, Latin and Cyrillic, for words,
    phrases and prefixes."""
    rows = topk._Rows(lambda sql, p=(): conn.execute(sql, p).fetchall(), "passages", ["text", "search_text"], WEIGHTS)
    ids = [r[0] for r in conn.execute("SELECT id FROM passages ORDER BY id")]
    cyrillic = {
        r[0] for r in conn.execute("SELECT id FROM passages WHERE search_text GLOB '*[a-z]*' AND text GLOB '*[а-я]*'")
    }
    assert cyrillic
    phrases = [
        Phrase(("rights",)),
        Phrase(("kazakhstan",)),
        Phrase(("the",)),
        Phrase(("и",)),
        Phrase(("human", "rights")),
        Phrase(("of", "the")),
        Phrase(("sanc",), True),
        Phrase(("ка",), True),
    ]
    for rowid in ids[::7] + sorted(cyrillic):
        freqs, length = rows.freqs(rowid, phrases)
        assert [rows._fts_freq(rowid, p) for p in phrases] == freqs, rowid
        size = conn.execute("SELECT sz FROM passages_fts_docsize WHERE id = ?", (rowid,)).fetchone()[0]
        assert length == sum(topk.varints(size))


def _fts_tokens(texts):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE f USING fts5(t, tokenize='unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO f (rowid, t) VALUES (?, ?)", list(enumerate(texts)))
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(f, 'instance')")
    out = [[] for _ in texts]
    for doc, term in db.execute("SELECT doc, term FROM v ORDER BY doc, offset"):
        out[doc].append(term)
    return out


def test_phrase_and_prefix_counts_are_fts5s():
    """Instances of words, phrases (overlapping ones too) and prefixes, counted on folded text: FTS5's
    instances (its tokens by position), and the rows FTS5 matches."""
    rng = random.Random(3)
    alphabet = [
        "ab",
        "a",
        "b",
        "Ab",
        "AB",
        "ab_",
        " ",
        " ",
        "-",
        "'",
        "’",
        "é",
        "É",
        "á",
        "ж",
        "Ж",
        "ё",
        "İ",
        "ı",
        "ł",
        "ß",
        "0",
        "abc",
        "a.b",
    ]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(3000)]
    tokens = _fts_tokens(texts)
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE f USING fts5(t, tokenize='unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO f (rowid, t) VALUES (?, ?)", list(enumerate(texts)))
    phrases = [
        Phrase(("ab",)),
        Phrase(("a",)),
        Phrase(("ab", "ab")),
        Phrase(("a", "b")),
        Phrase(("ab", "ab", "ab")),
        Phrase(("a",), True),
        Phrase(("ab",), True),
        Phrase(("ж",), True),
        Phrase(("ab", "a"), True),
    ]
    for p in phrases:
        matching = {r[0] for r in db.execute("SELECT rowid FROM f WHERE f MATCH ?", (p.fts(),))}
        for i, text in enumerate(texts):
            got = count_phrase(fold_text(text), p.words, p.prefix)
            assert got == _instances(tokens[i], p), (text, p)
            assert (got > 0) == (i in matching), (text, p)


def _instances(tokens: list[str], phrase: Phrase) -> int:
    n = len(phrase.words)
    count = 0
    for i in range(len(tokens) - n + 1):
        window = tokens[i : i + n]
        if window[:-1] == list(phrase.words[:-1]) and (
            window[-1].startswith(phrase.words[-1]) if phrase.prefix else window[-1] == phrase.words[-1]
        ):
            count += 1
    return count


def test_random_access_on_awkward_text():
    """Control characters, combining marks, other scripts: the counts are still FTS5's."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE p (id INTEGER PRIMARY KEY, text TEXT, search_text TEXT)")
    db.execute(
        "CREATE VIRTUAL TABLE p_fts USING fts5(text, search_text, tokenize='unicode61 remove_diacritics 2', content=p)"
    )
    texts = [
        "\x01rights \x01 Rights",
        "rights\u0301 rights",
        "ri\u0301ghts RIGHTS",
        "Ελλάδα rights",
        "Ríghts",
        "rights_rights",
        "İrights",
        "x",
        "human  rights",
        "human\u0301 rights of man",
    ]
    db.executemany("INSERT INTO p VALUES (?, ?, ?)", [(i + 1, t, "Rights of Man") for i, t in enumerate(texts)])
    db.execute("INSERT INTO p_fts (rowid, text, search_text) SELECT id, text, search_text FROM p")
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(p_fts, 'instance')")
    rows = topk._Rows(lambda sql, p=(): db.execute(sql, p).fetchall(), "p", ["text", "search_text"], WEIGHTS)
    for rowid in range(1, len(texts) + 1):
        want = sum(
            WEIGHTS[col]
            for (col,) in db.execute("SELECT col = 'search_text' FROM v WHERE doc = ? AND term = 'rights'", (rowid,))
        )
        freqs, _length = rows.freqs(rowid, [Phrase(("rights",)), Phrase(("human", "rights"))])
        assert freqs[0] == rows._fts_freq(rowid, Phrase(("rights",))) == want, texts[rowid - 1]
        assert freqs[1] == rows._fts_freq(rowid, Phrase(("human", "rights"))), texts[rowid - 1]
    with pytest.raises(topk._Unknown):  # highlight() would merge overlapping instances
        rows._fts_freq(4, Phrase(("rights", "rights")))
