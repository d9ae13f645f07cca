"""Random text documents never break an import: each is imported or refused with a reason, and
the archive stays sound (issue 9)."""

from __future__ import annotations

import itertools
import shutil
import sqlite3

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from viewer.core.importer import import_files

PIECES = st.sampled_from(
    [
        "“",
        "”",
        "‘",
        "’",
        '"',
        "'",
        "«",
        "»",
        ":",
        ",",
        ".",
        "\n",
        "\n\n",
        " ",
        "- ",
        "# ",
        "## ",
        "(",
        ")",
        "He said",
        "she added",
        "according to him",
        "CHAIR (Ann Lee):",
        "ANN LEE:",
        "Q:",
        "Date: 3 May 2020",
        "On 2 May 2019,",
        "Maria Lopez, a lawyer, said",
        "Назарбаев сказал:",
        "Қазақстан",
        "<p>",
        "</p>",
        "<h1>",
        "<script>x</script>",
        "Title",
        "moderated by Dr Ann Lee",
        "noted that",
        "\x00",
        "\ufeff",
        "\u202e",
    ]
)

counter = itertools.count()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    parts=st.lists(st.one_of(PIECES, st.text(max_size=15)), min_size=1, max_size=50),
    suffix=st.sampled_from([".txt", ".md", ".html"]),
)
def test_random_documents_are_imported_or_refused_with_a_reason(tmp_path, seed_archive_path, parts, suffix):
    n = next(counter)
    archive = tmp_path / f"archive{n}.db"
    if not archive.exists():
        shutil.copy(seed_archive_path, archive)
    doc = tmp_path / f"doc{n}{suffix}"
    doc.write_text("".join(parts), encoding="utf-8", errors="surrogatepass")
    report = import_files(archive, [doc])
    for outcome in report.files:
        assert "could not be analysed" not in outcome.message, outcome.message
    conn = sqlite3.connect(archive)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        conn.execute("INSERT INTO passages_fts(passages_fts) VALUES ('integrity-check')")
    finally:
        conn.close()
    archive.unlink()


# ------------------------------------------------------------------ PDF and MHTML (issue 15)

import hashlib  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from tests import pdf_bombs  # noqa: E402
from tests.web_pages import WEB, make_mhtml  # noqa: E402
from viewer.core import pdf_reader  # noqa: E402
from viewer.core.importer import FAILED  # noqa: E402
from viewer.core.readers import ReadError, read_bytes  # noqa: E402


def read_or_refuse(data: bytes, name: str) -> None:
    """``data`` is read, or refused with one line that names the file."""
    try:
        read_bytes(data, Path(name))
    except ReadError as e:
        assert e.message.startswith(f"{name}: ") and "\n" not in e.message and "Traceback" not in e.message


@pytest.fixture(scope="module")
def sample_pdf(qapp, tmp_path_factory) -> bytes:
    from tests.pdf_maker import make_pdf, sample_report

    path = tmp_path_factory.mktemp("fuzz") / "report.pdf"
    make_pdf(path, sample_report())
    return path.read_bytes()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=4000))
def test_random_bytes_called_pdf_are_read_or_refused_in_one_line(data):
    read_or_refuse(b"%PDF-1.7\n" + data, "random.pdf")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(cut=st.floats(0.0, 1.0), flips=st.lists(st.tuples(st.floats(0.0, 0.999), st.integers(0, 255)), max_size=8))
def test_cut_and_damaged_pdfs_are_read_or_refused_in_one_line(sample_pdf, cut, flips):
    data = bytearray(sample_pdf[: max(16, int(len(sample_pdf) * cut))])
    for where, value in flips:
        data[int(where * len(data))] = value
    read_or_refuse(bytes(data), "damaged.pdf")


@pytest.mark.slow
@pytest.mark.parametrize("bomb", ["text", "form"])
def test_pdf_bombs_are_refused_in_bounded_time_and_memory_and_change_nothing(
    bomb, seed_archive_path, tmp_path, monkeypatch
):
    monkeypatch.setattr(pdf_reader, "TIME_BUDGET_S", 20.0)
    monkeypatch.setattr(pdf_reader, "MEMORY_LIMIT", 768 * 1024 * 1024)
    path = tmp_path / f"{bomb}-bomb.pdf"
    path.write_bytes(pdf_bombs.text_bomb(300) if bomb == "text" else pdf_bombs.form_bomb())
    archive = tmp_path / "archive.db"
    shutil.copy(seed_archive_path, archive)
    before = hashlib.sha256(archive.read_bytes()).hexdigest()
    started = time.monotonic()
    report = import_files(archive, [path])
    assert time.monotonic() - started < 30
    (outcome,) = report.files
    assert outcome.status == FAILED and outcome.message.startswith(f"{path.name}: ") and "\n" not in outcome.message
    assert hashlib.sha256(archive.read_bytes()).hexdigest() == before


def test_a_page_tree_that_claims_millions_of_pages_is_read_as_what_it_holds():
    src = read_bytes(pdf_bombs.page_count_bomb(), Path("pages.pdf"))
    assert src.text == "One page of text.\n" and src.page_count == 1


@pytest.fixture(scope="module")
def sample_mhtml() -> bytes:
    return make_mhtml(WEB / "news-div-site.html", "https://www.northern-ledger.example/a")


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    cut=st.floats(0.0, 1.0),
    flips=st.lists(st.tuples(st.floats(0.0, 0.999), st.integers(0, 255)), max_size=8),
    junk=st.binary(max_size=200),
)
@example(cut=1.0, flips=[(0.75, 1)], junk=b"")  # a control character in the page's text (lxml refused it as text)
def test_cut_and_damaged_mhtml_is_read_or_refused_in_one_line(sample_mhtml, cut, flips, junk):
    data = bytearray(sample_mhtml[: int(len(sample_mhtml) * cut)] + junk)
    for where, value in flips:
        if data:
            data[int(where * len(data))] = value
    read_or_refuse(bytes(data), "page.mhtml")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=3000))
def test_random_bytes_called_mhtml_are_read_or_refused_in_one_line(data):
    read_or_refuse(
        b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n--b\r\n" + data, "random.mht"
    )
    read_or_refuse(data, "other.mhtml")


def test_an_mhtml_of_many_parts_is_read_without_unpacking_them(tmp_path):
    parts = b"".join(b"--b\r\nContent-Type: image/png\r\n\r\nxx\r\n" for _ in range(20000))
    data = (
        b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n"
        + parts
        + b"--b\r\nContent-Type: text/html\r\n\r\n<p>Late page</p>\r\n--b--\r\n"
    )
    started = time.monotonic()
    with pytest.raises(ReadError) as e:
        read_bytes(data, Path("many.mhtml"))
    assert e.value.message == (
        "many.mhtml: is not a saved web page that can be read (MHTML): more than 5,000 parts come before its page"
    )
    assert time.monotonic() - started < 5
