"""Entities: the people and organisations each passage mentions, with who was speaking when they were
mentioned, and one record per organisation whatever its spelling ("ODF" and "Open Dialogue Foundation")."""

from __future__ import annotations

import re

from viewer.core import lexicon as lx
from viewer.core.extract.model import ACRONYM, ORG, OTHER, PERSON, Analysis, XEntity, XMention, XPassage
from viewer.core.records import NAME, QUOTE
from viewer.core.text import fold


def passage_mentions(a: Analysis, passages: list[XPassage]) -> None:
    hits_by_para: dict[int, list] = {}
    for h in a.hits:
        hits_by_para.setdefault(h.para, []).append(h)
    for pi, passage in enumerate(passages):
        _mentions(a, pi, passage, hits_by_para.get(pi, []))


def _mentions(a: Analysis, pi: int, passage: XPassage, hits: list) -> None:
    text = passage.text
    quotes = [q for q in passage.quotes if q.kind == QUOTE]

    def by(pos: int) -> str | None:
        inner = [q for q in quotes if q.start <= pos < q.end]
        if inner:
            return max(inner, key=lambda q: q.start).speaker
        return passage.speaker

    for h in hits:
        if h.kind == PERSON and h.person:
            passage.mentions.append(XMention(h.start, h.end, "person:" + h.person, h.text, by(h.start)))
        elif h.kind in (ORG, ACRONYM, OTHER):
            name = h.text
            if h.kind == ACRONYM:
                if name.rstrip("s") in a.acronyms or name in a.acronyms:
                    name = a.acronyms.get(name, a.acronyms.get(name.rstrip("s"), name))
                elif name in lx.KNOWN_ACRONYMS:
                    name = lx.KNOWN_ACRONYMS[name]
                elif name.rstrip("s") in lx.KNOWN_ACRONYMS:
                    name = lx.KNOWN_ACRONYMS[name.rstrip("s")]
            key = organisation(a, name, h.text, OTHER if h.kind == OTHER else "organisation")
            passage.mentions.append(XMention(h.start, h.end, key, h.text, by(h.start)))
    for q in passage.quotes:
        if q.kind == NAME:
            surface = text[q.start : q.end]
            if re.fullmatch(r"[#№]?\d[\w./-]*", surface) and not re.search(
                r"(movement|party|group|organi[sz]ation|union)\W*$", text[max(0, q.start - 30) : q.start], re.I
            ):
                continue
            key = organisation(a, surface, surface, "organisation")
            passage.mentions.append(XMention(q.start, q.end, key, surface, by(q.start)))
    unique = {(m.start, m.end): m for m in reversed(passage.mentions)}
    passage.mentions = sorted(unique.values(), key=lambda m: m.start)


def organisation(a: Analysis, name: str, surface: str, kind: str) -> str:
    """The key of an organisation (or instrument) entity, made on first sight."""
    name = re.sub(r"^(?:the|The)\s+", "", name)
    for full in a.acronyms.values():
        if fold(full) == fold(name):
            name = full
    # "EU Global ... Regime" and "Global ... Regime" are one thing
    base = re.sub(r"^[A-Z]{2,5}\s+(?=\S+\s+\S+)", "", name)
    key = "org:" + fold(base)
    ent = a.orgs.get(key)
    if ent is None:
        ent = a.orgs[key] = XEntity(key, name, kind)
    if surface != name and surface not in ent.aliases:
        ent.aliases.append(surface)
    return key


def entities(a: Analysis) -> list[XEntity]:
    out = []
    for p in sorted(a.people.values(), key=lambda p: p.first_seen):
        out.append(XEntity("person:" + p.key, p.name, "person", p.aliases, p.key))
    out.extend(a.orgs.values())
    return out
