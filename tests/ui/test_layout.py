"""The window from a 1024x700 laptop screen to a large monitor: it fits its screen with every panel shown,
names and numbers are whole, every hit says who and where. Offscreen grabs at each size."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QAbstractButton, QTabBar

from viewer.ui.docks import first_size
from viewer.ui.models.search_results_model import DETAIL_ROLE, WHERE
from viewer.ui.models.speakers_model import NAME, ORDER, PASSAGES, QUOTES, WORDS

SCREENS = [(1024, 700), (1280, 720), (1440, 900), (1920, 1080)]


@pytest.fixture(params=SCREENS, ids=[f"{w}x{h}" for w, h in SCREENS])
def laid_out(request, qtbot, services, seed_archive_path, seed_archive):
    """The window as it first starts on a screen of that size, the seed archive open, a search made and
    a speaker selected (their profile shown)."""
    width, height = request.param
    window = services.window
    window.resize(first_size(QSize(width, height)))
    window.reset_layout()
    with qtbot.waitSignal(window.reader.document_loaded, timeout=10_000):
        assert window.open_archive(seed_archive_path)
    search = window.dock("searchDock").widget()
    with qtbot.waitSignal(search.results_ready, timeout=10_000):
        search.search("sanctions")
    speakers = window.panel("speakersDock")
    qtbot.waitUntil(lambda: speakers.model.rowCount() == 8, timeout=10_000)
    speakers.select_speaker(seed_archive.find_speakers("Zhovtis")[0].id)
    qtbot.waitUntil(lambda: speakers.profile_name.text() == "Yevgeniy Zhovtis", timeout=10_000)
    return window, QSize(width, height)


def fits(window, screen: QSize) -> None:
    """The window and everything it needs is within the screen (a frame and a taskbar aside)."""
    assert window.width() <= screen.width() and window.height() <= screen.height()
    minimum = window.minimumSizeHint()
    assert minimum.width() <= screen.width() - 40 and minimum.height() <= screen.height() - 50, minimum


def inside(widget, window) -> bool:
    top_left = widget.mapTo(window, QPoint(0, 0))
    return QRect(top_left, widget.size()).intersected(window.rect()) == QRect(top_left, widget.size())


def test_the_window_fits_its_screen_with_every_panel(qtbot, laid_out, tmp_path):
    window, screen = laid_out
    first = window.size()
    fits(window, screen)
    for dock in ("bookmarksDock", "statisticsDock", "searchDock"):
        panel = window.ensure_panel(dock)
        qtbot.waitUntil(lambda: window.dock(dock).isVisible(), timeout=5000)
        if dock == "statisticsDock":
            qtbot.waitUntil(lambda: panel.report() is not None, timeout=20_000)
            for tab in ("speakers", "terms", "timeline"):
                panel.set_current_tab(tab)
                qtbot.wait(10)
            for button in (panel.export_chart_button, panel.export_table_button, panel.next_button):
                assert inside(button, window), button.text()  # whole, on screen
            assert panel.tabs.tabBar().isVisible()
        if dock == "bookmarksDock":
            for button in panel.findChildren(QAbstractButton):
                if button.isVisible():
                    assert inside(button, window), button.text()
        assert window.size() == first  # showing a panel never makes the window bigger
        fits(window, screen)
    image = window.grab()
    assert image.size() == window.size() and not image.isNull()
    image.save(str(tmp_path / f"window-{screen.width()}x{screen.height()}.png"))


def test_names_and_numbers_are_whole(laid_out):
    window, screen = laid_out
    table = window.panel("speakersDock").table
    proxy, metrics = table.model(), table.horizontalHeader().fontMetrics()
    names = [proxy.index(r, NAME).data() for r in range(proxy.rowCount())]
    assert table.columnWidth(NAME) >= max(metrics.horizontalAdvance(n) for n in names)  # every name whole
    assert not table.isColumnHidden(WORDS)
    for col in (ORDER, PASSAGES, QUOTES, WORDS):
        if not table.isColumnHidden(col):
            widest = max(metrics.horizontalAdvance(proxy.index(r, col).data()) for r in range(proxy.rowCount()))
            assert table.columnWidth(col) >= widest + 8
    assert table.height() >= 4 * table.rowHeight(0)  # a list to choose from, not two rows


def test_every_hit_says_who_and_where(laid_out):
    window, _screen = laid_out
    search = window.dock("searchDock").widget()
    view = search.view
    metrics = view.fontMetrics()
    places = [search.model.index(r, WHERE).data(DETAIL_ROLE) for r in range(search.model.rowCount())]
    assert all("¶" in p and "2021" in p for p in places)
    assert view.columnWidth(WHERE) >= max(metrics.horizontalAdvance(p) for p in places)  # date and ¶ whole
    found = view.columnWidth(2)
    assert found >= view.viewport().width() * 0.4  # the words found have room too


def test_the_reader_keeps_readable_lines(laid_out):
    window, _screen = laid_out
    # beside the speakers' margin, lines of some 40 characters on a laptop, more on a larger screen
    assert window.reader.view.viewport().width() >= (280 if window.width() < 1000 else 360)


def test_the_side_panels_tabs_say_their_names(laid_out):
    """Search, Bookmarks, Statistics and Unattributed share the right side: from 1280 pixels up every tab's
    title is whole (at 1024 Qt shortens them a little: "Stati…")."""
    window, screen = laid_out
    bar = next(b for b in window.findChildren(QTabBar) if b.isVisible() and b.count() == 4)
    assert [bar.tabText(i) for i in range(4)] == ["Search", "Bookmarks", "Statistics", "Unattributed"]
    if screen.width() >= 1280:
        assert all(bar.tabRect(i).width() >= bar.tabSizeHint(i).width() for i in range(4))
