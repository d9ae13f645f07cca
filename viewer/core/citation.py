"""Citations a user can put their name under: the words exactly, who said them, where and when.

The template is a setting; its fields are ``{text}``, ``{speaker}``, ``{affiliation}``, ``{title}``,
``{publisher}``, ``{date}``, ``{paragraph}``, ``{page}`` (the page or pages of a document with pages, as
"4" or "4–5") and ``{url}`` (the address of an imported web page). Parts of the template separated by
", " whose fields are all empty are left out, so a narration passage has no dangling commas and a
document without pages has no "p.".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from viewer.core.dates import format_range
from viewer.core.records import Document, Passage, Quote, Speaker

DEFAULT_TEMPLATE = '“{text}” ({speaker}, {affiliation}, "{title}", {publisher}, {date}, p. {page}, ¶ {paragraph}, {url})'
FIELDS = ("text", "speaker", "affiliation", "title", "publisher", "date", "paragraph", "page", "url")
_FIELD_RE = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Citation:
    text: str
    speaker: str = ""
    affiliation: str = ""
    title: str = ""
    publisher: str = ""
    date: str = ""
    paragraph: str = ""
    page: str = ""  # "4", "4–5"; empty for a document without pages
    url: str = ""

    def render(self, template: str = DEFAULT_TEMPLATE) -> str:
        return render(template, self)


def check_template(template: str) -> str | None:
    """None if the template is usable, else a one-line reason."""
    unknown = sorted({f for f in _FIELD_RE.findall(template) if f not in FIELDS})
    if unknown:
        return f"unknown field(s): {', '.join('{' + f + '}' for f in unknown)}"
    if "{text}" not in template:
        return "the template must contain {text}"
    return None


def render(template: str, c: Citation) -> str:
    if check_template(template):
        template = DEFAULT_TEMPLATE
    values = {f: str(getattr(c, f) or "") for f in FIELDS}

    def fill(part: str) -> str | None:
        fields = _FIELD_RE.findall(part)
        if fields and all(not values[f] for f in fields if f != "text") and "text" not in fields:
            return None
        return _FIELD_RE.sub(lambda m: values[m.group(1)], part)

    # drop empty ", "-separated parts, keeping the brackets around them
    out = []
    for chunk in re.split(r"(\(|\))", template):
        if chunk in ("(", ")"):
            out.append(chunk)
            continue
        parts = [fill(p) for p in chunk.split(", ")]
        out.append(", ".join(p for p in parts if p is not None))
    text = "".join(out)
    return re.sub(r"\(\s*\)", "", text).strip()


def speaker_label(quote: Quote | None, speaker: Speaker | None, relayer: Speaker | None) -> tuple[str, str]:
    """(speaker, affiliation) for a citation; relayed words name both the speaker and who relayed them."""
    if quote is not None and quote.quoted_by is not None and relayer is not None:
        who = speaker.name if speaker else (quote.speaker_label or "unidentified speaker")
        return f"{who}, quoted by {relayer.name}", relayer.affiliation or ""
    if speaker is not None:
        return speaker.name, speaker.affiliation or ""
    if quote is not None and quote.speaker_label:
        return quote.speaker_label, ""
    return "", ""


def cite(text: str, document: Document, passage: Passage, speaker: Speaker | None = None,
         quote: Quote | None = None, relayer: Speaker | None = None) -> Citation:
    """The citation of ``text`` (a quote or a selection) in ``passage`` of ``document``."""
    who, affiliation = speaker_label(quote, speaker, relayer)
    return Citation(
        text=text, speaker=who, affiliation=affiliation, title=document.title,
        publisher=document.publisher or document.organiser or "",
        date=format_range(document.date, document.date_end), paragraph=str(passage.seq),
        page=passage.page_label, url=document.url or "",
    )


def cite_quote(archive, quote_id: int) -> Citation | None:
    """The citation of a quote in ``archive`` (an ``Archive``), or None if there is no such quote."""
    quote = archive.quote(quote_id)
    if quote is None:
        return None
    passage = archive.passage(quote.passage_id)
    document = archive.document(quote.document_id)
    speaker = archive.speaker(quote.speaker_id) if quote.speaker_id else None
    relayer = archive.speaker(quote.quoted_by) if quote.quoted_by else None
    return cite(quote.text, document, passage, speaker, quote, relayer)


def enclosing_quote(archive, passage_id: int, start: int, end: int) -> Quote | None:
    """The innermost direct quote of ``passage_id`` that contains ``[start, end)``, if any."""
    inside = [q for q in archive.quotes(passage_id=passage_id) if q.start <= start and end <= q.end]
    return max(inside, key=lambda q: q.start) if inside else None


def cite_selection(archive, passage_id: int, start: int, end: int) -> Citation | None:
    """The citation of ``passage.text[start:end]``. Inside a direct quote it is that quote's speaker's;
    elsewhere in an attributed passage the words are the report's, so the speaker is marked as
    paraphrased, never presented as the speaker's own words."""
    passage = archive.passage(passage_id)
    if passage is None or not (0 <= start < end <= len(passage.text)):
        return None
    document = archive.document(passage.document_id)
    text = passage.text[start:end]
    quote = enclosing_quote(archive, passage_id, start, end)
    if quote is not None:
        speaker = archive.speaker(quote.speaker_id) if quote.speaker_id else None
        relayer = archive.speaker(quote.quoted_by) if quote.quoted_by else None
        return cite(text, document, passage, speaker, quote, relayer)
    speaker = archive.speaker(passage.speaker_id) if passage.speaker_id else None
    c = cite(text, document, passage, speaker)
    if speaker is not None:
        c = Citation(**{**c.__dict__, "speaker": f"{speaker.name} (paraphrased in the report)"})
    return c
