"""Markdown -> block text (``viewer.core.readers`` decides a file is Markdown and decodes it)."""

from __future__ import annotations

import re
from pathlib import Path

from viewer.core.dates import find_dates
from viewer.core.source_text import SourceText, normalise

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
        text = text[m.end() :]
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
        if (
            _SETEXT.match(line)
            and out
            and out[-1].strip()
            and not out[-1].lstrip().startswith("#")
            and not _HR.match(out[-1])
        ):
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
