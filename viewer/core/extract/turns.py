"""Transcript turns: "NAME: words", "NAME (Role): words", "CHAIR (Helen Park): words", and who holds a
role label ("CHAIR:") from an earlier turn, a "Participants:" line or the prose ("chaired by X")."""

from __future__ import annotations

import re

from viewer.core import lexicon as lx
from viewer.core.extract.segment import Block
from viewer.core.records import PARAGRAPH

# The blanks inside a label are bounded: a paragraph with a long run of spaces costs its length, not its square.
TURN_RE = re.compile(
    r"^(?P<mark>[\"“«]?)(?P<label>[A-ZА-ЯЁҚҒҢӨҰҮҺӘІ][\w.’'\-]*(?:\s{1,3}[A-ZА-ЯЁҚҒҢӨҰҮҺӘІa-z][\w.’'\-]*){0,4})"
    r"\s{0,3}(?:\((?P<paren>[^()]{1,100})\))?\s{0,3}:\s+(?P<rest>\S.*)$",
    re.S,
)
META_LABELS = lx._words(
    "Date Title Subject Location Venue Source Sources Note Notes Organiser Organizer Published Updated "
    "Time Place Event Host Hosts Organisers Organizers Participants Speakers Panel Panelists Panellists Moderator "
    "Moderators Agenda Summary Background Keywords Tags Language Author Authors By Photo Image Video Link "
    "Read Watch See Contact Email Tel Phone Website Url Recording Transcript Minutes Attendees Present "
    "Witnesses Editor Editors Posted Filed Dateline Re Attn Attachment Attachments Update "
    "Correction Disclaimer Warning Caption Credit Credits Translation Translated Original Category Categories "
    "Topics Topic Keywords Status Reference References Ref Abstract Members Venue Format Duration Dates"
)
ROLE_LABELS = {
    "chair": "chair",
    "chairman": "chair",
    "chairwoman": "chair",
    "chairperson": "chair",
    "moderator": "moderator",
    "host": "host",
    "interviewer": "interviewer",
    "presenter": "host",
    "председатель": "chair",
    "модератор": "moderator",
    "ведущий": "host",
    "ведущая": "host",
}
AUDIENCE_LABELS = lx._words(
    "Q A QUESTION ANSWER AUDIENCE VOICE VOICES QUESTIONER Question Answer Audience Voice Questioner "
    "PARTICIPANT Participant UNIDENTIFIED Unidentified ВОПРОС ОТВЕТ Вопрос Ответ"
)
_LIST_LABELS = re.compile(
    r"^(?:Participants|Speakers|Panel|Panelists|Panellists|Present|Attendees|Witnesses|Members)\s*:\s*(.+)$", re.S
)


def parse_turn(block: Block) -> tuple[str, str | None, str] | None:
    """(label, what its brackets say, the words) of a paragraph that is a turn, else None."""
    if block.kind != PARAGRAPH:
        return None
    m = TURN_RE.match(block.text)
    if not m:
        return None
    label = m.group("label").strip()
    words = label.split()
    shouting = words[0].capitalize() in META_LABELS and words[0].lower() not in ROLE_LABELS  # "VIDEO:"
    if label in META_LABELS or words[0] in META_LABELS or shouting or len(label) > 60:
        return None
    if not all(w[:1].isupper() or w.lower() in lx.NAME_PARTICLES for w in words):
        return None
    rest = m.group("rest")
    if m.group("mark"):
        # a transcript quoted in an article: every turn opens with a quotation mark ("“PENCE: …"), and the
        # last one closes it
        rest = _unquoted(rest)
    return label, m.group("paren"), rest


def _unquoted(text: str) -> str:
    """The words of a turn without the closing mark of the quotation the turns are in."""
    stripped = text.rstrip()
    for close, marks in (('"', '"'), ("”", "“”"), ("»", "«»")):
        if stripped.endswith(close) and sum(stripped.count(c) for c in marks) % 2 == 1:
            return stripped[:-1].rstrip()
    return text


def is_turn(text: str) -> bool:
    """Whether a paragraph reads as a transcript turn ("NAME: ...", "NAME (Role): ...")."""
    return parse_turn(Block(text, PARAGRAPH)) is not None


def title_name(label: str) -> str:
    """ "DAVID OKAFOR" -> "David Okafor"; a label in mixed case stays as written."""
    if label.isupper():
        return " ".join(w if len(w) <= 2 and w.endswith(".") else w.capitalize() for w in label.split())
    return label


def is_transcript(turns: list[tuple[str, str | None, str] | None], blocks: list[Block]) -> bool:
    """Two or more people speak in labelled turns, and turns are at least a quarter of the paragraphs
    from the first turn on (a title block, a participants list or header lines before it do not count)."""
    labelled = [t for t in turns if t]
    if len(labelled) < 2 or len({t[0] for t in labelled}) < 2:
        return False
    first = next(i for i, t in enumerate(turns) if t)
    prose = [b for b in blocks[first:] if b.kind == PARAGRAPH]
    return len(labelled) * 4 >= len(prose)


def participants(blocks: list[Block]) -> dict[str, tuple[str, str]]:
    """ "Participants: Eva Lindqvist (Chair), Samuel Adeyemi (Editor, The Coastal Times)" -> folded name
    -> (the name as written, what the brackets say)."""
    from viewer.core.text import fold

    out: dict[str, tuple[str, str]] = {}
    for b in blocks:
        m = _LIST_LABELS.match(b.text)
        if not m:
            continue
        depth, item, items = 0, "", []
        for ch in m.group(1):
            depth += ch == "("
            depth -= ch == ")"
            if ch in ",;" and depth == 0:
                items.append(item)
                item = ""
            else:
                item += ch
        items.append(item)
        for it in items:
            im = re.match(r"^\s*([A-ZА-ЯЁ][\w.’'-]*(?:\s+[A-ZА-ЯЁ][\w.’'-]*){1,3})\s*(?:\(([^()]*)\))?\s*\.?\s*$", it)
            if im:
                out[fold(im.group(1))] = (im.group(1), (im.group(2) or "").strip())
    return out
