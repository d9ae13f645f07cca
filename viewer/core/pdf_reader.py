"""PDF reports -> block text with the page(s) of each block.

The words and their boxes come from PDFium (pypdfium2); ``viewer.core.pdf_layout`` turns them into
paragraphs in reading order without running headers, footers and page numbers, with footnotes apart.

A PDF is read in a child process (``python -m viewer.core.pdf_reader``, the file on its standard
input, JSON on its output) with a memory limit and a time budget, so that a damaged or hostile file
(a "PDF bomb" that unpacks to gigabytes, a page that draws itself forever, a crash inside the
library) costs one line of explanation, never the application or the other files of an import.

Refused with a one-line reason: a file that is not a PDF or is damaged, a PDF protected by a
password (one that opens without a password is read), one with no text layer ("scanned?"), more
pages or characters than the limits, or one that takes longer than the time budget.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import subprocess
import sys
from pathlib import Path

MAX_PDF_BYTES = 256 * 1024 * 1024
MAX_PAGES = 3000
MAX_CHARS = 4_000_000  # characters on all pages together
TIME_BUDGET_S = 60.0  # per file, start-up of the child included
MEMORY_LIMIT = 2 * 1024 * 1024 * 1024  # address space of the child

NO_TEXT = "no text layer in this PDF (scanned?); run OCR first"


class PdfRefused(Exception):
    """Raised in the child: the reason, without the file name."""


# ------------------------------------------------------------------ the child: PDFium


def _error_reason(e: Exception) -> str:
    import pypdfium2.raw as raw

    code = getattr(e, "err_code", None)
    text = str(e).lower()
    if code == raw.FPDF_ERR_PASSWORD or "password" in text:
        return "is protected by a password; open it in a PDF reader, save a copy without the password and import that"
    if code == raw.FPDF_ERR_SECURITY or "security" in text:
        return "is encrypted in a way that cannot be read here"
    return "is a damaged PDF file and cannot be read"


def _char_box_function():
    """PDFium's FPDFText_GetLooseCharBox as a function of our own taking plain pointers: called twice
    a word, the argument checks of the library's binding cost more than the call (falls back to the
    binding when the library is not where pypdfium2 keeps it)."""
    import pypdfium2.raw as raw

    try:
        from pypdfium2_raw import bindings

        function = bindings._libs["pdfium"]["FPDFText_GetLooseCharBox"]  # a new function object, not shared
        function.restype = ctypes.c_int
        function.argtypes = None
        return function, True
    except (ImportError, AttributeError, KeyError, TypeError):
        return raw.FPDFText_GetLooseCharBox, False


def _page_words(textpage, height: float, budget: list[int], max_chars: int, box_function=None):
    """Words of one page: PDFium's characters split at spaces and line ends (its own and generated
    ones), each word's loose box from its first and last character; a word whose ends are not on one
    line (PDFium joins a hyphenated line end to the next line) is split character by character."""
    import pypdfium2.raw as raw

    from viewer.core.pdf_layout import Word

    handle = textpage.raw
    n = raw.FPDFText_CountChars(handle)
    if n <= 0:
        return []
    budget[0] -= n
    if budget[0] < 0:
        raise PdfRefused(f"has too much text to import (over {max_chars:,} characters)")
    text = textpage.get_text_range(0, n)
    if len(text) != n:  # characters outside the BMP: read one by one
        text = "".join(chr(raw.FPDFText_GetUnicode(handle, i) or 32) for i in range(n))
    box, plain = box_function or _char_box_function()
    rect = raw.FS_RECTF()
    ref = ctypes.byref(rect)
    page = ctypes.c_void_p(ctypes.cast(handle, ctypes.c_void_p).value) if plain else handle
    words: list[Word] = []
    add = words.append
    for m in _WORD.finditer(text):
        i, j = m.span()
        j -= 1
        if not box(page, i, ref):
            continue
        x0, top, bottom = rect.left, rect.top, rect.bottom
        if j > i:
            box(page, j, ref)
        size = top - bottom
        if abs(rect.bottom - bottom) <= 0.2 * size and rect.right >= x0 and abs(rect.top - top) <= 0.25 * size:
            add(Word(m.group(), x0, rect.right, height - top, height - bottom))
            continue
        # not one run: split where a character leaves the line, changes size or jumps
        cur = None
        for k in range(i, j + 1):
            box(page, k, ref)
            w = Word(text[k], rect.left, rect.right, height - rect.top, height - rect.bottom)
            if (
                cur is not None
                and abs(w.bottom - cur.bottom) <= 0.2 * cur.size
                and abs(w.size - cur.size) <= 0.2 * cur.size
                and -0.5 * cur.size <= w.x0 - cur.x1 <= 0.15 * cur.size
            ):
                cur.text += w.text
                cur.x1 = max(cur.x1, w.x1)
            else:
                if cur is not None:
                    add(cur)
                cur = w
        if cur is not None:
            add(cur)
    return words


_WORD = re.compile(r"[^\s\x00-\x1f\ufffd]+")


def analyse(data: bytes, max_pages: int = MAX_PAGES, max_chars: int = MAX_CHARS) -> dict:
    """The child's work: the PDF's blocks and metadata as a JSON-ready dict; PdfRefused says why not."""
    import pypdfium2 as pdfium

    from viewer.core.pdf_layout import PageWords, layout

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise PdfRefused(_error_reason(e)) from e
    try:
        count = len(pdf)
        if count == 0:
            raise PdfRefused("is a PDF without pages")
        if count > max_pages:
            raise PdfRefused(f"has too many pages to import ({count:,}; the limit is {max_pages:,})")
        try:
            meta = pdf.get_metadata_dict()
        except (pdfium.PdfiumError, UnicodeDecodeError, ValueError):
            meta = {}
        pages = []
        budget = [max_chars]
        box_function = _char_box_function()
        for i in range(count):
            try:
                page = pdf[i]
            except pdfium.PdfiumError as e:
                raise PdfRefused(f"is damaged (page {i + 1} cannot be read)") from e
            try:
                width, height = page.get_size()
                textpage = page.get_textpage()
                try:
                    words = _page_words(textpage, height, budget, max_chars, box_function)
                finally:
                    textpage.close()
            finally:
                page.close()
            pages.append(PageWords(i + 1, width, height, words))
    finally:
        pdf.close()
    if not any(p.words for p in pages):
        raise PdfRefused(NO_TEXT)
    blocks, empty = layout(pages)
    if not blocks:
        raise PdfRefused(NO_TEXT)
    return {
        "pages": count,
        "blocks": [[b.text, b.kind, b.page, b.page_end] for b in blocks],
        "without_text": empty,
        "title": (meta.get("Title") or "").strip(),
        "author": (meta.get("Author") or "").strip(),
        "created": (meta.get("CreationDate") or "").strip(),
    }


def _limit_resources(memory: int, cpu_seconds: int) -> None:
    try:
        import resource
    except ImportError:  # not on this platform: the time budget still applies
        return
    for limit, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, cpu_seconds)):
        try:
            soft, hard = resource.getrlimit(limit)
            value = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(limit, (value, hard))
        except (ValueError, OSError):
            pass


def main(argv: list[str] | None = None) -> int:
    """``python -m viewer.core.pdf_reader MEMORY CPU_SECONDS MAX_PAGES MAX_CHARS``: a PDF on standard
    input, JSON on standard output."""
    args = [int(a) for a in (sys.argv[1:] if argv is None else argv)]
    memory, cpu, pages, chars = args if len(args) == 4 else (MEMORY_LIMIT, int(TIME_BUDGET_S) + 5, MAX_PAGES, MAX_CHARS)
    _limit_resources(memory, cpu)
    data = sys.stdin.buffer.read()
    try:
        result = analyse(data, pages, chars)
    except PdfRefused as e:
        result = {"refused": str(e)}
    except MemoryError:
        result = {"refused": "needs more memory to read than is allowed (a damaged or hostile PDF?)"}
    sys.stdout.write(json.dumps(result, ensure_ascii=False))
    return 0


# ------------------------------------------------------------------ the parent: the importer's side


def _pdf_date(value: str) -> str | None:
    """PDF's "D:20220314093000+01'00'" -> "2022-03-14"."""
    m = re.match(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?", value.strip())
    if not m or not (1900 < int(m.group(1)) < 2200):
        return None
    if m.group(2) and m.group(3) and 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31:
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    return None


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    env.pop("PYTHONSTARTUP", None)
    return env


def run_child(data: bytes, name: str) -> dict:
    """Runs ``analyse`` in a child process with this module's limits (read when called, so they can
    be changed); its dict, or ReadError with a one-line reason."""
    from viewer.core.errors import ReadError

    budget = TIME_BUDGET_S
    try:
        limits = [MEMORY_LIMIT, int(budget) + 2, MAX_PAGES, MAX_CHARS]
        done = subprocess.run(
            [sys.executable, "-m", "viewer.core.pdf_reader", *map(str, limits)],
            input=data,
            capture_output=True,
            timeout=budget,
            env=_child_env(),
        )
    except subprocess.TimeoutExpired as e:
        raise ReadError(
            f"{name}: took too long to read (over {budget:.0f} s; a damaged or hostile PDF?)", repr(e)
        ) from e
    except OSError as e:
        raise ReadError(f"{name}: could not be read (the PDF reader did not start: {e.strerror or e})", repr(e)) from e
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace")[-2000:]
        if done.returncode < 0 or "MemoryError" in detail:
            raise ReadError(
                f"{name}: could not be read: the PDF reader stopped (a damaged PDF, or one that needs "
                "more memory than allowed)",
                detail,
            )
        raise ReadError(f"{name}: could not be read (the PDF reader failed)", detail)
    try:
        result = json.loads(done.stdout.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise ReadError(f"{name}: could not be read (the PDF reader gave no answer)", repr(e)) from e
    if "refused" in result:
        raise ReadError(f"{name}: {result['refused']}")
    return result


def read_pdf(data: bytes, path: Path):
    """A PDF -> ``SourceText`` whose ``blocks`` carry each block's pages; ReadError says why not."""
    from viewer.core.errors import ReadError
    from viewer.core.source_text import PagedBlock, SourceText, normalise

    name = path.name
    if len(data) > MAX_PDF_BYTES:
        raise ReadError(
            f"{name}: is too large to import ({len(data) / 1048576:.1f} MB; the limit is {MAX_PDF_BYTES // 1048576} MB)"
        )
    result = run_child(data, name)
    blocks = [
        PagedBlock(normalise(text).strip(), kind, int(page), int(page_end))
        for text, kind, page, page_end in result["blocks"]
    ]
    blocks = [b for b in blocks if b.text]
    if not blocks:
        raise ReadError(f"{name}: {NO_TEXT}")
    parts = []
    for b in blocks:
        parts.append(f"# {b.text}" if b.kind == "heading" else f"- {b.text}" if b.kind == "list_item" else b.text)
    src = SourceText(path, normalise("\n\n".join(parts)), "pdf")
    src.blocks = blocks
    src.page_count = int(result["pages"])
    src.title_hint = result.get("title") or None
    src.published_hint = _pdf_date(result.get("created") or "")
    src.author_hint = result.get("author") or None
    missing = result.get("without_text") or []
    if missing:
        shown = ", ".join(str(n) for n in missing[:10]) + (" …" if len(missing) > 10 else "")
        src.notes.append(
            f"page{'s' if len(missing) > 1 else ''} {shown} of {src.page_count} "
            f"{'have' if len(missing) > 1 else 'has'} no text layer (scanned?); "
            f"{'their' if len(missing) > 1 else 'its'} words are not imported"
        )
    return src


if __name__ == "__main__":
    sys.exit(main())
