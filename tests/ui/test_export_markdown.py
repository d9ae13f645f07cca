"""The Markdown export rendered by a real CommonMark parser (Qt's md4c): hostile quotes and notes
come out as the same characters, never as headings, lists, links, images, emphasis or HTML."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextDocument

from viewer.core.bookmarks import Bookmark
from viewer.core.export import escape_markdown, to_markdown

HOSTILE = [
    "*bold* and _italic_ and __strong__",
    "[x](y) and ![img](file:///etc/passwd)",
    "<img src=/local/file width=20000> <b>not bold</b> <script>x</script>",
    "# heading at line start",
    "## also a heading",
    "1. not a list",
    "3) nor this",
    "- not an item",
    "+ nor this",
    "> not a quote",
    "    four spaces, not code",
    "`code` and ```fence```",
    "~~strike~~ | pipe | table |",
    "&amp; &lt; &#60; entities",
    "back\\slash\\",
    "---",
    "===",
    "<http://autolink.example>",
    "Назарбаев «ёлка» — “quotes”",
    "bare https://example.org/report?id=1 and HTTP://EXAMPLE.ORG and ftp://example.org/f",
    "www.example.org/page and mail@example.org",
    "maths: $x^2$ and $$\\sum y$$ and a price of $5",
]


def _render(markdown: str) -> str:
    doc = QTextDocument()
    doc.setMarkdown(markdown, QTextDocument.MarkdownFeature.MarkdownDialectGitHub)
    return doc.toPlainText()


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_line_renders_literally(qapp, text):
    rendered = _render(escape_markdown(text))
    # HTML collapses leading blanks; what matters is that nothing became markup
    assert rendered == text.strip()


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_export_shows_quote_and_note_literally(qapp, text):
    b = Bookmark(kind="quote", text=text, document_slug="d", document_title="A *title* [x](y)", paragraph=3,
                 start=0, end=len(text), attribution="<b>Someone</b>", note=f"note: {text}")
    md = to_markdown([b])
    doc = QTextDocument()
    doc.setMarkdown(md, QTextDocument.MarkdownFeature.MarkdownDialectGitHub)
    plain = doc.toPlainText()
    assert text in plain
    assert f"note: {text}" in plain
    assert "“A *title* [x](y)”" in plain and "<b>Someone</b>" in plain
    html = doc.toHtml()
    assert "<img" not in html and "<a " not in html and "<h2" not in html and "<li" not in html


def test_multi_line_note_keeps_its_lines(qapp):
    note = "first\n# second\n\n    third\n- fourth\\"
    b = Bookmark(kind="selection", text="line one\n> line two", document_slug="d", document_title="T",
                 paragraph=1, start=0, end=19, note=note)
    plain = _render(to_markdown([b])).replace("\u2028", "\n")
    assert "line one\n> line two" in plain
    assert "Note: first\n# second\n\nthird\n- fourth\\" in plain
