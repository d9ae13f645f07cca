"""The search panel: search as you type, newest query wins, filters, hit navigation, history, messages."""

from __future__ import annotations

import os
import threading

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QApplication

from tests.conftest import process_gone
from viewer.core import search_service
from viewer.core.archive import Archive
from viewer.core.query import EMPTY_HINT, NEGATIVE_ONLY_HINT
from viewer.core.search import TIMEOUT_MESSAGE, Search, SearchOptions
from viewer.ui.models.search_results_model import HIT_ROLE, SNIPPET, SearchResultsModel
from viewer.ui.panels.search_panel import NO_WORDS_HINT, SearchPanel
from viewer.ui.settings import SEARCH_HISTORY


@pytest.fixture
def panel(qtbot, seed_archive):
    p = SearchPanel()
    qtbot.addWidget(p)
    p.set_archive(seed_archive)
    yield p
    p.set_archive(None)
    p._runner.wait(5000)


def wait_for(qtbot, panel, text, timeout=5000):
    """Search ``text`` as if typed and Enter pressed; return the SearchResult shown."""
    with qtbot.waitSignal(panel.results_ready, timeout=timeout) as blocker:
        panel.search(text)
    return blocker.args[0]


def test_typing_searches_as_you_type(qtbot, panel):
    started = []
    panel.search_started.connect(started.append)
    with qtbot.waitSignal(panel.results_ready, check_params_cb=lambda r: r.query == "sanctions", timeout=5000):
        qtbot.keyClicks(panel.query_edit, "sanctions")
    # one search once the typing paused, not one per key
    assert started == ["sanctions"]
    assert panel.model.rowCount() == 13  # one row per place
    assert panel.status_label.text().startswith("13 results")
    first = panel.model.index(0, 0).data(HIT_ROLE)
    assert first.kind == "quote" and first.text.startswith("sanctions would be")


def test_typing_waits_for_a_pause_then_searches_the_whole_text(qtbot, panel):
    started = []
    panel.search_started.connect(started.append)
    qtbot.keyClicks(panel.query_edit, "Kaz")
    qtbot.keyClicks(panel.query_edit, "akh")
    assert started == []  # still typing
    qtbot.waitUntil(lambda: started == ["Kazakh"], timeout=3000)
    qtbot.waitUntil(lambda: not panel._runner.is_busy("search"), timeout=5000)
    assert started == ["Kazakh"]  # nothing more once the text stopped changing


def test_enter_searches_at_once_and_is_remembered(qtbot, panel):
    with qtbot.waitSignal(panel.results_ready, timeout=5000):
        panel.query_edit.setText("Castelleti")
        qtbot.keyClick(panel.query_edit, Qt.Key.Key_Return)
    assert "also searched: Castelletti" in panel.status_label.text()
    assert QSettings().value(SEARCH_HISTORY) in (["Castelleti"], "Castelleti")
    assert panel.history() == ["Castelleti"]


def test_stale_results_are_dropped(qtbot, panel, monkeypatch):
    release = threading.Event()
    original = Search.run

    def slow_for_prison(self, text, options=None):
        if text == "prison":
            release.wait(5)
        return original(self, text, options)

    monkeypatch.setattr(Search, "run", slow_for_prison)
    shown = []
    panel.results_ready.connect(shown.append)
    panel.search("prison")
    qtbot.waitUntil(lambda: panel._runner.is_busy("search"))
    with qtbot.waitSignal(panel.results_ready, timeout=5000):
        panel.search("Magnitsky")
        release.set()
    panel._runner.wait(5000)
    QApplication.processEvents()
    assert [r.query for r in shown] == ["Magnitsky"]
    assert {panel.model.index(r, 0).data(HIT_ROLE).passage_id for r in range(panel.model.rowCount())} == {32, 33, 34}


@pytest.mark.parametrize(
    "text, hint",
    [
        ("", NO_WORDS_HINT),
        ("   ", NO_WORDS_HINT),
        ('""', EMPTY_HINT),
        ("()", EMPTY_HINT),
        ("-regime", NEGATIVE_ONLY_HINT),
    ],
)
def test_hint_for_nothing_to_search(qtbot, panel, text, hint):
    wait_for(qtbot, panel, "sanctions")
    started = []
    panel.search_started.connect(started.append)
    result = wait_for(qtbot, panel, text)
    assert result.hint == hint and started == []
    assert panel.model.rowCount() == 0 and panel.status_label.text() == hint


