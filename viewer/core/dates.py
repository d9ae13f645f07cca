"""Dates as the texts write them, to ISO 8601 (day, month or year precision) and back."""

from __future__ import annotations

import functools
import re

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan", "января", "январь", "қаңтар"),
            ("february", "feb", "февраля", "февраль", "ақпан"),
            ("march", "mar", "марта", "март", "наурыз"),
            ("april", "apr", "апреля", "апрель", "сәуір"),
            ("may", "мая", "май", "мамыр"),
            ("june", "jun", "июня", "июнь", "маусым"),
            ("july", "jul", "июля", "июль", "шілде"),
            ("august", "aug", "августа", "август", "тамыз"),
            ("september", "sep", "sept", "сентября", "сентябрь", "қыркүйек"),
            ("october", "oct", "октября", "октябрь", "қазан"),
            ("november", "nov", "ноября", "ноябрь", "қараша"),
            ("december", "dec", "декабря", "декабрь", "желтоқсан"),
        ],
        start=1,
    )
    for name in names
}
MONTH_NAMES = [
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_DASH = r"\s*(?:[–—-]|to|until|till|до|по)\s*"

# 25 March 2021 | March 25, 2021 | 2021-03-25 | 25.03.2021 | March 2021 | 2021
DAY_MONTH_YEAR = rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_MONTH_ALT})\.?,?\s+(?P<y>\d{{4}})"
MONTH_DAY_YEAR = rf"(?P<m2>{_MONTH_ALT})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})"
ISO = r"(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})"
DOTTED = r"(?P<dd>\d{1,2})\.(?P<dm>\d{1,2})\.(?P<dy>\d{4})"
MONTH_YEAR = rf"(?P<mm>{_MONTH_ALT})\.?\s+(?P<my>\d{{4}})"

_DATE = rf"(?<![\w-])(?:{DAY_MONTH_YEAR}|{MONTH_DAY_YEAR}|{ISO}|{DOTTED}|{MONTH_YEAR})(?![\w-])"


@functools.cache
def _date_re() -> re.Pattern:
    """The pattern of a written date, compiled when first used (~1.5 ms: a search that only shows dates does not
    pay it)."""
    return re.compile(_DATE, re.IGNORECASE)


def __getattr__(name: str):
    if name == "DATE_RE":  # the compiled pattern, as ``from viewer.core.dates import DATE_RE``
        return _date_re()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    if not 1000 <= year <= 2999:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    if not 1 <= day <= 31:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _from_match(m: re.Match) -> str | None:
    g = m.groupdict()
    if g["d"]:
        return _iso(int(g["y"]), MONTHS[g["m"].lower()], int(g["d"]))
    if g["d2"]:
        return _iso(int(g["y2"]), MONTHS[g["m2"].lower()], int(g["d2"]))
    if g["iy"]:
        return _iso(int(g["iy"]), int(g["im"]), int(g["id"]))
    if g["dd"]:
        return _iso(int(g["dy"]), int(g["dm"]), int(g["dd"]))
    if g["mm"]:
        return _iso(int(g["my"]), MONTHS[g["mm"].lower()])
    return None


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """Every date written in ``text``: (start, end, iso)."""
    out = []
    for m in _date_re().finditer(text):
        iso = _from_match(m)
        if iso:
            out.append((m.start(), m.end(), iso))
    return out


def parse_date(text: str) -> str | None:
    """The ISO form of a text that is one date ("25 March 2021" -> "2021-03-25")."""
    m = _date_re().fullmatch(text.strip())
    return _from_match(m) if m else None


def parse_range(text: str) -> tuple[str, str | None] | None:
    """A date or a range: "December 2020 – January 2021" -> ("2020-12", "2021-01");
    "2–4 May 2019" -> ("2019-05-02", "2019-05-04"); one date -> (iso, None)."""
    text = text.strip()
    single = parse_date(text)
    if single:
        return single, None
    m = re.fullmatch(rf"(\d{{1,2}}){_DASH}(\d{{1,2}})\s+({_MONTH_ALT})\.?,?\s+(\d{{4}})", text, re.I)
    if m:
        month, year = MONTHS[m.group(3).lower()], int(m.group(4))
        a, b = _iso(year, month, int(m.group(1))), _iso(year, month, int(m.group(2)))
        return (a, b) if a and b else None
    parts = re.split(_DASH, text, maxsplit=1)
    if len(parts) == 2:
        a, b = parse_date(parts[0]), parse_date(parts[1])
        if a and b and a <= b:
            return a, b
    return None


def format_date(iso: str | None, short: bool = False) -> str:
    """ "2021-03-25" -> "25 March 2021" (``short``: "25 Mar 2021"); "2020-12" -> "December 2020";
    "2021" -> "2021"."""
    if not iso:
        return ""
    parts = iso.split("-")
    try:
        month = MONTH_NAMES[int(parts[1])] if len(parts) >= 2 else ""
        if short:
            month = month[:3]
        if len(parts) == 3:
            return f"{int(parts[2])} {month} {parts[0]}"
        if len(parts) == 2:
            return f"{month} {parts[0]}"
    except (ValueError, IndexError):
        return iso
    return iso


def format_range(start: str | None, end: str | None) -> str:
    if not start:
        return ""
    if not end or end == start:
        return format_date(start)
    return f"{format_date(start)} – {format_date(end)}"
