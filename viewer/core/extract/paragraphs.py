"""Segmentation: a document's text -> paragraphs (with transcript turns), their quoted spans, tokens and
sentences. The first step of extraction; everything after it reads ``Analysis.paragraphs``."""

from __future__ import annotations

from viewer.core.extract.model import Analysis, Paragraph
from viewer.core.extract.quotemarks import find_spans, opens_with_quote
from viewer.core.extract.segment import Block, sentences, split_blocks, tokens
from viewer.core.extract.turns import is_transcript, parse_turn
from viewer.core.records import TURN


def read(text: str) -> Analysis:
    """Split ``text`` into paragraphs and read each one's quotes, tokens and sentences."""
    blocks = split_blocks(text)
    turns = [parse_turn(b) for b in blocks]
    transcript = is_transcript(turns, blocks)
    paragraphs = []
    for i, (b, t) in enumerate(zip(blocks, turns)):
        if transcript and t:
            paragraphs.append(Paragraph(i, TURN, t[2].strip(), b, t))
        else:
            paragraphs.append(Paragraph(i, b.kind, b.text, b, None))
    for n, p in enumerate(paragraphs):
        nxt = paragraphs[n + 1] if n + 1 < len(paragraphs) else None
        p.spans = find_spans(p.text, open_end=nxt is not None and opens_with_quote(nxt.text))
        p.views[None] = tokens(p.text, 0, len(p.text), p.spans, [k for k, s in enumerate(p.spans) if s.parent is None])
        for k, s in enumerate(p.spans):
            p.views[k] = tokens(p.text, s.start, s.end, p.spans, s.children)
        p.sentences = {k: sentences(toks, p.text, p.spans) for k, toks in p.views.items()}
    return Analysis("transcript" if transcript else "report", paragraphs)


def continues_quote(a: Analysis, para: int) -> bool:
    """Is paragraph ``para`` the continuation of a quote left open at the end of the paragraph before?"""
    if para == 0:
        return False
    before = a.paragraphs[para - 1]
    return any(s.open_end and s.parent is None for s in before.spans) and opens_with_quote(a.paragraphs[para].text)


__all__ = ["Block", "read", "continues_quote"]
