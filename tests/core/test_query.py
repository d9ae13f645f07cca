"""The query language: what users type is read into our model; nothing is ever an error."""

from __future__ import annotations

import re

import pytest

from viewer.core.query import (
    EMPTY_HINT,
    MAX_CHARS,
    MAX_DEPTH,
    MAX_TERMS,
    NEGATIVE_ONLY_HINT,
    And,
    Or,
    Term,
    evaluate,
    parse,
)
from viewer.core.search import fts_expression
from viewer.core.tokens import index_form


def words(node):
    """A compact picture of a query model for literal expectations."""
    if isinstance(node, Term):
        text = " ".join(node.words)
        text = f'"{text}"' if node.quoted or node.is_phrase else text
        return text + ("*" if node.prefix else "")
    if isinstance(node, Or):
        return "(" + " | ".join(words(i) for i in node.items) + ")"
    assert isinstance(node, And)
    out = " & ".join(words(i) for i in node.items)
    if node.exclude:
        out += " - " + " - ".join(words(i) for i in node.exclude)
    return "[" + out + "]"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("sanctions", "sanctions"),
        ("human rights", "[human & rights]"),
        ('"human rights"', '"human rights"'),
        ("Kazakh*", "Kazakh*"),
        ('"human rig"*', '"human rig"*'),
        ("sanctions OR regime", "(sanctions | regime)"),
        ("sanctions -regime", "[sanctions - regime]"),
        ("sanctions NOT regime", "[sanctions - regime]"),
        ('sanctions -"human rights"', '[sanctions - "human rights"]'),
        ("sanctions (regime OR government)", "[sanctions & (regime | government)]"),
        ("sanctions -(regime OR government)", "[sanctions - (regime | government)]"),
        ("a AND b", "[a & b]"),
        ("(a b) c", "[a & b & c]"),
        ("(a OR b) OR c", "(a | b | c)"),
        ("a -b -c", "[a - b - c]"),
        ("NOT NOT a", "a"),
        ("well-known", '"well known"'),
        ("doesn't", '"doesn t"'),
        ("doesn’t", '"doesn t"'),
        ("“human rights”", '"human rights"'),
        ("«права человека»", '"права человека"'),
        ("C++", "C"),
        ("50%", "50"),
        ("park.", "park"),
        ("a:b", '"a b"'),
        ("NEAR(a b)", "[NEAR & a & b]"),
        ("x*", "x"),
        ("OR", "OR"),
        ("AND NOT", "[AND & NOT]"),
        ("a OR", "a"),
        ("OR a", "a"),
        ("a AND", "a"),
        ("- a", "a"),
        ("a - b", "[a & b]"),
    ],
)
def test_reading(text, expected):
    q = parse(text)
    assert q.hint is None
    assert words(q.root) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        '"',
        '""',
        '" "',
        "“”",
        "«»",
        "*",
        "^",
        "-",
        "()",
        "((()))",
        "\x00",
        "\u200b\u202e",
        "\ud800",
        ")(",
        '"*"',
        "...",
    ],
)
def test_nothing_to_search_gives_the_hint(text):
    q = parse(text)
    assert q.root is None and q.hint == EMPTY_HINT


@pytest.mark.parametrize("text", ["-regime", "NOT regime", "-a -b", "-(a OR b)", 'NOT "human rights"'])
def test_only_words_to_leave_out_gives_its_own_hint(text):
    q = parse(text)
    assert q.root is None and q.hint == NEGATIVE_ONLY_HINT


def test_repairs_are_reported():
    assert parse('"human rights').notes == ("An unclosed quote was ignored; its words were searched one by one.",)
    assert words(parse('"human rights').root) == "[human & rights]"
    assert parse("(a OR b").notes == ("An unclosed parenthesis was closed at the end.",)
    assert words(parse("(a OR b").root) == "(a | b)"
    assert parse("a) b").notes == ("An unmatched parenthesis was ignored.",)
    assert "inside OR" in parse("a OR -b").notes[0] and words(parse("a OR -b").root) == "a"
    assert "at least 2 letters" in parse("x*").notes[0]


def test_long_input_is_capped():
    q = parse("word " * 50_000)
    assert len(q.text) <= MAX_CHARS
    assert f"Only the first {MAX_CHARS:,} characters were searched." in q.notes
    q = parse(" ".join(f"w{i}" for i in range(500)))
    assert len(q.terms()) == MAX_TERMS and f"Only the first {MAX_TERMS} words were searched." in q.notes


def test_deep_parentheses_are_flattened_not_recursed():
    q = parse("(" * 400 + "a" + ")" * 400)
    assert words(q.root) == "a" and f"Parentheses nested deeper than {MAX_DEPTH} were ignored." in q.notes
    q = parse("(" * 3 + "a OR b" + ")" * 3 + " c")
    assert words(q.root) == "[(a | b) & c]"


def test_terms_positive_and_excluded():
    q = parse('sanctions "human rights" -regime -(x OR y)')
    assert [t.text for t in q.terms()] == ["sanctions", "human rights"]
    assert [t.text for t in q.terms(excluded=True)] == ["regime", "x", "y"]


def test_evaluate_follows_and_or_not():
    q = parse("a (b OR c) -d")
    assert evaluate(q.root, lambda t: t.text in {"a", "c"})
    assert not evaluate(q.root, lambda t: t.text in {"a", "c", "d"})
    assert not evaluate(q.root, lambda t: t.text in {"b", "c"})


@pytest.mark.parametrize(
    "text, expected",
    [
        ("sanctions", '"sanctions"'),
        ("Auštrevičius", '"austrevicius"'),
        ("human rights", '("human" AND "rights")'),
        ('"Human Rights"*', '"human rights"*'),
        ("a OR b -c", '("a" OR (("b") NOT ("c")))'),
        ("sanctions -regime", '(("sanctions") NOT ("regime"))'),
        ("(a OR b) -c", '((("a" OR "b")) NOT ("c"))'),
        ('a" NEAR(b) c:d ^e', '("a" AND "near" AND "b" AND "c d" AND "e")'),
    ],
)
def test_fts_expression_quotes_every_word(text, expected):
    q = parse(text)
    alternatives = {t: (tuple(index_form(w) for w in t.words),) for t in q.terms() + q.terms(excluded=True)}
    expr = fts_expression(q.root, alternatives)
    assert expr == expected
    tokens = re.findall(r'"[^"]*"\*?|[()]|\S+', expr)
    assert all(t in ("(", ")", "AND", "OR", "NOT") or t.startswith('"') for t in tokens)
