"""synth: a synthetic archive that is valid, deterministic and shaped like the real thing."""

from __future__ import annotations

import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from viewer.core import schema, synth, synth_documents
from viewer.core.archive import Archive
from viewer.core.build import search_text
from viewer.core.records import QUOTE
from viewer.core.text import has_cyrillic, search_extra, translit
from viewer.core.tokens import count_words

ROOT = Path(__file__).resolve().parents[2]
N = 2000


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table of the format, in primary-key order."""
    conn = sqlite3.connect(path)
    out = {}
    for table, (_cols, pk, *_rest) in schema.TABLES.items():
        order = ", ".join(f"[{c}]" for c in ((pk,) if isinstance(pk, str) else pk))
        out[table] = conn.execute(f"SELECT * FROM [{table}] ORDER BY {order}").fetchall()
    for table in schema.OPTIONAL_TABLES:  # the search's top-k lists
        out[table] = conn.execute(f"SELECT * FROM [{table}] ORDER BY 1").fetchall()
    conn.close()
    return out


@pytest.fixture(scope="module")
def synth_path(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "synth.db"
    synth.synthesize(out, N, seed=7, log=lambda _m: None)
    return out


@pytest.fixture(scope="module")
def rows(synth_path) -> dict[str, list[sqlite3.Row]]:
    conn = sqlite3.connect(synth_path)
    conn.row_factory = sqlite3.Row
    out = {t: conn.execute(f"SELECT * FROM [{t}]").fetchall() for t in schema.TABLES}
    conn.close()
    return out


@pytest.mark.slow
def test_same_seed_same_archive_other_seed_another(synth_path, tmp_path):
    again = tmp_path / "again.db"
    synth.synthesize(again, N, seed=7, log=lambda _m: None)
    assert dump(again) == dump(synth_path)
    other = tmp_path / "other.db"
    synth.synthesize(other, N, seed=8, log=lambda _m: None)
    assert dump(other)["passages"] != dump(synth_path)["passages"]


@pytest.mark.slow
def test_worker_processes_give_the_same_archive(tmp_path, monkeypatch):
    monkeypatch.setattr(synth, "CHUNK_DOCUMENTS", 10)  # several batches even for a small archive
    a, b = tmp_path / "serial.db", tmp_path / "parallel.db"
    synth.synthesize(a, 1500, seed=3, log=lambda _m: None, workers=0)
    synth.synthesize(b, 1500, seed=3, log=lambda _m: None, workers=2)
    assert dump(a) == dump(b)


def test_opens_as_an_archive_and_passes_integrity_checks(synth_path, tmp_path):
    with Archive(synth_path) as archive:
        s = archive.summary()
        assert s.passages == N and s.format_version == schema.FORMAT_VERSION
        assert s.speakers >= 20 and s.quotes > 0 and s.entities > 0
        doc = archive.documents()[0]
        assert archive.passages(doc.id)[0].document_id == doc.id
    copy = tmp_path / "check.db"
    shutil.copy(synth_path, copy)
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    for table in schema.FTS:
        conn.execute(f"INSERT INTO [{table}_fts] ([{table}_fts], rank) VALUES ('integrity-check', 1)")
    assert conn.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("SELECT COUNT(*) FROM sqlite_stat1").fetchone()[0] > 0
    indexes = {
        r[0]
        for r in conn.execute(
            "SELECT tbl_name || ':' || sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )
    }
    assert len(indexes) == len(schema.INDEXES)
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    assert meta["format_version"] == "1" and json.loads(meta["synth"]) == {"passages": N, "seed": 7}
    conn.close()
    assert not list(synth_path.parent.glob(".*building"))


def test_offsets_are_exact(rows):
    text = {p["id"]: p["text"] for p in rows["passages"]}
    assert rows["quotes"] and rows["mentions"]
    for q in rows["quotes"]:
        assert text[q["passage_id"]][q["start"] : q["end"]] == q["text"]
        assert q["text"] and q["text"] == q["text"].strip()
    for m in rows["mentions"]:
        assert text[m["passage_id"]][m["start"] : m["end"]] == m["surface"]


def test_counts_and_search_text_are_those_of_a_real_build(rows):
    speakers = {s["id"]: s for s in rows["speakers"]}
    per_doc: dict[tuple[int, int], list[int]] = {}
    for p in rows["passages"]:
        assert p["words"] == count_words(p["text"]), p["text"]
        name = speakers[p["speaker_id"]]["name"] if p["speaker_id"] else ""
        assert p["search_text"] == search_text(name, p["text"])
        if p["speaker_id"]:
            c = per_doc.setdefault((p["document_id"], p["speaker_id"]), [0, 0, 0])
            c[0] += 1
            c[1] += p["words"]
    for q in rows["quotes"]:
        who = speakers[q["speaker_id"]]["name"] if q["speaker_id"] else (q["speaker_label"] or "")
        assert q["search_text"] == search_text(who, q["text"])
        if q["kind"] == QUOTE and q["speaker_id"]:
            per_doc.setdefault((q["document_id"], q["speaker_id"]), [0, 0, 0])[2] += 1
        assert q["speaker_id"] or q["speaker_label"] or q["kind"] != QUOTE
    got = {
        (d["document_id"], d["speaker_id"]): [d["passages"], d["words"], d["quotes"]] for d in rows["document_speakers"]
    }
    assert got == per_doc
    for sid, s in speakers.items():
        mine = [v for (_d, k), v in got.items() if k == sid]
        assert [s["passages"], s["words"], s["quotes"]] == [sum(v[i] for v in mine) for i in range(3)]
        assert s["passages"] > 0
    docs = {d["id"]: d for d in rows["documents"]}
    for doc_id, d in docs.items():
        ps = [p for p in rows["passages"] if p["document_id"] == doc_id]
        assert d["passages"] == len(ps) and d["words"] == sum(p["words"] for p in ps)
        assert [p["seq"] for p in sorted(ps, key=lambda p: p["id"])] == list(range(1, len(ps) + 1))
    mentions = Counter(m["entity_id"] for m in rows["mentions"])
    for e in rows["entities"]:
        assert e["mentions"] == mentions[e["id"]]


def test_shape_cyrillic_quotes_speakers_dates(rows):
    passages = rows["passages"]
    cyrillic = sum(1 for p in passages if has_cyrillic(p["text"])) / len(passages)
    assert 0.07 <= cyrillic <= 0.13
    quoted = len({q["passage_id"] for q in rows["quotes"]}) / len(passages)
    assert 0.27 <= quoted <= 0.40
    docs = [d for d in rows["documents"] if d["has_text"]]
    assert 20 <= len(passages) / len(docs) <= 30
    years = {int(d["date"][:4]) for d in docs}
    assert min(years) >= 2005 and max(years) <= 2024 and len(years) >= 15
    # Zipf-ish activity: a few speakers do most of the talking, most speak a little
    active = sorted((s["passages"] for s in rows["speakers"]), reverse=True)
    assert active[0] >= 3 * statistics.median(active)
    assert sum(active[: max(1, len(active) // 5)]) >= 0.4 * sum(active)
    listed = [d for d in rows["documents"] if not d["has_text"]]
    kinds = {p["id"]: p["kind"] for p in passages}
    assert listed and all(kinds[d["listed_in"]] == "list_item" for d in listed)


def test_latin_and_cyrillic_spellings_of_a_name_meet(synth_path, rows):
    cyr = next(m for m in rows["mentions"] if has_cyrillic(m["surface"]))
    entity = next(e for e in rows["entities"] if e["id"] == cyr["entity_id"])
    assert translit(cyr["surface"]) == translit(entity["name"])
    query = " ".join(f'"{w}"' for w in translit(cyr["surface"]).split())
    conn = sqlite3.connect(synth_path)
    hits = {r[0] for r in conn.execute("SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?", (query,))}
    texts = dict(conn.execute("SELECT id, text FROM passages"))
    conn.close()
    assert cyr["passage_id"] in hits
    assert any(entity["name"] in texts[h] for h in hits)


def test_the_command(tmp_path):
    out = tmp_path / "cli.db"
    r = subprocess.run(
        [sys.executable, "-m", "viewer", "synth", "--passages", "300", "--out", str(out), "--seed", "2", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["passages"] == 300 and Path(summary["path"]) == out
    with Archive(out) as archive:
        assert archive.summary().passages == 300
    bad = subprocess.run(
        [sys.executable, "-m", "viewer", "synth", "--passages", "0", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "at least 1" in bad.stderr


def test_search_extra_word_by_word_is_search_extra():
    for text in ["Łódź и Казахстан, Straße", "abc", "Назарбаев said", "Ауштрявичюс ł", "Øresund ёлка Қазақстан"]:
        assert synth_documents._search_extra(text) == search_extra(text)


def test_statistics_on_request(tmp_path):
    out = tmp_path / "stats.db"
    result = synth.synthesize(out, 400, seed=4, log=lambda _m: None, stats=True)
    assert "stats" in result.timings
    conn = sqlite3.connect(out)
    for table in ("figures", "terms", "term_forms", "speaker_terms", "entity_groups", "mention_groups"):
        assert conn.execute(f"SELECT COUNT(*) FROM [{table}]").fetchone()[0] > 0, table
    conn.close()
    with Archive(out) as archive:
        assert archive.summary().passages == 400


def test_a_failure_while_the_statistics_are_counted_stops_their_workers_and_leaves_nothing(tmp_path, monkeypatch):
    import multiprocessing

    from viewer.core import synth as synth_module

    def broken(_db):
        raise RuntimeError("disk trouble while indexing")

    monkeypatch.setattr(synth_module.schema, "enable_fts", broken)
    out = tmp_path / "synth.db"
    with pytest.raises(RuntimeError, match="disk trouble"):
        synth_module.synthesize(out, 400, seed=3, log=lambda _m: None, workers=2)
    assert list(tmp_path.iterdir()) == []  # neither the archive nor its unfinished file
    assert multiprocessing.active_children() == []
