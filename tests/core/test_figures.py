"""Key figures: the numbers the text states, with what they count; dates, numbering and names are not figures."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.core.figures import context, find_figures
from viewer.core.stats import Statistics
from viewer.core.stats_records import Scope

# (text of the figure, value as written, counted noun phrase, a piece of its context)
SEED_FIGURES = [
    ("3-6 years", "3-6", "years", "financing terrorism or extremism"),
    ("105 politically motivated criminal cases", "105", "politically motivated criminal cases", "as of 25 March 2021"),
    ("21 political prisoners", "21", "political prisoners", "in Kazakhstan there are"),
    ("30 people under house arrest", "30", "people under house arrest", "most of them under extremism charges"),
    ("around 75 persons", "around 75", "persons", "extremism charges (around 75 persons)"),
    ("4 criminal cases", "4", "criminal cases", "4 criminal cases were opened"),
    ("15 activists", "15", "activists", "have been secretly sentenced"),
    ("millions", "millions", "", "spent millions on these events"),
    ("millions", "millions", "", "millions were stolen because of corruption"),
    ("barely half of the population", "barely half", "the population", "lives on about 20 dollars"),
    ("about 20 dollars a month", "about 20", "dollars a month", "barely half of the population"),
    ("six brave women", "six", "brave women", "shaved their head"),
]


@pytest.fixture
def seed_figures(seed_archive):
    figures, total = Statistics(seed_archive).figures(Scope())
    return figures, total


def test_seed_figures_are_exactly_the_stated_numbers(seed_figures):
    figures, total = seed_figures
    assert total == len(SEED_FIGURES)
    assert [(f.text, f.value, f.noun) for f in figures] == [(t, v, n) for t, v, n, _c in SEED_FIGURES]


def test_seed_figures_link_to_their_passage_with_exact_offsets(seed_archive, seed_figures):
    figures, _total = seed_figures
    for f, (_t, _v, _n, ctx) in zip(figures, SEED_FIGURES):
        passage = seed_archive.passage(f.passage_id)
        assert passage.text[f.start : f.end] == f.text
        assert f.value == passage.text[f.start : f.start + len(f.value)]
        assert ctx in f.context
        assert f.text in f.context
        assert f.speaker == passage.speaker_name


def test_seed_figures_numbers_and_speakers(seed_figures):
    by_text = {}
    for f in seed_figures[0]:
        by_text.setdefault(f.text, f)
    assert by_text["3-6 years"].number == 3 and by_text["3-6 years"].number_max == 6
    assert by_text["3-6 years"].speaker == "Yevgeniy Zhovtis"
    assert by_text["105 politically motivated criminal cases"].number == 105
    assert by_text["105 politically motivated criminal cases"].speaker == "Anna Shukeyeva"
    assert by_text["around 75 persons"].approx and by_text["around 75 persons"].number == 75
    assert not by_text["21 political prisoners"].approx
    assert by_text["six brave women"].number == 6
    assert by_text["about 20 dollars a month"].speaker == "Rosalba Castelletti"
    assert by_text["millions"].number is None  # a magnitude, not a number
    assert by_text["barely half of the population"].number == 0.5


def test_seed_dates_numbering_and_names_are_not_figures(seed_figures):
    texts = " | ".join(f.text for f in seed_figures[0])
    values = {f.value for f in seed_figures[0]}
    # dates, years, list numbers, a movement's name, a disease's name, ordinals, "one of"
    for not_a_figure in ("25", "2021", "11", "2011", "7", "2020", "405", "1", "2", "19", "one", "two", "second"):
        assert not_a_figure not in values
    assert "December" not in texts and "Autumn" not in texts and "#" not in texts
    # the seed text has no "eight": no figure may claim one
    assert all(f.number != 8 for f in seed_figures[0])


@pytest.mark.parametrize(
    "text",
    [
        "On 25 March 2021, defenders gathered.",
        "the European Council decided on 7 December to approve it",
        "In an interview in Autumn 2020, he called on them.",
        "a decline of the standards since 2011, as well as",
        "the parliamentary elections of January 2021, she said",
        "“Voices of Kazakhstan”, issue #1, #2, #3, #4: pre and post-election review",
        "a member of the human rights movement “405”.",
        "sanctions against officials misappropriating COVID-19 funds",
        "See ¶ 12, Article 19 of the Covenant and paragraph 4.",
        "Between 2020-2021 the list grew.",
        "In the 1990s, at 10:30 and at 5 pm, in the 21st century, the G7 met.",
        "Resolution 2021/2513(RSP) was adopted.",
        "on one hand, a two folded trend; not once per year.",
        "one of the authors; they have all one thing in common.",
        "The 405 movement was banned.",
        "The second speaker spoke first.",
        "The number 105 appears here.",
        "(3) The third point.",
    ],
)
def test_not_figures(text):
    assert find_figures(text) == []


@pytest.mark.parametrize(
    "text, figure, value, noun",
    [
        ("1. Release all 21 political prisoners.", "21 political prisoners", "21", "political prisoners"),
        ("The regime spent $5 million on lobbying.", "$5 million", "$5 million", ""),
        ("and 40% of the population is poor", "40% of the population", "40%", "the population"),
        ("Thousands of people protested.", "Thousands of people", "Thousands", "people"),
        ("a million people signed the appeal", "a million people", "a million", "people"),
        ("twenty-one activists were detained", "twenty-one activists", "twenty-one", "activists"),
        (
            "More than 2,000 protesters were detained in 2022.",
            "More than 2,000 protesters",
            "More than 2,000",
            "protesters",
        ),
        ("He served 2.5 years in prison.", "2.5 years in prison", "2.5", "years in prison"),
        ("Half the votes were annulled.", "Half the votes", "Half", "the votes"),
        ("Two of the detainees died.", "Two of the detainees", "Two", "the detainees"),
        ("The sentence was 10 to 12 years.", "10 to 12 years", "10 to 12", "years"),
        ("adopted with 592 votes in favour", "592 votes in favour", "592", "votes in favour"),
        ("В стране 105 политических заключённых.", "105 политических заключённых", "105", "политических заключённых"),
        ("и около 30 человек под домашним арестом", "около 30 человек", "около 30", "человек"),
    ],
)
def test_figures(text, figure, value, noun):
    found = find_figures(text)
    assert [(f.text, f.value, f.noun) for f in found] == [(figure, value, noun)]
    f = found[0]
    assert text[f.start : f.end] == figure


def test_numbers_inside_masked_spans_are_skipped():
    text = "The Article 105 Group said 21 political prisoners remain."
    start = text.index("Article")
    assert [f.text for f in find_figures(text, [(start, start + len("Article 105 Group"))])] == [
        "21 political prisoners"
    ]


def test_context_is_the_sentence_and_is_cut_on_words():
    text = "First sentence here. Dr. Smith said 12 journalists were held. Last one."
    f = find_figures(text)[0]
    assert context(text, f) == "Dr. Smith said 12 journalists were held."
    long_text = "x " * 400 + "then 7 activists were detained " + "y " * 400
    f = find_figures(long_text)[0]
    ctx = context(long_text, f)
    assert "7 activists" in ctx and len(ctx) < 400 and ctx.startswith("…") and ctx.endswith("…")


_PIECES = [
    "105",
    "3-6",
    "2,000",
    "1.5",
    "six",
    "a million",
    "half",
    "around",
    "about",
    "of the",
    "people",
    "cases",
    "25 March 2021",
    "#1",
    "COVID-19",
    "“405”",
    "years",
    "a month",
    "(",
    ")",
    ".",
    ",",
    " ",
    "\n",
    "$",
    "%",
    "per cent",
    "thousands",
    "Article",
    "one of",
    "the",
    "в",
    "человек",
    "2021",
    "millions",
    "–",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=6)), max_size=30))
def test_any_text_gives_figures_with_exact_offsets(pieces):
    text = " ".join(pieces)
    for f in find_figures(text):
        assert text[f.start : f.end] == f.text
        assert f.text.startswith(f.value)
        assert 0 <= f.context_start <= f.start <= f.end <= f.context_end <= len(text)
        context(text, f)
