"""Every export format re-read and compared with the bookmarks exactly; hostile quotes and notes;
atomic writes under faults (RELIABILITY items 20-22)."""

from __future__ import annotations

import csv
import errno
import html
import io
import json
import os
import re
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document

import viewer.core.export as export
from viewer.core.bookmark_file import load_export
from viewer.core.bookmarks import (
    CHANGED, OK, Bookmark, BookmarkStore, Resolution, make_bookmark,
)
from viewer.core.citation import DEFAULT_TEMPLATE, cited_text, render
from viewer.core.export import (
    CHANGED_NOTE, CSV_COLUMNS, ExportError, clipboard, escape_markdown, neutralise_cell, render_export,
    restore_cell, suggested_filename, to_csv, to_docx, to_json, to_markdown, to_txt, words_text, write_atomic,
)

HOSTILE_TEXTS = [
    "=HYPERLINK(\"http://evil.example\",\"click\")",
    "+1+2",
    "-2+3",
    "@SUM(A1:A9)",
    "\tstarts with a tab",
    "'already quoted",
    "# a heading? no, a quote",
    "*bold* and _italic_ and [x](y) and <img src=/etc/passwd> and ![i](j)",
    "1. not a list",
    "- not a list either",
    "> not a blockquote",
    "    not code",
    "$x^2$ and https://example.org and www.example.org and me@example.org",
    "trailing spaces  ",
    "| a | b |",
    "`code` ~~strike~~ &amp; &#60; \\backslash\\",
    "Назарбаев ушёл? “Curly” ‘quotes’ — and ✊ emoji",
    "---",
    "<script>alert(1)</script>",
]
HOSTILE_NOTES = [
    "",
    "plain note",
    "=cmd|' /C calc'!A0",
    "line one\nline two\n\n# heading line\n- item\n    indented\n\ttabbed\nlast  ",
    "<b>not bold</b> [link](http://x) *star*",
    "\rstarts with CR",
]


def _hostile(i: int, text: str, note: str, tags=()) -> Bookmark:
    return Bookmark(
        kind="selection" if i % 2 else "quote", text=text, document_slug="doc-" + str(i),
        document_title=f"Title {i} with *stars* and \"quotes\"", paragraph=i + 1, start=10, end=10 + len(text),
        document_date="2021-03-25", publisher="Pub & Co", speaker=f"=Speaker {i}", attribution=f"=Speaker {i}",
        affiliation="@role", role="-role", organisation="+org", quote_id=i + 100 if i % 2 == 0 else None,
        note=note, tags=tuple(tags),
    )


@pytest.fixture
def hostile(tmp_path):
    """Hostile bookmarks as the store keeps them (saved and read back)."""
    with BookmarkStore.open(tmp_path / "hostile-data") as store:
        for i, text in enumerate(HOSTILE_TEXTS):
            note = HOSTILE_NOTES[i % len(HOSTILE_NOTES)]
            tags = ["-minus", "@at"] if i % 3 == 0 else ["=eq"] if i % 3 == 1 else []
            store.add(_hostile(i, text, note, tags))
        yield store.list()


@pytest.fixture
def real(seed_archive, tmp_path):
    """Bookmarks of the seed archive: every quote, plus a paraphrase selection with a note."""
    with BookmarkStore.open(tmp_path / "real-data") as store:
        for q in seed_archive.quotes():
            store.add(make_bookmark(seed_archive, quote_id=q.id, tags=["quotes"]))
        p = seed_archive.passages(1)[5]
        store.add(make_bookmark(seed_archive, passage_id=p.id, start=0, end=60, note="check\nthis", tags=["para"]))
        yield store.list()


@pytest.fixture(params=["hostile", "real"])
def bookmarks(request):
    return request.getfixturevalue(request.param)


# ------------------------------------------------------------------------ CSV


def test_csv_reads_back_exactly(bookmarks):
    data = render_export("csv", bookmarks)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == len(bookmarks) + 1
    for b, row in zip(bookmarks, rows[1:]):
        cell = dict(zip(CSV_COLUMNS, (restore_cell(c) for c in row)))
        assert cell["text"] == cited_text(b.text, b.words)
        assert cell["speaker"] == b.speaker and cell["words"] == b.words and cell["quoted by"] == b.relayer
        assert cell["role"] == b.role and cell["organisation"] == b.organisation
        assert cell["document"] == b.document_title and cell["date"] == b.document_date
        assert cell["paragraph"] == str(b.paragraph)
        assert cell["tags"] == ", ".join(b.tags) and cell["note"] == b.note
        assert cell["quote id"] == (str(b.quote_id) if b.quote_id else "")


