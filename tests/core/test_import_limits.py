"""Import limits (issue: hostile files): a file that asks for more work than the limits allow is refused in one
line, as soon as it is over, the others in the batch are imported and the archive is unchanged by it; parsing
that used to be quadratic is linear; the time budget and a cancel stop even work that has no checkpoint."""

from __future__ import annotations

import shutil
import threading
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ENDLESS_READING
from viewer.cli import main
from viewer.core.archive import Archive
from viewer.core.errors import ImportCancelled, UsageError
from viewer.core.importer import FAILED, IMPORTED, ImportJob, import_files
from viewer.core.limits import ImportLimits
from viewer.core.text_decoding import decode

DATA = Path(__file__).resolve().parents[1] / "data" / "import"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)


@pytest.fixture
def archive(seed_archive_path, tmp_path) -> Path:
    path = tmp_path / "archive.db"
    shutil.copy(seed_archive_path, path)
    return path


def docx(path: Path, body_parts, repeat: int = 1, head: str = "", tail: str = "") -> Path:
    """A .docx whose body is ``head``, ``body_parts`` written ``repeat`` times, then ``tail``, streamed into
    the zip (a small file that unpacks to a big document.xml)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>{head}'.encode())
            chunk = "".join(body_parts).encode() * 1000
            for _ in range(repeat // 1000):
                f.write(chunk)
            f.write("".join(body_parts).encode() * (repeat % 1000))
            f.write(f"{tail}</w:body></w:document>".encode())
    return path


def para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def outcome(report, name: str):
    return next(f for f in report.files if Path(f.path).name == name)


def test_a_docx_bomb_of_paragraphs_is_refused_and_the_others_imported(archive, tmp_path):
    bomb = docx(tmp_path / "bomb.docx", ["<w:p/>"], repeat=8_000_000)  # 56 MB of paragraphs, 100 KB zipped
    assert bomb.stat().st_size < 1_000_000
    before = archive.read_bytes()
    report = import_files(archive, [bomb, DATA / "campus-debate.txt"])
    assert outcome(report, "bomb.docx").status == FAILED
    assert outcome(report, "bomb.docx").message == "bomb.docx: too many paragraphs: more than 50,000 (limit 50,000)"
    assert outcome(report, "campus-debate.txt").status == IMPORTED
    assert archive.read_bytes() != before  # the other file went in


def test_a_docx_bomb_of_one_huge_run_is_refused(archive, tmp_path):
    bomb = docx(
        tmp_path / "run.docx", ["word " * 1000], repeat=12_000, head="<w:p><w:r><w:t>", tail="</w:t></w:r></w:p>"
    )  # 60 MB in one run of text
    before = archive.read_bytes()
    report = import_files(archive, [bomb])
    assert report.files[0].message == "run.docx: too long: more than 2,000,000 characters (limit 2,000,000)"
    assert archive.read_bytes() == before


def test_a_docx_nested_too_deep_is_refused(archive, tmp_path):
    deep = docx(tmp_path / "deep.docx", ["<w:sdt><w:sdtContent>"], repeat=100_000)
    report = import_files(archive, [deep])
    assert report.files[0].message == "deep.docx: is a damaged Word document"


@pytest.mark.parametrize("depth", [300, 100_000])
def test_html_nested_deeper_than_it_can_be_read_is_refused(archive, tmp_path, depth):
    """The HTML parser drops what lies under 256 levels of elements: refused, never imported in part."""
    page = tmp_path / "deep.html"
    page.write_text(
        "<html><body><h1>Notes of the meeting</h1><p>Jane Roe said: “We met.”</p>"
        + "<div>" * depth
        + "<p>John Doe said: “We will meet again.”</p>"
        + "</div>" * depth
        + "</body></html>",
        encoding="utf-8",
    )
    before = archive.read_bytes()
    report = import_files(archive, [page])
    assert report.files[0].message == "deep.html: is nested too deeply to be read (more than 255 levels of elements)"
    assert archive.read_bytes() == before
    page.write_text(
        page.read_text(encoding="utf-8")
        .replace("<div>" * depth, "<div>" * 200)
        .replace("</div>" * depth, "</div>" * 200),
        encoding="utf-8",
    )
    report = import_files(archive, [page])
    assert report.files[0].status == IMPORTED, report.files[0].message


def test_the_unpacked_size_is_read_from_the_zip_directory_first(archive, tmp_path):
    big = docx(tmp_path / "big.docx", [para("A sentence about the weather in spring, said nobody.")], repeat=100_000)
    report = import_files(archive, [big], import_limits=ImportLimits(unpacked_mb=1))
    assert report.files[0].message == "big.docx: too large when unpacked: 8.1 MB (limit 1 MB)"


@pytest.mark.slow
def test_an_ordinary_long_docx_is_imported(archive, tmp_path):
    """10,000 paragraphs: python-docx looked up each paragraph's style by scanning every style (30 s)."""
    paragraphs = [para(f"Paragraph {i}: Jane Roe said the committee had met {i} times.") for i in range(10_000)]
    doc = docx(tmp_path / "long.docx", paragraphs)
    report = import_files(archive, [doc], import_limits=ImportLimits(seconds=30))
    assert report.files[0].status == IMPORTED, report.files[0].message
    assert report.files[0].passages == 10_000


