"""Text normalisation shared by extraction, indexing and search.

Everything that decides whether two spellings are "the same" lives here, so the index and the
query are always folded by the same code:

* ``fold``: case folding for every script, diacritics removed, curly and straight quotes and
  apostrophes made equal, ``ё`` = ``е`` and the Kazakh letters folded to their Russian neighbours.
* ``translit``: Cyrillic (Russian, Kazakh, Ukrainian, Belarusian letters) to Latin, in the style of
  the BGN/PCGN romanisation English-language reports use (Назарбаев -> nazarbayev).
* ``word_spans`` / ``count_words``: the one definition of a word.
"""

from __future__ import annotations

import re
import unicodedata

# Apostrophes and quotation marks that users type interchangeably.
_QUOTE_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
        "\u0060": "'", "\u00b4": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2033": '"',
        "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    }
)

# Kazakh (and Ukrainian/Belarusian) letters folded onto the Russian alphabet, so that the
# Kazakh, Russian and Latin spellings of one name meet after transliteration.
_CYRILLIC_FOLD = str.maketrans(
    {
        "қ": "к", "ғ": "г", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "ә": "а",
        "і": "и", "ё": "е", "ї": "и", "є": "е", "ў": "у", "ґ": "г",
    }
)

_VOWELS_CYR = set("аеёиоуыэюяіїєәөұүі")
_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}

_CONTROL_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
_SURROGATE_RE = re.compile("[\ud800-\udfff]")

# A word: letters/digits, joined by inner apostrophes, hyphens or dots ("doesn't", "3-6", "U.S").
WORD_RE = re.compile(r"[^\W_]+(?:['’\-.][^\W_]+)*")
CYRILLIC_RE = re.compile("[\u0400-\u04ff\u0500-\u052f]")


def clean(text: str) -> str:
    """Remove what must never reach an index or a query: NUL and control characters,
    zero-width and direction marks, lone surrogates. Tabs and newlines become spaces."""
    text = _SURROGATE_RE.sub("\ufffd", text)
    text = text.replace("\t", " ").replace("\n", " ").replace("\r", " ")
    return _CONTROL_RE.sub("", text)


def fold_quotes(text: str) -> str:
    """Curly quotes, guillemets and apostrophes become their straight ASCII forms; dashes '-'."""
    return text.translate(_QUOTE_FOLD)


def strip_diacritics(text: str) -> str:
    """``Auštrevičius`` -> ``Austrevicius``; Cyrillic letters whose identity needs the mark
    (й) are kept because NFC recomposes them before the marks are dropped."""
    out = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            # й = и + breve: keep it, it is a different letter in Russian.
            if ch == "\u0306" and out and out[-1] in "иИ":
                out[-1] = "й" if out[-1] == "и" else "Й"
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def fold(text: str, *, diacritics: bool = True) -> str:
    """The normal form used for matching: quotes unified, case folded, and (unless
    ``diacritics=False``) diacritics removed and Cyrillic variants folded."""
    text = fold_quotes(text).casefold()
    if diacritics:
        text = strip_diacritics(text).translate(_CYRILLIC_FOLD)
    return text


def has_cyrillic(text: str) -> bool:
    return CYRILLIC_RE.search(text) is not None


def translit(text: str) -> str:
    """Cyrillic to Latin (BGN/PCGN style, lower case). Other characters pass through folded.

    ``е`` is ``ye`` at the start of a word and after a vowel or a sign, as in Nazarbayev,
    Tokayev, Yevgeniy; ``ий``/``ый`` at the end of a word is ``iy``/``yy``.
    """
    folded = fold(text)
    out: list[str] = []
    prev = ""
    for ch in folded:
        if ch == "е":
            out.append("ye" if (not prev or not prev.isalpha() or prev in _VOWELS_CYR or prev in "ъь") else "e")
        elif ch in _TRANSLIT:
            out.append(_TRANSLIT[ch])
        else:
            out.append(ch)
        prev = ch
    return "".join(out)


def word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every word in ``text``."""
    return [m.span() for m in WORD_RE.finditer(text)]


def count_words(text: str) -> int:
    return sum(1 for _ in WORD_RE.finditer(text))


def search_terms(text: str) -> list[str]:
    """Folded index words of ``text`` the way the FTS5 unicode61 tokenizer splits them
    (apostrophes, hyphens and dots separate words), used for highlighting and variants."""
    return re.findall(r"[^\W_]+", fold(text))


def search_extra(text: str) -> str:
    """The extra indexed text for a passage: a Latin transliteration of its Cyrillic words,
    so Latin queries find Cyrillic text (and Cyrillic queries, transliterated, find both).
    Empty when the text has no Cyrillic."""
    if not has_cyrillic(text):
        return ""
    words = [w for w in re.findall(r"[^\W_]+", text) if has_cyrillic(w)]
    return " ".join(translit(w) for w in words)


def slugify(text: str, max_len: int = 60) -> str:
    """A readable, ASCII, file-name-safe identifier ("Servants of the Regime" -> "servants-of-the-regime")."""
    base = translit(text) if has_cyrillic(text) else fold(text)
    base = re.sub("['’]", "", base)
    base = re.sub(r"[^a-z0-9]+", "-", base).strip("-")
    if len(base) > max_len:
        base = base[:max_len].rsplit("-", 1)[0] or base[:max_len]
    return base or "untitled"
