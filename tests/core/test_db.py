"""Archives come from other people: opening one is safe whatever the file (RELIABILITY 6-13)."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from tests.conftest import wal_archive_with_pending_change
from viewer.core.archive import TOO_LARGE, Archive
from viewer.core.errors import Cancelled, ViewerError
from viewer.core.db import (
    ArchiveDamaged,
    ArchiveError,
    ArchiveNotAFile,
    ArchiveNotFound,
    ArchiveTooNew,
    ArchiveUnreadable,
    NotAnArchive,
    QueryInterrupted,
    QueryTimeout,
    open_archive,
)


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def modified(seed: Path, tmp_path: Path, sql: str, name: str = "changed.db") -> Path:
    path = tmp_path / name
    shutil.copy(seed, path)
    conn = sqlite3.connect(path)
    conn.executescript(sql)
    conn.commit()
    conn.close()
    return path


def test_missing_file_is_reported_and_not_created(tmp_path):
    with pytest.raises(ArchiveNotFound, match="does not exist"):
        Archive(tmp_path / "nope.db")
    assert listing(tmp_path) == []


def test_a_folder_is_not_an_archive(tmp_path):
    with pytest.raises(ArchiveNotAFile, match="folder"):
        Archive(tmp_path)


def test_unreadable_file(tmp_path, seed_archive_path, monkeypatch):
    path = tmp_path / "locked.db"
    shutil.copy(seed_archive_path, path)

    def denied(self, *a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(ArchiveUnreadable, match="cannot be read"):
        Archive(path)


@pytest.mark.parametrize("content", [b"", b"hello", b"SQLite format 3\x00" + b"\x00" * 10, b"\x00" * 4096])
def test_not_sqlite_at_all(tmp_path, content):
    path = tmp_path / "x.db"
    path.write_bytes(content)
    with pytest.raises(NotAnArchive, match="not an Archive Viewer archive"):
        Archive(path)
    assert path.read_bytes() == content


def test_another_programs_database(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE passages (id INTEGER PRIMARY KEY, text TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotAnArchive):
        Archive(path)
    assert path.read_bytes() == before


def test_newer_format(tmp_path, seed_archive_path):
    path = modified(seed_archive_path, tmp_path, "PRAGMA user_version = 7;")
    with pytest.raises(ArchiveTooNew, match="newer version of Archive Viewer.*please update"):
        Archive(path)


@pytest.mark.parametrize("sql", [
    "ALTER TABLE passages RENAME TO real_passages; CREATE VIEW passages AS SELECT * FROM real_passages;",
    "DROP TABLE mentions; CREATE VIEW mentions AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
    "SELECT x AS id, x AS entity_id, x AS passage_id, x AS document_id, x AS start, x AS \"end\", '' AS surface, "
    "x AS speaker_id FROM c;",
    "DROP TABLE quotes_fts; CREATE TABLE quotes_fts (text, search_text);",
])
def test_tables_swapped_for_views_or_fakes_are_refused(tmp_path, seed_archive_path, sql):
    path = modified(seed_archive_path, tmp_path, sql)
    with pytest.raises(NotAnArchive):
        Archive(path)


def test_a_missing_column_is_damage(tmp_path, seed_archive_path):
    path = modified(seed_archive_path, tmp_path, "ALTER TABLE speakers DROP COLUMN country;")
    with pytest.raises(ArchiveDamaged, match="damaged"):
        Archive(path)


def test_hostile_triggers_never_run(tmp_path, seed_archive_path):
    path = modified(seed_archive_path, tmp_path,
                    "CREATE TABLE log (x); CREATE TRIGGER t AFTER UPDATE ON documents BEGIN INSERT INTO log VALUES (1); END;")
    before = path.read_bytes()
    with Archive(path) as a:
        assert len(a.documents()) == 11
        with pytest.raises(ArchiveError):
            a.db.execute("UPDATE documents SET title = 'x'")
    assert path.read_bytes() == before


def test_invalid_utf8_is_replaced_not_raised(tmp_path, seed_archive_path):
    path = modified(seed_archive_path, tmp_path, "UPDATE passages SET text = CAST(X'41FF42' AS TEXT) WHERE seq = 1;")
    with Archive(path) as a:
        assert a.passages(1)[0].text == "A\ufffdB"


def test_oversized_values_do_not_block_the_rest(tmp_path, seed_archive_path):
    path = modified(seed_archive_path, tmp_path,
                    "UPDATE passages SET text = text || zeroblob(3000000) WHERE seq = 2;")
    with Archive(path) as a:
        passages = a.passages(1)
        assert passages[1].text == TOO_LARGE
        assert passages[2].text.startswith("Among these")


@pytest.mark.parametrize("name", ["a #b.db", "what?.db", "100%.db", "with space.db", "архив é.db", "a%20b.db"])
def test_odd_paths_open_exactly_that_file(tmp_path, seed_archive_path, name):
    path = tmp_path / name
    shutil.copy(seed_archive_path, path)
    (tmp_path / "a ").write_bytes(b"decoy")  # what a naive f"file:{path}" URI would open for "a #b.db"
    before = listing(tmp_path)
    with Archive(path) as a:
        assert a.summary().speakers == 8
    assert listing(tmp_path) == before


def test_wal_archive_is_read_without_writing_beside_it(tmp_path, seed_archive_path):
    path = tmp_path / "wal.db"
    shutil.copy(seed_archive_path, path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    before = listing(tmp_path)
    assert before == ["wal.db"]
    with Archive(path) as a:
        assert a.summary().passages == 34
        clone = a.clone()
        assert len(clone.documents()) == 11
        clone.close()
    assert listing(tmp_path) == before


def test_wal_archive_with_uncheckpointed_rows_is_read_completely(tmp_path, seed_archive_path):
    with wal_archive_with_pending_change(seed_archive_path, tmp_path) as path:
        before = {p: (tmp_path / p).read_bytes() for p in listing(tmp_path)}
        with Archive(path) as a:
            assert a.document(1).title == "Changed in the WAL"
        assert {p: (tmp_path / p).read_bytes() for p in listing(tmp_path)} == before


def test_truncated_archive_is_damaged(tmp_path, seed_archive_path):
    data = seed_archive_path.read_bytes()
    path = tmp_path / "cut.db"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ArchiveError) as e:
        with Archive(path) as a:
            for d in a.documents():
                a.passages(d.id)
            a.quotes(kinds=None)
            a.mentions()
    assert isinstance(e.value, (ArchiveDamaged, NotAnArchive))
    assert path.read_bytes() == data[: len(data) // 2]


SLOW = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c"


def test_every_query_has_a_time_limit(seed_archive_path):
    conn = open_archive(seed_archive_path)
    with pytest.raises(QueryTimeout, match="took too long"):
        conn.execute(SLOW, timeout_ms=50)
    assert conn.execute("SELECT COUNT(*) FROM passages")[0][0] == 34  # still usable
    conn.close()


def test_a_query_can_be_interrupted_from_another_thread(seed_archive_path):
    conn = open_archive(seed_archive_path, timeout_ms=30_000)
    errors = []

    def run():
        try:
            conn.execute(SLOW)
        except ViewerError as e:
            errors.append(e)

    t = threading.Thread(target=run)
    t.start()
    while not errors and t.is_alive():
        conn.interrupt()
        t.join(0.05)
    t.join()
    # a cancel is not a problem with the archive: no handler of archive errors mistakes it for one
    assert isinstance(errors[0], QueryInterrupted) and isinstance(errors[0], Cancelled)
    assert not isinstance(errors[0], ArchiveError)
    conn.close()


def test_the_read_only_connection_cannot_write(seed_archive_path):
    before = seed_archive_path.read_bytes()
    with Archive(seed_archive_path) as a, pytest.raises(ArchiveError):
        a.db.execute("DELETE FROM passages")
    assert seed_archive_path.read_bytes() == before
