"""Who said what: speakers, passage attribution, quotes and mentions from a report or transcript.

General rules for English event reports and transcripts; nothing here knows any particular text.

* Speakers are people the narration makes the subject of a speech verb ("X noted", "he added"),
  names an event role for ("moderated by X"), or gives a transcript turn ("X:").
* A passage belongs to the speaker its first reporting sentence is about: by name, by pronoun
  ("he", "she", resolved with gender), or by description ("the activist"); a paragraph that reports
  nobody is narration.
* Every quoted span is classified: a quote (someone's words), or a quoted name, title or term
  (scare quote). A quote is attributed to the subject of its reporting verb, before ("she said:")
  or after ("” he added"); quotes inside quotes are attributed inside the outer quote and carry
  ``quoted_by``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz.distance import DamerauLevenshtein

from viewer.core import lexicon as lx
from viewer.core.records import HEADING, LIST_ITEM, NAME, PARAGRAPH, QUOTE, TERM, TITLE, TURN
from viewer.core.spans import PUNCT, QUOTED, WORD, Block, Span, Tok, find_spans, sentences, split_blocks, tokens
from viewer.core.text import fold

# ---------------------------------------------------------------------------- results


@dataclass
class XQuote:
    start: int
    end: int
    kind: str
    speaker: str | None = None  # person key
    label: str | None = None  # who said it, when not a person we know
    quoted_by: str | None = None
    parent: int | None = None  # index of the enclosing span in the passage's list
    cue: str | None = None


@dataclass
class XMention:
    start: int
    end: int
    entity: str  # entity key
    surface: str
    by: str | None = None  # person key of who was speaking


@dataclass
class XPassage:
    seq: int
    kind: str
    text: str
    speaker: str | None
    attribution: str
    label: str | None = None
    quotes: list[XQuote] = field(default_factory=list)
    mentions: list[XMention] = field(default_factory=list)


@dataclass
class XPerson:
    key: str
    forms: Counter = field(default_factory=Counter)
    honorifics: Counter = field(default_factory=Counter)
    surname: str = ""
    first: str | None = None
    gender: str | None = None
    speaker: bool = False
    event_role: str | None = None
    intros: list[str] = field(default_factory=list)
    prepositive: list[str] = field(default_factory=list)
    parenthetical: list[str] = field(default_factory=list)
    label_role: str | None = None
    first_seen: tuple[int, int] = (10**9, 0)
    variants: set[str] = field(default_factory=set)
    # filled by finish()
    name: str = ""
    honorific: str | None = None
    role: str | None = None
    organisation: str | None = None
    country: str | None = None
    description: str | None = None
    affiliation: str | None = None
    aliases: list[str] = field(default_factory=list)


@dataclass
class XEntity:
    key: str
    name: str
    kind: str  # person | organisation | other
    aliases: list[str] = field(default_factory=list)
    person: str | None = None


@dataclass
class Extraction:
    style: str  # report | transcript
    passages: list[XPassage]
    speakers: list[XPerson]
    people: dict[str, XPerson]
    entities: list[XEntity]
    acronyms: dict[str, str]
    notes: list[str]


# ---------------------------------------------------------------------------- names in text

STARTERS = lx._words(
    """
    The A An In On At As After Before Following During While When However Instead Hence Among Besides Since
    This That These Those It He She They We I His Her Their Our Its My Your You Talking Commenting Speaking
    Read Get Final Finally Also And But Or So Yet For Of To By With From Thus Therefore Meanwhile Moreover
    Furthermore Although Though If Whereas Unless Until Once Because Why What Who Which Where How Here There
    Today Now Then Please Yes No Not Asked According Despite Unlike Like Whether Even Only Just Both Either
    Neither Under Over Through Throughout Within Without Against Between Per Via Do Does Did Is Are Was Were
    """
)
_TITLE_WORDS = lx._words(
    "Director President Chairman Chairwoman Chair Head Member Minister Senior Lecturer Professor Secretary Deputy "
    "Representative Special Ambassador Founder Coordinator Editor Rapporteur Commissioner Vice General Executive "
    "Chief Officer Spokesperson Advisor Adviser Researcher Fellow Associate Assistant Former"
)
_CONNECTORS = frozenset({"of", "for", "and", "on", "the", "in", "&"}) | lx.NAME_PARTICLES
_ACRONYM_RE = re.compile(r"^[A-ZА-Я][A-ZА-Я0-9]{1,6}s?$")
_AUX = lx._words(
    "is are was were am be been being has have had do does did will would shall should can could may might must "
    "isn aren wasn weren hasn haven hadn doesn don didn won wouldn shan shouldn can't cannot couldn mustn"
)
_PRONOUN_SUBJ = lx._words("i we you he she they it")
_DASHES = ("—", "–", "-")
_QUANTIFIERS = lx._words("one two three some several many most each all none both")
_OBJECT_PRONOUNS = {"him": "he", "her": "she", "them": "they", "me": "i", "us": "we", "he": "he", "she": "she"}


@dataclass
class Hit:
    """A capitalised name in the text: person candidate, organisation, instrument, place or acronym."""

    para: int
    view: int | None  # None: paragraph level; else the span whose content holds it
    i: int  # token range of the name (honorific excluded)
    j: int
    ci: int  # token index where its context starts (honorific included)
    start: int
    end: int
    text: str
    kind: str  # person | org | other | place | acronym
    honorific: str | None = None
    evidence: bool = False
    person: str | None = None


def _is_acronym(word: str) -> bool:
    return bool(_ACRONYM_RE.match(word)) and word not in lx.NON_ENTITY_ACRONYMS


def _namelike(word: str) -> bool:
    if _ACRONYM_RE.match(word):
        return False
    if not word[:1].isupper() or word in lx.COMMON_CAPITALISED or word in lx.MONTHS_SEASONS:
        return False
    if word in lx.PLACES or word.lower() in lx.DEMONYMS or word in lx.ORG_WORDS or word in lx.INSTRUMENT_WORDS:
        return False
    if _is_acronym(word) or word.isupper() and len(word) > 1:
        return False
    return any(c.islower() for c in word[1:]) or len(word) == 1


def _is_verb(tok: Tok | None) -> bool:
    if tok is None or tok.kind != WORD or not tok.text[:1].islower():
        return False
    w = tok.text
    return w in lx.SPEECH_VERBS or w in lx.IRREGULAR_VERBS or (len(w) > 3 and w.endswith("ed"))


def _possessive(toks: list[Tok], j: int) -> bool:
    if j < len(toks) and toks[j].text in ("’", "'"):
        nxt = toks[j + 1] if j + 1 < len(toks) else None
        return nxt is None or nxt.text == "s" or nxt.start > toks[j].end or toks[j - 1].text.endswith("s")
    return False


def _find_runs(toks: list[Tok]) -> list[tuple[int, int]]:
    """Maximal runs of capitalised words, joined by connectors (of, for, de, van...) only
    when a capitalised word follows."""
    runs = []
    i, n = 0, len(toks)
    while i < n:
        if toks[i].is_cap:
            j = i + 1
            while j < n:
                if toks[j].is_cap and toks[j].start - toks[j - 1].end <= 1:
                    j += 1
                elif toks[j].kind == WORD and toks[j].lower in _CONNECTORS and j + 1 < n and toks[j + 1].is_cap:
                    j += 2
                elif (
                    toks[j].kind == WORD and toks[j].lower in _CONNECTORS and j + 2 < n
                    and toks[j + 1].kind == WORD and toks[j + 1].lower in _CONNECTORS and toks[j + 2].is_cap
                ):
                    j += 3
                else:
                    break
            runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


# ---------------------------------------------------------------------------- role phrases

_ROLE_ADJ = lx._words("prominent renowned well-known leading noted veteran respected famous distinguished eminent")
_RELATIONS = re.compile(
    r"^(?:one of|sister|brother|wife|husband|son|daughter|mother|father|widow|friend|colleague|niece|nephew|"
    r"cousin|relative|partner|fiancée?|grandson|granddaughter|the (?:first|second|third|next|last|final)\b|"
    r"брат|сестра|жена|муж|сын|дочь|мать|отец|вдова|родственни)",
    re.I,
)


def _split_and(phrase: str) -> list[str]:
    """Split "human rights defender and Director of ..." at "and", but not inside a capitalised
    name ("Bureau for Human Rights and Rule of Law")."""
    parts, last = [], 0
    for m in re.finditer(r" and ", phrase):
        before = phrase[:m.start()].split()
        if before and before[-1][:1].islower():
            parts.append(phrase[last:m.start()])
            last = m.end()
    parts.append(phrase[last:])
    return parts


def _paren_role(parts: list[str], acronyms: dict[str, str]) -> tuple[str | None, str | None]:
    """"(Editor, The Lagos Ledger)" -> role and organisation; "(Nordic Press Council)" -> organisation;
    "(Renew Europe; Lithuania)" after an honorific -> organisation (countries are taken out before)."""
    def is_org(part: str) -> bool:
        words = part.split()
        return bool(words) and (words[0][:1].isupper() and (len(words) > 1 or _is_acronym(words[0]) or part in acronyms)
                                and part.split()[0] not in _TITLE_WORDS)
    orgs = [acronyms.get(p, p) for p in parts if is_org(p)]
    roles = [p for p in parts if not is_org(p)]
    return (roles[0] if roles else None), (orgs[0] if orgs else None)


def _strip_quotes(s: str) -> str:
    return re.sub(r"[“”\"«»„]", "", s).strip()


def parse_role(phrases: list[str], acronyms: dict[str, str]) -> tuple[str | None, str | None, str | None, str | None]:
    """(role, organisation, country, connector) from appositives such as "Director of the
    Kazakhstan International Bureau ...", "journalist at “La Repubblica”", "Kazakh human rights
    lawyer". ``connector`` is how the text joins role and organisation ("of the", "at")."""
    parts: list[str] = []
    for phrase in phrases:
        parts.extend(p.strip(" ,;") for p in _split_and(phrase))
    country = None
    candidates: list[tuple[str, str | None, str | None]] = []
    for part in parts:
        p = re.sub(r"^(?:an?|the)\s+", "", part.strip(), flags=re.I)
        words = p.split()
        while words and words[0].lower() in _ROLE_ADJ:
            words = words[1:]
        if words and words[0].lower() in lx.DEMONYMS and len(words) > 1:
            country = country or lx.DEMONYMS[words[0].lower()]
            words = words[1:]
        p = " ".join(words)
        if not p or _RELATIONS.match(p):
            continue
        origin = re.match(r"^(.*?)\s+from\s+(?:the\s+)?([A-Z][\w ]+)$", p)
        if origin and (origin.group(2) in lx.COUNTRIES or origin.group(2) in lx.PLACES):
            country = country or lx.COUNTRIES.get(origin.group(2))
            p = origin.group(1)
        m = (
            re.match(r"^(member)\s+(of(?:\s+the)?)\s+(.+)$", p)
            or re.match(r"^(.*?)\s+(at(?:\s+the)?|with(?:\s+the)?)\s+([A-Z“\"].+)$", p)
            or re.match(r"^(.*?)\s+(of(?:\s+the)?)\s+([A-Z“\"].*)$", p)
        )
        if m:
            role, conn, org = m.group(1).strip(), m.group(2), _strip_quotes(m.group(3)).strip(" ,.")
            if org in acronyms:
                org, conn = acronyms[org], conn if conn.endswith("the") else f"{conn} the"
            if org in lx.COUNTRIES or org in lx.PLACES:
                candidates.append((p, None, None))
            else:
                candidates.append((role, org, conn))
        else:
            candidates.append((p, None, None))
    if not candidates:
        return None, None, country, None
    with_org = [c for c in candidates if c[1]]
    first = candidates[0]
    if with_org and with_org[0][0].lower() == "member" and first[1] is None:
        return first[0], with_org[0][1], country, None
    if with_org:
        return with_org[0][0], with_org[0][1], country, with_org[0][2]
    return first[0], None, country, None


