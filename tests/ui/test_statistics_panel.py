"""The Statistics panel standalone: scopes, drill-down signals, export, text shown as text."""

from __future__ import annotations

import csv
import os
import shutil
import sqlite3
import threading
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from tests.conftest import SEED_SLUG, SEED_SPEAKERS
from viewer.core.archive import Archive
from viewer.core.files import ExportError
from viewer.core.stats import Statistics
from viewer.core.stats_records import FigureStat, MentionStat, Scope, SpeakerStat, TermStat
from viewer.ui.models.statistics_models import RECORD_ROLE, SORT_ROLE
from viewer.ui.panels.statistics_panel import StatisticsPanel


@pytest.fixture
def panel(qtbot):
    p = StatisticsPanel()
    qtbot.addWidget(p)
    p.resize(1000, 760)
    yield p
    p.set_archive(None)


@pytest.fixture
def loaded(panel, qtbot, seed_archive):
    with qtbot.waitSignal(panel.stats_ready, timeout=10_000):
        panel.set_archive(seed_archive)
    qtbot.waitUntil(lambda: panel.speakers.rowCount() == 8, timeout=10_000)
    return panel


def _row_of(model, predicate) -> int:
    return next(i for i in range(model.rowCount()) if predicate(model.record(i)))


def _click_row(qtbot, table, row: int) -> None:
    index = table.model().index(row, 0)
    table.scrollTo(index)
    rect = table.visualRect(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_models_pass_the_model_tester(loaded, qtmodeltester):
    for name in ("speakers", "mentions", "terms", "figures", "timeline"):
        qtmodeltester.check(loaded.tab(name).model)
    qtmodeltester.check(loaded.distinctive_model)
    qtmodeltester.check(loaded.documents)
    qtmodeltester.check(loaded.speakers)


def test_whole_archive_numbers(loaded):
    model = loaded.tab("speakers").model
    assert [model.record(i).name for i in range(model.rowCount())] == SEED_SPEAKERS  # order of appearance
    assert loaded.scope() == Scope()
    assert loaded.tab("figures").model.rowCount() == 12
    assert loaded.tab("timeline").model.rowCount() == 11
    naz = loaded.tab("mentions").model.record(
        _row_of(loaded.tab("mentions").model, lambda m: m.name == "Nursultan Nazarbayev")
    )
    assert naz.count == 8
    top = sorted((model.record(i) for i in range(8)), key=lambda s: s.words, reverse=True)
    assert list(loaded.tab("speakers").chart.data.categories) == [s.name for s in top]  # the top by words
    assert "8 speakers" in loaded.status.text()


def test_sorting_by_a_column_and_back_to_the_order_of_appearance(loaded, qtbot):
    tab = loaded.tab("speakers")
    header = tab.table.horizontalHeader()
    words = 2
    header.sectionClicked.emit(words)  # ascending
    values = [tab.model.record(i).words for i in range(8)]
    assert values == sorted(values)
    assert [k.words for k in tab.chart.data.keys] == sorted(values, reverse=True)  # the chart: the top by words
    header.sectionClicked.emit(0)  # "#": the order of appearance
    assert [tab.model.record(i).name for i in range(8)] == SEED_SPEAKERS
    assert tab.model.index(0, 2).data(SORT_ROLE) == tab.model.record(0).words


def test_scope_changes(loaded, qtbot, seed_archive):
    doc_id = seed_archive.document(SEED_SLUG).id
    shukeyeva = seed_archive.find_speakers("Shukeyeva")[0].id
    with qtbot.waitSignal(loaded.stats_ready, timeout=10_000) as blocker:
        loaded.set_scope(speaker_id=shukeyeva)
    report = blocker.args[0]
    assert report.scope == Scope(speaker_id=shukeyeva) == loaded.scope()
    speakers = loaded.tab("speakers").model
    assert speakers.rowCount() == 1 and speakers.record(0).document_id == doc_id
    assert speakers.columns()[1].title == "Document"
    assert loaded.tab("figures").model.rowCount() == 6
    assert loaded.scope_choice.currentText() == "Anna Shukeyeva"
    assert loaded.distinctive_speaker.currentText() == "Anna Shukeyeva"

    with qtbot.waitSignal(loaded.stats_ready, timeout=10_000):
        loaded.set_scope(document_id=doc_id)
    assert loaded.scope() == Scope(document_id=doc_id)
    assert loaded.tab("speakers").model.rowCount() == 8
    assert loaded.tab("timeline").model.rowCount() == 11

    # through the scope selector, as a user would
    with qtbot.waitSignal(loaded.stats_ready, timeout=10_000):
        loaded.scope_kind.setCurrentIndex(loaded.scope_kind.findData("speaker"))
    first = seed_archive.speakers()[0].id
    assert loaded.scope() == Scope(speaker_id=first)
    row = loaded.speakers.row_of(seed_archive.find_speakers("Zhovtis")[0].id)
    with qtbot.waitSignal(loaded.stats_ready, timeout=10_000):
        loaded.scope_choice.setCurrentIndex(row)
        loaded.scope_choice.activated.emit(row)
    assert [f.text for f in loaded.report().figures] == ["3-6 years"]
    with qtbot.waitSignal(loaded.stats_ready, timeout=10_000):
        loaded.scope_kind.setCurrentIndex(loaded.scope_kind.findData("archive"))
    assert loaded.scope() == Scope() and not loaded.scope_choice.isEnabled()


def test_the_numbers_are_computed_off_the_ui_thread(panel, qtbot, seed_archive, monkeypatch):
    threads = []
    original = Statistics.report

    def spy(self, scope, **kw):
        threads.append(threading.current_thread() is threading.main_thread())
        return original(self, scope, **kw)

    monkeypatch.setattr(Statistics, "report", spy)
    with qtbot.waitSignal(panel.stats_ready, timeout=10_000):
        panel.set_archive(seed_archive)
    assert threads == [False]


def test_a_figure_row_shows_its_passage_with_the_figure_highlighted(loaded, qtbot, seed_archive):
    loaded.set_current_tab("figures")
    table = loaded.tab("figures").table
    row = _row_of(loaded.tab("figures").model, lambda f: f.text.startswith("105"))
    with qtbot.waitSignal(loaded.passage_requested) as blocker:
        _click_row(qtbot, table, row)
    pid, highlights = blocker.args
    [(start, end)] = highlights
    assert seed_archive.passage(pid).text[start:end] == "105 politically motivated criminal cases"


def test_a_speaker_bar_shows_their_first_passage(loaded, qtbot, seed_archive):
    chart = loaded.tab("speakers").chart
    sid = seed_archive.find_speakers("Castelletti")[0].id
    bar = next(i for i, k in enumerate(chart.data.keys) if k.speaker_id == sid)
    with qtbot.waitSignal(loaded.passage_requested, timeout=10_000) as blocker:
        chart.click_bar(bar)  # Rosalba Castelletti
    assert blocker.args == [seed_archive.passage_ids(speaker_id=sid)[0], None]
    assert loaded.step_label.text() == "Passage 1 of 3"
    with qtbot.waitSignal(loaded.passage_requested) as blocker:
        loaded.next_button.click()
    assert blocker.args[0] == seed_archive.passage_ids(speaker_id=sid)[1]


def test_a_mention_steps_through_the_passages_mentioning_it(loaded, qtbot, seed_archive):
    loaded.set_current_tab("mentions")
    model = loaded.tab("mentions").model
    row = _row_of(model, lambda m: m.name == "Nursultan Nazarbayev")
    seen = []
    loaded.passage_requested.connect(lambda pid, hl: seen.append((pid, hl)))
    with qtbot.waitSignal(loaded.steps_ready, timeout=10_000) as blocker:
        _click_row(qtbot, loaded.tab("mentions").table, row)
    steps = blocker.args[0]
    assert len(steps) == 4  # four passages, eight mentions
    assert sum(len(hl) for _pid, hl in steps) == 8
    _click_row(qtbot, loaded.tab("mentions").table, row)  # the same row again: the next passage
    loaded.next_button.click()
    loaded.previous_button.click()
    assert [pid for pid, _hl in seen] == [steps[0][0], steps[1][0], steps[2][0], steps[1][0]]
    for pid, hl in seen:
        text = seed_archive.passage(pid).text
        assert all(text[s:e] in ("Nazarbayev", "Nazabaryev", "Nursultan Nazarbayev") for s, e in hl)
    assert loaded.step_label.text() == "Passage 2 of 4"


def test_a_term_shows_the_passages_using_it(loaded, qtbot, seed_archive):
    loaded.set_current_tab("terms")
    row = _row_of(loaded.tab("terms").model, lambda t: t.term == "sanctions")
    with qtbot.waitSignal(loaded.steps_ready, timeout=10_000) as blocker:
        _click_row(qtbot, loaded.tab("terms").table, row)
    steps = blocker.args[0]
    assert sum(len(hl) for _pid, hl in steps) == 10
    pid, hl = steps[0]
    assert all(seed_archive.passage(pid).text[s:e].lower().startswith("sanction") for s, e in hl)


def test_distinctive_terms_of_the_chosen_speaker(loaded, qtbot):
    loaded.set_current_tab("terms")
    combo = loaded.distinctive_speaker
    combo.setCurrentIndex(combo.findText("Lyudmyla Kozlovska"))
    combo.activated.emit(combo.currentIndex())  # computed on demand, on a worker
    model = loaded.distinctive_model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=10_000)
    assert model.record(0).term == "lukashenko" and model.record(0).z >= 1.0
    assert loaded.distinctive_note.text().startswith("Used more")
    combo.setCurrentIndex(0)
    combo.activated.emit(0)  # the first speaker's came with the numbers
    assert model.record(0).term == "choice"


