"""Charts of the statistics: real images offscreen (also from the CLI), labels escaped, clicks mapped."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QFontMetrics, QImage

from tests.conftest import SEED_SPEAKERS
from viewer.core.stats import Statistics
from viewer.core.stats_records import Scope
from viewer.ui.widgets.charts import (
    ChartData,
    ChartError,
    StatsChartView,
    bar_key,
    make_chart,
    render_chart,
    report_chart,
    speakers_chart,
)

ROOT = Path(__file__).resolve().parents[2]


def run_chart(kind: str, out: Path, archive: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """``archive-viewer stats --chart KIND --out OUT`` as a user runs it, in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "viewer", "stats", "--chart", kind, "--out", str(out), "--archive", str(archive)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def _is_real_image(path: Path) -> QImage:
    image = QImage(str(path))
    assert not image.isNull()
    assert image.width() >= 800 and image.height() >= 500
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 3  # not a blank page
    return image


def _svg_text(path: Path) -> str:
    return " ".join(ET.parse(path).getroot().itertext())


@pytest.mark.parametrize("kind", ["speakers", "mentions", "terms", "timeline"])
def test_cli_renders_each_chart_offscreen(seed_archive_path, tmp_path, kind):
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # the CLI picks offscreen itself
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    for suffix in (".png", ".svg"):
        out = tmp_path / f"{kind}{suffix}"
        r = run_chart(kind, out, seed_archive_path, env)
        assert r.returncode == 0, r.stderr
        assert f"wrote {out}" in r.stdout
        if suffix == ".png":
            _is_real_image(out)
        else:
            text = _svg_text(out)
            if kind == "speakers":
                assert all(name in text for name in SEED_SPEAKERS)
            if kind == "mentions":
                assert "Nursultan Nazarbayev" in text
            if kind == "terms":
                assert "sanctions" in text
            if kind == "timeline":
                assert "Mar 2021" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{kind}.png", f"{kind}.svg"]  # no temp files left


