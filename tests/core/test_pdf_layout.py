"""The layout rules of ``viewer.core.pdf_layout`` on words placed by hand: reading order of columns,
running headers and footers against footnotes, hyphenation, paragraphs over column breaks."""

from __future__ import annotations

from viewer.core.pdf_layout import PageWords, Word, layout

SIZE = 10.0  # the loose box of 10-point text is about 12 points high
CHAR = 5.0


def words_of(text: str, x: float, y: float, size: float = SIZE) -> list[Word]:
    out = []
    for word in text.split():
        out.append(Word(word, x, x + CHAR * len(word), y, y + size * 1.2))
        x += CHAR * (len(word) + 1)
    return out


def page(number: int, lines: list[tuple[str, float, float]], size: float = SIZE) -> PageWords:
    words = []
    for text, x, y in lines:
        words.extend(words_of(text, x, y, size))
    return PageWords(number, 600, 800, words)


def texts(blocks) -> list[str]:
    return [b.text for b in blocks]


def test_two_columns_are_read_column_by_column_whatever_the_order_of_the_words():
    left = [f"left column line {i} says something" for i in range(8)]
    right = [f"right column line {i} says more" for i in range(8)]
    lines = []
    for i in range(8):  # interleaved, as a content stream may draw them
        lines.append((right[i], 320, 100 + 15 * i))
        lines.append((left[i], 40, 100 + 15 * i))
    blocks, _empty = layout([page(1, lines)])
    joined = " ".join(texts(blocks))
    assert joined.index("left column line 7") < joined.index("right column line 0")


def test_page_numbers_and_running_headers_go_but_footnotes_stay():
    pages = []
    for n in range(1, 5):
        lines = [(f"Monitoring report page {n}", 40, 30)]
        lines += [
            (f"Body text of page {n} with enough words to fill a line of the page", 40, 100 + 15 * i) for i in range(6)
        ]
        lines += [(f"{n + 3} A note that looks like the others but its number is its own", 40, 700)]
        lines += [(str(n), 300, 760)]
        pages.append(page(n, lines[:-2], SIZE))
        pages[-1].words += words_of(lines[-2][0], 40, 700, SIZE * 0.8) + words_of(lines[-1][0], 300, 760, SIZE * 0.8)
    blocks, _empty = layout(pages)
    text = " ".join(texts(blocks))
    assert "Monitoring report" not in text
    assert [b.text for b in blocks if b.kind == "note"] == [
        f"{n + 3} A note that looks like the others but its number is its own" for n in range(1, 5)
    ]


def test_hyphens_at_line_ends_are_joined_unless_the_document_writes_the_word_with_one():
    lines = [
        ("A well-known lawyer said that the inter-", 40, 100),
        ("national observers and the well-", 40, 115),
        ("known defenders were present there.", 40, 130),
    ]
    blocks, _empty = layout([page(1, lines)])
    assert texts(blocks) == [
        "A well-known lawyer said that the international observers and the well-known defenders were present there."
    ]


def test_a_paragraph_goes_on_over_a_page_break_unless_its_line_ended_early():
    full = "this line runs all the way across the column to"
    first = [(full, 40, 100 + 15 * i) for i in range(5)] + [
        ("the end of a sentence that fills the whole line.", 40, 175)
    ]
    goes_on = [("Next page text starts here and goes on for a while", 40, 100)]
    blocks, _ = layout([page(1, first), page(2, goes_on)])
    assert len(blocks) == 1 and (blocks[0].page, blocks[0].page_end) == (1, 2)  # a full line: it goes on
    short = [(full, 40, 100 + 15 * i) for i in range(5)] + [("It ends here.", 40, 175)]
    blocks, _ = layout([page(1, short), page(2, goes_on)])
    assert [(b.page, b.page_end) for b in blocks] == [(1, 1), (2, 2)]


def test_a_page_with_only_its_running_lines_is_reported_without_text():
    pages = [
        page(
            n,
            [(f"Header of the report {n}", 40, 30)]
            + ([("Some body text on this page.", 40, 200)] if n != 2 else [])
            + [(str(n), 300, 760)],
        )
        for n in range(1, 4)
    ]
    _blocks, empty = layout(pages)
    assert empty == [2]