@pytest.mark.parametrize(
    "name, text",
    [
        ("stars.md", " *a" * 33_000),  # emphasis patterns were quadratic: 57-111 s
        ("unders.md", " _a __b" * 15_000),
        ("brackets.md", "[" * 50_000 + " x"),
        ("links.md", "[a](" * 25_000),
        ("comments.md", "<!--" * 25_000 + " x"),
        ("heading.md", "# a" + " " * 200_000 + "b"),
        ("spaces.txt", "Words then" + " " * 200_000 + "more words."),  # `[ ]+\n` in normalise: 140 s
        ("spaces.html", "<pre>Words then" + " " * 200_000 + "more words.</pre>"),  # paragraphs of inline HTML text
    ],
)
def test_quadratic_text_is_read_in_linear_time(archive, tmp_path, name, text):
    """Within a budget of 10 s the file is read (or refused for having no text), never stopped for time."""
    path = tmp_path / name
    path.write_text("Notes of the meeting\n\nJane Roe said: “We met.”\n\n" + text + "\n", encoding="utf-8")
    report = import_files(archive, [path], import_limits=ImportLimits(seconds=10))
    assert "took too long" not in report.files[0].message
    assert report.files[0].status == IMPORTED, report.files[0].message


def test_paragraphs_and_characters_of_text_are_limited(archive, tmp_path):
    many = tmp_path / "many.txt"
    many.write_text("\n\n".join(f"Line {i}." for i in range(300)), encoding="utf-8")
    report = import_files(archive, [many], import_limits=ImportLimits(paragraphs=100))
    assert report.files[0].message == "many.txt: too many paragraphs: more than 100 (limit 100)"
    report = import_files(archive, [many], import_limits=ImportLimits(characters=1000))
    assert report.files[0].message == "many.txt: too long: more than 1,000 characters (limit 1,000)"


def test_the_time_budget_stops_work_without_a_checkpoint(archive, tmp_path, reading_process):
    reading_process(ENDLESS_READING)
    stuck = tmp_path / "stuck.txt"
    stuck.write_text("A story\n\nJane Roe said: “It is endless.”\n", encoding="utf-8")
    before = archive.read_bytes()
    report = import_files(archive, [stuck, DATA / "campus-debate.txt"], import_limits=ImportLimits(seconds=1))
    assert outcome(report, "stuck.txt").message == "stuck.txt: took too long to read: more than 1 s (limit 1 s)"
    assert outcome(report, "campus-debate.txt").status == IMPORTED  # read by a new reading process
    assert archive.read_bytes() != before


def test_a_cancel_stops_the_reading_at_once(archive, tmp_path, reading_process):
    reading_process(ENDLESS_READING)
    stuck = tmp_path / "stuck.txt"
    stuck.write_text("A story\n\nJane Roe said: “It is endless.”\n", encoding="utf-8")
    before = archive.read_bytes()
    job = ImportJob(archive, [stuck])
    started = threading.Event()
    errors = []

    def run():
        try:
            job.run(lambda step, total, message: started.set())
        except ImportCancelled as e:
            errors.append(e)

    worker = threading.Thread(target=run)
    worker.start()
    assert started.wait(30)
    job.cancel()
    worker.join(10)  # the child is stopped; it does not run its hour out
    assert not worker.is_alive() and len(errors) == 1
    assert archive.read_bytes() == before


