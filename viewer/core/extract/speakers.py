"""Who speaks in a document: the people the narration makes the subject of a reporting verb, names an
event role for ("moderated by X"), hands the floor to, or gives a transcript turn."""

from __future__ import annotations

import re

from viewer.core import lexicon as lx
from viewer.core.extract.mentions import EVENT_BY, link_hits
from viewer.core.extract.model import NAME, PERSON, Analysis, XPerson
from viewer.core.extract.segment import QUOTED, Tok
from viewer.core.extract.subjects import joint_partner, subject
from viewer.core.extract.turns import AUDIENCE_LABELS, ROLE_LABELS, participants, title_name
from viewer.core.extract.verbs import reports_words, speech_lemma
from viewer.core.text import fold

EVENT_AFTER = {"moderated": "moderator", "chaired": "chair", "hosted": "host", "co-hosted": "co-host"}


# What a speaker does in a discussion, which an event report tells as their contribution ("described the
# search of her newsroom", "opened the discussion", "thanked the speakers").
EVENT_ACTS = lx._words(
    "describe outline discuss present raise address open close begin introduce thank welcome share express "
    "illustrate cite quote question praise condemn denounce criticise criticize moderate chair speak talk"
)


def speech_clause(toks: list[Tok], v: int) -> bool:
    """Does the verb at ``v`` report speech? The verbs an event report uses for what a speaker did always
    do ("noted", "described", "opened", "thanked"); the other reporting verbs do when they report words,
    or when a clause or a quote follows them ("promised that …", "vowed: “…”")."""
    w = toks[v].text
    lemma = speech_lemma(w)
    if reports_words(w) or (w in lx.SPEECH_VERBS and lemma in EVENT_ACTS):
        return True
    if lemma is None and w not in lx.SPEECH_VERBS:
        return False
    nxt = toks[v + 1 : v + 4]
    return any(t.text in (":", "that") or t.kind == QUOTED for t in nxt[:2]) or (
        len(nxt) >= 2 and nxt[0].lower == "to" and nxt[1].text[:1].islower()
    )


def find_speakers(a: Analysis) -> None:
    if a.style == "transcript":
        turn_speakers(a)
    for p in a.paragraphs:
        toks = p.views[None]
        for s0, s1 in p.sentences[None]:
            subj = subject(a, p.index, None, toks, s0, s1)
            if subj and subj.candidate.kind == NAME and speech_clause(toks, subj.verb):
                make_speaker(a, subj.candidate.hit.person)
                partner = joint_partner(a, p.index, None, toks, subj.candidate)
                if partner is not None:
                    make_speaker(a, partner.hit.person)
                ev = EVENT_AFTER.get(toks[subj.verb].text)
                person = a.people[subj.candidate.hit.person]
                if ev and person.event_role is None:
                    person.event_role = ev
        # event roles: "moderated by X", "co-hosted by MEP X"; the floor handed to X
        for h in a.hits_at.get((p.index, None), {}).values():
            if h.kind != PERSON or not h.person:
                continue
            before = p.text[max(0, toks[h.ci].start - 40) : toks[h.ci].start]
            for pat, role in EVENT_BY:
                if pat.search(before):
                    make_speaker(a, h.person)
                    person = a.people[h.person]
                    if person.event_role is None:
                        person.event_role = role
            if re.search(
                r"\b(?:next|first|second|third|final|last|following)\s+speaker,?\s*$", before, re.I
            ) or re.search(r"\b(?:gave|passed|handed)\s+the\s+floor\s+to\s*$", before, re.I):
                make_speaker(a, h.person)


def make_speaker(a: Analysis, key: str | None) -> None:
    if key:
        a.people[key].speaker = True


def turn_speakers(a: Analysis) -> None:
    """People from transcript turns. A turn names its speaker ("DAVID OKAFOR:"), or a role with the
    name in brackets ("CHAIR (Helen Park):"); a bare role ("CHAIR:") is whoever holds that role, from an
    earlier turn, a "Participants:" line ("Eva Lindqvist (Chair)") or the prose ("chaired by X")."""
    listed = participants([p.block for p in a.paragraphs])
    holders: dict[str, str] = {}
    bare: list[int] = []
    for p in a.paragraphs:
        if not p.turn:
            continue
        label, paren, _rest = p.turn
        if label in AUDIENCE_LABELS:
            continue
        role_label = ROLE_LABELS.get(label.lower())
        name = label
        role_text = paren
        if role_label and paren and re.match(r"^[A-ZА-ЯЁ][\w’'-]+(?:\s+[A-ZА-ЯЁ][\w’'-]+){1,3}$", paren.strip()):
            name, role_text = paren.strip(), None
        elif role_label:
            bare.append(p.index)
            continue
        name = title_name(name)
        if role_text is None and fold(name) in listed:
            role_text = listed[fold(name)][1] or None
        key = turn_person(a, name, p.index)
        person = a.people[key]
        if role_label:
            person.event_role = person.event_role or role_label
            holders.setdefault(role_label, key)
        if role_text and role_text not in person.parenthetical:
            person.parenthetical.append(role_text)
        p.turn = (label, paren, key)
    for pi in bare:
        p = a.paragraphs[pi]
        label, paren, _rest = p.turn
        role_label = ROLE_LABELS[label.lower()]
        key = holders.get(role_label)
        if key is None:
            named = [
                n
                for n, (_name, r) in listed.items()
                if r and any(ROLE_LABELS.get(part.strip().lower()) == role_label for part in re.split(r"[,;]", r))
            ]
            if len(named) == 1:
                key = holders[role_label] = turn_person(a, listed[named[0]][0], pi)
                a.people[key].event_role = a.people[key].event_role or role_label
        if key is None:
            key = holders[role_label] = _role_from_prose(a, role_label, pi)
        if key is not None:
            p.turn = (label, paren, key)
        else:
            a.notes.append(f"¶ {pi + 1}: nobody is named as “{label}”; the turn is left without a speaker")
    link_hits(a)


def _role_from_prose(a: Analysis, role: str, pi: int) -> str | None:
    """ "The hearing was chaired by Helen Park": the one person the prose gives the role."""
    pattern = {
        "chair": r"\bchaired\s+by\s*$",
        "moderator": r"\b(?:moderated|facilitated)\s+by\s*$",
        "host": r"\b(?:hosted|presented)\s+by\s*$",
        "interviewer": r"\binterview(?:ed)?\s+by\s*$",
    }.get(role)
    if pattern is None:
        return None
    found = set()
    for h in a.hits:
        if h.kind != PERSON or h.view is not None:
            continue
        p = a.paragraphs[h.para]
        toks = p.views[None]
        before = p.text[max(0, toks[h.ci].start - 40) : toks[h.ci].start]
        if re.search(pattern, before, re.I):
            found.add(h.text)
    if len(found) != 1:
        return None
    key = turn_person(a, found.pop(), pi)
    a.people[key].event_role = a.people[key].event_role or role
    return key


def turn_person(a: Analysis, name: str, pi: int) -> str:
    words = [fold(w) for w in name.split()]
    if len(words) > 1 and words[0].rstrip(".") in lx.HONORIFICS:
        words = words[1:]
        name = " ".join(name.split()[1:])
    key = None
    for p in a.people.values():
        if p.surname == words[-1] and (len(words) == 1 or p.first in (None, words[0])):
            key = p.key
    if key is None:
        key = " ".join(words)
        a.people[key] = XPerson(key=key, surname=words[-1], first=words[0] if len(words) > 1 else None)
    person = a.people[key]
    person.speaker = True
    person.forms[name] += 2
    person.first_seen = min(person.first_seen, (pi, 0))
    return key
