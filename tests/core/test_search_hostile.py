"""Whatever is typed, search answers: no exception, within its time budget, a hint where useful, and
the text never reaches MATCH raw (RELIABILITY items 1-5)."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.core.archive import Archive
from viewer.core.query import EMPTY_HINT, MAX_CHARS, NEGATIVE_ONLY_HINT
from viewer.core.search import TIMEOUT_MESSAGE, Search, SearchOptions, SearchResult

HOSTILE = [
    # FTS5 syntax (RELIABILITY item 1)
    '"',
    'a"b',
    "AND",
    "OR",
    "NOT",
    "NEAR(",
    "NEAR(a b, 2)",
    "-",
    "a:b",
    "*",
    "^",
    "(",
    ")",
    "C++",
    "it's",
    "50%",
    "park.",
    "a AND",
    "AND a",
    "OR OR OR",
    "a OR OR b",
    "a NOT",
    "NOT NOT",
    "(a",
    "a)",
    ")(",
    "(((",
    ")))",
    "a*b",
    "**",
    "*a",
    "a**",
    "^a",
    "a^",
    "col:term",
    "text:sanctions",
    "search_text:x",
    "{a b}: c",
    "{",
    "}",
    "+",
    "a + b",
    "a - b",
    "--a",
    "a--",
    "-a",
    "- -a",
    "-(a)",
    "NOT(a)",
    "a NOT(b)",
    "'",
    "''",
    "\\",
    '\\"',
    '""""',
    '"a" "b',
    '"a"*"b"',
    '""*',
    "a,b",
    ";",
    "a;b",
    "%",
    "_",
    "a_b",
    "#",
    "$",
    "&",
    "|",
    "||",
    "&&",
    "!",
    "!a",
    "~a",
    "a~",
    "@",
    "=",
    "<>",
    "<script>alert(1)</script>",
    "<img src=x>",
    "&amp;",
    "NEAR",
    "near/3",
    "a NEAR b",
    # SQL-looking text
    "'; DROP TABLE passages; --",
    '" OR 1=1 --',
    "1' OR '1'='1",
    "x') UNION SELECT * FROM meta --",
    "sanctions'); DELETE FROM quotes; --",
    "passages_fts MATCH 'x'",
    # empty, blank, quotes only (item 2)
    "",
    " ",
    "\t\n",
    '""',
    "“”",
    "«»",
    "''",
    "‘’",
    "„“",
    '" "',
    "()",
    "( )",
    '("")',
    # control characters, NUL, zero-width, RTL, surrogates (item 3)
    "\x00",
    "sanc\x00tions",
    "\x01\x02\x1f\x7f",
    "\u200b",
    "sanc\u200btions",
    "\u202eevil",
    "\u200f\u200e",
    "\ufeffsanctions",
    "\ud800",
    "a\udfffb",
    "\ud83d",
    "\u2066x\u2069",
    "\x1b[31mred",
    # very long input, many terms, deep parentheses (item 4)
    "a" * 100_000,
    "sanctions " * 20_000,
    " ".join(f"w{i}" for i in range(5000)),
    "(" * 5000 + "a" + ")" * 5000,
    "(" * 100_000,
    ")" * 100_000,
    '"' * 100_000,
    "-" * 100_000,
    "OR " * 30_000,
    "a OR " * 20_000,
    "*" * 100_000,
    "\x00" * 100_000,
    "ä" * 100_000,
    "Ж" * 100_000,
    # other scripts and odd letters
    "Назарбаев",
    "Тоқаев OR Нур*",
    "ελληνικά",
    "中文",
    "日本語のテキスト",
    "العربية",
    "עברית",
    "🙂",
    "🏳️‍🌈",
    "ﬁ",
    "Ａ",
    "İ",
    "ß",
    "x\u0301y",
    "\u0301",
    "1e10",
    "-1",
    "3.14",
    "0x1F",
]


