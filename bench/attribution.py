#!/usr/bin/env python3
"""Who said what on real text: the importer scored on PolNeAR's hand-annotated attributions.

    python bench/attribution.py --corpus ~/PolNeAR                 # dev split, a report
    python bench/attribution.py --corpus ~/PolNeAR --split train   # the split to study errors on
    python bench/attribution.py --corpus ~/PolNeAR --json          # one JSON object
    python bench/attribution.py --corpus ~/PolNeAR --examples 5    # a few cases per error, on stdout

PolNeAR (github.com/networkdynamics/PolNeAR) is 1,008 US political news articles with hand-annotated
attributions (source, cue and content spans in brat standoff files) and CoreNLP output (tokens, parts of
speech, coreference). Only the train and dev splits are read; the test split is held out, and this script
refuses it. Nothing of the corpus is written anywhere: examples go to standard output only.

What is scored (bench/ATTRIBUTION.md explains every number):

* Gold quotes: every span in double quotation marks in an article's body, one per paragraph (a quote
  that runs over paragraphs is one gold quote in each). A gold quote that lies inside an annotated
  attribution's content is a direct quote of that attribution's source; the other quoted spans are
  names, titles and scare quotes. Its length is counted in words (1-3 words: a fragment, 4+: a quote).
* The gold speaker: the source's name (a run of proper nouns that is the head of the source, "Sen.
  Elizabeth Warren", not "Trump" in "Trump's campaign manager"); for a pronoun or a description ("she",
  "the senator") the name CoreNLP's coreference links it to; "unnamed" when there is none ("a
  spokesman"). A quote with a named or resolved speaker has a *known* speaker.
* The importer: each article goes through ``viewer.core.importer.prepare`` (reading, title and dates,
  extraction), exactly as ``archive-viewer import`` reads a file; its passages are found in the article
  to compare offsets.
* A gold quote is *extracted* when a quote of the importer covers at least half of its characters; its
  attribution is *right* when the importer's speaker is the same person (same surname, compatible first
  names), *wrong* when it is someone else, *unattributed* when the importer left it without a speaker.
* The nearest-name baseline, on the gold quotes: the nearest proper noun outside quotation marks in the
  quote's sentence, else the last one of the sentence before.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPLITS = ("train", "dev")
OPENERS = '“"«'
FRAGMENT_WORDS = 3  # up to this many words: a fragment


# ---------------------------------------------------------------------------- the corpus


@dataclass
class Annotation:
    """One attribution: its source, cue and content as character ranges of the article."""

    source: list[tuple[int, int]] = field(default_factory=list)
    cue: list[tuple[int, int]] = field(default_factory=list)
    content: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Token:
    text: str
    start: int
    end: int
    pos: str
    ner: str


@dataclass
class Sentence:
    tokens: list[Token]

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end


@dataclass
class Mention:
    sentence: int  # 0-based
    start: int  # token index, 0-based
    end: int
    head: int


@dataclass
class Article:
    name: str
    text: str
    path: Path
    annotations: list[Annotation]
    sentences: list[Sentence]
    chains: list[list[Mention]]
    parsed: bool = True  # False: no CoreNLP file (the snapshot leaves out files over 4 MiB): not scored
    relayed_right: int = 0  # quotes given to the speaker named inside a relayed block (see inner_speakers)


def _ranges(spec: str) -> list[tuple[int, int]]:
    out = []
    for part in spec.split(";"):
        a, b = part.split()
        out.append((int(a), int(b)))
    return out


def read_ann(path: Path) -> list[Annotation]:
    """brat standoff: T lines (a role and its ranges) joined into attributions by E lines."""
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events: list[list[tuple[str, str]]] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        parts = line.split("\t")
        if len(parts) >= 2 and re.fullmatch(r"T\d+", parts[0]):
            label, _, spec = parts[1].partition(" ")
            try:
                spans[parts[0]] = (label, _ranges(spec))
            except ValueError:
                continue
        elif len(parts) >= 2 and re.fullmatch(r"E\d+", parts[0]):
            events.append([tuple(arg.split(":", 1)) for arg in parts[1].split() if ":" in arg])
    out = []
    for args in events:
        ann = Annotation()
        for role, tid in args:
            if tid not in spans:
                continue
            ranges = spans[tid][1]
            if role.startswith("Source"):
                ann.source.extend(ranges)
            elif role.startswith("Cue"):
                ann.cue.extend(ranges)
            elif role.startswith("Content"):
                ann.content.extend(ranges)
        if ann.content:
            out.append(ann)
    return out


def read_corenlp(path: Path) -> tuple[list[Sentence], list[list[Mention]]]:
    from lxml import etree

    root = etree.parse(str(path)).getroot()
    sentences = []
    for s in root.iterfind("document/sentences/sentence"):
        toks = [
            Token(
                t.findtext("word"),
                int(t.findtext("CharacterOffsetBegin")),
                int(t.findtext("CharacterOffsetEnd")),
                t.findtext("POS") or "",
                t.findtext("NER") or "O",
            )
            for t in s.iterfind("tokens/token")
        ]
        if toks:
            sentences.append(Sentence(toks))
    chains = []
    for c in root.iterfind("document/coreference/coreference"):
        chains.append(
            [
                Mention(
                    int(m.findtext("sentence")) - 1,
                    int(m.findtext("start")) - 1,
                    int(m.findtext("end")) - 1,
                    int(m.findtext("head")) - 1,
                )
                for m in c.iterfind("mention")
            ]
        )
    return sentences, chains


def articles(corpus: Path, split: str, limit: int | None = None) -> list[Article]:
    if split not in SPLITS:
        raise SystemExit(f"split {split!r}: only {', '.join(SPLITS)} may be read (the test split is held out)")
    base = corpus / "data" / split
    if not base.is_dir():
        raise SystemExit(f"{base}: not found; fetch github.com/networkdynamics/PolNeAR and give its folder")
    out = []
    anns = sorted((base / "attributions").glob("*.ann"))
    by_article: dict[str, Path] = {}
    for a in anns:  # several annotators for a few articles: the first, always the same one
        by_article.setdefault(re.sub(r"_[0-9a-f]{4}\.ann$", "", a.name), a)
    for name in sorted(by_article)[:limit]:
        text_path = base / "text" / f"{name}.txt"
        text = text_path.read_text(encoding="utf-8")
        xml = base / "corenlp" / f"{name}.txt.xml"
        sentences, chains = read_corenlp(xml) if xml.is_file() else ([], [])
        out.append(Article(name, text, text_path, read_ann(by_article[name]), sentences, chains, xml.is_file()))
    return out


# ---------------------------------------------------------------------------- gold quotes

_WORD = re.compile(r"\w+(?:[’'-]\w+)*")


def words(text: str) -> int:
    return len(_WORD.findall(text))


def paragraphs(text: str) -> list[tuple[int, int]]:
    out = []
    for m in re.finditer(r"[^\n]+", text):
        if m.group().strip():
            out.append((m.start(), m.end()))
    return out


def quoted_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The outermost double-quoted spans of one paragraph, content only (marks excluded); quotes
    inside them are part of them; a quote left open runs to the end of the paragraph. Two apostrophes
    ('') are a double quotation mark (some archives write quotes so)."""
    text = text.replace("''", '" ')
    out = []
    stack: list[tuple[str, int]] = []
    for i in range(start, end):
        ch = text[i]
        prev = text[i - 1] if i > start else " "
        nxt = text[i + 1] if i + 1 < end else " "
        opening_position = prev.isspace() or prev in "([—–-/:" or i == start
        closed = None
        if ch in "“«":
            stack.append((ch, i))
        elif ch in "”»":
            want = "“" if ch == "”" else "«"
            if any(o == want for o, _ in stack):
                while stack:
                    o, at = stack.pop()
                    if o == want:
                        closed = at
                        break
            elif not stack and nxt.isalnum() and opening_position:
                stack.append(("“", i))  # a quote opened with the closing mark
        elif ch == '"':
            if any(o == '"' for o, _ in stack) and not (opening_position and nxt.isalnum() and stack[-1][0] != '"'):
                while stack:
                    o, at = stack.pop()
                    if o == '"':
                        closed = at
                        break
            elif opening_position or not stack:
                stack.append(('"', i))
        if closed is not None and not stack:
            out.append((closed + 1, i))
    if stack and end - stack[0][1] > 2:
        out.append((stack[0][1] + 1, end))
    return [(a, b) for a, b in out if re.search(r"\w", text[a:b])]


