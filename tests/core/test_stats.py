"""Statistics on the seed archive: literal numbers, true to the text, for every scope."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEED_SLUG, SEED_SPEAKERS
from viewer.cli import main
from viewer.core.records import HEADING, LIST_ITEM
from viewer.core.stats import Statistics, build_timeline
from viewer.core.stats_export import report_dict
from viewer.core.stats_records import Scope

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def stats(seed_archive):
    return Statistics(seed_archive)


def _doc_id(archive) -> int:
    return archive.document(SEED_SLUG).id


def _speaker_id(archive, name: str) -> int:
    return archive.find_speakers(name)[0].id


# ------------------------------------------------------------------ speakers


def test_speakers_in_order_of_appearance_with_words_equal_to_their_passages(seed_archive, stats):
    rows = stats.speakers(Scope())
    assert [s.name for s in rows] == SEED_SPEAKERS
    assert [s.position for s in rows] == list(range(1, 9))
    passages = seed_archive.passages(_doc_id(seed_archive))
    for s in rows:
        mine = [p for p in passages if p.speaker_id == s.speaker_id]
        assert s.passages == len(mine)
        assert s.words == sum(p.words for p in mine)


def test_share_is_a_percentage_of_the_words_of_speakers_in_scope(stats):
    rows = stats.speakers(Scope())
    total = sum(s.words for s in rows)
    assert sum(s.share for s in rows) == pytest.approx(100.0)
    for s in rows:
        assert s.share == pytest.approx(100.0 * s.words / total)


def test_quotes_per_speaker_equal_the_quotes_command(seed_archive_path, seed_archive, stats, capsys):
    for s in stats.speakers(Scope()):
        assert main(["quotes", "--speaker", s.name, "--json", "--archive", str(seed_archive_path)]) == 0
        listed = json.loads(capsys.readouterr().out)
        assert s.quotes == len(listed), s.name
    assert sum(s.quotes for s in stats.speakers(Scope())) == 15


def test_document_scope_has_the_documents_counts(seed_archive, stats):
    def numbers(rows):
        return [(s.speaker_id, s.name, s.position, s.passages, s.words, s.share, s.quotes) for s in rows]

    assert numbers(stats.speakers(Scope(document_id=_doc_id(seed_archive)))) == numbers(stats.speakers(Scope()))


def test_speaker_scope_gives_their_part_in_each_document(seed_archive, stats):
    sid = _speaker_id(seed_archive, "Shukeyeva")
    report = stats.report(Scope(speaker_id=sid))
    assert [s.name for s in report.speakers] == ["Anna Shukeyeva"]
    assert report.speakers[0].words == 223 and report.speakers[0].quotes == 2
    assert report.speakers[0].share == pytest.approx(100 * 223 / 1495)
    [per_doc] = report.speaker_documents
    assert per_doc.document_id == _doc_id(seed_archive) and per_doc.words == 223
    assert {f.speaker for f in report.figures} == {"Anna Shukeyeva"}
    assert len(report.figures) == 6
    assert [d.slug for d in report.timeline.documents] == [SEED_SLUG]


def test_speaker_in_a_document_scope(seed_archive, stats):
    sid = _speaker_id(seed_archive, "Jardemalie")
    report = stats.report(Scope(_doc_id(seed_archive), sid))
    assert [(s.name, s.words) for s in report.speakers] == [("Bota Jardemalie", 164)]
    assert report.speakers[0].share == pytest.approx(100 * 164 / 1495)
    naz = next(m for m in report.mentions if m.name == "Nursultan Nazarbayev")
    assert naz.count == 5


def test_speaker_passages_for_drill_down(seed_archive, stats):
    sid = _speaker_id(seed_archive, "Castelletti")
    ids = stats.speaker_passages(sid, Scope())
    assert ids == seed_archive.passage_ids(speaker_id=sid)
    assert seed_archive.passage(ids[0]).text.startswith("Rosalba Castelletti, journalist")


# ------------------------------------------------------------------ mentions


def test_nazarbayev_count_includes_the_misspelling_and_possessives(stats):
    naz = next(m for m in stats.mentions(Scope()) if m.name == "Nursultan Nazarbayev")
    assert naz.kind == "person"
    assert naz.count == 8
    variants = dict(naz.variants)
    assert variants["Nazabaryev"] == 1
    assert variants["Nazarbayev’s"] == 3
    assert variants["Nursultan Nazarbayev"] == 1
    assert sum(variants.values()) == 8
    by = {name: n for _sid, name, n in naz.by}
    assert by["Bota Jardemalie"] == 5
    assert sum(by.values()) == 8


def test_mentions_agree_between_archive_and_document_scope(seed_archive, stats):
    whole = {m.name: (m.count, dict(m.variants)) for m in stats.mentions(Scope())}
    doc = {m.name: (m.count, dict(m.variants)) for m in stats.mentions(Scope(document_id=_doc_id(seed_archive)))}
    assert whole == doc


def test_mentions_filtered_by_kind_and_most_mentioned_first(stats):
    people = stats.mentions(Scope(), kinds=("person",))
    assert people and all(m.kind == "person" for m in people)
    counts = [m.count for m in stats.mentions(Scope())]
    assert counts == sorted(counts, reverse=True)
    eu = next(m for m in stats.mentions(Scope(), kinds=("organisation",)) if m.name == "European Union")
    assert eu.count == 12 and dict(eu.variants)["EU"] == 9


def test_mention_passages_highlight_the_mentions(seed_archive, stats):
    naz = next(m for m in stats.mentions(Scope()) if m.name == "Nursultan Nazarbayev")
    steps = stats.mention_passages(naz.group_id, Scope())
    assert sum(len(spans) for _pid, spans in steps) == 8
    for pid, spans in steps:
        text = seed_archive.passage(pid).text
        for s, e in spans:
            assert text[s:e] in ("Nazarbayev", "Nazabaryev", "Nursultan Nazarbayev")


# ------------------------------------------------------------------ terms


def _discussion(archive) -> list:
    return [p for p in archive.passages(_doc_id(archive)) if p.kind not in (HEADING, LIST_ITEM)]


def test_terms_group_inflections_and_leave_stop_words_out(seed_archive, stats):
    terms = {t.term: t for t in stats.terms(Scope(), limit=500)}
    expected = sum(len(re.findall(r"\bsanctions?\b", p.text, re.I)) for p in _discussion(seed_archive))
    assert terms["sanctions"].count == expected == 10
    assert dict(terms["elections"].forms) == {"elections": 5, "election": 3}
    assert {"country", "countries"} == set(dict(terms["country"].forms))
    for stop in ("the", "and", "said", "noted", "added", "of", "march", "which", "one"):
        assert stop not in terms
    # the speakers' own names are counted as speakers and mentions, not as terms
    for name in ("kozlovska", "auštrevičius", "castelletti", "petras"):
        assert name not in terms
    assert "lukashenko" in terms and "nazarbayev" in terms


def test_document_terms_computed_on_demand_equal_the_precomputed_ones(seed_archive, stats):
    whole = [(t.term, t.count) for t in stats.terms(Scope(), limit=1000)]
    doc = [(t.term, t.count) for t in stats.terms(Scope(document_id=_doc_id(seed_archive)), limit=1000)]
    assert sorted(whole) == sorted(doc)
    sid = _speaker_id(seed_archive, "Zhovtis")
    spk = sorted((t.term, t.count) for t in stats.terms(Scope(speaker_id=sid), limit=1000))
    both = sorted((t.term, t.count) for t in stats.terms(Scope(_doc_id(seed_archive), sid), limit=1000))
    assert spk == both


def test_distinctive_terms_of_a_speaker(seed_archive, stats):
    sid = _speaker_id(seed_archive, "Kozlovska")
    terms = stats.distinctive_terms(Scope(), sid)
    assert terms[0].term == "lukashenko"
    assert terms[0].count == 3 and terms[0].other == 0
    assert all(t.z >= 1.0 for t in terms)
    assert [t.z for t in terms] == sorted((t.z for t in terms), reverse=True)
    in_doc = stats.distinctive_terms(Scope(document_id=_doc_id(seed_archive)), sid)
    assert [t.term for t in in_doc] == [t.term for t in terms]


def test_term_passages_highlight_every_form(seed_archive, stats):
    sanctions = next(t for t in stats.terms(Scope()) if t.term == "sanctions")
    steps = stats.term_passages(sanctions.key, Scope(), [f for f, _c in sanctions.forms])
    assert sum(len(spans) for _pid, spans in steps) == 10
    for pid, spans in steps:
        text = seed_archive.passage(pid).text
        assert all(text[s:e].lower() in ("sanction", "sanctions") for s, e in spans)


# ------------------------------------------------------------------ timeline


def test_timeline_of_the_event_and_the_related_reports(seed_archive, stats):
    tl = stats.timeline(Scope())
    assert tl.precision == "month"
    assert [b.bucket for b in tl.buckets][0] == "2020-02" and tl.buckets[-1].bucket == "2021-03"
    assert len(tl.buckets) == 14  # empty months kept: the chart is true to time
    assert len(tl.documents) == 11 and not tl.undated
    march = next(b for b in tl.buckets if b.bucket == "2021-03")
    assert [d.has_text for d in march.documents] == [False, False, True]
    december = next(b for b in tl.buckets if b.bucket == "2020-12")
    voices = next(d for d in december.documents if d.title.startswith("“Voices"))
    assert (voices.date, voices.date_end) == ("2020-12", "2021-01")
    assert len(stats.timeline(Scope(document_id=_doc_id(seed_archive))).documents) == 11


def test_timeline_in_years_for_long_spans(seed_archive):
    docs = seed_archive.documents()
    from dataclasses import replace

    docs = [replace(docs[0], date="2001-05-02"), replace(docs[1], date="2010"), replace(docs[2], date=None)]
    tl = build_timeline(docs)
    assert tl.precision == "year" and len(tl.buckets) == 10 and len(tl.undated) == 1


# ------------------------------------------------------------------ the report and the command line


def test_report_dict_has_the_documented_keys(seed_archive, stats):
    data = report_dict(seed_archive, stats.report(Scope()))
    for key in ("speakers", "mentions", "terms", "figures", "timeline"):
        assert key in data
    assert set(data["speakers"][0]) >= {"name", "passages", "words", "share", "quotes"}
    assert set(data["mentions"][0]) >= {"name", "count", "variants"}
    assert set(data["terms"][0]) >= {"term", "count"}
    assert set(data["figures"][0]) >= {"value", "text", "passage_id"}
    assert set(data["timeline"][0]) >= {"date", "documents"}
    json.dumps(data)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "viewer", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_stats_command_json(seed_archive_path):
    r = _cli("stats", "--json", "--archive", str(seed_archive_path))
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert [s["name"] for s in data["speakers"]] == SEED_SPEAKERS
    assert sum(s["share"] for s in data["speakers"]) == pytest.approx(100, abs=0.05)
    shukeyeva = next(s for s in data["speakers"] if s["name"] == "Anna Shukeyeva")
    assert shukeyeva == {
        "id": shukeyeva["id"],
        "name": "Anna Shukeyeva",
        "passages": 3,
        "words": 223,
        "share": 14.92,
        "quotes": 2,
    }
    naz = next(m for m in data["mentions"] if m["name"] == "Nursultan Nazarbayev")
    assert naz["count"] == 8 and "Nazabaryev" in naz["variants"]
    assert {"term": "sanctions", "count": 10} == {
        k: v for k, v in data["terms"][5].items() if k in ("term", "count")
    } or any(t["term"] == "sanctions" and t["count"] == 10 for t in data["terms"])
    assert [f["text"] for f in data["figures"]][:3] == [
        "3-6 years",
        "105 politically motivated criminal cases",
        "21 political prisoners",
    ]
    assert data["figures"][1]["value"] == "105" and isinstance(data["figures"][1]["passage_id"], int)
    assert data["timeline"][-1]["date"] == "2021-03-25"


def test_stats_command_scopes_and_text(seed_archive_path):
    r = _cli("stats", "--speaker", "Shukeyeva", "--json", "--archive", str(seed_archive_path))
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert [s["name"] for s in data["speakers"]] == ["Anna Shukeyeva"]
    assert data["documents"][0]["document"] == SEED_SLUG
    assert len(data["figures"]) == 6
    r = _cli("stats", "--document", SEED_SLUG, "--archive", str(seed_archive_path))
    assert r.returncode == 0, r.stderr
    for heading in ("Speakers", "Mentions", "Terms", "Key figures", "Timeline"):
        assert heading in r.stdout
    assert "105 politically motivated criminal cases" in r.stdout
    assert not re.search(r"\btop\b", r.stdout.lower())  # no league-table wording


@pytest.mark.parametrize(
    "args",
    [
        ["--speaker", "Nobody"],
        ["--document", "no-such-document"],
        ["--chart", "speakers"],
        ["--out", "x.png"],
        ["--chart", "speakers", "--out", "x.gif"],
        ["--chart", "pie", "--out", "x.png"],
        ["--limit", "0"],
    ],
)
def test_stats_command_bad_usage(seed_archive_path, args):
    r = _cli("stats", *args, "--archive", str(seed_archive_path))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr


def test_stats_command_missing_archive(tmp_path):
    r = _cli("stats", "--archive", str(tmp_path / "missing.db"))
    assert r.returncode == 3 and "Traceback" not in r.stderr


def test_core_statistics_do_not_import_qt():
    code = (
        "import sys; import viewer.core.stats, viewer.core.figures, viewer.core.terms, viewer.commands.stats; "
        "print('PySide6' in sys.modules)"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.stdout.strip() == "False", r.stderr


def test_rebuilding_the_statistics_gives_the_same_numbers(seed_archive_path, tmp_path):
    import shutil
    import sqlite3

    from viewer.core.archive import Archive
    from viewer.core.stats_rebuild import rebuild_stats

    copy = tmp_path / "copy.db"
    shutil.copyfile(seed_archive_path, copy)
    tables = ("figures", "terms", "term_forms", "speaker_terms", "mention_variants", "entity_groups", "mention_groups")

    def dump(path):
        conn = sqlite3.connect(path)
        out = {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
        conn.close()
        return out

    before = dump(copy)
    conn = sqlite3.connect(copy)
    with conn:
        rebuild_stats(conn)
    conn.close()
    after = dump(copy)
    for t in tables:
        if t in ("terms", "term_forms", "speaker_terms", "figures"):
            continue  # ids may be renumbered; compare their content below
        assert before[t] == after[t], t
    with Archive(copy) as a, Archive(seed_archive_path) as b:
        sa, sb = Statistics(a), Statistics(b)
        assert sa.terms(Scope(), limit=1000) == sb.terms(Scope(), limit=1000)
        assert [f.text for f in sa.figures(Scope())[0]] == [f.text for f in sb.figures(Scope())[0]]
        sid = a.find_speakers("Kozlovska")[0].id
        assert sa.distinctive_terms(Scope(), sid) == sb.distinctive_terms(Scope(), sid)
