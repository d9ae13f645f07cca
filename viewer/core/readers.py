"""Files people import -> plain text the extractor reads: which format a file is, and the reader of each.

Plain text, Markdown (``viewer.core.markdown_reader``), saved web pages (``viewer.core.webpage``: HTML and
MHTML, only the article kept, with the rules of ``viewer.core.html_reader``), DOCX (``viewer.core.docx_reader``:
its XML read as a stream) and PDF (``viewer.core.pdf_reader``, with the page of every block). The result is a
``SourceText`` (``viewer.core.source_text``): one paragraph per block separated by blank lines, headings as
``# ...`` and list items as ``- ...`` (the shapes ``viewer.core.extract.segment.split_blocks`` reads), plus
hints a format carries (an HTML ``<title>``, ``<time datetime>``, a DOCX title, a PDF's metadata, a page's
address).

Encodings are decided deliberately, never guessed silently (``viewer.core.text_decoding``). Binary data, an
empty file, data or program code, and a file over the import limits (``viewer.core.limits``: size, size
unpacked, paragraphs, characters, time) are refused with a one-line reason (``ReadError.message``). Every step
is linear in the size of the file.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from viewer.core import limits
from viewer.core.docx_reader import read_docx
from viewer.core.errors import ReadError
from viewer.core.markdown_reader import markdown_to_text
from viewer.core.source_text import SourceText, checked, normalise
from viewer.core.text_decoding import decode

TEXT_SUFFIXES = {".txt", ".text"}
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MHTML_SUFFIXES = {".mhtml", ".mht"}
DOCX_SUFFIXES = {".docx"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | MHTML_SUFFIXES | DOCX_SUFFIXES | PDF_SUFFIXES

# Formats people try that we cannot read, with what to do instead.
_REFUSED_SUFFIXES = {
    ".doc": "an old Word document (.doc); save it as .docx and import that",
    ".odt": "an OpenDocument file; save it as .docx and import that",
    ".rtf": "an RTF file; save it as .docx or .txt and import that",
    **{
        suffix: "data, not a document"
        for suffix in (
            ".json",
            ".jsonl",
            ".geojson",
            ".csv",
            ".tsv",
            ".xlsx",
            ".xls",
            ".ods",
            ".yaml",
            ".yml",
            ".toml",
            ".ini",
            ".cfg",
            ".sql",
            ".db",
            ".sqlite",
        )
    },
    **{
        suffix: "program code, not a document"
        for suffix in (
            ".py",
            ".js",
            ".ts",
            ".java",
            ".c",
            ".h",
            ".cpp",
            ".cs",
            ".go",
            ".rs",
            ".rb",
            ".php",
            ".sh",
            ".bat",
            ".ps1",
            ".css",
            ".swift",
            ".kt",
            ".pl",
            ".r",
        )
    },
}
_SIGNATURES = [
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc); save it as .docx and import that"),
    (b"\x89PNG", "an image, not a document"),
    (b"\xff\xd8\xff", "an image, not a document"),
    (b"GIF8", "an image, not a document"),
    (b"SQLite format 3\x00", "a database, not a document"),
    (b"\x1f\x8b", "a compressed file, not a document"),
    (b"7z\xbc\xaf", "a compressed file, not a document"),
    (b"Rar!", "a compressed file, not a document"),
    (b"{\\rtf", "an RTF file; save it as .docx or .txt and import that"),
]


def is_importable(path: str | Path) -> bool:
    """Whether a file's name says it is a format we import (for file dialogs and drops)."""
    return Path(path).suffix.lower() in SUPPORTED_SUFFIXES


