"""A bookmark as the app holds it: what it is (``Bookmark``, with the snapshot of its words and their
attribution), where it stands in one archive (``Resolution``), what the reader draws (``BookmarkSpan``),
which bookmarks a list shows (``BookmarkQuery``), and the rules for the values a user types (notes, tags,
colours). Plain values, no store and no archive: ``viewer.core.bookmark_anchoring`` makes bookmarks from an
archive and finds them in one; ``viewer.core.bookmarks`` keeps them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace

from viewer.core.citation import NARRATION, PARAPHRASE, WORDS, Citation, legacy_words
from viewer.core.citation import QUOTE as QUOTE_WORDS
from viewer.core.dates import format_range
from viewer.core.records import page_label
from viewer.core.text import fold

QUOTE_KIND = "quote"
SELECTION_KIND = "selection"
KINDS = (QUOTE_KIND, SELECTION_KIND)

# Colour names (what the CLI takes and the store keeps) and how the UI paints them.
COLOURS: dict[str, str] = {
    "yellow": "#ffe066",
    "green": "#a9e5a0",
    "blue": "#a5d8ff",
    "pink": "#ffc2d9",
    "orange": "#ffc078",
    "purple": "#d5c4ff",
}
DEFAULT_COLOUR = "yellow"

# Where a bookmark stands in an archive (``Resolution.status``).
OK = "ok"  # the words are where they were
MOVED = "moved"  # the same words, same speaker, at another place of the document
CHANGED = "changed"  # the words or their attribution changed in the archive
MISSING = "missing"  # the document is not in this archive
UNRESOLVED = "unresolved"  # no archive to look in
STATUS_LABELS = {
    OK: "",
    MOVED: "moved in the archive",
    CHANGED: "changed in the archive",
    MISSING: "not in this archive",
    UNRESOLVED: "archive not open",
}

_NOTE_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_TAG_SPACE_RE = re.compile(r"\s+")

# ---------------------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Bookmark:
    """A saved quote or selection with its snapshot. ``passage_id``/``quote_id`` are the ids in the
    archive it was made in (hints only: ids change when the archive is rebuilt; see ``Resolver``).
    ``attribution``/``affiliation`` are the citation's speaker and affiliation as they were (the clean
    name; "X, quoted by Y" for relayed words); ``speaker`` is who said the words, ``relayer`` who
    relayed them (relayed quotes); ``words`` is what the words are: ``quote`` (a speaker's own),
    ``paraphrase`` (the report's words about what ``speaker`` said) or ``narration`` (the report's own)."""

    kind: str
    text: str
    document_slug: str
    document_title: str
    paragraph: int
    start: int
    end: int
    id: int | None = None
    uid: str = ""
    text_hash: str = ""
    document_date: str | None = None
    document_date_end: str | None = None
    publisher: str = ""
    speaker: str = ""
    relayer: str = ""
    attribution: str = ""
    affiliation: str = ""
    role: str = ""
    organisation: str = ""
    passage_id: int | None = None
    quote_id: int | None = None
    note: str = ""
    tags: tuple[str, ...] = ()
    colour: str = DEFAULT_COLOUR
    created: str = ""
    updated: str = ""
    page: int | None = None  # the page(s) of the words, in a document with pages
    page_end: int | None = None
    url: str = ""  # the address of the document (an imported web page)
    words: str = ""

    def __post_init__(self):
        if self.words not in WORDS:  # saved before bookmarks said what their words are
            words, attribution = legacy_words(self.kind, self.attribution, self.speaker)
            object.__setattr__(self, "words", words)
            object.__setattr__(self, "attribution", attribution)

    @property
    def is_quote(self) -> bool:
        """The words are a speaker's own (the only words ever put in quotation marks)."""
        return self.words == QUOTE_WORDS

    @property
    def date_label(self) -> str:
        return format_range(self.document_date, self.document_date_end)

    @property
    def page_label(self) -> str:
        return page_label(self.page, self.page_end)

    @property
    def colour_hex(self) -> str:
        return COLOURS.get(self.colour, COLOURS[DEFAULT_COLOUR])

    def citation(self) -> Citation:
        """The citation as it was when the bookmark was made (with ``at``'s ¶ when it was given)."""
        return Citation(
            text=self.text,
            speaker=self.attribution,
            affiliation=self.affiliation,
            title=self.document_title,
            publisher=self.publisher,
            date=self.date_label,
            paragraph=str(self.paragraph),
            page=self.page_label,
            url=self.url,
            words=self.words,
        )

    def attribution_line(self) -> str:
        """Who said it and where, without the words: "Peter Burian, EU Special ..., ¶ 4"; the report's
        words say so: "the report, paraphrasing Yevgeniy Zhovtis, …, ¶ 6" or "the report, …, ¶ 3"."""
        who = self.attribution
        if self.words == PARAPHRASE and who:
            who = f"the report, paraphrasing {who}"
        elif self.words != QUOTE_WORDS:
            who = "the report"
        parts = [
            who,
            self.affiliation if self.words != NARRATION else "",
            f"“{self.document_title}”" if self.document_title else "",
            self.publisher,
            self.date_label,
            f"p. {self.page_label}" if self.page_label else "",
            f"¶ {self.paragraph}",
            self.url,
        ]
        return ", ".join(p for p in parts if p)

    def at(self, resolution: Resolution | None) -> Bookmark:
        """The bookmark where its words are now: the ¶ and offsets of ``resolution`` when it found them
        (a rebuilt archive may have moved them: every citation and export then gives the new ¶), else
        as it was made."""
        if resolution is None or not resolution.found or resolution.paragraph is None:
            return self
        moved = {
            "paragraph": resolution.paragraph,
            "start": resolution.start,
            "end": resolution.end,
            "passage_id": resolution.passage_id,
            "quote_id": resolution.quote_id or self.quote_id,
            "page": resolution.page,
            "page_end": resolution.page_end,
        }
        if all(getattr(self, k) == v for k, v in moved.items()):
            return self
        return replace(self, **moved)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["tags"] = list(self.tags)
        return d


@dataclass(frozen=True)
class Resolution:
    """Where a bookmark is in one archive. ``passage_id``/``start``/``end``/``quote_id`` are
    that archive's; for CHANGED, ``passage_id`` is the passage now at the bookmark's ¶ (for
    context) and ``start``/``end`` are set only when the same words are there but their
    attribution changed."""

    status: str
    passage_id: int | None = None
    start: int | None = None
    end: int | None = None
    quote_id: int | None = None
    reason: str = ""
    paragraph: int | None = None  # the ¶ of ``passage_id`` (where the words are now, when found)
    page: int | None = None  # and its page(s), in a document with pages
    page_end: int | None = None

    @property
    def found(self) -> bool:
        return self.status in (OK, MOVED)

    @property
    def label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class BookmarkSpan:
    """A bookmarked span of one passage, for drawing it in the reader."""

    bookmark_id: int
    start: int
    end: int
    colour: str
    colour_hex: str
    kind: str


# Orders a bookmark list can be sorted in: the SQL that sorts it (the id breaks ties).
SORTS = {
    "created": ("created",),
    "paragraph": ("paragraph",),
    "document": ("document_title COLLATE NOCASE", "paragraph", "start"),
    "text": ("text COLLATE NOCASE",),
    "speaker": ("attribution COLLATE NOCASE",),
    "note": ("note COLLATE NOCASE",),
    "tags": (
        "COALESCE((SELECT group_concat(tag, ', ') FROM (SELECT tag FROM tags WHERE bookmark_id = bookmarks.id "
        "ORDER BY position)), '') COLLATE NOCASE",
    ),
}
_HAYSTACK = (
    "text || ' ' || note || ' ' || attribution || ' ' || relayer || ' ' || document_title || ' ' || "
    "COALESCE((SELECT group_concat(tag, ' ') FROM tags WHERE bookmark_id = bookmarks.id), '')"
)


@dataclass(frozen=True)
class BookmarkQuery:
    """Which bookmarks, in which order. ``text``: words that must all appear, ignoring case and
    diacritics, in the quote, note, speaker, relayer, document title or tags; ``speaker``: who said or
    relayed the words; ``tag`` ignores case; ``sort`` is a key of ``SORTS``."""

    text: str = ""
    speaker: str = ""
    tag: str = ""
    colour: str = ""
    document_slug: str = ""
    sort: str = "created"
    descending: bool = False

    def sort_keys(self) -> tuple[str, ...]:
        return SORTS.get(self.sort, SORTS["created"])

    def where(self) -> tuple[str, list]:
        where, params = [], []
        if self.tag.strip():
            where.append("id IN (SELECT bookmark_id FROM tags WHERE tag = ? COLLATE NOCASE)")
            params.append(self.tag.strip())
        if self.document_slug:
            where.append("document_slug = ?")
            params.append(self.document_slug)
        if self.colour:
            where.append("colour = ?")
            params.append(self.colour)
        if self.speaker:
            where.append("(speaker = ? OR relayer = ?)")
            params += [self.speaker, self.speaker]
        words = fold(" ".join(self.text.split())).split()
        if words:
            where.append(f"av_has_words({_HAYSTACK}, ?)")
            params.append("\n".join(words))
        return (" WHERE " + " AND ".join(where) if where else ""), params


def has_words(haystack: str | None, words: str) -> int:
    """For SQL: 1 when every word (newline-separated, folded) is in ``haystack`` once folded."""
    hay = fold(haystack or "")
    return int(all(w in hay for w in words.split("\n")))


@dataclass(frozen=True)
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


# ---------------------------------------------------------------------------------------- values


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def clean_note(note: str) -> str:
    """Notes keep line breaks and tabs; control characters, lone surrogates and empty lines at
    the end go."""
    note = _SURROGATE_RE.sub("\ufffd", note or "")
    note = note.replace("\r\n", "\n").replace("\r", "\n")
    return _NOTE_CONTROL_RE.sub("", note).rstrip("\n")


def normalise_tags(tags: Iterable[str] | str) -> tuple[str, ...]:
    """Tags as the store keeps them: commas separate tags, whitespace collapsed, empty ones
    dropped, duplicates (ignoring case) dropped, first spelling and order kept."""
    if isinstance(tags, str):
        tags = [tags]
    out: list[str] = []
    seen: set[str] = set()
    for raw in tags:
        for part in _SURROGATE_RE.sub("\ufffd", str(raw)).split(","):
            tag = _TAG_SPACE_RE.sub(" ", _NOTE_CONTROL_RE.sub("", part)).strip()
            if tag and tag.casefold() not in seen:
                seen.add(tag.casefold())
                out.append(tag[:200])
    return tuple(out)


def check_colour(colour: str | None) -> str:
    colour = (colour or DEFAULT_COLOUR).strip().lower()
    if colour not in COLOURS:
        raise ValueError(f"unknown colour {colour!r}; use one of {', '.join(COLOURS)}")
    return colour
