"""The records extraction works with: what it gives back (``Extraction`` and its parts) and the named
records its steps hand each other (paragraphs, name hits, subject candidates, cues)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from viewer.core.extract.quotemarks import Span
from viewer.core.extract.segment import Block, Tok

# ---------------------------------------------------------------------------- results


@dataclass
class XQuote:
    """A quoted span of a passage. ``kind`` is ``records.QUOTE`` for someone's words, else a quoted
    name, title or term. ``speaker`` is a person key; ``label`` says who said it when that is not a
    person we know ("the campaign", "his mother"); ``rule`` names the attribution rule that decided."""

    start: int
    end: int
    kind: str
    speaker: str | None = None
    label: str | None = None
    quoted_by: str | None = None
    parent: int | None = None  # index of the enclosing span in the passage's list
    cue: str | None = None
    rule: str | None = None
    suggestion: str | None = None  # a person key the text points to, not sure enough to attribute


@dataclass
class XMention:
    start: int
    end: int
    entity: str  # entity key
    surface: str
    by: str | None = None  # person key of who was speaking


@dataclass
class XPassage:
    seq: int
    kind: str
    text: str
    speaker: str | None
    attribution: str
    label: str | None = None
    quotes: list[XQuote] = field(default_factory=list)
    mentions: list[XMention] = field(default_factory=list)


@dataclass
class XPerson:
    key: str
    forms: Counter = field(default_factory=Counter)
    honorifics: Counter = field(default_factory=Counter)
    surname: str = ""
    first: str | None = None
    gender: str | None = None
    speaker: bool = False
    event_role: str | None = None
    intros: list[str] = field(default_factory=list)
    prepositive: list[str] = field(default_factory=list)
    parenthetical: list[str] = field(default_factory=list)
    label_role: str | None = None
    first_seen: tuple[int, int] = (10**9, 0)
    variants: set[str] = field(default_factory=set)
    # filled by profiles.finish
    name: str = ""
    honorific: str | None = None
    role: str | None = None
    organisation: str | None = None
    country: str | None = None
    description: str | None = None
    affiliation: str | None = None
    aliases: list[str] = field(default_factory=list)


@dataclass
class XEntity:
    key: str
    name: str
    kind: str  # person | organisation | other
    aliases: list[str] = field(default_factory=list)
    person: str | None = None


@dataclass
class Extraction:
    style: str  # report | transcript
    passages: list[XPassage]
    speakers: list[XPerson]
    people: dict[str, XPerson]
    entities: list[XEntity]
    acronyms: dict[str, str]
    notes: list[str]


# ---------------------------------------------------------------------------- working records

PERSON, ORG, OTHER, PLACE, ACRONYM = "person", "org", "other", "place", "acronym"


@dataclass
class NameHit:
    """A capitalised name in the text: a person, an organisation, an instrument, a place or an acronym."""

    para: int
    view: int | None  # None: the paragraph outside quotes; else the span whose content holds it
    i: int  # token range of the name (honorific excluded)
    j: int
    ci: int  # token index where its context starts (honorific included)
    start: int
    end: int
    text: str
    kind: str
    honorific: str | None = None
    evidence: bool = False
    person: str | None = None
    post: str | None = None  # a title after the name ("MP", "Jr.")
    tail: int = -1  # token index after the name and its title after it

    def __post_init__(self) -> None:
        if self.tail < 0:
            self.tail = self.j


# subject candidate kinds
NAME, PRONOUN, DESC, GROUP, RELATION, ORGANISATION, SOURCE = (
    "name",
    "pronoun",
    "desc",
    "group",
    "relation",
    "org",
    "source",
)


@dataclass(frozen=True)
class Candidate:
    """A phrase that can be the subject of a reporting verb: tokens ``i:j``; ``value`` is the
    ``NameHit`` of a name, the pronoun, the noun of a description, or the label of a source."""

    i: int
    j: int
    kind: str
    value: object

    @property
    def hit(self) -> NameHit:
        assert isinstance(self.value, NameHit)
        return self.value

    @property
    def end(self) -> int:
        """Where the candidate's words end (a name's own end, not its honorific context)."""
        return self.value.j if self.kind == NAME else self.j


@dataclass(frozen=True)
class Subject:
    """The grammatical subject of a sentence's main clause and its verb."""

    candidate: Candidate
    verb: int


@dataclass(frozen=True)
class Cue:
    """The reporting clause of a quote. ``subject`` is who the clause says spoke (None: the clause names
    nobody, "it was said"); ``verb`` the token of its reporting verb; ``tight``: the quote is the verb's
    own complement ("X said: “…”", "“…,” X said"), not a fragment of a clause further away;
    ``position`` is where the clause stands: after, before, according, colon (a lead-in sentence ending
    with a colon), byline ("― Name"), source ("quoting a letter: «…»")."""

    subject: Candidate | None
    verb: int
    tight: bool
    text: str
    position: str
    para: int = -1  # the paragraph of the clause (a lead-in can be in the paragraph before the quote's)
    view: int | None = None  # the view of the paragraph the clause's tokens are in


@dataclass
class Paragraph:
    """One paragraph as the steps read it: its text (a transcript turn's label removed), its quoted spans,
    and its tokens: ``views[None]`` outside quotes, ``views[i]`` inside span ``i``."""

    index: int
    kind: str
    text: str
    block: Block
    turn: tuple[str, str | None, str] | None  # (label, bracket, rest or person key)
    spans: list[Span] = field(default_factory=list)
    views: dict[int | None, list[Tok]] = field(default_factory=dict)
    sentences: dict[int | None, list[tuple[int, int]]] = field(default_factory=dict)


@dataclass
class Analysis:
    """Everything the steps learn about one document, in the order they learn it."""

    style: str  # report | transcript
    paragraphs: list[Paragraph]
    notes: list[str] = field(default_factory=list)
    people: dict[str, XPerson] = field(default_factory=dict)
    acronyms: dict[str, str] = field(default_factory=dict)
    orgs: dict[str, XEntity] = field(default_factory=dict)
    hits: list[NameHit] = field(default_factory=list)
    hits_at: dict[tuple[int, int | None], dict[int, NameHit]] = field(default_factory=dict)
    candidates: dict[tuple[int, int | None], list[Candidate]] = field(default_factory=dict)  # subjects.candidates
    joint: set[str] = field(default_factory=set)  # people who speak only with another ("MEPs A and B assured")

    def text(self, para: int, toks: list[Tok], a: int, b: int) -> str:
        """The text of tokens ``a:b`` of a paragraph's view."""
        if a >= b or b > len(toks):
            return ""
        return self.paragraphs[para].text[toks[a].start : toks[b - 1].end]

    def person_name(self, key: str) -> str:
        p = self.people[key]
        return p.forms.most_common(1)[0][0] if p.forms else key
