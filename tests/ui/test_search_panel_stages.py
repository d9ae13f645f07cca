"""On a big archive the search panel shows the fast first page at once, then the ranked page."""

from __future__ import annotations

import threading

import pytest

from viewer.core.search import Search
from viewer.ui.panels import search_panel
from viewer.ui.panels.search_panel import SearchPanel


@pytest.fixture
def panel(qtbot, seed_archive):
    p = SearchPanel()
    qtbot.addWidget(p)
    p.set_archive(seed_archive)
    yield p
    p.set_archive(None)
    p._runner.wait(5000)


def test_first_page_then_ranked_page_on_a_big_archive(qtbot, panel, monkeypatch):
    monkeypatch.setattr(search_panel, "FIRST_PAGE_PASSAGES", 0)  # treat the seed as big
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
    assert panel.status_label.text().startswith("17 results")
    assert ranked[0].kind == "quote" and "sanctions would be" in ranked[0].text
    assert sorted((h.kind, h.id) for h in ranked if (h.kind, h.id) in unranked) == sorted(unranked)  # now ranked


def test_a_small_archive_is_ranked_in_one_step(qtbot, panel, monkeypatch):
    calls = []
    real_stages = Search.stages
    monkeypatch.setattr(Search, "stages", lambda self, *a, **k: calls.append(1) or real_stages(self, *a, **k))
    with qtbot.waitSignal(panel.results_ready, timeout=10_000):
        panel.search("sanctions")
    assert calls == [] and panel.status_label.text().startswith("17 results")