def test_malformed_text_is_searched_as_words(qtbot, panel):
    result = wait_for(qtbot, panel, '"human rights')
    assert result.total > 0 and "unclosed quote" in panel.status_label.text()


def test_time_out_is_a_message_not_a_crash(qtbot, panel):
    panel.timeout_ms = 0
    result = wait_for(qtbot, panel, "sanctions")
    assert result.message == TIMEOUT_MESSAGE
    assert panel.status_label.text() == TIMEOUT_MESSAGE and panel.model.rowCount() == 0


def test_archive_errors_are_shown_plainly(qtbot, panel, monkeypatch):
    from viewer.core.db import ArchiveDamaged

    def damaged(self, text, options=None):
        raise ArchiveDamaged("The archive “x.db” is damaged and cannot be read.", "details")

    monkeypatch.setattr(Search, "run", damaged)
    panel.search("sanctions")
    qtbot.waitUntil(lambda: "damaged" in panel.status_label.text(), timeout=5000)
    assert panel.model.rowCount() == 0


# ---------------------------------------------------------------------------- filters


def test_filters(qtbot, panel, seed_archive):
    wait_for(qtbot, panel, "sanctions")
    panel.filters_button.click()
    assert panel.filters.isVisibleTo(panel)

    with qtbot.waitSignal(panel.results_ready, timeout=5000) as blocker:
        panel.filters.quotes_only_check.setChecked(True)
    assert blocker.args[0].total == 4 and all(panel.model.hit(r).kind == "quote" for r in range(4))

    castelletti = seed_archive.find_speakers("Castelletti")[0]
    panel.filters.speakers_menu.aboutToShow.emit()  # filled as it opens
    action = next(a for a in panel.filters.speakers_menu.actions() if a.data() == castelletti.id)
    with qtbot.waitSignal(panel.results_ready, timeout=5000) as blocker:
        action.setChecked(True)
    assert blocker.args[0].total == 1 and panel.filters.speakers_button.text() == "Rosalba Castelletti"
    assert panel.options().speakers == (castelletti.id,)

    with qtbot.waitSignal(panel.results_ready, timeout=5000):
        panel.set_speakers([])
        panel.filters.quotes_only_check.setChecked(False)
    with qtbot.waitSignal(panel.results_ready, timeout=5000) as blocker:
        panel.order_combo.setCurrentIndex(panel.order_combo.findData("document"))
    ids = [panel.model.hit(r).passage_id for r in range(panel.model.rowCount())]
    assert ids == sorted(ids)

    with qtbot.waitSignal(panel.results_ready, timeout=5000) as blocker:
        panel.filters.from_edit.setText("2022")
        panel.filters.from_edit.editingFinished.emit()
    assert blocker.args[0].total == 0 and panel.model.rowCount() == 0

    with qtbot.waitSignal(panel.results_ready, timeout=5000) as blocker:
        panel.filters.from_edit.setText("March 2021")
        panel.filters.from_edit.editingFinished.emit()
    assert blocker.args[0].total == 13

    scope = panel.filters.scope_combo.findText("Collection: Personal sanctions against human rights violators")
    with qtbot.waitSignal(panel.results_ready, timeout=5000) as blocker:
        panel.filters.scope_combo.setCurrentIndex(scope)
    assert blocker.args[0].total == 0
    doc = seed_archive.document("addressing-human-rights-abuses-in-kazakhstan")
    with qtbot.waitSignal(panel.results_ready, timeout=5000) as blocker:
        panel.set_scope("document", doc.id)
    assert blocker.args[0].total == 13 and panel.options().documents == (doc.id,)

    with qtbot.waitSignal(panel.results_ready, timeout=5000) as blocker:
        panel.filters.exact_check.setChecked(True)
        panel.query_edit.setText("Austrevicius")
        panel._on_query_return_pressed()
    assert [panel.model.hit(r).passage_id for r in range(panel.model.rowCount())] == [22]


def test_a_bad_date_is_ignored_and_said(qtbot, panel):
    panel.filters.from_edit.setText("someday")
    panel.filters.from_edit.editingFinished.emit()
    assert "Not a date" in panel.filters.from_edit.toolTip() and panel.options().date_from is None


# ---------------------------------------------------------------------------- hits


