"""What the archive must say about the seed report: every speaker, passage and quote right."""

from __future__ import annotations

import pytest

from tests.conftest import SEED_SLUG

SPEAKERS = [
    # name, honorific, role, organisation, country, event role
    ("Petras Auštrevičius", "MEP", "MEP", "Renew Europe", "Lithuania", "co-host"),
    ("Lyudmyla Kozlovska", None, "President", "Open Dialogue Foundation", None, "moderator"),
    ("Peter Burian", "Ambassador", "EU Special Representative for Central Asia", None, None, "panelist"),
    (
        "Yevgeniy Zhovtis",
        None,
        "Director",
        "Kazakhstan International Bureau for Human Rights and Rule of Law",
        None,
        "panelist",
    ),
    ("Anna Shukeyeva", None, "human rights defender", "human rights movement 405", None, "panelist"),
    ("Bota Jardemalie", None, "human rights lawyer", None, "Kazakhstan", "panelist"),
    ("Rosalba Castelletti", None, "journalist", "La Repubblica", None, "panelist"),
    ("Luca Anceschi", "Dr", "Senior Lecturer in Central Asian Studies", "University of Glasgow", None, "panelist"),
]

A, K, B, Z, S, J, C, L = (s[0] for s in SPEAKERS)
# the speaker of every passage, ¶ 1 .. ¶ 34 (None: narration)
PASSAGE_SPEAKERS = [None, A, A, B, K, Z, Z, S, S, S, J, K, C, C, L, L, None, B, J, C, A, None] + [None] * 12

# (start of the quote, who said it, who relayed it)
QUOTES = [
    ("Their members and supporters dominate the list of political prisoners", A, None),
    ("Democracy building is a never-ending process […]", B, None),
    ("I think that the decision [of the authorities] to drop all these charges", Z, None),
    ("nothing has been done", S, None),
    ("it doesn’t mean that the regime hasn’t heard the call of the EP", S, None),
    ("these properties in various Western countries", J, None),
    ("Tokayev is not regarded as an independent political figure", J, None),
    ("In an the interview to Lukashenko in Autumn 2020", K, None),
    ("former president Nazarbayev made a lot of efforts", C, None),
    ("I was very compelled when in a video posted online", C, None),
    ("We live in a prison called Kazakhstan", "six brave women who shaved their head", C),
    ("We have seen in the lead up to the OSCE chairmanship", L, None),
    ("the European Council decided on 7 December", B, None),
    ("sanctions would be a very strong message of support", J, None),
    ("the EPCA mentions the importance of human rights", C, None),
    ("my message is to all those [corrupt] countries", A, None),
]

NOT_QUOTES = {
    "Addressing human rights abuses in Kazakhstan: a need for the EU response": "title",
    "Democratic Choice of Kazakhstan": "name",
    "Koshe Party": "name",
    "405": "name",
    "Halyk Bank": "name",
    "Kaspi Bank": "name",
    "La Repubblica": "name",
    "extremists": "term",
    "financing terrorism or extremism": "term",
    "extremism": "term",
    "resignation": "term",
    "playing rodeo": "term",
    "Voices of Kazakhstan": "title",
}


def test_exactly_the_eight_panel_speakers_with_their_profiles(seed_archive):
    doc = seed_archive.document(SEED_SLUG)
    speakers = seed_archive.speakers(doc.id)
    got = [(s.name, s.honorific, s.role, s.organisation, s.country) for s in speakers]
    assert got == [s[:5] for s in SPEAKERS]
    roles = {
        r["speaker_id"]: r["event_role"]
        for r in seed_archive.db.execute(
            "SELECT speaker_id, event_role FROM document_speakers WHERE document_id = ?", (doc.id,)
        )
    }
    assert [roles[s.id] for s in speakers] == [s[5] for s in SPEAKERS]


def test_affiliations_read_as_the_text_gives_them(seed_archive):
    aff = {s.name: s.affiliation for s in seed_archive.speakers()}
    assert aff[A] == "MEP, Renew Europe, Lithuania"
    assert aff[Z] == "Director of the Kazakhstan International Bureau for Human Rights and Rule of Law"
    assert aff[C] == "journalist at La Repubblica"
    assert aff[L] == "Senior Lecturer in Central Asian Studies at the University of Glasgow"
    assert aff[K] == "President of the Open Dialogue Foundation"


def test_people_only_mentioned_are_entities_not_speakers(seed_archive):
    speakers = {s.name for s in seed_archive.speakers()}
    people = {e.name: e for e in seed_archive.entities("person")}
    for name in ("Nursultan Nazarbayev", "Tokayev", "Lukashenko", "Iskander Yerimbetov", "Fulvio Marutsciello"):
        assert name in people and name not in speakers
        assert people[name].speaker_id is None
    assert "Nazabaryev" in people["Nursultan Nazarbayev"].aliases  # the text's misspelling
    assert {s for s in speakers} <= set(people)


def test_every_passage_is_attributed_to_the_speaker_it_reports(seed_archive):
    doc = seed_archive.document(SEED_SLUG)
    passages = seed_archive.passages(doc.id)
    assert [p.seq for p in passages] == list(range(1, 35))
    assert [p.speaker_name for p in passages] == PASSAGE_SPEAKERS


