"""Word documents (DOCX) -> block text, their XML read as a stream within the import limits."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path

from viewer.core import limits
from viewer.core.errors import ReadError
from viewer.core.source_text import SourceText, checked, normalise

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

    parser = dict(
        events=events,
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )
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
        tag = el.tag[len(_W) :]
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
    style_id = (
        props.find(f"{_W}pStyle").get(f"{_W}val", "")
        if props is not None and props.find(f"{_W}pStyle") is not None
        else ""
    )
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
    return checked(src)
