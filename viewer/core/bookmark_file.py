"""A bookmarks export read back (``archive-viewer bookmark import``, the panel's Import…), checked against its
schema before the store is touched.

The file is what ``viewer.core.export.json_chunks`` writes: ``{"format": "archive-viewer-bookmarks",
"version": 1, "exported": ..., "count": ..., "bookmarks": [BOOKMARK, ...]}`` (a bare list of bookmarks is
read too). Each BOOKMARK is an object of the fields of ``Bookmark.to_dict()``; ``SCHEMA`` says the type,
the range or length of each, and which must be there. Fields it does not know are left out; ids in the
file are never kept (the store gives new ones). The file may hold at most ``MAX_BOOKMARKS`` bookmarks, a
bookmark at most ``MAX_ITEM_CHARS`` characters of JSON, and nothing nested deeper than the format nests.

``ExportFile(path).check()`` reads the whole file once and raises ``ImportFailed`` with the first problem
and where it is (``$.bookmarks[12].paragraph: 99999999999999999999 is not a whole number from 0 to
2,147,483,647``); ``ExportFile(path)`` iterated gives the bookmarks, read again one at a time. Memory
stays flat however big the file is.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from viewer.core.bookmarks import (
    COLOURS, EXPORT_FORMAT, KINDS, STORE_VERSION, Bookmark, ImportFailed, clean_note, normalise_tags, text_hash,
)

MAX_INTEGER = 2**31 - 1
MAX_BOOKMARKS = 2_000_000
MAX_ITEM_CHARS = 8_000_000
CHUNK = 1 << 20

# field: (kind, required, the most: characters for text, items for a list); ints are 0..MAX_INTEGER, ids 1..
SCHEMA: dict[str, tuple[str, bool, int]] = {
    "kind": ("kind", True, 0),
    "text": ("text", True, 2_000_000),
    "document_slug": ("text", True, 1000),
    "document_title": ("text", True, 10_000),
    "paragraph": ("int", True, 0),
    "start": ("int", True, 0),
    "end": ("int", True, 0),
    "id": ("file-id", False, 0),  # never kept: any id SQLite could hold, or null
    "passage_id": ("id", False, 0),
    "quote_id": ("id", False, 0),
    "uid": ("uid", False, 64),
    "text_hash": ("text", False, 100),
    "document_date": ("date", False, 100),
    "document_date_end": ("date", False, 100),
    "publisher": ("text", False, 10_000),
    "speaker": ("text", False, 10_000),
    "relayer": ("text", False, 10_000),
    "attribution": ("text", False, 10_000),
    "affiliation": ("text", False, 10_000),
    "role": ("text", False, 10_000),
    "organisation": ("text", False, 10_000),
    "page": ("id", False, 0),
    "page_end": ("id", False, 0),
    "url": ("text", False, 10_000),
    "words": ("text", False, 100),  # quote, paraphrase or narration (older files: worked out on reading)
    "note": ("text", False, 1_000_000),
    "tags": ("tags", False, 1000),
    "colour": ("colour", False, 0),
    "created": ("time", False, 100),
    "updated": ("time", False, 100),
}
_UID = re.compile(r"[0-9A-Za-z_-]{1,64}")


def _describe(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, (dict, list)) else type(value).__name__
    return text if len(text) <= 40 else text[:39] + "…"


def _field(name: str, value: object, where: str) -> object:
    """``value`` as the bookmark keeps it; ImportFailed says what is wrong (``where`` is its JSON path)."""
    kind, _required, most = SCHEMA[name]
    what = _describe(value)

    def fail(problem: str) -> ImportFailed:
        return ImportFailed(f"{where}: {problem}")

    if kind in ("int", "id", "file-id"):
        low = 1 if kind != "int" else 0
        high = 2**63 - 1 if kind == "file-id" else MAX_INTEGER
        if kind != "int" and value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise fail(f"{what} is not a whole number from {low} to {high:,}" + (" (or null)" if kind != "int" else ""))
        return value
    if kind == "tags":
        if not isinstance(value, list) or len(value) > most:
            raise fail(f"{what} is not a list of at most {most:,} tags")
        for i, tag in enumerate(value):
            if not isinstance(tag, str) or len(tag) > 1000:
                raise ImportFailed(f"{where}[{i}]: {_describe(tag)} is not a tag (text of at most 1,000 characters)")
        return value
    if kind == "date" and value is None:
        return None
    if kind in ("text", "uid", "date", "time") and value is None and not SCHEMA[name][1]:
        return None
    if not isinstance(value, str):
        raise fail(f"{what} is not text")
    if kind == "kind" and value not in KINDS:
        raise fail(f"{what} is not one of {', '.join(KINDS)}")
    if kind == "colour" and value.strip().lower() not in COLOURS:
        raise fail(f"{what} is not one of the colours {', '.join(COLOURS)}")
    if kind == "uid" and value and not _UID.fullmatch(value):
        raise fail(f"{what} is not a uid (1 to 64 letters, digits, - or _)")
    if kind == "time":
        try:
            datetime.fromisoformat(value)
        except ValueError:
            raise fail(f"{what} is not an ISO date and time") from None
    if most and len(value) > most:
        raise fail(f"text of {len(value):,} characters, more than the {most:,} allowed")
    return value


def bookmark_from_dict(d: object, where: str = "$") -> Bookmark:
    """A bookmark from its ``to_dict()`` form, checked against ``SCHEMA`` (``where``: its JSON path, for
    the message of the ImportFailed that says what is wrong). The id is left out: the store gives one."""
    if not isinstance(d, dict):
        raise ImportFailed(f"{where}: {_describe(d)} is not a bookmark (an object)")
    values: dict[str, object] = {}
    for name, (_kind, required, _most) in SCHEMA.items():
        if name not in d:
            if required:
                raise ImportFailed(f"{where}: the bookmark has no {name}")
            continue
        value = _field(name, d[name], f"{where}.{name}")
        if value is not None:
            values[name] = value
    if not values["text"] or not values["document_slug"] or not values["document_title"]:
        empty = next(n for n in ("text", "document_slug", "document_title") if not values[n])
        raise ImportFailed(f"{where}.{empty}: must not be empty")
    if values["end"] - values["start"] != len(values["text"]):
        raise ImportFailed(f"{where}.end: start and end do not match the length of the text")
    values.pop("id", None)
    values["tags"] = normalise_tags(values.get("tags", ()))
    values["colour"] = str(values.get("colour", "yellow")).strip().lower()
    values["note"] = clean_note(str(values.get("note", "")))
    values["text_hash"] = text_hash(str(values["text"]))
    return Bookmark(**values)


# ---------------------------------------------------------------------------------------- the file


class _Reader:
    """JSON values from a UTF-8 file, one at a time: the text is read in chunks and a value is decoded once
    all of it is in (never more than ``MAX_ITEM_CHARS`` held)."""

    def __init__(self, stream: BinaryIO):
        self.file = stream
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.json = json.JSONDecoder()

    def _more(self) -> bool:
        if self.eof:
            return False
        data = self.file.read(CHUNK)
        try:
            text = self.decoder.decode(data, final=not data)
        except UnicodeDecodeError as e:
            raise ImportFailed(f"this is not a bookmarks export (not UTF-8 text: {e.reason})") from None
        if not data:
            self.eof = True
        self.buf = self.buf[self.pos:] + text
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next character that is not a blank ("" at the end)."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.buf) or not self._more():
                return self.buf[self.pos:self.pos + 1]

    def expect(self, char: str, where: str) -> None:
        found = self.peek()
        if found != char:
            raise ImportFailed(f"{where}: this is not a bookmarks export (not JSON: {char!r} expected, "
                               f"{found or 'the end'!r} found)")
        self.pos += 1

    def value(self, where: str) -> object:
        self.peek()
        while True:
            try:
                value, end = self.json.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as e:
                if self._room() and self._more():
                    continue
                raise ImportFailed(f"{where}: this is not a bookmarks export (not JSON: {e.msg})") from None
            except RecursionError:
                raise ImportFailed(f"{where}: nested too deeply for a bookmarks export") from None
            if end == len(self.buf) and not self.eof and self._room() and self._more():
                continue  # a number or word may go on in the next chunk
            self.pos = end
            return value

    def _room(self) -> bool:
        return len(self.buf) - self.pos <= MAX_ITEM_CHARS


_HEAD = {"format", "version", "exported", "count"}


class ExportFile:
    """One bookmarks export file (see the module docstring)."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    def check(self) -> int:
        """Read the whole file; the number of bookmarks, or ImportFailed with the first problem."""
        return sum(1 for _b in self)

    def __iter__(self) -> Iterator[Bookmark]:
        try:
            stream = self.path.open("rb")
        except OSError as e:
            raise ImportFailed(f"import failed: cannot read {self.path.name}: {e.strerror or e}", repr(e)) from e
        try:
            yield from bookmarks_in(stream)
        except OSError as e:
            raise ImportFailed(f"import failed: cannot read {self.path.name}: {e.strerror or e}", repr(e)) from e
        finally:
            stream.close()