# ---------------------------------------------------------------------------- the analyser

# The blanks inside a label are bounded: a paragraph with a long run of spaces costs its length, not its square.
_TURN_RE = re.compile(
    r"^(?P<label>[A-ZА-ЯЁҚҒҢӨҰҮҺӘІ][\w.’'\-]*(?:\s{1,3}[A-ZА-ЯЁҚҒҢӨҰҮҺӘІa-z][\w.’'\-]*){0,4})"
    r"\s{0,3}(?:\((?P<paren>[^()]{1,100})\))?\s{0,3}:\s+(?P<rest>\S.*)$",
    re.S,
)
_META_LABELS = lx._words(
    "Date Title Subject Location Venue Source Sources Note Notes Organiser Organizer Published Updated "
    "Time Place Event Host Hosts Organisers Organizers Participants Speakers Panel Panelists Moderator "
    "Moderators Agenda Summary Background Keywords Tags Language Author Authors By Photo Image Video Link "
    "Read Watch See Contact Email Tel Phone Website Url Recording Transcript Minutes Attendees Present"
)
_ROLE_LABELS = {
    "chair": "chair", "chairman": "chair", "chairwoman": "chair", "chairperson": "chair",
    "moderator": "moderator", "host": "host", "interviewer": "interviewer",
}
_AUDIENCE_LABELS = lx._words("Q A QUESTION ANSWER AUDIENCE VOICE VOICES QUESTIONER Question Answer Audience")
_EVENT_BY = [
    (re.compile(r"\bco-?(?:hosted|organi[sz]ed|chaired)\s+by\s*$", re.I), "co-host"),
    (re.compile(r"\b(?:hosted|organi[sz]ed|convened)\s+by\s*$", re.I), "host"),
    (re.compile(r"\b(?:moderated|facilitated)\s+by\s*$", re.I), "moderator"),
    (re.compile(r"\bchaired\s+by\s*$", re.I), "chair"),
]
_EVENT_AFTER = {"moderated": "moderator", "chaired": "chair", "hosted": "host", "co-hosted": "co-host"}


def _turn(block: Block) -> tuple[str, str | None, str] | None:
    if block.kind != PARAGRAPH:
        return None
    m = _TURN_RE.match(block.text)
    if not m:
        return None
    label = m.group("label").strip()
    words = label.split()
    if label in _META_LABELS or words[0] in _META_LABELS or len(label) > 60:
        return None
    if not all(w[:1].isupper() or w.lower() in lx.NAME_PARTICLES for w in words):
        return None
    return label, m.group("paren"), m.group("rest")


def is_turn(text: str) -> bool:
    """Whether a paragraph reads as a transcript turn ("NAME: ...", "NAME (Role): ...")."""
    return _turn(Block(text, PARAGRAPH)) is not None


def _title_name(label: str) -> str:
    if label.isupper():
        return " ".join(w if len(w) <= 2 and w.endswith(".") else w.capitalize() for w in label.split())
    return label


