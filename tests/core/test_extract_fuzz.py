"""Extraction never raises and never produces an offset that does not slice the text, whatever the input."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.core.extract import extract

PIECES = st.sampled_from(
    [
        "“",
        "”",
        "‘",
        "’",
        '"',
        "'",
        "«",
        "»",
        "„",
        ":",
        ",",
        ".",
        "?",
        "\n",
        "\n\n",
        " ",
        "- ",
        "# ",
        "(",
        ")",
        "He said",
        "she added",
        "according to her",
        "The activist",
        "MEP",
        "Dr",
        "Maria Lopez",
        "Lopez",
        "Anna Berg",
        "CHAIR:",
        "ANNA BERG (Editor):",
        "Q:",
        "noted that",
        "so-called",
        "they said:",
        "quoting a letter:",
        "Назарбаев",
        "Қазақстан",
        "Ivan Petrov",
        "the Open Dialogue Foundation (ODF)",
        "ODF",
        "EU",
        "2 May 2019",
        "journalist at",
        "who",
        "was",
        "of the",
        "and",
        "We live here",
        "—",
        "[…]",
        "\u200b",
        "\x00",
        "\ud800",
        # shapes the pipeline's steps read: inner cues, bylines, leads, titles, initials, Russian forms
        "– Ms Berg said –",
        "― Anna Berg",
        ", said",
        "told reporters",
        "Mr.",
        "Sen.",
        "J.",
        "U.S.",
        "O'Hanlon",
        "MEPs",
        "Anna Berg and Piotr Nowak assured",
        "(Greens/EFA; Denmark)",
        "''",
        "'''",
        "”We",
        "Seitov’s mother",
        "the prosecutor’s office",
        "said in a statement:",
        "By Marta Quill · 4 min read",
        "Brussels, 3 June 2021",
        "заявила",
        "по его словам,",
        "Модератором выступила",
        "издания «Вестник»",
        "KAREVICIUS",
        "MP",
        "he often says",
        "Interestingly",
        "shot back",
        "was asked by",
        "saying,",
        "(D-N.Y.)",
        "Participants: Anna Berg (Chair)",
    ]
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=60))
def test_extract_never_raises(parts):
    text = " ".join(parts)
    x = extract(text)
    for p in x.passages:
        for q in p.quotes:
            assert 0 <= q.start <= q.end <= len(p.text)
            assert q.speaker is None or q.speaker in x.people
            assert q.quoted_by is None or q.quoted_by in x.people
        for m in p.mentions:
            assert p.text[m.start : m.end] == m.surface
        assert p.speaker is None or p.speaker in x.people
    speakers = {s.key for s in x.speakers}
    for p in x.passages:  # every quote's speaker (and who relayed it) is a speaker of the document
        for q in p.quotes:
            assert q.kind != "quote" or q.speaker is None or q.speaker in speakers
            assert q.suggestion is None or q.suggestion in x.people
        assert p.speaker is None or p.speaker in speakers