def overlap(a: tuple[int, int], ranges: list[tuple[int, int]]) -> int:
    return sum(max(0, min(a[1], b) - max(a[0], s)) for s, b in ranges)


@dataclass
class Gold:
    start: int
    end: int
    words: int
    annotation: Annotation | None  # None: a quoted name, title or scare quote
    speaker: str | None = None  # the gold speaker's name (head of the source, or its coreferent)
    full: str | None = None  # the fullest name of that person in the article
    how: str = "none"  # named | resolved | unnamed | none (no source annotated)
    source_text: str = ""
    inner: list[str] = field(default_factory=list)  # names with their own reporting verb inside the content


def gold_quotes(art: Article) -> list[Gold]:
    paras = paragraphs(art.text)[1:]  # the first line is the headline
    out = []
    for ps, pe in paras:
        for a, b in quoted_spans(art.text, ps, pe):
            best, best_overlap = None, 0
            for ann in art.annotations:
                o = overlap((a, b), ann.content)
                if o > best_overlap:
                    best, best_overlap = ann, o
            if best is not None and best_overlap * 2 < b - a:
                best = None
            g = Gold(a, b, words(art.text[a:b]), best)
            if best is not None:
                speaker_of(art, g)
            out.append(g)
    return out


_POSSESSIVE = {"POS"}
_NAME_TAGS = {"NNP", "NNPS"}
_TITLES = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "sen",
    "rep",
    "gov",
    "gen",
    "prof",
    "president",
    "senator",
    "secretary",
    "speaker",
    "sir",
    "lord",
    "rev",
    "judge",
    "ag",
    "justice",
    "mayor",
    "governor",
    "candidate",
    "nominee",
    "representative",
    "congressman",
    "congresswoman",
    "professor",
    "adm",
    "admiral",
    "gen",
    "general",
    "col",
    "sgt",
    "lt",
    "capt",
    "chairman",
    "chairwoman",
    "ambassador",
    "minister",
    "chancellor",
    "sheriff",
    "pope",
    "father",
    "rabbi",
    "dean",
}


