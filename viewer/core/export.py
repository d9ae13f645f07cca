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
* Markdown: every character that could be markup is backslash-escaped (``$`` too, for renderers with
  maths, and bare URLs and e-mail addresses, for renderers that link them), leading and trailing spaces
  are written as character references, so quotes and notes render literally.
* JSON: every field of every bookmark; ``viewer.core.bookmark_file`` reads it back.
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
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from viewer.core.bookmarks import (
    CHANGED, EXPORT_FORMAT, MISSING, STORE_VERSION, Bookmark, BookmarkQuery, Resolution, StoreReader, now_iso,
    resolve_each,
)
from viewer.core.citation import DEFAULT_TEMPLATE, REPORT_LEAD, cited_text, render
from viewer.core.errors import ViewerError

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
Rows = Iterable[tuple[Bookmark, Resolutions]]  # each bookmark with the resolutions that cover it


def _rows(bookmarks: Iterable[Bookmark], resolutions: Resolutions) -> Rows:
    return ((b, resolutions) for b in bookmarks)


def rows_of(pairs: Iterable[tuple[Bookmark, Resolution | None]]) -> Rows:
    """(bookmark, its resolution) pairs, as the ``*_chunks`` writers take them."""
    return ((b, {b.id: r} if r is not None else None) for b, r in pairs)


class ExportError(ViewerError):
    """The export could not be written; ``message`` is one plain line ("export failed: disk full")."""


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


def csv_chunks(rows: Rows) -> Iterator[str]:
    """A CSV export a row at a time: the BOM and the header, then one line per bookmark."""
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    yield "\ufeff" + buf.getvalue()
    for b, resolutions in rows:
        buf.seek(0)
        buf.truncate()
        w.writerow(csv_row(b, resolutions))
        yield buf.getvalue()


def to_csv(bookmarks: Sequence[Bookmark], resolutions: Resolutions = None) -> str:
    return "".join(csv_chunks(_rows(bookmarks, resolutions)))


# ---------------------------------------------------------------------------------------- Markdown

_MD_ANYWHERE = re.compile(r"([\\`*_\[\]<>&|~!{}$@])")  # $: maths; @: e-mail autolinks
_MD_AUTOLINK = re.compile(r"(?i)(?<![\w\\])((?:https?|ftp)(?=://)|www(?=\.))")  # bare URLs GFM would link
_MD_LINE_START = re.compile(r"^(\s*)([#+\-=>:])")
_MD_ORDERED = re.compile(r"^(\s*\d{1,9})([.)])")


def escape_markdown(text: str) -> str:
    """One line of text that renders literally in CommonMark/GFM (no newlines in ``text``)."""
    s = _MD_ANYWHERE.sub(r"\\\1", text)
    s = _MD_AUTOLINK.sub(lambda m: m.group(1) + "\\", s)  # "https\://", "www\.": the same text, no link
    s = _MD_LINE_START.sub(r"\1\\\2", s)
    s = _MD_ORDERED.sub(r"\1\\\2", s)
    # leading/trailing blanks would be dropped (or start a code block): character references keep them
    lead, core, trail = re.fullmatch(r"([ \t]*)(.*?)([ \t]*)", s, re.S).groups()
    return "".join(f"&#{ord(c)};" for c in lead) + core + "".join(f"&#{ord(c)};" for c in trail)


def markdown_lines(text: str, prefix: str = "") -> str:
    """A possibly multi-line text, escaped, its lines joined by hard line breaks (a backslash at the
    end of the line; a line of its own for an empty line), each line after the first led by ``prefix``."""
    return ("\\\n" + prefix).join(escape_markdown(line) for line in text.split("\n"))


def markdown_chunks(rows: Rows, title: str = "Bookmarks", source: str = "") -> Iterator[str]:
    """A Markdown export a bookmark at a time (the same text as ``to_markdown``)."""
    yield f"# {escape_markdown(heading(title, source))}\n"
    for b, resolutions in rows:
        yield "".join("\n" + line for line in _markdown_block(b, resolutions))