def test_a_timeline_row_shows_the_document_or_where_it_is_listed(loaded, qtbot, seed_archive):
    loaded.set_current_tab("timeline")
    model = loaded.tab("timeline").model
    row = _row_of(model, lambda d: d.title.startswith("Servants of the Regime"))
    with qtbot.waitSignal(loaded.passage_requested, timeout=10_000) as blocker:
        _click_row(qtbot, loaded.tab("timeline").table, row)
    assert seed_archive.passage(blocker.args[0]).text.startswith("Servants of the Regime")
    event = _row_of(model, lambda d: d.has_text)
    with qtbot.waitSignal(loaded.passage_requested, timeout=10_000) as blocker:
        _click_row(qtbot, loaded.tab("timeline").table, event)
    assert blocker.args[0] == seed_archive.passage_ids(document_id=seed_archive.document(SEED_SLUG).id)[0]


def test_export_charts_and_tables(loaded, tmp_path):
    png = tmp_path / "speakers.png"
    svg = tmp_path / "speakers.svg"
    assert loaded.export_chart(png, "speakers") == (1000, 600)
    loaded.export_chart(svg, "speakers")
    image = QImage(str(png))
    assert not image.isNull() and image.width() >= 800 and image.height() >= 500
    texts = "".join(ET.parse(svg).getroot().itertext())
    assert all(name in texts for name in SEED_SPEAKERS)
    out = tmp_path / "figures.csv"
    loaded.export_table(out, "figures")
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0] == ["Figure", "Number", "Counts", "Speaker", "Context"]
    assert rows[2][:4] == [
        "105 politically motivated criminal cases",
        "105",
        "politically motivated criminal cases",
        "Anna Shukeyeva",
    ]
    terms = tmp_path / "terms.csv"
    loaded.export_table(terms, "terms")
    assert "Distinctive term" in terms.read_text(encoding="utf-8-sig").splitlines()[0]


