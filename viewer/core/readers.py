"""Files people import -> plain text the extractor reads.

Plain text, Markdown, saved web pages (``viewer.core.webpage``: HTML and MHTML, only the article
kept), DOCX (its XML read as a stream) and PDF (``viewer.core.pdf_reader``, with the page of every block). The
result is one paragraph per block separated by blank lines, headings as ``# ...`` and list items as
``- ...`` (the shapes ``viewer.core.extract.segment.split_blocks`` reads), plus hints a format carries
(an HTML ``<title>``, ``<time datetime>``, a DOCX title, a PDF's metadata, a page's address).

Encodings are decided deliberately, never guessed silently: UTF-8 (with or without BOM), UTF-16/32
by BOM (or UTF-16 by its zero bytes), then the Cyrillic 8-bit code pages (cp1251, koi8-r, cp866) and cp1252,
scored by how much the decoded text looks like words; a file that mixes UTF-8 lines with lines in one of
those is decoded line by line. Binary data, an empty file and a file over the import limits
(``viewer.core.limits``: size, size unpacked, paragraphs, characters, time) are refused with a one-line
reason (``ReadError.message``). Every step is linear in the size of the file.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from viewer.core import limits
from viewer.core.dates import find_dates
from viewer.core.errors import ReadError

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
    **{suffix: "data, not a document" for suffix in (".json", ".jsonl", ".geojson", ".csv", ".tsv", ".xlsx", ".xls",
                                                      ".ods", ".yaml", ".yml", ".toml", ".ini", ".cfg", ".sql", ".db",
                                                      ".sqlite")},
    **{suffix: "program code, not a document" for suffix in (".py", ".js", ".ts", ".java", ".c", ".h", ".cpp",
                                                              ".cs", ".go", ".rs", ".rb", ".php", ".sh", ".bat",
                                                              ".ps1", ".css", ".swift", ".kt", ".pl", ".r")},
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


@dataclass
class PagedBlock:
    """A block of a document with pages: its text (without ``# ``/``- `` marks), its kind
    (paragraph, heading, list_item or note, a footnote) and the first and last page it is on."""

    text: str
    kind: str
    page: int
    page_end: int


@dataclass
class SourceText:
    """A document read from a file: its text in block shape, and what the format told us."""

    path: Path
    text: str
    format: str  # text | markdown | html | mhtml | docx | pdf
    encoding: str | None = None
    title_hint: str | None = None  # <title>/og:title, DOCX core title, Markdown front matter
    published_hint: str | None = None  # an ISO date the format marks as publication
    date_hints: list[str] = field(default_factory=list)  # other <time datetime> values, in order
    decoded_sha256: str | None = None  # of the file's text as decoded, before any clean-up
    blocks: list[PagedBlock] | None = None  # a document with pages (PDF): every block with its pages
    page_count: int | None = None
    author_hint: str | None = None  # a page's or a PDF's author
    site_hint: str | None = None  # a web page's site name (og:site_name, JSON-LD publisher)
    url_hint: str | None = None  # a saved page's own address (canonical link, saved-from comment)
    notes: list[str] = field(default_factory=list)  # what the import should tell the user


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

        return _checked(read_pdf(data, path))
    if suffix in PDF_SUFFIXES:
        raise ReadError(f"{name}: is not a PDF file (it does not start as one)")
    if suffix in MHTML_SUFFIXES or _looks_like_mhtml(data):
        from viewer.core.webpage import read_mhtml

        return _checked(read_mhtml(data, path))
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
    return _checked(src)


def _checked(src: SourceText) -> SourceText:
    name = src.path.name
    limits.count_characters(name, len(src.text))
    limits.count_paragraphs(name, src.text.count("\n\n") + 1)
    if not re.search(r"\w", src.text):
        raise ReadError(f"{name}: has no text to import")
    return src


# ------------------------------------------------------------------ encodings

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
]
# Single-byte encodings we consider when a file is not UTF-8, in order of preference on a tie.
_EIGHT_BIT = ("cp1251", "koi8-r", "cp1252", "cp866")
_CONTROL_BYTES = set(range(0, 9)) | {11} | set(range(14, 27)) | set(range(28, 32)) | {127}


def decode(data: bytes, name: str = "file") -> tuple[str, str]:
    """Bytes -> (text, encoding name). Raises ReadError for binary data."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.replace("-sig", "") + " (BOM)"
            except UnicodeDecodeError as e:
                raise ReadError(f"{name}: is not valid {enc.upper().replace('-SIG', '')} text", str(e)) from e
    utf16 = _utf16_without_bom(data)
    if utf16:
        return utf16
    if b"\x00" in data:
        raise ReadError(f"{name}: is not a text document (it contains binary data)")
    try:
        text = data.decode("utf-8")
        _refuse_binary(text, name)
        return text, "utf-8"
    except UnicodeDecodeError:
        pass
    sample = data[:200_000]
    if sum(1 for b in sample if b in _CONTROL_BYTES) > max(2, len(sample) // 200):
        raise ReadError(f"{name}: is not a text document (it contains binary data)")
    mixed = _mixed(data, name)
    if mixed is not None:
        return mixed
    best: tuple[float, str, str] | None = None
    for enc in _EIGHT_BIT:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text)
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best is None or best[0] < 1.0:
        raise ReadError(f"{name}: is not a text document in an encoding we can recognise")
    _refuse_binary(best[1], name)
    return best[1], best[2]


# UTF-8 punctuation (quotation marks, dashes, …, №) in a line of 8-bit text, where no 8-bit Cyrillic or
# Latin text has these bytes in a row.
_UTF8_LONG = re.compile(rb"\xe2\x80[\x80-\xbf]|\xe2\x84\x96")
# What a line in UTF-8 holds: Latin, Greek and Cyrillic letters and the punctuation around them (a line of
# 8-bit text that happens to be valid UTF-8 decodes to other scripts)
_TEXT_CHARS = re.compile("[\x00-\u052f\u2000-\u20cf\u2100-\u214f]*")


def _mixed(data: bytes, name: str) -> tuple[str, str] | None:
    """A file that is not UTF-8 as a whole but holds UTF-8 (a line that is UTF-8 with letters beyond
    ASCII, or a UTF-8 quotation mark in an 8-bit line) is decoded line by line: UTF-8 where it is UTF-8,
    the rest in the 8-bit encoding it reads best in. None when the file shows no UTF-8."""
    lines = data.split(b"\n")
    utf8 = [_is_utf8(line) for line in lines]
    if not any(ok and not line.isascii() for ok, line in zip(utf8, lines)) and not _UTF8_LONG.search(data):
        return None
    rest = b"\n".join(line for ok, line in zip(utf8, lines) if not ok)
    best: tuple[float, str] | None = None
    for enc in _EIGHT_BIT:
        try:
            score = _plausibility(_decode_mixed_line(rest, enc))
        except UnicodeDecodeError:
            continue
        if best is None or score > best[0]:
            best = (score, enc)
    if best is None or best[0] < 1.0:
        raise ReadError(f"{name}: mixes UTF-8 with text in an encoding that cannot be recognised")
    enc = best[1]
    text = "\n".join(line.decode("utf-8") if ok else _decode_mixed_line(line, enc) for ok, line in zip(utf8, lines))
    _refuse_binary(text, name)
    return text, f"utf-8 and {enc} (line by line)"


def _is_utf8(line: bytes) -> bool:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return bool(_TEXT_CHARS.fullmatch(text))


def _decode_mixed_line(line: bytes, enc: str) -> str:
    """A line that is not UTF-8 as a whole: its UTF-8 characters of three or four bytes (quotation marks,
    dashes) as UTF-8, everything else in ``enc``."""
    out, pos = [], 0
    for m in _UTF8_LONG.finditer(line):
        out.append(line[pos:m.start()].decode(enc))
        out.append(m.group().decode("utf-8", "replace"))
        pos = m.end()
    out.append(line[pos:].decode(enc))
    return "".join(out)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 saved without a BOM shows as a zero in every other byte of Latin text."""
    if len(data) < 8 or len(data) % 2:
        return None
    even = data[0::2][:4096]
    odd = data[1::2][:4096]
    for zeros, enc in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros.count(0) > 0.4 * len(zeros):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                return None
            if _plausibility(text) >= 1.0:
                return text, enc
    return None


_CODE_LINE = re.compile(
    r"^\s*(?:def |class |import |from [\w.]+ import |function\b|var |const |let |#include\b|public |private |"
    r"return\b|if\s*\(|for\s*\(|}\s*$|{\s*$|.*;\s*$)")


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


def _refuse_binary(text: str, name: str) -> None:
    sample = text[:200_000]
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f") or 0x7F <= ord(c) < 0xA0)
    if bad > max(2, len(sample) // 200):
        raise ReadError(f"{name}: is not a text document (it contains binary data)")


def _plausibility(text: str) -> float:
    """How much ``text`` looks like prose, about 0 to 1.5: the share of its words made of letters
    of one script with a natural case pattern, plus a bonus for mostly lower-case letters. Mojibake
    mixes scripts inside words, puts capitals in the middle of words, turns lower case into upper
    case (cp1251 read as koi8-r) or fills words with accented symbols (Cyrillic read as cp1252)."""
    sample = text[:200_000]
    words = re.findall(r"\S+", sample)
    good = total = 0
    for raw in words:
        w = raw.strip(".,;:!?()[]{}\"'«»“”‘’—–-…")
        letters = [c for c in w if c.isalpha()]
        if not letters:
            continue  # numbers and symbols say nothing about the encoding
        total += 1
        if len(letters) < len(w) - 2:
            continue
        cyr = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
        latin = sum(1 for c in letters if c.isascii())
        other = len(letters) - cyr - latin
        if (cyr and latin) or (cyr and other):
            continue  # scripts mixed inside one word
        if other > 1 and other * 2 > len(letters):
            continue  # mostly accented letters: another script read in the wrong code page
        inner = letters[1:]
        if inner and sum(1 for c in inner if c.isupper()) not in (0, len(inner)):
            continue  # "нЮБНЯРХ": capitals in the middle of a word
        good += 1
    if not total:
        return 0.0
    cased = [c for c in sample if c.isalpha() and c.lower() != c.upper()]
    lower = sum(1 for c in cased if c.islower()) / len(cased) if cased else 0.0
    return good / total + 0.5 * lower


# ------------------------------------------------------------------ plain text

_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069\u200e\u200f]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def normalise(text: str) -> str:
    """Line ends unified, NFC, no invisible or control characters, tabs and odd spaces made spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text)
    text = re.sub(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]", " ", text)
    # spaces at line ends go; line by line, so a long run of spaces costs its length, not its square
    text = "\n".join(line.rstrip(" ") for line in text.split("\n"))
    return text.strip("\n ") + "\n"


