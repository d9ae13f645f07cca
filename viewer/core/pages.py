"""The pages of an imported document's passages (a PDF's), and its footnotes marked as notes.

The reader of a paged format gives each block of the source text with its first and last page
(``source_text.PagedBlock``); extraction makes passages out of the same text, in the same order, with
the text of each exactly as in the source. Each passage is matched to the block it comes from, in
order, so the pages follow whatever the extraction does with the blocks (the title and header lines
taken into the document's record are simply passed over).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from viewer.core.records import NOTE

LOOKAHEAD = 200  # blocks searched past the last match for a passage's block


def _norm(text: str) -> str:
    return " ".join(text.split())


def assign_pages(passages: Iterable[tuple[int, str]], blocks: Sequence) -> dict[int, tuple[int, int, bool]]:
    """``(seq, text)`` of each passage, in order -> {seq: (page, page_end, is_note)} for those whose
    block was found; ``blocks`` have ``text``, ``kind``, ``page`` and ``page_end``."""
    texts = [_norm(b.text) for b in blocks]
    out: dict[int, tuple[int, int, bool]] = {}
    at = 0
    for seq, text in passages:
        want = _norm(text)
        if not want:
            continue
        window = range(at, min(len(blocks), at + LOOKAHEAD))
        # the block that is this passage, else the block it is part of (a turn's label taken off)
        j = next((j for j in window if texts[j] == want), None)
        if j is None:
            j = next((j for j in window if want in texts[j] or (len(texts[j]) > 20 and texts[j] in want)), None)
        if j is None:
            continue
        b = blocks[j]
        out[seq] = (b.page, b.page_end, b.kind == NOTE)
        at = j + 1 if texts[j] == want or texts[j] in want else j
    return out


def write_pages(
    conn: sqlite3.Connection,
    document_id: int,
    passages: Iterable[tuple[int, str]],
    blocks: Sequence | None,
    page_count: int | None,
) -> None:
    """Stores each passage's pages and marks the footnotes (``passages.kind = 'note'``); the
    document's number of pages goes into ``documents.pages``. Nothing to do for a document without
    pages (``blocks`` None). The archive must have the columns (``schema.add_optional_columns``)."""
    if not blocks:
        return
    found = assign_pages(passages, blocks)
    conn.executemany(
        "UPDATE passages SET page = ?, page_end = ?, kind = CASE WHEN ? THEN ? ELSE kind END "
        "WHERE document_id = ? AND seq = ?",
        [(page, end, note, NOTE, document_id, seq) for seq, (page, end, note) in found.items()],
    )
    conn.execute("UPDATE documents SET pages = ? WHERE id = ?", (page_count, document_id))