def bookmarks_in(stream: BinaryIO) -> Iterator[Bookmark]:
    """The bookmarks of an export read from ``stream``, checked one at a time (see the module docstring)."""
    return _Parse()._bookmarks(_Reader(stream))


class _Parse:
    """The export's structure around its bookmarks."""

    def _bookmarks(self, reader: _Reader) -> Iterator[Bookmark]:
        first = reader.peek()
        if first == "[":
            yield from self._items(reader, "$")
        elif first == "{":
            yield from self._object(reader)
        else:
            raise ImportFailed("this is not a bookmarks export (not JSON: a list or an object expected)")
        if reader.peek():
            raise ImportFailed("this is not a bookmarks export (not JSON: more after its end)")

    def _object(self, reader: _Reader) -> Iterator[Bookmark]:
        reader.expect("{", "$")
        head: dict[str, object] = {}
        seen_list = False
        while reader.peek() != "}":
            if head or seen_list:
                reader.expect(",", "$")
            key = reader.value("$")
            if not isinstance(key, str):
                raise ImportFailed("$: this is not a bookmarks export (not JSON: a key expected)")
            reader.expect(":", f"$.{key}")
            if key == "bookmarks":
                self._check_head(head)  # format and version come first in every file we write
                if reader.peek() != "[":
                    raise ImportFailed("this is not an Archive Viewer bookmarks export (no list of bookmarks)")
                yield from self._items(reader, "$.bookmarks")
                seen_list = True
            else:
                value = reader.value(f"$.{key}")
                if key in _HEAD:
                    head[key] = value
                if isinstance(value, (dict, list)) and key in _HEAD:
                    raise ImportFailed(f"$.{key}: {type(value).__name__} where the export has a value")
        reader.expect("}", "$")
        self._check_head(head)
        if not seen_list:
            raise ImportFailed("this is not an Archive Viewer bookmarks export (no list of bookmarks)")

    @staticmethod
    def _check_head(head: dict[str, object]) -> None:
        if head.get("format") != EXPORT_FORMAT:
            raise ImportFailed("this is not an Archive Viewer bookmarks export")
        version = head.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise ImportFailed("$.version: this is not an Archive Viewer bookmarks export (no version)")
        if version > STORE_VERSION:
            raise ImportFailed("this export was made by a newer version of Archive Viewer; please update")

    def _items(self, reader: _Reader, where: str) -> Iterator[Bookmark]:
        reader.expect("[", where)
        n = 0
        while reader.peek() != "]":
            if n:
                reader.expect(",", f"{where}[{n}]")
            if n >= MAX_BOOKMARKS:
                raise ImportFailed(f"{where}: more than {MAX_BOOKMARKS:,} bookmarks, the most one file may hold")
            if reader.peek() != "{":
                raise ImportFailed(f"{where}[{n}]: {reader.peek() or 'the end'!r} where a bookmark (an object) "
                                   "belongs")
            yield bookmark_from_dict(reader.value(f"{where}[{n}]"), f"{where}[{n}]")
            n += 1
        reader.expect("]", where)


def load_export(text: str) -> list[Bookmark]:
    """The bookmarks of an export held in memory; see ``ExportFile``."""
    return list(bookmarks_in(io.BytesIO(text.encode("utf-8", "surrogatepass"))))