# ------------------------------------------------------------------ Markdown

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*\n", re.S)
_FENCE = re.compile(r"^\s*(```|~~~)")
_SETEXT = re.compile(r"^\s*(=+|-+)\s*$")
_HR = re.compile(r"^\s*(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_INLINE_TAG = re.compile(r"</?(?:em|strong|b|i|u|span|sup|sub|small|mark|a|br|abbr|cite|q)\b[^<>]*>", re.I)


def markdown_to_text(text: str, path: Path) -> SourceText:
    """Markdown -> block text: ATX and setext headings as ``# ``, emphasis, links, images, code
    marks and block quote marks removed, hard line breaks joined; front matter read as hints."""
    text = normalise(text)
    src = SourceText(path, "", "markdown")
    m = _FRONT_MATTER.match(text)
    if m:
        for line in m.group(1).split("\n"):
            kv = re.match(r"^\s*(title|date|published|author)\s*:\s*(.+?)\s*$", line, re.I)
            if not kv:
                continue
            key, value = kv.group(1).lower(), kv.group(2).strip("\"'")
            if key == "title":
                src.title_hint = value
            elif key in ("date", "published"):
                found = find_dates(value)
                if found:
                    if key == "published":
                        src.published_hint = found[0][2]
                    else:
                        src.date_hints.append(found[0][2])
        text = text[m.end():]
    text = _without_comments(text)
    out: list[str] = []
    in_fence = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
            out.append("")
            continue
        if in_fence:
            out.append(line)
            continue
        if _SETEXT.match(line) and out and out[-1].strip() and not out[-1].lstrip().startswith("#") \
                and not _HR.match(out[-1]):
            level = "#" if line.strip().startswith("=") else "##"
            out[-1] = f"{level} {out[-1].strip()}"
            out.append("")
            continue
        if _HR.match(line):
            out.append("")
            continue
        line = re.sub(r"^\s{0,3}(?:>\s?)+", "", line)  # block quotes
        heading = re.match(r"^\s{0,3}(#{1,6})\s+(.*)$", line)
        if heading:
            out.append("")
            out.append(f"{heading.group(1)} {_inline_markdown(_heading_text(heading.group(2)))}")
            out.append("")
            continue
        bullet = re.match(r"^(\s*)(?:[-*+]|\d{1,3}[.)])\s+(.*)$", line)
        if bullet:
            marker = "-" if re.match(r"^\s*[-*+]", line) else line.strip().split()[0]
            out.append(f"{marker} {_inline_markdown(bullet.group(2))}")
            continue
        out.append(_inline_markdown(line))
    src.text = normalise(re.sub(r"\n{3,}", "\n\n", "\n".join(out)))
    return src


def _without_comments(text: str) -> str:
    """HTML comments removed (an unclosed one runs to the end), in one pass."""
    out, pos = [], 0
    while (start := text.find("<!--", pos)) >= 0:
        out.append(text[pos:start])
        end = text.find("-->", start + 4)
        if end < 0:
            return "".join(out)
        pos = end + 3
    out.append(text[pos:])
    return "".join(out)


def _heading_text(text: str) -> str:
    """An ATX heading's text without its closing ``#``s and the blanks around them."""
    text = text.rstrip()
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1].isspace()):
        text = bare.rstrip()
    return text


