"""Paragraphs, tokens and sentences: the shapes the extractor reads a text in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from viewer.core.records import HEADING, LIST_ITEM, PARAGRAPH

# ---------------------------------------------------------------------------- paragraphs

_LIST_MARKER = re.compile(r"^\s*(?:[-*•–—]|\d{1,3}[.)])\s+")
_HEADING_MD = re.compile(r"^\s*#{1,6}\s+")
# Lines that start a paragraph of their own even without a blank line before them: header fields
# ("Date: 8 March 2023") and transcript turns in capitals ("CHAIR (Eva Lindqvist): ...").
_LINE_START = re.compile(
    r"^\s*(?:(?:Date|Event date|Published|Posted|Updated|Location|Venue|Place|Time|Organiser|Organizer|"
    r"Organised by|Organized by|Hosted by|Host|Participants|Speakers|Panel|Panelists|Panellists|Moderator|"
    r"Author|Authors|Source)\s*:\s"
    r"|[A-ZА-ЯЁ][A-ZА-ЯЁ.’'\-]+(?:\s+[A-ZА-ЯЁ][A-ZА-ЯЁ.’'\-]+){0,4}\s*(?:\([^()]{1,100}\))?\s*:\s)"
)


@dataclass(frozen=True)
class Block:
    """One paragraph of the source: its text (list and heading markers removed) and kind."""

    text: str
    kind: str


def _looks_like_heading(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > 160:
        return False
    if s.endswith(":") and not re.search(r"[.!?][”\"’']?\s", s):
        return True
    return False


_SENTENCE_END = re.compile(r"[.!?:…][”’\"')\]]*$")


def _paragraph_break(line: str, nxt: str, width: int) -> bool:
    """Is a single line break a paragraph break? Where a line ends a sentence and the next opens one,
    and the lines are not wrapped at a width (longer than 200 characters: one paragraph a line), or the
    line stops well short of the width the text is wrapped at (the last line of a paragraph)."""
    if not _SENTENCE_END.search(line) or not (nxt[:1].isupper() or nxt[:1] in "“\"‘'«„—–-(["):
        return False
    return width > 200 or len(line) < 0.8 * width


def _title_block(lines: list[str], doc_width: int) -> bool:
    """The document's first lines are a title block (a title, a subtitle, a byline), not a wrapped
    paragraph: two to four short lines, the first not ending a sentence."""
    return (
        2 <= len(lines) <= 4
        and all(len(ln) <= 100 for ln in lines)
        and not re.search(r"[.,;]$", lines[0])
        and len(lines[0]) < 0.8 * doc_width
    )


def split_blocks(text: str) -> list[Block]:
    """Split a document into paragraphs. Blank lines separate paragraphs when the text has
    them (wrapped lines inside a paragraph are joined with a space); otherwise every line is one."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if re.search(r"\n[ \t]*\n", text):
        raw: list[str] = []
        doc_width = max((len(ln.strip()) for ln in text.split("\n")), default=0)
        for n, chunk in enumerate(re.split(r"\n[ \t]*\n+", text.strip("\n"))):
            lines = [ln.strip() for ln in chunk.split("\n") if ln.strip()]
            width = max((len(ln) for ln in lines), default=0)
            if n == 0 and _title_block(lines, doc_width):
                raw.extend(lines)  # a title and a subtitle on lines of their own
                continue
            current: list[str] = []
            for ln in lines:
                if current and (
                    _LIST_MARKER.match(ln)
                    or _HEADING_MD.match(ln)
                    or _HEADING_MD.match(current[0])
                    or _LINE_START.match(ln)
                    or _paragraph_break(current[-1], ln, width)
                ):
                    raw.append(" ".join(current))
                    current = []
                current.append(ln)
            if current:
                raw.append(" ".join(current))
    else:
        raw = [ln.strip() for ln in text.split("\n") if ln.strip()]
    blocks = []
    for para in raw:
        if _HEADING_MD.match(para):
            blocks.append(Block(_HEADING_MD.sub("", para).strip(), HEADING))
        elif _LIST_MARKER.match(para) and not re.match(r"^\s*\d{1,3}[.)]\s+\d", para):
            blocks.append(Block(_LIST_MARKER.sub("", para, count=1).strip(), LIST_ITEM))
        elif _looks_like_heading(para):
            blocks.append(Block(para, HEADING))
        else:
            blocks.append(Block(para, PARAGRAPH))
    return [b for b in blocks if b.text]


# ---------------------------------------------------------------------------- tokens

WORD = "w"
PUNCT = "p"
QUOTED = "q"

# Abbreviations written with a full stop that never end a sentence before a name ("Mr. Trump", "Sen.
# Warren", "Michael J. Fox", "the U.S. Senate"): one token with their stop.
TITLE_ABBREVIATIONS = frozenset(
    "Mr Mrs Ms Messrs Mmes Dr Prof Sen Sens Rep Reps Gov Govs Gen Lt Col Capt Cmdr Adm Maj Sgt Cpl Pvt Rev Fr "
    "Sr Jr St Amb Atty Supt Insp Det Hon Pres Sec Treas Dept Mt Ft Gov Lt.Gov".split()
)
_TOKEN_RE = re.compile(
    r"[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|io|co|info|uk|ru|kz|eu|de|fr)\b"  # "fivethirtyeight.com"
    r"|[A-Z][’'][A-Z][^\W_]+"  # "O'Hanlon", "D’Souza"
    r"|[^\W_]+(?:[-‐][^\W_]+)*|\S"
)


