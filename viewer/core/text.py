"""Text normalisation shared by extraction, indexing and search.

Everything that decides whether two spellings are "the same" lives here, so the index and the
query are always folded by the same code:

* ``fold``: case folding for every script, diacritics removed, curly and straight quotes and
  apostrophes made equal, ``ё`` = ``е`` and the Kazakh letters folded to their Russian neighbours.
* ``translit``: Cyrillic (Russian, Kazakh, Ukrainian, Belarusian letters) to Latin, in the style of
  the BGN/PCGN romanisation English-language reports use (Назарбаев -> nazarbayev).
* ``spelling_key``: the one folding across scripts: a word's Latin spelling with the letters that
  Russian, Kazakh and Latin spellings of one word disagree on made equal (Казахстан, Қазақстан,
  Kazakhstan and Qazaqstan are all ``kazakstan``). Search, speaker matching and the merging of
  mentions all compare words with it; ``romanisation_key`` builds on it for names, where
  romanisations disagree on more (Yevgeniy / Evgeny / Evgenij).

Where words begin and end, and how the full-text index folds them, is ``viewer.core.tokens``.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from viewer.core.tokens import index_form, index_words

# Apostrophes and quotation marks that users type interchangeably.
_QUOTE_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u02bc": "'",
        "\u0060": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2010": "-",
        "\u2011": "-",
    }
)

# Kazakh (and Ukrainian/Belarusian) letters folded onto the Russian alphabet, so that the
# Kazakh, Russian and Latin spellings of one name meet after transliteration.
_CYRILLIC_FOLD = str.maketrans(
    {
        "қ": "к",
        "ғ": "г",
        "ң": "н",
        "ө": "о",
        "ұ": "у",
        "ү": "у",
        "һ": "х",
        "ә": "а",
        "і": "и",
        "ё": "е",
        "ї": "и",
        "є": "е",
        "ў": "у",
        "ґ": "г",
    }
)

_QUOTE_CHARS = re.compile("[" + re.escape("".join(map(chr, _QUOTE_FOLD))) + "]")
_CYRILLIC_FOLD_CHARS = re.compile("[" + re.escape("".join(map(chr, _CYRILLIC_FOLD))) + "]")

_VOWELS_CYR = set("аеёиоуыэюяіїєәөұүі")
_TRANSLIT = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}

_CONTROL_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
_SURROGATE_RE = re.compile("[\ud800-\udfff]")

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


class _Marks(dict):
    """``str.translate`` table, filled as characters are met: combining marks deleted, except the
    breve (U+0306), which ``strip_diacritics`` looks at itself."""

    def __missing__(self, code: int) -> int | None:
        value = None if code != 0x306 and unicodedata.combining(chr(code)) else code
        self[code] = value
        return value


_MARKS = _Marks()


def strip_diacritics(text: str) -> str:
    """``Auštrevičius`` -> ``Austrevicius``; Cyrillic letters whose identity needs the mark
    (й) are kept because NFC recomposes them before the marks are dropped."""
    if text.isascii():
        return text
    out = unicodedata.normalize("NFD", text).translate(_MARKS)
    if "\u0306" in out:
        # й = и + breve: keep it, it is a different letter in Russian; any other breve goes
        out = out.replace("и\u0306", "й").replace("И\u0306", "Й").replace("\u0306", "")
    return unicodedata.normalize("NFC", out)


def fold(text: str, *, diacritics: bool = True) -> str:
    """The normal form used for matching: quotes unified, case folded, and (unless
    ``diacritics=False``) diacritics removed and Cyrillic variants folded."""
    if text.isascii():  # the same result, faster: of ASCII only the backtick is a quote to unify
        return text.replace("`", "'").lower()
    # each table is applied only where it changes something (a search is much faster than translate)
    if _QUOTE_CHARS.search(text):
        text = text.translate(_QUOTE_FOLD)
    text = text.casefold()
    if diacritics:
        text = strip_diacritics(text)
        if _CYRILLIC_FOLD_CHARS.search(text):
            text = text.translate(_CYRILLIC_FOLD)
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


def search_extra(text: str) -> str:
    """The extra indexed text for a passage: a Latin transliteration of its Cyrillic words, so
    Latin queries find Cyrillic text (and Cyrillic queries, transliterated, find both), and the
    ASCII spelling of Latin words with letters that keep their marks when folded (Łódź -> lodz,
    Straße -> strasse). Empty when there is nothing to add."""
    extra = []
    for _s, _e, word in index_words(text):
        if has_cyrillic(word):
            extra.append(translit(word))
        else:
            folded = index_form(word)
            ascii_form = folded.translate(_LATIN_ASCII)
            if ascii_form != folded:
                extra.append(ascii_form)
    return " ".join(extra)


def slugify(text: str, max_len: int = 60) -> str:
    """A readable, ASCII, file-name-safe identifier ("Servants of the Regime" -> "servants-of-the-regime")."""
    base = translit(text) if has_cyrillic(text) else fold(text)
    base = re.sub("['’]", "", base)
    base = re.sub(r"[^a-z0-9]+", "-", base).strip("-")
    if len(base) > max_len:
        base = base[:max_len].rsplit("-", 1)[0] or base[:max_len]
    return base or "untitled"


# Latin letters without a decomposition: neither fold() nor the FTS5 tokenizer removes their
# marks (Łódź stays łódź), so their ASCII spelling is indexed too (search_extra).
_LATIN_ASCII = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ı": "i",
        "ħ": "h",
        "þ": "th",
        "ŧ": "t",
        "ŀ": "l",
        "ŋ": "ng",
    }
)


def latin_ascii(word: str) -> str:
    """The index form with letters like ł, ø, ß, æ spelt in ASCII (``Łódź`` -> ``lodz``)."""
    return index_form(word).translate(_LATIN_ASCII)


def exact_form(word: str) -> str:
    """A word compared with its diacritics kept: lower case (not casefold, which turns ß into
    ss), quotes unified, composed (NFC)."""
    return unicodedata.normalize("NFC", fold_quotes(unicodedata.normalize("NFC", word)).lower())


# ------------------------------------------------------------------ one folding across scripts
#
# Russian х is "kh" in Latin, Kazakh қ is "q" in Kazakh Latin and "k" in Russian-style romanisations, and
# one word may have either letter in either language (Казахстан, Қазақстан). ``spelling_key`` makes the
# letters of that family one letter, so the spellings of one word meet whatever their script.
_SPELLING_RULES = (("kh", "k"), ("q", "k"))
SPELLING_SOURCES = {"k": ("k", "kh", "q")}  # what ``spelling_key`` makes "k" of: its spellings


@functools.lru_cache(maxsize=65536)
def spelling_key(word: str) -> str:
    """One word in any script reduced so that its Russian, Kazakh and Latin spellings meet: the Latin
    spelling (``translit`` for Cyrillic, ``latin_ascii`` for Latin), then ``kh`` and ``q`` as ``k``
    (Казахстан = Қазақстан = Kazakhstan = Qazaqstan = Kazakstan -> ``kazakstan``)."""
    key = translit(word) if has_cyrillic(word) else latin_ascii(word)
    for a, b in _SPELLING_RULES:
        key = key.replace(a, b)
    return key


def spelling_keys(text: str) -> tuple[str, ...]:
    """``spelling_key`` of each word of ``text`` (words as the index splits them)."""
    return tuple(spelling_key(w) for _s, _e, w in index_words(text))


def spellings(key: str, limit: int = 27) -> list[str]:
    """The Latin spellings that have ``spelling_key`` ``key`` (``kazakstan`` -> kazakstan, kazakhstan,
    kazaqstan, …, qazaqstan), the key itself first; none past ``limit`` (a word with many k's)."""
    out = [""]
    for ch in key:
        sources = SPELLING_SOURCES.get(ch, (ch,))
        out = [o + s for o in out for s in sources]
        if len(out) > limit:
            return [key]
    return out


# Spellings that romanisations of one Russian or Kazakh name disagree on (Yevgeniy / Evgeny /
# Evgenij, Tokayev / Tokaev / Toqaev, Zhovtis / Jovtis, Mikhail / Mihail, Yuriy / Iurii), each
# reduced to one form, in this order, after ``spelling_key``. Used for names (speakers matched
# across documents, mentions merged) and to compare a word missing from the index with words in it.
_ROMAN_RULES = [
    (re.compile(r"shch|sch"), "sh"),
    (re.compile(r"dzh|zh|dj"), "j"),
    (re.compile(r"tch"), "ch"),
    (re.compile(r"ts|tz"), "c"),
    (re.compile(r"ks"), "x"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"w"), "v"),
    (re.compile(r"(?<![scptgk])h"), "k"),  # Halyk = Khalyk, Mihail = Mikhail (sh, ch, ph, th, gh stay)
    (re.compile(r"y"), "i"),
    (re.compile(r"ij\b"), "i"),
    (re.compile(r"(.)\1+"), r"\1"),
    (re.compile(r"i[eo]"), "e"),
    (re.compile(r"i([au])"), r"\1"),  # Fyodor = Fedor, Yuriy = Iurii = Uri
    (re.compile(r"(.)\1+"), r"\1"),
]


@functools.lru_cache(maxsize=65536)
def romanisation_key(word: str) -> str:
    """A word reduced so that common romanisations of one Cyrillic name meet, on top of
    ``spelling_key`` (``romanisation_key("Yevgeniy") == romanisation_key("Evgeny")``)."""
    key = spelling_key(word)
    for pattern, repl in _ROMAN_RULES:
        key = pattern.sub(repl, key)
    return key


def romanisation_keys(text: str) -> tuple[str, ...]:
    """``romanisation_key`` of each word of ``text``: how two spellings of one name are compared."""
    return tuple(romanisation_key(w) for _s, _e, w in index_words(text))
