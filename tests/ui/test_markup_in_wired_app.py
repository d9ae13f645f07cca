"""Markup in archive text, speaker names and bookmark notes stays literal in every panel of the wired
app (search, bookmarks, statistics, the citation preview, the import summary), and nothing is loaded."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QLabel

from tests.ui.test_markup_in_archive import (
    BOLD,
    IMG,
    LINK,
    MARKUP,
    SPEAKER,
    TITLE,
    assert_literal,
    has_image,
    hostile_archive,
    render,
)
from viewer.ui.models.search_results_model import SNIPPET
from viewer.ui.models.search_results_model import WHO as SPEAKER_COLUMN

__all__ = ["hostile_archive"]  # the fixture, used below

NOTE = f"note {IMG} {LINK} {BOLD}"
TAG = f"tag{BOLD}"


@pytest.fixture
def services(qtbot, hostile_archive):
    from viewer.app import build

    built = build()
    window = built.window
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.reader.document_loaded, timeout=10_000):
        assert window.open_archive(hostile_archive)
    yield built
    built.close()
    QGuiApplication.clipboard().clear()


def labels_are_safe(widget) -> None:
    """Every label shows markup literally: plain text, or rich text without archive markup in it."""
    for label in widget.findChildren(QLabel):
        if label.textFormat() != Qt.TextFormat.PlainText:
            for literal in MARKUP:
                assert literal not in label.text(), (label.objectName(), label.text())
        assert label.sizeHint().width() < 3000, (label.objectName(), label.sizeHint())


def test_every_panel_shows_archive_markup_literally(qtbot, services, tmp_path):
    window = services.window
    archive = window.archive
    # search: who, where and the snippet
    search = window.dock("searchDock").widget()
    with qtbot.waitSignal(search.results_ready, timeout=10_000):
        search.search("need")
    rows = range(search.model.rowCount())
    quote_row = next(r for r in rows if search.model.hit(r).kind == "quote")
    assert search.model.index(quote_row, SPEAKER_COLUMN).data() == SPEAKER
    assert_literal(search.model.index(quote_row, SPEAKER_COLUMN).data(Qt.ItemDataRole.ToolTipRole), SPEAKER)
    index = search.model.index(quote_row, SNIPPET)
    snippet = search.view.itemDelegateForColumn(SNIPPET).text_layout(index, 4000, 400, search.font())
    assert IMG in snippet.text()  # laid out as plain text: a QTextLayout reads no markup
    search.filters_button.click()
    search.filters.speakers_menu.aboutToShow.emit()  # filled as it opens
    assert SPEAKER.replace("&", "&&") in [a.text() for a in search.filters.speakers_menu.actions()]
    assert TITLE in [search.filters.scope_combo.itemText(i) for i in range(search.filters.scope_combo.count())]
    # bookmarks: the quote with a hostile note and tag
    controller = services.controller
    quote = next(q for q in archive.quotes() if IMG in q.text)
    saved = controller.add_quote(quote.id, ask=False)
    assert controller.edit(saved.id, note=NOTE, tags=[TAG])
    bookmarks = window.ensure_panel("bookmarksDock")
    model = bookmarks.model
    texts = {model.index(0, c).data() for c in range(model.columnCount())}
    assert NOTE in texts and any(IMG in (t or "") for t in texts)
    for column in range(model.columnCount()):
        tip = model.index(0, column).data(Qt.ItemDataRole.ToolTipRole)
        if tip:
            assert not has_image(render(tip))
    for combo in bookmarks.findChildren(QComboBox):
        if hasattr(combo, "ensure"):
            combo.ensure()  # what opening the list shows
        for i in range(combo.count()):
            tip = combo.itemData(i, Qt.ItemDataRole.ToolTipRole)
            if tip:
                assert not has_image(render(tip))
    assert SPEAKER in [bookmarks.speaker_combo.itemText(i) for i in range(bookmarks.speaker_combo.count())]
    # the popup of an existing bookmark
    from viewer.ui.dialogs.bookmark_dialog import BookmarkDialog

    popup = BookmarkDialog(window, controller.bookmark(saved.id))
    labels_are_safe(popup)
    assert popup.note.toPlainText() == NOTE
    popup.close()
    # the reader draws the bookmark over the literal text
    assert any(IMG in sel.cursor.selectedText() for sel in window.reader.view.layer("marks:bookmarks"))
    # the citation template's preview
    dialog = window.edit_citation_template()
    assert dialog.preview_label.textFormat() == Qt.TextFormat.PlainText
    assert SPEAKER in dialog.preview_label.text()
    dialog.close()
    # statistics
    statistics = window.ensure_panel("statisticsDock")
    qtbot.waitUntil(lambda: statistics.report() is not None, timeout=20_000)
    speakers = statistics.tab("speakers").model
    assert SPEAKER in [speakers.index(r, 1).data() for r in range(speakers.rowCount())]
    assert all(SPEAKER not in c for c in statistics.tab("speakers").chart.categories())  # escaped for QtCharts
    # nothing anywhere in the window renders archive markup
    labels_are_safe(window)
    for view in window.findChildren(QAbstractItemView):
        model = view.model()
        if model is None:
            continue
        for r in range(min(model.rowCount(QModelIndex()), 50)):
            c = 0
            while (index := model.index(r, c)).isValid():  # list models hide columnCount
                tip = index.data(Qt.ItemDataRole.ToolTipRole)
                if isinstance(tip, str) and tip:
                    assert not has_image(render(tip)), (view.objectName(), tip)
                c += 1


def test_the_import_summary_shows_a_hostile_title_literally(qtbot, services, tmp_path):
    window = services.window
    hostile = tmp_path / "hostile report.md"
    hostile.write_text(
        f"# Meeting {BOLD} {IMG}\n\nOn 3 May 2021, Jan Kowal, a lawyer, said that “{LINK} is not a link”.\n",
        encoding="utf-8",
    )
    with qtbot.waitSignal(window.archive_opened, timeout=30_000):
        dialog = window.imports.import_files([hostile])
    assert dialog.report.documents
    labels_are_safe(dialog)
    assert IMG in dialog.heading.text() or IMG in dialog.details.toPlainText()
    assert dialog.details.toPlainText() and dialog.heading.textFormat() == Qt.TextFormat.PlainText
    dialog.close()
    labels_are_safe(window)
