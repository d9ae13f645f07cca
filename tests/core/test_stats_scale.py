"""Statistics that scale: the fast counting equals the reference one, an import updates the
precomputed statistics exactly as a full rebuild computes them, a speaker's term counts are all of
them, and a rebuild in worker processes equals one in this process."""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.core import stats_writer
from viewer.core.archive import Archive
from viewer.core.figures import find_figures, may_start_a_number
from viewer.core.importer import IMPORTED, import_files
from viewer.core.records import HEADING, LIST_ITEM
from viewer.core.stats import Statistics
from viewer.core.stats_rebuild import rebuild_stats
from viewer.core.stats_records import Scope
from viewer.core.stats_writer import STATS_TABLES, TermTally, _Tokens
from viewer.core.synth import synthesize
from viewer.core.terms import TermCounts, _token, distinctive, name_words

DATA = Path(__file__).resolve().parents[1] / "data" / "import"

# Written for these tests: a seed speaker speaks again, seed names are written in other ways.
NOTES = """Round table on judicial reform in Central Asia: notes

Date: 12 May 2022

YEVGENIY ZHOVTIS (Kazakhstan International Bureau for Human Rights): The courts are still not independent.
Since Nursultan Nazarbaev left office, 12 new laws on the courts were adopted, and the European Union asked
for the release of political prisoners. Nazarbayev's family keeps its assets, and the courts keep silent.

MARTA KOWALSKA (Helsinki Committee): Sanctions against judges would help. The EU should name the judges and
the prosecutors. Назарбаев остаётся влиятельным, и суды молчат.

YEVGENIY ZHOVTIS: Lawyers are harassed; around 40 lawyers lost their licences last year, and the courts
refused every appeal of the lawyers. Political prisoners wait for years.
"""


def content(path: Path) -> dict[str, list[tuple]]:
    """Every statistics table by its natural keys (term ids may differ between two writers)."""
    conn = sqlite3.connect(path)
    q = {
        "terms": "SELECT key, label, count FROM terms",
        "term_forms": "SELECT t.key, f.form, f.count FROM term_forms f JOIN terms t ON t.id = f.term_id",
        "speaker_terms": "SELECT s.speaker_id, t.key, s.count FROM speaker_terms s JOIN terms t ON t.id = s.term_id",
        "figures": 'SELECT passage_id, document_id, speaker_id, start, "end", value, number, number_max, noun, approx, '
        "context_start, context_end FROM figures",
        "mention_variants": "SELECT * FROM mention_variants",
        "entity_keys": "SELECT * FROM entity_keys",
        "entity_groups": "SELECT * FROM entity_groups",
        "mention_groups": "SELECT * FROM mention_groups",
    }
    assert set(q) == set(STATS_TABLES)
    out = {t: sorted(conn.execute(sql).fetchall(), key=repr) for t, sql in q.items()}
    conn.close()
    return out


def rebuilt(path: Path, tmp_path: Path, workers: int = 0) -> Path:
    copy = tmp_path / f"rebuilt-{path.stem}-{workers}.db"
    shutil.copyfile(path, copy)
    conn = sqlite3.connect(copy)
    rebuild_stats(conn, workers=workers)
    conn.commit()
    conn.close()
    return copy


def reference_counts(conn: sqlite3.Connection, speaker_id: int) -> Counter:
    """A speaker's term counts by the reference counting (``TermCounts``), document by document."""
    total: Counter = Counter()
    for (doc_id,) in conn.execute("SELECT DISTINCT document_id FROM passages WHERE speaker_id = ?", (speaker_id,)):
        exclude = name_words(stats_writer._speaker_names(conn, doc_id))
        tc = TermCounts.empty()
        for kind, text in conn.execute(
            "SELECT kind, text FROM passages WHERE document_id = ? AND speaker_id = ?", (doc_id, speaker_id)
        ):
            if kind not in (HEADING, LIST_ITEM):
                tc.add_text(text, exclude)
        total.update(tc.counts)
    return total


def speaker_counts(conn: sqlite3.Connection, speaker_id: int) -> dict[str, int]:
    return dict(
        conn.execute(
            "SELECT t.key, s.count FROM speaker_terms s JOIN terms t ON t.id = s.term_id WHERE s.speaker_id = ?",
            (speaker_id,),
        )
    )


@pytest.fixture
def notes(tmp_path) -> Path:
    path = tmp_path / "judicial-reform-notes.txt"
    path.write_text(NOTES, encoding="utf-8")
    return path