def test_clicking_a_result_opens_its_passage_with_highlights(qtbot, panel):
    panel.resize(900, 600)
    panel.show()
    qtbot.waitExposed(panel)
    wait_for(qtbot, panel, "Nazarbayev")
    hit = panel.model.hit(1)
    rect = panel.view.visualRect(panel.model.index(1, 0))
    with qtbot.waitSignal(panel.hit_requested, timeout=2000) as blocker:
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [hit.passage_id, list(hit.highlights)]
    assert panel.current_row() == 1


def test_next_and_previous_hit(qtbot, panel):
    wait_for(qtbot, panel, "Magnitsky")
    hits = [panel.model.hit(r) for r in range(panel.model.rowCount())]
    assert len(hits) == 3
    seen = []
    panel.hit_requested.connect(lambda pid, highlights: seen.append((pid, highlights)))
    for _ in range(4):
        panel.next_hit()
    panel.previous_hit()
    panel.previous_hit()
    order = [h.passage_id for h in hits]
    assert [pid for pid, _h in seen] == order + [order[0], order[2], order[1]]
    assert seen[0][1] == list(hits[0].highlights)
    assert panel.view.currentIndex().row() == 1


def test_f3_and_shift_f3(qtbot, panel):
    keys = {s.key().toString() for s in panel.findChildren(QShortcut)}
    assert {"F3", "Shift+F3"} <= keys
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is panel, timeout=2000)
    wait_for(qtbot, panel, "Magnitsky")
    with qtbot.waitSignal(panel.hit_requested, timeout=2000) as blocker:
        qtbot.keyClick(panel.view, Qt.Key.Key_F3)
    assert blocker.args[0] == panel.model.hit(0).passage_id
    with qtbot.waitSignal(panel.hit_requested, timeout=2000) as blocker:
        qtbot.keyClick(panel.view, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert blocker.args[0] == panel.model.hit(2).passage_id


def test_focus_query(qtbot, panel):
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    panel.query_edit.setText("sanctions")
    panel.view.setFocus()
    panel.focus_query()
    qtbot.waitUntil(panel.query_edit.hasFocus, timeout=2000)
    assert panel.query_edit.selectedText() == "sanctions"


# ---------------------------------------------------------------------------- history


def test_history_is_kept_newest_first_and_offered(qtbot, panel, seed_archive):
    for text in ("sanctions", "Magnitsky", "sanctions", "   ", '""'):
        wait_for(qtbot, panel, text)
    assert panel.history() == ["sanctions", "Magnitsky"]
    other = SearchPanel()
    qtbot.addWidget(other)
    assert other.history() == ["sanctions", "Magnitsky"]
    assert other.completer.model().stringList() == ["sanctions", "Magnitsky"]
    other.completer.setCompletionPrefix("mag")
    assert other.completer.currentCompletion() == "Magnitsky"


def test_history_survives_a_bad_setting(qtbot):
    QSettings().setValue(SEARCH_HISTORY, 42)
    p = SearchPanel()
    qtbot.addWidget(p)
    assert p.history() == []


# ---------------------------------------------------------------------------- model and delegate


def test_results_model_passes_the_model_tester(qtbot, qtmodeltester, panel):
    wait_for(qtbot, panel, "Kazakhstan")
    qtmodeltester.check(panel.model)
    empty = SearchResultsModel()
    qtmodeltester.check(empty)


def test_results_load_more_as_needed(qtbot, qtmodeltester, panel):
    panel.page_size = 5
    result = wait_for(qtbot, panel, "Kazakhstan")
    total = result.total
    assert panel.model.rowCount() == 5 and panel.model.has_more()
    while True:
        qtbot.waitUntil(lambda: not panel.model.fetching, timeout=5000)
        if not panel.model.has_more():
            break
        before = panel.model.rowCount()
        panel.model.load_more()
        qtbot.waitUntil(lambda: panel.model.rowCount() > before, timeout=5000)
    assert panel.model.rowCount() == total
    whole = Search(panel._archive).run("Kazakhstan", SearchOptions(limit=100))
    assert [panel.model.hit(r).key for r in range(total)] == [h.key for h in whole.hits]
    qtmodeltester.check(panel.model)


def test_more_results_are_loaded_when_scrolled_to_the_end_never_on_their_own(qtbot, panel):
    """The view lays itself out again and again; that alone must not load page after page."""
    panel.page_size = 8
    panel.resize(700, 300)
    panel.show()
    qtbot.waitExposed(panel)
    result = wait_for(qtbot, panel, "Kazakhstan")
    assert result.total > 16
    requested = []
    panel.model.more_requested.connect(requested.append)
    for _ in range(5):
        panel.view.doItemsLayout()
        qtbot.wait(20)
    assert requested == [] and panel.model.rowCount() == 8
    bar = panel.view.verticalScrollBar()
    assert bar.maximum() > 0  # the page more than fills the view
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: panel.model.rowCount() == 16, timeout=5000)
    assert requested == [8]


