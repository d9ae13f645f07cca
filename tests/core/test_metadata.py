"""Title, dates, organiser and kind from the document itself."""

from __future__ import annotations

import pytest

from viewer.core.metadata import date_in, describe


def info(text: str, **hints):
    return describe(text, hints.pop("file_name", "some-notes_2019.txt"), **hints)


def test_short_first_line_title_published_line_and_opening_date():
    d = info(
        "Press freedom under pressure: a public discussion in Vilnius\n\nPublished: 10 June 2022\n\n"
        "On 4 June 2022, journalists gathered in Vilnius. The event was organised by the Baltic Media Forum "
        "and moderated by Jonas Petraitis.\n"
    )
    assert (d.title, d.title_source, d.date, d.published, d.organiser, d.kind) == (
        "Press freedom under pressure: a public discussion in Vilnius",
        "first line",
        "2022-06-04",
        "2022-06-10",
        "Baltic Media Forum",
        "discussion",
    )
    assert d.body.startswith("On 4 June 2022") and "Published" not in d.body and d.notes == []


def test_heading_title_and_header_lines_in_any_order():
    d = info(
        "# Women in civic journalism\n\nDate: 8 March 2023\nOrganised by: the Nordic Press Council\n\n"
        "Location: online\n\nThe webinar was moderated by Liisa Virtanen.\n"
    )
    assert (d.title, d.title_source, d.date, d.organiser, d.kind) == (
        "Women in civic journalism",
        "heading",
        "2023-03-08",
        "Nordic Press Council",
        "webinar",
    )
    # Location is not a field of a document: it stays in the text
    assert d.body == "Location: online\n\nThe webinar was moderated by Liisa Virtanen.\n"


@pytest.mark.parametrize(
    "opening,date",
    [
        ("On 25 March 2021, human rights defenders gathered online.", "2021-03-25"),
        ("On Tuesday, 2 May 2019, the forum met.", "2019-05-02"),
        ("Activists met journalists in Brussels on 12 September 2023 to present a report.", "2023-09-12"),
        ("On March 5, 2020, the court ruled.", "2020-03-05"),
    ],
)
def test_an_opening_gives_the_event_date(opening, date):
    d = info(f"A title\n\n{opening}\n")
    assert d.date == date and d.published is None


def test_an_event_date_line_wins_over_the_opening_and_ranges_are_kept():
    d = info("Talks in Vilnius\n\nDate: Tuesday, 2–4 May 2019, Vilnius\n\nOn 1 May 2019, guests arrived.\n")
    assert (d.date, d.date_end) == ("2019-05-02", "2019-05-04")


def test_a_date_in_brackets_after_the_title():
    d = info("Round table on sanctions (28 October 2020)\n\nThe panel met.\n")
    assert (d.title, d.date) == ("Round table on sanctions", "2020-10-28")


def test_publication_date_only_is_used_and_said():
    d = info("Servants of the Regime\n\nPublished: 28 October 2020\n\nThe report documents careers.\n")
    assert (d.date, d.date_source, d.published) == ("2020-10-28", "published", "2020-10-28")
    assert d.notes == ["no event date in the document; the publication date (28 October 2020) is used"]


def test_no_title_and_no_date_say_so():
    d = info(
        "This is a long first paragraph that reads like prose, ends with a full stop, and is not a title.\n",
        file_name="minutes_of-the meeting.txt",
    )
    assert (d.title, d.title_source, d.date) == ("Minutes of the meeting", "file name", None)
    assert d.notes == [
        "no title in the document; “Minutes of the meeting” is taken from the file name",
        "no date in the document",
    ]
    assert d.body.startswith("This is a long first paragraph")


def test_a_transcript_turn_is_not_a_title():
    d = info("CHAIR (Helen Park): Good morning.\n\nDAVID OKAFOR: Thank you.\n", file_name="hearing.txt")
    assert d.title == "Hearing" and d.title_source == "file name"


def test_html_hints_title_published_and_time():
    d = info(
        "On the day, lawyers met in Almaty.\n",
        title_hint="Lawyers under pressure | Steppe Watch",
        published_hint="2021-11-20",
        date_hints=["2021-11-18"],
    )
    assert (d.title, d.title_source, d.date, d.published) == (
        "Lawyers under pressure",
        "document title",
        "2021-11-18",
        "2021-11-20",
    )


def test_a_heading_that_repeats_the_document_title_is_taken_out():
    d = info("A kicker line in prose, not a title.\n\n## Annual report\n\nThe text.\n", title_hint="Annual report")
    assert (d.title, d.title_source) == ("Annual report", "document title")
    assert d.body == "A kicker line in prose, not a title.\n\nThe text.\n"


@pytest.mark.parametrize(
    "text,organiser",
    [
        (
            "The event was co-hosted by MEP Petras Example (Renew Europe; Lithuania) in cooperation with the Open "
            "Dialogue Foundation (ODF). The discussion was moderated by someone.",
            "MEP Petras Example (Renew Europe; Lithuania) in cooperation with the Open Dialogue Foundation (ODF)",
        ),
        ("On 2 May 2019, the Baltic Press Freedom Forum held a round table in Vilnius.", "Baltic Press Freedom Forum"),
        ("Defenders met in Almaty for a round table hosted by the Steppe Watch network.", "Steppe Watch network"),
        ("The seminar, convened by Dr A. Smith, lasted two hours.", "Dr A. Smith"),
        ("Students met to talk about the law.", None),
    ],
)
def test_organiser_where_stated(text, organiser):
    assert info(f"A title\n\n{text}\n").organiser == organiser


@pytest.mark.parametrize(
    "value,expected",
    [
        ("14 November 2022", ("2022-11-14", None)),
        ("Monday, 14 November 2022, 10:00", ("2022-11-14", None)),
        ("2–4 May 2019, Vilnius", ("2019-05-02", "2019-05-04")),
        ("December 2020 – January 2021", ("2020-12", "2021-01")),
        ("sometime soon", None),
    ],
)
def test_date_values(value, expected):
    assert date_in(value) == expected