def test_csv_cells_never_start_like_a_formula(hostile):
    rows = list(csv.reader(io.StringIO(to_csv(hostile)[1:], newline="")))
    for row in rows[1:]:
        for c in row:
            assert not c.startswith(("=", "+", "-", "@", "\t", "\r")), c


@pytest.mark.parametrize("value", ["=1", "+1", "-1", "@x", "\tx", "\rx", "'x", "''", "plain", "", "1-2"])
def test_neutralise_is_undone_exactly(value):
    assert restore_cell(neutralise_cell(value)) == value
    assert not neutralise_cell(value).startswith(("=", "+", "-", "@", "\t", "\r"))


# ------------------------------------------------------------------------ Markdown

_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])|&#(\d+);")


def md_unescape(s: str) -> str:
    return _UNESCAPE.sub(lambda m: m.group(1) if m.group(1) is not None else chr(int(m.group(2))), s)


def md_lines(block: str) -> str:
    """Lines joined by hard breaks (a trailing backslash) back into one text."""
    lines = block.split("\n")
    assert all(line.endswith("\\") for line in lines[:-1])
    return "\n".join(md_unescape(line[:-1] if i < len(lines) - 1 else line) for i, line in enumerate(lines))


def parse_markdown(text: str) -> list[dict]:
    """Our Markdown export back into fields (the inverse of to_markdown's layout)."""
    entries = text.split("\n---\n")
    assert entries[0].startswith("# ")
    entries[0] = entries[0].split("\n", 2)[2]
    out = []
    for entry in entries[:-1]:
        blocks = [b for b in entry.strip("\n").split("\n\n")]
        d = {"tags": "", "note": "", "changed": False, "quote": blocks[0].startswith("> ")}
        d["text"] = md_lines(blocks[0][2:].replace("\\\n> ", "\\\n") if d["quote"] else blocks[0])
        assert blocks[1].startswith("— ")
        d["attribution"] = md_unescape(blocks[1][2:])
        for block in blocks[2:]:
            if block.startswith("Tags: "):
                d["tags"] = md_unescape(block[6:])
            elif block.startswith("Note: "):
                d["note"] = md_lines(block[6:])
            elif block == f"*{CHANGED_NOTE}*":
                d["changed"] = True
            else:
                raise AssertionError(f"unexpected block {block!r}")
        out.append(d)
    assert entries[-1].strip() == ""
    return out


def test_markdown_reads_back_exactly(bookmarks):
    parsed = parse_markdown(to_markdown(bookmarks))
    assert len(parsed) == len(bookmarks)
    for b, d in zip(bookmarks, parsed):
        assert d["text"] == words_text(b) and d["quote"] == b.is_quote
        assert d["attribution"] == b.attribution_line()
        assert d["tags"] == ", ".join(b.tags)
        assert d["note"] == b.note


def test_markdown_escapes_every_markup_character(hostile):
    md = to_markdown(hostile)
    for line in md.split("\n"):
        body = line[2:] if line.startswith(("> ", "— ")) else line
        body = body[6:] if body.startswith(("Tags: ", "Note: ")) else body
        if body in ("---", "") or body.startswith("# Bookmarks") or body.startswith("*Changed"):
            continue
        assert not re.match(r"(&#\d+;)*\s*([#>+\-=]|\d+[.)])", body), line
        assert not re.search(r"(?<!\\)[*_\[\]<>`|~$@]", body), line
        assert not re.search(r"(?i)(https?|ftp)://|www\.", body), line  # a renderer would link it


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_escape_markdown_round_trip(text):
    assert md_unescape(escape_markdown(text)) == text


# ------------------------------------------------------------------------ JSON


def test_json_reads_back_without_loss(bookmarks):
    data = render_export("json", bookmarks)
    meta = json.loads(data)
    assert meta["format"] == "archive-viewer-bookmarks" and meta["count"] == len(bookmarks)
    assert load_export(data.decode()) == [replace(b, id=None) for b in bookmarks]  # ids come from the store


def test_json_import_into_an_empty_store_round_trips(bookmarks, tmp_path):
    with BookmarkStore.open(tmp_path / "fresh") as store:
        result = store.import_bookmarks(load_export(to_json(bookmarks)))
        assert result.added == len(bookmarks)
        assert store.list() == bookmarks
        again = store.import_bookmarks(load_export(to_json(bookmarks)))
        assert (again.added, again.updated, again.unchanged) == (0, 0, len(bookmarks))


