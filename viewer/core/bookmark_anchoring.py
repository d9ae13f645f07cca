"""Bookmarks anchored in an archive: made from a quote or a selection with a snapshot of the words and of
their attribution (``make_bookmark``), and found again in an archive by their content (``Resolver``).

A bookmark is anchored by content (document slug, passage sequence, offsets and a hash of the words) so that
it maps back onto a rebuilt archive whose ids changed. When the words are no longer where they were, or the
archive now attributes them to someone else, the bookmark is "changed in the archive" and is shown with its
snapshot, never silently on different words.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator

from viewer.core.bookmark_records import (
    CHANGED,
    DEFAULT_COLOUR,
    MISSING,
    MOVED,
    OK,
    QUOTE_KIND,
    SELECTION_KIND,
    UNRESOLVED,
    Bookmark,
    Resolution,
    check_colour,
    clean_note,
    normalise_tags,
    text_hash,
)
from viewer.core.citation import (
    NARRATION,
    PARAPHRASE,
    cite_quote,
    cite_selection,
    enclosing_quote,
)
from viewer.core.citation import (
    QUOTE as QUOTE_WORDS,
)
from viewer.core.errors import DataDamaged
from viewer.core.records import QUOTE, Passage, Quote


def snapshot_fields(archive, passage: Passage, start: int, end: int, quote: Quote | None) -> dict:
    """The fields of a bookmark of ``passage.text[start:end]`` (``quote``: the direct quote it is) that say
    what the words are and who said them, as ``archive`` has them now."""
    document = archive.document(passage.document_id)
    if quote is not None:
        c = cite_quote(archive, quote.id)
        said = quote
    else:
        c = cite_selection(archive, passage.id, start, end)
        said = enclosing_quote(archive, passage.id, start, end)
    if said is not None:
        speaker_name = said.speaker_name or said.speaker_label or ""
        relayer = said.quoted_by_name or ""
        person = archive.speaker(said.speaker_id) if said.speaker_id else None
    else:
        speaker_name, relayer = passage.speaker_name or "", ""
        person = archive.speaker(passage.speaker_id) if passage.speaker_id else None
    text = passage.text[start:end]
    return {
        "text": text,
        "text_hash": text_hash(text),
        "document_slug": document.slug,
        "document_title": document.title,
        "document_date": document.date,
        "document_date_end": document.date_end,
        "publisher": c.publisher,
        "paragraph": passage.seq,
        "start": start,
        "end": end,
        "speaker": speaker_name,
        "relayer": relayer,
        "attribution": c.speaker,
        "affiliation": c.affiliation,
        "role": (person.role or "") if person else "",
        "organisation": (person.organisation or "") if person else "",
        "passage_id": passage.id,
        "page": passage.page,
        "page_end": passage.page_end,
        "url": document.url or "",
        "words": c.words,
    }


def make_bookmark(
    archive,
    *,
    quote_id: int | None = None,
    passage_id: int | None = None,
    start: int | None = None,
    end: int | None = None,
    note: str = "",
    tags: Iterable[str] | str = (),
    colour: str = DEFAULT_COLOUR,
) -> Bookmark:
    """An unsaved bookmark of a direct quote (``quote_id``) or of ``passage.text[start:end]``.
    A selection is trimmed of surrounding whitespace; a selection that is exactly a direct quote
    becomes a quote bookmark. Raises ValueError with a plain reason when there is nothing to keep."""
    colour = check_colour(colour)
    if quote_id is not None:
        quote = archive.quote(quote_id)
        if quote is None:
            raise ValueError(f"there is no quote {quote_id} in this archive")
        passage = archive.passage(quote.passage_id)
        if passage is None or passage.text[quote.start : quote.end] != quote.text:
            raise DataDamaged(
                f"The archive “{archive.path.name}” is damaged: quote {quote.id} is not where its passage says it is.",
                f"quote {quote.id}: {quote.start}-{quote.end} of passage {quote.passage_id}",
            )
        if quote.kind != QUOTE:  # a quoted name, title or term: nobody's words, keep it as a selection
            return make_bookmark(
                archive,
                passage_id=quote.passage_id,
                start=quote.start,
                end=quote.end,
                note=note,
                tags=tags,
                colour=colour,
            )
        snap = snapshot_fields(archive, passage, quote.start, quote.end, quote)
        return Bookmark(
            kind=QUOTE_KIND, quote_id=quote.id, note=clean_note(note), tags=normalise_tags(tags), colour=colour, **snap
        )
    if passage_id is None or start is None or end is None:
        raise ValueError("give a quote id, or a passage with start and end offsets")
    passage = archive.passage(passage_id)
    if passage is None:
        raise ValueError(f"there is no passage {passage_id} in this archive")
    if not (0 <= start < end <= len(passage.text)):
        raise ValueError(f"offsets {start}-{end} are outside passage {passage_id} (0-{len(passage.text)})")
    while start < end and passage.text[start].isspace():
        start += 1
    while end > start and passage.text[end - 1].isspace():
        end -= 1
    if start == end:
        raise ValueError("the selection has no text")
    exact = next((q for q in archive.quotes(passage_id=passage_id) if q.start == start and q.end == end), None)
    if exact is not None:
        return make_bookmark(archive, quote_id=exact.id, note=note, tags=tags, colour=colour)
    snap = snapshot_fields(archive, passage, start, end, None)
    return Bookmark(kind=SELECTION_KIND, note=clean_note(note), tags=normalise_tags(tags), colour=colour, **snap)


# ---------------------------------------------------------------------------------------- resolving


_MAX_TRIES = 25  # places with the same words checked for a moved bookmark


class Resolver:
    """Maps bookmarks onto one archive by content. Reads the archive on the calling thread;
    keeps the passages of the ``cached`` documents read last, so resolve many bookmarks with one Resolver
    (in document order, if there are very many)."""

    def __init__(self, archive, cached: int = 64):
        self.archive = archive
        self._cached = cached
        self._passages: OrderedDict[str, list[Passage] | None] = OrderedDict()

    def passages(self, slug: str) -> list[Passage] | None:
        if slug in self._passages:
            self._passages.move_to_end(slug)
        else:
            doc = self.archive.document(slug)
            self._passages[slug] = self.archive.passages(doc.id) if doc is not None and doc.has_text else None
            if len(self._passages) > self._cached:
                self._passages.popitem(last=False)
        return self._passages[slug]

    def resolve(self, b: Bookmark) -> Resolution:
        passages = self.passages(b.document_slug)
        if passages is None:
            return Resolution(MISSING, reason=f"the document “{b.document_title}” is not in this archive")
        by_seq = {p.seq: p for p in passages}
        here = by_seq.get(b.paragraph)
        if here is not None and here.text[b.start : b.end] == b.text:
            return self._check(b, here, b.start, b.end, OK)
        # the words may have moved (a paragraph added before them, ...): nearest place first
        reattributed, tries = None, _MAX_TRIES
        for p in sorted(passages, key=lambda p: (abs(p.seq - b.paragraph), p.seq)):
            for start in sorted(_occurrences(p.text, b.text), key=lambda s: abs(s - b.start)):
                found = self._check(b, p, start, start + len(b.text), MOVED)
                if found.found:
                    return found
                reattributed = reattributed or found
                tries -= 1
                if tries == 0:  # common words everywhere: stop looking, it changed
                    return reattributed
        return reattributed or Resolution(
            CHANGED,
            passage_id=here.id if here else None,
            reason="these words are no longer in the archive as they were bookmarked",
            paragraph=here.seq if here else None,
        )

    def _check(self, b: Bookmark, p: Passage, start: int, end: int, status: str) -> Resolution:
        """The same words: are they still attributed as they were?"""
        quote = None
        if b.kind == QUOTE_KIND:
            quote = next((q for q in self.archive.quotes(passage_id=p.id) if q.start == start and q.end == end), None)
        c = cite_quote(self.archive, quote.id) if quote is not None else cite_selection(self.archive, p.id, start, end)
        reason = ""  # the same words, attributed as they were
        if c is None or c.speaker != b.attribution:
            now = (c.speaker if c else "") or "no one"
            status, reason = CHANGED, f"the archive now attributes these words to {now}"
        elif c.words != b.words:
            now = {
                QUOTE_WORDS: f"words of {c.speaker}",
                PARAPHRASE: f"the report's words about {c.speaker}",
                NARRATION: "the report's own words",
            }[c.words]
            status, reason = CHANGED, f"the archive now has these words as {now}"
        return Resolution(
            status,
            passage_id=p.id,
            start=start,
            end=end,
            quote_id=quote.id if quote and not reason else None,
            reason=reason,
            paragraph=p.seq,
            page=p.page,
            page_end=p.page_end,
        )


def _occurrences(text: str, words: str) -> list[int]:
    out, i = [], text.find(words)
    while i >= 0:
        out.append(i)
        i = text.find(words, i + 1)
    return out


def resolve_all(archive, bookmarks: Iterable[Bookmark]) -> dict[int, Resolution]:
    """Resolutions by bookmark id; UNRESOLVED for all when ``archive`` is None."""
    return {b.id: r for b, r in resolve_each(archive, bookmarks)}


def resolve_each(archive, bookmarks: Iterable[Bookmark]) -> Iterator[tuple[Bookmark, Resolution]]:
    """Each bookmark with its resolution, one at a time (UNRESOLVED when ``archive`` is None)."""
    resolver = Resolver(archive) if archive is not None else None
    for b in bookmarks:
        yield b, (resolver.resolve(b) if resolver is not None else Resolution(UNRESOLVED))
