"""Bytes -> text, the encoding decided deliberately, never guessed silently: UTF-8 (with or without BOM),
UTF-16/32 by BOM (or UTF-16 by its zero bytes), then the Cyrillic 8-bit code pages (cp1251, koi8-r, cp866) and
cp1252, scored by how much the decoded text looks like words; a file that mixes UTF-8 lines with lines in one of
those is decoded line by line. Binary data is refused with a one-line reason (``ReadError``)."""

from __future__ import annotations

import codecs
import re

from viewer.core.errors import ReadError

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
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
        out.append(line[pos : m.start()].decode(enc))
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
