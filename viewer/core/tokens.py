"""Words, defined once: how the archive's full-text index splits and folds text, and the words built on it.

The FTS5 indexes (``TOKENIZE``: unicode61, diacritics removed) split and fold text themselves. Search must
ask them for exactly the words they hold, find the same words again in a passage to highlight them, and (the
top-k lists) count a phrase in a passage's text the way FTS5 counts it. So the tokenizer is reproduced here,
once, and tested against SQLite's on random text (tests/core/test_tokens.py):

* **index words**: ``index_words(text)`` splits like the tokenizer (letters and digits of any script;
  combining marks join a word), ``index_form(word)`` folds one word like it (lower case; the marks of letters
  whose base letter is ASCII removed: ``Auštrevičius`` -> ``austrevicius``; Cyrillic letters stay: й, ё, қ).
* **whole texts, fast**: ``fold_text(text)`` folds a text at once, character by character; exact for *plain*
  text (``is_plain``: Latin and Cyrillic letters, digits, punctuation, no combining marks), whose index words
  are then the ``FOLDED_WORD_RE`` runs of the folded text.
* **phrases**: ``count_phrase(folded, words, prefix)`` counts a phrase's instances in folded text as FTS5
  counts them (the top-k lists' scores of rows they did not store).
* **built on them**: a statistics term's token (``TERM_RE``: the index's letters, digits left out, joined by
  inner apostrophes: "O’Brien", "doesn't") and a counted word (``WORD_RE``: letters and digits joined by
  inner apostrophes, hyphens or dots: "3-6", "U.S"; ``count_words``).
"""

from __future__ import annotations

import functools
import re
import unicodedata

# The archive's FTS5 tokenizer (viewer.core.schema makes the indexes with it).
TOKENIZE = "unicode61 remove_diacritics 2"

# Combining marks (the blocks of them the index knows): inside a word they join it, and folding drops them.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# A letter or digit of any script (Python's \w without "_").
_ALNUM = r"[^\W_]"
_LETTER = r"[^\W\d_]"

# a run of letters, digits and marks holding a letter or a digit (marks alone make no word)
INDEX_WORD_RE = re.compile(rf"[{_MARKS}]*{_ALNUM}(?:{_ALNUM}|[{_MARKS}])*")
# The words of a text folded by ``fold_text`` (plain text has no combining marks).
FOLDED_WORD_RE = re.compile(rf"{_ALNUM}+")
TERM_RE = re.compile(rf"{_LETTER}+(?:['’]{_LETTER}+)*")
WORD_RE = re.compile(rf"{_ALNUM}+(?:['’\-.]{_ALNUM}+)*")


# ---------------------------------------------------------------------------- one word

_KEEPS_MARKS = set("Ǡǡ")  # SQLite's table keeps these Latin letters as they are


def _index_char(ch: str) -> str:
    low = ch.casefold()
    if len(low) != 1:
        low = ch.lower()
        if len(low) != 1:
            low = unicodedata.normalize("NFD", ch)[0].lower()
    if unicodedata.combining(low):
        return ""
    decomposed = unicodedata.normalize("NFD", low)
    if (
        len(decomposed) > 1
        and decomposed[0].isascii()
        and low not in _KEEPS_MARKS
        and all(unicodedata.combining(c) for c in decomposed[1:])
    ):
        return decomposed[0]
    return low


@functools.lru_cache(maxsize=65536)
def index_form(word: str) -> str:
    """The word as the index holds it: lower case, and the diacritics of Latin letters removed
    (``Auštrevičius`` -> ``austrevicius``; ``Тоқаев`` -> ``тоқаев``, Cyrillic letters stay). Character by
    character, as the index reads it: a combining mark goes whatever letter it follows (``и`` + breve is
    ``и``, while ``й`` written as one character stays)."""
    if word.isascii():
        return word.lower()
    return "".join(map(_index_char, word))