def name_runs(tokens: list[Token]) -> list[tuple[int, int]]:
    """Runs of proper nouns that are heads: not followed by a possessive or by a common noun."""
    runs, i = [], 0
    while i < len(tokens):
        if tokens[i].pos in _NAME_TAGS and tokens[i].text[:1].isupper():
            j = i
            while j < len(tokens) and tokens[j].pos in _NAME_TAGS:
                j += 1
            nxt = tokens[j] if j < len(tokens) else None
            modifier = nxt is not None and (nxt.pos in _POSSESSIVE or nxt.pos in ("NN", "NNS"))
            if not modifier:
                runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def _strip_titles(toks: list[Token]) -> list[Token]:
    while len(toks) > 1 and toks[0].text.lower().rstrip(".") in _TITLES:
        toks = toks[1:]
    return toks


def _run_text(toks: list[Token]) -> str:
    return " ".join(t.text for t in _strip_titles(toks))


def head_name(toks: list[Token]) -> str | None:
    """The name a source phrase is headed by, if any: "Sen. Elizabeth Warren", "Warren, a senator", "the
    senator, Elizabeth Warren", "Speaker of the House Rep. Paul Ryan"; not "Tehran" in "partners in
    Tehran" nor "Trump" in "Trump's aide"."""
    chunk: list[Token] = []
    chunks = [chunk]
    for t in toks:
        if t.text in (",", "-LRB-", "(", "—", "–"):
            chunk = []
            chunks.append(chunk)
        else:
            chunk.append(t)
    for chunk in chunks:
        # a chunk that ends with a name not governed by a preposition: "Speaker of the House Rep. Paul Ryan"
        if chunk and chunk[-1].pos in _NAME_TAGS:
            a = len(chunk) - 1
            while a > 0 and chunk[a - 1].pos in _NAME_TAGS:
                a -= 1
            if (a == 0 or chunk[a - 1].pos not in ("IN", "TO", "POS")) and _who(chunk[a:]):
                return _run_text(chunk[a:])
        k = 0
        while k < len(chunk) and not (
            chunk[k].pos in ("IN", "WDT", "WP", "TO", "VBD", "VBZ", "VBP", "VBG", "VBN") and k > 0
        ):
            k += 1
        head = chunk[:k]
        if head and head[-1].pos in _NAME_TAGS:
            a = len(head) - 1
            while a > 0 and head[a - 1].pos in _NAME_TAGS:
                a -= 1
            if _who(head[a:]):
                return _run_text(head[a:])
    return None


def _who(run: list[Token]) -> bool:
    """A run CoreNLP tags as a person or an organisation (not a place, a date or a title alone)."""
    words = _strip_titles(run)
    return any(t.ner in ("PERSON", "ORGANIZATION") for t in words) and not (
        len(words) == 1 and words[0].text.lower().rstrip(".") in _TITLES
    )