# ------------------------------------------------------------------ the fast counting


def _forms(words: Counter) -> dict[tuple[str, str], int]:
    out: Counter = Counter()
    for word, n in words.items():
        key, form, _name = _token(word)
        out[(key, form)] += n
    return dict(out)


def _reference(texts: list[str], exclude: frozenset[str]) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    tc = TermCounts.empty()
    for text in texts:
        tc.add_text(text, exclude)
    return dict(tc.counts), {(k, f): c for k, forms in tc.forms.items() for f, c in forms.items()}


def test_the_tally_counts_the_seed_as_term_counts_do(seed_archive):
    doc = seed_archive.documents()[0]
    exclude = name_words(n for s in seed_archive.speakers(doc.id) for n in (s.name, *s.aliases))
    texts = [p.text for p in seed_archive.passages(doc.id) if p.kind not in (HEADING, LIST_ITEM)]
    tally, words = TermTally(), Counter()
    for text in texts:
        tally.add(text, exclude)
    assert (tally.term_counts(words), _forms(words)) == _reference(texts, exclude)


_WORDS = [
    "Castelletti",
    "Castelletti’s",
    "CASTELLETTI",
    "castelletti",
    "Auštrevičius",
    "Austrevicius'",
    "Petras",
    "don't",
    "O'Brien",
    "rock'n'roll",
    "COVID-19",
    "x_y",
    "G7",
    "’s",
    "sanctions",
    "Sanction",
    "the",
    "said",
    "Назарбаева",
    "Қазақстан",
    "ёлка",
    "—",
    "«",
    "»",
    "(",
    ")",
    ".",
    ",",
    "'",
    "’",
    "-",
    "2021",
    "six",
    "twenty-one",
    "Половина",
    " ",
    "  ",
    "\n",
    "\u00a0",
    "\t",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=5)), max_size=25), max_size=4), st.booleans()
)
def test_the_tally_counts_any_text_as_term_counts_do(pieces, with_names):
    texts = ["".join(p) for p in pieces]
    exclude = name_words(["Rosalba Castelletti", "Petras Auštrevičius"]) if with_names else frozenset()
    tally, words = TermTally(_Tokens()), Counter()
    for text in texts:
        tally.add(text, exclude)
    assert (tally.term_counts(words), _forms(words)) == _reference(texts, exclude)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "105",
                    "3-6",
                    "2,000",
                    "six",
                    "a million",
                    "half of the",
                    "people",
                    "thousands",
                    "Twenty-one",
                    "٣",
                    "x7",
                    "“405”",
                    "per cent",
                    "of",
                    "the",
                    "persons",
                    "(",
                    ".",
                    "-",
                    " ",
                    "\n",
                ]
            ),
            st.text(max_size=6),
        ),
        max_size=30,
    )
)
def test_a_text_with_figures_has_a_word_that_may_start_a_number(pieces):
    text = " ".join(pieces)
    tally = TermTally()
    flagged = tally.add(text)
    assert flagged == any(may_start_a_number(w) for w in text.split())
    if find_figures(text):
        assert flagged


# ------------------------------------------------------------------ import = rebuild


def test_an_import_updates_the_statistics_as_a_rebuild_computes_them(seed_archive_path, tmp_path, notes):
    path = tmp_path / "archive.db"
    shutil.copyfile(seed_archive_path, path)
    report = import_files(path, [notes, DATA / "hearing-transcript.txt"])
    assert [f.status for f in report.files] == [IMPORTED, IMPORTED]
    after = content(path)
    assert after == content(rebuilt(path, tmp_path))
    with Archive(path) as a:
        naz = next(m for m in Statistics(a).mentions(Scope()) if m.name == "Nursultan Nazarbayev")
        # the seed's 8 mentions and this document's, spelled otherwise: a new entity in the same group
        assert naz.count == 9 and naz.entities == ("Nursultan Nazarbayev", "Nursultan Nazarbaev")
        assert dict(naz.variants)["Nursultan Nazarbaev"] == 1
        zhovtis = a.find_speakers("Zhovtis")[0].id
        assert [d.document_id for d in Statistics(a).report(Scope(speaker_id=zhovtis)).speaker_documents] == [
            a.document("addressing-human-rights-abuses-in-kazakhstan").id,
            report.files[0].document_id,
        ]


