"""Synthetic archives for benchmarks: any number of passages, in the real format, from a seed.

``synthesize(out, passages=1_000_000, seed=1)`` writes an archive (format v1, the tables and FTS
indexes of ``viewer.core.schema``) that looks like every debate of a parliament, statistically:

* about 25 passages per document, dates spread over 20 years, a few related reports without text;
* thousands of speakers whose activity follows a Zipf law (a few speak everywhere, most once or twice),
  a third of them with Kazakh or Russian names that English reports transliterate;
* words drawn from a Zipf vocabulary: the words of the bundled sources, ranked by how often they occur
  there (read at run time; no third-party text is copied), their frequent word pairs (so phrases such
  as "human rights" occur), then a long tail of generated words and names;
* about 10% of passages in Cyrillic (Russian and Kazakh letters, words made from syllables), naming the
  same people in Cyrillic so that Latin and Cyrillic searches meet;
* a quoted span in about a third of the passages, with exact offsets; entity mentions in a sample;
* the precomputed statistics tables, counted by ``viewer.core.stats_rebuild.StatsRebuild``'s worker
  processes while the full-text indexes are built (``stats=False``,
  ``--no-stats``, leaves them empty), and the search's top-k lists, by ``viewer.core.topk.build_topk``
  (``topk=False``, ``--no-topk``, leaves them out).

The same seed gives the same archive, row for row in every table, however many worker processes
generate it: documents are generated in batches, each from its own random stream (seed, batch), in
worker processes where ``fork`` is available, and written in order by the main process through
``build.ArchiveWriter``'s bulk API (``bulk``, ``insert_rows``: large transactions, journaling off, the indexes made
after the rows), as ``build`` and the importer write through its per-document API. The full-text
indexes are built once at the end with ``schema.enable_fts``. A million passages take about 80 s on two
cores, and about a minute more for the statistics (bench/RESULTS.md).
"""

from __future__ import annotations

import bisect
import datetime
import functools
import hashlib
import itertools
import json
import multiprocessing
import os
import random
import re
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import viewer
from viewer.core import derived, schema
from viewer.core.build import ArchiveWriter, content_hash, create_archive, quote_uid
from viewer.core.dates import MONTH_NAMES
from viewer.core.errors import ViewerError
from viewer.core.names import name_key
from viewer.core.records import HEADING, LIST_ITEM, NAME, PARAGRAPH, QUOTE, TERM, TITLE, TURN
from viewer.core.stats_rebuild import StatsRebuild
from viewer.core.text import fold, search_extra, slugify, translit
from viewer.core.tokens import INDEX_WORD_RE, WORD_RE
from viewer.core.topk import build_topk

DEFAULT_SEED = 1
PASSAGES_PER_DOCUMENT = 25
CYRILLIC_SHARE = 0.10
QUOTE_SHARE = 1 / 3
MENTION_SHARE = 0.2
FIRST_DAY = datetime.date(2005, 1, 1)
DAYS = (datetime.date(2024, 12, 31) - FIRST_DAY).days + 1
CHUNK_DOCUMENTS = 400  # documents generated (and written) per batch; also the unit of the random streams

DEFAULT_SOURCES = Path(__file__).resolve().parents[2] / "resources" / "sources"

_LETTERS_RE = re.compile(r"^[^\W\d_]+$")


class SynthError(ViewerError):
    """The synthetic archive cannot be made; the message says why."""


@dataclass
class SynthResult:
    path: Path
    documents: int = 0
    listed: int = 0
    passages: int = 0
    speakers: int = 0
    quotes: int = 0
    entities: int = 0
    mentions: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def passages_per_second(self) -> float:
        return self.passages / self.seconds if self.seconds else 0.0


# ---------------------------------------------------------------------------- vocabulary


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


# ---------------------------------------------------------------------------- people and organisations

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


def _title(s: str) -> str:
    return " ".join(p[:1].upper() + p[1:] for p in s.split())