class _Doc:
    """One pass over a document; see ``extract``."""

    def __init__(self, blocks: list[Block]):
        self.blocks = blocks
        self.notes: list[str] = []
        self.people: dict[str, XPerson] = {}
        self.acronyms: dict[str, str] = {}
        self.orgs: dict[str, XEntity] = {}
        self.turns = [_turn(b) for b in blocks]
        labelled = [t for t in self.turns if t]
        prose = [b for b in blocks if b.kind == PARAGRAPH]
        self.style = (
            "transcript"
            if len(labelled) >= 2 and len({t[0] for t in labelled}) >= 2 and len(labelled) * 4 >= len(prose)
            else "report"
        )
        # texts of the passages (transcript labels removed)
        self.texts: list[str] = []
        self.kinds: list[str] = []
        for b, t in zip(blocks, self.turns):
            if self.style == "transcript" and t:
                self.texts.append(t[2].strip())
                self.kinds.append(TURN)
            else:
                self.texts.append(b.text)
                self.kinds.append(b.kind)
        self.spans: list[list[Span]] = [find_spans(t) for t in self.texts]
        self.views: list[dict[int | None, list[Tok]]] = []
        for pi, text in enumerate(self.texts):
            spans = self.spans[pi]
            views: dict[int | None, list[Tok]] = {
                None: tokens(text, 0, len(text), spans, [i for i, s in enumerate(spans) if s.parent is None])
            }
            for si, s in enumerate(spans):
                views[si] = tokens(text, s.start, s.end, spans, s.children)
            self.views.append(views)
        self.hits: list[Hit] = []
        self.hits_at: dict[tuple[int, int | None], dict[int, Hit]] = {}
        self.hits_in: dict[int, list[Hit]] = {}  # each paragraph's hits, in order (not all hits for each)

    # ------------------------------------------------------------------ entities

    def find_acronyms(self) -> None:
        """"Open Dialogue Foundation (ODF)" and "“Democratic Choice of Kazakhstan” (DCK)"."""
        pat = re.compile(r"((?:[“\"]?[A-Z][\w’'-]*[”\"]?\s+(?:(?:of|for|and|the|on|in|de)\s+)*){1,9})\(([A-Z][A-Za-z0-9]{1,7})\)")
        for text in self.texts:
            for m in pat.finditer(text):
                words = _strip_quotes(m.group(1)).split()
                acr = m.group(2)
                caps = [w for w in words if w[:1].isupper()]
                # take the shortest tail of capitalised words whose initials spell the acronym
                for k in range(len(caps), 0, -1):
                    tail = caps[-k:]
                    initials = "".join(w[0] for w in tail).upper()
                    if initials == acr.upper().rstrip("S") or (initials.startswith(acr[0]) and len(tail) >= len(acr) - 1 and _subseq(acr.upper(), "".join(w[0] for w in tail).upper())):
                        start = words.index(tail[0], max(0, len(words) - len(words)))
                        name = " ".join(words[start:]).strip()
                        self.acronyms.setdefault(acr, name)
                        break

    def find_names(self) -> None:
        for pi, views in enumerate(self.views):
            for vi, toks in views.items():
                for i, j in _find_runs(toks):
                    self._classify_run(pi, vi, toks, i, j)
        for h in self.hits:
            self.hits_at.setdefault((h.para, h.view), {})[h.i] = h
            self.hits_in.setdefault(h.para, []).append(h)

    def _classify_run(self, pi: int, vi: int | None, toks: list[Tok], i: int, j: int) -> None:
        text = self.texts[pi]
        ci = i
        # leading sentence words ("Following", "The") and honorifics
        while i < j and toks[i].text in STARTERS:
            i += 1
            ci = i
        honorific = None
        while i < j - 1 and toks[i].lower.rstrip(".") in lx.HONORIFICS and toks[i + 1].is_cap:
            honorific = lx.HONORIFICS[toks[i].lower.rstrip(".")]
            i += 1
        # honorific just before the run ("the MEP Petras ...", lower-case "ambassador X")
        if honorific is None and ci > 0 and toks[ci - 1].kind == WORD and toks[ci - 1].lower in lx.HONORIFICS \
                and toks[ci - 1].lower not in ("father", "sister", "general", "advocate"):
            honorific = lx.HONORIFICS[toks[ci - 1].lower]
            ci -= 1
        while j > i and toks[j - 1].lower in _CONNECTORS:
            j -= 1
        if i >= j:
            return
        words = [t.text for t in toks[i:j]]
        phrase = text[toks[i].start: toks[j - 1].end]
        if phrase in lx.PLACES or phrase in lx.COUNTRIES:
            self._add(Hit(pi, vi, i, j, ci, toks[i].start, toks[j - 1].end, phrase, "place"))
            return
        if any(w in lx.ORG_WORDS for w in words) or any(w in lx.INSTRUMENT_WORDS for w in words):
            # "Director of the ... Bureau": the title is the person's, the rest is the organisation
            while i < j - 2 and toks[i].text in _TITLE_WORDS:
                i += 1
                while i < j and toks[i].lower in _CONNECTORS:
                    i += 1
            words = [t.text for t in toks[i:j]]
            phrase = text[toks[i].start: toks[j - 1].end]
            if len(words) == 1 and not _is_acronym(words[0]):
                return  # "Regime", "Council" alone name nothing in particular
            kind = "org" if any(w in lx.ORG_WORDS for w in words) else "other"
            # the name starts at its first capitalised word that is not a starter
            self._add(Hit(pi, vi, i, j, ci, toks[i].start, toks[j - 1].end, phrase, kind))
            return
        # split at connectors and acronyms; what is left are person candidates
        k = i
        while k < j:
            w = toks[k].text
            if _is_acronym(w):
                self._add(Hit(pi, vi, k, k + 1, k, toks[k].start, toks[k].end, w, "acronym"))
                k += 1
                continue
            if not _namelike(w):
                k += 1
                continue
            m = k + 1
            while m < j and (_namelike(toks[m].text) or (toks[m].lower in lx.NAME_PARTICLES and m + 1 < j and _namelike(toks[m + 1].text))):
                m += 1
            if m - k <= 4:
                hon = honorific if k == i else None
                hci = ci if k == i else k
                self._add(Hit(pi, vi, k, m, hci, toks[k].start, toks[m - 1].end,
                              text[toks[k].start: toks[m - 1].end], "person", hon))
            k = m

    def _add(self, hit: Hit) -> None:
        self.hits.append(hit)

    def _evidence(self, h: Hit) -> bool:
        """Does the context say this capitalised name is a person's?"""
        toks = self.views[h.para][h.view]
        if h.honorific:
            return True
        prev = toks[h.ci - 1] if h.ci > 0 else None
        prev2 = toks[h.ci - 2] if h.ci > 1 else None
        if prev is not None and prev.kind == WORD and prev.lower in lx.PERSON_NOUNS:
            return True
        if prev is not None and prev.text == "," and prev2 is not None and prev2.lower in lx.PERSON_NOUNS:
            return True
        before = self.texts[h.para][max(0, toks[h.ci].start - 40): toks[h.ci].start]
        if any(p.search(before) for p, _ in _EVENT_BY) or re.search(r"\binterview(?:ed)?\s+(?:with|to)\s*$", before, re.I):
            return True
        nj = h.j
        if _possessive(toks, nj) or (h.j - h.i == 1 and self._excluded(toks, h.ci, h.j, 0)):
            return False
        if nj < len(toks) and toks[nj].text == ",":
            seg = [t.lower for t in toks[nj + 1: nj + 8] if t.kind == WORD]
            if any(w in lx.PERSON_NOUNS for w in seg):
                return True
        verb = self._verb_after(toks, nj, appositive=h.j - h.i > 1)
        return verb is not None

    def _verb_after(self, toks: list[Tok], k: int, appositive: bool = True) -> int | None:
        n = len(toks)
        if k < n and toks[k].text == "(" and appositive:
            while k < n and toks[k].text != ")":
                k += 1
            k += 1
        if k < n and toks[k].text == "," and appositive:
            if _is_verb(toks[k + 1] if k + 1 < n else None):
                return k + 1
            m = k + 1
            while m < n and m < k + 40 and toks[m].text != "," and not (toks[m].kind == PUNCT and toks[m].text in ".;!?"):
                m += 1
            if m < n and toks[m].text == ",":
                k = m + 1
            else:
                return None
        while k < n and toks[k].kind == WORD and toks[k].lower in lx.ADVERBS:
            k += 1
            if k < n and toks[k].text == ",":
                k += 1
        return k if k < n and _is_verb(toks[k]) else None

    def register_people(self) -> None:
        persons = [h for h in self.hits if h.kind == "person"]
        # people with evidence, longest names first so "Nursultan Nazarbayev" anchors "Nazarbayev"
        for h in sorted(persons, key=lambda h: (-(h.j - h.i), h.para, h.start)):
            if self._evidence(h):
                h.evidence = True
                self._person_for(h, create=True)
        self._merge_variants(persons)
        for h in persons:
            if not h.person:
                self._person_for(h, create=False)
        for h in persons:
            if h.person:
                p = self.people[h.person]
                p.forms[h.text] += 1
                if h.honorific:
                    p.honorifics[h.honorific] += 1
                if (h.para, h.start) < p.first_seen and h.view is None:
                    p.first_seen = (h.para, h.start)

    def _merge_variants(self, persons: list[Hit]) -> None:
        """A one-word name one or two letters away from a better attested one is a spelling
        variant of it ("Nazabaryev" for "Nazarbayev"): merge into the one seen more often."""
        seen = Counter(h.person for h in persons if h.person)
        singles = [p for p in self.people.values() if p.first is None]
        for p in sorted(singles, key=lambda p: seen[p.key]):
            if len(p.surname) < 7:
                continue
            near = [q for q in self.people.values()
                    if q is not p and q.key in self.people and q.surname[:1] == p.surname[:1]
                    and seen[q.key] >= seen[p.key] and DamerauLevenshtein.distance(q.surname, p.surname) <= 2]
            if len(near) != 1:
                continue
            target = near[0]
            target.variants.add(p.surname)
            for h in persons:
                if h.person == p.key:
                    h.person = target.key
            del self.people[p.key]

    def _person_for(self, h: Hit, create: bool) -> str | None:
        words = [fold(w) for w in h.text.split()]
        surname, first = words[-1], (words[0] if len(words) > 1 else None)
        match = [p for p in self.people.values()
                 if (p.surname == surname or surname in p.variants) and (first is None or p.first in (None, first))]
        if len(match) > 1:
            exact = [p for p in match if p.first == first]
            match = exact if len(exact) == 1 else match
        if len(match) == 1:
            p = match[0]
            if first and p.first is None:
                p.first = first
            h.person = p.key
            return p.key
        if len(match) > 1:
            self.notes.append(f"“{h.text}” could be {' or '.join(sorted(p.key for p in match))}; not linked")
            return None
        if not create:
            return None
        key = " ".join(words)
        self.people[key] = XPerson(key=key, surname=surname, first=first)
        h.person = key
        return key

    # ------------------------------------------------------------------ subjects

    def _cands(self, pi: int, vi: int | None, toks: list[Tok], s0: int, s1: int):
        """Subject candidates in a sentence: (i, j, type, value)."""
        hits = self.hits_at.get((pi, vi), {})
        out = []
        k = s0
        while k < s1:
            t = toks[k]
            h = hits.get(k)
            if h is not None and h.kind == "person" and h.person:
                out.append((h.ci, h.j, "name", h))
                k = h.j
                continue
            if h is not None and h.kind in ("org", "acronym"):
                out.append((h.ci, h.j, "org", h))
                k = h.j
                continue
            if t.kind == WORD:
                lw = t.lower
                if lw in lx.SUBJECT_PRONOUNS or lw in ("they", "i", "we"):
                    out.append((k, k + 1, "pronoun", lw))
                elif lw in ("his", "her", "their", "my", "our", "its") and k + 1 < s1:
                    m = k + 1
                    while m < s1 and m < k + 3 and toks[m].kind == WORD and toks[m].lower not in lx.PERSON_NOUNS \
                            and toks[m].lower not in lx.GROUP_NOUNS and toks[m].text[:1].islower():
                        m += 1
                    if m < s1 and toks[m].kind == WORD and (toks[m].lower in lx.PERSON_NOUNS or toks[m].lower in lx.GROUP_NOUNS):
                        out.append((k, m + 1, "relation", toks[m].lower))
                        k = m + 1
                        continue
                elif lw in ("the", "this", "that", "a", "an") and k + 1 < s1 and toks[k + 1].lower not in lx.DETERMINERS:
                    m = k + 1
                    while m < s1 and m < k + 3 and toks[m].kind == WORD and toks[m].lower not in lx.PERSON_NOUNS and toks[m].lower not in lx.GROUP_NOUNS and toks[m].text[:1].islower():
                        m += 1
                    if m < s1 and toks[m].kind == WORD and (toks[m].lower in lx.PERSON_NOUNS or toks[m].lower in lx.GROUP_NOUNS):
                        out.append((k, m + 1, "group" if toks[m].lower in lx.GROUP_NOUNS else "desc", toks[m].lower))
                        k = m + 1
                        continue
            k += 1
        return out

    def _excluded(self, toks: list[Tok], i: int, j: int, s0: int) -> bool:
        if _possessive(toks, j):
            return True
        k = i - 1
        steps = 0
        while k >= s0 and steps < 5:
            t = toks[k]
            if t.kind != WORD:
                return False
            if t.lower in lx.PREPOSITIONS or t.lower in ("who", "which", "whom"):
                return True
            if t.text[:1].isupper() and t.lower not in lx.HONORIFICS:
                return False
            k -= 1
            steps += 1
        return False

    def _subordinate(self, toks: list[Tok], i: int, s0: int) -> bool:
        k = i - 1
        if k >= s0 and toks[k].lower in lx.SUBORDINATORS:
            return True
        return False

    def subject(self, pi: int, vi: int | None, toks: list[Tok], s0: int, s1: int):
        """The grammatical subject of a sentence's main clause, if it is a person, a pronoun or a
        description: (type, value, verb token index, i, j)."""
        for i, j, typ, val in self._cands(pi, vi, toks, s0, s1):
            if typ in ("org", "relation", "group"):
                continue
            if typ == "pronoun" and val not in lx.SUBJECT_PRONOUNS:
                continue
            if self._excluded(toks, i, j, s0) or self._subordinate(toks, i, s0):
                continue
            hit_j = val.j if typ == "name" else j
            v = self._verb_after(toks, hit_j, appositive=(typ == "name"))
            if v is not None and v < s1:
                return typ, val, v, i, j
        return None

    # ------------------------------------------------------------------ speakers

    def find_speakers(self) -> None:
        if self.style == "transcript":
            self._turn_speakers()
        for pi, views in enumerate(self.views):
            toks = views[None]
            text = self.texts[pi]
            for s0, s1 in sentences(toks, text):
                subj = self.subject(pi, None, toks, s0, s1)
                if subj and subj[0] == "name" and toks[subj[2]].text in lx.SPEECH_VERBS:
                    self._make_speaker(subj[1].person)
                    ev = _EVENT_AFTER.get(toks[subj[2]].text)
                    if ev and self.people[subj[1].person].event_role is None:
                        self.people[subj[1].person].event_role = ev
            # event roles: "moderated by X", "co-hosted by MEP X"
            for h in self.hits_at.get((pi, None), {}).values():
                if h.kind != "person" or not h.person:
                    continue
                before = text[max(0, toks[h.ci].start - 40): toks[h.ci].start]
                for pat, role in _EVENT_BY:
                    if pat.search(before):
                        self._make_speaker(h.person)
                        p = self.people[h.person]
                        if p.event_role is None:
                            p.event_role = role
                if re.search(r"\b(?:next|first|second|third|final|last|following)\s+speaker,?\s*$", before, re.I) or \
                        re.search(r"\b(?:gave|passed|handed)\s+the\s+floor\s+to\s*$", before, re.I):
                    self._make_speaker(h.person)

    def _make_speaker(self, key: str | None) -> None:
        if key:
            self.people[key].speaker = True

    def _turn_speakers(self) -> None:
        """People from transcript turns. A turn names its speaker ("DAVID OKAFOR:"), or a role with
        the name in brackets ("CHAIR (Helen Park):"); a bare role ("CHAIR:") is whoever holds that
        role, from an earlier turn or a "Participants:" line ("Eva Lindqvist (Chair)")."""
        listed = self._participants()
        holders: dict[str, str] = {}
        bare: list[int] = []
        for pi, t in enumerate(self.turns):
            if not t:
                continue
            label, paren, _rest = t
            if label in _AUDIENCE_LABELS:
                continue
            role_label = _ROLE_LABELS.get(label.lower())
            name = label
            role_text = paren
            if role_label and paren and re.match(r"^[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,3}$", paren.strip()):
                name, role_text = paren.strip(), None
            elif role_label:
                bare.append(pi)
                continue
            name = _title_name(name)
            if role_text is None and fold(name) in listed:
                role_text = listed[fold(name)] or None
            key = self._turn_person(name, pi)
            p = self.people[key]
            if role_label:
                p.event_role = p.event_role or role_label
                holders.setdefault(role_label, key)
            if role_text and role_text not in p.parenthetical:
                p.parenthetical.append(role_text)
            self.turns[pi] = (label, paren, key)
        for pi in bare:
            label, paren, _rest = self.turns[pi]
            role_label = _ROLE_LABELS[label.lower()]
            key = holders.get(role_label)
            if key is None:
                named = [n for n, r in listed.items()
                         if r and any(_ROLE_LABELS.get(part.strip().lower()) == role_label for part in re.split(r"[,;]", r))]
                if len(named) == 1:
                    key = holders[role_label] = self._turn_person(self._listed_names[named[0]], pi)
                    self.people[key].event_role = self.people[key].event_role or role_label
            if key is not None:
                self.turns[pi] = (label, paren, key)
        self._link_hits()

    def _turn_person(self, name: str, pi: int) -> str:
        words = [fold(w) for w in name.split()]
        if len(words) > 1 and words[0].rstrip(".") in lx.HONORIFICS:
            words = words[1:]
            name = " ".join(name.split()[1:])
        key = None
        for p in self.people.values():
            if p.surname == words[-1] and (len(words) == 1 or p.first in (None, words[0])):
                key = p.key
        if key is None:
            key = " ".join(words)
            self.people[key] = XPerson(key=key, surname=words[-1], first=words[0] if len(words) > 1 else None)
        p = self.people[key]
        p.speaker = True
        p.forms[name] += 2
        p.first_seen = min(p.first_seen, (pi, 0))
        return key

    def _participants(self) -> dict[str, str]:
        """"Participants: Eva Lindqvist (Chair), Samuel Adeyemi (Editor, The Coastal Times)" -> folded
        name -> what the brackets say."""
        out: dict[str, str] = {}
        self._listed_names: dict[str, str] = {}
        for b in self.blocks:
            m = re.match(r"^(?:Participants|Speakers|Panel|Panelists|Panellists|Present|Attendees|Witnesses)\s*:\s*(.+)$",
                         b.text, re.S)
            if not m:
                continue
            depth, item, items = 0, "", []
            for ch in m.group(1):
                depth += ch == "("
                depth -= ch == ")"
                if ch in ",;" and depth == 0:
                    items.append(item)
                    item = ""
                else:
                    item += ch
            items.append(item)
            for it in items:
                im = re.match(r"^\s*([A-ZА-ЯЁ][\w.’'-]*(?:\s+[A-ZА-ЯЁ][\w.’'-]*){1,3})\s*(?:\(([^()]*)\))?\s*\.?\s*$", it)
                if im:
                    out[fold(im.group(1))] = (im.group(2) or "").strip()
                    self._listed_names[fold(im.group(1))] = im.group(1)
        return out

    def _link_hits(self) -> None:
        """Names seen before their person was known from a turn ("Participants: Eva Lindqvist")."""
        for h in self.hits:
            if h.kind == "person" and not h.person and self._person_for(h, create=False):
                p = self.people[h.person]
                p.forms[h.text] += 1
                if h.honorific:
                    p.honorifics[h.honorific] += 1
                if (h.para, h.start) < p.first_seen and h.view is None:
                    p.first_seen = (h.para, h.start)

    # ------------------------------------------------------------------ attribution

    def attribute(self) -> list[XPassage]:
        passages: list[XPassage] = []
        self.current: str | None = None
        self.recent: list[str] = []
        turn_speaker: str | None = None
        turn_label: str | None = None
        for pi, text in enumerate(self.texts):
            toks = self.views[pi][None]
            kind = self.kinds[pi]
            t = self.turns[pi] if self.style == "transcript" else None
            passage = XPassage(seq=pi + 1, kind=kind, text=text, speaker=None, attribution="narration")
            if self.style == "transcript":
                if t:
                    turn_label = t[0]
                    turn_speaker = t[2] if t[2] in self.people else None
                    passage.label = t[0]
                    passage.speaker = turn_speaker
                    passage.attribution = "turn" if turn_speaker else "audience"
                elif kind in (HEADING,):
                    turn_speaker, turn_label = None, None
                elif turn_speaker or turn_label:
                    passage.speaker = turn_speaker
                    passage.label = turn_label
                    passage.attribution = "continuation" if turn_speaker else "audience"
                self.current = turn_speaker
            elif kind in (HEADING, LIST_ITEM):
                self.current = None
            found = False
            for s0, s1 in sentences(toks, text):
                if self.style == "report" and kind == PARAGRAPH:
                    subj = self.subject(pi, None, toks, s0, s1)
                    who = self._resolve(subj) if subj else None
                    if who:
                        self._set_current(who)
                        self._learn_gender(pi, toks, s0, s1, subj, who)
                        if not found:
                            passage.speaker, passage.attribution, found = who, subj[0], True
                    sent_speaker = who or (self.current if found else None)
                else:
                    sent_speaker = passage.speaker
                for k in range(s0, s1):
                    if toks[k].kind == QUOTED:
                        self._quote(pi, None, toks, k, s0, s1, passage, sent_speaker, None)
            if self.style == "report" and kind == PARAGRAPH and not found:
                self.current = None
            passage.quotes.sort(key=lambda q: (q.start, -q.end))
            self._mentions(pi, passage)
            passages.append(passage)
        return passages

    def _set_current(self, who: str) -> None:
        self.current = who
        if who in self.recent:
            self.recent.remove(who)
        self.recent.append(who)

    def _resolve(self, subj) -> str | None:
        """The speaker a sentence subject refers to, in the narrator's voice (outside quotes)."""
        typ, val = subj[0], subj[1]
        if typ == "name":
            p = self.people.get(val.person)
            return p.key if p and p.speaker else None
        if typ == "pronoun":
            g = lx.SUBJECT_PRONOUNS.get(val)
            if g is None:
                return None
            cur = self.people.get(self.current) if self.current else None
            if cur and cur.gender in (None, g):
                if cur.gender is None:
                    cur.gender = g
                return cur.key
            for key in reversed(self.recent):
                if self.people[key].gender == g:
                    return key
            return None
        if typ == "desc":
            if val in ("speaker", "panelist", "panellist", "guest", "participant"):
                return self.current
            return self._match_description(val) or self.current
        return None

    def _learn_gender(self, pi, toks, s0, s1, subj, who) -> None:
        p = self.people[who]
        if p.gender or subj[0] != "name":
            return
        persons = {h.person for h in self.hits_at.get((pi, None), {}).values()
                   if h.kind == "person" and h.person and s0 <= h.i < s1}
        if len(persons) != 1:
            return
        genders = {
            lx.PRONOUN_GENDER[t.lower] for n, t in enumerate(toks[s0:s1], start=s0)
            if t.kind == WORD and t.lower in lx.PRONOUN_GENDER
            and not (n + 1 < s1 and toks[n + 1].kind == WORD and toks[n + 1].lower in lx.PERSON_NOUNS)
        }
        if len(genders) == 1:
            p.gender = genders.pop()

    # ------------------------------------------------------------------ quotes

    def _quote(self, pi: int, vi: int | None, toks: list[Tok], k: int, s0: int, s1: int,
               passage: XPassage, sent_speaker: str | None, outer: XQuote | None) -> None:
        si = toks[k].span
        span = self.spans[pi][si]
        text = self.texts[pi]
        content = text[span.start: span.end]
        cue = self._cue(pi, vi, toks, k, s0, s1)
        kind = self._classify(content, toks, k, s0, s1, cue, vi is None and self.kinds[pi] == LIST_ITEM)
        q = XQuote(span.start, span.end, kind)
        if outer is not None:
            q.parent = passage.quotes.index(outer)
        previous = self._translation_of(pi, toks, k, s0, passage)
        if previous is not None and kind in (QUOTE, TERM):
            # «...» — "...": the second is the first in other words (a translation)
            q.kind, q.speaker, q.label, q.quoted_by = QUOTE, previous.speaker, previous.label, previous.quoted_by
            q.cue = "translation of the preceding quote"
        elif kind == QUOTE:
            self._attribute_quote(pi, vi, toks, q, cue, passage, sent_speaker, outer, k)
        passage.quotes.append(q)
        # quotes inside this span
        inner = self.views[pi][si]
        for a, b in sentences(inner, text):
            for m in range(a, b):
                if inner[m].kind == QUOTED:
                    self._quote(pi, si, inner, m, a, b, passage, q.speaker, q)

    def _translation_of(self, pi, toks: list[Tok], k: int, s0: int, passage: XPassage) -> XQuote | None:
        a = k - 1
        while a >= s0 and toks[a].kind == PUNCT and toks[a].text in "—–-(:/":
            a -= 1
        if a < s0 or a == k - 1 or toks[a].kind != QUOTED:
            return None
        span = self.spans[pi][toks[a].span]
        prev = next((q for q in passage.quotes if q.start == span.start and q.end == span.end), None)
        return prev if prev is not None and prev.kind == QUOTE else None

    def _cue(self, pi, vi, toks: list[Tok], k: int, s0: int, s1: int):
        """The reporting clause of a quote: (subject candidate or None, verb index, tight, text)."""
        # before: "quoting a letter from prisoners' families: «...»" names the source
        if k - 1 >= s0 and toks[k - 1].text == ":":
            v = k - 2
            while v >= s0 and k - v <= 16 and toks[v].kind == WORD or (v >= s0 and toks[v].text in "’'"):
                source = toks[v].kind == WORD and (
                    toks[v].lower in lx.SOURCE_VERBS
                    or (toks[v].lower == "reading" and v + 1 < k and toks[v + 1].lower in ("from", "out"))
                )
                if source:
                    label = re.sub(r"^(?:from|out|aloud)\s+", "", self._span_text(pi, toks, v + 1, k - 1))
                    if label and not any(t.kind == WORD and (t.text in lx.SPEECH_VERBS or t.lower == "and")
                                         for t in toks[v + 1: k - 1]):
                        return (v + 1, k - 1, "source", label), v, True, self._span_text(pi, toks, v, k - 1)
                    break
                v -= 1
        n = len(toks)
        # after: “...” he added / ”, said Burian
        m = k + 1
        if m < s1 and toks[m].text == ",":
            m += 1
        if m < s1 and toks[m].text in _DASHES:
            m += 1
        if m < s1:
            cands = [c for c in self._cands(pi, vi, toks, m, min(s1, m + 6)) if c[0] == m]
            if cands:
                c = cands[0]
                end = c[3].j if c[2] == "name" else c[1]
                v = end
                while v < n and toks[v].kind == WORD and toks[v].lower in lx.ADVERBS:
                    v += 1
                if v < n and toks[v].text in lx.SPEECH_VERBS:
                    return c, v, True, self._span_text(pi, toks, m, v + 1)
            if m < s1 and toks[m].text in lx.SPEECH_VERBS:
                cands = [c for c in self._cands(pi, vi, toks, m + 1, min(s1, m + 6)) if c[0] == m + 1]
                if cands:
                    return cands[0], m, True, self._span_text(pi, toks, m, cands[0][1])
        # before: "according to her, “...”"
        a = k - 1
        if a >= s0 and toks[a].text in (",", ":"):
            a -= 1
        if a - 2 >= s0 and toks[a - 2].lower == "по" and toks[a].lower == "словам" and toks[a - 1].lower in lx.POSSESSIVE_PRONOUN:
            return (a - 1, a, "pronoun", lx.POSSESSIVE_PRONOUN[toks[a - 1].lower]), a - 2, True, \
                self._span_text(pi, toks, a - 2, a + 1)
        if a - 2 >= s0 and toks[a - 2].lower == "according" and toks[a - 1].lower == "to":
            obj = _OBJECT_PRONOUNS.get(toks[a].lower)
            if obj:
                return (a, a + 1, "pronoun", obj), a - 2, True, self._span_text(pi, toks, a - 2, a + 1)
            cands = [c for c in self._cands(pi, vi, toks, a - 1, a + 1) if c[1] == a + 1]
            if cands:
                return cands[0], a - 2, True, self._span_text(pi, toks, a - 2, a + 1)
        # before: nearest speech verb in the sentence, no quote between it and this one
        v = k - 1
        while v >= s0 and k - v <= 25:
            t = toks[v]
            if t.kind == QUOTED and v != k and self._is_speechy(pi, t):
                return None
            if t.kind == PUNCT and t.text == ";":
                return None
            noun = v > s0 and toks[v - 1].kind == WORD and (
                toks[v - 1].lower in lx.DETERMINERS or toks[v - 1].lower in lx.PREPOSITIONS or toks[v - 1].lower == "in")
            if t.kind == WORD and t.text in lx.SPEECH_VERBS and not noun:
                tight = v == k - 1 or (v == k - 2 and toks[k - 1].text in (":", ",")) or \
                    (v == k - 2 and toks[k - 1].lower == "that") or (v == k - 3 and toks[k - 2].lower in ("out", "that") and toks[k - 1].text in (":", ",", "that"))
                subj = self._subject_before(pi, vi, toks, v, s0)
                return subj, v, tight, self._cue_text(pi, toks, subj, v, k)
            v -= 1
        return None

    def _cue_text(self, pi: int, toks: list[Tok], subj, v: int, k: int) -> str:
        """"she said:", "Lyudmyla Kozlovska remarked that", "Anna Shukeyeva … pointed out that"."""
        end = v + 1
        while end < k and toks[end].kind == WORD and toks[end].lower in ("out", "that", "on", "up"):
            end += 1
        if end < k and toks[end].text == ":":
            end += 1
        verb = self._span_text(pi, toks, v, end)
        if subj is None:
            return verb
        sj = subj[3].j if subj[2] == "name" else subj[1]
        who = self._span_text(pi, toks, subj[0], sj)
        if v - sj <= 1:
            return self._span_text(pi, toks, subj[0], end)
        return f"{who} … {verb}"

    def _is_speechy(self, pi, t: Tok) -> bool:
        span = self.spans[pi][t.span]
        words = re.findall(r"[^\W_]+", self.texts[pi][span.start: span.end])
        return len(words) > 4

    def _subject_before(self, pi, vi, toks: list[Tok], v: int, s0: int):
        best = None
        skip_until = -1
        for c in self._cands(pi, vi, toks, s0, v):
            if c[0] < skip_until and c[2] in ("desc", "relation", "group", "org"):
                continue  # inside the appositive of a name: "Daniyar Abenov, a blogger, added"
            if c[2] == "name" and c[3].j < len(toks) and toks[c[3].j].text == ",":
                m = c[3].j + 1
                while m < v and toks[m].text != "," and m < c[3].j + 30:
                    m += 1
                skip_until = m
            i, j, typ, val = c
            if typ == "pronoun" and val in ("i", "we") and vi is None and self.style == "report":
                continue
            if typ == "pronoun" and val == "it":
                continue
            if self._excluded(toks, i, (val.j if typ == "name" else j), s0) and typ != "pronoun":
                continue
            best = c
        return best

    def _span_text(self, pi: int, toks: list[Tok], a: int, b: int) -> str:
        if a >= b or b > len(toks):
            return ""
        return self.texts[pi][toks[a].start: toks[b - 1].end]

    def _classify(self, content: str, toks: list[Tok], k: int, s0: int, s1: int, cue, item_start_ok: bool) -> str:
        words = re.findall(r"[^\W_]+", content)
        if not words:
            return TERM
        prev_words = [t.lower for t in toks[max(s0, k - 3): k] if t.kind == WORD]
        if item_start_ok and k == 0:
            return TITLE
        p1 = toks[k - 1] if k > s0 else None
        p2 = toks[k - 2] if k - 1 > s0 else None
        if p1 is not None and p1.kind == WORD and (
            p1.lower in lx.TITLE_NOUNS
            or (p1.lower == "table" and p2 is not None and p2.lower == "round")
            or (p1.lower in ("titled", "entitled", "called", "named") and p2 is not None and p2.lower in lx.TITLE_NOUNS)
        ):
            return TITLE
        if re.fullmatch(r"[#№]?\d[\w./-]*", content.strip()):
            return NAME
        tight = bool(cue and cue[2])
        colon = k > 0 and toks[k - 1].text == ":"
        if tight and (colon or len(words) >= 2) and not content.lower().startswith(("so-called", "so called")):
            return QUOTE
        namelike = (
            len(words) <= 8
            and words[0][:1].isupper()
            and all(w[:1].isupper() or w.lower() in _CONNECTORS or w.isdigit() for w in words)
            and not re.search(r"[.!?;]\s", content + " ")
        )
        if namelike and not (len(words) == 1 and words[0].lower() in _PRONOUN_SUBJ):
            return NAME
        if (prev_words and prev_words[-1] in lx.TERM_CUES) or content.lower().startswith(("so-called", "so called")):
            return TERM
        finite = _has_finite([w.strip(".,;:!?") for w in content.split()])
        if len(words) <= 4 and not finite:
            return TERM
        if cue:
            return QUOTE
        if finite and len(words) >= 3:
            return QUOTE
        if len(words) >= 8:
            return QUOTE
        return TERM

    def _attribute_quote(self, pi, vi, toks, q: XQuote, cue, passage: XPassage, sent_speaker, outer, k) -> None:
        """Who said the words of quote ``q``, and who relayed them.

        Inside another quote, the speaker is found inside it and the outer speaker relayed the words.
        At the top of a report, a quote whose speaker is not a speaker of the archive was relayed by the
        sentence's speaker. Nothing is guessed: an unresolved speaker stays unattributed."""
        text = self.texts[pi]
        reporter = outer.speaker if outer is not None else (sent_speaker or passage.speaker)
        if cue:
            q.cue = cue[3] or None
        subj = cue[0] if cue else None
        relayed = True
        if subj is None:
            if cue and self._np_before(pi, toks, cue[1]):
                q.label = self._np_before(pi, toks, cue[1])
            elif vi is None and self.style == "report":
                q.speaker, relayed = sent_speaker, False
        else:
            i, j, typ, val = subj
            e = j
            while e < cue[1] and toks[e].kind == WORD and toks[e].text[:1].islower() and toks[e].lower not in _AUX \
                    and not _is_verb(toks[e]) and e < j + 4:
                e += 1
            phrase = text[toks[i].start: toks[e - 1].end]
            if typ == "name":
                p = self.people.get(val.person)
                if p and p.speaker:
                    q.speaker, relayed = p.key, False
                else:
                    q.label = self._person_name(val.person) if val.person else val.text
            elif typ == "org":
                q.label = self.acronyms.get(val.text, val.text)
            elif typ == "source":
                q.label = val
            elif typ in ("relation", "group"):
                q.label = phrase
            elif typ == "desc":
                who = self._match_description(val) if vi is None else None
                if who:
                    q.speaker, relayed = who, False
                else:
                    q.label = phrase
            elif typ == "pronoun":
                if val in ("i", "we"):
                    if outer is not None:
                        q.speaker, q.label, relayed = outer.speaker, outer.label, False
                    elif self.style == "transcript":
                        q.speaker, relayed = passage.speaker, False
                elif val in lx.SUBJECT_PRONOUNS:
                    if vi is None and self.style == "report":
                        q.speaker, relayed = self._resolve(("pronoun", val)), False
                    else:
                        near = self._near_person(pi, vi, toks, k)
                        if near and self.people[near].speaker and vi is None:
                            q.speaker, relayed = near, False
                        elif near:
                            q.label = self._person_name(near)
                elif val == "they":
                    q.label = self._group_label(pi, toks[k].start)
        if q.speaker and q.speaker == reporter:
            relayed = False
        if relayed and reporter and (q.label or q.speaker):
            q.quoted_by = reporter
        elif relayed and reporter and q.speaker is None and q.label is None and (outer is not None or self.style == "transcript"):
            q.quoted_by = reporter
        if q.speaker is None and q.label is None:
            self.notes.append(f"quote in ¶ {pi + 1} not attributed: “{text[q.start:q.end][:60]}”")

    def _np_before(self, pi, toks: list[Tok], v: int) -> str | None:
        """"The reply said": the noun phrase right before a reporting verb, as a label."""
        a = v - 1
        while a >= 0 and a > v - 5 and toks[a].kind == WORD and toks[a].lower not in lx.DETERMINERS:
            a -= 1
        if a >= 0 and a < v - 1 and toks[a].kind == WORD and toks[a].lower in ("the", "a", "an", "this", "that"):
            if a >= 2 and toks[a - 1].lower == "of" and toks[a - 2].lower in _QUANTIFIERS:
                a -= 2  # "one of the reporters"
            return self._span_text(pi, toks, a, v)
        return None

    def _match_description(self, noun: str) -> str | None:
        """The speaker a description like "the lawyer" refers to: the current speaker if the
        description fits them, else the most recent speaker it fits; None when it fits nobody."""
        order = ([self.current] if self.current else []) + list(reversed(self.recent))
        for key in order:
            p = self.people.get(key)
            if p is None:
                continue
            words = " ".join(p.intros + p.prepositive + p.parenthetical + list(p.honorifics)).lower()
            if re.search(rf"\b{re.escape(noun)}\b", words):
                return key
        return None

    def _near_person(self, pi, vi, toks, k) -> str | None:
        hits = self.hits_at.get((pi, vi), {})
        best = None
        for h in hits.values():
            if h.kind == "person" and h.person and h.i < k:
                if best is None or h.i > best.i:
                    best = h
        return best.person if best else None

    def _person_name(self, key: str) -> str:
        p = self.people[key]
        return p.forms.most_common(1)[0][0] if p.forms else key

    def _group_label(self, pi: int, before: int, gs: int | None = None, ge: int | None = None) -> str | None:
        text = self.texts[pi]
        if gs is not None:
            return re.sub(r"^(?:the|these|those)\s+", "", text[gs:ge], flags=re.I)
        region = text[:before]
        found = None
        for m in re.finditer(r"\b([a-z-]+)\b", region):
            if m.group(1) in lx.GROUP_NOUNS:
                found = m
        if not found:
            return None
        # up to three modifiers before the noun, stopping at a determiner or preposition
        words = re.findall(r"[\w’'-]+", region[: found.start()])
        mods: list[str] = []
        for w in reversed(words[-3:]):
            if w.lower() in lx.DETERMINERS or w.lower() in lx.PREPOSITIONS or w.lower() in ("and", "or", "to"):
                break
            mods.insert(0, w)
        label = " ".join(mods + [found.group(1)])
        rel = re.match(r"\s+(who|that)\s+([^,.;:“”‘’\"]{1,80})", region[found.end():] + " ")
        if rel:
            clause = re.split(r"\s+(?:to|in order to|because|when|after|before|in)\s+", rel.group(2))[0].strip()
            if clause:
                label += f" {rel.group(1)} {clause}"
        return label

    # ------------------------------------------------------------------ mentions

    def _mentions(self, pi: int, passage: XPassage) -> None:
        text = self.texts[pi]
        quotes = [q for q in passage.quotes if q.kind == QUOTE]

        def by(pos: int) -> str | None:
            inner = [q for q in quotes if q.start <= pos < q.end]
            if inner:
                q = max(inner, key=lambda q: q.start)
                return q.speaker
            return passage.speaker

        for h in self.hits_in.get(pi, ()):
            if h.kind == "person" and h.person:
                passage.mentions.append(XMention(h.start, h.end, "person:" + h.person, h.text, by(h.start)))
            elif h.kind in ("org", "acronym", "other"):
                name = h.text
                if h.kind == "acronym":
                    if name.rstrip("s") in self.acronyms or name in self.acronyms:
                        name = self.acronyms.get(name, self.acronyms.get(name.rstrip("s"), name))
                    elif name in lx.KNOWN_ACRONYMS:
                        name = lx.KNOWN_ACRONYMS[name]
                    elif name.rstrip("s") in lx.KNOWN_ACRONYMS:
                        name = lx.KNOWN_ACRONYMS[name.rstrip("s")]
                key = self._org(name, h.text, "other" if h.kind == "other" else "organisation")
                passage.mentions.append(XMention(h.start, h.end, key, h.text, by(h.start)))
        for q in passage.quotes:
            if q.kind == NAME:
                surface = text[q.start:q.end]
                if re.fullmatch(r"[#№]?\d[\w./-]*", surface) and not re.search(
                        r"(movement|party|group|organi[sz]ation|union)\W*$", text[max(0, q.start - 30): q.start], re.I):
                    continue
                key = self._org(surface, surface, "organisation")
                passage.mentions.append(XMention(q.start, q.end, key, surface, by(q.start)))
        unique = {(m.start, m.end): m for m in reversed(passage.mentions)}
        passage.mentions = sorted(unique.values(), key=lambda m: m.start)

    def _org(self, name: str, surface: str, kind: str) -> str:
        name = re.sub(r"^(?:the|The)\s+", "", name)
        for full in self.acronyms.values():
            if fold(full) == fold(name):
                name = full
        # "EU Global ... Regime" and "Global ... Regime" are one thing
        base = re.sub(r"^[A-Z]{2,5}\s+(?=\S+\s+\S+)", "", name)
        key = "org:" + fold(base)
        ent = self.orgs.get(key)
        if ent is None:
            ent = self.orgs[key] = XEntity(key, name, kind)
        if surface != name and surface not in ent.aliases:
            ent.aliases.append(surface)
        return key

    # ------------------------------------------------------------------ profiles

    def collect_intros(self) -> None:
        for pi, views in enumerate(self.views):
            toks = views[None]
            text = self.texts[pi]
            sents = sentences(toks, text)
            for h in self.hits_at.get((pi, None), {}).values():
                if h.kind != "person" or not h.person or not self.people[h.person].speaker:
                    continue
                p = self.people[h.person]
                s0, s1 = next(((a, b) for a, b in sents if a <= h.i < b), (0, len(toks)))
                n = len(toks)
                # after: "X, journalist at “La Repubblica”, noted" / "X, President of ODF."
                j = h.j
                if j < n and toks[j].text == "(":
                    m = j + 1
                    while m < n and toks[m].text != ")":
                        m += 1
                    if m < n:
                        p.parenthetical.append(text[toks[j].end: toks[m].start].strip())
                        j = m + 1
                if j < s1 and toks[j].text == ",":
                    m = j + 1
                    while m < s1 and toks[m].text != "," and not (toks[m].kind == PUNCT and toks[m].text in ".;!?"):
                        m += 1
                    seg = text[toks[j].end: toks[m - 1].end].strip() if m > j + 1 else ""
                    first = toks[j + 1] if j + 1 < n else None
                    seg_toks = toks[j + 1: m]
                    role_like = any(
                        t.kind == WORD and (t.lower in lx.PERSON_NOUNS or t.text in _TITLE_WORDS or t.text in lx.ORG_WORDS
                                            or t.lower in ("one", "member", "head", "author", "co-founder"))
                        for t in seg_toks[:8]
                    )
                    nxt_hit = self.hits_at.get((pi, None), {}).get(j + 1)
                    listed = nxt_hit is not None and nxt_hit.kind == "person" or "(" in seg  # a list of names
                    if seg and role_like and not listed and first is not None \
                            and first.lower not in ("who", "which", "whose", "whom", "and", "but") and not _is_verb(first):
                        p.intros.append(seg)
                # before: "Kazakh human rights lawyer and ..., Bota Jardemalie, opened"
                if h.ci > s0 and toks[h.ci - 1].text == ",":
                    seg_toks = toks[s0: h.ci - 1]
                    words = [t.lower for t in seg_toks if t.kind == WORD]
                    if words and seg_toks[0].text not in STARTERS and words[0] not in lx.PREPOSITIONS \
                            and words[0] not in lx.SUBORDINATORS and any(w in lx.PERSON_NOUNS and w not in ("speaker", "speakers") for w in words) \
                            and not any(t.kind == PUNCT and t.text in ",:()" for t in seg_toks):
                        p.intros.append(text[seg_toks[0].start: seg_toks[-1].end])
                # prepositive: "journalist Rosalba Castelletti"
                m = h.ci - 1
                pre: list[Tok] = []
                while m >= s0 and toks[m].kind == WORD and toks[m].text[:1].islower() and toks[m].lower not in lx.DETERMINERS \
                        and toks[m].lower not in lx.PREPOSITIONS and not _is_verb(toks[m]) and len(pre) < 5:
                    pre.insert(0, toks[m])
                    m -= 1
                if pre and pre[-1].lower in lx.PERSON_NOUNS and pre[-1].lower not in ("speaker", "speakers"):
                    p.prepositive.append(text[pre[0].start: pre[-1].end])

    def finish_people(self) -> None:
        for p in self.people.values():
            forms = list(p.forms.items())
            if not forms:
                p.name = p.key.title()
            else:
                # the fullest form; among forms equal after folding, the one with diacritics
                best = max(forms, key=lambda f: (len(f[0].split()), f[1], sum(1 for c in f[0] if ord(c) > 127)))
                same = [f for f in forms if fold(f[0]) == fold(best[0])]
                p.name = max(same, key=lambda f: (sum(1 for c in f[0] if ord(c) > 127), f[1]))[0]
            p.honorific = p.honorifics.most_common(1)[0][0] if p.honorifics else None
            phrases = [i for i in p.intros] + p.prepositive
            paren_parts: list[str] = []
            for par in p.parenthetical:
                for part in re.split(r"[;,]", par):
                    part = part.strip()
                    if not part:
                        continue
                    if part in lx.COUNTRIES:
                        p.country = p.country or lx.COUNTRIES[part]
                    elif part.lower() in _ROLE_LABELS:  # "(Chair)": a part in the event, not a job
                        p.event_role = p.event_role or _ROLE_LABELS[part.lower()]
                    else:
                        paren_parts.append(part)
            acr = {**lx.KNOWN_ACRONYMS, **self.acronyms}
            role, org, country, conn = parse_role(phrases, acr)
            if paren_parts and (role is None or self.style == "transcript"):
                prole, porg = _paren_role(paren_parts, acr)
                if p.honorific in lx.ROLE_HONORIFICS and prole is None:
                    prole = p.honorific
                if prole or porg:
                    role, org, conn = prole, porg, None
            if role is None and p.honorific in lx.ROLE_HONORIFICS:
                role = p.honorific
            if p.label_role and role is None:
                role = p.label_role
            p.role, p.organisation = role, org
            p.country = p.country or country
            if role and org and conn:
                p.affiliation = f"{role} {conn} {org}"
            else:
                p.affiliation = ", ".join(x for x in (role, org, p.country) if x) or None
            desc = [d for d in dict.fromkeys(p.intros + p.prepositive + p.parenthetical)]
            p.description = "; ".join(desc) or None
            aliases = set(p.forms)
            if p.name:
                parts = p.name.split()
                if len(parts) > 1:
                    aliases.add(parts[-1])
                for hon in p.honorifics:
                    aliases.add(f"{hon} {parts[-1]}")
            aliases.discard(p.name)
            p.aliases = sorted(aliases)

    def entities(self) -> list[XEntity]:
        out = []
        for p in sorted(self.people.values(), key=lambda p: p.first_seen):
            out.append(XEntity("person:" + p.key, p.name, "person", p.aliases, p.key))
        out.extend(self.orgs.values())
        return out