_ESCAPABLE = "\\`*_{}[]()#+-.!>"
_ESCAPED = {c: chr(0xE000 + i) for i, c in enumerate(_ESCAPABLE)}  # private-use stand-ins while parsing


# Inline markup. Every pattern is linear in the line's length: no part can run past the next opening
# mark of its own kind, so a line of ``*a *a *a`` or ``[[[[`` costs its length, not its square.
_INLINE = [
    (re.compile(r"!\[[^\[\]]*\]\([^()]*\)"), ""),  # images
    (re.compile(r"\[([^\[\]]+)\]\([^()]*\)"), r"\1"),  # links
    (re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]"), r"\1"),  # reference links
    (re.compile(r"<(https?://[^<>\s]+)>"), r"\1"),  # autolinks
    (_INLINE_TAG, ""),
    (re.compile(r"(?<!`)(`+)([^`]+)\1(?!`)"), r"\2"),  # code
    (re.compile(r"\*\*(?=\S)((?:[^*]|\*(?!\*))+?)(?<=\S)\*\*"), r"\1"),  # strong
    (re.compile(r"__(?=\S)((?:[^_]|_(?!_))+?)(?<=\S)__"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])"), r"\1"),  # emphasis
    (re.compile(r"(?<![\w_])_(?=\S)([^_]+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"~~((?:[^~]|~(?!~))+?)~~"), r"\1"),  # strikethrough
    (re.compile(r"(?:  |\\)$"), ""),  # hard line breaks
]


def _inline_markdown(line: str) -> str:
    line = re.sub(r"\\([\\`*_{}\[\]()#+\-.!>])", lambda m: _ESCAPED[m.group(1)], line)
    for pattern, replacement in _INLINE:
        line = pattern.sub(replacement, line)
    for c, stand_in in _ESCAPED.items():
        line = line.replace(stand_in, c)
    return line


# ------------------------------------------------------------------ HTML

_SKIP_TAGS = {
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas", "form",
    "button", "input", "select", "textarea", "label", "nav", "footer", "aside", "menu", "dialog", "head",
    "video", "audio", "picture", "img", "map",
}
_SKIP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog", "search", "menu",
               "menubar", "toolbar"}
_CLUTTER = re.compile(
    r"(?:^|[\s_-])(?:cookies?|consent|gdpr|banner|newsletter|subscribe|subscription|share|sharing|social|"
    r"breadcrumbs?|related|comments?|advert|ads|promo|popup|modal|sidebar|menu|nav|navbar|navigation|skip|"
    r"toolbar|masthead|site-header|site-footer|footer|widget|signup|sign-up|paywall|tags|author-box)(?:$|[\s_-])",
    re.I,
)
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre",
    "table", "tr", "td", "th", "thead", "tbody", "figure", "figcaption", "address", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "details", "summary", "caption", "center",
}
_PUBLISHED_WORDS = re.compile(r"\b(?:published|posted|updated|modified|byline|dateline|pubdate)\b", re.I)