def make_person(rng: random.Random) -> Person:
    gender = "f" if rng.random() < 0.45 else "m"
    if rng.random() < 0.33:
        first = rng.choice(_CYR_FIRST_F if gender == "f" else _CYR_FIRST_M)
        root = "".join(rng.choice(_CYR_NAME_ROOTS) for _ in range(rng.randint(1, 2)))
        suffix = rng.choice(["ова", "ева", "ина"] if gender == "f" else ["ов", "ев", "ин", "ұлы"])
        cyr = _title(f"{first} {root}{suffix}")
        return Person(_title(translit(cyr)), cyr, gender)
    first = _word(rng, _LATIN_SYLLABLES, 1, 2) + rng.choice(_ENDINGS_F if gender == "f" else _ENDINGS_M)
    last = _word(rng, _LATIN_SYLLABLES, 2, 3) + rng.choice(_SURNAME_SUFFIX_F if gender == "f" else _SURNAME_SUFFIX)
    return Person(_title(f"{first} {last}"), None, gender)


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
        word = rng.choice(ORG_WORDS) if rng.random() < 0.5 else _title(rng.choice(nouns))
        org = rng.choice(ORG_PATTERNS).format(word)
        if org not in seen:
            seen.add(org)
            out.append(org)
    return out


# ---------------------------------------------------------------------------- the plan

EVENT_KINDS = ["discussion", "debate", "hearing", "panel", "conference", "roundtable", "seminar", "webinar"]


@dataclass(frozen=True)
class DocPlan:
    index: int  # 0-based position among documents with text
    id: int
    first_passage: int  # id of its first passage
    passages: int
    speakers: tuple[int, ...]  # speaker ids, in order of appearance
    kind: str
    date: str
    listings: int  # related reports it lists (their documents get ids id+1 .. id+listings)


@dataclass
class Context:
    """Everything the text generator needs; the same for every batch."""

    seed: int
    latin: Vocabulary
    cyrillic: Vocabulary
    speakers: list[Person]  # index = speaker id - 1
    speaker_extra: list[dict]  # honorific, role, organisation, country per speaker
    entities: list[tuple[str, str, str | None, int | None]]  # (name, kind, cyrillic form, speaker id)
    entity_cum: list[float]


def _document_sizes(rng: random.Random, total: int) -> list[int]:
    sizes, left = [], total
    while left > 0:
        n = max(3, min(60, round(rng.gauss(PASSAGES_PER_DOCUMENT, 9))))
        n = min(n, left)
        sizes.append(n)
        left -= n
    return sizes