def speaker_of(art: Article, g: Gold) -> None:
    ann = g.annotation
    if not ann.source:
        g.how = "none"
        return
    g.source_text = " ".join(art.text[a:b] for a, b in ann.source)
    src_tokens = []  # (sentence index, token index)
    for si, s in enumerate(art.sentences):
        for ti, t in enumerate(s.tokens):
            if overlap((t.start, t.end), ann.source):
                src_tokens.append((si, ti))
    if not src_tokens:
        g.how = "unnamed"
        return
    si = src_tokens[0][0]
    toks = [art.sentences[s].tokens[t] for s, t in src_tokens if s == si]
    named = head_name(toks)
    chain = _chain_of(art, src_tokens)
    if named:
        g.speaker, g.how = named, "named"
    elif chain is not None:
        names = []
        for m in chain:
            name = head_name(art.sentences[m.sentence].tokens[m.start : m.end])
            if name:
                names.append(name)
        if names:
            g.speaker = Counter(names).most_common(1)[0][0]
            g.how = "resolved"
        else:
            g.how = "unnamed"
    else:
        g.how = "unnamed"
    if g.speaker:
        g.full = full_name(art, g.speaker, chain, named=g.how == "named")
    g.inner = inner_speakers(art, ann)


_SAY = {
    "say",
    "tell",
    "add",
    "write",
    "explain",
    "note",
    "continue",
    "ask",
    "reply",
    "respond",
    "argue",
    "insist",
    "warn",
    "tweet",
    "report",
    "state",
    "declare",
    "recall",
    "conclude",
    "claim",
    "testify",
}


def inner_speakers(art: Article, ann: Annotation) -> list[str]:
    """Names with a reporting verb of their own inside an attribution's content ("“…,” King said" inside a
    block quoted from a news report): the corpus gives such nested quotes to the outer source (each word
    is in one attribution only), while the importer gives them to the inner speaker and records who
    relayed them. Both are right for this measure; the report counts how often the inner one was taken."""
    lo = min(a for a, _ in ann.content)
    hi = max(b for _, b in ann.content)
    out = []
    for s in art.sentences:
        if s.end < lo or s.start > hi:
            continue
        toks = s.tokens
        for a, b in name_runs(toks):
            if not lo <= toks[a].start < hi:
                continue
            after = toks[b : b + 2]
            before = toks[max(0, a - 1) : a]
            verbs = [t for t in after + before if t.pos.startswith("VB") and t.text.lower() in _SAY_FORMS]
            if verbs:
                out.append(_run_text(toks[a:b]))
    return out


_SAY_FORMS = {f for lemma in _SAY for f in (lemma, lemma + "s", lemma + "ed", lemma + "d")} | {
    "said",
    "told",
    "wrote",
    "says",
    "tells",
    "writes",
    "replied",
    "testified",
    "added",
    "noted",
}


def _chain_of(art: Article, src_tokens: list[tuple[int, int]]) -> list[Mention] | None:
    inside = set(src_tokens)
    best = None
    for chain in art.chains:
        for m in chain:
            if (m.sentence, m.head) in inside:
                if best is None or len(chain) > len(best):
                    best = chain
    return best


def full_name(art: Article, name: str, chain: list[Mention] | None, named: bool = False) -> str:
    """The fullest form of this name among the mentions coreferent with the source ("Hillary Clinton"
    for "Clinton"); the name itself without a chain (never a namesake elsewhere in the article)."""
    surname = fold(name.split()[-1])
    best = name
    given: set[str] = set()
    for m in chain or []:
        toks = art.sentences[m.sentence].tokens[m.start : m.end]
        run = head_name(toks)
        # every word of the name tagged as a person's ("the Washington Post Trump" is not a full name)
        person = {t.text for t in toks if t.ner == "PERSON"}
        if run and any(w not in person and fold(w).rstrip(".") not in _TITLES for w in run.split()):
            continue
        if run and fold(run.split()[-1]) == surname and len(run.split()) <= 4:
            words = [w for w in _name_words(run)[:-1] if len(w) > 1]
            if words:
                given.add(words[0])
            if len(best.split()) < len(run.split()):
                best = run
    if len(given) > 1 and len(_name_words(name)) == 1 and named:
        # the annotators marked a surname ("Trump"), and the machine-made chain that would say who it is holds
        # two people of that surname ("Donald Trump" and "Ivanka Trump"): the surname is all the gold says
        return name
    return best


