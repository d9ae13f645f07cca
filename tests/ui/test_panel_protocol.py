"""Every panel implements one protocol (viewer.ui.panels.panel.Panel) and the window wires each the same
way: through ``connect_window`` and the links it is given, never by looking for a signal by its name."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from viewer.ui.panels.panel import Panel, PanelDefaults, PanelLinks

PANEL_DOCKS = ("documentsDock", "speakersDock", "searchDock", "bookmarksDock", "statisticsDock", "unattributedDock")


class QuietPanel(PanelDefaults, QWidget):
    """Has the signals other panels have, and connects none of them."""

    passage_requested = Signal(int, object)
    archive_error = Signal(object)

    def __init__(self):
        super().__init__()
        self.links = None
        self.archives = []

    def connect_window(self, links: PanelLinks) -> None:
        self.links = links

    def set_archive(self, archive) -> None:
        self.archives.append(archive)


def test_every_panel_of_the_app_implements_the_protocol(qtbot, window):
    for name in PANEL_DOCKS:
        panel = window.ensure_panel(name)
        assert isinstance(panel, Panel), name
        assert panel is window.panel(name) and window.dock(name).widget() is panel
    assert not isinstance(window.reader, Panel)  # the reader is the centre, not a docked panel


def test_a_signal_the_panel_does_not_connect_reaches_nothing(qtbot, window, seed_archive):
    panel = QuietPanel()
    window.add_panel(panel, "Quiet", "quietDock", Qt.DockWidgetArea.RightDockWidgetArea)
    assert isinstance(panel.links, PanelLinks) and panel.archives == [window.archive]
    target = seed_archive.passages(1)[20]
    with qtbot.assertNotEmitted(window.reader.passage_shown, wait=200):
        panel.passage_requested.emit(target.id, [(0, 5)])
    assert window.last_error_dialog is None
    panel.archive_error.emit(RuntimeError("not connected"))
    assert window.last_error_dialog is None
    # what the panel connects to its links does reach the window
    panel.passage_requested.connect(panel.links.show_passage)
    with qtbot.waitSignal(window.reader.passage_shown, timeout=5000):
        panel.passage_requested.emit(target.id, [(0, 5)])


def test_a_widget_that_is_not_a_panel_is_refused(qtbot, window):
    with pytest.raises(TypeError, match="Panel"):
        window.add_panel(QWidget(), "Plain", "plainDock")
    assert window.dock("plainDock") is None


def test_a_panel_made_when_first_shown_is_wired_then(qtbot, window):
    made = []

    def make():
        made.append(QuietPanel())
        return made[-1]

    dock = window.add_panel(make, "Later", "laterDock", Qt.DockWidgetArea.RightDockWidgetArea, visible=False)
    assert made == []
    panel = window.ensure_panel("laterDock")
    assert made == [panel] and dock.widget() is panel
    assert isinstance(panel.links, PanelLinks) and panel.archives == [window.archive]


def test_list_all_in_search_goes_to_the_panel_that_took_find(qtbot, window, seed_archive):
    speakers, search = window.panel("speakersDock"), window.panel("searchDock")
    window.ensure_panel("bookmarksDock")  # the search panel behind another tab
    zhovtis = seed_archive.find_speakers("Zhovtis")[0]
    with qtbot.waitSignal(search.results_ready, timeout=10_000):
        speakers.speaker_listing_requested.emit(zhovtis.id)
    assert not window.docks.behind(window.dock("searchDock"))
    assert search.filters.speakers_button.text() == "Yevgeniy Zhovtis" and search.model.rowCount() > 0


def test_the_citation_template_is_one_object_for_the_whole_window(window, services):
    assert services.controller.templates is window.templates
    assert window.templates.save("{speaker}: {text}") is None
    assert window.templates.text() == services.controller.templates.text() == "{speaker}: {text}"
    assert window.templates.save("{nope}") == "unknown field(s): {nope}"
