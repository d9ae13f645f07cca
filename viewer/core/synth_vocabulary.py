"""Synthetic archives (``viewer.core.synth``): the vocabulary and the people.

A Zipf vocabulary made of the words of the bundled sources, ranked by how often they occur there, and their
frequent word pairs, then a long tail of generated words; a Cyrillic one made of Russian and Kazakh syllables;
speakers with Latin and Cyrillic names, honorifics, roles and organisations.
"""

from __future__ import annotations

import itertools
import random
import re
from array import array
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from viewer.core.errors import SynthError
from viewer.core.names import name_key
from viewer.core.text import translit
from viewer.core.tokens import WORD_RE

_LETTERS_RE = re.compile(r"^[^\W\d_]+$")


def zipf_cum_weights(n: int, s: float = 1.0, q: float = 2.7) -> list[float]:
    """Cumulative Zipf–Mandelbrot weights 1/(rank + q)^s for ranks 1..n (for ``random.choices``)."""
    return list(itertools.accumulate(1.0 / (r + q) ** s for r in range(1, n + 1)))


def sample_table(words: list[str], cum: list[float], bits: int) -> list[str]:
    """A lookup table of 2**bits entries in which each word fills a share of entries equal to its
    probability (to 2**-bits): drawing a uniform entry draws from the distribution, several times faster
    than ``random.choices`` with cumulative weights. Words rarer than 2**-bits may be left out."""
    size = 1 << bits
    total = cum[-1]
    table: list[str] = []
    for w, c in zip(words, cum):
        upto = round(c / total * size)
        if upto > len(table):
            table.extend([w] * (upto - len(table)))
    return table[:size]


@dataclass
class Vocabulary:
    """Words in rank order with Zipf weights (as a sampling table), and word pairs to use as phrases."""

    words: list[str]
    cum: list[float]
    bits: int = 18
    phrases: list[str] = field(default_factory=list)
    phrase_cum: list[float] = field(default_factory=list)
    phrase_words: dict[str, int] = field(default_factory=dict)
    table: list[str] = field(default_factory=list)
    phrase_table: list[str] = field(default_factory=list)
    capital: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.table = sample_table(self.words, self.cum, self.bits)
        self._mask = (1 << self.bits) - 1
        # 256 entries: a phrase is picked with one random byte
        self.phrase_table = sample_table(self.phrases, self.phrase_cum, 8) if self.phrases else []
        self.capital = {w: w[:1].upper() + w[1:] for w in itertools.chain(self.words, self.phrases)}

    def draw(self, rng: random.Random, k: int) -> list[str]:
        """``k`` words drawn independently from the Zipf law."""
        table, mask = self.table, self._mask
        return [table[x & mask] for x in array("I", rng.randbytes(4 * k))]


def seed_words(sources: Path) -> tuple[list[str], list[tuple[str, int]]]:
    """The words of the sources' texts by frequency (most frequent first, each in its most common
    spelling), and their word pairs that occur at least twice, with counts."""
    files = sorted(sources.glob("*.txt"))
    if not files:
        raise SynthError(f"no source texts (*.txt) in {sources}")
    counts: Counter = Counter()
    forms: dict[str, Counter] = {}
    pairs: Counter = Counter()
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            for sentence in re.split(r"[.;:!?“”\"()\[\]]", line):
                prev = None
                for m in WORD_RE.finditer(sentence):
                    w = m.group(0)
                    if not _LETTERS_RE.match(w):
                        prev = None
                        continue
                    key = w.lower()
                    counts[key] += 1
                    forms.setdefault(key, Counter())[w] += 1
                    if prev is not None:
                        pairs[(prev, key)] += 1
                    prev = key

    def spelling(key: str) -> str:
        # most common form; ties go to the lower-case one so that sentence-initial capitals do not win
        best = max(forms[key].items(), key=lambda kv: (kv[1], kv[0] == key, kv[0]))
        return best[0]

    ranked = sorted(counts, key=lambda k: (-counts[k], k))
    words = [spelling(k) for k in ranked]
    spell = dict(zip(ranked, words))
    common = sorted(
        ((f"{spell[a]} {spell[b]}", c) for (a, b), c in pairs.items() if c >= 2), key=lambda pc: (-pc[1], pc[0])
    )
    return words, common