# ---------------------------------------------------------------------------- same person


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().replace("’", "'")


_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "phd", "esq"}


def _name_words(name: str) -> list[str]:
    ws = [fold(w) for w in re.findall(r"[\w.'’-]+", name)]
    ws = [w.rstrip(".") for w in ws if w.rstrip(".") not in _TITLES and w not in ("the", "a", "an")]
    return [w for w in ws if w and w not in _SUFFIXES]


def same_speaker(predicted: str, gold: Gold) -> bool:
    """The importer's speaker is the gold one: the gold surname is the predicted name's last word (or
    among its words, for organisations), and the given names agree when both have some (an initial
    agrees with a name)."""
    pw = _name_words(predicted)
    gw = _name_words(gold.full or gold.speaker or "")
    if not pw or not gw:
        return False
    surname = gw[-1]
    if surname not in pw:
        return len(gw) == 1 and gw[0] in pw
    given_p, given_g = set(pw[: pw.index(surname)]), set(gw[:-1])
    if not given_p or not given_g or given_p & given_g:
        return True
    # an initial, a short form with the same first letter (Sandy/Sandra, Chuck/Charles), or a nickname
    if all(len(a) == 1 for a in given_p) or all(len(b) == 1 for b in given_g):
        return True  # initials only on one side (often a middle initial): no evidence either way
    return any(a[0] == b[0] or {a, b} in _NICKNAMES for a in given_p for b in given_g)


_NICKNAMES = [
    {a, b}
    for a, b in (
        ("bill", "william"),
        ("bob", "robert"),
        ("dick", "richard"),
        ("ted", "edward"),
        ("ted", "theodore"),
        ("peggy", "margaret"),
        ("jack", "john"),
        ("hank", "henry"),
        ("betsy", "elizabeth"),
        ("liz", "elizabeth"),
        ("beto", "robert"),
        ("mitt", "willard"),
    )
]


def is_description(label: str) -> bool:
    """ "the judge", "a spokesman for the campaign": a label that names nobody."""
    ws = label.split()
    return (
        bool(ws)
        and ws[0].lower() in ("the", "a", "an", "one", "his", "her", "their")
        and not any(w[:1].isupper() for w in ws[1:])
    )


# ---------------------------------------------------------------------------- the importer


@dataclass
class Predicted:
    start: int
    end: int
    kind: str
    speaker: str | None  # a person's name, or a label for who said it
    person: bool
    top: bool  # not inside another quote


def _squash(text: str, letters_only: bool = False) -> tuple[str, list[int]]:
    chars, where = [], []
    for i, ch in enumerate(text):
        if (ch.isascii() and ch.isalnum()) if letters_only else not ch.isspace():
            chars.append(ch)
            where.append(i)
    return "".join(chars), where


class Locator:
    """Finds passages (whose whitespace the reader may have changed) in the article's text."""

    def __init__(self, text: str):
        self.text = text
        self.squashed, self.where = _squash(text)
        self.cursor = 0

    def find(self, passage: str) -> list[int] | None:
        mapping = self._find(passage, self.squashed, self.where, _squash(passage))
        if mapping is None:
            # the reader repaired the text (mis-decoded "FranÃ§ois", a zero-width space): match on the
            # ASCII letters and digits alone
            letters = getattr(self, "_letters", None) or _squash(self.text, letters_only=True)
            self._letters = letters
            mapping = self._find(passage, letters[0], letters[1], _squash(passage, letters_only=True))
        return mapping

    def _find(self, passage: str, squashed: str, positions: list[int], mine: tuple[str, list[int]]):
        sq, where = mine
        if not sq:
            return None
        k = squashed.find(sq, self.cursor) if squashed is self.squashed else squashed.find(sq)
        if k < 0:
            k = squashed.find(sq)
        if k < 0:
            return None
        if squashed is self.squashed:
            self.cursor = k + len(sq)
        # passage offset -> article offset, for every non-space character of the passage
        mapping = [0] * (len(passage) + 1)
        pi = 0
        for n, at in enumerate(where):
            while pi < at:
                mapping[pi] = positions[k + n] if n < len(sq) else positions[k + len(sq) - 1] + 1
                pi += 1
            mapping[pi] = positions[k + n]
            pi += 1
        end = positions[k + len(sq) - 1] + 1
        while pi <= len(passage):
            mapping[pi] = end
            pi += 1
        return mapping


