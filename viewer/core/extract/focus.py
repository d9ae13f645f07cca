"""Who "he", "she" and "the senator" are: the people the narration has brought up so far, most recent
first, with how they came up (the subject of a clause, the speaker of a quote, or a mention), so that a
pronoun or a description goes to the person a reader would take it for, and to nobody when two fit."""

from __future__ import annotations

import re
from dataclasses import dataclass

from viewer.core.extract.given_names import gender_of
from viewer.core.extract.model import XPerson

SUBJECT, SAYS, SPEAKER, MENTION = "subject", "says", "speaker", "mention"  # SAYS: the subject of a reporting verb
INTRO = "intro"  # a mention that introduces someone new with who they are: "Henry Crespo, president of the caucus"
_WINDOW_PARAGRAPHS = 2  # a pronoun looks back over its paragraph and the two before it


@dataclass(frozen=True)
class Event:
    para: int
    pos: int  # character offset in the paragraph
    person: str
    role: str


class Focus:
    """The people brought up so far, in the order the text brings them up."""

    def __init__(self, people: dict[str, XPerson]):
        self.people = people
        self.events: list[Event] = []

    def add(self, para: int, pos: int, person: str | None, role: str) -> None:
        if person and person in self.people:
            self.events.append(Event(para, pos, person, role))
            if len(self.events) > 1 and (self.events[-2].para, self.events[-2].pos) > (para, pos):
                self.events.sort(key=lambda e: (e.para, e.pos))

    def gender(self, key: str) -> str | None:
        p = self.people[key]
        if p.gender is None and p.first:
            p.gender = gender_of(p.first.title())
        return p.gender

    def _window(self, para: int, pos: int, back: int = _WINDOW_PARAGRAPHS) -> list[Event]:
        return [e for e in reversed(self.events) if para - back <= e.para < para or (e.para == para and e.pos < pos)]

    def pronoun(self, gender: str, para: int, pos: int) -> tuple[str | None, str | None]:
        """(the person "he"/"she" at ``pos`` refers to, or None; a suggestion when unsure).

        The latest speaker of this paragraph the pronoun can be, or its latest subject of that gender; else
        the most recent subject or speaker of that gender in the two paragraphs before. Someone only
        mentioned is taken only when nobody else in view can be meant, else it is a suggestion. With nobody
        of known gender in view, the one person of unknown gender in view is taken, and learns the gender."""
        window = self._window(para, pos)
        # of this paragraph: the latest speaker (or subject of a reporting verb) the pronoun can be, or the
        # latest subject of that gender
        here = [
            e
            for e in window
            if e.para == para
            and (
                (e.role in (SAYS, SPEAKER) and self.gender(e.person) in (gender, None))
                or (e.role == SUBJECT and self.gender(e.person) == gender)
            )
        ]
        if here:  # the latest speaker of this paragraph the pronoun can be, else its latest subject of that gender
            first = next((e for e in here if e.role in (SAYS, SPEAKER)), here[0])
            if self.people[first.person].gender is None:
                self.people[first.person].gender = gender
            return first.person, None
        if window and window[0].role == INTRO and window[0].para == para - 1:
            # someone new, introduced with who they are at the end of the paragraph before: the quote that
            # follows is theirs (the usual way a report brings in a new voice)
            intro = window[0].person
            if (
                self.gender(intro) == gender
                and all(e.person != intro for e in window[1:])
                and not any(e.para == para - 1 and e.role in (SUBJECT, SAYS, SPEAKER) for e in window)
            ):  # not "Wilcox and Beruff, a Sarasota Republican, argued": a paragraph about nobody else
                return intro, None
        latest = next((e for e in window if e.role in (SUBJECT, SAYS, SPEAKER)), None)
        if latest is not None and self.gender(latest.person) is None and self.people[latest.person].first:
            # the latest subject or speaker, named in full with a given name that says nothing of gender
            # ("Woodrow Benford, 58, says …"), rather than someone of that gender further back
            self.people[latest.person].gender = gender
            return latest.person, None
        same = [e for e in window if self.gender(e.person) == gender]
        leading = [e for e in same if e.role in (SUBJECT, SAYS, SPEAKER)]
        if leading:
            return leading[0].person, None
        if same:
            # only mentioned, never a subject or a speaker: the one person in view the pronoun can be, or
            # else a suggestion, not an attribution
            people = list(dict.fromkeys(e.person for e in same))
            others = {e.person for e in window if self.gender(e.person) is None}
            return (people[0], None) if len(people) == 1 and not others else (None, people[0])
        unknown = list(dict.fromkeys(e.person for e in window if self.gender(e.person) is None))
        if len(unknown) == 1 and (
            self.people[unknown[0]].first
            or not any(self.gender(e.person) for e in window if e.role in (SUBJECT, SAYS, SPEAKER))
        ):
            # the one person of unknown gender in view; someone of the other gender speaking nearby does not
            # stand in the way when the text gives this person's full name
            self.people[unknown[0]].gender = gender
            return unknown[0], None
        if not window:
            # a chain of pronouns with the name further back: the latest subject or speaker of that gender
            wider = [
                e
                for e in self._window(para, pos, 6)
                if e.role in (SUBJECT, SAYS, SPEAKER) and self.gender(e.person) == gender
            ]
            if wider:
                return None, wider[0].person
        return None, (unknown[0] if unknown else None)

    def describe(self, noun: str, para: int, pos: int, prefer: str | None = None) -> str | None:
        """The person a description such as "the lawyer" or "the senator" refers to: ``prefer`` (the
        current speaker) if it fits them, else the most recent person in view it fits, else the only
        person in the document it fits; None when it fits nobody or several equally."""
        if prefer and fits(self.people[prefer], noun):
            return prefer
        for e in self._window(para, pos):
            if fits(self.people[e.person], noun):
                return e.person
        everyone = [p.key for p in self.people.values() if fits(p, noun)]
        return everyone[0] if len(everyone) == 1 else None


_NOUN_FORMS = {
    "senator": ("senator", "sen"),
    "congressman": ("congressman", "rep", "representative"),
    "congresswoman": ("congresswoman", "rep", "representative"),
    "lawmaker": ("senator", "rep", "congressman", "congresswoman", "mp", "mep", "lawmaker"),
    "governor": ("governor", "gov"),
    "secretary": ("secretary",),
    "president": ("president",),
    "spokesman": ("spokesman", "spokesperson"),
    "spokeswoman": ("spokeswoman", "spokesperson"),
    "minister": ("minister",),
    "ambassador": ("ambassador",),
    "mayor": ("mayor",),
    "judge": ("judge",),
}


def fits(p: XPerson, noun: str) -> bool:
    """Does what the text says of a person (introductions, titles, honorifics) fit a description noun?"""
    words = " ".join(p.intros + p.prepositive + p.parenthetical + [h.lower() for h in p.honorifics]).lower()
    forms = _NOUN_FORMS.get(noun, (noun,))
    return any(re.search(rf"\b{re.escape(f)}\b", words) for f in forms)
