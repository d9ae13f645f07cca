"""Records of speakers, their parts in events, named entities and their mentions, and an archive's summary.
Importable from ``viewer.core.records`` too; kept apart so that a search, which reads none of them, does not
make their classes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Speaker:
    id: int
    name: str
    honorific: str | None = None
    role: str | None = None
    organisation: str | None = None
    country: str | None = None
    description: str | None = None
    aliases: tuple[str, ...] = ()
    passages: int = 0
    words: int = 0
    quotes: int = 0
    affiliation: str | None = None  # role and organisation as a citation prints them


@dataclass(frozen=True)
class EventRole:
    """A speaker's part in one document (moderator, co-host, panelist, chair, ...)."""

    document_id: int
    speaker_id: int
    role: str
    position: int
    passages: int = 0
    words: int = 0
    quotes: int = 0


@dataclass(frozen=True)
class Entity:
    id: int
    name: str
    kind: str  # person | organisation
    aliases: tuple[str, ...] = ()
    speaker_id: int | None = None
    mentions: int = 0


@dataclass(frozen=True)
class Mention:
    id: int
    entity_id: int
    passage_id: int
    document_id: int
    start: int
    end: int
    surface: str
    speaker_id: int | None = None


@dataclass(frozen=True)
class ArchiveSummary:
    path: str
    title: str
    format_version: int
    app_version: str
    documents: int
    documents_with_text: int
    speakers: int
    passages: int
    quotes: int
    entities: int
    extra: dict = field(default_factory=dict)
