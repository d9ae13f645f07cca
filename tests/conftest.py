"""Fixtures shared by core and UI tests: the seed archive and tiny archives built in tmp_path."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "resources" / "sources"
SEED_SLUG = "addressing-human-rights-abuses-in-kazakhstan"
# the report's eight panel speakers, in the order they first speak
SEED_SPEAKERS = [
    "Petras Auštrevičius",
    "Lyudmyla Kozlovska",
    "Peter Burian",
    "Yevgeniy Zhovtis",
    "Anna Shukeyeva",
    "Bota Jardemalie",
    "Rosalba Castelletti",
    "Luca Anceschi",
]


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path, monkeypatch):
    """The user's data folder (bookmarks, their own archive) points into tmp_path for every test, so
    an archive the developer imported into never stands in for the bundled one."""
    monkeypatch.setenv("ARCHIVE_VIEWER_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture(scope="session")
def seed_archive_path(tmp_path_factory) -> Path:
    """A fresh build of the bundled sources (not the committed archive.db)."""
    from viewer.core.build import build

    out = tmp_path_factory.mktemp("seed") / "archive.db"
    build(SOURCES, out, log=lambda _msg: None)
    return out


@pytest.fixture
def seed_archive(seed_archive_path):
    from viewer.core.archive import Archive

    archive = Archive(seed_archive_path)
    yield archive
    archive.close()


@pytest.fixture(scope="session")
def paged_archive_path(seed_archive_path, qapp, tmp_path_factory) -> Path:
    """The seed archive with two imports: the sample PDF report (pages, notes; ``tests.pdf_maker``)
    and a saved news page (an address, a site, an author)."""
    from tests.pdf_maker import make_pdf, sample_report
    from tests.web_pages import WEB
    from viewer.core.importer import import_files

    folder = tmp_path_factory.mktemp("paged")
    pdf = folder / "trial-monitoring.pdf"
    make_pdf(pdf, sample_report())
    out = folder / "archive.db"
    shutil.copy(seed_archive_path, out)
    report = import_files(out, [pdf, WEB / "news-div-site.html"])
    assert len(report.documents) == 2, report.lines()
    return out


@pytest.fixture
def paged_archive(paged_archive_path):
    from viewer.core.archive import Archive

    with Archive(paged_archive_path) as archive:
        yield archive


@pytest.fixture
def bundled(seed_archive_path, tmp_path, monkeypatch) -> Path:
    """A stand-in for the archive that ships with the app (``ARCHIVE_VIEWER_ARCHIVE``)."""
    folder = tmp_path / "app"
    folder.mkdir()
    path = folder / "archive.db"
    shutil.copyfile(seed_archive_path, path)
    monkeypatch.setenv("ARCHIVE_VIEWER_ARCHIVE", str(path))
    return path


@pytest.fixture
def make_archive(tmp_path):
    """make_archive({"file.txt": text, ...}, documents=[{...}]) -> path of a built archive."""
    from viewer.core.build import build

    counter = iter(range(1, 10**6))

    def _make(texts: dict[str, str], documents: list[dict] | None = None, name: str | None = None) -> Path:
        n = next(counter)
        src = tmp_path / f"sources{n}"
        src.mkdir()
        lines = ['[archive]\ntitle = "Test archive"\n']
        for i, (fname, text) in enumerate(texts.items()):
            (src / fname).write_text(text, encoding="utf-8")
            meta = (documents or [{}] * len(texts))[i] if documents else {}
            meta = {
                "slug": Path(fname).stem,
                "title": Path(fname).stem.replace("-", " ").title(),
                "kind": "discussion",
                **meta,
            }
            lines.append("[[documents]]")
            lines.append(f'file = "{fname}"')
            for k, v in meta.items():
                if isinstance(v, str):
                    lines.append(f"{k} = {toml_str(v)}")
            lines.append("")
        (src / "sources.toml").write_text("\n".join(lines), encoding="utf-8")
        out = tmp_path / (name or f"archive{n}.db")
        build(src, out, log=lambda _msg: None)
        return out

    return _make


def toml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def process_gone(pid: int, within: float = 5.0) -> bool:
    """True once process ``pid`` has exited (reaped, or a zombie whose parent has not reaped it yet)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.02)
    return False


@contextlib.contextmanager
def wal_archive_with_pending_change(seed: Path, folder: Path) -> Iterator[Path]:
    """A copy of ``seed`` in WAL mode whose last change (document 1's title: "Changed in the WAL") is
    still in its -wal file: a writer holds it open until the block ends."""
    path = folder / "wal.db"
    shutil.copy(seed, path)
    writer = sqlite3.connect(path)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE documents SET title = 'Changed in the WAL' WHERE id = 1")
    writer.commit()
    try:
        yield path
    finally:
        writer.close()


def with_damaged_table(seed: Path, out: Path, table: str = "passages") -> Path:
    """A copy of ``seed`` at ``out`` whose ``table`` has its root page overwritten: the file opens (the
    schema is fine) and the damage shows only when that table is read."""
    data = bytearray(seed.read_bytes())
    db = sqlite3.connect(seed)
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    db.close()
    data[(root - 1) * page_size : root * page_size] = b"\xff" * page_size
    out.write_bytes(bytes(data))
    return out


def with_bad_value(seed: Path, out: Path, sql: str) -> Path:
    """A copy of ``seed`` at ``out`` changed by ``sql`` (an UPDATE that puts a value the format does not
    allow into a row), after dropping the NOT NULL constraints, as an archive from elsewhere may."""
    shutil.copy(seed, out)
    conn = sqlite3.connect(out)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = replace(sql, 'NOT NULL', '') WHERE type = 'table'")
    conn.commit()
    conn.close()
    conn = sqlite3.connect(out)
    conn.execute(sql)
    conn.commit()
    conn.close()
    return out


# For ``reading_process``: the analysis of a document that says "endless" never ends (work with no checkpoint).
ENDLESS_READING = """
    import time
    import viewer.core.importer as importer
    real = importer.extract
    def endless(text):
        if "endless" in text:
            time.sleep(3600)
        return real(text)
    importer.extract = endless
"""


@pytest.fixture
def reading_process(tmp_path, monkeypatch):
    """``reading_process(code)`` runs ``code`` at the start of the processes that read imported files
    (``viewer.core.reading``), as a ``sitecustomize`` module: to give a file a bug, a hang or a crash there.
    The reading process in use is let go before and after, so the code applies to this test only."""
    import textwrap

    from viewer.core import reading

    def patch(code: str) -> None:
        folder = tmp_path / "reading-process"
        folder.mkdir(exist_ok=True)
        (folder / "sitecustomize.py").write_text(textwrap.dedent(code), encoding="utf-8")
        monkeypatch.setenv("PYTHONPATH", str(folder))
        reading.release()

    yield patch
    reading.release()