_LATIN_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"] + ["an", "el", "in", "or", "us", "ar", "en", "ol"]
_CYR_CONSONANTS = "бвгджзклмнпрстхцчш"
_CYR_VOWELS = "аеиоуыя"
_KAZ_SYLLABLES = ["қа", "ғы", "ңа", "өз", "үй", "ұл", "әл", "ік", "һа", "қы", "ғұ", "жә", "тө", "сү", "бі", "кә"]
_CYR_FUNCTION = [
    "и",
    "в",
    "не",
    "на",
    "что",
    "с",
    "по",
    "о",
    "к",
    "за",
    "из",
    "для",
    "как",
    "это",
    "және",
    "бұл",
    "мен",
    "да",
    "ол",
    "үшін",
]
# Cyrillic spellings of place and person names English reports transliterate; they meet Latin words.
_CYR_PROPER = ["Казахстан", "Назарбаев", "Токаев", "Алматы", "Астана", "Жовтис", "Шукеева"]


def _word(rng: random.Random, syllables: list[str], lo: int, hi: int) -> str:
    return "".join(rng.choice(syllables) for _ in range(rng.randint(lo, hi)))


def generated_words(rng: random.Random, n: int, syllables: list[str], lo: int, hi: int, avoid: set[str]) -> list[str]:
    out: list[str] = []
    seen = set(avoid)
    while len(out) < n:
        w = _word(rng, syllables, lo, hi)
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


def latin_vocabulary(rng: random.Random, sources: Path, extra: int) -> Vocabulary:
    words, pairs = seed_words(sources)
    tail = generated_words(rng, extra, _LATIN_SYLLABLES, 2, 4, {w.lower() for w in words})
    allw = words + tail
    phrases = [p for p, _c in pairs]
    return Vocabulary(
        words=allw,
        cum=zipf_cum_weights(len(allw)),
        phrases=phrases,
        phrase_cum=list(itertools.accumulate(c for _p, c in pairs)),
        phrase_words={p: len(p.split()) for p in phrases},
    )


def cyrillic_vocabulary(rng: random.Random, n: int) -> Vocabulary:
    syllables = [c + v for c in _CYR_CONSONANTS for v in _CYR_VOWELS] + _KAZ_SYLLABLES
    head = _CYR_FUNCTION + _CYR_PROPER
    words = head + generated_words(rng, n, syllables, 1, 4, set(head))
    return Vocabulary(words=words, cum=zipf_cum_weights(len(words)), bits=16)