def test_pronoun_and_description_attribution_is_recorded(seed_archive):
    passages = seed_archive.passages(seed_archive.document(SEED_SLUG).id)
    by_seq = {p.seq: p for p in passages}
    assert by_seq[7].attribution == "pronoun"  # "he remarked"
    assert by_seq[9].attribution == "desc"  # "The activist"
    assert by_seq[10].attribution == "name"  # "Shukeyeva expressed", surname only


def test_every_direct_quote_and_who_said_it(seed_archive):
    quotes = seed_archive.quotes(document_id=seed_archive.document(SEED_SLUG).id)
    assert len(quotes) == len(QUOTES)
    for q, (start, speaker, relayer) in zip(quotes, QUOTES):
        assert q.text.startswith(start), (q.text, start)
        assert (q.speaker_name or q.speaker_label) == speaker, q.text
        assert q.quoted_by_name == relayer, q.text


def test_relayed_quote_sits_inside_castellettis_quote(seed_archive):
    quotes = seed_archive.quotes()
    inner = next(q for q in quotes if q.text == "We live in a prison called Kazakhstan")
    outer = seed_archive.quote(inner.parent_id)
    assert outer.speaker_name == C and outer.start < inner.start and inner.end < outer.end
    assert inner.speaker_id is None


@pytest.mark.parametrize("text,kind", sorted(NOT_QUOTES.items()))
def test_names_titles_and_scare_quotes_are_not_quotes(seed_archive, text, kind):
    spans = [q for q in seed_archive.quotes(kinds=None) if q.text == text]
    assert spans, text
    assert {q.kind for q in spans} == {kind}


def test_quote_counts_per_speaker(seed_archive):
    counts = {s.name: s.quotes for s in seed_archive.speakers()}
    assert counts == {A: 2, K: 1, B: 2, Z: 1, S: 2, J: 3, C: 3, L: 1}
    for s in seed_archive.speakers():
        said = [q for q in seed_archive.quotes(speaker_id=s.id) if q.speaker_id == s.id]
        assert len(said) == s.quotes


def test_words_per_speaker_are_the_sum_over_their_passages(seed_archive):
    for s in seed_archive.speakers():
        ids = seed_archive.passage_ids(speaker_id=s.id)
        assert s.words == sum(p.words for p in seed_archive.passages_by_ids(ids)) > 0
        assert s.passages == len(ids)


RELATED = [
    (
        "Women’s rights in Kazakhstan. ODF at the OSCE Supplementary Human Dimension Meeting 2021",
        "2021-03-09",
        None,
        "Human rights situation in Kazakhstan",
    ),
    (
        "Kazakhstan: the EP’s new resolution urges for sanctions against human rights violators",
        "2021-03-05",
        None,
        "Human rights situation in Kazakhstan",
    ),
    (
        "European Parliament resolution of 11 February 2021 on the human rights situation in Kazakhstan",
        "2021-02-11",
        None,
        "Human rights situation in Kazakhstan",
    ),
    (
        "“Voices of Kazakhstan”, issue #1, #2, #3, #4: pre and post-election review of the human rights situation in "
        "Kazakhstan",
        "2020-12",
        "2021-01",
        "Human rights situation in Kazakhstan",
    ),
    (
        "Kazakhstan’s Kafkaesque dictatorship: the authorities “playing rodeo” with its critics",
        "2020-12-24",
        None,
        "Human rights situation in Kazakhstan",
    ),
    (
        "Oppositionist Therefore Extremist: Political killings and persecutions of opposition and human rights "
        "activists before the parliamentary elections in Kazakhstan",
        "2020-12-01",
        None,
        "Human rights situation in Kazakhstan",
    ),
    (
        "Servants of the Regime: Servants of the Regime in Kazakhstan",
        "2020-10-28",
        None,
        "Personal sanctions against human rights violators",
    ),
    (
        "Magnitsky sanctions against officials misappropriating COVID-19 funds. Appeal to the U.S. government",
        "2020-07-09",
        None,
        "Personal sanctions against human rights violators",
    ),
    (
        "ODF’s recommendations on the adoption of Magnitsky-style sanctions in Australian legislation",
        "2020-04-21",
        None,
        "Personal sanctions against human rights violators",
    ),
    (
        "ODF travels to Rome to relaunch the draft bill for an Italian Magnitsky Law",
        "2020-02-10",
        None,
        "Personal sanctions against human rights violators",
    ),
]


def test_the_discussion_and_its_ten_related_reports(seed_archive):
    docs = seed_archive.documents()
    event = docs[0]
    assert (event.slug, event.kind, event.date, event.has_text) == (SEED_SLUG, "discussion", "2021-03-25", True)
    assert event.title == "Addressing human rights abuses in Kazakhstan: a need for the EU response"
    related = [(d.title, d.date, d.date_end, d.collection) for d in docs if not d.has_text]
    assert sorted(related) == sorted(RELATED)
    for d in docs[1:]:
        listing = seed_archive.listed_in(d.id)
        assert listing is not None and listing.text.startswith(d.title)
