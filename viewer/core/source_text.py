"""A document read from a file, in the block shape the extractor reads, and the clean-up every format's
text goes through (``normalise``) and the limits it is checked against (``checked``)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from viewer.core import limits
from viewer.core.errors import ReadError


@dataclass
class PagedBlock:
    """A block of a document with pages: its text (without ``# ``/``- `` marks), its kind
    (paragraph, heading, list_item or note, a footnote) and the first and last page it is on."""

    text: str
    kind: str
    page: int
    page_end: int


@dataclass
class SourceText:
    """A document read from a file: its text in block shape, and what the format told us."""

    path: Path
    text: str
    format: str  # text | markdown | html | mhtml | docx | pdf
    encoding: str | None = None
    title_hint: str | None = None  # <title>/og:title, DOCX core title, Markdown front matter
    published_hint: str | None = None  # an ISO date the format marks as publication
    date_hints: list[str] = field(default_factory=list)  # other <time datetime> values, in order
    decoded_sha256: str | None = None  # of the file's text as decoded, before any clean-up
    blocks: list[PagedBlock] | None = None  # a document with pages (PDF): every block with its pages
    page_count: int | None = None
    author_hint: str | None = None  # a page's or a PDF's author
    site_hint: str | None = None  # a web page's site name (og:site_name, JSON-LD publisher)
    url_hint: str | None = None  # a saved page's own address (canonical link, saved-from comment)
    notes: list[str] = field(default_factory=list)  # what the import should tell the user


_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069\u200e\u200f]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def normalise(text: str) -> str:
    """Line ends unified, NFC, no invisible or control characters, tabs and odd spaces made spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text)
    text = re.sub(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]", " ", text)
    # spaces at line ends go; line by line, so a long run of spaces costs its length, not its square
    text = "\n".join(line.rstrip(" ") for line in text.split("\n"))
    return text.strip("\n ") + "\n"


def checked(src: SourceText) -> SourceText:
    """``src`` within the limits of characters and paragraphs, and with some text to import."""
    name = src.path.name
    limits.count_characters(name, len(src.text))
    limits.count_paragraphs(name, src.text.count("\n\n") + 1)
    if not re.search(r"\w", src.text):
        raise ReadError(f"{name}: has no text to import")
    return src