def _looks_like_mhtml(data: bytes) -> bool:
    head = data[:4096].lower()
    return b"multipart/related" in head and (b"mime-version:" in head or b"snapshot-content-location:" in head)


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text)


def _attr_text(el) -> str:
    return " ".join(filter(None, [el.get("id"), el.get("class"), el.get("itemprop"), el.get("role")]))


def _is_clutter(el, inside_article: bool) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _SKIP_TAGS:
        return True
    if tag == "header" and not inside_article:
        return True
    if (el.get("role") or "").lower() in _SKIP_ROLES:
        return True
    if el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true":
        return True
    style = (el.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    attrs = " ".join(filter(None, [el.get("id"), el.get("class")]))
    return bool(attrs and _CLUTTER.search(attrs))


def html_to_text(text: str, path: Path) -> SourceText:
    """An HTML page -> the text of its article: ``<article>`` (or ``<main>``, else ``<body>``) without
    navigation, headers, footers, banners, scripts and forms. Headings become ``# ``, list items
    ``- ``; ``<title>``, ``og:title``, ``article:published_time`` and ``<time datetime>`` become hints."""
    import lxml.html  # imported here: only HTML files need it
    from lxml import etree

    src = SourceText(path, "", "html")
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        root = lxml.html.document_fromstring(text, parser=lxml.html.HTMLParser(
            remove_comments=True, remove_pis=True, no_network=True, recover=True, huge_tree=False))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise ReadError(f"{path.name}: is not an HTML page that can be read ({e})", repr(e)) from e
    for el in root.iter("title"):
        src.title_hint = " ".join(el.text_content().split()) or None
        break
    for el in root.iter("meta"):
        prop = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        content = (el.get("content") or "").strip()
        if not content:
            continue
        if prop in ("og:title", "twitter:title", "dc.title") and not src.title_hint:
            src.title_hint = content
        elif prop in ("og:title",):
            src.title_hint = content
        elif prop in ("article:published_time", "datepublished", "dc.date", "date", "pubdate", "publishdate"):
            iso = _iso_from_attr(content)
            if iso and not src.published_hint:
                src.published_hint = iso
    body = root.find("body")
    if body is None:
        body = root
    articles = [a for a in body.iter("article") if not any(p.tag == "article" for p in a.iterancestors())]
    if articles:
        scope = max(articles, key=lambda a: len(a.text_content()))
    else:
        mains = [m for m in body.iter() if isinstance(m.tag, str)
                 and (m.tag == "main" or (m.get("role") or "").lower() == "main")]
        scope = mains[0] if mains else body
    for t in scope.iter("time"):
        iso = _iso_from_attr(t.get("datetime") or t.text_content())
        if not iso:
            continue
        context = " ".join([_attr_text(t), _attr_text(t.getparent()) if t.getparent() is not None else "",
                            (t.getparent().text_content() if t.getparent() is not None else "")[:80]])
        if _PUBLISHED_WORDS.search(context) or (t.get("itemprop") or "").lower() == "datepublished":
            src.published_hint = src.published_hint or iso
        else:
            src.date_hints.append(iso)
    blocks: list[str] = []
    current = [_ws(scope.text, False)]
    _walk(scope, blocks, current, inside_article=bool(articles))
    _flush(blocks, current)
    src.text = normalise("\n\n".join(b for b in blocks if b.strip()))
    return src


def _iso_from_attr(value: str) -> str | None:
    value = value.strip()
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]|$)", value)
    if m:
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    found = find_dates(value)
    return found[0][2] if found else None


