"""The reader: passages with numbers and speakers, quotes marked by who said them, exact selections,
copy with citation, navigation by passage and quote, documents without text."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QMessageBox

from viewer.core.citation import cite_quote, cite_selection
from viewer.core.records import QUOTE
from viewer.ui import settings
from viewer.ui.models.reader_document import display_text, from_utf16, to_utf16
from viewer.ui.panels.reader_panel import ReaderContext, ReaderPanel
from viewer.ui.widgets import text as text_helpers
from viewer.ui.widgets.speaker_colors import speaker_color


@pytest.fixture(autouse=True)
def empty_clipboard_afterwards(qapp):
    """Qt's offscreen platform crashes at exit if the clipboard still holds our data."""
    yield
    QGuiApplication.clipboard().clear()


def _reader_on(qtbot, archive):
    panel = ReaderPanel()
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    panel.show()
    panel.set_archive(archive)
    yield panel
    panel.set_archive(None)


@pytest.fixture
def reader(qtbot, seed_archive):
    yield from _reader_on(qtbot, seed_archive)


@pytest.fixture
def paged_reader(qtbot, paged_archive):
    """The reader on the seed archive with an imported PDF and an imported web page."""
    yield from _reader_on(qtbot, paged_archive)


def open_first(qtbot, panel):
    with qtbot.waitSignal(panel.document_loaded, timeout=5000):
        panel.show_first_document()
    return panel.view.content


def char_format_at(doc: QTextDocument, position: int) -> QTextCharFormat:
    cursor = QTextCursor(doc)
    cursor.setPosition(position + 1)  # the format of the character before the cursor
    return cursor.charFormat()


def test_first_document_is_the_discussion_with_numbered_passages(qtbot, reader, seed_archive):
    content = open_first(qtbot, reader)
    doc = reader.current_document()
    assert doc.slug == "addressing-human-rights-abuses-in-kazakhstan"
    assert reader.title_label.text() == doc.title
    assert "25 March 2021" in reader.meta_label.text() and "34 passages" in reader.meta_label.text()
    passages = seed_archive.passages(doc.id)
    assert [p.seq for p in content.passages] == list(range(1, 35))
    qdoc = reader.view.document()
    assert qdoc.blockCount() == 34
    block = qdoc.firstBlock()
    for p in passages:
        assert block.text() == display_text(p.text)
        block = block.next()


def test_margin_names_the_speaker_of_each_passage(qtbot, reader):
    content = open_first(qtbot, reader)
    view = reader.view
    rows = list(view._visible_rows())
    assert rows, "some passages are visible"
    tips = {row: view.margin_tooltip(QPoint(10, int(top) + 2)) for row, top, _h in rows}
    first = content.passages[0]
    assert first.speaker_id is None
    assert "Narration" in tips[0]
    second = content.passages[1]
    assert second.speaker_name == "Petras Auštrevičius"
    assert "Petras Auštrevičius" in tips[1] and "co-host" in tips[1]


def test_margin_click_asks_for_the_speaker(qtbot, reader):
    content = open_first(qtbot, reader)
    row, top, _h = next((r, t, h) for r, t, h in reader.view._visible_rows() if content.passages[r].speaker_id)
    with qtbot.waitSignal(reader.speaker_clicked) as blocker:
        reader.view.margin_clicked(QPoint(10, int(top) + 2))
    assert blocker.args == [content.passages[row].speaker_id]