@pytest.fixture(scope="module")
def seed_search(seed_archive_path):
    archive = Archive(seed_archive_path)
    yield Search(archive)
    archive.close()


def check(result: SearchResult) -> None:
    """What every answer must look like."""
    assert isinstance(result, SearchResult)
    json.dumps(result.to_dict(), ensure_ascii=False)  # no lone surrogates or other unencodable text
    if result.message is not None:
        assert result.message == TIMEOUT_MESSAGE
        return
    if result.total is None:
        assert result.hint in (EMPTY_HINT, NEGATIVE_ONLY_HINT) and result.hits == ()
        return
    assert result.total >= len(result.hits)
    assert len(result.query) <= MAX_CHARS
    if result.prepared is not None and result.prepared.fts is not None:
        tokens = re.findall(r'"[^"]*"\*?|[()]|\S+', result.prepared.fts)
        assert all(t in ("(", ")", "AND", "OR", "NOT") or t.startswith('"') for t in tokens)
    for hit in result.hits:
        for s, e in hit.highlights:  # offsets in the passage: a quote's own text lies inside it
            assert 0 <= s < e and (hit.kind == "quote" or e <= len(hit.text))
        for s, e in hit.snippet.marks:
            assert 0 <= s < e <= len(hit.snippet.text)


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input(seed_search, text):
    result = seed_search.run(text, SearchOptions(timeout_ms=2000))
    check(result)
    assert result.message is None  # these all answer well within the budget on the seed


@pytest.mark.parametrize("text", ["", "  ", '"', '""', "“ ”", "()", "*", "^", "-"])
def test_nothing_to_search_hints(seed_search, text):
    result = seed_search.run(text)
    assert result.hint == EMPTY_HINT and result.total is None


def test_hostile_input_with_every_option(seed_search, seed_archive):
    speaker = seed_archive.speakers()[0]
    options = SearchOptions(
        speakers=(speaker.id,),
        documents=(1,),
        collection="Events",
        date_from="2021",
        date_to="2021-12",
        quotes_only=True,
        order="document",
        limit=3,
        exact_diacritics=True,
    )
    for text in HOSTILE:
        check(seed_search.run(text, options))


FTS_BITS = [
    '"',
    "(",
    ")",
    "*",
    "^",
    "-",
    ":",
    "+",
    "'",
    "’",
    "“",
    "”",
    "«",
    "»",
    " ",
    " ",
    " ",
    "\t",
    "\x00",
    "\u200b",
    "\u202e",
    "OR",
    "AND",
    "NOT",
    "NEAR",
    "NEAR(",
    "{",
    "}",
    ",",
    ";",
    "%",
    "\\",
]
WORDS = [
    "sanctions",
    "Kazakhstan",
    "Nazarbayev",
    "Назарбаев",
    "Тоқаев",
    "Auštrevičius",
    "doesn't",
    "human",
    "rights",
    "prison",
    "Castelleti",
    "zz",
    "a",
    "x",
    "regime",
]

queries = st.one_of(
    st.text(max_size=60),
    st.text(
        alphabet=st.sampled_from([b for b in FTS_BITS if len(b) == 1] + list("abcxyzАБВқә0123456789")), max_size=40
    ),
    st.lists(st.sampled_from(FTS_BITS + WORDS), max_size=25).map("".join),
    st.lists(
        st.one_of(
            st.sampled_from(FTS_BITS + WORDS),
            st.text(max_size=4),
            st.characters(categories=["Cs", "Cc", "Cf", "Mn", "Zs", "So"]),
        ),
        max_size=20,
    ).map("".join),
)


@pytest.mark.slow
@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=queries, quotes_only=st.booleans(), exact=st.booleans(), order=st.sampled_from(["relevance", "document"]))
def test_search_never_raises_and_stays_within_its_budget(seed_search, text, quotes_only, exact, order):
    options = SearchOptions(quotes_only=quotes_only, exact_diacritics=exact, order=order, limit=10, timeout_ms=2000)
    check(seed_search.run(text, options))