def _ws(text: str | None, pre: bool) -> str:
    """HTML text: line ends in the source are spaces (``<br>`` breaks lines), except in ``<pre>``."""
    if not text:
        return ""
    return text if pre else re.sub(r"\s+", " ", text)


def _walk(el, blocks: list[str], current: list[str], inside_article: bool, pre: bool = False) -> None:
    """Depth-first: inline text accumulates in ``current``; a block element flushes it."""
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else None
        if tag is None:  # comments and processing instructions
            current.append(_ws(child.tail, pre))
            continue
        tag = tag.lower()
        if _is_clutter(child, inside_article or tag == "article"):
            current.append(_ws(child.tail, pre))
            continue
        if tag == "br":
            current.append("\n")
        elif tag in _BLOCK_TAGS:
            _flush(blocks, current)
            inner_pre = pre or tag == "pre"
            inner: list[str] = [_ws(child.text, inner_pre)]
            _walk(child, blocks, inner, inside_article or tag == "article", inner_pre)
            text = _inline("".join(inner))
            if text:
                if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                    blocks.append("#" * int(tag[1]) + " " + " ".join(text.split()))
                elif tag in ("li", "dt", "dd"):
                    blocks.append("- " + text)
                else:
                    blocks.append(text)
        else:
            current.append(_ws(child.text, pre))
            _walk(child, blocks, current, inside_article, pre)
        current.append(_ws(child.tail, pre))
    # what remains inline belongs to the caller's block