def index_words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of every word the index makes of ``text``, with offsets in ``text``."""
    return [(m.start(), m.end(), m.group()) for m in INDEX_WORD_RE.finditer(text)]


def count_words(text: str) -> int:
    """How many words ``text`` has (``WORD_RE``): what a passage's and a speaker's word counts count."""
    return sum(1 for _ in WORD_RE.finditer(text))


# ---------------------------------------------------------------------------- whole texts

# Text whose characters fold one by one exactly as the index folds its words (checked code point by code
# point against SQLite in tests/core/test_tokens.py): Latin and Cyrillic letters, digits, punctuation. A few
# letters inside those blocks fold differently in SQLite (µ, ſ, ǡ, ẛ) or are newer than its Unicode tables.
_NOT_PLAIN = re.compile(
    "[^\x00-\xb4\xb6-\u017e\u0180-\u01df\u01e2-\u024f\u0400-\u0482\u048a-\u0527"
    "\u1e00-\u1e9a\u1e9c-\u1eff\u2000-\u2064\u20a0-\u20b9]"
)


def is_plain(text: str) -> bool:
    """Whether ``fold_text`` folds ``text`` exactly as the index does (else ask the index itself)."""
    return text.isascii() or _NOT_PLAIN.search(text) is None


@functools.cache
def _fold_table() -> dict[int, str]:
    """Every letter the index folds to another (made when first needed: ~5 ms, which a search's start-up need
    not pay)."""
    table = {}
    for cp in range(0x41, 0x20BA):
        ch = chr(cp)
        if not _NOT_PLAIN.match(ch) and FOLDED_WORD_RE.fullmatch(ch):
            folded = index_form(ch)
            if folded != ch:
                table[cp] = folded
    return table


@functools.cache
def _to_ascii() -> re.Pattern:
    """Letters that fold to ASCII (é, İ): only text holding one of them needs the (slower) table when every word
    looked for is ASCII; lower() does the rest."""
    chars = (re.escape(chr(cp)) for cp, v in sorted(_fold_table().items()) if cp > 0x7F and v.isascii())
    return re.compile("[" + "".join(chars) + "]")


def _ascii_fold(m: re.Match) -> str:
    return _fold_table()[ord(m.group())]


def fold_text(text: str, ascii_words: bool = False) -> str:
    """Plain text (``is_plain``) folded the way the index folds its words, "_" (a separator) made a space, so
    that its index words are exactly the ``FOLDED_WORD_RE`` runs. ``ascii_words``: only ASCII words will be
    looked for in it, so only the letters that fold to ASCII need folding (words with any other letter cannot
    match)."""
    if text.isascii():
        folded = text.lower()
    elif ascii_words:
        folded = _to_ascii().sub(_ascii_fold, text).lower()
    else:
        folded = text.translate(_fold_table())
    return folded.replace("_", " ") if "_" in folded else folded


# ---------------------------------------------------------------------------- phrases in folded text


@functools.lru_cache(maxsize=512)
def _phrase_pattern(words: tuple[str, ...], prefix: bool) -> re.Pattern:
    """Instances of a phrase in folded text: consecutive whole tokens (the last by prefix). In text folded by
    ``fold_text`` (no marks, "_" made a space) the runs of word characters are exactly its index words. A phrase
    that can overlap itself ("ha ha", "ab a*") is counted by position, so that overlapping instances all count,
    as in FTS5."""
    body = r"\W+".join(re.escape(w) for w in words) + (r"\w*" if prefix else "")
    if len(words) > 1 and (prefix or overlaps_itself(words)):
        return re.compile(rf"\b(?={body}\b)")
    return re.compile(rf"\b{body}\b")


def count_phrase(folded: str, words: tuple[str, ...], prefix: bool = False) -> int:
    """How many instances of the phrase ``words`` text folded by ``fold_text`` holds."""
    if words[0] not in folded:
        return 0
    return len(_phrase_pattern(words, prefix).findall(folded))


def overlaps_itself(words: tuple[str, ...]) -> bool:
    """Whether an instance of the phrase can start inside another ("ha ha")."""
    return any(words[s:] == words[: len(words) - s] for s in range(1, len(words)))
