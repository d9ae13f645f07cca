"""Bookmarks out: CSV, Markdown, JSON, DOCX and plain text, and the clipboard's text and HTML.

The writers are pure (bookmarks in, bytes out); ``write_atomic`` puts bytes on disk so that the
destination is either the old file or the complete new one. The words are always exactly the
archive's text (the bookmark's snapshot; a quote without the comma or space at its end that belongs
to the sentence reporting it); only each format's own escaping is added. Only a speaker's own words
(``Bookmark.words == "quote"``) are presented as a quote; the report's words (a paraphrase of a
speaker, narration) are cited as the report's, "According to the report, …", in every format. With
``resolutions`` (``viewer.core.bookmarks.resolve_all``) a bookmark is cited at the ¶ where its words
are now (``Bookmark.at``):

* CSV: UTF-8 with a BOM; a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return (or with ``'``, so the rule can be undone) gets a leading ``'``, so that a spreadsheet
  does not run it as a formula (``restore_cell`` undoes it).
* Markdown: every character that could be markup is backslash-escaped, leading and trailing spaces
  are written as character references, so quotes and notes render literally.
* JSON: every field of every bookmark; ``viewer.core.bookmarks.load_export`` reads it back.
* DOCX: the archive's title in the heading, Archive Viewer as the author; quotes in the "Quote"
  style, the report's words as plain paragraphs.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import html
import io
import json
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from viewer.core.bookmarks import (
    CHANGED, EXPORT_FORMAT, MISSING, STORE_VERSION, Bookmark, Resolution, now_iso,
)
from viewer.core.citation import DEFAULT_TEMPLATE, REPORT_LEAD, cited_text, render

FORMATS = ("csv", "md", "json", "docx", "txt")
EXTENSIONS = {"csv": ".csv", "md": ".md", "json": ".json", "docx": ".docx", "txt": ".txt"}
FORMAT_LABELS = {
    "csv": "CSV spreadsheet (.csv)", "md": "Markdown (.md)", "json": "JSON, for import (.json)",
    "docx": "Word document (.docx)", "txt": "Plain text with citations (.txt)",
}
CSV_COLUMNS = ("text", "speaker", "words", "quoted by", "role", "organisation", "document", "date", "paragraph",
               "page", "tags", "note", "quote id", "url")
APP_AUTHOR = "Archive Viewer"  # the author of the documents it writes
CHANGED_NOTE = "Changed in the archive since it was bookmarked; this is the text as it was bookmarked."

Resolutions = Mapping[int, Resolution] | None


class ExportError(Exception):
    """The export could not be written; ``message`` is one plain line ("export failed: disk full")."""

    def __init__(self, message: str, details: str = ""):
        super().__init__(message)
        self.message = message
        self.details = details


def _changed(b: Bookmark, resolutions: Resolutions) -> bool:
    r = resolutions.get(b.id) if resolutions else None
    return r is not None and r.status in (CHANGED, MISSING)


def _quote_id(b: Bookmark, resolutions: Resolutions) -> int | None:
    r = resolutions.get(b.id) if resolutions else None
    if r is None:
        return b.quote_id
    return r.quote_id if r.found else None


def _now(b: Bookmark, resolutions: Resolutions) -> Bookmark:
    """``b`` where its words are in the archive now (its ¶ after a rebuild), as far as known."""
    return b.at(resolutions.get(b.id) if resolutions else None)


def words_text(b: Bookmark) -> str:
    """The words as an export shows them: a quote trimmed of the sentence's comma, the report's words
    led by "According to the report, "."""
    text = cited_text(b.text, b.words)
    return text if b.is_quote else REPORT_LEAD + text


def heading(title: str, source: str = "") -> str:
    """An export's heading: "Bookmarks" and the archive they come from."""
    return f"{title} from “{source}”" if source else title


# ---------------------------------------------------------------------------------------- CSV

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: str) -> str:
    """A cell a spreadsheet will not run: a leading ``'`` before ``= + - @``, tab or CR (and
    before a leading ``'`` itself, so that ``restore_cell`` is exact)."""
    if value.startswith(_FORMULA_START) or value.startswith("'"):
        return "'" + value
    return value


def restore_cell(value: str) -> str:
    """The inverse of ``neutralise_cell``."""
    return value[1:] if value.startswith("'") else value


