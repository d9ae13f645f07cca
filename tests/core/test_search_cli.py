"""archive-viewer search: JSON shape, plain output, exit codes, the same code as the panel."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SEED_SLUG
from viewer.cli import main
from viewer.core.query import EMPTY_HINT
from viewer.core.search import Search, SearchOptions


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def cli(*argv):
    return subprocess.run([sys.executable, "-m", "viewer", *argv], cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_json_shape(capsys, seed_archive_path):
    code, out, err = run(capsys, "search", "sanctions", "--archive", str(seed_archive_path), "--json")
    data = json.loads(out)
    assert code == 0 and err == ""
    assert {"query", "total", "variants", "hits"} <= set(data)
    assert data["query"] == "sanctions" and data["total"] == 13 and data["variants"] == []  # 13 places
    assert data["total_exact"] is True and data["order"] == "relevance"
    hit = data["hits"][0]
    assert {
        "kind",
        "id",
        "document",
        "speaker",
        "text",
        "snippet",
        "passage_id",
        "highlights",
        "seq",
        "page",
        "date_label",
        "document_title",
    } <= set(hit)
    assert hit["kind"] == "quote" and hit["speaker"] == "Bota Jardemalie" and hit["document"] == SEED_SLUG
    assert hit["snippet"].startswith("**sanctions**")
    assert all(isinstance(h, list) and len(h) == 2 for h in hit["highlights"])


def test_variants_and_every_option(capsys, seed_archive_path):
    code, out, _ = run(
        capsys,
        "search",
        "Castelleti",
        "sanctions",
        "--archive",
        str(seed_archive_path),
        "--json",
        "--speaker",
        "Castelletti",
        "--document",
        SEED_SLUG,
        "--collection",
        "events",
        "--from",
        "2021",
        "--to",
        "25 March 2021",
        "--quotes-only",
        "--order",
        "document",
        "--limit",
        "5",
    )
    data = json.loads(out)
    assert code == 0 and data["variants"] == ["Castelletti"]
    assert [h["kind"] for h in data["hits"]] == ["quote"] and data["hits"][0]["speaker"] == "Rosalba Castelletti"
    code, out, _ = run(
        capsys, "search", "Austrevicius", "--exact-diacritics", "--archive", str(seed_archive_path), "--json"
    )
    assert [h["passage_id"] for h in json.loads(out)["hits"]] == [22]


def test_several_speakers(capsys, seed_archive_path):
    code, out, _ = run(
        capsys,
        "search",
        "sanctions",
        "--speaker",
        "Burian",
        "--speaker",
        "Castelletti",
        "--json",
        "--archive",
        str(seed_archive_path),
    )
    assert code == 0 and {h["speaker"] for h in json.loads(out)["hits"]} == {"Peter Burian", "Rosalba Castelletti"}


def test_plain_output_marks_the_hits(capsys, seed_archive_path):
    code, out, _ = run(capsys, "search", "Назарбаев", "--archive", str(seed_archive_path), "--limit", "2")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "2 of 4 results for “Назарбаев” (also searched: Nazarbayev)"
    assert lines[2] == (
        "  1. quote · Bota Jardemalie · Addressing human rights abuses in Kazakhstan: a need for the "
        "EU response, 25 March 2021, ¶ 11"
    )
    assert "**Nazarbayev**" in lines[3]


@pytest.mark.parametrize(
    "query", ['"', "", '""', "()", "NEAR(", 'a"b', "'; DROP TABLE passages; --", "*", "C++", "\x01\x02", "-regime"]
)
def test_malformed_query_text_exits_0(capsys, seed_archive_path, query):
    code, out, err = run(capsys, "search", "--archive", str(seed_archive_path), "--json", "--", query)
    data = json.loads(out)
    assert code == 0 and err == ""
    assert data["hint"] or data["total"] is not None


def test_empty_query_prints_the_hint(capsys, seed_archive_path):
    code, out, _ = run(capsys, "search", "--archive", str(seed_archive_path))
    assert code == 0 and out.strip() == EMPTY_HINT


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--limit", "0"], "--limit"),
        (["--limit", "many"], "invalid int"),
        (["--from", "someday"], "not a date"),
        (["--to", "2021-13"], "not a date"),
        (["--from", "2022", "--to", "2021"], "after"),
        (["--order", "random"], "invalid choice"),
        (["--speaker", "Nobody Atall"], "no speaker"),
        (["--document", "no-such-report"], "no document"),
        (["--collection", "Nothing"], "no collection"),
        (["--bogus"], "unrecognized"),
    ],
)
def test_bad_options_exit_2(capsys, seed_archive_path, argv, message):
    try:
        code = main(["search", "x", "--archive", str(seed_archive_path), *argv])
    except SystemExit as e:  # argparse's own errors
        code = e.code
    _out, err = capsys.readouterr()
    assert code == 2, err
    assert message in err


def test_bad_option_values_found_after_parsing_exit_2(capsys, seed_archive_path):
    code, _out, err = run(capsys, "search", "x", "--archive", str(seed_archive_path), "--speaker", "Nobody")
    assert code == 2 and "no speaker" in err


def test_missing_archive_exits_3(tmp_path):
    missing = tmp_path / "nope.db"
    proc = cli("search", "sanctions", "--archive", str(missing))
    assert proc.returncode == 3 and "does not exist" in proc.stderr and not missing.exists()


def test_subprocess_json_and_exit_codes(seed_archive_path):
    proc = cli("search", "--archive", str(seed_archive_path), "--json", "--", '"human rights')
    data = json.loads(proc.stdout)
    assert proc.returncode == 0 and data["total"] > 0 and data["notes"]
    proc = cli("search", "x", "--archive", str(seed_archive_path), "--limit", "-3")
    assert proc.returncode == 2


def test_the_cli_uses_the_same_search_code_as_the_panel(capsys, seed_archive, seed_archive_path, monkeypatch):
    calls = []
    original = Search.run

    def recording_run(self, text, options=None):
        calls.append((text, options))
        return original(self, text, options)

    monkeypatch.setattr(Search, "run", recording_run)
    code, out, _ = run(
        capsys, "search", "human", "rights", "--quotes-only", "--archive", str(seed_archive_path), "--json"
    )
    assert code == 0 and calls == [("human rights", SearchOptions(quotes_only=True))]
    expected = original(Search(seed_archive), "human rights", SearchOptions(quotes_only=True))
    assert json.loads(out) == json.loads(json.dumps(expected.to_dict(), ensure_ascii=False))


def test_timeout_is_a_message_and_exit_3(capsys, seed_archive_path, monkeypatch):
    from viewer.commands import search as command

    monkeypatch.setattr(command, "SearchOptions", lambda **kw: SearchOptions(**kw, timeout_ms=0))
    code, out, err = run(capsys, "search", "sanctions", "--archive", str(seed_archive_path))
    assert code == 3 and out == "" and "took too long" in err and "Narrow" in err
    code, out, err = run(capsys, "search", "sanctions", "--archive", str(seed_archive_path), "--json")
    assert code == 3 and "took too long" in json.loads(out)["message"]


def test_a_speaker_filter_in_another_script_or_romanisation(capsys, seed_archive_path):
    for spelling in ("Жовтис", "Evgeny Zhovtis", "zhovtis"):
        code, out, _ = run(
            capsys, "search", "Kazakhstan", "--speaker", spelling, "--archive", str(seed_archive_path), "--json"
        )
        hits = json.loads(out)["hits"]
        assert code == 0 and hits and {h["speaker"] for h in hits} == {"Yevgeniy Zhovtis"}, spelling
    code, out, _ = run(capsys, "quotes", "--speaker", "Жовтис", "--archive", str(seed_archive_path), "--json")
    assert code == 0 and json.loads(out) and {q["speaker"] for q in json.loads(out)} == {"Yevgeniy Zhovtis"}
    code, _, err = run(capsys, "search", "rights", "--speaker", "Назарбаев", "--archive", str(seed_archive_path))
    assert code == 2 and "Назарбаев" in err  # mentioned, never a speaker


def test_a_speaker_without_words_lists_everything_they_said_in_document_order(capsys, seed_archive_path, seed_archive):
    zhovtis = seed_archive.find_speakers("Zhovtis")[0]
    code, out, err = run(
        capsys, "search", "--speaker", "Zhovtis", "--archive", str(seed_archive_path), "--json", "--limit", "100"
    )
    data = json.loads(out)
    assert code == 0 and err == "" and data["hint"] is None
    places = {p.id for p in seed_archive.passages(1) if p.speaker_id == zhovtis.id}
    places |= {q.passage_id for q in seed_archive.quotes(speaker_id=zhovtis.id)}
    assert [h["passage_id"] for h in data["hits"]] == sorted(places) and data["total"] == len(places)
    code, out, _ = run(capsys, "search", "--speaker", "Zhovtis", "--archive", str(seed_archive_path))
    assert out.splitlines()[0] == f"{len(places)} results in this scope"


def test_results_by_date(capsys, make_archive):
    path = make_archive(
        {
            "later.txt": "Ann Lee said: “Sanctions work.”\n",
            "earlier.txt": "Bo Kim said: “Sanctions fail.”\n",
            "undated.txt": "Cy Dee said: “Sanctions again.”\n",
        },
        [{"date": "2022-05-01"}, {"date": "2019-01-02"}, {}],
    )
    code, out, _ = run(capsys, "search", "sanctions", "--order", "date", "--archive", str(path), "--json")
    assert [h["document"] for h in json.loads(out)["hits"]] == ["earlier", "later", "undated"]
