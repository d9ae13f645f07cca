"""Saved web pages: the article without the site's furniture, the page's title, date, author, site and
address; MHTML single-file pages (issue 15). The pages are our own, in the shapes of real sites."""

from __future__ import annotations

import shutil

import pytest

from tests.web_pages import PAGES, WEB, make_mhtml
from viewer.core.archive import Archive
from viewer.core.importer import import_files
from viewer.core.readers import ReadError, read_document


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_article_is_kept_whole_and_the_furniture_left_out(name):
    expected = PAGES[name]
    src = read_document(WEB / name)
    text = flat(src.text)
    for piece in expected["article"]:
        assert flat(piece) in text, piece
    for furniture in expected["furniture"]:
        assert furniture not in text, furniture


@pytest.mark.parametrize("name", sorted(PAGES))
def test_title_date_site_and_address_come_from_the_page(name, seed_archive_path, tmp_path):
    expected = PAGES[name]
    src = read_document(WEB / name)
    assert src.url_hint == expected["url"] and src.site_hint == expected["site"]
    assert src.author_hint == expected.get("author", src.author_hint)
    archive = tmp_path / "archive.db"
    shutil.copy(seed_archive_path, archive)
    outcome = import_files(archive, [WEB / name]).files[0]
    assert outcome.title == expected["title"] and outcome.date == expected["date"]
    with Archive(archive) as a:
        doc = a.document(outcome.document_id)
        assert doc.url == expected["url"] and doc.publisher == expected["site"]
        passages = a.passages(doc.id)
        for furniture in expected["furniture"]:
            assert not any(furniture in p.text for p in passages), furniture


def test_the_paragraphs_of_a_div_built_page_are_numbered_as_the_article(seed_archive_path, tmp_path):
    archive = tmp_path / "archive.db"
    shutil.copy(seed_archive_path, archive)
    outcome = import_files(archive, [WEB / "news-div-site.html"]).files[0]
    with Archive(archive) as a:
        texts = [p.text for p in a.passages(outcome.document_id)]
    assert len(texts) == 6
    assert texts[0].startswith("An appeals court in Almaty") and texts[5].startswith("The hearing is due")
    assert texts[2] == (
        "“There is not one witness who saw my client do anything violent,” said Bolat Seitkali, "
        "who represents two of the defendants. “The prosecution read out recipes and delivery "
        "addresses and called them instructions.”"
    )


def test_a_saved_single_file_page_reads_like_the_page(tmp_path):
    url = "https://civicrights-monitor.example/briefings/lawyers-licences-revoked"
    path = tmp_path / "briefing.mhtml"
    path.write_bytes(make_mhtml(WEB / "ngo-briefing.html", url, "Briefing"))
    src = read_document(path)
    html = read_document(WEB / "ngo-briefing.html")
    assert src.format == "mhtml" and src.text == html.text
    assert src.url_hint == url and src.title_hint == html.title_hint and src.published_hint == "2022-09-05"


@pytest.mark.parametrize(
    "data,reason",
    [
        (b"just some words", "is not a saved web page (MHTML): it has no MIME header"),
        (
            b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n--b\r\nContent-Type: image/png'
            b"\r\n\r\nxx\r\n--b--\r\n",
            "is not a saved web page (MHTML): it holds no HTML page",
        ),
        (
            b"MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\nbody",
            "is not a saved web page (MHTML): its parts are not marked",
        ),
    ],
)
def test_a_broken_single_file_page_is_refused_in_one_line(tmp_path, data, reason):
    path = tmp_path / "page.mht"
    path.write_bytes(data)
    with pytest.raises(ReadError) as e:
        read_document(path)
    assert e.value.message == f"page.mht: {reason}"


def test_a_short_page_is_read_whole(tmp_path):
    path = tmp_path / "note.html"
    path.write_text(
        "<html><body><div class='x'>Maria Lopez said: “We will go on.”</div><div>Second line.</div></body></html>",
        encoding="utf-8",
    )
    assert read_document(path).text == "Maria Lopez said: “We will go on.”\n\nSecond line.\n"