def make_plan(seed: int, passages: int, sources: Path) -> tuple[Context, list[DocPlan]]:
    rng = random.Random(f"archive-viewer-synth/{seed}/plan")
    latin = latin_vocabulary(rng, sources, 30_000)
    cyrillic = cyrillic_vocabulary(rng, 10_000)
    sizes = _document_sizes(rng, passages)
    n_people = max(20, min(5000, passages // 200))
    people = unique_people(rng, n_people)
    weights = zipf_cum_weights(n_people, s=1.05, q=1.0)
    # who speaks in each document: drawn from the Zipf law over people, then numbered by first appearance
    listings = [3 if (i % 250 == 0 and n >= 8) else 0 for i, n in enumerate(sizes)]
    picks: list[list[int]] = []
    for n, lst in zip(sizes, listings):
        k = min(max(0, n - 1 - (lst + 1 if lst else 0)), rng.randint(2, 8))
        chosen: list[int] = []
        tries = 0
        while len(chosen) < k and tries < 50:
            tries += 1
            p = bisect.bisect(weights, rng.random() * weights[-1])
            if p not in chosen:
                chosen.append(p)
        picks.append(chosen)
    order: dict[int, int] = {}
    for chosen in picks:
        for p in chosen:
            order.setdefault(p, len(order) + 1)
    speakers = [None] * len(order)
    for p, sid in order.items():
        speakers[sid - 1] = people[p]
    orgs = make_organisations(rng, max(10, len(speakers) // 10), latin.words)
    extra = []
    for _s in speakers:
        role = rng.choice(ROLES)
        org = rng.choice(orgs) if rng.random() < 0.8 else None
        extra.append(
            {
                "honorific": rng.choice(HONORIFICS),
                "role": role,
                "organisation": org,
                "country": rng.choice(COUNTRIES) if rng.random() < 0.6 else None,
            }
        )
    # entities: the most active speakers, people only mentioned, organisations
    n_entities = max(30, min(1500, passages // 1500))
    mentioned = unique_people(rng, n_entities // 3, {s.name for s in speakers})
    entities: list[tuple[str, str, str | None, int | None]] = []
    for i, s in enumerate(speakers[: n_entities // 3]):
        entities.append((s.name, "person", s.cyrillic, i + 1))
    for p in mentioned:
        entities.append((p.name, "person", p.cyrillic, None))
    for org in make_organisations(rng, n_entities - len(entities), latin.words):
        entities.append((org, "organisation", None, None))
    rng.shuffle(entities)
    ctx = Context(seed, latin, cyrillic, speakers, extra, entities, zipf_cum_weights(len(entities), s=1.0, q=2.0))
    plans: list[DocPlan] = []
    doc_id, pid = 1, 1
    for i, (n, chosen, lst) in enumerate(zip(sizes, picks, listings)):
        date = (FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS))).isoformat()
        kind = "transcript" if rng.random() < 0.15 else rng.choice(EVENT_KINDS)
        plans.append(DocPlan(i, doc_id, pid, n, tuple(order[p] for p in chosen), kind, date, lst))
        doc_id += 1 + lst
        pid += n
    return ctx, plans


# ---------------------------------------------------------------------------- text

_CUES_LATIN = {
    "f": ["She said:", "She stated:", "She stressed:", "In her words:", "She added:"],
    "m": ["He said:", "He stated:", "He stressed:", "In his words:", "He added:"],
}
_CUES_CYR = {
    "f": ["Она сказала:", "По её словам:", "Она подчеркнула:", "Ол айтты:"],
    "m": ["Он сказал:", "По его словам:", "Он подчеркнул:", "Ол айтты:"],
}
_RELAYERS = ["protesters", "a witness", "the investigator", "one of the detainees", "the court", "a former official"]
_LEAD_INS = ["The so-called", "The report", "Known as"]
_OPEN = {False: "“", True: "«"}
_CLOSE = {False: "”", True: "»"}


class _Text:
    """One passage's text, built piece by piece, with each piece's offsets and the word count exact."""

    __slots__ = ("parts", "pos", "words")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.words = 0

    def add(self, s: str, words: int = 0) -> tuple[int, int]:
        start = self.pos
        self.parts.append(s)
        self.pos += len(s)
        self.words += words
        return start, self.pos

    def text(self) -> str:
        return "".join(self.parts)


def _sentences(rng: random.Random, vocab: Vocabulary, n: int) -> tuple[str, int]:
    """About ``n`` words as sentences of 5 to 18 words, a third of them holding a frequent word pair;
    returns (text, exact word count)."""
    words = vocab.draw(rng, n)
    ctl = rng.randbytes(n + 8)  # 4 bytes per sentence: length, phrase or not, which phrase, where
    cap, phrases, pwords = vocab.capital, vocab.phrase_table, vocab.phrase_words
    out, count, i, j = [], n, 0, 0
    while i < n:
        k = 5 + ctl[j] % 14
        s = words[i : i + k]
        i += k
        if phrases and ctl[j + 1] < 90:  # 35%
            p = phrases[ctl[j + 2]]
            s[ctl[j + 3] % len(s)] = p
            count += pwords[p] - 1
        j += 4
        s[0] = cap[s[0]]
        out.append(" ".join(s) + ".")
    return " ".join(out), count


def _words(rng: random.Random, vocab: Vocabulary, n: int) -> str:
    return " ".join(vocab.draw(rng, n))


_word_extra = functools.lru_cache(maxsize=1 << 18)(search_extra)


def _search_extra(text: str) -> str:
    """``viewer.core.text.search_extra``, word by word with each word's answer remembered (the vocabulary
    is finite; this is a third of the generation time otherwise). ASCII text adds nothing.
    tests/core/test_synth.py checks the result against ``build.search_text`` on every passage and quote."""
    if text.isascii():
        return ""
    return " ".join(filter(None, map(_word_extra, INDEX_WORD_RE.findall(text))))


def _search_text(who: str, text: str) -> str:
    """``viewer.core.build.search_text`` (who spoke, the Latin spelling of a Cyrillic name and of the text's
    Cyrillic words) with ``_search_extra``."""
    return " ".join(filter(None, [who, _search_extra(who), _search_extra(text)]))


def _length(rng: random.Random) -> int:
    return max(6, min(250, int(rng.lognormvariate(3.85, 0.55))))


def _date_label(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(d)} {MONTH_NAMES[int(m)]} {y}"


@dataclass
class Batch:
    """Rows for a run of documents. Quote and mention ids are assigned by the writer, in order."""

    documents: list[tuple] = field(default_factory=list)
    passages: list[tuple] = field(default_factory=list)
    quotes: list[tuple] = field(default_factory=list)
    mentions: list[tuple] = field(default_factory=list)
    document_speakers: list[tuple] = field(default_factory=list)
    entity_mentions: Counter = field(default_factory=Counter)


def generate(ctx: Context, plans: list[DocPlan], batch_index: int) -> Batch:
    """The rows of ``plans`` (a batch of documents), from the batch's own random stream."""
    rng = random.Random(f"archive-viewer-synth/{ctx.seed}/batch/{batch_index}")
    out = Batch()
    for plan in plans:
        _document(ctx, rng, plan, out)
    return out


def _document(ctx: Context, rng: random.Random, plan: DocPlan, out: Batch) -> None:
    latin, cyr = ctx.latin, ctx.cyrillic
    topic = _title(_words(rng, latin, rng.randint(2, 4)))
    title = f"{topic} in {rng.choice(COUNTRIES)}: {_words(rng, latin, rng.randint(2, 5))}"
    slug = f"{slugify(title, 50)}-{plan.id}"
    is_transcript = plan.kind == "transcript"
    sp = list(plan.speakers)
    # passage 1 narrates who took part; then every speaker once in order of appearance, then turns at
    # random (a little narration among them); an optional heading; the list of related reports last
    body = plan.passages - 1 - (plan.listings + 1 if plan.listings else 0)
    heading = body - 1 > len(sp) and rng.random() < 0.3
    body -= heading
    order: list[int | None] = list(sp[:body])
    if sp:
        weights = [0.5] + [1.0 / i for i in range(2, len(sp) + 1)]  # the moderator speaks less
        order += [None if rng.random() < 0.05 else s for s in rng.choices(sp, weights=weights, k=body - len(order))]
    else:
        order += [None] * (body - len(order))
    heading_at = rng.randrange(len(sp), body) if heading else -1
    stats: dict[int, list[int]] = {s: [0, 0, 0] for s in sp}
    state = {"pid": plan.first_passage, "seq": 0}
    texts: list[str] = []
    words_total = 0

    def passage(
        kind: str, text: str, words: int, speaker: int | None, attribution: str, label: str | None = None
    ) -> int:
        nonlocal words_total
        pid = state["pid"]
        state["pid"] += 1
        state["seq"] += 1
        name = ctx.speakers[speaker - 1].name if speaker else ""
        out.passages.append(
            (pid, plan.id, state["seq"], speaker, kind, label, text, _search_text(name, text), words, attribution)
        )
        texts.append(text)
        words_total += words
        if speaker:
            s = stats[speaker]
            s[0] += 1
            s[1] += words
        return pid

    w = _Text()
    t, k = _sentences(rng, latin, rng.randint(12, 30))
    w.add(t, k)
    for sid in sp[:4]:
        tail = " " + rng.choice(["took part.", "spoke.", "was invited."])
        name = ctx.speakers[sid - 1].name
        w.add(" " + name + tail, len(name.split()) + len(tail.split()))
    passage(PARAGRAPH, w.text(), w.words, None, "narration")
    seen: set[int | None] = set()
    for i, speaker in enumerate(order):
        if i == heading_at:
            t = _title(_words(rng, latin, rng.randint(2, 5)))
            passage(HEADING, t, len(t.split()), None, "narration")
        cyrillic = rng.random() < CYRILLIC_SHARE
        vocab = cyr if cyrillic else latin
        pid, seq = state["pid"], state["seq"] + 1
        w = _Text()
        mention = None
        if rng.random() < MENTION_SHARE:
            e = bisect.bisect(ctx.entity_cum, rng.random() * ctx.entity_cum[-1])
            name, _kind, cyr_form, _sid = ctx.entities[e]
            mention = (e + 1, cyr_form if (cyrillic and cyr_form) else name)
        length = _length(rng)
        if rng.random() < QUOTE_SHARE * 1.06:
            lead = rng.randint(0, length // 2)
            if lead:
                t, k = _sentences(rng, vocab, lead)
                w.add(t + " ", k)
            if mention:
                _mention(w, out, plan.id, pid, speaker, mention, vocab, rng)
            r = rng.random()
            gender = ctx.speakers[speaker - 1].gender if speaker else "m"
            if speaker and r < 0.8:
                kind, qsid, label, by = QUOTE, speaker, None, None
                cue = rng.choice((_CUES_CYR if cyrillic else _CUES_LATIN)[gender])
            elif speaker and r < 0.9:
                kind, qsid, label, by = QUOTE, None, rng.choice(_RELAYERS), speaker
                cue = "Они говорили:" if cyrillic else f"{label[:1].upper()}{label[1:]} said:"
            else:
                kind, qsid, label, by, cue = rng.choice([TERM, TITLE, NAME]), None, None, None, None
            if cue:
                w.add(cue + " ", len(cue.split()))
                inner, k = _sentences(rng, vocab, max(4, length - lead))
            else:
                lead_in = rng.choice(_LEAD_INS)
                w.add(lead_in + " ", len(WORD_RE.findall(lead_in)))
                inner = _title(_words(rng, vocab, rng.randint(1, 3)))
                k = len(inner.split())
            w.add(_OPEN[cyrillic])
            start, end = w.add(inner, k)
            w.add(_CLOSE[cyrillic] + ("" if cue else "."))
            if rng.random() < 0.3:
                t, k = _sentences(rng, vocab, rng.randint(5, 20))
                w.add(" " + t, k)
            who = ctx.speakers[qsid - 1].name if qsid else (label or "")
            out.quotes.append(
                (
                    pid,
                    plan.id,
                    start,
                    end,
                    inner,
                    _search_text(who, inner),
                    kind,
                    qsid,
                    label,
                    by,
                    None,
                    cue,
                    quote_uid(slug, seq, start, inner),
                )
            )
            if kind == QUOTE and qsid:
                stats[qsid][2] += 1
        else:
            if mention:
                _mention(w, out, plan.id, pid, speaker, mention, vocab, rng)
            t, k = _sentences(rng, vocab, length)
            w.add(t, k)
        text = w.text()
        if is_transcript:
            label = ctx.speakers[speaker - 1].name.split()[-1].upper() if speaker else None
            passage(TURN, text, w.words, speaker, "turn" if speaker else "audience", label)
        elif speaker is None:
            passage(PARAGRAPH, text, w.words, None, "narration")
        else:
            attribution = "name" if speaker not in seen else rng.choice(["pronoun", "pronoun", "continuation", "desc"])
            passage(PARAGRAPH, text, w.words, speaker, attribution)
        seen.add(speaker)
    listed = []
    if plan.listings:
        t = f"Read more on {_words(rng, latin, 2)}:"
        passage(HEADING, t, len(WORD_RE.findall(t)), None, "narration")
        for j in range(plan.listings):
            day = max(FIRST_DAY, datetime.date.fromisoformat(plan.date) - datetime.timedelta(days=rng.randint(10, 900)))
            day = day.isoformat()
            rtitle = f"{_title(_words(rng, latin, rng.randint(3, 6)))}: {_words(rng, latin, rng.randint(3, 7))}"
            item = f"{rtitle} ({_date_label(day)})"
            seq = state["seq"] + 1
            listed.append(
                (
                    plan.id + 1 + j,
                    rtitle,
                    day,
                    passage(LIST_ITEM, item, len(WORD_RE.findall(item)), None, "narration"),
                    seq,
                )
            )
    assert state["seq"] == plan.passages, (state, plan)
    organiser = f"{rng.choice(ORG_WORDS)} {rng.choice(['Foundation', 'Committee', 'Institute'])}"
    out.documents.append(
        (
            plan.id,
            slug,
            title,
            plan.kind,
            plan.date,
            None,
            None,
            "Events",
            organiser,
            None,
            f"Synthetic {plan.kind} made for benchmarks.",
            f"https://example.org/reports/{slug}",
            1,
            content_hash("\n".join(texts)),
            plan.passages,
            words_total,
            None,
            plan.index + 1,
        )
    )
    for j, (rid, rtitle, day, listed_pid, seq) in enumerate(listed, start=1):
        out.documents.append(
            (
                rid,
                f"{slugify(rtitle, 50)}-{rid}",
                rtitle,
                "report",
                day,
                None,
                None,
                "Related reports",
                None,
                None,
                f"Listed in “{title}”, ¶ {seq}. Its text is not in this archive.",
                None,
                0,
                None,
                0,
                0,
                listed_pid,
                j,
            )
        )
    default_role = "speaker" if is_transcript else "panelist"
    for position, sid in enumerate(sp, start=1):
        s = stats[sid]
        role = "moderator" if position == 1 and len(sp) > 2 and not is_transcript else default_role
        out.document_speakers.append((plan.id, sid, role, position, None, s[0], s[1], s[2]))


def _mention(
    w: _Text,
    out: Batch,
    doc_id: int,
    pid: int,
    speaker: int | None,
    mention: tuple[int, str],
    vocab: Vocabulary,
    rng: random.Random,
) -> None:
    """A sentence that starts with an entity's name; the mention's offsets are the name's."""
    entity_id, surface = mention
    start, end = w.add(surface, len(WORD_RE.findall(surface)))
    t = _words(rng, vocab, rng.randint(3, 9))
    w.add(" " + t + ". ", len(t.split()))
    out.mentions.append((entity_id, pid, doc_id, start, end, surface, speaker))
    out.entity_mentions[entity_id] += 1


# ---------------------------------------------------------------------------- writing


def batches(plans: list[DocPlan], size: int | None = None) -> list[list[DocPlan]]:
    size = size or CHUNK_DOCUMENTS
    return [plans[i : i + size] for i in range(0, len(plans), size)]


def synthesize(
    out: str | os.PathLike,
    passages: int,
    seed: int = DEFAULT_SEED,
    sources: Path = DEFAULT_SOURCES,
    log: Callable[[str], None] = print,
    workers: int | None = None,
    stats: bool = True,
    topk: bool = True,
) -> SynthResult:
    """Write a synthetic archive of ``passages`` passages to ``out`` (atomic: replaced when complete).

    The precomputed statistics (figures, terms, entity groups: ``viewer.core.stats``) are written by
    ``rebuild_stats`` in ``workers`` processes (about a minute for a million passages on two cores,
    bench/RESULTS.md); ``stats=False`` leaves those tables empty. The search's top-k lists
    (``viewer.core.topk``) are written unless ``topk=False``."""
    if passages < 1:
        raise SynthError("the number of passages must be at least 1")
    out = Path(out)
    tmp = out.with_name(f".{out.name}.building")
    tmp.unlink(missing_ok=True)
    result = SynthResult(out)
    t0 = time.perf_counter()
    rebuild = None  # the statistics' worker processes while they count
    try:
        ctx, plans = make_plan(seed, passages, Path(sources))
        result.timings["plan"] = time.perf_counter() - t0
        db = create_archive(tmp)
        conn = db.conn
        writer = ArchiveWriter(db)
        t = time.perf_counter()
        with writer.bulk():
            totals = _write_batches(writer, ctx, plans, result, log, workers)
            _write_people(writer, ctx, totals, result)
            result.timings["rows"] = time.perf_counter() - t
            t = time.perf_counter()
        result.timings["indexes"] = time.perf_counter() - t
        if stats:
            conn.commit()
            # the statistics workers read the file themselves while the full-text indexes are built
            # here: release the exclusive lock, and wait for their reads to end before each commit
            conn.execute("PRAGMA locking_mode = NORMAL")
            conn.execute("SELECT COUNT(*) FROM meta").fetchone()
            conn.execute("PRAGMA busy_timeout = 600000")
            rebuild = StatsRebuild(conn, workers=workers)
        t = time.perf_counter()
        writer.set_meta(
            {
                "format_version": str(schema.FORMAT_VERSION),
                "title": f"Synthetic archive: {passages:,} passages (seed {seed})",
                "generator": f"archive-viewer {viewer.__version__} synth",
                "sources_sha256": hashlib.sha256("".join(totals["hashes"]).encode()).hexdigest(),
                "synth": json.dumps({"passages": passages, "seed": seed}),
            }
        )
        if not stats:
            derived.mark_statistics(conn, False)  # left empty: reindex makes them
        conn.commit()
        schema.enable_fts(db)
        conn.commit()
        result.timings["fts"] = time.perf_counter() - t
        if rebuild is not None:
            t = time.perf_counter()
            rebuild.finish(conn, log=log)
            rebuild = None
            conn.commit()
            result.timings["stats"] = time.perf_counter() - t  # what was left once the indexes were built
        t = time.perf_counter()
        conn.execute("PRAGMA analysis_limit = 1000")
        conn.execute("ANALYZE")
        conn.commit()
        conn.execute("PRAGMA locking_mode = NORMAL")
        conn.execute("PRAGMA journal_mode = DELETE")
        result.timings["analyze"] = time.perf_counter() - t
        if topk:
            t = time.perf_counter()
            conn.execute("PRAGMA shrink_memory")  # the index build's page cache is no longer needed
            build_topk(conn, log=log)
            result.timings["topk"] = time.perf_counter() - t
        conn.close()
        os.replace(tmp, out)
    except BaseException:
        if rebuild is not None:
            rebuild.abort()
        tmp.unlink(missing_ok=True)
        raise
    result.seconds = time.perf_counter() - t0
    return result


def _write_batches(
    writer: ArchiveWriter, ctx: Context, plans: list[DocPlan], result: SynthResult, log, workers
) -> dict:
    conn = writer.conn
    qid = mid = 1
    speakers: dict[int, list[int]] = {}
    entity_mentions: Counter = Counter()
    hashes: list[str] = []
    groups = batches(plans)
    for i, batch in enumerate(_batches(ctx, groups, workers)):
        writer.insert_rows("documents", batch.documents)
        writer.insert_rows("passages", batch.passages)
        writer.insert_rows("quotes", [(qid + j, *q) for j, q in enumerate(batch.quotes)])
        writer.insert_rows("mentions", [(mid + j, *m) for j, m in enumerate(batch.mentions)])
        writer.insert_rows("document_speakers", batch.document_speakers)
        qid += len(batch.quotes)
        mid += len(batch.mentions)
        for row in batch.document_speakers:
            s = speakers.setdefault(row[1], [0, 0, 0])
            s[0] += row[5]
            s[1] += row[6]
            s[2] += row[7]
        entity_mentions.update(batch.entity_mentions)
        hashes.extend(d[13] for d in batch.documents if d[13])
        result.documents += len(batch.documents)
        result.listed += sum(1 for d in batch.documents if not d[12])
        result.passages += len(batch.passages)
        result.quotes += sum(1 for q in batch.quotes if q[6] == QUOTE)
        result.mentions += len(batch.mentions)
        if (i + 1) % 25 == 0:
            conn.commit()
            log(f"{result.passages:,} passages written")
    conn.commit()
    return {"speakers": speakers, "entities": entity_mentions, "hashes": hashes}


def _batches(ctx: Context, groups: list[list[DocPlan]], workers: int | None) -> Iterator[Batch]:
    """Batches in order; generated in ``workers`` processes (default: one per CPU) when fork is available."""
    workers = (os.cpu_count() or 1) if workers is None else workers
    if workers < 1 or len(groups) < 4 or "fork" not in multiprocessing.get_all_start_methods():
        for i, g in enumerate(groups):
            yield generate(ctx, g, i)
        return
    with multiprocessing.get_context("fork").Pool(workers, initializer=_init_worker, initargs=(ctx,)) as pool:
        yield from pool.imap(_generate_in_worker, enumerate(groups), chunksize=1)


_worker_ctx: Context | None = None


def _init_worker(ctx: Context) -> None:
    global _worker_ctx
    _worker_ctx = ctx


def _generate_in_worker(job: tuple[int, list[DocPlan]]) -> Batch:
    return generate(_worker_ctx, job[1], job[0])


def _write_people(writer: ArchiveWriter, ctx: Context, totals: dict, result: SynthResult) -> None:
    rows = []
    for sid, (p, extra) in enumerate(zip(ctx.speakers, ctx.speaker_extra), start=1):
        n = totals["speakers"].get(sid, [0, 0, 0])
        affiliation = ", ".join(filter(None, [extra["role"], extra["organisation"]])) or None
        aliases = json.dumps([p.cyrillic] if p.cyrillic else [], ensure_ascii=False)
        description = f"{extra['role']} ({extra['country']})" if extra["country"] else extra["role"]
        rows.append(
            (
                sid,
                p.name,
                name_key(p.name),
                extra["honorific"],
                extra["role"],
                extra["organisation"],
                extra["country"],
                affiliation,
                description,
                aliases,
                n[0],
                n[1],
                n[2],
            )
        )
    writer.insert_rows("speakers", rows)
    ents = []
    for eid, (name, kind, cyr, sid) in enumerate(ctx.entities, start=1):
        key = name_key(name) if kind == "person" else fold(name)
        aliases = json.dumps([cyr] if cyr else [], ensure_ascii=False)
        ents.append((eid, name, key, kind, aliases, sid, totals["entities"].get(eid, 0)))
    writer.insert_rows("entities", ents)
    result.speakers, result.entities = len(rows), len(ents)