@pytest.mark.parametrize(
    "code, message",
    [
        (
            "__import__('os').kill(__import__('os').getpid(), 9)",
            "crash.txt: could not be read: it needed more memory than allowed, or was stopped",
        ),
        ("bytearray(8 * 1024**3)", "crash.txt: could not be read: it needs more memory than allowed"),
    ],
)
def test_a_reading_process_that_dies_or_runs_out_of_memory_costs_one_file(
    archive, tmp_path, reading_process, code, message
):
    reading_process(f"""
        import viewer.core.importer as importer
        real = importer.extract
        def fatal(text):
            if "fatal" in text:
                {code}
            return real(text)
        importer.extract = fatal
    """)
    crash = tmp_path / "crash.txt"
    crash.write_text("A story\n\nJane Roe said: “It is fatal.”\n", encoding="utf-8")
    report = import_files(archive, [crash, DATA / "campus-debate.txt"])
    assert outcome(report, "crash.txt").message == message
    assert outcome(report, "campus-debate.txt").status == IMPORTED


def test_limits_are_settings_of_the_command(archive, tmp_path, capsys):
    many = tmp_path / "many.txt"
    many.write_text("\n\n".join(f"Maria Lopez said line {i}." for i in range(300)), encoding="utf-8")
    code = main(["import", str(many), "--archive", str(archive), "--limit", "paragraphs=100", "--limit", "seconds=30"])
    assert code == 1
    assert capsys.readouterr().err == (
        "archive-viewer: cannot import many.txt: too many paragraphs: more than 100 (limit 100)\n"
    )
    for bad in ("paragraphs", "pages=3", "paragraphs=-1", "seconds=soon"):
        assert main(["import", str(many), "--archive", str(archive), "--limit", bad]) == 2
        assert capsys.readouterr().err.startswith("archive-viewer: --limit ")


def test_limit_settings_are_checked():
    limits = ImportLimits().with_settings(["file-mb=1.5", "paragraphs=10", "unpacked_mb=2"])
    assert (limits.file_bytes, limits.paragraphs, limits.unpacked_bytes) == (1_572_864, 10, 2 * 1024 * 1024)
    with pytest.raises(UsageError, match="give NAME=VALUE"):
        ImportLimits().with_settings(["memory=3"])
    with pytest.raises(UsageError, match="positive"):
        ImportLimits().with_settings(["seconds=0"])


def test_the_app_reads_its_limits_from_the_settings(qapp, tmp_path):
    from PySide6.QtCore import QSettings

    from viewer.ui import settings

    QSettings().setValue(settings.IMPORT_LIMITS + "paragraphs", "123")
    QSettings().setValue(settings.IMPORT_LIMITS + "seconds", "soon")  # not a number: the default stands
    try:
        assert settings.import_limits() == ImportLimits(paragraphs=123)
    finally:
        QSettings().remove("import/limits")


# ------------------------------------------------------------------ mixed encodings


def test_a_file_mixing_utf8_and_cp1251_is_decoded_line_by_line(archive, tmp_path):
    cyrillic = "Заявление правозащитников о задержании журналистов\n".encode("cp1251")
    quoted = "Они сказали: ".encode("cp1251") + "“".encode() + "Мы вернёмся".encode("cp1251") + "”".encode()
    latin = "Anna Berg said: “We will not stop.” — and left.\n".encode("utf-8")
    text, encoding = decode(cyrillic + latin + quoted + b"\n")
    assert text == (
        "Заявление правозащитников о задержании журналистов\nAnna Berg said: “We will not stop.” — and "
        "left.\nОни сказали: “Мы вернёмся”\n"
    )
    assert encoding == "utf-8 and cp1251 (line by line)"
    path = tmp_path / "mixed.txt"
    path.write_bytes(cyrillic + b"\n" + latin + b"\n" + quoted + b"\n")
    report = import_files(archive, [path])
    with Archive(archive) as a:
        doc = a.document(report.files[0].document_id)
        assert "“Мы вернёмся”" in "\n".join(p.text for p in a.passages(doc.id))
        assert "вЂњ" not in "\n".join(p.text for p in a.passages(doc.id))


def test_utf8_mixed_with_an_unknown_encoding_is_refused(tmp_path):
    from viewer.core.readers import ReadError

    junk = bytes((0x80 + (i * 37) % 128) for i in range(300))
    with pytest.raises(ReadError) as e:
        decode("He said: “We will not stop.”\n".encode() + junk + b"\n", "mixed.txt")
    assert e.value.message == "mixed.txt: mixes UTF-8 with text in an encoding that cannot be recognised"