def _flush(blocks: list[str], current: list[str]) -> None:
    text = _inline("".join(current))
    if text:
        blocks.append(text)
    current.clear()


def _inline(text: str) -> str:
    """Inline HTML text: runs of whitespace are one space; ``<br><br>`` (a blank line) separates
    paragraphs. Line by line: a long run of blanks costs its length, not its square."""
    paragraphs: list[str] = []
    current: list[str] = []
    for raw in text.split("\n"):
        if not raw.strip(" \t\r\f\v"):  # a blank line ends the paragraph
            if current:
                paragraphs.append("\n".join(current))
                current = []
            continue
        line = " ".join(raw.split())
        if line:
            current.append(line)
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs).strip()


# ------------------------------------------------------------------ DOCX

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_DOCUMENT = "word/document.xml"


class _Capped:
    """A part of a zip read through a count: past ``room`` unpacked bytes (what the limit leaves, the parts
    read before counted), it stops with LimitExceeded, whatever the zip's directory said."""

    def __init__(self, stream, name: str, used: list[int]):
        self.stream = stream
        self.name = name
        self.used = used

    def read(self, n: int = -1) -> bytes:
        data = self.stream.read(n if n is not None and n >= 0 else 1 << 16)
        self.used[0] += len(data)
        limits.check_unpacked(self.name, self.used[0])
        limits.checkpoint()
        return data


def _xml_events(z: zipfile.ZipFile, part: str, name: str, used: list[int], events=("end",)):
    from lxml import etree  # imported here: only Word files need it

    parser = dict(events=events, resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                  remove_comments=True, remove_pis=True)
    return etree.iterparse(_Capped(z.open(part), name, used), **parser)


def _styles(z: zipfile.ZipFile, names: set[str], name: str, used: list[int]) -> dict[str, str]:
    """Paragraph style id -> its name ("Heading1" -> "heading 1"), lower case."""
    out: dict[str, str] = {}
    if "word/styles.xml" not in names:
        return out
    for _event, el in _xml_events(z, "word/styles.xml", name, used):
        if el.tag == f"{_W}style":
            style_id = el.get(f"{_W}styleId")
            label = el.find(f"{_W}name")
            if style_id and label is not None and label.get(f"{_W}val"):
                out[style_id] = label.get(f"{_W}val").lower()
            el.clear()
    return out


def _core_title(z: zipfile.ZipFile, names: set[str], name: str, used: list[int]) -> str | None:
    from lxml import etree

    if "docProps/core.xml" not in names:
        return None
    try:
        for _event, el in _xml_events(z, "docProps/core.xml", name, used):
            if el.tag == _DC_TITLE:
                return (el.text or "").strip() or None
    except etree.XMLSyntaxError:
        return None  # a broken core.xml is not worth refusing the document for
    return None