def test_the_seed_build_writes_what_a_rebuild_computes(seed_archive_path, tmp_path):
    assert content(seed_archive_path) == content(rebuilt(seed_archive_path, tmp_path))


# ------------------------------------------------------------------ a speaker's term counts


def test_speaker_terms_is_a_plain_table_of_counts(seed_archive_path):
    conn = sqlite3.connect(seed_archive_path)
    columns = [r[1] for r in conn.execute("PRAGMA table_info(speaker_terms)")]
    assert columns == ["speaker_id", "term_id", "count"]
    # every row a speaker's use of a term, at least once, of a term and a speaker the archive has
    assert conn.execute(
        "SELECT COUNT(*) FROM speaker_terms WHERE count < 1 OR term_id NOT IN (SELECT id FROM terms) "
        "OR speaker_id NOT IN (SELECT id FROM speakers)"
    ).fetchone() == (0,)
    # speakers' words are part of the archive's (the rest is narration)
    assert (
        0
        < conn.execute("SELECT SUM(count) FROM speaker_terms").fetchone()[0]
        < conn.execute("SELECT SUM(count) FROM terms").fetchone()[0]
    )
    conn.close()


def test_every_speakers_counts_are_all_of_their_terms_after_an_import(seed_archive_path, tmp_path, notes):
    path = tmp_path / "archive.db"
    shutil.copyfile(seed_archive_path, path)
    import_files(path, [notes])
    conn = sqlite3.connect(path)
    speakers = [r[0] for r in conn.execute("SELECT id FROM speakers")]
    for sid in speakers:
        full = reference_counts(conn, sid)
        assert speaker_counts(conn, sid) == dict(full)
    zhovtis = conn.execute("SELECT id FROM speakers WHERE name = 'Yevgeniy Zhovtis'").fetchone()[0]
    full = reference_counts(conn, zhovtis)
    conn.close()
    with Archive(path) as a:
        listed = Statistics(a).terms(Scope(speaker_id=zhovtis), limit=10)
        # the ten most used, ties at the tenth decided by label as in the archive's scope
        assert [t.count for t in listed] == sorted(full.values(), reverse=True)[:10]
        assert all(full[t.key] == t.count for t in listed)
        everything = Statistics(a).terms(Scope(speaker_id=zhovtis), limit=10**6)
        assert {t.key: t.count for t in everything} == dict(full)


def test_distinctive_terms_need_the_speakers_total_when_given_only_some_terms():
    mine = {"court": 9, "judge": 6, "law": 1, "appeal": 1}
    others = {"court": 3, "judge": 1, "law": 40, "appeal": 2, "press": 30}
    background = {k: mine.get(k, 0) + others.get(k, 0) for k in {*mine, *others}}
    full = distinctive(mine, others, background, alpha0=10)
    kept = {k: c for k, c in mine.items() if c >= 2}
    assert full == distinctive(kept, others, background, alpha0=10, n_mine=sum(mine.values()))
    assert full != distinctive(kept, others, background, alpha0=10)


# ------------------------------------------------------------------ worker processes


def test_a_rebuild_in_worker_processes_equals_one_in_this_process(tmp_path):
    path = tmp_path / "synth.db"
    synthesize(path, 1200, seed=9, log=lambda _m: None, stats=False)
    here, workers = rebuilt(path, tmp_path, 0), rebuilt(path, tmp_path, 2)
    a, b = content(here), content(workers)
    assert a == b and a["terms"] and a["figures"] and a["speaker_terms"] and a["mention_groups"]


def test_uncommitted_rows_are_counted_in_this_process(seed_archive_path, tmp_path):
    path = tmp_path / "archive.db"
    shutil.copyfile(seed_archive_path, path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE passages SET text = text || ' Zorblats.' WHERE seq = 5")
    assert conn.in_transaction
    rebuild_stats(conn, workers=2)  # the workers could not see the change: counted here
    assert conn.execute("SELECT count FROM terms WHERE key = 'zorblat'").fetchone() == (1,)
    conn.close()


def test_synth_writes_the_statistics_unless_told_not_to(tmp_path):
    filled, empty = tmp_path / "filled.db", tmp_path / "empty.db"
    synthesize(filled, 300, seed=4, log=lambda _m: None)
    synthesize(empty, 300, seed=4, log=lambda _m: None, stats=False)
    assert content(filled) == content(rebuilt(empty, tmp_path))
    assert not any(content(empty).values())
