"""Synthetic archives (``viewer.core.synth``): the plan of the documents and the rows of each.

``make_plan`` decides every document's size, date, kind and speakers from the seed; ``generate`` makes the
rows of a batch of documents (passages, quotes with exact offsets, mentions) from the batch's own random
stream, so that the archive is the same however many processes generate it.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from viewer.core.build import content_hash, quote_uid
from viewer.core.dates import MONTH_NAMES
from viewer.core.records import HEADING, LIST_ITEM, NAME, PARAGRAPH, QUOTE, TERM, TITLE, TURN
from viewer.core.synth_vocabulary import (
    COUNTRIES,
    HONORIFICS,
    ORG_WORDS,
    ROLES,
    Person,
    Vocabulary,
    cyrillic_vocabulary,
    latin_vocabulary,
    make_organisations,
    title_case,
    unique_people,
    zipf_cum_weights,
)
from viewer.core.text import search_extra, slugify
from viewer.core.tokens import INDEX_WORD_RE, WORD_RE

PASSAGES_PER_DOCUMENT = 25
CYRILLIC_SHARE = 0.10
QUOTE_SHARE = 1 / 3
MENTION_SHARE = 0.2
FIRST_DAY = datetime.date(2005, 1, 1)
DAYS = (datetime.date(2024, 12, 31) - FIRST_DAY).days + 1


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
    topic = title_case(_words(rng, latin, rng.randint(2, 4)))
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
            t = title_case(_words(rng, latin, rng.randint(2, 5)))
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
                inner = title_case(_words(rng, vocab, rng.randint(1, 3)))
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
            rtitle = f"{title_case(_words(rng, latin, rng.randint(3, 6)))}: {_words(rng, latin, rng.randint(3, 7))}"
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