def to_markdown(bookmarks: Sequence[Bookmark], resolutions: Resolutions = None, title: str = "Bookmarks",
                source: str = "") -> str:
    return "".join(markdown_chunks(_rows(bookmarks, resolutions), title, source))


def _markdown_block(b: Bookmark, resolutions: Resolutions) -> list[str]:
    out = []
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
    return out


# ---------------------------------------------------------------------------------------- JSON


def json_chunks(bookmarks: Iterable[Bookmark], count: int, exported: str | None = None,
                source: str = "") -> Iterator[str]:
    """A JSON export a bookmark at a time: exactly ``json.dumps`` of the whole, indented by 2, with a
    final newline (``count`` is written first, so give the number of bookmarks that follow)."""
    head = {"format": EXPORT_FORMAT, "version": STORE_VERSION, "exported": exported or now_iso(), "count": count}
    text = json.dumps({**head, "bookmarks": [], **({"archive": source} if source else {})},
                      ensure_ascii=False, indent=2)
    cut = text.index('"bookmarks": []') + len('"bookmarks": [')
    opening, closing = text[:cut], text[cut:]
    yield opening
    first = True
    for b in bookmarks:
        item = json.dumps(b.to_dict(), ensure_ascii=False, indent=2).replace("\n", "\n    ")
        yield ("\n    " if first else ",\n    ") + item
        first = False
    yield ("" if first else "\n  ") + closing + "\n"


def to_json(bookmarks: Sequence[Bookmark], exported: str | None = None, resolutions: Resolutions = None,
            source: str = "") -> str:
    return "".join(json_chunks((_now(b, resolutions) for b in bookmarks), len(bookmarks), exported, source))


# ---------------------------------------------------------------------------------------- plain text


def _indent_rest(text: str, prefix: str) -> str:
    return text.replace("\n", "\n" + " " * len(prefix))


def txt_chunks(rows: Rows, template: str = DEFAULT_TEMPLATE) -> Iterator[str]:
    """A plain-text export a bookmark at a time (the same text as ``to_txt``)."""
    first = True
    for b, resolutions in rows:
        for line in _txt_block(b, resolutions, template):
            yield line if first else "\n" + line
            first = False


def to_txt(bookmarks: Sequence[Bookmark], resolutions: Resolutions = None, template: str = DEFAULT_TEMPLATE) -> str:
    return "".join(txt_chunks(_rows(bookmarks, resolutions), template))


def _txt_block(b: Bookmark, resolutions: Resolutions, template: str) -> list[str]:
    out = []
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
    return out


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


