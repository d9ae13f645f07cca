"""Quotation marks: the quoted spans of a paragraph, nested to any depth, in every shape reports use.

* Pairs: “…”, „…“ and „…”, «…», ‹…›, ‘…’, straight "…" and '…', and two apostrophes ''…'' (archives
  that write a double quotation mark so).
* Apostrophes (doesn’t, Kazakhstan’s, Austrevicius’ profile) are not taken for closing marks.
* A quote opened with the closing mark (”Words” at the start of a sentence) is a quote.
* A quote left open runs to the end of its paragraph (``Span.open_end``) when that is what the text
  means: the paragraph opens with the mark (an interview transcript, a quote running over several
  paragraphs, where each paragraph opens with “ and only the last closes), or the next paragraph opens
  with a quotation mark (the quote continues there). Any other opener that is never closed is a stray
  mark and gives no span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# opener -> the closers it accepts
_PAIRS = {"“": "”", "„": "“”", "«": "»", "‘": "’", '"': '"”', "'": "'", "''": "''", "‹": "›", "「": "」", "”": "”"}
OPENING_MARKS = "“„«‘\"'‹「”"
_MARKS = re.compile(r"'''|''|[“”„«»‹›「」‘’'\"]")


@dataclass
class Span:
    """A quoted span: ``open`` is the position of the opening mark, ``close`` of the last character of
    the closing mark (of the paragraph's last character when the quote is left open); ``start``/``end``
    the trimmed content (``text[start:end]``). ``parent`` is the index of the enclosing span."""

    open: int
    close: int
    start: int
    end: int
    level: int
    parent: int | None
    children: list[int] = field(default_factory=list)
    open_end: bool = False  # left open: runs to the end of the paragraph


def _is_letter(ch: str) -> bool:
    return ch.isalnum()


def opens_with_quote(text: str) -> bool:
    """Does the paragraph open with a quotation mark (after spaces or a dash)?"""
    s = text.lstrip(" \t—–-")
    return s[:2] == "''" or (s[:1] in '“„«"”‘' and len(s) > 1 and not s[1].isspace())


def find_spans(text: str, open_end: bool = False) -> list[Span]:
    """Balanced quotation marks in one paragraph. With ``open_end`` (the next paragraph opens with a
    quotation mark), a quote still open at the end of the paragraph runs to its end; without it, only a
    quote that opens the paragraph does."""
    stack: list[tuple[str, int, int]] = []  # (opener, position, length)
    pairs: list[tuple[int, int, int, int, bool]] = []  # (open, open length, close, close length, open_end)
    n = len(text)
    for mark in _MARKS.finditer(text):
        i = mark.start()
        ch = mark.group()
        if ch == "'''":
            # "'Kosovo is a special case,'''": a single quote closing inside, then the double one
            if stack and stack[-1][0] in ("'", "‘"):
                o = stack.pop()
                pairs.append((o[1], o[2], i, 1, False))
                i += 1
            ch = "''"
        width = len(ch)
        prev = text[i - 1] if i else " "
        nxt = text[i + width] if i + width < n else " "
        top = stack[-1][0] if stack else None
        if ch in "”“»›」" and top and ch in _PAIRS[top]:
            o = stack.pop()
            pairs.append((o[1], o[2], i, 1, False))
        elif ch in "”»›」" and top in ("'", "‘") and any(ch in _PAIRS[o[0]] for o in stack[:-1]):
            # ‘Don’t hit me, please,'” : an inner single quote left open closes with the outer quote
            while stack and ch not in _PAIRS[stack[-1][0]]:
                stack.pop()
            o = stack.pop()
            pairs.append((o[1], o[2], i, 1, False))
        elif ch == "“" and top == "“" and prev in ",.?!" and (nxt.isspace() or i + width >= n):
            o = stack.pop()  # “It's unusual,“ said X: an opening mark typed where the closing one belongs
            pairs.append((o[1], o[2], i, 1, False))
        elif ch == "”" and _letter_or_mark(nxt) and not _is_letter(prev):
            stack.append((ch, i, 1))  # a quote opened with the closing mark
        elif ch in ("’", "'"):
            if top in ("‘", "'"):
                # a closer only where no letter follows (not "doesn’t")
                if not _is_letter(nxt):
                    o = stack.pop()
                    pairs.append((o[1], o[2], i, 1, False))
            elif ch == "'" and not _is_letter(prev) and not nxt.isspace() and nxt not in "'\"":
                stack.append((ch, i, 1))
        elif ch in ('"', "''"):
            if top == ch or (top in ('"', "''") and ch in ('"', "''")):
                o = stack.pop()
                pairs.append((o[1], o[2], i, width, False))
            elif top == "“" and ch == '"' and not prev.isspace() and not _is_letter(nxt):
                o = stack.pop()  # “…": a curly quote closed with a straight mark
                pairs.append((o[1], o[2], i, width, False))
            elif not nxt.isspace() or not stack:
                stack.append((ch, i, width))
        elif ch in "“„«‹「" or (ch == "‘" and not nxt.isspace()):
            stack.append((ch, i, 1))
    # a quote left open: the outermost one, when it opens the paragraph or continues in the next
    if stack:
        o_ch, o_pos, o_len = stack[0]
        at_start = not text[:o_pos].strip(" \t—–-")
        if (at_start or open_end) and o_ch not in ("'", "‘") and text[o_pos + o_len :].strip():
            pairs.append((o_pos, o_len, n - 1, 0, True))
    return _nest(text, pairs)


def _letter_or_mark(ch: str) -> bool:
    return _is_letter(ch) or ch in "‘'"


def _nest(text: str, pairs: list[tuple[int, int, int, int, bool]]) -> list[Span]:
    pairs.sort(key=lambda p: (p[0], -p[2]))
    spans: list[Span] = []
    open_stack: list[int] = []
    for o, olen, c, clen, left_open in pairs:
        while open_stack and spans[open_stack[-1]].close < o:
            open_stack.pop()
        parent = open_stack[-1] if open_stack else None
        s = o + olen
        e = c + 1 if left_open else c
        close = c + clen - 1 if clen else c
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        span = Span(o, close, s, e, len(open_stack), parent, open_end=left_open)
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
        out.append(
            Span(
                s.open,
                s.close,
                s.start,
                s.end,
                s.level,
                remap.get(parent) if parent is not None else None,
                [remap[c] for c in s.children if c in remap],
                s.open_end,
            )
        )
    return out