def test_direct_quotes_are_marked_and_names_titles_terms_are_not(qtbot, reader, seed_archive):
    content = open_first(qtbot, reader)
    qdoc = reader.view.document()
    spans = seed_archive.quotes(document_id=reader.current_document().id, kinds=None)
    assert {q.kind for q in spans} >= {"quote", "name", "term", "title"}
    for q in spans:
        row = content.row_by_id[q.passage_id]
        middle = content.position(row, (q.start + q.end) // 2)
        fmt = char_format_at(qdoc, middle)
        if q.kind == QUOTE:
            assert fmt.background().style() != QBrush().style(), q.text
            assert fmt.underlineStyle() != QTextCharFormat.UnderlineStyle.NoUnderline, q.text
        else:
            assert fmt.background().style() == QBrush().style(), f"{q.kind} {q.text!r} is marked like a quote"
            assert fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.NoUnderline


def test_quote_colour_is_its_speakers(qtbot, reader, seed_archive):
    content = open_first(qtbot, reader)
    qdoc = reader.view.document()
    by_speaker = {}
    for q in seed_archive.quotes(document_id=reader.current_document().id):
        if q.quoted_by is None:
            row = content.row_by_id[q.passage_id]
            colour = char_format_at(qdoc, content.position(row, q.start + 1)).background().color().name()
            by_speaker.setdefault(q.speaker_id, set()).add(colour)
    assert all(len(colours) == 1 for colours in by_speaker.values()), by_speaker
    assert len({next(iter(c)) for c in by_speaker.values()}) == len(by_speaker)
    # the same colour as the speaker's swatch in the Speakers panel
    from viewer.ui.models.speakers_model import NAME, SpeakersModel
    from viewer.ui.widgets.reader_view import direct_background
    from viewer.ui.widgets.speaker_colors import is_dark

    model = SpeakersModel()
    model.set_speakers(seed_archive.speakers())
    base = reader.palette().color(reader.palette().ColorRole.Base)
    for row in range(model.rowCount()):
        speaker = model.speaker(row)
        swatch = model.index(row, NAME).data(Qt.ItemDataRole.DecorationRole)
        if speaker.id in by_speaker:
            expected = direct_background(speaker.id, base, is_dark(reader.palette())).name()
            assert by_speaker[speaker.id] == {expected}
            assert swatch == speaker_color(speaker.id, is_dark(reader.palette()))


def test_relayed_quote_is_marked_as_relayed_with_both_names(qtbot, reader, seed_archive):
    content = open_first(qtbot, reader)
    relayed = next(q for q in seed_archive.quotes() if q.quoted_by is not None)
    row = content.row_by_id[relayed.passage_id]
    fmt = char_format_at(reader.view.document(), content.position(row, relayed.start + 3))
    assert fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.DashUnderline
    quotes = content.speech_at(row, relayed.start + 3)
    assert quotes[-1].id == relayed.id and quotes[0].speaker_name == "Rosalba Castelletti"
    from viewer.ui.widgets.reader_view import quote_tooltip

    tip = quote_tooltip(quotes, content.content)
    assert "Relayed quote: said by six brave women who shaved their head, relayed by Rosalba Castelletti" in tip
    assert "Inside a quote of Rosalba Castelletti" in tip


def test_direct_quote_tooltip_names_who_said_it(qtbot, reader, seed_archive):
    content = open_first(qtbot, reader)
    from viewer.ui.widgets.reader_view import quote_tooltip

    q = next(q for q in seed_archive.quotes() if q.text.startswith("Democracy building"))
    row = content.row_by_id[q.passage_id]
    tip = quote_tooltip(content.speech_at(row, q.start), content.content)
    assert "Direct quote: Peter Burian" in tip and "EU Special Representative for Central Asia" in tip


def test_show_passage_scrolls_it_into_view_and_highlights(qtbot, reader, seed_archive):
    open_first(qtbot, reader)
    target = seed_archive.passages(1)[29]  # ¶ 30, far below the first screen
    with qtbot.waitSignal(reader.passage_shown, timeout=5000) as blocker:
        assert reader.show_passage(target.id, [(0, 4), (10, 20), ("bad",), (5, 3)])
    assert blocker.args == [target.id]
    hits = reader.view.layer("hits")
    assert [h.cursor.selectedText() for h in hits] == [target.text[0:4], target.text[10:20]]
    content = reader.view.content
    cursor = QTextCursor(reader.view.document())
    cursor.setPosition(content.block_positions[content.row_by_id[target.id]])
    rect = reader.view.cursorRect(cursor)
    assert 0 <= rect.top() < reader.view.viewport().height()
    assert len(reader.view.layer("current")) == 1


def test_show_passage_in_another_document_switches_to_it(qtbot, reader, seed_archive):
    with qtbot.waitSignal(reader.document_changed, timeout=5000):
        reader.show_document(5)  # a report without text
    target = seed_archive.passages(1)[3]
    with qtbot.waitSignal(reader.passage_shown, timeout=5000):
        reader.show_passage(target.id)
    assert reader.current_document().id == 1


def test_unknown_passage_and_quote_say_so(qtbot, reader):
    open_first(qtbot, reader)
    with qtbot.waitSignal(reader.status_message) as blocker:
        assert not reader.show_passage(999999)
    assert "not in this archive" in blocker.args[0]
    with qtbot.waitSignal(reader.status_message):
        assert not reader.show_quote(999999)


def test_show_quote_selects_exactly_the_quote(qtbot, reader, seed_archive):
    q = next(q for q in seed_archive.quotes() if q.text.startswith("sanctions would be"))
    with qtbot.waitSignal(reader.passage_shown, timeout=5000):
        assert reader.show_quote(q.id)  # loads the document first
    assert reader.selected_ranges() == [(q.passage_id, q.start, q.end)]
    assert reader.selected_text() == q.text
    assert reader.quote_at_cursor() == q.id


def test_selection_offsets_map_exactly_to_the_passage_text(qtbot, reader, make_archive):
    text = (
        "Jane Doe, director of the Foundation, opened the meeting. “We need naïve café work 😀 and "
        "𝔘nicode — ещё Қазақстан”, she said.\n"
        "Jan Nowak, a journalist, noted that “it’s 𝔘 time” and left.\n"
    )
    path = make_archive({"offsets.txt": text})
    from viewer.core.archive import Archive

    archive = Archive(path)
    try:
        reader.set_archive(archive)
        content = open_first(qtbot, reader)
        passages = content.passages
        for needle in ("naïve café work 😀 and 𝔘nicode", "😀", "ещё Қазақстан", "𝔘 time", "it’s", "she said."):
            found = reader.view.document().find(needle)
            assert not found.isNull(), needle
            reader.view.setTextCursor(found)
            ((pid, start, end),) = reader.selected_ranges()
            passage = next(p for p in passages if p.id == pid)
            assert passage.text[start:end] == needle
            assert (start, end) == (passage.text.find(needle), passage.text.find(needle) + len(needle))
            assert reader.selected_text() == needle
        # across two passages: the end of one and the start of the next
        cursor = reader.view.document().find("she said.")
        end_cursor = reader.view.document().find("Jan Nowak")
        cursor.setPosition(cursor.selectionStart())
        cursor.setPosition(end_cursor.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
        reader.view.setTextCursor(cursor)
        ranges = reader.selected_ranges()
        assert [(pid, passages[content.row_by_id[pid]].text[s:e]) for pid, s, e in ranges] == [
            (passages[0].id, "she said."),
            (passages[1].id, "Jan Nowak"),
        ]
        assert reader.selected_text() == "she said.\n\nJan Nowak"
    finally:
        reader.set_archive(None)
        archive.close()


@pytest.mark.parametrize("text", ["abc", "a😀b𝔘c", "ещё 😀😀", "", "𝔘"])
def test_utf16_maps_are_inverse(text):
    for i in range(len(text) + 1):
        assert from_utf16(text, to_utf16(text, i)) == i
    assert to_utf16(text, len(text)) == len(text.encode("utf-16-le")) // 2


def test_copy_gives_the_exact_archive_text(qtbot, reader):
    content = open_first(qtbot, reader)
    p1, p2 = content.passages[1], content.passages[2]
    cursor = reader.view.textCursor()
    cursor.setPosition(content.position(1, 10))
    cursor.setPosition(content.position(2, 25), QTextCursor.MoveMode.KeepAnchor)
    reader.view.setTextCursor(cursor)
    reader.copy_action.trigger()
    assert QGuiApplication.clipboard().text() == p1.text[10:] + "\n\n" + p2.text[:25]
    # the view's own copy (Ctrl+C) gives the same exact text
    QGuiApplication.clipboard().clear()
    reader.view.copy()
    assert QGuiApplication.clipboard().text() == p1.text[10:] + "\n\n" + p2.text[:25]


def select(reader, row, start, end):
    content = reader.view.content
    cursor = reader.view.textCursor()
    cursor.setPosition(content.position(row, start))
    cursor.setPosition(content.position(row, end), QTextCursor.MoveMode.KeepAnchor)
    reader.view.setTextCursor(cursor)


def test_copy_with_citation_inside_a_quote_names_the_speaker(qtbot, reader, seed_archive):
    content = open_first(qtbot, reader)
    q = next(q for q in seed_archive.quotes() if q.text.startswith("Democracy building"))
    row = content.row_by_id[q.passage_id]
    select(reader, row, q.start, q.start + 18)
    with qtbot.waitSignal(reader.status_message):
        reader.cite_action.trigger()
    mime = QGuiApplication.clipboard().mimeData()
    expected = cite_selection(seed_archive, q.passage_id, q.start, q.start + 18).render()
    assert mime.text() == expected
    assert expected.startswith("“Democracy building” (Peter Burian, EU Special Representative")
    assert mime.hasHtml() and "Democracy building" in mime.html() and "<p>" in mime.html()


def test_copy_with_citation_outside_a_quote_is_the_reports_words_not_a_quote(qtbot, reader, seed_archive):
    content = open_first(qtbot, reader)
    row = next(i for i, p in enumerate(content.passages) if p.speaker_name == "Yevgeniy Zhovtis")
    select(reader, row, 0, 30)
    reader.copy_with_citation()
    text = QGuiApplication.clipboard().text()
    assert text.startswith("According to the report, Yevgeniy Zhovtis raised") and not text.startswith("“")
    assert "(paraphrasing Yevgeniy Zhovtis, Director" in text and "(paraphrased in the report)" not in text


def test_copy_with_citation_of_the_quote_at_the_cursor(qtbot, reader, seed_archive):
    content = open_first(qtbot, reader)
    q = next(q for q in seed_archive.quotes() if q.quoted_by is not None)
    cursor = reader.view.textCursor()
    cursor.setPosition(content.position(content.row_by_id[q.passage_id], q.start + 2))
    reader.view.setTextCursor(cursor)
    reader.copy_with_citation()
    assert QGuiApplication.clipboard().text() == cite_quote(seed_archive, q.id).render()
    assert "six brave women who shaved their head, quoted by Rosalba Castelletti" in QGuiApplication.clipboard().text()


def test_citation_template_comes_from_its_source(qtbot, reader, seed_archive):
    reader.set_template_source(lambda: "{speaker}: {text} [¶ {paragraph}]")
    content = open_first(qtbot, reader)
    q = next(q for q in seed_archive.quotes() if q.text == "nothing has been done")
    select(reader, content.row_by_id[q.passage_id], q.start, q.end)
    reader.copy_with_citation()
    assert QGuiApplication.clipboard().text() == "Anna Shukeyeva: nothing has been done [¶ 8]"


def test_context_menu_offers_quote_and_passage_citations(qtbot, reader, seed_archive):
    content = open_first(qtbot, reader)
    q = next(q for q in seed_archive.quotes() if q.text == "nothing has been done")
    row = content.row_by_id[q.passage_id]
    seen = []
    reader.context_menu_opened.connect(lambda menu, ctx: seen.append(ctx))
    menu = reader.context_menu(content.position(row, q.start + 3))
    names = {a.objectName() for a in menu.actions()}
    assert {"citeQuoteAction", "selectQuoteAction", "citePassageAction", "citeSelectionAction"} <= names
    ctx = seen[0]
    assert isinstance(ctx, ReaderContext)
    assert (ctx.passage_id, ctx.offset, ctx.quote_id) == (q.passage_id, q.start + 3, q.id)
    action = next(a for a in menu.actions() if a.objectName() == "citeQuoteAction")
    assert "Anna Shukeyeva" in action.text()
    action.trigger()
    assert QGuiApplication.clipboard().text() == cite_quote(seed_archive, q.id).render()
    next(a for a in menu.actions() if a.objectName() == "citePassageAction").trigger()
    assert QGuiApplication.clipboard().text().startswith("According to the report, ")
    assert "(paraphrasing Anna Shukeyeva" in QGuiApplication.clipboard().text()
    next(a for a in menu.actions() if a.objectName() == "selectQuoteAction").trigger()
    assert reader.selected_text() == q.text
    menu.close()


def test_selection_changes_are_signalled(qtbot, reader):
    content = open_first(qtbot, reader)
    with qtbot.waitSignal(reader.selection_changed) as blocker:
        select(reader, 3, 5, 15)
    assert blocker.args == [[(content.passages[3].id, 5, 15)]]
    with qtbot.waitSignal(reader.selection_changed) as blocker:
        cursor = reader.view.textCursor()
        cursor.clearSelection()
        reader.view.setTextCursor(cursor)
    assert blocker.args == [[]]
    assert not reader.copy_action.isEnabled()


def test_document_without_text_shows_its_details_and_where_it_is_listed(qtbot, reader, seed_archive):
    with qtbot.waitSignal(reader.document_changed, timeout=5000) as blocker:
        reader.show_document(5)
    doc = blocker.args[0]
    assert not doc.has_text and reader.stack.currentWidget() is reader.info
    assert "is not in this archive" in reader.info.notice.text()
    assert reader.info.fields["Date"].text() == "December 2020 – January 2021"
    listed = seed_archive.listed_in(5)
    assert reader.info.fields["Listed in"].text().startswith(f"¶ {listed.seq} of “Addressing human rights abuses")
    with qtbot.waitSignal(reader.passage_shown, timeout=5000) as shown:
        reader.info.listing_button.click()
    assert shown.args == [listed.id]
    assert reader.current_document().id == listed.document_id


def test_web_address_opens_only_http_after_confirmation(qtbot, reader, make_archive, monkeypatch):
    opened, asked = [], []
    monkeypatch.setattr(text_helpers.QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True)

    def fake_exec(box):
        asked.append(box.informativeText())
        return QMessageBox.StandardButton.Open

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    assert not text_helpers.is_safe_link("file:///etc/passwd")
    assert not text_helpers.is_safe_link("javascript:alert(1)")
    assert text_helpers.is_safe_link("https://example.org/report")
    assert text_helpers.open_link(None, "https://example.org/report")
    assert opened == ["https://example.org/report"] and asked == ["https://example.org/report"]
    assert not text_helpers.open_link(None, "file:///etc/passwd")
    assert opened == ["https://example.org/report"]


def test_speaker_highlight_tints_their_passages(qtbot, reader):
    content = open_first(qtbot, reader)
    reader.set_speaker_highlight(7)
    expected = sum(1 for p in content.passages if p.speaker_id == 7)
    assert expected == 3 and len(reader.view.layer("speaker")) == expected
    reader.set_speaker_highlight(None)
    assert reader.view.layer("speaker") == []


def test_marks_from_other_panels(qtbot, reader):
    content = open_first(qtbot, reader)
    p = content.passages[4]
    reader.set_marks("bookmarks", [(p.id, 0, 9, "#ffcc00"), (p.id, 5, 2, "red"), (999999, 0, 3, "red")])
    layer = reader.view.layer("marks:bookmarks")
    assert [s.cursor.selectedText() for s in layer] == [p.text[0:9]]
    assert layer[0].format.background().color() == QColor("#ffcc00")


def test_span_providers_mark_each_passage_shown(qtbot, reader):
    from types import SimpleNamespace

    content = open_first(qtbot, reader)
    asked = []

    def provider(passage_id):
        asked.append(passage_id)
        if passage_id == content.passages[2].id:
            return [SimpleNamespace(start=0, end=5, colour_hex="#88ccff"), (6, 10, "#ff8888")]
        return []

    reader.set_span_provider("bookmarks", provider)
    assert set(asked) == {p.id for p in content.passages}
    layer = reader.view.layer("marks:bookmarks")
    assert [s.cursor.selectedText() for s in layer] == [content.passages[2].text[0:5], content.passages[2].text[6:10]]
    reader.set_span_provider("bookmarks", None)
    assert reader.view.layer("marks:bookmarks") == []


def test_zoom_changes_and_remembers_the_text_size(qtbot, reader):
    open_first(qtbot, reader)
    size = reader.font_size()
    reader.zoom(2)
    assert reader.font_size() == size + 2
    assert settings.get_int(settings.READER_FONT_SIZE, 0) == size + 2
    assert reader.view.document().defaultFont().pointSize() == size + 2
    reader.zoom(0)
    assert reader.font_size() == reader._default_font_size()


def test_a_long_document_is_laid_out_in_slices_and_can_be_navigated_while_loading(qtbot, reader, make_archive):
    lines = [f"Paragraph number {i} of a long report, with some words in it." for i in range(1, 401)]
    path = make_archive({"long.txt": "\n".join(lines) + "\n"})
    from viewer.core.archive import Archive

    archive = Archive(path)
    try:
        reader.set_archive(archive)
        last = archive.passages(1)[-1]
        with qtbot.waitSignal(reader.passage_shown, timeout=10000):
            reader.show_passage(last.id, [(0, 9)])
        qtbot.waitUntil(lambda: reader.view.content is not None and reader.view.content.done, timeout=10000)
        assert reader.view.content.built == 400
        assert reader.view.document().blockCount() == 400
        assert [h.cursor.selectedText() for h in reader.view.layer("hits")] == ["Paragraph"]
    finally:
        reader.set_archive(None)
        archive.close()


def test_nothing_open_says_so(qtbot):
    panel = ReaderPanel()
    qtbot.addWidget(panel)
    assert panel.stack.currentWidget() is panel.placeholder
    assert "No archive" in panel.placeholder.text()
    assert not panel.show_passage(1) and not panel.show_quote(1)


def test_a_pdf_shows_its_pages_in_the_margin_and_its_notes_as_notes(qtbot, paged_reader, paged_archive):
    panel = paged_reader
    doc = paged_archive.document("trial-monitoring-in-aktobe-the-second-session")
    passages = paged_archive.passages(doc.id)
    broken = next(p for p in passages if p.page != p.page_end)
    after = passages[passages.index(broken) + 1]
    with qtbot.waitSignal(panel.passage_shown, timeout=5000):
        assert panel.show_passage(broken.id)
    view = panel.view
    assert f"{doc.pages} pages" in panel.meta_label.text()
    marks = {p.seq: view.page_mark(row) for row, p in enumerate(view.content.passages)}
    assert marks[1] == "p. 1" and marks[2] == ""  # the first passage of a page carries the mark
    assert marks[broken.seq] == f"p. {broken.page}–{broken.page_end}" and marks[after.seq] == ""
    row = view.content.row_by_id[broken.id]
    top = next(t for r, t, _h in view._visible_rows() if r == row)
    assert f"Pages {broken.page}–{broken.page_end} of the PDF" in view.margin_tooltip(QPoint(10, int(top) + 2))
    note = passages[-1]
    with qtbot.waitSignal(panel.passage_shown, timeout=5000):
        panel.show_passage(note.id)
    top = next(t for r, t, _h in view._visible_rows() if r == len(passages) - 1)
    assert "A footnote, kept after the text" in view.margin_tooltip(QPoint(10, int(top) + 2))


def test_a_web_page_shows_its_author_and_address(qtbot, paged_reader, paged_archive):
    panel = paged_reader
    doc = paged_archive.document("court-hears-appeal-of-jailed-almaty-activists")
    with qtbot.waitSignal(panel.document_loaded, timeout=5000):
        panel.show_document(doc.id)
    meta = panel.meta_label.text()
    assert "by Irina Sokolova" in meta and "The Northern Ledger" in meta and doc.url in meta and "page" not in meta