def test_a_failed_export_leaves_the_old_file(loaded, tmp_path, monkeypatch):
    out = tmp_path / "speakers.csv"
    out.write_text("old", encoding="utf-8")
    import viewer.core.files as files
    from viewer.core.files import ExportError

    def full(fd, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "write", full)
    with pytest.raises(ExportError, match="disk full"):
        loaded.export_table(out, "speakers")
    monkeypatch.undo()
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["speakers.csv"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_charts_and_tables_are_written_as_regular_files_only(loaded, tmp_path):
    """A pipe, a symbolic link or a file with other names is refused, never replaced by a new file."""
    pipe = tmp_path / "pipe.png"
    os.mkfifo(pipe)
    real = tmp_path / "real.svg"
    real.write_text("mine", encoding="utf-8")
    (tmp_path / "link.svg").symlink_to(real)
    (tmp_path / "other.csv").write_text("mine", encoding="utf-8")
    os.link(tmp_path / "other.csv", tmp_path / "hard.csv")
    with pytest.raises(ExportError, match="is a pipe"):
        loaded.export_chart(pipe, "speakers")
    with pytest.raises(ExportError, match="is a symbolic link"):
        loaded.export_chart(tmp_path / "link.svg", "speakers")
    with pytest.raises(ExportError, match="has other names"):
        loaded.export_table(tmp_path / "hard.csv", "speakers")
    assert pipe.exists() and not pipe.is_file() and (tmp_path / "link.svg").is_symlink()
    assert real.read_text(encoding="utf-8") == "mine" and (tmp_path / "hard.csv").read_text(encoding="utf-8") == "mine"
    assert os.stat(tmp_path / "hard.csv").st_nlink == 2


def test_a_table_that_may_not_be_replaced_is_refused_with_the_reason(loaded, qtbot, tmp_path, monkeypatch):
    """The panel writes through the one file-writing module: a link, a device or a read-only file is refused,
    and the user is told why in one sentence."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    real = tmp_path / "mine.csv"
    real.write_text("mine", encoding="utf-8")
    link = tmp_path / "speakers.csv"
    link.symlink_to(real)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(link), "CSV table (*.csv)"))
    loaded.export_table_button.click()
    qtbot.waitUntil(lambda: any(b.isVisible() for b in loaded.findChildren(QMessageBox)), timeout=5000)
    box = next(b for b in loaded.findChildren(QMessageBox) if b.isVisible())
    assert box.text().startswith(f"The table was not exported: {link} is a symbolic link")
    assert box.text().endswith("The file you chose was left as it was.")
    box.close()
    assert real.read_text(encoding="utf-8") == "mine" and link.is_symlink()


@pytest.fixture
def marked_up_archive(seed_archive_path, tmp_path):
    """The seed with speakers whose names look like markup and a spreadsheet formula."""
    path = tmp_path / "markup.db"
    shutil.copyfile(seed_archive_path, path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE speakers SET name = '<b>x</b>' WHERE name = 'Petras Auštrevičius'")
        conn.execute("UPDATE speakers SET name = '=HYPERLINK(\"http://x\")' WHERE name = 'Peter Burian'")
    conn.close()
    archive = Archive(path)
    yield archive
    archive.close()


def test_text_from_the_archive_is_never_markup(panel, qtbot, marked_up_archive, tmp_path):
    with qtbot.waitSignal(panel.stats_ready, timeout=10_000):
        panel.set_archive(marked_up_archive)
    tab = panel.tab("speakers")
    assert tab.model.index(0, 1).data() == "<b>x</b>"
    assert "&lt;b&gt;x&lt;/b&gt;" in tab.chart.categories()  # QtCharts reads rich text: escaped
    svg = tmp_path / "s.svg"
    panel.export_chart(svg, "speakers")
    texts = "".join(ET.parse(svg).getroot().itertext())
    assert "<b>x</b>" in texts
    out = tmp_path / "s.csv"
    panel.export_table(out, "speakers")
    names = [r[1] for r in csv.reader(out.open(encoding="utf-8-sig"))]
    assert '\'=HYPERLINK("http://x")' in names and "<b>x</b>" in names
    figures = panel.tab("figures").model
    tip = figures.index(0, 4).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("<p>") and "<" not in tip[3:-4]


def test_records_are_given_to_views(loaded):
    assert isinstance(loaded.tab("speakers").model.index(0, 0).data(RECORD_ROLE), SpeakerStat)
    assert isinstance(loaded.tab("mentions").model.index(0, 0).data(RECORD_ROLE), MentionStat)
    assert isinstance(loaded.tab("terms").model.index(0, 0).data(RECORD_ROLE), TermStat)
    assert isinstance(loaded.tab("figures").model.index(0, 0).data(RECORD_ROLE), FigureStat)


def test_closing_the_archive_empties_the_panel(loaded):
    loaded.set_archive(None)
    assert loaded.tab("speakers").model.rowCount() == 0
    assert loaded.report() is None
    assert not loaded.tabs.isEnabled()
    assert loaded.status.text() == "No archive is open."


def test_mention_kinds_filter(loaded):
    loaded.mention_kind.setCurrentIndex(loaded.mention_kind.findText("People"))
    model = loaded.tab("mentions").model
    assert model.rowCount() > 0 and all(model.record(i).kind == "person" for i in range(model.rowCount()))


def test_a_failure_is_told_in_plain_words(panel, qtbot, seed_archive, monkeypatch):
    from viewer.core.db import ArchiveDamaged

    def broken(self, scope, **kw):
        raise ArchiveDamaged("The archive “x.db” is damaged and cannot be read.", "test")

    monkeypatch.setattr(Statistics, "report", broken)
    with qtbot.waitSignal(panel.archive_error, timeout=10_000) as blocker:
        panel.set_archive(seed_archive)
    assert isinstance(blocker.args[0], ArchiveDamaged)
    assert panel.status.text() == "The statistics could not be read: The archive “x.db” is damaged and cannot be read."
    assert panel.status.textFormat() == Qt.TextFormat.PlainText


# ---------------------------------------------------------------------------- readable at the dock's width


def test_while_counting_the_charts_say_so(panel, qtbot, seed_archive, monkeypatch):
    import threading

    from viewer.ui.panels import statistics_panel

    release = threading.Event()
    real = statistics_panel.compute_report

    def slow(stats, scope):
        release.wait(10)
        return real(stats, scope)

    monkeypatch.setattr(statistics_panel, "compute_report", slow)
    panel.set_archive(seed_archive)
    for name in ("speakers", "mentions", "terms", "timeline"):
        title = panel.tab(name).chart.chart().title()
        assert title.endswith("(counting…)") and "nothing in this scope" not in title, title
    with qtbot.waitSignal(panel.stats_ready, timeout=10_000):
        release.set()
    assert not panel.tab("speakers").chart.chart().title().endswith("(counting…)")


@pytest.mark.parametrize("width", [400, 1000])
def test_the_distinctive_terms_are_readable_beside_or_under_the_frequent_ones(loaded, qtbot, width):
    loaded.resize(width, 760)
    loaded.show()
    qtbot.waitExposed(loaded)
    loaded.set_current_tab("terms")
    qtbot.waitUntil(lambda: loaded.distinctive_model.rowCount() > 0, timeout=10_000)
    tab = loaded.tab("terms")
    qtbot.waitUntil(
        lambda: tab.outer.orientation() == (Qt.Orientation.Horizontal if width >= 720 else Qt.Orientation.Vertical),
        timeout=2000,
    )
    table = loaded.distinctive_table
    longest = max(
        table.fontMetrics().horizontalAdvance(loaded.distinctive_model.index(r, 0).data())
        for r in range(loaded.distinctive_model.rowCount())
    )
    assert table.columnWidth(0) >= longest  # "sanctions", never "c…"


def test_the_timeline_labels_its_bars_at_the_panel_s_width(loaded, qtbot):
    loaded.resize(400, 700)
    loaded.show()
    qtbot.waitExposed(loaded)
    loaded.set_current_tab("timeline")
    qtbot.waitUntil(lambda: loaded.tab("timeline").chart.width() < 400, timeout=2000)
    shown = loaded.tab("timeline").chart.categories()
    assert shown and "Mar 2021" in shown and all(not c.endswith(("…", "⋮")) for c in shown)