def test_import_keeps_the_newest_edit(real, tmp_path):
    old = load_export(to_json(real))
    with BookmarkStore.open(tmp_path / "fresh") as store:
        store.import_bookmarks(old)
        first = store.list()[0]
        edited = store.update(first.id, note="edited later", tags=["new"])
        assert store.import_bookmarks(old).updated == 0  # the export is older: the edit stays
        assert store.get(first.id).note == "edited later"
        newer = [replace(b, note="newer still", updated="2999-01-01T00:00:00.000+00:00") if b.uid == edited.uid
                 else b for b in old]
        assert store.import_bookmarks(newer).updated == 1
        assert store.get(first.id).note == "newer still"


@pytest.mark.parametrize("content, message", [
    ("not json", "not JSON"),
    ("{}", "not an Archive Viewer bookmarks export"),
    ('{"format": "archive-viewer-bookmarks", "version": 99, "bookmarks": []}', "newer version"),
    ('{"format": "archive-viewer-bookmarks", "version": 1, "bookmarks": {}}', "no list"),
    ('[{"kind": "quote"}]', r"\$\[0\]: the bookmark has no text"),
    ('[{"kind": "poem", "text": "x", "document_slug": "d", "document_title": "t", "paragraph": 1, '
     '"start": 0, "end": 1}]', r"\$\[0\]\.kind: \"poem\" is not one of quote, selection"),
    ('[{"kind": "quote", "text": "x", "document_slug": "d", "document_title": "t", "paragraph": 1, '
     '"start": 0, "end": 1, "colour": "mauve"}]', r"\$\[0\]\.colour: \"mauve\" is not one of the colours"),
])
def test_bad_import_files_are_refused_with_a_reason(content, message, tmp_path):
    from viewer.core.bookmarks import ImportFailed

    with pytest.raises(ImportFailed, match=message):
        load_export(content)


def test_a_failed_import_changes_nothing(real, tmp_path):
    with BookmarkStore.open(tmp_path / "fresh") as store:
        items = load_export(to_json(real))
        broken = items[:3] + [replace(items[3], colour="mauve")]
        with pytest.raises(ValueError):
            store.import_bookmarks(broken)
        assert store.count() == 0


# ------------------------------------------------------------------------ DOCX


def test_docx_reads_back_exactly(bookmarks):
    doc = Document(io.BytesIO(render_export("docx", bookmarks)))
    paragraphs = doc.paragraphs
    assert paragraphs[0].text == "Bookmarks"
    i = 1
    for b in bookmarks:
        assert paragraphs[i].style.name == ("Quote" if b.is_quote else "Normal")
        assert paragraphs[i].text == words_text(b)
        assert paragraphs[i + 1].text == "— " + b.attribution_line()
        i += 2
        if b.tags:
            assert paragraphs[i].text == "Tags: " + ", ".join(b.tags)
            i += 1
        if b.note:
            assert paragraphs[i].text == "Note: " + b.note
            i += 1
    assert i == len(paragraphs)


# ------------------------------------------------------------------------ plain text


def test_txt_has_each_citation_with_its_note(bookmarks):
    template = "«{text}» — {speaker}, {title}, ¶ {paragraph}"
    text = to_txt(bookmarks, template=template)
    entries = text.split("\n\n")
    for b, entry in zip(bookmarks, entries):
        lines = entry.split("\n")
        assert lines[0] == render(template, b.citation())
        assert lines[0].startswith(f"«{cited_text(b.text, b.words)}» — " if b.is_quote
                                   else f"According to the report, {cited_text(b.text, b.words)} — ")
        rest = "\n".join(lines[1:])
        if b.tags:
            assert "Tags: " + ", ".join(b.tags) in rest
        if b.note:
            assert "Note: " + b.note.replace("\n", "\n      ") in rest


def test_txt_uses_the_default_template(real):
    assert to_txt(real).split("\n")[0] == real[0].citation().render(DEFAULT_TEMPLATE)


def test_changed_bookmarks_are_marked_in_every_readable_format(real):
    res = {b.id: Resolution(OK) for b in real}
    res[real[0].id] = Resolution(CHANGED)
    assert to_markdown(real, res).count(CHANGED_NOTE) == 1
    assert to_txt(real, res).count(CHANGED_NOTE) == 1
    doc = Document(io.BytesIO(to_docx(real, res)))
    assert sum(p.text == CHANGED_NOTE for p in doc.paragraphs) == 1
    rows = list(csv.reader(io.StringIO(to_csv(real, res)[1:], newline="")))
    assert rows[1][-1] == ""  # no quote id of another archive for changed words


