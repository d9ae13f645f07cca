"""Paragraphs, quoted spans, tokens and sentences: the shapes the extractor reads a text in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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


def split_blocks(text: str) -> list[Block]:
    """Split a document into paragraphs. Blank lines separate paragraphs when the text has
    them (wrapped lines inside a paragraph are joined with a space); otherwise every line is one."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if re.search(r"\n[ \t]*\n", text):
        raw: list[str] = []
        for chunk in re.split(r"\n[ \t]*\n+", text):
            lines = [ln.strip() for ln in chunk.split("\n") if ln.strip()]
            current: list[str] = []
            for ln in lines:
                if current and (_LIST_MARKER.match(ln) or _HEADING_MD.match(ln) or _HEADING_MD.match(current[0])
                                or _LINE_START.match(ln)):
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


# ---------------------------------------------------------------------------- quoted spans

# opener -> closers it accepts
_PAIRS = {"“": "”", "„": "“”", "«": "»", "‘": "’", '"': '"', "'": "'", "‹": "›", "「": "」"}


@dataclass
class Span:
    """A quoted span: ``open``/``close`` are the positions of the marks, ``start``/``end`` the
    trimmed content (``text[start:end]``). ``parent`` is the index of the enclosing span."""

    open: int
    close: int
    start: int
    end: int
    level: int
    parent: int | None
    children: list[int] = field(default_factory=list)


def _is_letter(ch: str) -> bool:
    return ch.isalnum()


def find_spans(text: str) -> list[Span]:
    """Balanced quotation marks in one paragraph, nested to any depth. Apostrophes
    (doesn’t, Kazakhstan’s, Austrevicius’ profile) are not taken for closing quotes; an opener
    that is never closed produces no span."""
    stack: list[tuple[str, int]] = []
    pairs: list[tuple[int, int, int]] = []  # (open, close, level)
    n = len(text)
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < n else " "
        top = stack[-1][0] if stack else None
        if ch in "”“»›」" and top and ch in _PAIRS[top]:
            o = stack.pop()
            pairs.append((o[1], i, len(stack)))
            continue
        if ch == "’" or ch == "'":
            if top == ch.replace("’", "‘") or (top == "'" and ch == "'"):
                # a closer only where no letter follows (not "doesn’t")
                if not _is_letter(nxt):
                    o = stack.pop()
                    pairs.append((o[1], i, len(stack)))
                continue
            if ch == "'" and not _is_letter(prev) and not nxt.isspace() and nxt not in "'\"":
                stack.append((ch, i))
            continue
        if ch == '"':
            if top == '"':
                o = stack.pop()
                pairs.append((o[1], i, len(stack)))
            elif not nxt.isspace() or not stack:
                stack.append((ch, i))
            continue
        if ch in "“„«‹「" or (ch == "‘" and not nxt.isspace()):
            stack.append((ch, i))
    pairs.sort()
    spans: list[Span] = []
    open_stack: list[int] = []
    for o, c, _lvl in pairs:
        while open_stack and spans[open_stack[-1]].close < o:
            open_stack.pop()
        parent = open_stack[-1] if open_stack else None
        s, e = o + 1, c
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        span = Span(o, c, s, e, len(open_stack), parent)
        if parent is not None:
            spans[parent].children.append(len(spans))
        open_stack.append(len(spans))
        spans.append(span)
    return _drop_empty(spans)


def _drop_empty(spans: list[Span]) -> list[Span]:
    """Remove spans with no content (“”), re-linking parents and children."""
    if all(s.end > s.start for s in spans):
        return spans
    keep = [i for i, s in enumerate(spans) if s.end > s.start]
    remap = {old: new for new, old in enumerate(keep)}
    out = []
    for i in keep:
        s = spans[i]
        parent = s.parent
        while parent is not None and parent not in remap:
            parent = spans[parent].parent
        out.append(Span(s.open, s.close, s.start, s.end, s.level, remap.get(parent) if parent is not None else None,
                        [remap[c] for c in s.children if c in remap]))
    return out


# ---------------------------------------------------------------------------- tokens

WORD = "w"
PUNCT = "p"
QUOTED = "q"

_TOKEN_RE = re.compile(r"[^\W_]+(?:[-‐][^\W_]+)*|\S")


@dataclass(frozen=True)
class Tok:
    text: str
    start: int
    end: int
    kind: str
    span: int | None = None  # for QUOTED: index of the span

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_cap(self) -> bool:
        return self.kind == WORD and self.text[:1].isupper()


def tokens(text: str, start: int, end: int, spans: list[Span], children: list[int]) -> list[Tok]:
    """Tokens of ``text[start:end]`` with each child span (marks included) as one QUOTED token."""
    out: list[Tok] = []
    pos = start
    for ci in sorted(children, key=lambda i: spans[i].open):
        sp = spans[ci]
        out.extend(_plain_tokens(text, pos, sp.open))
        out.append(Tok(text[sp.open: sp.close + 1], sp.open, sp.close + 1, QUOTED, ci))
        pos = sp.close + 1
    out.extend(_plain_tokens(text, pos, end))
    return out


def _plain_tokens(text: str, start: int, end: int) -> list[Tok]:
    out = []
    for m in _TOKEN_RE.finditer(text, start, end):
        s = m.group()
        out.append(Tok(s, m.start(), m.end(), WORD if s[0].isalnum() else PUNCT))
    return out


_ABBREV = frozenset("dr mr mrs ms prof st no vs etc jr sr amb rev gen col capt sen rep dept fig approx".split())


def sentences(toks: list[Tok], text: str) -> list[tuple[int, int]]:
    """(first, last+1) token ranges of sentences."""
    out = []
    first = 0
    for i, t in enumerate(toks):
        end = False
        if t.kind == PUNCT and t.text in ".!?…":
            prev = toks[i - 1] if i else None
            if prev is not None and prev.kind == WORD and (prev.lower in _ABBREV or (len(prev.text) == 1 and prev.text.isupper())):
                end = False
            else:
                nxt = toks[i + 1] if i + 1 < len(toks) else None
                end = nxt is None or nxt.kind == QUOTED or (nxt.kind == WORD and nxt.text[:1].isupper()) or nxt.text in "([“‘\"«"
        elif t.kind == QUOTED:
            inner = text[t.start + 1: t.end - 1].rstrip()
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            end = bool(inner) and inner[-1] in ".!?…" and nxt is not None and nxt.kind == WORD and nxt.text[:1].isupper()
        if end:
            out.append((first, i + 1))
            first = i + 1
    if first < len(toks):
        out.append((first, len(toks)))
    return out