def csv_row(b: Bookmark, resolutions: Resolutions = None) -> list[str]:
    """The cells of ``CSV_COLUMNS``: the words, the speaker's clean name (who said the words, or whom
    the report paraphrases), what the words are (quote, paraphrase, narration), who relayed them, …"""
    qid = _quote_id(b, resolutions)
    b = _now(b, resolutions)
    date = b.document_date or ""
    if b.document_date_end and b.document_date_end != b.document_date:
        date = f"{date}/{b.document_date_end}"
    cells = [cited_text(b.text, b.words), b.speaker, b.words, b.relayer, b.role, b.organisation, b.document_title,
             date, str(b.paragraph), b.page_label, ", ".join(b.tags), b.note, str(qid) if qid else "", b.url]
    return [neutralise_cell(c) for c in cells]


def to_csv(bookmarks: Sequence[Bookmark], resolutions: Resolutions = None) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for b in bookmarks:
        w.writerow(csv_row(b, resolutions))
    return "\ufeff" + buf.getvalue()


# ---------------------------------------------------------------------------------------- Markdown

_MD_ANYWHERE = re.compile(r"([\\`*_\[\]<>&|~!{}])")
_MD_LINE_START = re.compile(r"^(\s*)([#+\-=>:])")
_MD_ORDERED = re.compile(r"^(\s*\d{1,9})([.)])")


def escape_markdown(text: str) -> str:
    """One line of text that renders literally in CommonMark/GFM (no newlines in ``text``)."""
    s = _MD_ANYWHERE.sub(r"\\\1", text)
    s = _MD_LINE_START.sub(r"\1\\\2", s)
    s = _MD_ORDERED.sub(r"\1\\\2", s)
    # leading/trailing blanks would be dropped (or start a code block): character references keep them
    lead, core, trail = re.fullmatch(r"([ \t]*)(.*?)([ \t]*)", s, re.S).groups()
    return "".join(f"&#{ord(c)};" for c in lead) + core + "".join(f"&#{ord(c)};" for c in trail)


def markdown_lines(text: str, prefix: str = "") -> str:
    """A possibly multi-line text, escaped, its lines joined by hard line breaks (a backslash at the
    end of the line; a line of its own for an empty line), each line after the first led by ``prefix``."""
    return ("\\\n" + prefix).join(escape_markdown(line) for line in text.split("\n"))


def to_markdown(bookmarks: Sequence[Bookmark], resolutions: Resolutions = None, title: str = "Bookmarks",
                source: str = "") -> str:
    out = [f"# {escape_markdown(heading(title, source))}", ""]
    for b in bookmarks:
        changed = _changed(b, resolutions)
        b = _now(b, resolutions)
        if b.is_quote:  # a block quote for a speaker's own words only
            out.append("> " + markdown_lines(words_text(b), "> "))
        else:
            out.append(markdown_lines(words_text(b)))
        out.append("")
        out.append("— " + escape_markdown(b.attribution_line()))
        out.append("")
        if b.tags:
            out.append("Tags: " + escape_markdown(", ".join(b.tags)))
            out.append("")
        if b.note:
            out.append("Note: " + markdown_lines(b.note))
            out.append("")
        if changed:
            out.append(f"*{CHANGED_NOTE}*")
            out.append("")
        out.append("---")
        out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------- JSON


def to_json(bookmarks: Sequence[Bookmark], exported: str | None = None, resolutions: Resolutions = None,
            source: str = "") -> str:
    data = {
        "format": EXPORT_FORMAT, "version": STORE_VERSION, "exported": exported or now_iso(),
        "count": len(bookmarks), "bookmarks": [_now(b, resolutions).to_dict() for b in bookmarks],
    }
    if source:
        data["archive"] = source
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------------------- plain text


def _indent_rest(text: str, prefix: str) -> str:
    return text.replace("\n", "\n" + " " * len(prefix))


def to_txt(bookmarks: Sequence[Bookmark], resolutions: Resolutions = None, template: str = DEFAULT_TEMPLATE) -> str:
    out = []
    for b in bookmarks:
        changed = _changed(b, resolutions)
        b = _now(b, resolutions)
        out.append(render(template, b.citation()))
        if b.tags:
            out.append("Tags: " + ", ".join(b.tags))
        if b.note:
            out.append("Note: " + _indent_rest(b.note, "Note: "))
        if changed:
            out.append(f"[{CHANGED_NOTE}]")
        out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------- DOCX

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", text)