def load_viewer(root: Path):
    sys.path.insert(0, str(root))
    for name in [m for m in sys.modules if m == "viewer" or m.startswith("viewer.")]:
        del sys.modules[name]
    return importlib.import_module("viewer.core.importer")


def run_importer(importer, art: Article) -> tuple[list[Predicted], float, str | None]:
    t0 = time.perf_counter()
    try:
        prepared = importer.prepare(art.path)
    except Exception as e:  # a refusal is a result here: the article's quotes all count as missed
        return [], time.perf_counter() - t0, f"{type(e).__name__}: {e}"
    elapsed = time.perf_counter() - t0
    x = prepared.extraction
    loc = Locator(art.text)
    out = []
    for p in x.passages:
        mapping = loc.find(p.text)
        if mapping is None:
            continue
        for q in p.quotes:
            person = bool(q.speaker) and q.speaker in x.people
            who = x.people[q.speaker].name if person else (q.label or None)
            out.append(Predicted(mapping[q.start], mapping[q.end], q.kind, who, person, q.parent is None))
    return out, elapsed, None


# ---------------------------------------------------------------------------- the baseline


def nearest_name(art: Article, g: Gold, quoted: list[tuple[int, int]]) -> str | None:
    """The nearest proper noun outside quotes in the quote's sentence, else the last one before it."""

    def runs_in(s: Sentence) -> list[tuple[int, int, str]]:
        out = []
        for a, b in name_runs(s.tokens):
            st, en = s.tokens[a].start, s.tokens[b - 1].end
            if not any(q0 <= st < q1 for q0, q1 in quoted):
                out.append((st, en, " ".join(t.text for t in s.tokens[a:b])))
        return out

    for si, s in enumerate(art.sentences):
        if s.start <= g.start < s.end + 2 or (s.start > g.start and si == 0):
            cands = runs_in(s)
            if cands:
                return min(cands, key=lambda c: min(abs(c[0] - g.end), abs(c[1] - g.start)))[2]
            for prev in reversed(art.sentences[:si]):
                before = runs_in(prev)
                if before:
                    return before[-1][2]
            return None
    return None


# ---------------------------------------------------------------------------- scoring


def length_class(n: int) -> str:
    return "1-3" if n <= FRAGMENT_WORDS else "4+"


@dataclass
class Outcome:
    gold: Gold
    predicted: Predicted | None
    result: str  # right | wrong | unattributed | missed | (for unnamed sources) label | person


def score_article(
    art: Article, predicted: list[Predicted]
) -> tuple[list[Outcome], list[Predicted], list[Predicted], list[Gold]]:
    golds = gold_quotes(art)
    quotes = [p for p in predicted if p.kind == "quote"]
    outcomes = []
    relayed_right: list[Gold] = []
    for g in golds:
        if g.annotation is None:
            continue
        match = max(quotes, key=lambda p: overlap((g.start, g.end), [(p.start, p.end)]), default=None)
        if match is None or overlap((g.start, g.end), [(match.start, match.end)]) * 2 < (g.end - g.start):
            outcomes.append(Outcome(g, None, "missed"))
            continue
        if g.how in ("named", "resolved"):
            if not match.speaker:
                res = "unattributed"
            elif same_speaker(match.speaker, g):
                res = "right"
            elif any(same_speaker(match.speaker, Gold(0, 0, 0, None, speaker=n)) for n in g.inner):
                res = "right"
                relayed_right.append(g)
            elif not match.person and is_description(match.speaker):
                res = "described"
            else:
                res = "wrong"
        else:
            res = "unattributed" if not match.speaker else ("person" if match.person else "label")
        outcomes.append(Outcome(g, match, res))
    spurious, unannotated = [], []
    for p in quotes:
        if not p.top:
            continue
        hit = [
            g
            for g in golds
            if overlap((g.start, g.end), [(p.start, p.end)]) * 2 >= min(g.end - g.start, p.end - p.start)
        ]
        if not hit:
            spurious.append(p)
        elif all(g.annotation is None for g in hit):
            unannotated.append(p)
    non_quotes = [g for g in golds if g.annotation is None]
    art.relayed_right = len(relayed_right)
    return outcomes, spurious, unannotated, non_quotes


def pct(a: int, b: int) -> float | None:
    return round(100.0 * a / b, 1) if b else None