_ENDINGS_M = ["", "n", "s", "r", "k", "l", "o", "mir"]
_ENDINGS_F = ["a", "ia", "ena", "ine", "ette"]
_SURNAME_SUFFIX = ["", "ski", "son", "ek", "as", "ius", "en", "ić", "er", "ini", "escu", "ovas", "šek", "ček"]
_SURNAME_SUFFIX_F = ["", "ska", "son", "ová", "ienė", "en", "ić", "er", "ini", "escu", "aitė"]
_CYR_NAME_ROOTS = [
    "ер",
    "лан",
    "нұр",
    "сұл",
    "тан",
    "ай",
    "дос",
    "жан",
    "бек",
    "бол",
    "ат",
    "мұ",
    "рат",
    "қай",
    "ғали",
    "бау",
    "ыр",
    "ас",
    "хат",
    "сер",
    "ік",
    "дәу",
    "лет",
    "ар",
    "ман",
    "ғыз",
    "тө",
    "леу",
]
_CYR_FIRST_M = [
    "ерлан",
    "нұрлан",
    "болат",
    "серік",
    "дәулет",
    "асхат",
    "марат",
    "ержан",
    "бақыт",
    "қайрат",
    "евгений",
    "дмитрий",
    "алексей",
    "сергей",
]
_CYR_FIRST_F = ["айгүл", "дана", "жанар", "гүлнар", "сәуле", "әйгерім", "анна", "ольга", "ирина", "мадина"]
HONORIFICS = [None, None, None, None, "MEP", "Dr", "Ambassador", "Professor"]
ROLES = [
    "journalist",
    "human rights defender",
    "lawyer",
    "Director",
    "Senior Lecturer",
    "activist",
    "researcher",
    "Member of Parliament",
    "Chair",
    "Special Rapporteur",
    "editor",
    "former political prisoner",
]
ORG_PATTERNS = [
    "{} Foundation",
    "{} Institute",
    "Ministry of {}",
    "{} Bureau for Human Rights",
    "{} Committee",
    "{} Centre",
    "{} Association",
]
ORG_WORDS = [
    "Justice",
    "Freedom",
    "Dialogue",
    "Steppe",
    "Civic",
    "Open",
    "Central Asian",
    "Legal",
    "Media",
    "Nomad",
    "Information",
    "Public Development",
    "Democracy",
    "Labour",
    "Press",
]
COUNTRIES = [
    "Kazakhstan",
    "Lithuania",
    "Poland",
    "Italy",
    "Germany",
    "Belgium",
    "Kyrgyzstan",
    "Uzbekistan",
    "France",
    "United Kingdom",
    "Slovakia",
    "Latvia",
    "Ukraine",
    "Norway",
]


@dataclass(frozen=True)
class Person:
    name: str  # canonical, Latin (as English reports write it)
    cyrillic: str | None  # the Cyrillic spelling, for people with Kazakh or Russian names
    gender: str  # "f" or "m"


def title_case(s: str) -> str:
    return " ".join(p[:1].upper() + p[1:] for p in s.split())


def make_person(rng: random.Random) -> Person:
    gender = "f" if rng.random() < 0.45 else "m"
    if rng.random() < 0.33:
        first = rng.choice(_CYR_FIRST_F if gender == "f" else _CYR_FIRST_M)
        root = "".join(rng.choice(_CYR_NAME_ROOTS) for _ in range(rng.randint(1, 2)))
        suffix = rng.choice(["ова", "ева", "ина"] if gender == "f" else ["ов", "ев", "ин", "ұлы"])
        cyr = title_case(f"{first} {root}{suffix}")
        return Person(title_case(translit(cyr)), cyr, gender)
    first = _word(rng, _LATIN_SYLLABLES, 1, 2) + rng.choice(_ENDINGS_F if gender == "f" else _ENDINGS_M)
    last = _word(rng, _LATIN_SYLLABLES, 2, 3) + rng.choice(_SURNAME_SUFFIX_F if gender == "f" else _SURNAME_SUFFIX)
    return Person(title_case(f"{first} {last}"), None, gender)


def unique_people(rng: random.Random, n: int, avoid: set[str] = frozenset()) -> list[Person]:
    out, seen = [], {name_key(a) for a in avoid}
    while len(out) < n:
        p = make_person(rng)
        key = name_key(p.name)
        if key not in seen and len(key) > 4:
            seen.add(key)
            out.append(p)
    return out


def make_organisations(rng: random.Random, n: int, vocab: list[str]) -> list[str]:
    out, seen = [], set()
    nouns = [w for w in vocab[:3000] if len(w) > 4]
    while len(out) < n:
        word = rng.choice(ORG_WORDS) if rng.random() < 0.5 else title_case(rng.choice(nouns))
        org = rng.choice(ORG_PATTERNS).format(word)
        if org not in seen:
            seen.add(org)
            out.append(org)
    return out