def test_next_hit_at_the_end_loads_more(qtbot, panel):
    panel.page_size = 3
    wait_for(qtbot, panel, "Kazakhstan")
    qtbot.waitUntil(lambda: not panel._runner.is_busy("search"), timeout=5000)
    rows = panel.model.rowCount()
    for _ in range(rows):
        panel.next_hit()
    with qtbot.waitSignal(panel.hit_requested, timeout=5000) as blocker:
        panel.next_hit()
    assert panel.model.rowCount() > rows and blocker.args[0] == panel.model.hit(rows).passage_id


def test_archive_text_is_never_markup(qtbot, make_archive):
    path = make_archive({"markup.txt": 'Ana Lopez: The page said <img src="file:///etc/passwd"> and <b>bold</b>.\n'})
    archive = Archive(path)
    p = SearchPanel()
    qtbot.addWidget(p)
    p.set_archive(archive)
    try:
        wait_for(qtbot, p, "img")
        index = p.model.index(0, SNIPPET)
        # the snippet is drawn as plain text (a QTextLayout), its match highlighted by a format
        layout = p.view.itemDelegateForColumn(SNIPPET).text_layout(index, 2000, 200, p.font())
        assert 'said <img src="file:///etc/passwd"> and <b>bold</b>' in layout.text()
        (mark,) = layout.formats()
        assert layout.text()[mark.start : mark.start + mark.length] == "img"
        assert "<img" not in index.data(Qt.ItemDataRole.ToolTipRole)
        assert 'said <img src="file:///etc/passwd">' in index.data(Qt.ItemDataRole.DisplayRole)  # plain text
        assert p.status_label.textFormat() == Qt.TextFormat.PlainText
        p.resize(800, 400)
        p.show()
        qtbot.waitExposed(p)
        p.view.viewport().repaint()  # the delegate draws the escaped snippet
    finally:
        p.set_archive(None)
        p._runner.wait(5000)
        archive.close()


def test_switching_archives_closes_the_old_worker_connection(qtbot, panel, seed_archive_path):
    wait_for(qtbot, panel, "sanctions")
    old = panel._searcher._archive
    other = Archive(seed_archive_path)
    try:
        panel.set_archive(other)
        wait_for(qtbot, panel, "Magnitsky")
        assert old.db.conn is None and panel._searcher._archive is not old
    finally:
        panel.set_archive(None)
        panel._runner.wait(5000)
        other.close()


def test_no_archive(qtbot):
    p = SearchPanel()
    qtbot.addWidget(p)
    p.search("sanctions")
    assert p.status_label.text() == "No archive is open." and p.model.rowCount() == 0


def test_several_speakers_can_be_ticked_in_one_go(qtbot, panel, seed_archive):
    wait_for(qtbot, panel, "sanctions")
    panel.filters_button.click()
    panel.show()
    qtbot.waitExposed(panel)
    menu = panel.filters.speakers_menu
    menu.popup(panel.mapToGlobal(panel.rect().center()))
    qtbot.waitUntil(lambda: len(menu.actions()) == len(seed_archive.speakers()), timeout=2000)
    qtbot.waitExposed(menu)
    actions = menu.actions()[:2]
    for action in actions:
        with qtbot.waitSignal(action.toggled, timeout=2000):
            qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    assert menu.isVisible() and all(a.isChecked() for a in actions)
    assert panel.filters.speakers_button.text() == "2 speakers"
    menu.close()
    ids = tuple(a.data() for a in actions)
    expected = Search(seed_archive).run("sanctions", SearchOptions(speakers=ids))
    qtbot.waitUntil(lambda: panel.status_label.text().startswith(f"{expected.total} result"), timeout=5000)
    assert [panel.model.hit(r).key for r in range(panel.model.rowCount())] == [h.key for h in expected.hits]


