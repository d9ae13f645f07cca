"""Archive text is data, never markup: names, titles and passages containing HTML are shown literally in
the reader, the lists, tooltips and dialogs, and nothing is loaded."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel

from viewer.app import make_window
from viewer.core.records import Document
from viewer.ui.models.speakers_model import NAME, ROLE
from viewer.ui.widgets.reader_view import quote_tooltip

IMG = "<img src=/tmp/x.png>"
LINK = "<a href=file:///etc/passwd>x</a>"
BOLD = "<b>bold</b>"
WIDE = "width=20000"
MD_IMG = "![pixel](file:///etc/passwd)"
MARKUP = (IMG, LINK, BOLD, WIDE, MD_IMG)

TEXT = (
    f"On 1 May 2020, activists met for a discussion about {BOLD} things and {WIDE} more, chaired by "
    "Anna Kowalska, director of the Foundation.\n"
    f"Anna Kowalska, director of the Foundation, opened the meeting. “We need {IMG} and {LINK} now”, "
    "she said.\n"
    f"Jan Nowak, a journalist at the Daily Paper, noted that “{BOLD} is {WIDE} {MD_IMG}” and left.\n"
)
TITLE = f"Hostile {BOLD} title {IMG} {LINK} {WIDE} {MD_IMG}"
SPEAKER = f"Anna {BOLD} Kowalska {IMG}"
AFFILIATION = f"director of {LINK} {WIDE}"


def render(html: str) -> QTextDocument:
    doc = QTextDocument()
    doc.setHtml(html)
    return doc


def has_image(doc: QTextDocument) -> bool:
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            if it.fragment().charFormat().isImageFormat():
                return True
            it += 1
        block = block.next()
    return False


def assert_literal(html: str, *literals: str) -> None:
    """``html`` (a tooltip) shows each literal as text and loads nothing."""
    doc = render(html)
    plain = doc.toPlainText()
    for literal in literals:
        assert literal in plain, (literal, plain)
    assert not has_image(doc)


@pytest.fixture
def hostile_archive(make_archive):
    path = make_archive(
        {"hostile.txt": TEXT},
        documents=[
            {"title": TITLE, "collection": f"Coll {BOLD} {IMG}", "publisher": f"Pub {LINK}", "date": "2020-05-01"}
        ],
    )
    db = sqlite3.connect(path)
    db.execute(
        "UPDATE speakers SET name = ?, affiliation = ?, role = ? WHERE name = 'Anna Kowalska'",
        (SPEAKER, AFFILIATION, f"role {BOLD}"),
    )
    db.execute("UPDATE meta SET value = ? WHERE key = 'title'", (f"Archive {BOLD} {IMG}",))
    assert db.total_changes == 2
    db.commit()
    db.close()
    return path


@pytest.fixture
def window(qtbot, hostile_archive):
    w = make_window()
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.reader.document_loaded, timeout=5000):
        assert w.open_archive(hostile_archive)
    qtbot.waitUntil(lambda: w.panel("speakersDock").model.rowCount() == 2 and w.summary is not None, timeout=5000)
    return w


def test_reader_shows_markup_literally(qtbot, window):
    reader = window.reader
    assert reader.title_label.textFormat() == Qt.TextFormat.PlainText
    assert reader.title_label.text() == TITLE
    assert "Pub " + LINK in reader.meta_label.text()
    doc = reader.view.document()
    text = doc.toPlainText()
    for literal in MARKUP:
        assert literal in text
    assert not has_image(doc)
    content = reader.view.content
    # tooltips of the margin and of the quotes
    rows = list(reader.view._visible_rows())
    row, top, _h = next(r for r in rows if content.passages[r[0]].speaker_id is not None)
    assert_literal(reader.view.margin_tooltip(QPoint(10, int(top) + 2)), SPEAKER, AFFILIATION)
    q_row = next(i for i, p in enumerate(content.passages) if IMG in p.text)
    quote = next(q for q in content.speech_in(q_row) if IMG in q.text)
    assert_literal(quote_tooltip(content.speech_at(q_row, quote.start + 1), content.content), SPEAKER, AFFILIATION)
    # the context menu names the speaker as text too
    menu = reader.context_menu(content.position(q_row, quote.start + 1))
    action = next(a for a in menu.actions() if a.objectName() == "citeQuoteAction")
    assert SPEAKER in action.text()
    menu.close()


def test_lists_show_markup_literally(qtbot, window):
    docs = window.panel("documentsDock").model
    group = docs.index(0, 0)
    assert group.data() == f"Coll {BOLD} {IMG} (1)"
    assert_literal(group.data(Qt.ItemDataRole.ToolTipRole), f"Coll {BOLD} {IMG}")
    docs.fetchMore(group)
    item = docs.index(0, 0, group)
    assert item.data() == TITLE
    assert_literal(item.data(Qt.ItemDataRole.ToolTipRole), TITLE)
    speakers = window.panel("speakersDock").model
    row = next(r for r in range(speakers.rowCount()) if speakers.speaker(r).name == SPEAKER)
    assert speakers.index(row, NAME).data() == SPEAKER
    assert speakers.index(row, ROLE).data() == AFFILIATION
    assert_literal(speakers.index(row, NAME).data(Qt.ItemDataRole.ToolTipRole), SPEAKER, AFFILIATION)


def test_profile_shows_markup_literally(qtbot, window):
    panel = window.panel("speakersDock")
    speaker = next(
        panel.model.speaker(r) for r in range(panel.model.rowCount()) if panel.model.speaker(r).name == SPEAKER
    )
    panel.select_speaker(speaker.id)
    qtbot.waitUntil(lambda: panel._profile is not None, timeout=5000)
    assert panel.profile_name.textFormat() == Qt.TextFormat.PlainText and panel.profile_name.text() == SPEAKER
    assert panel.profile_role.text() == AFFILIATION
    quote = panel.quotes_model.index(0)
    assert IMG in quote.data()
    assert_literal(quote.data(Qt.ItemDataRole.ToolTipRole), IMG, LINK)


def test_window_title_and_dialogs_show_markup_literally(qtbot, window, tmp_path):
    assert TITLE in window.windowTitle()
    about = window.show_about()
    assert about.values["Archive"].text() == f"Archive {BOLD} {IMG}"
    for label in about.findChildren(QLabel):
        if label.text() and label.pixmap().isNull():
            assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
    about.close()
    name = "<b>bold<img src=x.png>.db"  # no "/" in a file name
    bad = tmp_path / name
    bad.write_bytes(b"")
    assert not window.open_archive(bad)
    dialog = window.last_error_dialog
    assert dialog.message_label.textFormat() == Qt.TextFormat.PlainText
    assert name in dialog.message_label.text()
    dialog.close()


def test_no_label_anywhere_renders_archive_markup(qtbot, window):
    panel = window.panel("speakersDock")
    panel.select_speaker(panel.model.speaker(0).id)
    qtbot.waitUntil(lambda: panel._profile is not None, timeout=5000)
    for label in window.findChildren(QLabel):
        if label.textFormat() != Qt.TextFormat.PlainText:
            for literal in MARKUP:
                assert literal not in label.text(), (label.objectName(), label.text())
        assert label.sizeHint().width() < 3000, (label.objectName(), label.sizeHint())


def test_document_details_and_links_from_the_archive(qtbot, window, monkeypatch):
    from viewer.ui.widgets import text as text_helpers

    opened = []
    monkeypatch.setattr(text_helpers.QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    info = window.reader.info
    doc = Document(
        id=99,
        slug="x",
        title=TITLE,
        kind="report",
        date="2020-05",
        url="file:///etc/passwd",
        organiser=f"Org {IMG}",
        source_note=f"Note {LINK}",
    )
    info.set_document(doc, None, None)
    assert info.fields["Organiser"].text() == f"Org {IMG}"
    assert info.fields["Organiser"].textFormat() == Qt.TextFormat.PlainText
    assert info.fields["Web address"].text() == "file:///etc/passwd"
    assert not info.link_button.isEnabled()  # not a web address: never opened
    info.link_button.click()
    assert opened == []


def test_link_confirmation_shows_the_address_as_text(qtbot):
    from PySide6.QtWidgets import QMessageBox

    from viewer.ui.widgets.text import message_box

    url = f"https://example.org/{BOLD}{IMG}"
    box = message_box(
        QMessageBox.Icon.Question,
        "Open link in browser?",
        "Open this address?",
        url,
        QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
    )
    qtbot.addWidget(box)
    labels = {label.objectName(): label for label in box.findChildren(QLabel)}
    informative = labels["qt_msgbox_informativelabel"]
    assert informative.textFormat() == Qt.TextFormat.PlainText and informative.text() == url
    assert labels["qt_msgbox_label"].textFormat() == Qt.TextFormat.PlainText
