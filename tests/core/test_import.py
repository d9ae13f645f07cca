"""Import into an archive: what each of our documents becomes, and the safety rules around it."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import SEED_SLUG
from viewer.core import archive_writing, importer
from viewer.core.archive import Archive
from viewer.core.build import ArchiveWriter
from viewer.core.db import ArchiveDamaged, ArchiveError, ArchiveNotAFile, ArchiveNotFound, ArchiveTooNew, NotAnArchive
from viewer.core.errors import ArchiveBusy, ArchiveReadOnly, ImportCancelled
from viewer.core.importer import DUPLICATE, FAILED, FILLED, IMPORTED, ImportJob, import_files

DATA = Path(__file__).resolve().parents[1] / "data" / "import"
SOURCES = Path(__file__).resolve().parents[2] / "resources" / "sources"


@pytest.fixture
def archive(seed_archive_path, tmp_path) -> Path:
    """A private copy of the seed archive to import into."""
    path = tmp_path / "archive.db"
    shutil.copy(seed_archive_path, path)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def doc_of(a: Archive, outcome) -> object:
    return a.document(outcome.document_id)


def quotes(a: Archive, doc_id: int) -> list[tuple]:
    return [
        (q.text, q.kind, q.speaker_name or q.speaker_label, q.quoted_by_name)
        for q in a.quotes(document_id=doc_id, kinds=None)
    ]


def speakers(a: Archive, doc_id: int) -> list[tuple]:
    roles = {
        r["speaker_id"]: r["event_role"]
        for r in a.db.execute("SELECT speaker_id, event_role FROM document_speakers WHERE document_id = ?", (doc_id,))
    }
    return [(s.name, s.honorific, s.role, s.organisation, roles[s.id]) for s in a.speakers(doc_id)]


def passages(a: Archive, doc_id: int) -> list[tuple]:
    return [(p.speaker_name, p.attribution) for p in a.passages(doc_id)]


# ------------------------------------------------------------------ our documents, one by one

EXPECTED = {
    "prose-report.txt": dict(
        title="Press freedom under pressure: a public discussion in Vilnius",
        kind="discussion",
        date="2022-06-04",
        published="2022-06-10",
        organiser="Baltic Media Forum",
        speakers=[
            ("Jonas Petraitis", None, "Director", "Baltic Media Forum", "moderator"),
            ("Aigerim Serikbayeva", None, "journalist", "Steppe Herald", "panelist"),
            ("Martin Keller", "Dr", "Senior Researcher", "Institute for Eastern Studies", "panelist"),
        ],
        passages=[
            (None, "narration"),
            ("Jonas Petraitis", "name"),
            ("Aigerim Serikbayeva", "name"),
            ("Martin Keller", "name"),
            ("Jonas Petraitis", "name"),
        ],
        quotes=[
            ("We count the cases, but behind every number there is a person,", "quote", "Jonas Petraitis", None),
            ("You will write about the weather from now on.", "quote", "an officer", "Aigerim Serikbayeva"),
            ("the pressure is quiet, but it never stops.", "quote", "Aigerim Serikbayeva", None),
            ("general measures hurt the very people we want to protect.", "quote", "Martin Keller", None),
            ("Quiet Pressure", "title", None, None),
        ],
    ),
    "hearing-transcript.txt": dict(
        title="Hearing on the safety of journalists: transcript",
        kind="transcript",
        date="2023-09-22",
        published=None,
        organiser=None,
        speakers=[
            ("Eva Lindqvist", None, None, None, "chair"),
            ("Samuel Adeyemi", "Mr", "Editor", "The Coastal Times", "speaker"),
            ("Nadia Haddad", "Ms", "lawyer", "Press Defence Network", "speaker"),
        ],
        passages=[
            (None, "narration"),
            (None, "narration"),
            ("Eva Lindqvist", "turn"),
            ("Samuel Adeyemi", "turn"),
            ("Samuel Adeyemi", "continuation"),
            ("Eva Lindqvist", "turn"),
            ("Nadia Haddad", "turn"),
            (None, "audience"),
            ("Nadia Haddad", "turn"),
            ("Eva Lindqvist", "turn"),
        ],
        quotes=[
            ("They know what they did.", "quote", "a police spokesman", "Samuel Adeyemi"),
            ("preventive", "term", None, None),
            ("The cell was the quietest newsroom I ever worked in.", "quote", "One of the reporters", "Nadia Haddad"),
        ],
    ),
    "lawyers-round-table.html": dict(
        title="Lawyers under pressure: a round table in Almaty",
        kind="roundtable",
        date="2021-11-18",
        published="2021-11-20",
        organiser="Steppe Watch network",
        speakers=[
            ("Gulnara Akhmetova", None, "defence lawyer", None, "panelist"),
            ("Daniel Novak", None, "researcher", "Prague Centre for Legal Studies", "panelist"),
        ],
        passages=[(None, "narration"), ("Gulnara Akhmetova", "name"), ("Daniel Novak", "name")],
        quotes=[
            ("My clients’ files are read by the same people who prosecute them,", "quote", "Gulnara Akhmetova", None),
            ("A lawyer who is afraid cannot defend anyone.", "quote", "Daniel Novak", None),
            ("Defending the Defenders", "title", None, None),
        ],
    ),
    "webinar-notes.md": dict(
        title="Women in civic journalism: notes from a webinar",
        kind="webinar",
        date="2023-03-08",
        published=None,
        organiser="Nordic Press Council",
        speakers=[
            ("Liisa Virtanen", None, "coordinator of the exchange programme", "Nordic Press Council", "moderator"),
            ("Marta Kowalczyk", None, "editor", "Gazeta Obywatelska", "panelist"),
            ("Aigerim Serikbayeva", None, "journalist", "Steppe Herald", "panelist"),
        ],
        passages=[
            (None, "narration"),
            ("Liisa Virtanen", "pronoun"),
            (None, "narration"),
            ("Marta Kowalczyk", "name"),
            ("Aigerim Serikbayeva", "name"),
            (None, "narration"),
            (None, "narration"),
            (None, "narration"),
            (None, "narration"),
            ("Marta Kowalczyk", "name"),
        ],
        quotes=[
            ("Every woman who leaves takes a beat with her,", "quote", "Marta Kowalczyk", None),
            ("The threats come at night, and they come by name.", "quote", "Aigerim Serikbayeva", None),
            ("money follows courage, never the other way round.", "quote", "Marta Kowalczyk", None),
        ],
    ),
    "zhanaozen-memorial.txt": dict(
        title="Zhanaozen, ten years on: a memorial evening in Almaty",
        kind="event",
        date="2021-12-16",
        published=None,
        organiser=None,
        speakers=[
            ("Айгерим Серикбаева", None, "journalist", "Steppe Herald", "moderator"),
            ("Ерлан Жумабаев", None, None, None, "panelist"),
            ("Pavel Orlov", None, "lawyer", None, "panelist"),
        ],
        passages=[
            (None, "narration"),
            ("Айгерим Серикбаева", "name"),
            ("Ерлан Жумабаев", "name"),
            ("Pavel Orlov", "name"),
        ],
        quotes=[
            ("We are here to remember, not to be silent.", "quote", "Айгерим Серикбаева", None),
            ("Десять лет мы ждём правды", "quote", "Ерлан Жумабаев", None),
            ("власти так и не назвали ни одного виновного", "quote", "Ерлан Жумабаев", None),
            ("Мы не забудем", "quote", "Айгерим Серикбаева", None),
        ],
    ),
    "campus-debate.txt": dict(
        title="Students and the new media law: a campus debate",
        kind="debate",
        date="2022-10-03",
        published=None,
        organiser=None,
        speakers=[
            ("Nino Beridze", "Professor", "Professor", None, "chair"),
            ("Giorgi Kapanadze", None, "student journalist", None, "panelist"),
            ("Ana Lomidze", None, "law student", None, "panelist"),
        ],
        passages=[(None, "narration"), ("Nino Beridze", "name"), ("Giorgi Kapanadze", "name"), ("Ana Lomidze", "name")],
        quotes=[
            ("vague by design", "quote", "Nino Beridze", None),  # her words, in "said that …"
            ("A law that can mean anything will be used against everyone.", "quote", "Nino Beridze", None),
            ("Don't write about the ministry.", "quote", "his editor", "Giorgi Kapanadze"),
            (
                "My editor told me, ‘Nobody reads the fine print until it's too late,’ and he was right.",
                "quote",
                "Giorgi Kapanadze",
                None,
            ),
            ("Nobody reads the fine print until it's too late,", "quote", "My editor", "Giorgi Kapanadze"),
            ("self-regulation", "term", None, None),
            ("We don’t need another code,", "quote", "Ana Lomidze", None),
            ("We need courts that work.", "quote", "Ana Lomidze", None),
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_document_imports_with_its_title_dates_speakers_turns_and_quotes(archive, name):
    want = EXPECTED[name]
    report = import_files(archive, [DATA / name])
    [outcome] = report.files
    assert outcome.status == IMPORTED, outcome.message
    with Archive(archive) as a:
        doc = doc_of(a, outcome)
        assert (doc.title, doc.kind, doc.date, doc.published, doc.organiser, doc.collection, doc.has_text) == (
            want["title"],
            want["kind"],
            want["date"],
            want["published"],
            want["organiser"],
            "Imported",
            True,
        )
        assert doc.source_note == f"Imported from “{name}”."
        assert speakers(a, doc.id) == want["speakers"]
        assert passages(a, doc.id) == want["passages"]
        assert quotes(a, doc.id) == want["quotes"]
        for p in a.passages(doc.id):
            for q in a.quotes(passage_id=p.id, kinds=None):
                assert p.text[q.start : q.end] == q.text
            for m in a.mentions(passage_id=p.id):
                assert p.text[m.start : m.end] == m.surface
        assert a.summary().documents == 12  # the seed's 11 and this one
    assert report.exit_code == 0


def test_the_transcript_keeps_its_turn_labels_and_header_lines(archive):
    report = import_files(archive, [DATA / "hearing-transcript.txt"])
    with Archive(archive) as a:
        doc_id = report.files[0].document_id
        rows = a.db.execute("SELECT seq, label, text FROM passages WHERE document_id = ? ORDER BY seq", (doc_id,))
        assert [(r["seq"], r["label"]) for r in rows][:4] == [(1, None), (2, None), (3, "CHAIR"), (4, "SAMUEL ADEYEMI")]
        assert rows[0]["text"] == "Location: Committee Room 3, Strasbourg"
        assert rows[1]["text"].startswith("Participants: Eva Lindqvist (Chair)")
        assert rows[7]["label"] == "QUESTION"


def test_a_docx_document(archive, tmp_path):
    from tests.core.test_readers import make_docx

    report = import_files(archive, [make_docx(tmp_path / "riga-panel.docx")])
    [outcome] = report.files
    with Archive(archive) as a:
        doc = doc_of(a, outcome)
        assert (doc.title, doc.date, doc.kind) == ("Voices from the archive: a panel in Riga", "2022-05-05", "panel")
        assert speakers(a, doc.id) == [("Laura Ozola", None, "historian", "University of Latvia", "panelist")]
        assert quotes(a, doc.id) == [
            ("Archives are where the state keeps its conscience.", "quote", "Laura Ozola", None)
        ]


@pytest.mark.parametrize("encoding", ["cp1251", "utf-16", "utf-8-sig"])
def test_the_cyrillic_document_in_other_encodings_imports_the_same(archive, tmp_path, encoding):
    text = (DATA / "zhanaozen-memorial.txt").read_text(encoding="utf-8")
    path = tmp_path / "zhanaozen-memorial.txt"
    path.write_bytes(text.replace("“", '"').replace("”", '"').encode(encoding))  # cp1251 has curly quotes too
    report = import_files(archive, [path])
    with Archive(archive) as a:
        doc_id = report.files[0].document_id
        want = EXPECTED["zhanaozen-memorial.txt"]
        assert speakers(a, doc_id) == want["speakers"]
        assert [q[:3] for q in quotes(a, doc_id)] == [q[:3] for q in want["quotes"]]


# ------------------------------------------------------------------ speakers across documents


def test_one_person_in_cyrillic_and_latin_is_one_speaker(archive):
    report = import_files(
        archive, [DATA / "prose-report.txt", DATA / "zhanaozen-memorial.txt", DATA / "webinar-notes.md"]
    )
    assert [f.status for f in report.files] == [IMPORTED] * 3
    with Archive(archive) as a:
        [s] = a.find_speakers("Serikbayeva")
        assert a.find_speakers("Серикбаева") == [s]
        assert s.name == "Aigerim Serikbayeva" and "Айгерим Серикбаева" in s.aliases
        assert [d.title for d, _r in a.event_roles(s.id)] == [
            "Zhanaozen, ten years on: a memorial evening in Almaty",
            "Press freedom under pressure: a public discussion in Vilnius",
            "Women in civic journalism: notes from a webinar",
        ]
        assert [r.role for _d, r in a.event_roles(s.id)] == ["moderator", "panelist", "panelist"]
        assert (s.passages, s.quotes) == (3, 4)
        said = [q.text for q in a.quotes(speaker_id=s.id) if q.speaker_id == s.id]
        assert "Мы не забудем" in said and "the pressure is quiet, but it never stops." in said
        # one person entity for her, whatever the spelling
        assert [e.name for e in a.entities("person") if e.speaker_id == s.id] == ["Aigerim Serikbayeva"]
        # her passages in the Cyrillic document are found by her Latin name
        hits = a.db.execute("SELECT rowid FROM passages_fts WHERE passages_fts MATCH 'Aigerim'")
        assert len(hits) == 3
    assert len(report.speaker_ids) == 7 and len(report.new_speaker_ids) == 7
    assert report.uncertain == []


def test_a_transliteration_variant_joins_the_seed_speaker(archive, tmp_path):
    one = tmp_path / "one.txt"
    one.write_text("Brief\n\nEvgeny Zhovtis, a lawyer, said: “The courts must be open.”\n", encoding="utf-8")
    two = tmp_path / "two.txt"
    two.write_text("Заметки\n\nЕвгений Жовтис сказал: «Суды должны быть открыты».\n", encoding="utf-8")
    report = import_files(archive, [one, two])
    with Archive(archive) as a:
        [s] = a.find_speakers("Zhovtis")
        assert s.name == "Yevgeniy Zhovtis"
        assert {"Evgeny Zhovtis", "Евгений Жовтис"} <= set(s.aliases)
        assert s.quotes == 3
    assert report.new_speaker_ids == [] and not [n for n in report.uncertain if "kept apart" in n]


def test_kazakh_russian_and_latin_spellings_of_one_name_are_one_speaker(archive, tmp_path):
    """Қ, х and q/kh spell one family of sounds: the Kazakh, Russian and Latin spellings of a name meet."""
    kazakh = tmp_path / "kazakh.txt"
    kazakh.write_text("Встреча\n\nМұхтар Қалиев, юрист, сказал: «Суды закрыты».\n", encoding="utf-8")
    russian = tmp_path / "russian.txt"
    russian.write_text("Заседание\n\nМухтар Калиев, юрист, сказал: «Суд должен быть открытым».\n", encoding="utf-8")
    latin = tmp_path / "latin.txt"
    latin.write_text("Briefing\n\nMukhtar Qaliyev, a lawyer, said: “The court must be open.”\n", encoding="utf-8")
    report = import_files(archive, [kazakh, russian, latin])
    assert not [n for n in report.uncertain if "kept apart" in n]
    with Archive(archive) as a:
        [s] = a.find_speakers("Qaliyev")
        assert a.find_speakers("Калиев") == [s] and a.find_speakers("Қалиев") == [s]
        assert a.find_speakers("Mukhtar Kaliyev") == [s]
        assert s.quotes == 3 and {"Мұхтар Қалиев", "Mukhtar Qaliyev"} <= {s.name, *s.aliases}


def test_when_unsure_people_are_kept_apart_and_the_summary_says_so(archive, tmp_path):
    doc = tmp_path / "notes.txt"
    doc.write_text(
        "Notes\n\nYevgenia Zhovtis, a teacher, said: “Schools are quiet.”\n\n"
        "Mr Burian, a farmer, said: “The harvest was late.”\n",
        encoding="utf-8",
    )
    report = import_files(archive, [doc])
    assert report.uncertain == [
        "notes.txt: no date in the document",
        "notes.txt: “Yevgenia Zhovtis” may be the same person as “Yevgeniy Zhovtis”; kept apart",
        "notes.txt: “Burian” may be the same person as “Peter Burian”; kept apart",
    ]
    assert "3 uncertain" in report.summary()
    with Archive(archive) as a:
        assert len(a.find_speakers("Zhovtis")) == 2


# ------------------------------------------------------------------ duplicates and listed reports


def test_importing_the_same_content_twice_adds_nothing_and_says_so(archive):
    first = import_files(archive, [DATA / "prose-report.txt"])
    before = digest(archive)
    again = import_files(archive, [DATA / "prose-report.txt", SOURCES / f"{SEED_SLUG}.txt"])
    assert [f.status for f in again.files] == [DUPLICATE, DUPLICATE]
    assert again.files[0].message == (
        "prose-report.txt: already in the archive as “Press freedom under pressure: a public discussion in Vilnius” "
        "(press-freedom-under-pressure-a-public-discussion-in-vilnius); nothing added"
    )
    assert again.files[0].document_id == first.files[0].document_id
    assert again.files[1].slug == SEED_SLUG
    assert again.summary() == "0 documents imported; 2 already in the archive."
    assert again.exit_code == 0
    assert digest(archive) == before  # not even the file's change counter moved


def test_the_same_text_in_another_encoding_is_the_same_content(archive, tmp_path):
    import_files(archive, [DATA / "zhanaozen-memorial.txt"])
    copy = tmp_path / "copy.txt"
    copy.write_bytes((DATA / "zhanaozen-memorial.txt").read_text(encoding="utf-8").encode("utf-16"))
    assert import_files(archive, [copy]).files[0].status == DUPLICATE


def test_two_copies_in_one_import_are_imported_once(archive, tmp_path):
    copy = tmp_path / "again.txt"
    shutil.copy(DATA / "campus-debate.txt", copy)
    report = import_files(archive, [DATA / "campus-debate.txt", copy])
    assert [f.status for f in report.files] == [IMPORTED, DUPLICATE]


def test_a_file_titled_like_a_listed_report_fills_it(archive):
    with Archive(archive) as a:
        listed = next(d for d in a.documents() if d.title.startswith("Servants of the Regime"))
        assert not listed.has_text
        count = a.summary().documents
    report = import_files(archive, [DATA / "servants-of-the-regime.txt"])
    [outcome] = report.files
    assert outcome.status == FILLED and outcome.document_id == listed.id
    assert outcome.message.startswith(
        "servants-of-the-regime.txt: filled the listed report “Servants of the Regime: "
        "Servants of the Regime in Kazakhstan”"
    )
    with Archive(archive) as a:
        doc = a.document(listed.id)
        assert (doc.slug, doc.title, doc.collection, doc.date, doc.kind) == (
            listed.slug,
            listed.title,
            listed.collection,
            listed.date,
            listed.kind,
        )
        assert doc.has_text and doc.passages == 2 and doc.published == "2020-10-28"
        assert doc.source_note == (
            "Listed in “Addressing human rights abuses in Kazakhstan: a need for the EU "
            "response”, ¶ 31. Text imported from “servants-of-the-regime.txt”."
        )
        assert a.listed_in(doc.id).text.startswith("Servants of the Regime")
        assert a.summary().documents == count
        assert speakers(a, doc.id) == [("Olena Marchenko", None, "analyst", "Open Dialogue Foundation", "speaker")]
    # the listing's own date stands; the file's publication date is kept as such, nothing uncertain
    assert report.uncertain == []
    assert report.summary() == "1 document imported (1 filling a listed report), 1 speaker (1 new), 1 quote."


def test_listing_matches(tmp_path):
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE documents (id INTEGER, title TEXT, date TEXT, has_text INTEGER)")
    conn.executemany(
        "INSERT INTO documents VALUES (?, ?, ?, 0)",
        [
            (1, "Servants of the Regime: Servants of the Regime in Kazakhstan", "2020-10-28"),
            (2, "Annual report 2020: Kazakhstan", "2021-01"),
            (3, "Annual report 2020: Kyrgyzstan", "2021-01"),
            (4, "Kazakhstan’s Kafkaesque dictatorship: the authorities “playing rodeo” with its critics", "2020-12-24"),
        ],
    )
    find = importer.find_listing
    assert find(conn, "SERVANTS OF THE REGIME", None) == (1, None)
    assert find(conn, "Servants of the Regime in Kazakhstan", "2020-10") == (1, None)
    assert find(
        conn, "Kazakhstan's Kafkaesque dictatorship - the authorities 'playing rodeo' with its critics", None
    ) == (4, None)
    assert find(
        conn, "Kazakhstans Kafkaesque dictatorship: the authorities playing rodeo with their critics", None
    ) == (4, None)
    assert find(conn, "Annual report 2020", None) == (
        None,
        "the title could be the listed report “Annual report 2020: Kazakhstan” or “Annual report 2020: "
        "Kyrgyzstan”; added as a new document",
    )
    assert find(conn, "Servants of the Regime", "2015-01-01") == (
        None,
        "a listed report has this title (“Servants of the Regime: Servants of the Regime in Kazakhstan”) but "
        "another date; added as a new document",
    )
    assert find(conn, "Regime", None) == (None, None)
    assert find(conn, "Something else entirely", None) == (None, None)


def test_new_documents_get_unique_slugs_and_the_chosen_collection(archive, tmp_path):
    a1 = tmp_path / "a.txt"
    a1.write_text("Same title\n\nMaria Lopez, a researcher, said: “One.”\n", encoding="utf-8")
    a2 = tmp_path / "b.txt"
    a2.write_text("Same title\n\nMaria Lopez, a researcher, said: “Two.”\n", encoding="utf-8")
    report = import_files(archive, [a1, a2], collection="Field notes")
    assert [f.slug for f in report.files] == ["same-title", "same-title-2"]
    with Archive(archive) as a:
        docs = [a.document(f.document_id) for f in report.files]
        assert [(d.collection, d.date) for d in docs] == [("Field notes", None), ("Field notes", None)]
    assert report.uncertain == [
        "a.txt: no date in the document",
        "b.txt: no date in the document",
        "b.txt: the archive already has a document titled “Same title” (same-title) with other text; added as "
        "another document",
    ]


# ------------------------------------------------------------------ search and counts


def test_search_finds_imported_text_and_the_indexes_are_sound(archive):
    import_files(archive, [DATA / "campus-debate.txt", DATA / "zhanaozen-memorial.txt"])
    conn = sqlite3.connect(archive)
    for t in ("passages", "quotes"):
        conn.execute(f"INSERT INTO {t}_fts({t}_fts) VALUES ('integrity-check')")
    found = conn.execute(
        "SELECT p.text FROM passages_fts f JOIN passages p ON p.id = f.rowid WHERE passages_fts MATCH 'courts'"
    ).fetchall()
    assert len(found) == 1 and "We need courts that work." in found[0][0]
    # Cyrillic text is found by its Latin transliteration, and the other way round
    assert conn.execute("SELECT COUNT(*) FROM passages_fts WHERE passages_fts MATCH 'zhumabayev'").fetchone()[0] == 1
    assert conn.execute("SELECT COUNT(*) FROM quotes_fts WHERE quotes_fts MATCH 'pravdy'").fetchone()[0] == 1
    # the seed is still found as before
    assert conn.execute("SELECT COUNT(*) FROM passages_fts WHERE passages_fts MATCH 'Castelletti'").fetchone()[0] > 0
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_counts_are_sums_over_documents(archive):
    import_files(archive, [DATA / "prose-report.txt", DATA / "webinar-notes.md"])
    with Archive(archive) as a:
        for s in a.speakers():
            ids = a.passage_ids(speaker_id=s.id)
            assert s.passages == len(ids)
            assert s.words == sum(p.words for p in a.passages_by_ids(ids))
            assert s.quotes == len([q for q in a.quotes(speaker_id=s.id) if q.speaker_id == s.id])
        summary = a.summary()
        assert summary.documents_with_text == 3


# ------------------------------------------------------------------ failures change nothing


def test_a_file_that_cannot_be_read_changes_nothing_and_the_others_are_imported(archive, tmp_path):
    bad = tmp_path / "noise.txt"
    bad.write_bytes(bytes(range(256)) * 20)
    report = import_files(archive, [bad, DATA / "campus-debate.txt", tmp_path / "missing.md"])
    assert [(f.status, f.message) for f in report.files if f.status == FAILED] == [
        (FAILED, "noise.txt: is not a text document (it contains binary data)"),
        (FAILED, "missing.md: no such file"),
    ]
    assert report.files[1].status == IMPORTED and report.exit_code == 1
    assert report.summary() == "1 document imported, 3 speakers (3 new), 7 quotes; 2 could not be imported."


def test_a_bug_met_in_one_file_is_logged_and_the_others_are_imported(archive, tmp_path, reading_process):
    """A bug is reported as one (its traceback in the log), never as "could not be analysed", and it costs
    the file it was met in only."""
    reading_process("""
        import viewer.core.importer as importer
        real = importer.extract
        def fragile(text):
            if "Tbilisi" in text:
                raise IndexError("list index out of range")
            return real(text)
        importer.extract = fragile
    """)
    data = tmp_path / "mine"
    report = import_files(archive, [DATA / "campus-debate.txt", DATA / "prose-report.txt"], data_dir=data)
    assert [f.status for f in report.files] == [FAILED, IMPORTED]
    log = data / "errors.log"
    assert report.files[0].message == f"campus-debate.txt: could not be read: internal error, details in {log}"
    assert "IndexError: list index out of range" in log.read_text(encoding="utf-8")


def test_only_unreadable_files_leave_the_archive_untouched(archive, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    before = digest(archive)
    report = import_files(archive, [empty])
    assert report.files[0].message == "empty.txt: is empty" and report.exit_code == 1
    assert digest(archive) == before


@pytest.mark.parametrize("error", [RuntimeError("simulated failure"), sqlite3.OperationalError("disk I/O error")])
def test_an_error_midway_rolls_everything_back(archive, monkeypatch, error):
    before = digest(archive)
    listing = files_beside(archive)
    calls = []
    original = ArchiveWriter.index_document

    def failing(self, document_id):
        calls.append(document_id)
        if len(calls) == 2:
            raise error
        original(self, document_id)

    monkeypatch.setattr(ArchiveWriter, "index_document", failing)
    with pytest.raises((RuntimeError, ArchiveError)) as e:
        import_files(
            archive, [DATA / "prose-report.txt", DATA / "servants-of-the-regime.txt", DATA / "campus-debate.txt"]
        )
    if isinstance(error, sqlite3.Error):
        assert e.value.message == "The archive “archive.db” could not be written (a disk error). Nothing was imported."
    assert len(calls) == 2
    assert digest(archive) == before
    assert files_beside(archive) == listing  # no journal left behind
    with Archive(archive) as a:
        assert a.summary().documents_with_text == 1


def test_cancel_rolls_back_at_any_step(archive):
    files = [DATA / "prose-report.txt", DATA / "campus-debate.txt"]
    for stop_at in range(5):  # reading 1, reading 2, writing 1, writing 2, saving
        target = archive.with_name(f"target{stop_at}.db")
        shutil.copy(archive, target)
        before = digest(target)
        asked = iter(range(100))
        with pytest.raises(ImportCancelled):
            import_files(target, files, cancelled=lambda: next(asked) >= stop_at)
        assert digest(target) == before
        assert not target.with_name(target.name + "-journal").exists()
    steps: list[tuple[int, int, str]] = []
    import_files(archive, files, progress=lambda *a: steps.append(a))
    assert steps == [
        (0, 5, "Reading prose-report.txt"),
        (1, 5, "Reading campus-debate.txt"),
        (2, 5, "Writing prose-report.txt"),
        (3, 5, "Writing campus-debate.txt"),
        (4, 5, "Saving"),
        (5, 5, "Done"),
    ]


def test_import_job_cancel(archive):
    before = digest(archive)
    job = ImportJob(archive, [DATA / "prose-report.txt"])
    job.cancel()
    assert job.is_cancelled
    with pytest.raises(ImportCancelled):
        job.run()
    assert digest(archive) == before
    assert ImportJob(archive, [DATA / "prose-report.txt"]).run().files[0].status == IMPORTED


# ------------------------------------------------------------------ the archive itself


def test_a_missing_archive_is_not_created(tmp_path):
    missing = tmp_path / "new.db"
    with pytest.raises(ArchiveNotFound):
        import_files(missing, [DATA / "prose-report.txt"])
    assert not missing.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "make,error",
    [
        (lambda p: p.mkdir(), ArchiveNotAFile),
        (lambda p: p.write_text("notes"), NotAnArchive),
        (lambda p: p.write_bytes(b""), NotAnArchive),
        (lambda p: sqlite3.connect(p).execute("CREATE TABLE t (x)").connection.commit(), NotAnArchive),
    ],
)
def test_things_that_are_not_archives_are_refused_untouched(tmp_path, make, error):
    path = tmp_path / "thing.db"
    make(path)
    listing = files_beside(path)
    before = digest(path) if path.is_file() else None
    with pytest.raises(error):
        import_files(path, [DATA / "prose-report.txt"])
    assert files_beside(path) == listing
    if before:
        assert digest(path) == before


def test_a_newer_archive_is_refused(archive):
    conn = sqlite3.connect(archive)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = digest(archive)
    with pytest.raises(ArchiveTooNew, match="newer version"):
        import_files(archive, [DATA / "prose-report.txt"])
    assert digest(archive) == before


def test_a_damaged_archive_is_refused(archive):
    data = archive.read_bytes()
    archive.write_bytes(data[:4096] + b"\x00" * 4096 + data[8192:])
    before = digest(archive)
    with pytest.raises(ArchiveDamaged) as e:
        import_files(archive, [DATA / "prose-report.txt"])
    assert e.value.message in (
        "The archive “archive.db” is damaged and cannot be read.",
        "The archive “archive.db” is damaged; nothing was imported.",
    )
    assert digest(archive) == before


def test_damage_the_read_checks_miss_is_found_before_writing(archive):
    conn = sqlite3.connect(archive)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'mentions'").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(archive.read_bytes())
    data[(root - 1) * size : root * size] = b"\x00" * size  # the mentions table's page: unread on open
    archive.write_bytes(bytes(data))
    before = digest(archive)
    with pytest.raises(ArchiveDamaged, match="is damaged"):
        import_files(archive, [DATA / "prose-report.txt"])
    assert digest(archive) == before


def test_an_archive_with_triggers_is_refused(archive):
    conn = sqlite3.connect(archive)
    conn.execute("CREATE TRIGGER t AFTER INSERT ON passages BEGIN DELETE FROM speakers; END")
    conn.commit()
    conn.close()
    before = digest(archive)
    with pytest.raises(NotAnArchive):
        import_files(archive, [DATA / "prose-report.txt"])
    assert digest(archive) == before


def test_a_read_only_archive_or_folder_is_refused(archive):
    archive.chmod(0o444)
    try:
        with pytest.raises(ArchiveReadOnly) as e:
            import_files(archive, [DATA / "prose-report.txt"])
        assert e.value.message == "The archive “archive.db” is read-only; nothing was imported."
    finally:
        archive.chmod(0o644)
    archive.parent.chmod(0o555)
    try:
        with pytest.raises(ArchiveReadOnly, match="is in a read-only folder"):
            import_files(archive, [DATA / "prose-report.txt"])
    finally:
        archive.parent.chmod(0o755)


def test_a_busy_archive_waits_then_gives_up_cleanly(archive, monkeypatch):
    monkeypatch.setattr(archive_writing, "BUSY_TIMEOUT_MS", 50)
    other = sqlite3.connect(archive)
    other.execute("BEGIN IMMEDIATE")  # another writer: readers may read, we may not write
    other.execute("UPDATE meta SET value = value WHERE key = 'title'")
    try:
        with pytest.raises(ArchiveBusy, match="in use by another program"):
            import_files(archive, [DATA / "prose-report.txt"])
    finally:
        other.rollback()
        other.close()
    with Archive(archive) as a:
        assert a.summary().documents_with_text == 1


def without_optional_columns(path: Path) -> Path:
    """``path`` as an archive made before the optional columns of the format existed."""
    from viewer.core import schema

    conn = sqlite3.connect(path)
    for table, columns in schema.OPTIONAL_COLUMNS.items():
        for column in columns:
            conn.execute(f"ALTER TABLE [{table}] DROP COLUMN [{column}]")
    conn.commit()
    conn.close()
    return path


def test_an_archive_made_before_the_optional_columns_is_read_and_imported_into(archive):
    without_optional_columns(archive)
    with Archive(archive) as a:
        before = a.quotes()
        assert before and all(q.rule is None and q.suggested_speaker is None for q in before)
    report = import_files(archive, [DATA / "prose-report.txt"])
    assert report.documents
    with Archive(archive) as a:
        assert [q.rule for q in a.quotes(document_id=report.documents[0].document_id)][0]
        assert [q.rule for q in a.quotes() if q.document_id == before[0].document_id] == [None] * len(before)