def summarise(outcomes: list[Outcome], baseline: dict[int, bool]) -> dict:
    known = [o for o in outcomes if o.gold.how in ("named", "resolved")]
    extracted = [o for o in known if o.result != "missed"]
    right = sum(o.result == "right" for o in known)
    wrong = sum(o.result == "wrong" for o in known)
    unattr = sum(o.result == "unattributed" for o in known)
    described = sum(o.result == "described" for o in known)
    unnamed = [o for o in outcomes if o.gold.how == "unnamed"]
    to_person = sum(o.result == "person" for o in unnamed)
    base_right = sum(baseline.get(id(o.gold), False) for o in known)
    return {
        "gold_quotes": len(outcomes),
        "extracted": pct(sum(o.result != "missed" for o in outcomes), len(outcomes)),
        "known_speaker": len(known),
        "accuracy": pct(right, len(known)),
        "precision": pct(right, right + wrong),
        "precision_with_unnamed": pct(right, right + wrong + to_person),
        "unattributed": pct(unattr + described, len(extracted)),
        "missed": pct(len(known) - len(extracted), len(known)),
        "baseline_accuracy": pct(base_right, len(known)),
        "counts": {
            "right": right,
            "wrong": wrong,
            "unattributed": unattr,
            "described": described,
            "missed": len(known) - len(extracted),
            "unnamed_source": len(unnamed),
            "unnamed_given_to_a_person": to_person,
        },
    }


def evaluate(corpus: Path, split: str, root: Path, limit: int | None, examples: int) -> dict:
    arts = articles(corpus, split, limit)
    importer = load_viewer(root)
    all_outcomes: list[Outcome] = []
    baseline: dict[int, bool] = {}
    spurious_n = unannotated_n = nonquote_n = predicted_top = 0
    refused, unparsed = [], []
    seconds = 0.0
    shown: dict[str, list[str]] = defaultdict(list)
    for art in arts:
        predicted, elapsed, error = run_importer(importer, art)
        seconds += elapsed
        if error:
            refused.append(f"{art.name}: {error}")
        if not art.parsed:
            unparsed.append(art.name)
            continue
        outcomes, spurious, unannotated, non_quotes = score_article(art, predicted)
        predicted_top += sum(1 for p in predicted if p.kind == "quote" and p.top)
        spurious_n += len(spurious)
        unannotated_n += len(unannotated)
        nonquote_n += len(non_quotes)
        quoted = [(g.start, g.end) for g in gold_quotes(art)]
        for o in outcomes:
            if o.gold.how in ("named", "resolved"):
                guess = nearest_name(art, o.gold, quoted)
                baseline[id(o.gold)] = bool(guess) and same_speaker(guess, o.gold)
            if (
                examples
                and o.result not in ("right", "label", "unattributed")
                or (examples and o.result == "unattributed" and o.gold.how != "unnamed")
            ):
                key = f"{o.result} ({o.gold.how}, {length_class(o.gold.words)} words)"
                if len(shown[key]) < examples:
                    got = o.predicted.speaker if o.predicted else "-"
                    ctx = art.text[max(0, o.gold.start - 160) : o.gold.end + 120].replace("\n", " ¶ ")
                    shown[key].append(
                        f"{art.name}: gold {o.gold.speaker or o.gold.source_text!r} got {got!r}\n      {ctx}"
                    )
        if examples:
            for p in spurious[:1]:
                if len(shown["spurious quote"]) < examples:
                    shown["spurious quote"].append(f"{art.name}: {art.text[max(0, p.start - 100) : p.end + 60]!r}")
        all_outcomes.extend(outcomes)
    report = {
        "split": split,
        "articles": len(arts),
        "import_seconds": round(seconds, 2),
        "refused": refused,
        "not_scored": unparsed,
    }
    for label, sel in (
        ("all", lambda o: True),
        ("4+", lambda o: o.gold.words > FRAGMENT_WORDS),
        ("1-3", lambda o: o.gold.words <= FRAGMENT_WORDS),
    ):
        chosen = [o for o in all_outcomes if sel(o)]
        report[label] = summarise(chosen, baseline)
        for how in ("named", "resolved"):
            report[label][f"accuracy_{how}"] = summarise([o for o in chosen if o.gold.how == how], baseline)["accuracy"]
    report["right_as_inner_speaker"] = sum(art.relayed_right for art in arts)
    report["quote_precision"] = pct(predicted_top - spurious_n - unannotated_n, predicted_top)
    report["predicted_quotes"] = predicted_top
    report["predicted_not_in_gold"] = spurious_n
    report["predicted_on_unannotated_quoted_span"] = unannotated_n
    report["quoted_spans_not_attributions"] = nonquote_n
    report["examples"] = {k: v for k, v in sorted(shown.items())}
    return report


