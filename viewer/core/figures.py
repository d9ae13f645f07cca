"""Key figures: the numbers a text states about something, with what they count.

``find_figures(text)`` returns every figure of one passage, with exact offsets into it. A figure is
a number that quantifies something the text names:

* digits ("105 politically motivated criminal cases", "3-6 years", "20 dollars a month", "40%",
  "$5 million"), written numbers ("six brave women", "a million people", "two of the detainees"),
  fractions ("half of the population") and amounts of a scale ("millions", "thousands of people");
* with the words that make it approximate ("around 75", "about 20", "barely half") in its value.

Not figures: dates ("25 March 2021", "7 December", "Autumn 2020", "2011", "2020-2021", "the
1990s"), times, list and reference numbering ("#1", "No. 5", "¶ 12", "Article 19", "1." opening
a list item, "(3)"), numbers inside names and codes ("COVID-19", "G7", "2021/2513", a number in
quotation marks such as the movement “405”, or inside a span the caller masks: names, titles),
ordinals ("second"), and numbers that count nothing the text names (a bare "105", "one of the
authors", "a two folded trend", "once per year").

The rules are in this order: a candidate number is found, the spans that are not figures are
ruled out, the value is widened (approximators, currency, scale, per cent), then the counted noun
phrase is read after it. Without a noun phrase, only per cents, amounts of money and scale words
stay figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from viewer.core.dates import DATE_RE, MONTHS
from viewer.core.lexicon import PREPOSITIONS, _words


@dataclass(frozen=True)
class Figure:
    """One figure in a text. ``text[start:end]`` is the whole figure ("around 75 persons");
    ``value`` is its number as written ("around 75"), starting at ``start``; ``noun`` the counted
    noun phrase ("persons", "" when the text names none); ``number`` the value as a number (the
    lower end of a range, whose upper end is ``number_max``; None for a magnitude such as "millions");
    ``approx`` when the text says the number is approximate; ``context_start``/``context_end`` the sentence
    around it."""

    start: int
    end: int
    value: str
    number: float | None
    number_max: float | None
    noun: str
    approx: bool
    text: str
    context_start: int
    context_end: int


_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_FRACTIONS = {"half": 0.5, "third": 1 / 3, "thirds": 1 / 3, "quarter": 0.25, "quarters": 0.25}
_SCALE_ABBR = {"bn": 10**9, "mln": 10**6, "m": 10**6, "k": 1000}

_NUMBER_WORDS = frozenset(
    [
        *_UNITS,
        *_TENS,
        *_SCALES,
        "dozen",
        "dozens",
        "hundreds",
        "thousands",
        "millions",
        "billions",
        "tens",
        "half",
        "third",
        "thirds",
        "quarter",
        "quarters",
    ]
)
_DIGITS_RE = re.compile(r"\d+")
_WORDNUM = "|".join(sorted([*_UNITS, *_TENS, *_SCALES, "dozen"], key=len, reverse=True))
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"

# A number as digits (a range too: "3-6", "10 to 12"), or written words ("twenty-one", "a million",
# "two and a half million"), or a scale in the plural ("thousands"), or a fraction ("half").
_NUMBER_RE = re.compile(
    rf"""
    (?P<digits>(?<![\w.,/:#№§¶\-])(?:{_DIGITS})(?:\s*(?:-|–|—|to)\s*(?:{_DIGITS}))?(?![\w/]|[.,]\d|:\d|-\w))
    | (?P<words>\b(?:(?:a|an)\s+(?=(?:hundred|thousand|million|billion|dozen)\b))?
        (?:{_WORDNUM})(?:(?:[\s\-]+|\s+and\s+(?:a\s+)?)(?:{_WORDNUM}|half))*\b)
    | (?P<vague>\b(?:tens|dozens|hundreds|thousands|millions|billions)(?:\s+of\s+(?:thousands|millions|billions))?\b)
    | (?P<fraction>\b(?:(?:a|one|two|three)[\s\-]+)?(?:half|third|thirds|quarter|quarters)\b)
    """,
    re.IGNORECASE | re.VERBOSE,
)

_APPROX = [
    "just over",
    "just under",
    "well over",
    "more than",
    "less than",
    "fewer than",
    "up to",
    "at least",
    "at most",
    "as many as",
    "as much as",
    "as few as",
    "no fewer than",
    "no less than",
    "no more than",
    "close to",
    "upwards of",
    "in excess of",
    "an estimated",
    "around",
    "about",
    "approximately",
    "roughly",
    "nearly",
    "almost",
    "some",
    "over",
    "barely",
    "only",
    "just",
    "under",
    "exactly",
    "estimated",
    "approx.",
    "circa",
    "c.",
    "почти",
    "около",
    "более",
    "менее",
    "свыше",
    "примерно",
    "порядка",
]
_APPROX_RE = re.compile(
    r"(?:(?<=\s)|(?<=^)|(?<=[(“\"«]))(?:"
    + "|".join(re.escape(a) for a in sorted(_APPROX, key=len, reverse=True))
    + r")\s+$",
    re.IGNORECASE,
)
_EXACT_WORDS = {"exactly", "only", "just"}

_CURRENCY_BEFORE = re.compile(r"(?:US\$|[$€£¥₸₽]|(?:USD|EUR|GBP|KZT|RUB)\s?)$")
_PERCENT_AFTER = re.compile(r"^(?:\s?%|\s+per\s?cent\b|\s+percent\b|\s+процент\w*)", re.IGNORECASE)
_SCALE_AFTER = re.compile(r"^\s*(?:hundred|thousand|million|billion|trillion|bn|mln|m|k)\b", re.IGNORECASE)

# Words before a number that make it a reference or list number, not a quantity.
_REFERENCE_WORDS = _words(
    """
    no no. nos nr number issue issues article articles paragraph paragraphs para point points section
    sections chapter chapters page pages p. pp. item items part parts clause clauses annex protocol
    resolution decree law code case vol volume version v stage phase level room flight route line
    platform table figure fig appendix question questions step steps round rounds episode season
    №
    """
)
_REFERENCE_MARKS = "#№§¶"

_MONTH_NAMES_EN = (
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
).split()
_CYR_MONTHS = [m for m in MONTHS if not m.isascii()]
_MONTHS_ALT = "|".join(sorted(_MONTH_NAMES_EN, key=len, reverse=True))
_CYR_MONTHS_ALT = "|".join(sorted(_CYR_MONTHS, key=len, reverse=True))
_NOT_DATES_RE = re.compile(
    rf"""
    \b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS_ALT})\b\.?
    | \b(?:{_MONTHS_ALT})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?!\s*[%\d])
    | (?i:\b\d{{1,2}}\s+(?:{_CYR_MONTHS_ALT})(?!\w))
    | (?i:\b(?:spring|summer|autumn|fall|winter)(?:\s+of)?\s+\d{{4}}\b)
    | (?i:\b(?:the\s+)?(?:\d{{2}}|\d{{4}})['’]?s\b)
    | \b\d{{1,2}}[:.]\d{{2}}(?:\s*(?:am|pm|a\.m\.|p\.m\.|h))?
    | (?i:\b\d{{1,2}}\s*(?:am|pm|a\.m\.|p\.m\.|o'clock|o’clock))
    """,
    re.VERBOSE,
)

# Words that end a noun phrase (function words and verbs that follow a counted subject).
_NP_STOP = PREPOSITIONS | _words(
    """
    the a an this that these those and or but nor yet so as than then who whom whose which what where when
    why how is are was were be been being am have has had do does did will would can could should shall
    may might must not also each every all both some any no its it they them their he she his her we our
    you your i me my us if because while whereas although though since unless until per respectively
    including included include includes
    и в во на с со к по из за от до о об у для при под над перед через без между среди что как или но а
    который которые которых были было был была будет это эти этот из-за
    """
)
_RATE_UNITS = _words(
    "second seconds minute minutes hour hours day days week weeks month months year years annum capita person head"
)
_RATE_RE = re.compile(
    r"^\s+(?:a|an|per|each|every)\s+(?:" + "|".join(sorted(_RATE_UNITS, key=len, reverse=True)) + r")\b", re.IGNORECASE
)
_IRREGULAR_PLURALS = _words(
    "people persons men women children police staff personnel cattle feet teeth mice geese media data "
    "criteria phenomena tenge yen yuan rubles roubles hryvnia euro police clergy"
)
_UNIT_ABBREVIATIONS = _words("km kg m cm mm ha t mb gb tb h min sec mph kph usd eur gbp kzt rub")
_PP_PREPOSITIONS = _words("under in behind awaiting without")
_SHORT_PARTITIVE = _words("them us you those these")
_DETERMINERS = _words("the these those its their his her our my your this that")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_ABBREVIATIONS = _words("dr mr mrs ms st no nos vs prof gen col capt sen rep gov jr sr etc e.g i.e u.s u.k approx")

_MAX_CONTEXT = 320


def _looks_plural(word: str) -> bool:
    w = word.lower().replace("’", "'")
    if w in _IRREGULAR_PLURALS or w in _UNIT_ABBREVIATIONS:
        return True
    if w.endswith("'s") or len(w) < 3:
        return False
    return w.endswith("s") and not w.endswith(("ss", "us", "is"))


def _number_words(words: str) -> float | None:
    """ "twenty-one" -> 21; "a million" -> 1e6; "two and a half million" -> 2.5e6."""
    total, current, half = 0.0, 0.0, False
    for w in re.split(r"[\s\-]+", words.lower()):
        if w in ("and", "a", "an", ""):
            continue
        if w == "half":
            half = True
        elif w in _UNITS:
            current += _UNITS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w == "dozen":
            current = (current or 1) * 12
        elif w in _SCALES:
            scale = _SCALES[w]
            base = (current or 1) + (0.5 if half else 0)
            half = False
            if scale == 100:
                current = base * 100
            else:
                total += base * scale
                current = 0
        else:
            return None
    value = total + current + (0.5 if half else 0)
    return value


def _to_float(digits: str) -> float:
    return float(digits.replace(",", ""))


def _masked(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence of ``text`` around [start, end), at most about 320 characters (cut on words)."""
    a = 0
    for m in re.finditer(r"[.!?…]+[\"”’»)\]]*\s+(?=[\"“‘«(\[]?[A-ZА-ЯЁ0-9])", text[:start]):
        before = re.search(r"(\S+)$", text[: m.start() + 1])
        word = before.group(1).lower().rstrip(".") if before else ""
        if word.split(".")[-1] in _ABBREVIATIONS or word in _ABBREVIATIONS or len(word) == 1:
            continue
        a = m.end()
    b = len(text)
    for m in re.finditer(r"[.!?…]+[\"”’»)\]]*(?=\s+[\"“‘«(\[]?[A-ZА-ЯЁ0-9]|\s*$)", text[end:]):
        before = re.search(r"(\S+)$", text[: end + m.start() + 1])
        word = before.group(1).lower().rstrip(".") if before else ""
        if word.split(".")[-1] in _ABBREVIATIONS or len(word) == 1:
            continue
        b = end + m.end()
        break
    if b - a > _MAX_CONTEXT:
        room = max(0, _MAX_CONTEXT - (end - start)) // 2
        if start - a > room:
            cut = text.rfind(" ", a, start - room)
            a = cut + 1 if cut >= a else start - room
        if b - end > room:
            cut = text.find(" ", end + room, b)
            b = cut if cut != -1 else b
    return a, b


def _digit_windows(text: str) -> list[tuple[int, int]]:
    """Stretches of text around digits, wide enough for any date written around them."""
    out: list[tuple[int, int]] = []
    for m in _DIGITS_RE.finditer(text):
        a, b = max(0, m.start() - 30), min(len(text), m.end() + 30)
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _not_figures(text: str, masks: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    spans = list(masks)
    for a, b in _digit_windows(text):  # dates and times always have digits
        spans += [m.span() for m in DATE_RE.finditer(text, a, b)]
        spans += [m.span() for m in _NOT_DATES_RE.finditer(text, a, b)]
    return spans


_SCALE_WORDS = ("hundred", "thousand", "million", "billion", "dozen")
_ARTICLE_RE = re.compile(r"\b(?:a|an)\s+(?=(?:hundred|thousand|million|billion|dozen)\b)", re.IGNORECASE)
_ASCII_DIGITS = [bytes([d]) for d in b"0123456789"]
_LATIN_RUNS = bytes(b if 97 <= b <= 122 else 32 for b in range(256))
_NUMBER_WORDS_BYTES = frozenset(w.encode("ascii") for w in _NUMBER_WORDS)


@lru_cache(maxsize=1024)
def _words_re(words: frozenset[str]) -> re.Pattern:
    """Where these number words stand alone between Latin letters ("twenty-one" is two of them)."""
    return re.compile(r"(?<![a-z])(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")(?![a-z])")


def may_start_a_number(word: str) -> bool:
    """Whether ``_numbers`` could find a number starting in this word (a text split on white
    space): it holds a digit, or a number word between Latin letters. A text none of whose words
    may start a number has no figures; ``find_figures`` need not be called on it."""
    if _DIGITS_RE.search(word):
        return True
    return not _NUMBER_WORDS_BYTES.isdisjoint(word.lower().encode("utf-8").translate(_LATIN_RUNS).split())


def _numbers(text: str) -> list[re.Match]:
    """The candidate numbers of ``text``: ``_NUMBER_RE`` tried only where a number can start (a
    digit, a number word, "a" before a scale word), which is much faster than scanning every
    position of every passage."""
    low = text.lower()
    raw = low.encode("utf-8")
    # cheap tests first (most passages state no number): ASCII digits by memchr, then Unicode ones
    if any(d in raw for d in _ASCII_DIGITS) or not text.isascii():
        starts = [m.start() for m in _DIGITS_RE.finditer(text)]
    else:
        starts = []
    # the runs of Latin letters of the lower-cased text, as bytes: every other byte splits them
    found = _NUMBER_WORDS_BYTES.intersection(raw.translate(_LATIN_RUNS).split())
    if found:
        present = frozenset(w.decode("ascii") for w in found)
        starts += [m.start() for m in _words_re(present).finditer(low)]
        if not present.isdisjoint(_SCALE_WORDS):
            starts += [m.start() for m in _ARTICLE_RE.finditer(text)]
    out: list[re.Match] = []
    end = -1
    for pos in sorted(set(starts)):
        if pos < end:
            continue
        m = _NUMBER_RE.match(text, pos)
        if m and m.end() > m.start():
            out.append(m)
            end = m.end()
    return out


def _word_before(text: str, pos: int) -> str:
    m = re.search(r"(\S+)\s*$", text[max(0, pos - 40) : pos])
    return m.group(1).lower() if m else ""


def _is_reference(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    if before and before[-1] in _REFERENCE_MARKS:
        return True
    word = _word_before(text, start)
    return word.rstrip(".:") in _REFERENCE_WORDS or word in _REFERENCE_WORDS


def _is_list_number(text: str, start: int, end: int) -> bool:
    after = text[end : end + 2]
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start:start].strip() and re.match(r"[.)]\s|[.)]$", after):
        return True
    return text[start - 1 : start] == "(" and text[end : end + 1] == ")"


def _in_quotes(text: str, start: int, end: int) -> bool:
    return text[start - 1 : start] in "“\"«‘'" and text[end : end + 1] in "”\"»’'" and start > 0


def _is_year(value: float, digits: str) -> bool:
    return re.fullmatch(r"\d{4}", digits) is not None and 1000 <= value <= 2100


_ADJECTIVE_RE = re.compile(r"(?:al|ic|ive|ous|ful|less|able|ible|ed|ing|an|ese|ish|ary|ent|ant|ern|ist|ly)$")


def _adjective_like(word: str) -> bool:
    return _ADJECTIVE_RE.search(word.lower()) is not None or word.lower() in ("new", "old", "young", "other")


def _noun_phrase(
    text: str,
    pos: int,
    partitive_ok: bool,
    cyrillic: bool,
    fraction: bool = False,
) -> tuple[int, int, bool]:
    """The counted noun phrase starting after ``pos``: (start, end, has_plural). A partitive
    ("half of the population") starts at its determiner."""
    words: list[tuple[int, int]] = []
    i = pos
    partitive = False
    m = re.match(r"\s+of\s+", text[i:], re.IGNORECASE)
    if m is None and fraction:
        m = re.match(r"\s+(?=(?:the|its|their|his|her|our|these|those)\b)", text[i:], re.IGNORECASE)
    if m:
        if not partitive_ok:
            return pos, pos, False
        partitive = True
        d = _WORD_RE.match(text, i + m.end())
        if d is None or d.group().lower() in _SHORT_PARTITIVE:
            return pos, pos, False
        if d.group().lower() in _DETERMINERS:
            words.append(d.span())
            i = d.end()
        else:
            i += m.end() - 1  # the loop below expects a space before the first word
    has_plural = False
    content = 0
    for _ in range(6):
        sp = re.match(r"[ \u00a0]+", text[i:])
        if not sp:
            break
        w = _WORD_RE.match(text, i + sp.end())
        if not w:
            break
        word = w.group()
        if word.lower() in _NP_STOP:
            break
        if not cyrillic:
            if has_plural and not _looks_plural(word):
                break
            # "half of the population lives": after a singular noun, a word in -s is its verb
            if partitive and content and not has_plural and word.lower().endswith("s"):
                prev = text[words[-1][0] : words[-1][1]]
                if not _adjective_like(prev):
                    break
        words.append(w.span())
        content += 1
        i = w.end()
        if not cyrillic and _looks_plural(word):
            has_plural = True
        if cyrillic and content >= 3:
            break
    if not content:
        return pos, pos, False
    return words[0][0], words[-1][1], has_plural


def _extend(text: str, end: int) -> int:
    """A rate ("a month") or a short prepositional phrase ("under house arrest") after the noun."""
    m = _RATE_RE.match(text[end:])
    if m:
        return end + m.end()
    m = re.match(r"\s+(\w+)((?:\s+[a-z][\w\-]*){1,3})(?=\s*(?:[,.;:)]|\band\b|\bor\b|$))", text[end:])
    if m and m.group(1) in _PP_PREPOSITIONS:
        inner = m.group(2).split()
        if not any(w.lower() in _NP_STOP - _DETERMINERS for w in inner):
            return end + m.end()
    return end


def find_figures(text: str, masks: Iterable[tuple[int, int]] = ()) -> list[Figure]:
    """Every key figure of ``text`` in order. ``masks`` are spans that hold no figures (names,
    titles); numbers inside them are skipped."""
    candidates = _numbers(text)
    if not candidates:
        return []  # most passages state no number: skip the rules
    ruled_out = _not_figures(text, masks)
    out: list[Figure] = []
    for m in candidates:
        start, end = m.span()
        kind = m.lastgroup
        core = m.group()
        if _masked(ruled_out, start, end):
            continue
        approx = kind in ("vague",)
        number_max = None
        if kind == "digits":
            if _is_reference(text, start) or _is_list_number(text, start, end) or _in_quotes(text, start, end):
                continue
            parts = re.split(r"\s*(?:-|–|—|to)\s*", core)
            number = _to_float(parts[0])
            if len(parts) > 1:
                number_max = _to_float(parts[-1])
                if number_max <= number:
                    continue  # "10-5" is a score or a code, not a range
        elif kind == "words":
            number = _number_words(core)
            if number is None:
                continue
            # "one" alone is too often a pronoun or an article ("one of the authors", "one thing")
            if core.lower() in ("one", "an", "a"):
                continue
        elif kind == "vague":
            number = None  # "millions" says a magnitude, not a number
        else:
            words = re.split(r"[\s\-]+", core.lower())
            n = {"a": 1, "one": 1, "two": 2, "three": 3}.get(words[0], 1) if len(words) > 1 else 1
            number = n * _FRACTIONS[words[-1]]
        # widen the value: currency before, scale and per cent after, approximators before
        value_start, value_end = start, end
        lead = max(0, start - 6)
        currency = _CURRENCY_BEFORE.search(text[lead:start])
        if currency and kind == "digits":
            value_start = lead + currency.start()
        scale = _SCALE_AFTER.match(text[end:]) if kind == "digits" else None
        if scale and (scale.group().strip().lower() not in ("m", "k") or currency):
            factor = _SCALES.get(scale.group().strip().lower()) or _SCALE_ABBR[scale.group().strip().lower()]
            number *= factor
            number_max = number_max * factor if number_max else None
            value_end = end + scale.end()
        percent = _PERCENT_AFTER.match(text[value_end:]) if kind in ("digits", "words") else None
        if percent:
            value_end += percent.end()
        ap = _APPROX_RE.search(text[max(0, value_start - 30) : value_start])
        if ap:
            value_start = value_start - (len(text[max(0, value_start - 30) : value_start]) - ap.start())
            approx = approx or ap.group().split()[0].lower() not in _EXACT_WORDS
        if kind == "digits" and not percent and not currency:
            after = _WORD_RE.match(text, value_end + 1) if text[value_end : value_end + 1] == " " else None
            if _is_year(number, core.split("-")[0].split("–")[0].strip()) and not (
                after and after.group()[0].islower() and _looks_plural(after.group())
            ):
                continue
        cyrillic = bool(re.search("[а-яА-ЯёЁ]", text[value_end : value_end + 40]))
        partitive_ok = kind in ("vague", "fraction") or bool(percent) or kind == "words"
        np_start, np_end, plural = _noun_phrase(text, value_end, partitive_ok, cyrillic, kind == "fraction")
        has_noun = np_end > np_start
        if has_noun:
            np_end = _extend(text, np_end)
        if kind in ("words", "digits") and has_noun and not cyrillic and not percent and not currency:
            # a count above one names a plural ("six brave women"); "405 movement" and
            # "a two folded trend" are names and manners, not counts
            if (number_max or number) > 1 and not plural:
                continue
        if not has_noun and not (percent or currency or kind in ("vague",) or (scale and kind == "digits")):
            continue
        if kind == "fraction" and not (has_noun and text[np_start:np_end].split()[0].lower() in _DETERMINERS):
            continue  # "half of the population", "half the votes"; not "the third point"
        fig_end = np_end if has_noun else value_end
        value = text[value_start:value_end]
        c0, c1 = sentence_bounds(text, value_start, fig_end)
        out.append(
            Figure(
                start=value_start,
                end=fig_end,
                value=value,
                number=number,
                number_max=number_max,
                noun=text[np_start:np_end] if has_noun else "",
                approx=approx,
                text=text[value_start:fig_end],
                context_start=c0,
                context_end=c1,
            )
        )
    return out


def context(text: str, figure: Figure) -> str:
    """The sentence around a figure, with "…" where it was cut."""
    a, b = figure.context_start, figure.context_end
    snippet = text[a:b].strip()
    return (
        ("…" if a > 0 and not re.search(r"[.!?…][\"”’»)\]]*\s*$", text[:a]) else "")
        + snippet
        + ("…" if b < len(text.rstrip()) and not re.search(r"[.!?…][\"”’»)\]]*$", text[:b]) else "")
    )
