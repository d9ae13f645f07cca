"""The one tokenizer (viewer/core/tokens.py) against SQLite's FTS5 with the archive's own tokenizer
configuration: on random text of every kind the archive holds, the words and their folded forms are FTS5's."""

from __future__ import annotations

import random
import sqlite3
import unicodedata

import pytest

from viewer.core import schema
from viewer.core.tokens import (
    FOLDED_WORD_RE,
    TERM_RE,
    TOKENIZE,
    count_words,
    fold_text,
    index_form,
    index_words,
    is_plain,
)


def fts5_tokens(texts: list[str]) -> list[list[str]]:
    """The words FTS5 makes of each text, in order, as the archive's indexes make them."""
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize='{TOKENIZE}')")
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    db.executemany("INSERT INTO t(rowid, x) VALUES (?, ?)", list(enumerate(texts, start=1)))
    out: list[list[str]] = [[] for _ in texts]
    for term, doc in db.execute("SELECT term, doc FROM v ORDER BY doc, offset"):
        out[doc - 1].append(term)
    return out


def ours(text: str) -> list[str]:
    return [index_form(w) for _s, _e, w in index_words(text)]


def test_the_archive_is_indexed_with_this_tokenizer():
    assert schema.TOKENIZE == TOKENIZE


# Pieces of the texts the archive holds: English with typographic apostrophes and hyphens, Latin letters with
# diacritics (precomposed and as combining marks), Russian, Kazakh and Ukrainian letters in both cases, digits,
# punctuation, separators of every kind.
PIECES = [
    "rights",
    "Human",
    "KAZAKHSTAN",
    "doesn't",
    "doesn’t",
    "O’Brien",
    "Qasym-Jomart",
    "so-called",
    "U.S.",
    "Auštrevičius",
    "ÉCOLE",
    "café",
    "naïve",
    "Łódź",
    "Straße",
    "İstanbul",
    "ıi",
    "Ærø",
    "Ǆemal",
    "ǅ",
    "Aus\u030ctrevic\u030cius",
    "cafe\u0301",
    "e\u0300\u0301",
    "\u0301",
    "Назарбаев",
    "Тоқаев",
    "Қазақстан",
    "ҚАЗАҚСТАН",
    "Ақорда",
    "біздің",
    "үйіміз",
    "Ғалым",
    "Өскемен",
    "Ұлытау",
    "һ",
    "ң",
    "ә",
    "Ёлка",
    "ёлка",
    "Україна",
    "Її",
    "Ґ",
    "й",
    "и\u0306",
    "2021",
    "3–6",
    "50%",
    "105",
    "1,000",
    "3.5",
    "24/7",
    "№5",
    " ",
    " ",
    "  ",
    "\t",
    "\n",
    "\u00a0",
    "\u2009",
    "-",
    "‐",
    "–",
    "—",
    "'",
    "’",
    "ʼ",
    "`",
    "´",
    ".",
    ",",
    ";",
    ":",
    "!",
    "?",
    "(",
    ")",
    "«",
    "»",
    "“",
    "”",
    "„",
    '"',
    "/",
    "_",
    "*",
    "+",
    "&",
    "@",
    "#",
]


def random_texts(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        parts = [rng.choice(PIECES) for _ in range(rng.randint(1, 12))]
        texts.append("".join(parts) if rng.random() < 0.5 else " ".join(parts))
    return texts


def test_words_and_folding_are_fts5s_on_random_text():
    texts = random_texts(17, 4000)
    for text, want in zip(texts, fts5_tokens(texts)):
        assert ours(text) == want, text
        if is_plain(text):
            # the fast path folds the whole text at once and finds the words with a pattern: the same words
            assert FOLDED_WORD_RE.findall(fold_text(text)) == want, text
            assert [w for w in FOLDED_WORD_RE.findall(fold_text(text, ascii_words=True)) if w.isascii()] == [
                w for w in want if w.isascii()
            ], text


def test_plain_text_folds_character_by_character_like_fts5():
    """Every code point ``is_plain`` accepts, alone, inside a word and at either end of one."""
    chars = [chr(c) for c in range(1, 0x2100) if is_plain(chr(c))]
    texts = []
    for ch in chars:
        texts += [ch, f"a{ch}b", f"{ch}rights", f"Rights{ch}"]
    for text, want in zip(texts, fts5_tokens(texts)):
        assert ours(text) == want, (text, hex(ord(text[0])))
        assert FOLDED_WORD_RE.findall(fold_text(text)) == want, (text, hex(ord(text[0])))


def _letters(*ranges: tuple[int, int]) -> list[str]:
    return [chr(c) for a, b in ranges for c in range(a, b + 1) if unicodedata.category(chr(c)).startswith("L")]


def test_index_form_is_fts5s_for_latin_cyrillic_and_greek_letters():
    # (letters added to Unicode after the tables SQLite folds with, such as U+0528 on, are left out)
    letters = _letters((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F), (0x386, 0x3CE), (0x400, 0x527), (0x1E00, 0x1EFF))
    words = [f"a{ch}b" for ch in letters]
    wrong = [(w, index_form(w), e) for w, e in zip(words, fts5_tokens(words)) if [index_form(w)] != e]
    assert wrong == []


@pytest.mark.parametrize(
    "word, expected",
    [
        ("Auštrevičius", "austrevicius"),
        ("ÉCOLE", "ecole"),
        ("Тоқаев", "тоқаев"),
        ("Ёлка", "ёлка"),
        ("Łódź", "łodz"),
        ("İstanbul", "istanbul"),
        ("Straße", "straße"),
    ],
)
def test_index_form_literals(word, expected):
    assert index_form(word) == expected


def test_index_words_offsets_point_into_the_original_text():
    text = "Petras Auštrevičius’ “Democratic Choice”"
    assert [text[s:e] for s, e, _w in index_words(text)] == ["Petras", "Auštrevičius", "Democratic", "Choice"]


def test_not_plain_text_is_what_fold_text_cannot_fold_alone():
    assert is_plain("Тоқаев said: “rights”, 3–6") and is_plain("")
    assert not is_plain("Ελλάδα") and not is_plain("cafe\u0301") and not is_plain("µ")


def test_terms_are_letters_joined_by_apostrophes_and_counted_words_take_digits():
    text = "O’Brien's so-called 3-6 U.S. reforms in Қазақстан, 2021"
    assert TERM_RE.findall(text) == ["O’Brien's", "so", "called", "U", "S", "reforms", "in", "Қазақстан"]
    assert count_words(text) == 8  # O’Brien's, so-called, 3-6, U.S, reforms, in, Қазақстан, 2021
