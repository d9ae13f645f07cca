"""The Documents dock: grouped by collection, with dates, loaded lazily, choosing shows the document."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from viewer.core.archive import Archive
from viewer.ui.models import documents_model
from viewer.ui.models.documents_model import DocumentsModel
from viewer.ui.models.roles import ID_ROLE, RECORD_ROLE
from viewer.ui.panels.documents_panel import DocumentsPanel


def shown_panel(qtbot, archive, show: bool = True) -> DocumentsPanel:
    """A panel with ``archive``'s list read, on screen unless ``show`` is False (a hidden view reads
    no pages by itself)."""
    p = DocumentsPanel()
    qtbot.addWidget(p)
    p.resize(400, 600)
    if show:
        p.show()
    with qtbot.waitSignal(p.documents_loaded, timeout=5000):
        p.set_archive(archive)
    return p


@pytest.fixture
def panel(qtbot, seed_archive):
    p = shown_panel(qtbot, seed_archive)
    yield p
    p.set_archive(None)


def children(model, parent: QModelIndex) -> list:
    while model.canFetchMore(parent):
        model.fetchMore(parent)
    return [model.index(r, 0, parent) for r in range(model.rowCount(parent))]


def test_model_passes_the_model_tester(qapp, qtmodeltester, seed_archive):
    model = DocumentsModel()
    model.set_archive(seed_archive, seed_archive.collections())
    qtmodeltester.check(model)
    for row in range(model.rowCount()):
        children(model, model.index(row, 0))
    qtmodeltester.check(model)


def test_documents_are_grouped_by_collection_with_dates(panel):
    model = panel.model
    groups = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert groups == [
        "Events (1)",
        "Human rights situation in Kazakhstan (6)",
        "Personal sanctions against human rights violators (4)",
    ]
    events = children(model, model.index(0, 0))
    assert events[0].data() == "Addressing human rights abuses in Kazakhstan: a need for the EU response"
    assert events[0].siblingAtColumn(1).data() == "25 March 2021"
    reports = children(model, model.index(1, 0))
    dates = [i.siblingAtColumn(1).data() for i in reports]
    assert "December 2020 – January 2021" in dates
    assert all(not i.data(RECORD_ROLE).has_text for i in reports)
    tip = reports[0].data(Qt.ItemDataRole.ToolTipRole)
    assert "not in this archive" in tip


def test_collections_are_expanded_and_the_tree_is_shown(panel):
    assert panel.stack.currentWidget() is panel.tree
    for row in range(panel.model.rowCount()):
        assert panel.tree.isExpanded(panel.model.index(row, 0))


def test_choosing_a_document_asks_the_reader_to_show_it(qtbot, panel):
    model = panel.model
    report = children(model, model.index(1, 0))[2]
    with qtbot.waitSignal(panel.document_requested) as blocker:
        panel.tree.setCurrentIndex(report)
    assert blocker.args == [report.data(ID_ROLE)]


def test_group_rows_are_not_documents(qtbot, panel):
    with qtbot.assertNotEmitted(panel.document_requested):
        panel.tree.setCurrentIndex(panel.model.index(0, 0))


def test_following_the_reader_does_not_echo_back(qtbot, panel, seed_archive):
    doc = seed_archive.document(7)
    with qtbot.assertNotEmitted(panel.document_requested):
        panel.set_current_document(doc)
    assert panel.current_document().id == 7


def test_following_the_reader_before_the_list_is_read(qtbot, seed_archive):
    p = DocumentsPanel()
    qtbot.addWidget(p)
    with qtbot.waitSignal(p.documents_loaded, timeout=5000):
        p.set_archive(seed_archive)
        p.set_current_document(seed_archive.document(9))  # still loading: remembered
    assert p.current_document().id == 9
    p.set_archive(None)


def test_documents_load_a_page_at_a_time(qtbot, seed_archive, monkeypatch, qtmodeltester):
    monkeypatch.setattr(documents_model, "PAGE", 2)
    model = DocumentsModel()
    model.set_archive(seed_archive, seed_archive.collections())
    parent = model.index(1, 0)
    assert model.rowCount(parent) == 0 and model.hasChildren(parent) and model.canFetchMore(parent)
    model.fetchMore(parent)
    assert model.rowCount(parent) == 2
    qtmodeltester.check(model)
    doc = seed_archive.document(7)
    index = model.document_index(doc)  # loads pages until it is found
    assert index.data(ID_ROLE) == 7 and model.rowCount(parent) == 6


def test_a_document_far_past_the_rows_read_is_not_looked_for(seed_archive, monkeypatch):
    """Past ``SEEK_ROWS`` unread rows the model does not read its way to a document (on a big archive
    following the reader that way took seconds on the UI thread)."""
    monkeypatch.setattr(documents_model, "PAGE", 1)
    monkeypatch.setattr(documents_model, "SEEK_ROWS", 1)
    model = DocumentsModel()
    model.set_archive(seed_archive, seed_archive.collections())
    name = "Human rights situation in Kazakhstan"
    listed = seed_archive.documents_in(name)
    parent = model.group_index(model.group_row(name))
    assert model.document_index(listed[0]).data(ID_ROLE) == listed[0].id and model.rowCount(parent) == 1
    assert not model.document_index(listed[3]).isValid() and model.rowCount(parent) == 1  # nothing read
    assert model.document_index(listed[1]).data(ID_ROLE) == listed[1].id and model.rowCount(parent) == 2


def test_following_the_reader_out_of_reach_leaves_no_row_current(qtbot, seed_archive, monkeypatch):
    monkeypatch.setattr(documents_model, "PAGE", 1)
    monkeypatch.setattr(documents_model, "SEEK_ROWS", 0)
    p = shown_panel(qtbot, seed_archive, show=False)
    try:
        name = "Human rights situation in Kazakhstan"
        listed = seed_archive.documents_in(name)
        parent = p.model.group_index(p.model.group_row(name))
        if not p.model.rowCount(parent):
            p.model.fetchMore(parent)
        p.set_current_document(listed[0])
        assert p.current_document().id == listed[0].id
        read = p.model.rowCount(parent)
        assert read < len(listed)
        with qtbot.assertNotEmitted(p.document_requested):
            p.set_current_document(listed[read])
        assert p.current_document() is None and not p.tree.selectionModel().hasSelection()
    finally:
        p.set_archive(None)


def test_a_big_archive_lists_its_documents_in_rows_of_one_height(qtbot, seed_archive, monkeypatch):
    """More documents than EXPAND_ALL_UP_TO: one row height, room for two title lines, so the view
    measures one row instead of every row it has read."""
    from PySide6.QtGui import QFontMetrics

    from viewer.ui.panels import documents_panel

    monkeypatch.setattr(documents_panel, "EXPAND_ALL_UP_TO", 5)  # the seed's 11 documents count as many
    p = shown_panel(qtbot, seed_archive)
    try:
        assert p.tree.uniformRowHeights()
        events = p.model.index(0, 0)
        assert p.tree.isExpanded(events) and not p.tree.isExpanded(p.model.index(1, 0))  # no text: closed
        doc = p.model.index(0, 0, events)
        line = QFontMetrics(p.tree.font()).lineSpacing()
        height = p.tree.visualRect(doc).height()
        assert height >= 2 * line + QFontMetrics(p.tree.font()).lineSpacing() * 0.8
        assert p.tree.visualRect(events).height() == height
        p.tree.expand(p.model.index(1, 0))
        qtbot.waitUntil(lambda: p.model.rowCount(p.model.index(1, 0)) > 0)
        short = p.model.index(0, 0, p.model.index(1, 0))
        assert p.tree.visualRect(short).height() == height
    finally:
        p.set_archive(None)
    monkeypatch.setattr(documents_panel, "EXPAND_ALL_UP_TO", 300)
    small = shown_panel(qtbot, seed_archive)
    assert not small.tree.uniformRowHeights()
    small.set_archive(None)


def test_documents_in_no_collection_come_last(qtbot, make_archive):
    path = make_archive(
        {"a.txt": "Some text here.\n", "b.txt": "Other text.\n"}, documents=[{"collection": "Meetings"}, {}]
    )
    archive = Archive(path)
    try:
        model = DocumentsModel()
        model.set_archive(archive, archive.collections())
        assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["Meetings (1)", "Other documents (1)"]
    finally:
        archive.close()


def test_no_archive_and_empty_states(qtbot):
    p = DocumentsPanel()
    qtbot.addWidget(p)
    assert p.stack.currentWidget() is p.status and "No archive" in p.status.text()
    p.set_archive(None)
    assert p.model.rowCount() == 0


def test_a_rows_height_counts_the_title_lines_it_draws(panel):
    """The row height is measured without breaking the title, and matches the lines drawn."""
    from PySide6.QtGui import QFont

    delegate = panel.tree.itemDelegateForColumn(0)
    font = QFont(panel.tree.font())
    titles = [
        "Report",
        "A short title",
        "Addressing human rights abuses in Kazakhstan: a need for the EU response",
        "Word " * 40,
        "Averyveryverylongsingleword" * 5,
        "",
        "  spaced   out  title  ",
    ]
    seen = set()
    for width in (60, 150, 300, 900):
        for title in titles:
            lines = len(delegate._title_lines(title, font, width))
            assert delegate._title_line_count(title, font, width) == lines, (title, width)
            seen.add(lines)
    assert seen == {0, 1, 2}


# ---------------------------------------------------------------------------- order


def titles_in(model, row: int) -> list[str]:
    return [i.data() for i in children(model, model.index(row, 0))]


def test_documents_sorted_by_date_or_title(qtbot, panel, seed_archive, qtmodeltester):
    model = panel.model
    assert [panel.order_combo.itemText(i) for i in range(panel.order_combo.count())] == [
        "As listed",
        "Newest first",
        "Oldest first",
        "By title",
    ]
    reports = 1  # "Human rights situation in Kazakhstan": six reports, dated
    listed = titles_in(model, reports)
    panel.set_order("title")
    by_title = titles_in(model, reports)
    assert by_title == sorted(listed, key=str.casefold) and by_title != listed
    panel.set_order("newest")
    newest = [i.siblingAtColumn(0).data(RECORD_ROLE) for i in children(model, model.index(reports, 0))]
    dates = [d.date for d in newest if d.date]
    assert dates == sorted(dates, reverse=True) and all(d.date for d in newest[: len(dates)])
    panel.set_order("oldest")
    oldest = [i.data(RECORD_ROLE) for i in children(model, model.index(reports, 0))]
    assert [d.date for d in oldest if d.date] == sorted(dates)
    qtmodeltester.check(model)
    from viewer.ui import settings

    assert settings.get_str(settings.DOCUMENTS_ORDER) == "oldest"  # kept for the next start


@pytest.mark.parametrize("order", ["listed", "newest", "oldest", "title"])
def test_the_row_of_a_document_is_counted_in_each_order(seed_archive, order):
    for name, _count, _with_text in seed_archive.collections():
        docs = seed_archive.documents_in(name, order=order)
        assert [seed_archive.document_row(d.id, order) for d in docs] == list(range(len(docs)))
        pages = [d.id for offset in range(0, len(docs), 2) for d in seed_archive.documents_in(name, offset, 2, order)]
        assert pages == [d.id for d in docs]


def test_the_reader_s_document_stays_selected_when_the_order_changes(qtbot, panel, seed_archive):
    doc = seed_archive.documents_in("Human rights situation in Kazakhstan")[2]
    panel.set_current_document(doc)
    panel.set_order("title")
    assert panel.current_document().id == doc.id