def test_cli_chart_that_cannot_be_written(seed_archive_path, tmp_path):
    blocked = tmp_path / "chart.png"
    blocked.mkdir()  # a folder where the image should go: no one can replace it with a file
    (blocked / "keep.txt").write_text("mine", encoding="utf-8")
    r = run_chart("speakers", blocked, seed_archive_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr + r.stdout
    assert "could not be written" in r.stderr and r.stdout == ""
    assert (blocked / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.png"]  # no temp file left


def test_cli_chart_refuses_what_is_not_a_regular_file(seed_archive_path, tmp_path):
    (tmp_path / "real.png").write_bytes(b"mine")
    (tmp_path / "link.png").symlink_to(tmp_path / "real.png")
    r = run_chart("speakers", tmp_path / "link.png", seed_archive_path)
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr.startswith(
        f"archive-viewer: the chart could not be written: {tmp_path / 'link.png'} is a symbolic link"
    )
    assert (tmp_path / "link.png").is_symlink() and (tmp_path / "real.png").read_bytes() == b"mine"


def test_speaker_chart_shows_the_top_speakers_by_words(qtbot, seed_archive, tmp_path):
    report = Statistics(seed_archive).report(Scope())
    data = report_chart("speakers", report)
    top = sorted(report.speakers, key=lambda s: s.words, reverse=True)
    assert list(data.categories) == [s.name for s in top] and set(data.categories) == set(SEED_SPEAKERS)
    assert data.series[0][1] == tuple(float(s.words) for s in top)
    assert not data.stacked and data.horizontal
    png = tmp_path / "c.png"
    assert render_chart(data, png, (640, 300)) == (800, 500)  # never smaller than 800x500
    _is_real_image(png)


def test_every_top_chart_is_the_top_n_by_its_measure_and_says_so(seed_archive):
    from viewer.core.stats_records import SpeakerStat

    rows = [
        SpeakerStat(i, f"Speaker {i}", i, passages=1, words=(i * 37) % 101, share=0.0, quotes=0) for i in range(1, 41)
    ]
    data = speakers_chart(rows)
    assert [k.words for k in data.keys] == sorted((s.words for s in rows), reverse=True)[: len(data.keys)]
    assert data.full_title == f"Words spoken (top {len(data.keys)} of 40 by words)"
    report = Statistics(seed_archive).report(Scope())
    for kind, measure in (("mentions", "count"), ("terms", "count")):
        chart = report_chart(kind, report)
        values = [getattr(k, measure) for k in chart.keys]
        assert values == sorted(values, reverse=True)


def test_counting_says_so_and_nothing_in_scope_says_so():
    data = ChartData("Mentions", ("a", "b"), (("Mentions", (2.0, 1.0)),), "Mentions", keys=("a", "b"))
    assert make_chart(data.counting()).title() == "Mentions (counting…)"
    assert make_chart(ChartData("Mentions", (), (("Mentions", ()),), "Mentions")).title() == (
        "Mentions (nothing in this scope)"
    )


@pytest.mark.parametrize("width", [360, 420, 600, 1000])
def test_timeline_labels_are_whole_words_that_fit_the_width(qtbot, width):
    months = [f"{m} {y}" for y in (2019, 2020, 2021) for m in "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()]
    data = ChartData(
        "Documents by date",
        tuple(months),
        (("Documents", tuple(1.0 for _ in months)),),
        "Documents",
        horizontal=False,
        stacked=True,
        keys=tuple(months),
    )
    view = StatsChartView()
    qtbot.addWidget(view)
    view.resize(width, 320)
    view.set_data(data)
    shown = view.categories()
    assert shown and all(label in months for label in shown)  # whole labels, never "…" or "⋮"
    assert shown[-1] == "Dec 2021"  # the latest always
    metrics = QFontMetrics(QFont())
    room = (width - 90) / len(months) * (months.index(shown[1]) - months.index(shown[0]))
    assert metrics.horizontalAdvance("Mar 2021") < room  # neighbours never overlap
    assert len(shown) >= min(len(months), (width - 90) // 90)


def test_labels_are_escaped_and_clicks_map_to_records(qtbot):
    keys = ("first", "second", "third")
    data = ChartData(
        "Words of <i>people</i>", ("<b>x</b>", "A & B", "plain"), (("Words", (3.0, 2.0, 1.0)),), "Words", keys=keys
    )
    chart = make_chart(data)
    assert chart.title() == "Words of &lt;i&gt;people&lt;/i&gt;"
    view = StatsChartView()
    qtbot.addWidget(view)
    view.resize(800, 500)
    view.set_data(data)
    assert view.categories() == ["plain", "A &amp; B", "&lt;b&gt;x&lt;/b&gt;"]  # Qt draws bottom-up
    assert bar_key(data, 2) == "first" and bar_key(data, 0) == "third"
    with qtbot.waitSignal(view.bar_clicked) as blocker:
        view.chart().series()[0].barSets()[0].clicked.emit(2)
    assert blocker.args == ["first"]


def test_a_short_view_shows_its_first_bars_only(qtbot):
    data = ChartData(
        "Terms",
        tuple(f"t{i}" for i in range(20)),
        (("n", tuple(float(20 - i) for i in range(20))),),
        "n",
        keys=tuple(range(20)),
        total=50,
    )
    view = StatsChartView()
    qtbot.addWidget(view)
    view.resize(600, 250)
    view.set_data(data)
    view.show()
    qtbot.waitExposed(view)
    assert 3 <= len(view.shown.categories) < 20
    assert view.data is data
    assert "the first" in view.chart().title() and "of 50" in view.chart().title()


def test_empty_and_bad_charts(qtbot, tmp_path):
    empty = ChartData("Mentions", (), (), "Mentions")
    assert "nothing in this scope" in make_chart(empty).title()
    render_chart(empty, tmp_path / "e.svg")
    with pytest.raises(ChartError):
        render_chart(empty, tmp_path / "e.gif")
