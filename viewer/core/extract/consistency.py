"""The last step: one record per person under their fullest name, no speaker without a passage or a
quote of their own, and every quote's speaker (and relayer) a speaker."""

from __future__ import annotations

from viewer.core.extract.model import Analysis, XPassage
from viewer.core.text import fold


def settle_speakers(a: Analysis, passages: list[XPassage]) -> None:
    """A speaker is someone the document gives a passage, a quote or a relayed quote, or an event role;
    a person the narration only made the subject of a reporting verb, with nothing of theirs in the
    document, is not listed as a speaker."""
    used: set[str] = set(a.joint)
    for p in passages:
        if p.speaker:
            used.add(p.speaker)
        for q in p.quotes:
            used.update(k for k in (q.speaker, q.quoted_by) if k)
    for key, person in a.people.items():
        if key in used:
            person.speaker = True
        elif person.speaker and not person.event_role:
            person.speaker = False
            a.notes.append(f"{person.name or key}: named as speaking, but no passage or quote is theirs; not listed")


def rekey(a: Analysis, passages: list[XPassage]) -> None:
    """Key every person by their canonical name, not by the first spelling registered."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for p in a.people.values():
        new = fold(p.name)
        mapping[p.key] = p.key if new in taken else new
        taken.add(mapping[p.key])
    people = {}
    for old, p in a.people.items():
        p.key = mapping[old]
        people[p.key] = p
    a.people = people

    def m(key: str | None) -> str | None:
        return mapping.get(key, key) if key else key

    for ps in passages:
        ps.speaker = m(ps.speaker)
        for q in ps.quotes:
            q.speaker, q.quoted_by, q.suggestion = m(q.speaker), m(q.quoted_by), m(q.suggestion)
        for mt in ps.mentions:
            mt.by = m(mt.by)
            if mt.entity.startswith("person:"):
                mt.entity = "person:" + m(mt.entity[7:])
