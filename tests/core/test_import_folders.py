"""`archive-viewer import DIR` and folders given to the importer: every document in the folder and its
subfolders, saved pages without their pictures folder, a summary of what was imported, already there,
refused and ignored, and a cancel that leaves the archive as it was (issue 15)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from tests.pdf_maker import Report, make_pdf, sample_report
from tests.web_pages import WEB, make_mhtml
from viewer.cli import main
from viewer.core.errors import ImportCancelled
from viewer.core.folders import gather
from viewer.core.importer import DUPLICATE, FAILED, IGNORED, IMPORTED, import_files

DATA = Path(__file__).resolve().parents[1] / "data" / "import"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def folder(qapp, tmp_path_factory) -> Path:
    """A researcher's folder: reports in subfolders, a saved page with its pictures folder, a single-file
    page, a PDF, a scanned PDF, the same report twice, an old Word file, a picture, a hidden file."""
    root = tmp_path_factory.mktemp("collected") / "Kazakhstan 2023"
    (root / "reports" / "trials").mkdir(parents=True)
    (root / "press").mkdir()
    shutil.copy(DATA / "prose-report.txt", root / "reports" / "prose-report.txt")
    shutil.copy(DATA / "prose-report.txt", root / "reports" / "trials" / "copy of prose-report.txt")
    make_pdf(root / "reports" / "trials" / "aktobe.pdf", sample_report())
    make_pdf(root / "reports" / "scan.pdf", Report([], scanned_pages=(1,), footer=None))
    shutil.copy(WEB / "news-div-site.html", root / "press" / "Court hears appeal.html")
    assets = root / "press" / "Court hears appeal_files"
    assets.mkdir()
    (assets / "main.css").write_text("body { color: black }", encoding="utf-8")
    (assets / "frame.html").write_text(
        "<html><body><p>An advertising frame of the page.</p></body></html>", encoding="utf-8"
    )
    (root / "press" / "briefing.mhtml").write_bytes(
        make_mhtml(WEB / "ngo-briefing.html", "https://civicrights-monitor.example/briefings/b")
    )
    (root / "press" / "old memo.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    (root / "press" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    (root / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    return root


def test_a_folder_gives_its_documents_in_order_without_the_pictures_folder_of_a_saved_page(folder):
    files, ignored = gather([folder])
    assert [f.relative_to(folder).as_posix() for f in files] == [
        "press/briefing.mhtml",
        "press/Court hears appeal.html",
        "press/old memo.doc",
        "reports/prose-report.txt",
        "reports/scan.pdf",
        "reports/trials/aktobe.pdf",
        "reports/trials/copy of prose-report.txt",
    ]
    assert [(f.name, why) for f, why in ignored] == [("photo.jpg", "not a kind of document Archive Viewer imports")]


def test_importing_a_folder_reports_imported_already_there_refused_and_ignored(folder, seed_archive_path, tmp_path):
    archive = tmp_path / "archive.db"
    shutil.copy(seed_archive_path, archive)
    report = import_files(archive, [folder])
    by_name = {Path(f.path).name: f for f in report.files}
    assert {n for n, f in by_name.items() if f.status == IMPORTED} == {
        "briefing.mhtml",
        "Court hears appeal.html",
        "prose-report.txt",
        "aktobe.pdf",
    }
    assert by_name["copy of prose-report.txt"].status == DUPLICATE
    assert by_name["copy of prose-report.txt"].message.startswith("copy of prose-report.txt: already in the archive")
    assert (by_name["scan.pdf"].status, by_name["scan.pdf"].message) == (
        FAILED,
        "scan.pdf: no text layer in this PDF (scanned?); run OCR first",
    )
    assert by_name["old memo.doc"].status == FAILED and "save it as .docx" in by_name["old memo.doc"].message
    assert by_name["photo.jpg"].status == IGNORED
    assert report.summary().startswith("4 documents imported")
    assert "1 already in the archive, 2 could not be imported, 1 other file ignored" in report.summary()
    assert report.exit_code == 1
    shown = [
        line.split()[0]
        for line in report.lines()[2:]
        if line.split() and line.split()[0] in ("Imported", "Skipped", "Could", "Ignored")
    ]
    assert shown == ["Imported"] * 4 + ["Skipped", "Could", "Could", "Ignored"]  # grouped, as the summary counts


def test_a_cancelled_folder_import_leaves_the_archive_as_it_was(folder, seed_archive_path, tmp_path):
    archive = tmp_path / "archive.db"
    shutil.copy(seed_archive_path, archive)
    before = digest(archive)
    steps = []

    def progress(step, total, message):
        steps.append(message)

    with pytest.raises(ImportCancelled):
        import_files(archive, [folder], progress=progress, cancelled=lambda: len(steps) >= 9)
    assert any(m.startswith("Writing") for m in steps)  # it was cancelled while it wrote
    assert digest(archive) == before


def test_import_dir_on_the_command_line(folder, seed_archive_path, tmp_path, capsys):
    archive = tmp_path / "archive.db"
    shutil.copy(seed_archive_path, archive)
    code = main(["import", str(folder), "--archive", str(archive)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "archive-viewer: cannot import scan.pdf: no text layer in this PDF (scanned?); run OCR first" in err
    assert "ignored photo.jpg: not a kind of document Archive Viewer imports" in out.splitlines()
    assert any(line.startswith("imported aktobe.pdf: added “Trial monitoring in Aktobe") for line in out.splitlines())
    assert any(line.startswith("skipped copy of prose-report.txt: already in the archive") for line in out.splitlines())
    assert out.splitlines()[-2].startswith("4 documents imported")