# ------------------------------------------------------------------------ clipboard


def test_clipboard_html_is_escaped_text(hostile):
    plain, markup = clipboard(hostile)
    assert "<img" not in markup and "<script>" not in markup
    assert "&lt;img src=/etc/passwd&gt;" in markup
    for b in hostile:
        assert render(DEFAULT_TEMPLATE, b.citation()) in plain
        assert html.escape(render(DEFAULT_TEMPLATE, b.citation())) in markup


# ------------------------------------------------------------------------ atomic writes


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_write_atomic_replaces_the_file(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    os.chmod(target, 0o640)
    write_atomic(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert target.stat().st_mode & 0o777 == 0o640
    assert _leftovers(tmp_path) == []


def test_disk_full_keeps_the_old_file_and_leaves_no_temp(real, tmp_path, monkeypatch):
    target = tmp_path / "bookmarks.docx"
    target.write_bytes(b"the old export")
    real_write = os.write
    calls = {"n": 0}

    def full(fd, data):
        calls["n"] += 1
        if calls["n"] == 1:
            return real_write(fd, bytes(data[: len(data) // 2]))  # a short write first
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export.os, "write", full)
    with pytest.raises(ExportError) as e:
        export.export(real, "docx", target)
    monkeypatch.undo()
    assert e.value.message == "export failed: disk full"
    assert target.read_bytes() == b"the old export"
    assert _leftovers(tmp_path) == []


def test_read_only_folder_gives_a_clear_message(real, tmp_path, monkeypatch):
    target = tmp_path / "bookmarks.csv"
    target.write_bytes(b"old")

    def read_only(*a, **k):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(export.tempfile, "mkstemp", read_only)
    with pytest.raises(ExportError, match="export failed: the folder .* is read-only"):
        export.export(real, "csv", target)
    assert target.read_bytes() == b"old"


def test_failing_rename_leaves_no_temp(real, tmp_path, monkeypatch):
    target = tmp_path / "bookmarks.md"
    target.write_bytes(b"old")

    def denied(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(export.os, "replace", denied)
    with pytest.raises(ExportError, match="no permission"):
        export.export(real, "md", target)
    monkeypatch.undo()
    assert target.read_bytes() == b"old" and _leftovers(tmp_path) == []


def test_missing_folder_and_folder_target(real, tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        export.export(real, "json", tmp_path / "nope" / "x.json")
    with pytest.raises(ExportError, match="is a folder"):
        export.export(real, "json", tmp_path)


@pytest.mark.parametrize("name, fmt, expected", [
    ("Bookmarks", "csv", "Bookmarks.csv"),
    ("../../etc/passwd", "md", "etc passwd.md"),
    ('a<b>c:d"e|f?g*h\\i/j', "txt", "a b c d e f g h i j.txt"),
    ("  .hidden. ", "json", "hidden.json"),
    ("CON", "docx", "CON bookmarks.docx"),
    ("nul.txt", "txt", "nul.txt bookmarks.txt"),
    ("", "csv", "bookmarks.csv"),
    ("tab\tnew\nline\x00", "csv", "tab new line.csv"),
    ("x" * 300, "md", "x" * 100 + ".md"),
    ("Назарбаев: «цитаты»", "md", "Назарбаев «цитаты».md"),
])
def test_suggested_filename_is_safe(name, fmt, expected):
    assert suggested_filename(name, fmt) == expected


# ------------------------------------------------------------------------ what the words are


def test_the_reports_words_are_never_presented_as_a_quote_in_any_format(real):
    para = real[-1]  # the selection of ¶ 6 outside Zhovtis's quote: the report's words about him
    assert para.words == "paraphrase" and para.speaker == "Yevgeniy Zhovtis" == para.attribution
    rows = list(csv.reader(io.StringIO(to_csv([para])[1:], newline="")))
    cell = dict(zip(rows[0], rows[1]))
    assert cell["speaker"] == "Yevgeniy Zhovtis" and cell["words"] == "paraphrase"  # a clean name, a column saying so
    assert json.loads(to_json([para]))["bookmarks"][0]["words"] == "paraphrase"
    md = to_markdown([para])
    assert "\n> " not in md and "\nAccording to the report, Yevgeniy Zhovtis raised" in md
    assert "(paraphrased in the report)" not in md
    doc = Document(io.BytesIO(to_docx([para])))
    body = doc.paragraphs[1]
    assert body.style.name != "Quote" and body.text.startswith("According to the report, Yevgeniy Zhovtis raised")
    for text in (to_txt([para]), clipboard([para])[0]):
        assert text.startswith("According to the report, Yevgeniy Zhovtis raised")
        assert "“" not in text.split("(")[0] and "paraphrasing Yevgeniy Zhovtis" in text
    quote = real[0]
    assert quote.words == "quote" and Document(io.BytesIO(to_docx([quote]))).paragraphs[1].style.name == "Quote"
    assert to_markdown([quote]).split("\n")[2].startswith("> ")


def test_a_quote_loses_the_comma_of_the_sentence_in_every_format():
    b = Bookmark(kind="quote", text="We are just doing our job,", document_slug="d", document_title="Briefing",
                 paragraph=4, start=1, end=27, speaker="Anna Berg", attribution="Anna Berg",
                 created="2024-01-01T00:00:00+00:00", updated="2024-01-01T00:00:00+00:00")
    rows = list(csv.reader(io.StringIO(to_csv([b])[1:], newline="")))
    assert rows[1][0] == "We are just doing our job"
    assert "> We are just doing our job\n" in to_markdown([b])
    assert Document(io.BytesIO(to_docx([b]))).paragraphs[1].text == "We are just doing our job"
    assert to_txt([b]).startswith("“We are just doing our job” (Anna Berg")
    assert clipboard([b])[0].startswith("“We are just doing our job” (Anna Berg")
    assert load_export(to_json([b]))[0].text == "We are just doing our job,"  # the data keeps the span exact


def test_every_format_cites_the_paragraph_where_the_words_are_now(real):
    b = real[0]
    moved = {b.id: Resolution("moved", passage_id=b.passage_id, start=b.start, end=b.end, quote_id=b.quote_id,
                              paragraph=b.paragraph + 1)}
    now = f"¶ {b.paragraph + 1}"
    assert now in to_txt([b], moved) and now in clipboard([b], DEFAULT_TEMPLATE, moved)[0]
    assert now in to_markdown([b], moved)
    assert any(now in p.text for p in Document(io.BytesIO(to_docx([b], moved))).paragraphs)
    rows = list(csv.reader(io.StringIO(to_csv([b], moved)[1:], newline="")))
    assert dict(zip(rows[0], rows[1]))["paragraph"] == str(b.paragraph + 1)
    assert json.loads(to_json([b], resolutions=moved))["bookmarks"][0]["paragraph"] == b.paragraph + 1
    changed = {b.id: Resolution(CHANGED, passage_id=b.passage_id, paragraph=b.paragraph + 1)}
    assert f"¶ {b.paragraph}" in to_txt([b], changed)  # words no longer there: cited as they were bookmarked


def test_docx_names_the_archive_and_is_written_by_the_app(real):
    doc = Document(io.BytesIO(render_export("docx", real, source="Addressing human rights abuses")))
    assert doc.paragraphs[0].text == "Bookmarks from “Addressing human rights abuses”"
    assert doc.core_properties.author == "Archive Viewer" and doc.core_properties.last_modified_by == "Archive Viewer"
    assert doc.core_properties.title == "Bookmarks from “Addressing human rights abuses”"
    assert "python-docx" not in (doc.core_properties.comments or "")
    assert render_export("md", real, source="An archive").decode().startswith("# Bookmarks from “An archive”")


def test_exports_give_the_page_of_words_from_a_pdf(paged_archive, tmp_path):
    doc = paged_archive.document("trial-monitoring-in-aktobe-the-second-session")
    p = next(p for p in paged_archive.passages(doc.id) if p.page == 2)
    with BookmarkStore(tmp_path / "bookmarks.db") as store:
        b = store.add(make_bookmark(paged_archive, passage_id=p.id, start=0, end=15))
    rows = list(csv.reader(io.StringIO(to_csv([b]).lstrip("\ufeff"))))
    assert dict(zip(rows[0], rows[1]))["page"] == "2"
    assert f"p. 2, ¶ {p.seq}" in to_markdown([b]).replace("\\", "")
    assert f"p. 2, ¶ {p.seq})" in to_txt([b])


@pytest.mark.parametrize("path", ["/dev/stdout", "/dev/stderr", "/dev/fd/1", "/proc/self/fd/1"])
def test_the_standard_streams_are_not_files_to_replace(path):
    with pytest.raises(ExportError, match="to write to standard output, leave out --out"):
        export.check_target(path)