class Tok(NamedTuple):
    """A token: a word, a punctuation mark, or a whole quoted span (``kind`` QUOTED, ``span`` its index)."""

    text: str
    start: int
    end: int
    kind: str
    span: int | None = None  # for QUOTED: index of the span
    lower: str = ""  # filled by ``tok``

    @property
    def bare(self) -> str:
        """Lower case without an abbreviation's full stop ("mr" for "Mr.")."""
        return self.lower.rstrip(".")

    @property
    def is_cap(self) -> bool:
        return self.kind == WORD and self.text[:1].isupper()


def tok(text: str, start: int, end: int, kind: str, span: int | None = None) -> Tok:
    return Tok(text, start, end, kind, span, text.lower())


def tokens(text: str, start: int, end: int, spans: list, children: list[int]) -> list[Tok]:
    """Tokens of ``text[start:end]`` with each child span (marks included) as one QUOTED token."""
    out: list[Tok] = []
    pos = start
    for ci in sorted(children, key=lambda i: spans[i].open):
        sp = spans[ci]
        out.extend(_plain_tokens(text, pos, sp.open))
        out.append(tok(text[sp.open : sp.close + 1], sp.open, sp.close + 1, QUOTED, ci))
        pos = sp.close + 1
    out.extend(_plain_tokens(text, pos, end))
    return out


def _plain_tokens(text: str, start: int, end: int) -> list[Tok]:
    out: list[Tok] = []
    for m in _TOKEN_RE.finditer(text, start, end):
        s = m.group()
        if len(s) == 1 and s.isupper() and out and out[-1].end == m.start() and _ABBREV_SO_FAR.fullmatch(out[-1].text):
            last = out[-1]  # "U.S": one more letter of an abbreviation
            out[-1] = tok(text[last.start : m.end()], last.start, m.end(), WORD)
            continue
        if s == "." and out and out[-1].end == m.start() and _takes_stop(text, out, m.end(), end):
            last = out[-1]
            out[-1] = tok(text[last.start : m.end()], last.start, m.end(), WORD)
            continue
        out.append(tok(s, m.start(), m.end(), WORD if s[0].isalnum() else PUNCT))
    return out


_ABBREV_SO_FAR = re.compile(r"(?:[A-Z]\.)+")


def _takes_stop(text: str, out: list[Tok], after: int, end: int) -> bool:
    """Does the word before this full stop keep it: "Mr.", "Sen.", "U.S.", an initial ("J. Smith")?"""
    word = out[-1].text
    nxt = text[after : after + 2]
    if word in TITLE_ABBREVIATIONS:
        return nxt[:1].isspace()
    if len(word) == 1 and word.isupper():
        if nxt[:1].isalpha() and nxt[:1].isupper():  # "U.S": the next letter follows at once
            return True
        if re.match(r"\s+[A-Z](?:[a-z]|\.)", text[after : after + 3]):  # an initial before a name or an initial
            return True
        return False
    if re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", word):  # "U.S" so far
        return True
    return False


_ABBREV = frozenset("dr mr mrs ms prof st no vs etc jr sr amb rev gen col capt sen rep dept fig approx".split())
_OPENING = '([“‘"«„'


def _cue_follows(toks: list[Tok], k: int) -> bool:
    """“How are you today?” Miller said: a reporting verb within a few words after a question or an
    exclamation continues its sentence."""
    from viewer.core.extract.verbs import is_speech_verb

    for t in toks[k : k + 24]:
        if t.kind == PUNCT and t.text in ".!?;" or t.kind == QUOTED:
            return False
        if t.kind == WORD and is_speech_verb(t.text):
            return True
    return False


def sentences(toks: list[Tok], text: str, spans: list | None = None) -> list[tuple[int, int]]:
    """(first, last+1) token ranges of sentences. A quote ends a sentence when its words end with a
    full stop and a capitalised word follows it."""
    out = []
    first = 0
    n = len(toks)
    opened = -99  # where the latest bracket opened: "(D-N.C.)" is not two sentences
    for i, t in enumerate(toks):
        end = False
        nxt = toks[i + 1] if i + 1 < n else None
        if t.text == "(":
            opened = i
        elif t.text == ")":
            opened = -99
        if t.kind == PUNCT and t.text in ".!?…":
            prev = toks[i - 1] if i else None
            if (
                prev is not None
                and prev.kind == WORD
                and (prev.bare in _ABBREV or (len(prev.text) == 1 and prev.text.isupper()))
            ):
                end = False
            elif i - opened <= 6 and any(u.text == ")" for u in toks[i + 1 : i + 4]):
                end = False
            else:
                end = (
                    nxt is None
                    or nxt.kind == QUOTED
                    or (nxt.kind == WORD and nxt.text[:1].isupper())
                    or nxt.text in _OPENING
                )
        elif t.kind == QUOTED:
            if spans is not None and t.span is not None:
                sp = spans[t.span]
                inner = text[sp.start : sp.end]
            else:
                inner = text[t.start + 1 : t.end - 1].rstrip()
            end = (
                bool(inner)
                and inner[-1] in ".!?…"
                and nxt is not None
                and ((nxt.kind == WORD and nxt.text[:1].isupper()) or nxt.kind == QUOTED)
                and not (inner[-1] in "?!" and _cue_follows(toks, i + 1))
            )
        if end:
            out.append((first, i + 1))
            first = i + 1
    if first < n:
        out.append((first, n))
    return out