def _run_text(p) -> str:
    """A paragraph's text as Word shows it: its runs (inserted text, links and fields included, deleted text
    not), tabs and line breaks kept."""
    parts = []
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}noBreakHyphen"):
        tag = el.tag[len(_W):]
        if tag == "t":
            parts.append(el.text or "")
        elif tag == "tab":
            parts.append("\t")
        elif tag == "noBreakHyphen":
            parts.append("-")
        else:
            parts.append("\n")
    return "".join(parts)


def _paragraph_block(p, styles: dict[str, str]) -> str | None:
    text = _run_text(p).strip()
    if not text:
        return None
    props = p.find(f"{_W}pPr")
    style_id = props.find(f"{_W}pStyle").get(f"{_W}val", "") if props is not None and \
        props.find(f"{_W}pStyle") is not None else ""
    low = styles.get(style_id, style_id.lower())
    level = None
    if low == "title":
        level = 1
    elif low.startswith("heading"):
        digits = re.findall(r"\d", low)
        level = int(digits[0]) if digits else 2
    if level:
        return "#" * min(level, 6) + " " + " ".join(text.split())
    if low.startswith("list") or (props is not None and props.find(f"{_W}numPr") is not None):
        return "- " + text
    return text


def _table_blocks(tbl) -> list[str]:
    """One block a row: its cells' texts joined by `` | `` (empty cells and repeats of a merged cell left out)."""
    blocks = []
    for row in tbl.iterchildren(f"{_W}tr"):
        cells: list[str] = []
        for cell in row.iterchildren(f"{_W}tc"):
            t = " ".join(" ".join(_run_text(p).split()) for p in cell.iterchildren(f"{_W}p")).strip()
            if t and (not cells or cells[-1] != t):
                cells.append(t)
        if cells:
            blocks.append(" | ".join(cells))
    return blocks


def read_docx(data: bytes, path: Path) -> SourceText:
    """A Word document -> block text: paragraphs and tables in order, heading styles as ``# ``, list
    paragraphs as ``- ``; the core properties' title as a hint. Read as a stream: the zip's directory is
    checked against the unpacked-size limit before anything is extracted, and paragraphs and characters
    are counted as they come, so a document over a limit is refused as soon as it is."""
    from lxml import etree

    name = path.name
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            if _DOCUMENT not in names:
                raise ReadError(f"{name}: is a zip file, not a Word document")
            limits.check_unpacked(name, sum(i.file_size for i in z.infolist()))
            used = [0]
            src = SourceText(path, "", "docx")
            src.title_hint = _core_title(z, names, name, used)
            styles = _styles(z, names, name, used)
            blocks: list[str] = []
            chars = paragraphs = 0
            inside = 0  # depth inside a paragraph or table already being collected
            for event, el in _xml_events(z, _DOCUMENT, name, used, ("start", "end")):
                is_block = el.tag in (f"{_W}p", f"{_W}tbl")
                if event == "start":
                    inside += is_block
                    continue
                if not is_block:
                    continue
                inside -= 1
                if inside:
                    continue  # part of an enclosing paragraph or table: read with it
                found = _table_blocks(el) if el.tag == f"{_W}tbl" else [_paragraph_block(el, styles)]
                for block in found:
                    if block:
                        blocks.append(block)
                        chars += len(block)
                paragraphs += max(1, len(found))
                limits.count_paragraphs(name, paragraphs)
                limits.count_characters(name, chars)
                el.clear()
                while el.getprevious() is not None:  # what was read is let go: memory stays flat
                    del el.getparent()[0]
    except zipfile.BadZipFile as e:
        raise ReadError(f"{name}: is a damaged Word document", str(e)) from e
    except etree.XMLSyntaxError as e:
        if "text node too long" in str(e).lower() or "huge text node" in str(e).lower():  # no run over 10 MB
            limits.count_characters(name, 10_000_000 // 4)  # 2.5 million characters at the least
            raise ReadError(f"{name}: has a run of text over 10 MB, which cannot be read", str(e)) from e
        raise ReadError(f"{name}: is a damaged Word document", f"{type(e).__name__}: {e}") from e
    except (zlib.error, EOFError, KeyError) as e:
        raise ReadError(f"{name}: is a damaged Word document", f"{type(e).__name__}: {e}") from e
    src.text = normalise("\n\n".join(blocks))
    return _checked(src)