def to_docx(bookmarks: Sequence[Bookmark], resolutions: Resolutions = None, title: str = "Bookmarks",
            source: str = "") -> bytes:
    """A Word document: a heading naming the archive; per bookmark the words (a quote in the style
    "Quote", the report's words as a plain paragraph), the attribution line, tags and note. Its
    author is the app."""
    from docx import Document

    doc = Document()
    name = _xml_safe(heading(title, source))
    doc.core_properties.title = name
    doc.core_properties.author = APP_AUTHOR
    doc.core_properties.last_modified_by = APP_AUTHOR
    doc.core_properties.comments = ""
    doc.add_heading(name, level=1)
    for b in bookmarks:
        changed = _changed(b, resolutions)
        b = _now(b, resolutions)
        doc.add_paragraph(_xml_safe(words_text(b)), style="Quote" if b.is_quote else None)
        doc.add_paragraph("— " + _xml_safe(b.attribution_line()))
        if b.tags:
            doc.add_paragraph("Tags: " + _xml_safe(", ".join(b.tags)))
        if b.note:
            doc.add_paragraph("Note: " + _xml_safe(b.note))
        if changed:
            doc.add_paragraph().add_run(CHANGED_NOTE).italic = True
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------- all formats


def render_export(fmt: str, bookmarks: Sequence[Bookmark], resolutions: Resolutions = None,
                  template: str = DEFAULT_TEMPLATE, source: str = "") -> bytes:
    """The bytes of an export in ``fmt`` (one of FORMATS). ``template``: the user's citation template
    (``viewer.core.citation.load_template``); ``source``: the title of the archive the bookmarks are
    resolved in, named in the heading (Markdown, DOCX) and in JSON."""
    if fmt == "csv":
        return to_csv(bookmarks, resolutions).encode("utf-8")
    if fmt == "md":
        return to_markdown(bookmarks, resolutions, source=source).encode("utf-8")
    if fmt == "json":
        return to_json(bookmarks, resolutions=resolutions, source=source).encode("utf-8")
    if fmt == "txt":
        return to_txt(bookmarks, resolutions, template).encode("utf-8")
    if fmt == "docx":
        return to_docx(bookmarks, resolutions, source=source)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def clipboard(bookmarks: Sequence[Bookmark], template: str = DEFAULT_TEMPLATE,
              resolutions: Resolutions = None) -> tuple[str, str]:
    """(plain text, HTML) for "Copy with citation": one cited quote per paragraph. The HTML is
    escaped text in paragraphs; nothing of the quote is ever markup."""
    cited = [render(template, _now(b, resolutions).citation()) for b in bookmarks]
    plain = "\n\n".join(cited)
    body = "".join(f"<p>{html.escape(c)}</p>" for c in cited)
    return plain, f"<html><body>{body}</body></html>"


def export(bookmarks: Sequence[Bookmark], fmt: str, path: str | os.PathLike, resolutions: Resolutions = None,
           template: str = DEFAULT_TEMPLATE, source: str = "") -> Path:
    """Render and write atomically; ExportError with a plain message when it cannot be written."""
    data = render_export(fmt, bookmarks, resolutions, template, source)
    return write_atomic(path, data)


# ---------------------------------------------------------------------------------------- files


def _failure(e: OSError, path: Path) -> ExportError:
    n = e.errno
    if n in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        why = "disk full"
    elif n in (errno.EROFS,):
        why = f"the folder {path.parent} is read-only"
    elif n in (errno.EACCES, errno.EPERM):
        why = f"no permission to write in {path.parent}"
    elif n == errno.ENOENT:
        why = f"the folder {path.parent} does not exist"
    elif n == errno.EISDIR:
        why = f"{path} is a folder"
    elif n == errno.ENAMETOOLONG:
        why = "the file name is too long"
    else:
        why = e.strerror or str(e)
    return ExportError(f"export failed: {why}", f"{type(e).__name__}: {e}")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        if n <= 0:
            raise OSError(errno.EIO, "short write")
        view = view[n:]


def write_atomic(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, fsynced, then
    ``os.replace``d over the destination: the old file or the complete new one, never a torn one.
    On failure the temporary file is removed, the old file is untouched and ExportError says why."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise ExportError(f"export failed: {path} is a folder")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:80]}.", suffix=".tmp", dir=path.parent)
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            mode = path.stat().st_mode & 0o777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
    except OSError as e:
        raise _failure(e, path) from e
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    if os.name == "posix":
        with contextlib.suppress(OSError):
            dfd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
    return path


_RESERVED_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def suggested_filename(name: str, fmt: str) -> str:
    """A safe file name for an export: no path separators, reserved or control characters, no
    reserved Windows names, not hidden, at most 100 characters, with the format's extension."""
    base = _RESERVED_CHARS.sub(" ", name or "")
    base = re.sub(r"\s+", " ", base).strip(" .")
    if base.split(".")[0].strip().lower() in _WINDOWS_RESERVED:
        base = f"{base} bookmarks"
    base = base[:100].rstrip(" .") or "bookmarks"
    return base + EXTENSIONS.get(fmt, "")
