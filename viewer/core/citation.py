"""Citations a user can put their name under: the words exactly, who said them, where and when.

Only a speaker's own words (a direct quote, or part of one) are ever put in quotation marks. Words of
the report itself are cited as the report's: a passage the report attributes to a speaker ("Zhovtis
noted that …") is the report's paraphrase of them, and narration is the report's own account; both
read "According to the report, …" with no quotation marks, and a paraphrase names whom it paraphrases.
``Citation.words`` says which of the three the words are (``QUOTE``, ``PARAPHRASE``, ``NARRATION``);
``Citation.speaker`` is always the clean name.

The template is the user's (a file in their data folder, ``load_template``: the app and the command line
use the same one); its fields are ``{text}``, ``{speaker}``, ``{affiliation}``, ``{title}``,
``{publisher}``, ``{date}``, ``{paragraph}``, ``{page}`` (the page or pages of a document with pages, as
"4" or "4–5") and ``{url}`` (the address of an imported web page). It describes how a quote is cited; for
the report's words the quotation marks around ``{text}`` are left out and ``{text}`` is led by "According
to the report, ". Parts of the template separated by ", " whose fields are all empty are left out, so a
narration passage has no dangling commas and a document without pages has no "p.".
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from viewer.core.dates import format_range
from viewer.core.files import write_atomic
from viewer.core.records import Document, Passage, Quote, Speaker

DEFAULT_TEMPLATE = (
    '“{text}” ({speaker}, {affiliation}, "{title}", {publisher}, {date}, p. {page}, ¶ {paragraph}, {url})'
)
FIELDS = ("text", "speaker", "affiliation", "title", "publisher", "date", "paragraph", "page", "url")
TEMPLATE_FILE = "citation-template.txt"  # in the user's data folder
_FIELD_RE = re.compile(r"\{(\w+)\}")

# What cited words are.
QUOTE = "quote"  # a speaker's own words: the only words put in quotation marks
PARAPHRASE = "paraphrase"  # the report's words about what a speaker said
NARRATION = "narration"  # the report's own account
WORDS = (QUOTE, PARAPHRASE, NARRATION)
REPORT_LEAD = "According to the report, "
PARAPHRASE_MARK = "paraphrasing "  # before the speaker's name in a paraphrase's citation
LEGACY_PARAPHRASE = " (paraphrased in the report)"  # how older versions marked a paraphrase in the speaker field

# Quotation marks a template may put around {text}: left out for the report's words.
_AROUND_TEXT = re.compile(r"([“\"«„‘'‹‚]\s*)?\{text\}(\s*[”\"»“’'›‘])?")
# What a quote's span may end with that belongs to the reporting sentence, not to the words ("…our job," he said).
_SENTENCE_TAIL = re.compile(r"[\s,;:]+$")


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
    words: str = QUOTE

    def render(self, template: str = DEFAULT_TEMPLATE) -> str:
        return render(template, self)


def quote_text(text: str) -> str:
    """A quote's words as cited: without the comma, colon or space at its end that belongs to the
    sentence reporting it (“We are doing our job,” he said -> “We are doing our job”)."""
    trimmed = _SENTENCE_TAIL.sub("", text)
    return trimmed or text


def cited_text(text: str, words: str) -> str:
    """The words as a citation shows them: a quote trimmed (``quote_text``), the report's words as they are."""
    return quote_text(text) if words == QUOTE else text.strip()


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
    values["text"] = cited_text(values["text"], c.words)
    if c.words != QUOTE:
        # the report's words: never in quotation marks, always said to be the report's
        template = _AROUND_TEXT.sub("{text}", template, count=1)
        values["text"] = REPORT_LEAD + values["text"]
        if c.words == PARAPHRASE and values["speaker"]:
            values["speaker"] = PARAPHRASE_MARK + values["speaker"]

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


def cite(
    text: str,
    document: Document,
    passage: Passage,
    speaker: Speaker | None = None,
    quote: Quote | None = None,
    relayer: Speaker | None = None,
    words: str = QUOTE,
) -> Citation:
    """The citation of ``text`` (a quote or a selection) in ``passage`` of ``document``."""
    who, affiliation = speaker_label(quote, speaker, relayer)
    return Citation(
        text=text,
        speaker=who,
        affiliation=affiliation,
        title=document.title,
        publisher=document.publisher or document.organiser or "",
        date=format_range(document.date, document.date_end),
        paragraph=str(passage.seq),
        page=passage.page_label,
        url=document.url or "",
        words=words,
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
    """The citation of ``passage.text[start:end]``. Inside a direct quote it is that quote's speaker's
    words; elsewhere the words are the report's: a paraphrase of the passage's speaker, or narration."""
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
    return cite(text, document, passage, speaker, words=PARAPHRASE if speaker is not None else NARRATION)


def legacy_words(kind: str, attribution: str, speaker: str) -> tuple[str, str]:
    """(words, clean attribution) of a bookmark saved before bookmarks said what their words are: the
    old "(paraphrased in the report)" in the speaker field, a selection of nobody's words, or a quote."""
    if attribution.endswith(LEGACY_PARAPHRASE):
        return PARAPHRASE, attribution[: -len(LEGACY_PARAPHRASE)]
    if kind != QUOTE and not speaker and not attribution:
        return NARRATION, attribution
    return QUOTE, attribution


# ------------------------------------------------------------------ the user's template


def template_path(data_dir: str | os.PathLike) -> Path:
    return Path(data_dir) / TEMPLATE_FILE


def load_template(data_dir: str | os.PathLike | None) -> str:
    """The user's citation template (the app's Edit > Citation template…, also used by the command
    line); the default when there is none, it cannot be read or it is not usable."""
    if data_dir is None:
        return DEFAULT_TEMPLATE
    try:
        template = template_path(data_dir).read_text(encoding="utf-8").strip("\r\n")
    except (OSError, UnicodeDecodeError):
        return DEFAULT_TEMPLATE
    return DEFAULT_TEMPLATE if not template or check_template(template) else template


def save_template(data_dir: str | os.PathLike, template: str) -> Path:
    """Keep ``template`` as the user's (atomically); ValueError when it is not usable, ExportError
    (``viewer.core.files``) with a plain message when it cannot be written."""
    problem = check_template(template)
    if problem:
        raise ValueError(problem)
    folder = Path(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return write_atomic(template_path(folder), (template.strip("\r\n") + "\n").encode("utf-8"))
