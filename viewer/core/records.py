"""Plain, immutable records read from an archive. No Qt, no SQL here.

The records of speakers, their parts in events, entities, mentions and an archive's summary are made in
``viewer.core.speaker_records`` and importable from here as well: a search reads none of them, and making a
frozen dataclass costs ~0.6 ms a process."""

from __future__ import annotations

from dataclasses import dataclass

# Passage kinds
PARAGRAPH = "paragraph"
HEADING = "heading"
LIST_ITEM = "list_item"
TURN = "turn"
NOTE = "note"  # a footnote of a PDF, kept apart from the body at the end of the document

# Quoted-span kinds: only QUOTE is someone's words; the others are quoted names, titles and
# scare quotes, kept so that nothing mistakes them for speech.
QUOTE = "quote"
NAME = "name"
TERM = "term"
TITLE = "title"
SPAN_KINDS = (QUOTE, NAME, TERM, TITLE)


def page_label(page: int | None, page_end: int | None) -> str:
    """ "4", "4–5" (over a page break), or "" for words of a document without pages."""
    if not page:
        return ""
    return f"{page}–{page_end}" if page_end and page_end != page else str(page)


# How an attribution was decided by the user (``passages.attribution``, ``quotes.rule``): a speaker
# set by a correction, or marked narration (nobody's words) or unknown (someone's, nobody knows whose).
CORRECTED = "corrected"
CORRECTED_NARRATION = "corrected-narration"
CORRECTED_UNKNOWN = "corrected-unknown"


def is_corrected(value: str | None) -> bool:
    """Was this attribution (``passages.attribution`` or ``quotes.rule``) set by the user?"""
    return value in (CORRECTED, CORRECTED_NARRATION, CORRECTED_UNKNOWN)


@dataclass(frozen=True)
class Document:
    id: int
    slug: str
    title: str
    kind: str
    date: str | None
    date_end: str | None = None
    published: str | None = None
    collection: str | None = None
    organiser: str | None = None
    publisher: str | None = None
    source_note: str | None = None
    url: str | None = None
    has_text: bool = False
    passages: int = 0
    words: int = 0
    author: str | None = None  # who wrote it (a web page's or a PDF's author), when known
    pages: int | None = None  # pages of the file it was imported from (a PDF); None: not paged

    @property
    def paged(self) -> bool:
        return bool(self.pages)

    @property
    def date_label(self) -> str:
        """ "25 March 2021", "December 2020 – January 2021", or "" when undated."""
        from viewer.core.dates import format_range

        return format_range(self.date, self.date_end)


@dataclass(frozen=True)
class Passage:
    id: int
    document_id: int
    seq: int
    speaker_id: int | None
    kind: str
    text: str
    words: int = 0
    attribution: str | None = None
    speaker_name: str | None = None
    page: int | None = None  # the page it starts on, in a document with pages
    page_end: int | None = None  # the page it ends on (the same page, or a later one)

    @property
    def page_label(self) -> str:
        return page_label(self.page, self.page_end)

    @property
    def corrected(self) -> bool:
        return is_corrected(self.attribution)


@dataclass(frozen=True)
class Quote:
    """A quoted span. ``passage.text[start:end] == text``. ``speaker_id`` is who said the
    words (``speaker_label`` names them when they are not a speaker of the archive);
    ``quoted_by`` is the speaker who relayed them, for quotes inside quotes."""

    id: int
    passage_id: int
    document_id: int
    start: int
    end: int
    text: str
    kind: str = QUOTE
    speaker_id: int | None = None
    speaker_label: str | None = None
    quoted_by: int | None = None
    parent_id: int | None = None
    cue: str | None = None
    speaker_name: str | None = None
    quoted_by_name: str | None = None
    rule: str | None = None  # the attribution rule that decided (``CORRECTED``: the user's correction)
    suggested_speaker_id: int | None = None  # unattributed: the speaker the text points to, if a speaker
    suggested_speaker: str | None = None  # unattributed: the name of the person the text points to

    @property
    def attributed(self) -> bool:
        """Someone is named as having said the words (a speaker or a label)."""
        return self.speaker_id is not None or bool(self.speaker_label)

    @property
    def corrected(self) -> bool:
        return is_corrected(self.rule)


_ELSEWHERE = frozenset({"Speaker", "EventRole", "Entity", "Mention", "ArchiveSummary"})


def __getattr__(name: str):
    if name in _ELSEWHERE:  # made when first asked for (``from viewer.core.records import Speaker`` works)
        from viewer.core import speaker_records

        value = getattr(speaker_records, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