def _subseq(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


def _has_finite(words: list[str]) -> bool:
    low = [w.lower() for w in words]
    if any(w in _AUX for w in low):
        return True
    for a, b in zip(low, low[1:]):
        if a in _PRONOUN_SUBJ and b not in ("and", "or", "of", "the", "a"):
            return True
    return any(w in lx.SPEECH_VERBS or (w in lx.IRREGULAR_VERBS) for w in low[1:])


def _rekey(doc: _Doc, passages: list[XPassage]) -> None:
    """Key every person by their canonical name, not by the first spelling registered."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for p in doc.people.values():
        new = fold(p.name)
        mapping[p.key] = p.key if new in taken else new
        taken.add(mapping[p.key])
    people = {}
    for old, p in doc.people.items():
        p.key = mapping[old]
        people[p.key] = p
    doc.people = people

    def m(key: str | None) -> str | None:
        return mapping.get(key, key) if key else key

    for ps in passages:
        ps.speaker = m(ps.speaker)
        for q in ps.quotes:
            q.speaker, q.quoted_by = m(q.speaker), m(q.quoted_by)
        for mt in ps.mentions:
            mt.by = m(mt.by)
            if mt.entity.startswith("person:"):
                mt.entity = "person:" + m(mt.entity[7:])


def extract(text: str) -> Extraction:
    """Read a report or a transcript and say who said what."""
    doc = _Doc(split_blocks(text))
    doc.find_acronyms()
    doc.find_names()
    doc.register_people()
    doc.find_speakers()
    doc.collect_intros()
    passages = doc.attribute()
    doc.finish_people()
    _rekey(doc, passages)
    speakers = sorted((p for p in doc.people.values() if p.speaker), key=lambda p: p.first_seen)
    return Extraction(doc.style, passages, speakers, doc.people, doc.entities(), doc.acronyms, doc.notes)
