"""Files -> text: formats, encodings, and the files we refuse with a one-line reason."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.core import readers
from viewer.core.limits import ImportLimits, applying
from viewer.core.readers import ReadError, decode, is_importable, read_document

DATA = Path(__file__).resolve().parents[1] / "data" / "import"
RUSSIAN = ("Ерлан Жумабаев, брат одного из погибших, сказал, что семьи до сих пор ждут ответа. "
           "Айгерим Серикбаева открыла вечер минутой молчания.\n")


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def one_line(message: str) -> bool:
    return bool(message) and "\n" not in message and "Traceback" not in message


# ------------------------------------------------------------------ encodings


@pytest.mark.parametrize("encoding,expected", [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8 (BOM)"),
    ("utf-16", "utf-16 (BOM)"),  # little-endian with BOM on this platform
    ("cp1251", "cp1251"),
    ("koi8-r", "koi8-r"),
    ("cp866", "cp866"),
])
def test_cyrillic_text_in_every_encoding_reads_the_same(tmp_path, encoding, expected):
    path = write(tmp_path, "memorial.txt", RUSSIAN.encode(encoding))
    src = read_document(path)
    assert src.text == RUSSIAN
    assert src.encoding == expected


def test_utf16_big_endian_with_bom_and_little_endian_without(tmp_path):
    be = write(tmp_path, "be.txt", b"\xfe\xff" + RUSSIAN.encode("utf-16-be"))
    assert read_document(be).text == RUSSIAN
    le = write(tmp_path, "le.txt", "The hearing was closed at noon.\n".encode("utf-16-le"))
    src = read_document(le)
    assert src.text == "The hearing was closed at noon.\n" and src.encoding == "utf-16-le"


def test_a_western_eight_bit_file_is_cp1252_not_cyrillic(tmp_path):
    path = write(tmp_path, "cafe.txt", "The café owner said the naïve plan had failed.\n".encode("cp1252"))
    src = read_document(path)
    assert src.text == "The café owner said the naïve plan had failed.\n" and src.encoding == "cp1252"


def test_line_ends_invisible_characters_and_odd_spaces_are_normalised(tmp_path):
    raw = "Title\r\n\r\nShe\u00a0said:\u200b “yes”.\u00ad\r\n"
    src = read_document(write(tmp_path, "a.txt", raw.encode("utf-8")))
    assert src.text == "Title\n\nShe said: “yes”.\n"


# ------------------------------------------------------------------ refused files


def test_random_bytes_are_refused(tmp_path):
    rng = random.Random(7)
    for i in range(20):
        path = write(tmp_path, f"noise{i}.txt", bytes(rng.randrange(256) for _ in range(4000)))
        with pytest.raises(ReadError) as e:
            read_document(path)
        assert e.value.message == f"noise{i}.txt: is not a text document (it contains binary data)"


@pytest.mark.parametrize("data", [b"", b"   \n\n\t  \r\n"])
def test_an_empty_file_is_refused(tmp_path, data):
    with pytest.raises(ReadError) as e:
        read_document(write(tmp_path, "empty.txt", data))
    assert e.value.message == "empty.txt: is empty"


def test_punctuation_only_is_refused(tmp_path):
    with pytest.raises(ReadError) as e:
        read_document(write(tmp_path, "dots.md", b"... --- ***\n"))
    assert e.value.message == "dots.md: has no text to import"


def test_a_huge_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:  # sparse: no need to write the bytes
        f.truncate(ImportLimits().file_bytes + 1)
    with pytest.raises(ReadError) as e:
        read_document(path)
    assert e.value.message == "huge.txt: too large: 256.0 MB (limit 256 MB)"


def test_text_over_the_character_limit_is_refused(tmp_path):
    with applying(ImportLimits(characters=1000)), pytest.raises(ReadError) as e:
        read_document(write(tmp_path, "long.txt", ("word " * 400).encode()))
    assert e.value.message == "long.txt: too long: more than 1,000 characters (limit 1,000)"


@pytest.mark.parametrize("name,data,reason", [
    ("scan.pdf", b"%PDF-1.7\n...", "is a damaged PDF file and cannot be read"),
    ("notes.pdf", b"Just some text\n", "is not a PDF file (it does not start as one)"),
    ("report.txt", b"%PDF-1.4\n\x00\x01", "is a damaged PDF file and cannot be read"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "is an old Word document (.doc); save it as .docx and import that"),
    ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "is an image, not a document"),
    ("archive.txt", b"SQLite format 3\x00" + b"\x00" * 100, "is a database, not a document"),
    ("nul.txt", b"text with a \x00 inside it", "is not a text document (it contains binary data)"),
    ("fake.docx", b"just text, not a zip", "is not a Word document (.docx files are zip archives)"),
    ("broken.docx", b"PK\x03\x04broken zip", "is a damaged Word document"),
    # data and code, by name and by what is in them: "quotes" in them are nobody's words
    ("speakers.json", b'{"speaker": "Anna Berg", "quote": "We will appeal."}', "is data, not a document"),
    ("speakers.csv", b"name,quote\nAnna Berg,\"We will appeal.\"\n", "is data, not a document"),
    ("extract.py", b'print("We will appeal,")\n', "is program code, not a document"),
    ("export.txt", b'[{"speaker": "Anna Berg", "quote": "We will appeal."}, {"speaker": "Piotr Nowak"}]',
     "is JSON data, not a document"),
    ("table.txt", b"name,role,city\nAnna Berg,lawyer,Graz\nPiotr Nowak,editor,Lodz\nJan Kos,judge,Brno\n",
     "is a table (CSV), not a document"),
    ("script.md", b"import os\n\ndef main():\n    say = 'We will appeal'\n    return say\n\nclass Court:\n    pass\n",
     "is program code, not a document"),
])
def test_files_that_are_not_documents_get_a_one_line_reason(tmp_path, name, data, reason):
    with pytest.raises(ReadError) as e:
        read_document(write(tmp_path, name, data))
    assert e.value.message == f"{name}: {reason}"
    assert one_line(e.value.message)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ReadError, match="nothing.txt: no such file"):
        read_document(tmp_path / "nothing.txt")
    (tmp_path / "dir.txt").mkdir()
    with pytest.raises(ReadError, match="dir.txt: is a folder, not a document"):
        read_document(tmp_path / "dir.txt")


def test_decode_refuses_text_full_of_control_characters():
    with pytest.raises(ReadError, match="binary data"):
        decode(b"abc\x01\x02\x03\x04def\x05\x06" * 10, "x.txt")


def test_importable_names():
    assert all(is_importable(n) for n in ["a.txt", "b.MD", "c.markdown", "d.html", "e.HTM", "f.docx", "g.pdf",
                                          "h.mhtml", "i.MHT"])
    assert not any(is_importable(n) for n in ["b.doc", "c.db", "d", "e.txt.gz"])


# ------------------------------------------------------------------ HTML


def test_html_keeps_only_the_article():
    src = read_document(DATA / "lawyers-round-table.html")
    assert src.format == "html"
    assert src.text.split("\n\n") == [
        "# Lawyers under pressure: a round table in Almaty",
        "Published 20 November 2021",
        "On 18 November 2021, defence lawyers and human rights defenders met in Almaty for a round table hosted "
        "by the Steppe Watch network.",
        "Gulnara Akhmetova, a defence lawyer from Almaty, said that lawyers who take political cases are now "
        "routinely summoned for questioning. “My clients’ files are read by the same people who prosecute them,” "
        "she said.",
        "Her colleague Daniel Novak, a researcher at the Prague Centre for Legal Studies, added: “A lawyer who is "
        "afraid cannot defend anyone.” He presented the study “Defending the Defenders”, published in October.\n",
    ]
    for clutter in ("cookies", "Accept all", "About us", "Share on", "Related articles", "Newsletter", "©",
                    "subscribe", "console", "font-family", "Steppe Watch\n"):
        assert clutter not in src.text
    assert src.title_hint == "Lawyers under pressure: a round table in Almaty"
    assert src.published_hint == "2021-11-20"


def test_html_without_article_uses_main_or_body_and_br_breaks(tmp_path):
    page = (b"<html><head><title>Notes - Site</title></head><body><nav>Home | About</nav>"
            b"<div role='main'><h2>Minutes</h2>First line<br>same paragraph<br><br>Second paragraph"
            b"<ul><li>one</li><li>two</li></ul><div hidden>secret</div><p style='display: none'>x</p></div>"
            b"<footer>Footer</footer></body></html>")
    src = read_document(write(tmp_path, "page.htm", page))
    assert src.text == "## Minutes\n\nFirst line\nsame paragraph\n\nSecond paragraph\n\n- one\n\n- two\n"
    assert src.title_hint == "Notes - Site"


def test_html_charset_entities_and_a_page_without_a_suffix(tmp_path):
    page = "<!DOCTYPE html><html><body><p>Caf&eacute; &laquo;Ромашка&raquo; &amp; friends</p></body></html>"
    src = read_document(write(tmp_path, "download", page.encode("utf-8")))
    assert src.format == "html" and src.text == "Café «Ромашка» & friends\n"


# ------------------------------------------------------------------ Markdown


def test_markdown_headings_emphasis_links_and_lists():
    src = read_document(DATA / "webinar-notes.md")
    blocks = src.text.split("\n\n")
    assert blocks[:3] == ["# Women in civic journalism: notes from a webinar",
                          "Date: 8 March 2023\nOrganised by: the Nordic Press Council", "## Opening"]
    assert "Marta Kowalczyk, editor of Gazeta Obywatelska, said" in src.text
    assert "**" not in src.text and "](" not in src.text and "*why" not in src.text
    assert "- newsrooms should keep a record of every threat;\n- editors should answer" in src.text


def test_markdown_front_matter_setext_headings_code_and_quotes(tmp_path):
    md = ("---\ntitle: \"Front title\"\ndate: 2019-05-02\n---\nSetext title\n============\n\n"
          "> “Quoted,” she said.\n\n```\ncode *kept*\n```\n\nsnake_case_name stays, __bold__ goes. \\*literal\\*\n")
    src = read_document(write(tmp_path, "n.md", md.encode()))
    assert src.title_hint == "Front title" and src.date_hints == ["2019-05-02"]
    assert src.text == ("# Setext title\n\n“Quoted,” she said.\n\ncode *kept*\n\n"
                        "snake_case_name stays, bold goes. *literal*\n")


# ------------------------------------------------------------------ DOCX


def make_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.core_properties.title = "Core title"
    d.add_heading("Voices from the archive: a panel in Riga", 0)
    d.add_paragraph("Date: 5 May 2022")
    d.add_heading("Opening", 1)
    p = d.add_paragraph("Laura Ozola, a historian at the University of Latvia, said: ")
    p.add_run("“Archives are where the state keeps its conscience.”").bold = True
    d.add_paragraph("first point", style="List Bullet")
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Speaker"
    table.rows[0].cells[1].text = "Laura Ozola"
    d.save(path)
    return path


def test_docx_paragraphs_headings_lists_and_tables(tmp_path):
    src = read_document(make_docx(tmp_path / "panel.docx"))
    assert src.format == "docx" and src.title_hint == "Core title"
    assert src.text == (
        "# Voices from the archive: a panel in Riga\n\nDate: 5 May 2022\n\n# Opening\n\n"
        "Laura Ozola, a historian at the University of Latvia, said: “Archives are where the state keeps its "
        "conscience.”\n\n- first point\n\nSpeaker | Laura Ozola\n"
    )


def test_a_zip_that_is_not_a_word_document(tmp_path):
    import zipfile

    path = tmp_path / "fake.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(ReadError) as e:
        read_document(path)
    assert e.value.message == "fake.docx: is a zip file, not a Word document"


def test_reading_never_writes_beside_the_file(tmp_path):
    path = write(tmp_path, "a.txt", b"Just a line of text.\n")
    before = sorted(os.listdir(tmp_path))
    read_document(path)
    assert sorted(os.listdir(tmp_path)) == before


def test_html_text_outside_any_block_is_kept(tmp_path):
    src = read_document(write(tmp_path, "bare.html", b"<html><body>Loose <b>text</b> here.<p>Para</p>tail</body></html>"))
    assert src.text == "Loose text here.\n\nPara\n\ntail\n"


# ------------------------------------------------------------------ anything at all


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".md", ".html", ".docx", ".bin"]))
def test_any_bytes_are_read_or_refused_in_one_line(data, suffix):
    try:
        src = readers.read_bytes(data, Path("f" + suffix))
    except ReadError as e:
        assert one_line(e.message) and e.message.startswith(f"f{suffix}: ")
    else:
        assert src.text.strip() and "\x00" not in src.text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(st.sampled_from(list("Ab Зж.,:;\"'“”‘’«»()#-*_<>\n") + [
    "Mr ", "said ", "CHAIR: ", "Date: 2 May 2019\n", "Maria Lopez ", "\n\n", "сказал ", "On 2 May 2019, "]),
    max_size=150))
def test_any_text_is_analysed_or_refused(tmp_path_factory, parts):
    text = "".join(parts)
    from viewer.core.importer import prepare

    path = tmp_path_factory.mktemp("any") / "any.md"
    path.write_text(text, encoding="utf-8")
    try:
        item = prepare(path)
    except ReadError as e:
        assert one_line(e.message)
    else:
        for p in item.extraction.passages:
            for q in p.quotes:
                assert 0 <= q.start < q.end <= len(p.text)