def read_document(path: str | Path) -> SourceText:
    """Read ``path`` into a ``SourceText``; raise ``ReadError`` with a one-line reason otherwise."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise ReadError(f"{name}: no such file")
    if path.is_dir():
        raise ReadError(f"{name}: is a folder, not a document")
    if not path.is_file():
        raise ReadError(f"{name}: is not a regular file")
    suffix = path.suffix.lower()
    if suffix in _REFUSED_SUFFIXES:
        raise ReadError(f"{name}: is {_REFUSED_SUFFIXES[suffix]}")
    try:
        size = path.stat().st_size
    except OSError as e:
        raise ReadError(f"{name}: cannot be read ({e.strerror or e})", repr(e)) from e
    limits.check_file_size(name, size)
    try:
        with path.open("rb") as f:
            data = f.read(limits.current().file_bytes + 1)  # no more than the limit, if it grew meanwhile
    except OSError as e:
        raise ReadError(f"{name}: cannot be read ({e.strerror or e})", repr(e)) from e
    limits.check_file_size(name, len(data))
    return read_bytes(data, path)


def read_bytes(data: bytes, path: str | Path) -> SourceText:
    """The same as ``read_document`` for bytes already in memory; ``path`` names the format."""
    path = Path(path)
    name = path.name
    if not data.strip():
        raise ReadError(f"{name}: is empty")
    suffix = path.suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        if suffix in DOCX_SUFFIXES or suffix not in SUPPORTED_SUFFIXES:
            return read_docx(data, path)
        raise ReadError(f"{name}: is a compressed (zip) file, not a {suffix} document")
    if suffix in DOCX_SUFFIXES:
        raise ReadError(f"{name}: is not a Word document (.docx files are zip archives)")
    if data.startswith(b"%PDF-") or (suffix in PDF_SUFFIXES and b"%PDF-" in data[:1024]):
        from viewer.core.pdf_reader import read_pdf

        return checked(read_pdf(data, path))
    if suffix in PDF_SUFFIXES:
        raise ReadError(f"{name}: is not a PDF file (it does not start as one)")
    if suffix in MHTML_SUFFIXES or _looks_like_mhtml(data):
        from viewer.core.webpage import read_mhtml

        return checked(read_mhtml(data, path))
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            raise ReadError(f"{name}: is {what}")
    text, encoding = decode(data, name)
    limits.checkpoint()
    if suffix in HTML_SUFFIXES or (suffix not in SUPPORTED_SUFFIXES and _looks_like_html(text)):
        from viewer.core.webpage import read_webpage

        src = read_webpage(text, path)
    elif suffix in MARKDOWN_SUFFIXES:
        limits.count_characters(name, len(text) // 2)  # far over: refused before any work (markup is not half)
        src = markdown_to_text(text, path)
    else:
        limits.count_characters(name, len(text) // 2)
        src = SourceText(path, normalise(text), "text")
    if src.format in ("text", "markdown"):
        what = not_a_document(text)
        if what:
            raise ReadError(f"{name}: is {what}")
    src.encoding = encoding
    src.decoded_sha256 = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return checked(src)


def _looks_like_mhtml(data: bytes) -> bool:
    head = data[:4096].lower()
    return b"multipart/related" in head and (b"mime-version:" in head or b"snapshot-content-location:" in head)


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text)


_CODE_LINE = re.compile(
    r"^\s*(?:def |class |import |from [\w.]+ import |function\b|var |const |let |#include\b|public |private |"
    r"return\b|if\s*\(|for\s*\(|}\s*$|{\s*$|.*;\s*$)"
)


def not_a_document(text: str) -> str | None:
    """What a text file is when it is not prose to import: JSON data, a table (CSV/TSV), program code;
    None for a document. Judged on the whole text for JSON and code, on its first lines for tables."""
    stripped = text.strip()
    if stripped[:1] in "{[" and stripped[-1:] in "}]":
        try:
            json.loads(stripped)
            return "JSON data, not a document"
        except ValueError:
            pass
    lines = [ln for ln in stripped.splitlines()[:40] if ln.strip()]
    if len(lines) >= 4:
        for sep, label in ((",", "CSV"), (";", "CSV"), ("\t", "TSV"), ("|", "table")):
            counts = [ln.count(sep) for ln in lines]
            common = max(set(counts), key=counts.count)
            cells = [c.strip() for c in lines[0].split(sep)]
            if common >= 2 and counts.count(common) >= 0.8 * len(lines) and max(len(c) for c in cells) <= 40:
                return f"a table ({label}), not a document"
        every = [ln for ln in stripped.splitlines()[:2000] if ln.strip()]
        code = sum(1 for ln in every if _CODE_LINE.match(ln))
        if len(every) >= 5 and code >= 0.5 * len(every):
            return "program code, not a document"
    return None
