"""Top-k lists: the ranked top 50 they give is FTS5's BM25 top 50, exactly, or nothing."""

from __future__ import annotations

import random
import re
import shutil
import sqlite3

import pytest

from viewer.core import synth, topk

WEIGHTS = (1.0, 2.0)
W = ", ".join(map(str, WEIGHTS))


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """A synthetic archive with lists for words in 40+ rows, only 60 deep, so that AND queries need the
    threshold algorithm's random accesses and sometimes cannot be answered."""
    path = tmp_path_factory.mktemp("topk") / "synth.db"
    synth.synthesize(path, 3000, seed=11, log=lambda _m: None)
    conn = sqlite3.connect(path)
    result = topk.build_topk(conn, weights=WEIGHTS, k=60, min_df=40, threads=2)
    conn.close()
    assert result.terms > 30 and result.max_score_error == 0.0
    return path


@pytest.fixture
def conn(archive):
    c = sqlite3.connect(f"file:{archive}?mode=ro", uri=True)
    yield c
    c.close()


def fts_top(conn, terms, limit=50):
    match = " ".join(f'"{t}"' for t in terms)
    return conn.execute(f"SELECT rowid, bm25(passages_fts, {W}) FROM passages_fts WHERE passages_fts MATCH ? "
                        f"ORDER BY bm25(passages_fts, {W}), rowid LIMIT {limit}", (match,)).fetchall()


def test_one_word_is_its_list_exactly(conn):
    lists = topk.TopK(conn)
    assert lists.available and lists.weights == WEIGHTS and lists.k == 60
    words = [r[0] for r in conn.execute("SELECT term FROM passages_topk")]
    for word in words:
        assert lists.ranked([word], limit=50) == fts_top(conn, [word], 50), word
        df = conn.execute("SELECT df FROM passages_topk WHERE term = ?", (word,)).fetchone()[0]
        deeper = lists.ranked([word], limit=80)
        assert deeper is None if df > 60 else deeper == fts_top(conn, [word], 80)


def test_and_queries_are_exact_or_declined(conn):
    lists = topk.TopK(conn)
    words = [r[0] for r in conn.execute("SELECT term FROM passages_topk ORDER BY df DESC")]
    rng = random.Random(5)
    queries = [[a, b] for a, b in zip(words, words[1:])] + [rng.sample(words, 2) for _ in range(60)]
    queries += [rng.sample(words, 3) for _ in range(20)]
    answered = used_random = 0
    for terms in queries:
        got = lists.ranked(terms, max_random=10_000)
        if got is None:
            continue
        answered += 1
        used_random += lists.random_accesses > 0
        assert got == fts_top(conn, terms), terms
    assert answered >= len(queries) // 4 and used_random > 10


def test_declines_what_it_cannot_answer(archive, conn, tmp_path):
    lists = topk.TopK(conn)
    word = conn.execute("SELECT term FROM passages_topk ORDER BY df DESC").fetchone()[0]
    assert lists.ranked([word, "zzzunknownzzz"]) is None
    assert lists.ranked([word], weights=(1.0, 1.0)) is None
    assert lists.ranked([word, word]) is None and lists.ranked([]) is None
    assert lists.ranked([word], weights=WEIGHTS) is not None
    # a write to the index makes the lists stale: they are no longer used
    copy = tmp_path / "changed.db"
    shutil.copy(archive, copy)
    w = sqlite3.connect(copy)
    w.execute("INSERT INTO passages_fts (rowid, text, search_text) VALUES (999999, 'more words', '')")
    w.commit()
    assert not topk.TopK(w).available
    w.close()
    assert not topk.TopK(sqlite3.connect(":memory:")).available


def test_random_access_counts_like_fts5(conn):
    """The Python tokenizer path and FTS5's highlight() agree on every row, Latin and Cyrillic."""
    access = topk._RandomAccess(conn, "passages", WEIGHTS, topk._columns(conn, "passages"))
    rows = [r[0] for r in conn.execute("SELECT id FROM passages ORDER BY id")]
    cyrillic = {r[0] for r in conn.execute("SELECT id FROM passages WHERE search_text GLOB '*[a-z]*' AND text "
                                           "GLOB '*[а-я]*'")}
    assert cyrillic
    for term in ("rights", "kazakhstan", "the", "nazarbayev", "и"):
        for rowid in rows[::7] + sorted(cyrillic):
            assert access.lookup(rowid, term)[0] == access.fts_freq(rowid, term), (term, rowid)


def _fts_tokens(texts):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE f USING fts5(t, tokenize='unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO f (rowid, t) VALUES (?, ?)", list(enumerate(texts)))
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(f, 'instance')")
    out = [[] for _ in texts]
    for doc, term in db.execute("SELECT doc, term FROM v ORDER BY doc, offset"):
        out[doc].append(term)
    return out


def test_tokenizer_matches_fts5_on_every_safe_character():
    chars = [chr(c) for c in range(1, 0x2100) if not topk._UNSAFE.match(chr(c))]
    texts = []
    for ch in chars:
        texts += [ch, f"a{ch}b", f"{ch}rights", f"Rights{ch}"]
    fts = _fts_tokens(texts)
    for text, want in zip(texts, fts):
        assert [topk.fold_token(t) for t in topk._TOKEN.findall(text)] == want, (text, hex(ord(text[0])))
        # the fast path folds the whole text at once and finds words with a pattern: the same tokens
        folded = text.translate(topk._FOLD)
        assert [w for w in want if w.isascii()] == [m for m in re.findall(r"[^\W_]+", folded) if m.isascii()], text


def test_count_word_counts_tokens_like_fts5():
    rng = random.Random(3)
    alphabet = "abAB_ -.'’éÉáжЖёİıłß0"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20))) for _ in range(5000)]
    for text, tokens in zip(texts, _fts_tokens(texts)):
        for word in ("ab", "a", "i"):
            assert topk.count_word(text, word) == tokens.count(word), (text, word)


def test_random_access_on_awkward_text():
    """Control characters, combining marks, other scripts: the counts are still FTS5's."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE p (id INTEGER PRIMARY KEY, text TEXT, search_text TEXT)")
    db.execute("CREATE VIRTUAL TABLE p_fts USING fts5(text, search_text, tokenize='unicode61 remove_diacritics 2', "
               "content=p)")
    texts = ["\x01rights \x01 Rights", "rights\u0301 rights", "ri\u0301ghts RIGHTS", "Ελλάδα rights", "Ríghts",
             "rights_rights", "İrights", "x"]
    db.executemany("INSERT INTO p VALUES (?, ?, ?)", [(i + 1, t, "Rights of Man") for i, t in enumerate(texts)])
    db.execute("INSERT INTO p_fts (rowid, text, search_text) SELECT id, text, search_text FROM p")
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(p_fts, 'instance')")
    access = topk._RandomAccess(db, "p", WEIGHTS, ["text", "search_text"])
    for rowid in range(1, len(texts) + 1):
        want = sum(WEIGHTS[col] for (col,) in db.execute(
            "SELECT col = 'search_text' FROM v WHERE doc = ? AND term = 'rights'", (rowid,)))
        assert access.lookup(rowid, "rights")[0] == access.fts_freq(rowid, "rights") == want, texts[rowid - 1]
