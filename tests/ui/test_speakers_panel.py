"""The Speakers dock: counts, filter, sorting, profile, and the speaker's passages one by one."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.conftest import SEED_SPEAKERS
from viewer.core.records import Speaker
from viewer.ui import settings
from viewer.ui.models.profile_models import EventRolesModel, SpeakerQuotesModel
from viewer.ui.models.roles import RECORD_ROLE
from viewer.ui.models.speakers_model import NAME, ORDER, PASSAGES, QUOTES, WORDS, SpeakersFilterModel, SpeakersModel
from viewer.ui.panels.speakers_panel import SpeakersPanel, load_profile


@pytest.fixture
def panel(qtbot, seed_archive):
    p = SpeakersPanel()
    qtbot.addWidget(p)
    p.resize(520, 700)
    p.show()
    with qtbot.waitSignal(p.proxy.modelReset, timeout=5000):
        p.set_archive(seed_archive)
    qtbot.waitUntil(lambda: p.model.rowCount() == 8)
    yield p
    p.set_archive(None)


def names(p: SpeakersPanel) -> list[str]:
    return [p.proxy.index(r, NAME).data() for r in range(p.proxy.rowCount())]


def select(qtbot, p: SpeakersPanel, name: str) -> Speaker:
    speaker = next(p.model.speaker(r) for r in range(p.model.rowCount()) if p.model.speaker(r).name == name)
    with qtbot.waitSignal(p.speaker_highlighted):
        p.select_speaker(speaker.id)
    qtbot.waitUntil(lambda: p._profile is not None and p._profile.speaker.id == speaker.id, timeout=5000)
    return speaker


def test_models_pass_the_model_tester(qapp, qtmodeltester, seed_archive):
    model = SpeakersModel()
    model.set_speakers(seed_archive.speakers())
    qtmodeltester.check(model)
    proxy = SpeakersFilterModel()
    proxy.setSourceModel(model)
    proxy.sort(WORDS, Qt.SortOrder.DescendingOrder)
    proxy.set_filter_text("human rights")
    qtmodeltester.check(proxy)
    profile = load_profile(seed_archive, 7)
    quotes = SpeakerQuotesModel()
    quotes.set_quotes(7, profile.quotes)
    qtmodeltester.check(quotes)
    roles = EventRolesModel()
    roles.set_roles(profile.roles)
    qtmodeltester.check(roles)


def test_a_profiles_lists_show_a_page_at_a_time(qapp, qtmodeltester, seed_archive, monkeypatch):
    """A speaker of a big archive has thousands of quotes and events: the lists grow as they are scrolled."""
    from viewer.ui.models import profile_models

    monkeypatch.setattr(profile_models._PagedRowsModel, "PAGE", 2)
    profile = load_profile(seed_archive, 7)
    quotes = SpeakerQuotesModel()
    quotes.set_quotes(7, profile.quotes * 3)  # more than a page
    assert quotes.rowCount() == 2 and quotes.canFetchMore()
    assert quotes.quote(2) is None and quotes.index(1, 0).data(RECORD_ROLE) == profile.quotes[1 % len(profile.quotes)]
    quotes.fetchMore()
    assert quotes.rowCount() == 4 and quotes.quote(2) is not None
    while quotes.canFetchMore():
        quotes.fetchMore()
    assert quotes.rowCount() == 3 * len(profile.quotes)
    qtmodeltester.check(quotes)
    roles = EventRolesModel()
    roles.set_roles(profile.roles * 3)
    assert roles.rowCount() == min(2, 3 * len(profile.roles))
    qtmodeltester.check(roles)


def test_columns_and_counts(panel, seed_archive):
    headers = [panel.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(panel.proxy.columnCount())]
    assert headers == ["#", "Name", "Role / affiliation", "Passages", "Quotes", "Words"]
    burian = next(r for r in range(panel.proxy.rowCount()) if panel.proxy.index(r, NAME).data() == "Peter Burian")
    row = [panel.proxy.index(burian, c).data() for c in range(panel.proxy.columnCount())]
    assert row == ["3", "Peter Burian", "EU Special Representative for Central Asia", "2", "2", "161"]
    assert panel.count_label.text() == "8 speakers · select one for their profile"


def test_default_order_is_order_of_appearance(panel):
    assert names(panel) == SEED_SPEAKERS
    assert panel.table.horizontalHeader().sortIndicatorSection() == ORDER


def test_columns_sort_numbers_as_numbers_and_back(panel):
    panel.table.sortByColumn(WORDS, Qt.SortOrder.DescendingOrder)
    words = [int(panel.proxy.index(r, WORDS).data().replace(",", "")) for r in range(8)]
    assert words == sorted(words, reverse=True)
    panel.table.sortByColumn(QUOTES, Qt.SortOrder.DescendingOrder)
    assert panel.proxy.index(0, QUOTES).data() == "3"
    panel.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
    assert names(panel)[0] == "Anna Shukeyeva"
    panel.table.sortByColumn(ORDER, Qt.SortOrder.AscendingOrder)
    assert names(panel) == SEED_SPEAKERS


def test_filter_ignores_case_and_diacritics_and_looks_at_roles(qtbot, panel):
    qtbot.keyClicks(panel.filter_edit, "austrevicius")
    assert names(panel) == ["Petras Auštrevičius"]
    assert panel.count_label.text().startswith("1 of 8 speakers")
    panel.filter_edit.clear()
    qtbot.keyClicks(panel.filter_edit, "REPUBBLICA")
    assert names(panel) == ["Rosalba Castelletti"]
    panel.filter_edit.setText("human rights")
    assert set(names(panel)) >= {"Yevgeniy Zhovtis", "Anna Shukeyeva", "Bota Jardemalie"}
    panel.filter_edit.setText("nobody at all")
    assert names(panel) == []
    panel.filter_edit.clear()
    assert len(names(panel)) == 8


def test_selecting_shows_the_profile_and_highlights(qtbot, panel):
    seen = []
    panel.speaker_highlighted.connect(seen.append)
    speaker = select(qtbot, panel, "Rosalba Castelletti")
    assert seen[-1] == speaker.id
    assert panel.profile_stack.currentWidget() is panel._profile_page
    assert panel.profile_name.text() == "Rosalba Castelletti"
    assert panel.profile_role.text() == "journalist at La Repubblica"
    assert panel.profile_counts.text() == "3 passages · 3 direct quotes · 254 words"
    roles = [panel.roles_model.index(r).data() for r in range(panel.roles_model.rowCount())]
    assert roles == [
        "panelist in “Addressing human rights abuses in Kazakhstan: a need for the EU response” (25 March 2021)"
    ]
    quotes = [panel.quotes_model.index(r).data() for r in range(panel.quotes_model.rowCount())]
    assert len(quotes) == 4
    tips = [panel.quotes_model.index(r).data(Qt.ItemDataRole.ToolTipRole) for r in range(4)]
    assert any("relayed by Rosalba Castelletti" in t for t in tips)  # names keep their capitals
    relayed = [q for q in quotes if "relayed" in q]
    assert relayed == [
        "“We live in a prison called Kazakhstan”\n    (said by six brave women who shaved their head, "
        "relayed by Rosalba Castelletti)"
    ]
    assert panel.quotes_label.text() == "Quotes (3 said, 1 relayed)"


def test_clearing_the_selection_clears_the_highlight(qtbot, panel):
    select(qtbot, panel, "Peter Burian")
    with qtbot.waitSignal(panel.speaker_highlighted) as blocker:
        panel.table.selectionModel().clearCurrentIndex()
    assert blocker.args == [None]
    assert panel.profile_stack.currentWidget() is panel.profile_hint


def test_next_and_previous_passage_of_the_speaker(qtbot, panel, seed_archive):
    speaker = select(qtbot, panel, "Anna Shukeyeva")
    ids = seed_archive.passage_ids(speaker_id=speaker.id)
    assert len(ids) == 3
    assert not panel.prev_button.isEnabled() and panel.next_button.isEnabled()
    got = []
    panel.passage_requested.connect(lambda pid, highlights: got.append((pid, highlights)))
    panel.next_button.click()
    panel.next_button.click()
    panel.next_button.click()
    assert not panel.next_button.isEnabled()
    assert panel.position_label.text() == "Passage 3 of 3"
    panel.prev_button.click()
    assert got == [(ids[0], None), (ids[1], None), (ids[2], None), (ids[1], None)]


def test_double_click_jumps_to_the_first_passage(qtbot, panel, seed_archive):
    row = names(panel).index("Luca Anceschi")
    index = panel.proxy.index(row, NAME)
    rect = panel.table.visualRect(index)
    with qtbot.waitSignal(panel.passage_requested, timeout=5000) as blocker:
        qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [seed_archive.passage_ids(speaker_id=8)[0], None]


def test_a_quote_in_the_profile_opens_in_the_reader(qtbot, panel, seed_archive):
    select(qtbot, panel, "Peter Burian")
    index = panel.quotes_model.index(0)
    with qtbot.waitSignal(panel.quote_requested) as blocker:
        panel.quotes_view.activated.emit(index)
    assert blocker.args == [index.data(RECORD_ROLE).id]
    with qtbot.waitSignal(panel.document_requested) as blocker:
        panel.roles_view.activated.emit(panel.roles_model.index(0))
    assert blocker.args == [1]


def test_select_speaker_clears_a_filter_that_hides_them(qtbot, panel):
    panel.filter_edit.setText("Burian")
    speaker = select(qtbot, panel, "Luca Anceschi")
    assert panel.filter_edit.text() == ""
    assert panel.selected_speaker() == speaker.id


def test_only_this_document(qtbot, panel, seed_archive, make_archive):
    doc = seed_archive.document(1)
    panel.set_current_document(doc)
    with qtbot.waitSignal(panel.proxy.modelReset, timeout=5000):
        panel.this_document.setChecked(True)
    qtbot.waitUntil(lambda: not panel.is_loading())
    assert len(names(panel)) == 8
    assert settings.get_bool(settings.SPEAKERS_THIS_DOCUMENT) is True
    report = seed_archive.document(5)  # no text: no speakers to list
    panel.set_current_document(report)
    assert panel.model.rowCount() == 0
    assert "no document with text" in panel.count_label.text()
    with qtbot.waitSignal(panel.proxy.modelReset, timeout=5000):
        panel.this_document.setChecked(False)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 8)


def test_settings_keep_the_splitter(qtbot, panel):
    panel.splitter.setSizes([100, 500])
    sizes = panel.splitter.sizes()
    panel.save_settings()
    other = SpeakersPanel()
    qtbot.addWidget(other)
    other.resize(panel.size())
    other.show()
    other.restore_settings()
    assert other.splitter.sizes() == sizes


def test_no_archive(qtbot):
    p = SpeakersPanel()
    qtbot.addWidget(p)
    assert not p.filter_edit.isEnabled() and p.model.rowCount() == 0
    p.set_archive(None)
    assert "No archive" in p.count_label.text()


# ---------------------------------------------------------------------------- narrow docks


@pytest.mark.parametrize("width", [230, 300, 420, 620])
def test_names_are_readable_and_numbers_whole_at_any_width(qtbot, panel, width):
    panel.resize(width, 600)
    qtbot.waitUntil(lambda: panel.width() == max(width, panel.minimumSizeHint().width()), timeout=2000)
    table, metrics = panel.table, panel.table.horizontalHeader().fontMetrics()
    longest = max(metrics.horizontalAdvance(panel.proxy.index(r, NAME).data()) for r in range(8))
    assert table.columnWidth(NAME) >= min(longest, metrics.horizontalAdvance("0") * 14)
    assert not table.isColumnHidden(WORDS)
    for col in (ORDER, PASSAGES, QUOTES, WORDS):  # a number shown is shown whole, with its header
        if not table.isColumnHidden(col):
            widest = max(metrics.horizontalAdvance(panel.proxy.index(r, col).data()) for r in range(8))
            header = metrics.horizontalAdvance(panel.proxy.headerData(col, Qt.Orientation.Horizontal))
            assert table.columnWidth(col) >= max(widest, header) + 8, col
    shown = sum(table.columnWidth(c) for c in range(6) if not table.isColumnHidden(c))
    assert shown <= table.viewport().width() + 1  # no column runs off the side
    if width >= 620:
        assert not any(table.isColumnHidden(c) for c in (PASSAGES, QUOTES))


def test_the_profile_takes_room_only_once_a_speaker_is_selected(qtbot, panel, seed_archive):
    assert not panel.profile_scroll.isVisible()  # the table has the whole dock
    assert panel.table.height() > 400
    panel.select_speaker(seed_archive.find_speakers("Burian")[0].id)
    qtbot.waitUntil(
        lambda: panel.profile_scroll.isVisible() and panel.profile_name.text() == "Peter Burian", timeout=5000
    )
    panel.table.selectionModel().clear()
    panel.table.setCurrentIndex(panel.proxy.index(-1, 0))
    qtbot.waitUntil(lambda: not panel.profile_scroll.isVisible(), timeout=5000)