def test_the_syntax_is_shown_next_to_the_box_and_explained_by_the_help_button(qtbot, panel):
    from PySide6.QtWidgets import QToolTip

    short = panel.syntax_label.text()
    for part in ('"phrase"', "prefix*", "OR", "-word", "( )"):
        assert part in short
    panel.show()
    qtbot.waitExposed(panel)
    panel.help_button.click()
    shown = QToolTip.text()
    for part in ("all must appear", "exact phrase", "prefix*", "a OR b", "NOT word", "group"):
        assert part in shown, part
    assert panel.help_button.accessibleName() == "Search syntax"


# ---------------------------------------------------------------------------- big archives: two steps


def test_first_page_then_ranked_page_on_a_big_archive(qtbot, panel, monkeypatch, seed_archive):
    monkeypatch.setattr(search_service, "BIG_ARCHIVE", 0)  # treat the seed as big
    panel.search_in_child = False  # in this process, where the ranking can be slowed down
    panel.set_archive(seed_archive)
    release = threading.Event()
    real_stages = Search.stages

    def slow_stages(self, text, options=None):
        for answer in real_stages(self, text, options):
            if answer.total is not None:
                release.wait(10)  # the ranking takes a while
            yield answer

    monkeypatch.setattr(Search, "stages", slow_stages)
    panel.search("sanctions")
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=5000)
    assert panel.status_label.text().endswith("results, ranking…")
    unranked = [(panel.model.hit(r).kind, panel.model.hit(r).id) for r in range(panel.model.rowCount())]
    with qtbot.waitSignal(panel.results_ready, timeout=10_000):
        release.set()
    ranked = [panel.model.hit(r) for r in range(panel.model.rowCount())]
    assert panel.status_label.text().startswith("13 results")
    assert ranked[0].kind == "quote" and "sanctions would be" in ranked[0].text
    assert sorted((h.kind, h.id) for h in ranked if (h.kind, h.id) in unranked) == sorted(unranked)  # now ranked


def test_a_small_archive_is_ranked_in_one_step(qtbot, panel, monkeypatch):
    calls = []
    real_stages = Search.stages
    monkeypatch.setattr(Search, "stages", lambda self, *a, **k: calls.append(1) or real_stages(self, *a, **k))
    with qtbot.waitSignal(panel.results_ready, timeout=10_000):
        panel.search("sanctions")
    assert calls == [] and panel.status_label.text().startswith("13 results")


@pytest.mark.skipif(os.name != "posix", reason="the search process needs POSIX file descriptors")
def test_a_big_archive_is_searched_in_a_process_of_its_own(qtbot, panel, monkeypatch, seed_archive):
    monkeypatch.setattr(search_service, "BIG_ARCHIVE", 0)  # treat the seed as big
    panel.set_archive(seed_archive)
    first = []
    panel.results_ready.connect(first.append)
    with qtbot.waitSignal(panel.results_ready, check_params_cb=lambda r: r.query == "sanctions", timeout=10_000):
        qtbot.keyClicks(panel.query_edit, "sanctions")
    child = panel._searcher.child_pid
    assert child is not None and child != os.getpid()
    assert panel.status_label.text().startswith("13 results")
    shown = [(panel.model.hit(r).kind, panel.model.hit(r).id) for r in range(panel.model.rowCount())]
    assert shown == [(h.kind, h.id) for h in Search(seed_archive).run("sanctions").hits]
    panel.set_archive(None)  # the process ends with the archive
    panel._runner.wait(5000)
    assert process_gone(child)


# ---------------------------------------------------------------------------- where, order, scope, keyboard