def compare_import_times(corpus: Path, split: str, root: Path, baseline: Path, limit: int | None, repeat: int) -> dict:
    """Seconds to import the split's articles with this checkout and with the baseline, each in a fresh
    process, alternating, best of ``repeat`` (the machine's other work shows up as noise, not as bias)."""
    import subprocess

    code = (
        "import sys, time, pathlib; sys.path.insert(0, sys.argv[1]); "
        "from viewer.core.importer import prepare; "
        "files = sorted(pathlib.Path(sys.argv[2]).glob('*.txt'))[:int(sys.argv[3]) or None]; "
        "[prepare(f) for f in files[:2]]; t = time.perf_counter(); [prepare(f) for f in files]; "
        "print(time.perf_counter() - t)"
    )
    texts = corpus / "data" / split / "text"
    best = {"ours": float("inf"), "baseline": float("inf")}
    for _ in range(repeat):
        for name, where in (("baseline", baseline), ("ours", root)):
            out = subprocess.run(
                [sys.executable, "-c", code, str(where), str(texts), str(limit or 0)],
                capture_output=True,
                text=True,
                check=True,
            )
            best[name] = min(best[name], float(out.stdout.strip()))
    return {
        "ours_s": round(best["ours"], 2),
        "baseline_s": round(best["baseline"], 2),
        "ratio": round(best["ours"] / best["baseline"], 2),
    }


def print_report(r: dict) -> None:
    print(
        f"PolNeAR {r['split']}: {r['articles']} articles, imported in {r['import_seconds']} s"
        + (f", {len(r['refused'])} refused" if r["refused"] else "")
        + (f"; {len(r['not_scored'])} not scored (no CoreNLP file)" if r["not_scored"] else "")
    )
    print(
        f"quotes the importer found: {r['predicted_quotes']}; precision {r['quote_precision']}% "
        f"({r['predicted_not_in_gold']} on no gold quote, {r['predicted_on_unannotated_quoted_span']} on a quoted "
        f"span that is not an attribution)"
    )
    head = (
        f"{'':6} {'gold':>6} {'extr%':>6} {'known':>6} {'acc%':>6} {'named':>6} {'resolv':>6} {'prec%':>6} "
        f"{'p+unn%':>6} {'unatt%':>6} {'base%':>6}"
    )
    print(head)
    for label in ("4+", "1-3", "all"):
        s = r[label]
        print(
            f"{label:6} {s['gold_quotes']:>6} {s['extracted']!s:>6} {s['known_speaker']:>6} {s['accuracy']!s:>6} "
            f"{s['accuracy_named']!s:>6} {s['accuracy_resolved']!s:>6} {s['precision']!s:>6} "
            f"{s['precision_with_unnamed']!s:>6} {s['unattributed']!s:>6} {s['baseline_accuracy']!s:>6}"
        )
    for label in ("4+", "1-3"):
        print(f"{label} counts: {r[label]['counts']}")
    print(f"right by the speaker named inside a relayed block: {r['right_as_inner_speaker']}")
    if "import_timing" in r:
        t = r["import_timing"]
        print(
            f"import time (best of runs, fresh processes): {t['ours_s']} s against {t['baseline_s']} s "
            f"for the baseline checkout ({t['ratio']}x)"
        )
    for key, items in r["examples"].items():
        print(f"\n== {key}")
        for it in items:
            print("   " + it)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, required=True, help="the PolNeAR folder (outside the repository)")
    ap.add_argument("--split", choices=SPLITS, default="dev")
    ap.add_argument("--root", type=Path, default=HERE.parent, help="the checkout whose importer is scored")
    ap.add_argument("--limit", type=int, help="only the first N articles")
    ap.add_argument("--examples", type=int, default=0, help="print N cases per error category (standard output)")
    ap.add_argument(
        "--baseline-root",
        type=Path,
        help="another checkout (the code before a change): its import time on the same articles, "
        "interleaved with ours, best of --repeat runs each",
    )
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    report = evaluate(args.corpus.expanduser(), args.split, args.root.resolve(), args.limit, args.examples)
    if args.baseline_root:
        report["import_timing"] = compare_import_times(
            args.corpus.expanduser(),
            args.split,
            args.root.resolve(),
            args.baseline_root.resolve(),
            args.limit,
            args.repeat,
        )
    if args.json:
        report.pop("examples")
        print(json.dumps(report))
    else:
        print_report(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
