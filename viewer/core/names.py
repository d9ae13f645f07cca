"""Are two names the same person? One answer for extraction, import matching, statistics and search.

A name is read as its given names and its surname, each reduced by ``viewer.core.text.romanisation_key``
(the one folding across scripts and romanisations: Айгерим Серикбаева = Aigerim Serikbayeva = Aygerim
Serikbaeva; Қасым Тоқаев = Qasym Toqaev = Kasym Tokayev), with honorifics and titles left out ("Dr", "MEP",
"former"), and, for a Cyrillic name in an oblique case ("Нурсултана Назарбаева"), its nominative reading
too. Then ``same_person``:

* ``SURE``: the same given names and surname ("Yevgeniy Zhovtis" and "Евгений Жовтис");
* ``MAYBE``: the same surname with a surname alone on one side ("Zhovtis"), or given names that may be the
  same ("J. Zhovtis", "Yevgeny Zhovtis" next to "Yevgeniy Zhovtis" is SURE, "Yevgenij" too); or the same given
  name with a surname one or two letters off ("Aigerim Serikbayeva" / "Aigerim Serikbaeyva");
* ``NO``: anything else, including the same surname with different given names ("Bill Clinton" and
  "Hillary Clinton") and a female form of a surname ("Nazarbayev" / "Nazarbayeva").

Who uses it: the extraction links the names of one document; an import matches a document's speakers with the
archive's (SURE is one speaker, MAYBE is kept apart and reported); statistics group mentions across documents;
the search finds a speaker in any spelling.
"""

from __future__ import annotations

import re
from collections import namedtuple
from functools import lru_cache

from viewer.core.lexicon import HONORIFICS
from viewer.core.text import fold, fold_quotes, has_cyrillic, romanisation_key, translit

SURE, MAYBE, NO = "sure", "maybe", "no"

# Words before a name that are not part of it.
TITLE_WORDS = frozenset(HONORIFICS) | {"mister", "madam", "president", "former", "late", "the"}
# Endings of a Russian name in an oblique case ("Нурсултана Назарбаева" -> Нурсултан Назарбаев).
CASE_ENDINGS = ("ым", "ом", "ем", "а", "у", "е", "я", "ю")
# Romanisations disagree on the first letter too (Yevgeniy/Evgeny, Zhovtis/Jovtis, Qasym/Kasym).
FIRST_LETTERS = {
    "e": "ey",
    "y": "yeiaou",
    "i": "iy",
    "j": "jzd",
    "z": "zj",
    "d": "dj",
    "h": "hk",
    "k": "kqh",
    "q": "qk",
    "c": "ct",
    "t": "tc",
    "v": "vw",
    "w": "wv",
    "u": "uy",
    "a": "ay",
    "o": "oy",
}


class Reading(namedtuple("Reading", ["given", "surname"])):  # not typing.NamedTuple: a search does not import typing
    """A name as given names (a tuple of str) and a surname, each reduced by ``romanisation_key``."""

    __slots__ = ()


def name_key(name: str) -> str:
    """The exact key an archive stores for a speaker's name: folded, transliterated, letters and digits."""
    return re.sub(r"[^a-z0-9 ]+", "", translit(name)).strip()


def words(name: str) -> list[str]:
    """A name's words in Latin letters, lower case, without a possessive and without titles before it."""
    base = fold_quotes(name)
    base = re.sub(r"'s?$", "", base.strip())
    toks = [re.sub(r"[^a-z0-9]", "", t) for t in translit(base).split()]
    toks = [t for t in toks if t]
    while toks and toks[0] in TITLE_WORDS:
        toks.pop(0)
    return toks


@lru_cache(maxsize=65536)
def readings(name: str) -> tuple[Reading, ...]:
    """The ways a name can be read: as written, and a Cyrillic name in an oblique case in the nominative."""
    out = []
    toks = words(name)
    if toks:
        out.append(Reading(tuple(romanisation_key(t) for t in toks[:-1]), romanisation_key(toks[-1])))
    parts = name.split()
    if has_cyrillic(name):
        for ending in CASE_ENDINGS:
            if all(fold(w).endswith(ending) and len(w) > len(ending) + 2 for w in parts[-2:]):
                stem = " ".join(parts[:-2] + [w[: -len(ending)] for w in parts[-2:]])
                t = words(stem)
                if t:
                    out.append(Reading(tuple(romanisation_key(x) for x in t[:-1]), romanisation_key(t[-1])))
    return tuple(out)


def female_form(a: str, b: str) -> bool:
    """ "nazarbaiev" and "nazarbaieva": the same family, not the same person."""
    short, long_ = sorted((a, b), key=len)
    return long_ == short + "a" or (short.endswith("i") and long_ == short[:-1] + "aia")


def _indel_one(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) != 1:
        return False
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def similar_surnames(a: str, b: str) -> bool:
    """Two reduced surnames of one person: equal, letters swapped in a long name (a typo such as
    "Nazabaryev"), or one letter more or less in a long name (not a female form). Strict enough to merge
    without asking."""
    if a == b:
        return True
    if min(len(a), len(b)) < 6 or a[0] != b[0] or female_form(a, b):
        return False
    if sorted(a) == sorted(b):
        return sum(x != y for x, y in zip(a, b)) <= 4
    return _indel_one(a, b)


def near_spellings(a: str, b: str) -> bool:
    """Two reduced words one or two edits apart with the same first letter: perhaps one name, perhaps not."""
    if a[:1] != b[:1] or min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 2:
        return False
    from rapidfuzz.distance import DamerauLevenshtein  # loaded on first use: the window opens without it

    return DamerauLevenshtein.distance(a, b) <= 2 and not female_form(a, b)


def compatible_given(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Given names that can be one person's: one side has none, an initial agrees, or the first given
    names are spellings of one name."""
    if not a or not b:
        return True
    x, y = a[0], b[0]
    if len(x) == 1 or len(y) == 1:
        return x[0] == y[0]
    return x == y or (min(len(x), len(y)) >= 4 and similar_surnames(x, y))


def same_person(a: str, b: str) -> str:
    """``SURE``, ``MAYBE`` or ``NO``: are names ``a`` and ``b`` one person? (The module docstring has the rules.)"""
    best = NO
    for x in readings(a):
        for y in readings(b):
            if x.surname == y.surname and not female_form(x.surname, y.surname):
                if x.given and y.given:
                    if x.given == y.given or (x.given[0] == y.given[0] and len(x.given[0]) > 1):
                        return SURE
                    if compatible_given(x.given, y.given) or (
                        x.given[0][:1] == y.given[0][:1] and near_spellings(x.given[0], y.given[0])
                    ):
                        best = MAYBE
                else:
                    best = MAYBE
            elif x.given and y.given and x.given[0] == y.given[0] and near_spellings(x.surname, y.surname):
                best = MAYBE
    return best


def first_letters(word: str) -> str:
    """The letters a romanisation of ``word`` may start with, its own first ("yevgeniy": y, e, i, a, o, u)."""
    return "".join(dict.fromkeys(FIRST_LETTERS.get(word[:1], word[:1])))
