"""The statistics' records (``viewer.core.stats``): what a scope is and what a report holds, frozen plain data
for the panel, its charts and the command line."""

from __future__ import annotations

from dataclasses import dataclass, field

from viewer.core.records import Document


@dataclass(frozen=True)
class Scope:
    """What the numbers are about: the whole archive, one document, one speaker, or a speaker in
    one document."""

    document_id: int | None = None
    speaker_id: int | None = None

    @property
    def is_archive(self) -> bool:
        return self.document_id is None and self.speaker_id is None


@dataclass(frozen=True)
class SpeakerStat:
    """One speaker's part (or, in a speaker's scope, their part in one document: ``document_id``).
    ``share`` is a percentage of the words spoken in passages attributed to speakers in scope."""

    speaker_id: int
    name: str
    position: int
    passages: int
    words: int
    share: float
    quotes: int
    document_id: int | None = None
    label: str = ""


@dataclass(frozen=True)
class MentionStat:
    """A person or organisation mentioned: ``count`` mentions in scope, written as ``variants``
    ((form, count) pairs), merged from the entities named ``entities``; ``by`` gives
    (speaker id or None, speaker name or "", count) for the passages they were mentioned in."""

    group_id: int
    name: str
    kind: str
    count: int
    variants: tuple[tuple[str, int], ...] = ()
    entities: tuple[str, ...] = ()
    by: tuple[tuple[int | None, str, int], ...] = ()


@dataclass(frozen=True)
class TermStat:
    """A term in scope: ``count`` occurrences, written as ``forms`` ((form, count) pairs; the
    count is None where only the archive-wide forms are known); for a distinctive term, ``z``
    and how often the others use it (``other``)."""

    key: str
    term: str
    count: int
    forms: tuple[tuple[str, int | None], ...] = ()
    z: float | None = None
    other: int | None = None


@dataclass(frozen=True)
class FigureStat:
    id: int
    passage_id: int
    document_id: int
    speaker_id: int | None
    speaker: str
    value: str
    number: float | None
    number_max: float | None
    noun: str
    approx: bool
    text: str
    context: str
    start: int
    end: int


@dataclass(frozen=True)
class TimelineBucket:
    """A month (or a year, for long spans) and the documents dated in it, in date order."""

    bucket: str
    label: str
    documents: tuple[Document, ...] = ()


@dataclass(frozen=True)
class Timeline:
    buckets: tuple[TimelineBucket, ...] = ()
    undated: tuple[Document, ...] = ()
    precision: str = "month"

    @property
    def documents(self) -> list[Document]:
        return [d for b in self.buckets for d in b.documents]


@dataclass(frozen=True)
class StatsReport:
    scope: Scope
    speakers: tuple[SpeakerStat, ...] = ()
    mentions: tuple[MentionStat, ...] = ()
    terms: tuple[TermStat, ...] = ()
    distinctive: tuple[tuple[int, str, tuple[TermStat, ...]], ...] = ()
    figures: tuple[FigureStat, ...] = ()
    figures_total: int = 0
    timeline: Timeline = field(default_factory=Timeline)
    speaker_documents: tuple[SpeakerStat, ...] = ()
    notes: tuple[str, ...] = ()  # the statistics are stale (made by another version): reindex