def export_chunks(fmt: str, bookmarks: Iterable[Bookmark], count: int,
                  resolve: Callable[[Iterable[Bookmark]], Iterable[tuple[Bookmark, Resolution | None]]] | None = None,
                  template: str = DEFAULT_TEMPLATE, source: str = "", size: int = 1 << 16) -> Iterator[bytes]:
    """An export in ``fmt`` as bytes, in pieces of about ``size``, made as ``bookmarks`` come (``count``: how
    many will come, which JSON states first); ``resolve`` maps them onto an archive (where their words
    are now, and which changed in it); ``source`` names that archive. DOCX is made whole (a Word
    document is one zip)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    pairs = resolve(bookmarks) if resolve is not None else ((b, None) for b in bookmarks)
    if fmt == "docx":
        items = list(pairs)
        yield to_docx([b for b, _r in items], {b.id: r for b, r in items if r is not None}, source=source)
        return
    if fmt == "json":
        text = json_chunks((b.at(r) for b, r in pairs), count, source=source)
    elif fmt == "csv":
        text = csv_chunks(rows_of(pairs))
    elif fmt == "md":
        text = markdown_chunks(rows_of(pairs), source=source)
    else:
        text = txt_chunks(rows_of(pairs), template)
    buf: list[str] = []
    held = 0
    for piece in text:
        buf.append(piece)
        held += len(piece)
        if held >= size:
            yield "".join(buf).encode("utf-8")
            buf, held = [], 0
    if buf:
        yield "".join(buf).encode("utf-8")


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


def export_store(store_path: str | os.PathLike, fmt: str, path: str | os.PathLike, query: BookmarkQuery | None = None,
                 ids: Sequence[int] | None = None, archive=None, template: str = DEFAULT_TEMPLATE,
                 source: str = "") -> tuple[Path, int]:
    """Export from the store at ``store_path`` (on any thread: its own connection): the bookmarks ``ids``
    (in that order), else those ``query`` selects, streamed; mapped onto ``archive`` (a connection this
    thread may use, closed here): where their words are now, which changed; ``source`` names the archive.
    Returns the file and how many bookmarks it holds."""
    try:
        with StoreReader(store_path) as reader, reader.snapshot():
            if ids is not None:
                bookmarks = [b for b in (reader.get(i) for i in ids) if b is not None]
                count = len(bookmarks)
            else:
                count = reader.count(query)
                bookmarks = reader.iter(query)
            resolve = (lambda items: resolve_each(archive, items)) if archive is not None else None
            return write_atomic(path, export_chunks(fmt, bookmarks, count, resolve, template, source)), count
    finally:
        if archive is not None:
            archive.close()


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
    elif n == errno.ENOTDIR:
        why = f"{path.parent} is not a folder"
    elif n == errno.ELOOP:
        why = f"{path} is a loop of symbolic links"
    else:
        why = e.strerror or str(e)
    return ExportError(f"export failed: {why}", f"{type(e).__name__}: {e}")


_STREAMS = ("/dev/stdin", "/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/self/fd/")
_SPECIAL = ((stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISFIFO, "a pipe (FIFO)"),
            (stat.S_ISSOCK, "a socket"))


def check_target(path: str | os.PathLike, follow_symlinks: bool = False) -> Path:
    """The file an export to ``path`` replaces: ``path``, or with ``follow_symlinks`` the file the symbolic
    link ``path`` points to. An export writes regular files only: ExportError (one line) when the target
    exists and is a folder, a device, a pipe or a socket, a symbolic link (without ``follow_symlinks``),
    a file with other names (hard links, which replacing it would leave behind) or a read-only file."""
    path = Path(path).expanduser()
    if str(path).startswith(_STREAMS):
        raise ExportError(f"export failed: {path} is a stream, not a file; to write to standard output, leave out "
                          "--out")
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return path
    except OSError as e:
        raise _failure(e, path) from e
    if stat.S_ISLNK(st.st_mode):
        if not follow_symlinks:
            raise ExportError(f"export failed: {path} is a symbolic link; export to the file it points to, or "
                              "allow writing through links (--follow-symlinks)")
        try:
            target = path.resolve(strict=False)
        except (OSError, RuntimeError) as e:  # RuntimeError: a loop (Python 3.11)
            raise ExportError(f"export failed: {path} is a loop of symbolic links", repr(e)) from e
        return check_target(target)
    if stat.S_ISDIR(st.st_mode):
        raise ExportError(f"export failed: {path} is a folder")
    for test, what in _SPECIAL:
        if test(st.st_mode):
            raise ExportError(f"export failed: {path} is {what}, not a regular file")
    if st.st_nlink > 1:
        raise ExportError(f"export failed: {path} has other names (hard links), which replacing it would leave "
                          "with the old content; export to another name")
    if not st.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise ExportError(f"export failed: {path} is read-only")
    return path


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        if n <= 0:
            raise OSError(errno.EIO, "short write")
        view = view[n:]


def write_atomic(path: str | os.PathLike, data: bytes | Iterable[bytes], follow_symlinks: bool = False) -> Path:
    """Write ``data`` (bytes, or chunks of bytes as they are made) to ``path`` through a temporary file in
    the same folder, fsynced, then ``os.replace``d over the destination: the old file or the complete new
    one, never a torn one. Only a regular file is written or replaced (``check_target``). On failure the
    temporary file is removed, the old file is untouched and ExportError says why in one line."""
    path = check_target(path, follow_symlinks)
    chunks = [data] if isinstance(data, (bytes, bytearray, memoryview)) else data
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:80]}.", suffix=".tmp", dir=path.parent)
        try:
            for chunk in chunks:
                _write_all(fd, chunk)
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