def test_each_result_says_who_and_where(qtbot, panel, seed_archive):
    wait_for(qtbot, panel, '"never-ending process"')
    from viewer.ui.models.search_results_model import DETAIL_ROLE, WHERE, WHO

    assert panel.model.rowCount() == 1  # the quote and its passage: one row
    who, where = panel.model.index(0, WHO), panel.model.index(0, WHERE)
    assert (who.data(), who.data(DETAIL_ROLE)) == ("Peter Burian", "quote")
    assert where.data() == "Addressing human rights abuses in Kazakhstan: a need for the EU response"
    assert where.data(DETAIL_ROLE) == "25 Mar 2021 · ¶ 4"
    assert where.data(Qt.ItemDataRole.AccessibleTextRole).endswith("25 March 2021, ¶ 4")
    assert [panel.model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == ["Who", "Where", "Found"]


@pytest.mark.parametrize("width", [300, 380, 460, 700])
def test_who_where_and_the_words_found_share_a_narrow_dock(qtbot, panel, width):
    from viewer.ui.models.search_results_model import DETAIL_ROLE, WHERE, WHO

    panel.resize(width, 500)
    panel.show()
    qtbot.waitExposed(panel)
    wait_for(qtbot, panel, "sanctions")
    view = panel.view
    compact = view.viewport().width() < 420
    assert view.isColumnHidden(WHO) == compact and not view.isColumnHidden(WHERE)
    digit = panel.fontMetrics().horizontalAdvance("0")
    if not compact:
        assert view.columnWidth(WHO) >= digit * 9
    else:  # who is the first of three lines of where
        lines = panel.where_delegate._lines(panel.model.index(0, WHERE))
        assert [t for t, _d in lines][0].startswith("Bota Jardemalie · quote") and len(lines) == 3
    # the date and ¶ always fit their column
    longest = max(
        view.fontMetrics().horizontalAdvance(panel.model.index(r, WHERE).data(DETAIL_ROLE))
        for r in range(panel.model.rowCount())
    )
    assert view.columnWidth(WHERE) >= longest + 4
    assert view.columnWidth(SNIPPET) >= min(150, int(width * 0.4))
    assert sum(view.columnWidth(c) for c in range(3) if not view.isColumnHidden(c)) <= view.viewport().width() + 1


def test_results_sorted_by_date_or_in_document_order(qtbot, panel):
    wait_for(qtbot, panel, "Kazakhstan")
    assert [panel.order_combo.itemText(i) for i in range(panel.order_combo.count())] == [
        "Relevance",
        "Date",
        "Document",
    ]
    assert panel.order_combo.isVisibleTo(panel) or not panel.isVisible()  # not hidden in the filters
    with qtbot.waitSignal(panel.results_ready, timeout=5000) as blocker:
        panel.order_combo.setCurrentIndex(panel.order_combo.findData("document"))
    rows = [panel.model.hit(r).passage_id for r in range(panel.model.rowCount())]
    assert rows == sorted(rows) and blocker.args[0].order == "document"
    with qtbot.waitSignal(panel.results_ready, timeout=5000) as blocker:
        panel.order_combo.setCurrentIndex(panel.order_combo.findData("date"))
    assert blocker.args[0].order == "date"


def test_a_speaker_without_words_lists_everything_they_said(qtbot, panel, seed_archive):
    zhovtis = seed_archive.find_speakers("Zhovtis")[0]
    with qtbot.waitSignal(panel.results_ready, timeout=5000) as blocker:
        panel.list_speaker(zhovtis.id)
    result = blocker.args[0]
    want = sorted(
        {p.id for p in seed_archive.passages(1) if p.speaker_id == zhovtis.id}
        | {q.passage_id for q in seed_archive.quotes(speaker_id=zhovtis.id)}
    )
    assert [panel.model.hit(r).passage_id for r in range(panel.model.rowCount())] == want
    assert panel.status_label.text().startswith(f"{len(want)} results in this scope, in document order")
    assert result.hint is None and panel.filters.speakers_button.text() == "Yevgeniy Zhovtis"
    with qtbot.waitSignal(panel.results_ready, timeout=5000) as blocker:
        panel.set_speakers([])  # no filter, no words: nothing to list
    assert blocker.args[0].hint == NO_WORDS_HINT and panel.model.rowCount() == 0


def test_enter_and_down_go_to_the_results_and_up_comes_back(qtbot, panel):
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    panel.focus_query()
    qtbot.waitUntil(panel.query_edit.hasFocus, timeout=2000)
    with qtbot.waitSignal(panel.results_ready, timeout=5000):
        qtbot.keyClicks(panel.query_edit, "Magnitsky")
        qtbot.keyClick(panel.query_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(panel.view.hasFocus, timeout=2000)
    assert panel.view.currentIndex().row() == 0
    qtbot.keyClick(panel.view, Qt.Key.Key_Up)
    qtbot.waitUntil(panel.query_edit.hasFocus, timeout=2000)
    qtbot.keyClick(panel.query_edit, Qt.Key.Key_Down)
    qtbot.waitUntil(panel.view.hasFocus, timeout=2000)
    qtbot.keyClick(panel.view, Qt.Key.Key_Down)
    assert panel.view.currentIndex().row() == 1
    with qtbot.waitSignal(panel.hit_requested, timeout=2000) as blocker:
        qtbot.keyClick(panel.view, Qt.Key.Key_Return)  # opens the result
    assert blocker.args[0] == panel.model.hit(1).passage_id
    panel.focus_query()
    qtbot.keyClick(panel.query_edit, Qt.Key.Key_Return)  # the results are there: straight to them
    qtbot.waitUntil(panel.view.hasFocus, timeout=2000)


def test_the_reader_is_told_which_words_to_mark_and_when_to_stop(qtbot, panel):
    seen = []
    panel.search_highlight_changed.connect(seen.append)
    wait_for(qtbot, panel, "sanctions")
    assert seen[-1] is not None and seen[-1].text == "sanctions"
    with qtbot.waitSignal(panel.results_ready, timeout=5000):
        panel.query_edit.clear()
        panel._on_query_edited("")
    assert seen[-1] is None


def test_in_a_narrow_column_the_words_found_are_on_the_first_line(qtbot, panel):
    from viewer.ui.models.search_results_model import _lead_in

    text = "the " * 30 + "sanctions were adopted"
    start = text.index("sanctions")
    cut, marks = _lead_in(text, ((start, start + 9),), 20)
    assert cut.startswith("…") and cut[marks[0][0] : marks[0][1]] == "sanctions" and marks[0][0] <= 12
    assert _lead_in("sanctions first", ((0, 9),), 20) == ("sanctions first", ((0, 9),))


# ---------------------------------------------------------------------------- a new answer, laid out then shown


def _shown(qtbot, panel):
    """The panel on screen with one answer drawn (the delegates know their columns' widths)."""
    panel.resize(900, 500)
    panel.show()
    qtbot.waitExposed(panel)
    wait_for(qtbot, panel, "sanctions")
    panel.view.viewport().repaint()


def test_a_new_answer_is_laid_out_before_it_is_shown_and_shown_whole(qtbot, panel, seed_archive):
    _shown(qtbot, panel)
    snippets = panel.view.itemDelegateForColumn(SNIPPET)
    laid_out_at_reset = []
    panel.model.modelReset.connect(lambda: laid_out_at_reset.append(len(snippets._cache)))
    before = len(snippets._cache)
    result = wait_for(qtbot, panel, "Kazakhstan")
    expected = Search(seed_archive).run("Kazakhstan", panel.options())
    shown = [panel.model.hit(r) for r in range(panel.model.rowCount())]
    assert (
        [(h.kind, h.id) for h in shown]
        == [(h.kind, h.id) for h in expected.hits]
        == [(h.kind, h.id) for h in result.hits]
    )
    assert panel.status_label.text().startswith(f"{expected.total} result")
    # the snippets in view were laid out before the rows changed, so the repaint only draws them
    assert laid_out_at_reset and laid_out_at_reset[0] > before
    panel.view.viewport().repaint()
    assert len(snippets._cache) == laid_out_at_reset[0]


def test_an_answer_still_being_laid_out_is_dropped_when_the_box_is_cleared(qtbot, panel, seed_archive):
    _shown(qtbot, panel)
    shown = []
    panel.results_ready.connect(shown.append)
    panel._on_search_done(Search(seed_archive).run("prison", panel.options()))  # arrives from the search
    assert panel.model.hit(0).text.lower().count("sanctions")  # not shown yet: its rows are being laid out
    panel.search("")  # the box is cleared meanwhile
    qtbot.waitUntil(lambda: not panel._layout_timer.isActive(), timeout=2000)
    QApplication.processEvents()
    assert panel.model.rowCount() == 0
    assert [r.query for r in shown] == [""]
    assert panel.status_label.text() == NO_WORDS_HINT


def test_a_title_with_markup_is_drawn_as_plain_text(qtbot, panel):
    from viewer.ui.models.search_results_model import WHERE

    _shown(qtbot, panel)
    delegate = panel.view.itemDelegateForColumn(WHERE)
    line = delegate._line("<b>Report</b> &amp; notes", 400, panel.font(), panel.fontMetrics())
    assert line.textFormat() == Qt.TextFormat.PlainText and line.text() == "<b>Report</b> &amp; notes"
