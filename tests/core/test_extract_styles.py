"""The extraction rules are general: reports and transcripts written in other styles."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer.core.extract import extract
from viewer.core.records import NAME, QUOTE, TERM, TITLE

DATA = Path(__file__).resolve().parents[1] / "data"


def load(name: str):
    return extract((DATA / name).read_text(encoding="utf-8"))


def people(x):
    return {p.key: p for p in x.speakers}


def quotes(x):
    out = []
    for p in x.passages:
        for q in p.quotes:
            who = x.people[q.speaker].name if q.speaker else q.label
            by = x.people[q.quoted_by].name if q.quoted_by else None
            out.append((p.text[q.start : q.end], q.kind, who, by))
    return out


def test_offsets_slice_the_passage_text_exactly():
    for name in ("roundtable-report.txt", "hearing-transcript.txt", "steppe-briefing.txt"):
        x = load(name)
        for p in x.passages:
            for q in p.quotes:
                assert 0 <= q.start < q.end <= len(p.text)
                assert p.text[q.start : q.end] == p.text[q.start : q.end].strip()
            for m in p.mentions:
                assert p.text[m.start : m.end] == m.surface


class TestProseReport:
    """Other reporting verbs, a speaker quoted before being introduced, pronouns across paragraphs,
    a description ("the lawyer"), a quote relayed inside a sentence, straight quotes."""

    x = load("roundtable-report.txt")

    def test_speakers_and_roles(self):
        got = [(p.name, p.honorific, p.role, p.organisation, p.country, p.event_role) for p in self.x.speakers]
        assert got == [
            ("Maria Lopez", "Dr", "Head of Research", "Institute for Media Studies", None, "chair"),
            ("Tomas Varga", None, "investigative reporter", None, "Hungary", None),
            ("Irina Sokolova", None, "lawyer", "Legal Defence Centre", None, None),
        ]
        assert "arman dzhaksybekov" in self.x.people and not self.x.people["arman dzhaksybekov"].speaker

    def test_passages(self):
        names = [self.x.people[p.speaker].name if p.speaker else None for p in self.x.passages]
        assert names == [None, "Tomas Varga", "Tomas Varga", "Maria Lopez", "Irina Sokolova", "Maria Lopez"]
        assert [p.attribution for p in self.x.passages][1:5] == ["name", "pronoun", "name", "desc"]

    def test_quotes(self):
        assert quotes(self.x) == [
            ("Reporting under pressure", TITLE, None, None),
            ("We are not asking for privileges, we are asking for the law to be applied,", QUOTE, "Tomas Varga", None),
            ("every audit ended with a fine and no explanation.", QUOTE, "Tomas Varga", None),
            (
                "Quiet diplomacy is the monitors' favourite phrase and the censors' favourite outcome.",
                QUOTE,
                "Irina Sokolova",
                None,
            ),
            ("beautification", TERM, None, None),
            (
                "They took his laptop and his phone, and they called it an inspection.",
                QUOTE,
                "his mother",
                "Irina Sokolova",
            ),
            ("Pressure Points", TITLE, None, None),
        ]


class TestTranscript:
    """NAME: and NAME (Role): turns, a chair named in brackets, an audience question, quotes inside a
    turn that are someone else's words, and the witness quoting themselves."""

    x = load("hearing-transcript.txt")

    def test_style_and_speakers(self):
        assert self.x.style == "transcript"
        got = [(p.name, p.role, p.organisation, p.event_role) for p in self.x.speakers]
        assert got == [
            ("Helen Park", None, None, "chair"),
            ("David Okafor", "Editor", "The Lagos Ledger", None),
            ("Anna Berg", None, "Nordic Press Council", None),
        ]

    def test_turns(self):
        rows = [(self.x.people[p.speaker].name if p.speaker else None, p.attribution, p.label) for p in self.x.passages]
        assert rows == [
            (None, "narration", None),
            (None, "narration", None),
            ("Helen Park", "turn", "CHAIR"),
            ("David Okafor", "turn", "DAVID OKAFOR"),
            ("David Okafor", "continuation", "DAVID OKAFOR"),
            ("Helen Park", "turn", "CHAIR"),
            ("Anna Berg", "turn", "ANNA BERG"),
            (None, "audience", "QUESTION"),
            ("David Okafor", "turn", "DAVID OKAFOR"),
        ]
        assert self.x.passages[3].text.startswith("Thank you. When our office")

    def test_quotes_inside_turns(self):
        assert quotes(self.x) == [
            ("This is routine, nothing personal.", QUOTE, "the officer in charge", "David Okafor"),
            ("the inspection was lawful and proportionate.", QUOTE, "The reply", "David Okafor"),
            ("independence is not a slogan, it is a budget line.", QUOTE, "Anna Berg", None),
            # the minister's own word, relayed by the witness ("called X “…”": a person's words)
            ("a misunderstanding", QUOTE, "The minister", "David Okafor"),
        ]


class TestNestedAndCyrillic:
    """Curly, straight and guillemet quotes; a quote inside a quote; a translated quote; scare quotes."""

    x = load("steppe-briefing.txt")

    def test_speakers(self):
        got = [(p.name, p.role, p.organisation, p.gender) for p in self.x.speakers]
        assert got == [
            ("Aigerim Tulegenova", "coordinator", "Steppe Watch network", "f"),
            ("Daniyar Abenov", "blogger", None, "m"),
        ]

    def test_quotes(self):
        source = "a letter from prisoners' families"
        assert quotes(self.x) == [
            ("Silenced Steppe", TITLE, None, None),
            ("extremist", TERM, None, None),
            (
                "When they searched my flat, the investigator read me Article 174 and said: ‘You know why we are "
                "here’,",
                QUOTE,
                "Aigerim Tulegenova",
                None,
            ),
            ("You know why we are here", QUOTE, "the investigator", "Aigerim Tulegenova"),
            ("We publish in Kazakh and Russian because that is how people talk to us.", QUOTE, "Daniyar Abenov", None),
            ("so-called journalism", TERM, None, None),
            ("Мы не просим милости, мы просим суда", QUOTE, source, "Aigerim Tulegenova"),
            ("We do not ask for mercy, we ask for a trial.", QUOTE, source, "Aigerim Tulegenova"),
        ]


@pytest.mark.parametrize(
    "text,kind",
    [
        ("The group was labelled “terrorists” by the court.", TERM),
        ("She works for “Radio Azattyq” in Almaty.", NAME),
        ("They presented the documentary “Nobody Hears Us” on Monday.", TITLE),
        ("The minister’s so-called “reform” changed nothing.", TERM),
    ],
)
def test_quoted_spans_that_are_not_speech(text, kind):
    x = extract(text)
    assert [q.kind for q in x.passages[0].quotes] == [kind]


def test_a_quote_with_no_reporting_clause_in_a_narration_paragraph_is_not_guessed():
    x = extract("Below the photograph, in quotes: “Nobody was ever held responsible for this.”")
    q = x.passages[0].quotes[0]
    assert q.kind == QUOTE and q.speaker is None and q.label is None
    assert x.notes and "not attributed" in x.notes[0]


def test_straight_apostrophes_do_not_open_quotes():
    x = extract(
        "Marta Kowalska, a teacher, said the school's budget 'can't cover' the repairs and the pupils' parents paid."
    )
    # one span only (school's, can't, pupils' are apostrophes); a quoted fragment of speech is a quote
    assert [(x.passages[0].text[q.start : q.end], q.kind, x.people[q.speaker].name) for q in x.passages[0].quotes] == [
        ("can't cover", QUOTE, "Marta Kowalska")
    ]
