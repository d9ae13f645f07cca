"""What a quoted span is: someone's words (a quote) or a quoted name, title or term.

Decided by the cue and the syntax, not by length alone (docs/extraction.md has the rules with examples):

1. A title: the span opens a list item, or follows a noun for a work ("the report “…”", "the song
   “…”", "a book titled “…”").
2. A name: digits ("№ 7"), or capitalised words only ("“Democratic Choice of Kazakhstan”"), unless a
   person's reporting verb governs it as their words ("she called it “Business As Usual”").
3. A term (a scare quote): "so-called", or a naming verb before it ("dubbed", "known as", "a group
   called …"), or a designation by a group or an institution ("the authorities labelled the group
   “extremist”").
4. A quote: a reporting verb whose subject is one person (a name, "he", "she", "I", a description such
   as "the minister") governs the span, however short ("Tapper called the actions “unethical”", "he
   warned that “general measures hurt”"); or the span reads as speech on its own (a sentence with a
   finite verb, three words or more; eight words or more; a quote left open that runs to the
   paragraph's end).
5. Anything else is a term.
"""

from __future__ import annotations

import re

from viewer.core import lexicon as lx
from viewer.core.extract.model import DESC, PRONOUN, Analysis, Cue, XPassage, XQuote
from viewer.core.extract.model import NAME as NAME_CANDIDATE
from viewer.core.extract.segment import PUNCT, QUOTED, WORD, Tok
from viewer.core.extract.subjects import AUX
from viewer.core.extract.verbs import is_speech_verb, russian_lemma_of, speech_lemma
from viewer.core.records import NAME, QUOTE, TERM, TITLE

_PRONOUN_SUBJ = lx._words("i we you he she they it this that everything nothing everyone nobody something")
# Russian nouns for works and bodies whose names follow them in quotation marks ("издания «Степной вестник»").
_RU_TITLE_NOUNS = lx._words(
    "издание газета журнал агентство книга доклад отчёт отчет фильм статья передача программа проект движение "
    "партия организация фонд объединение компания телеканал радио сайт портал резолюция закон кампания акция"
)


def _cyrillic(word: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in word)


_CONNECTORS = frozenset({"of", "for", "and", "on", "the", "in", "&"}) | lx.NAME_PARTICLES
_NAMING = lx._words("called named dubbed labelled labeled termed known branded titled nicknamed")


def has_finite(words: list[str]) -> bool:
    """Does a word list read as a clause: an auxiliary, a subject pronoun before a word, a verb?"""
    low = [w.lower() for w in words]
    if any(w in AUX for w in low):
        return True
    for x, y in zip(low, low[1:]):
        if x in _PRONOUN_SUBJ and y not in ("and", "or", "of", "the", "a"):
            return True
    return any(is_speech_verb(w) or w in lx.IRREGULAR_VERBS for w in low[1:])


_NOT_NOUNS = lx._words(
    "and or but that which who whom whose to than as he she they it we you i so nor yet if in then there here not no"
)
_SMALL_WORDS = lx._words("a an the of and in on at to for is are that with by from as or nor but")


def _title_case(words: list[str]) -> bool:
    """ "All that Glitters is Not Gold": a title, every word capitalised but the small ones."""
    caps = sum(1 for w in words if w[:1].isupper())
    return len(words) >= 3 and caps >= 3 and all(w[:1].isupper() or w.lower() in _SMALL_WORDS for w in words)


def _person_cue(cue: Cue | None) -> bool:
    """A reporting clause whose subject is one person: a name, "he", "she", "I", a description ("the
    minister"); not a group or an institution ("the authorities labelled the group “extremist”")."""
    if cue is None or cue.subject is None:
        return False
    if cue.subject.kind == PRONOUN:
        return cue.subject.value in lx.SUBJECT_PRONOUNS or cue.subject.value == "i"
    return cue.subject.kind in (NAME_CANDIDATE, DESC)


def classify(
    a: Analysis, para: int, view: int | None, toks: list[Tok], k: int, s0: int, cue: Cue | None, list_item: bool
) -> str:
    p = a.paragraphs[para]
    span = p.spans[toks[k].span]
    content = p.text[span.start : span.end]
    words = re.findall(r"[^\W_]+", content)
    if not words:
        return TERM
    prev_words = [t.lower for t in toks[max(s0, k - 3) : k] if t.kind == WORD]
    if list_item and k == 0:
        return TITLE
    p1 = toks[k - 1] if k > s0 else None
    p2 = toks[k - 2] if k - 1 > s0 else None
    if (
        p1 is not None
        and p1.kind == WORD
        and content[:1].isupper()
        and (
            (p1.lower in lx.TITLE_NOUNS and p1.text[:1].islower())
            or (_cyrillic(p1.text) and russian_lemma_of(p1.text) in _RU_TITLE_NOUNS)
            or (p1.lower == "table" and p2 is not None and p2.lower == "round")
            or (
                p1.lower in ("titled", "entitled", "called", "named", "headlined")
                and p2 is not None
                and p2.lower in lx.TITLE_NOUNS
            )
        )
    ):
        return TITLE
    if re.fullmatch(r"[#№]?\d[\w./-]*", content.strip()):
        return NAME
    so_called = (
        content.lower().startswith(("so-called", "so called"))
        or "so-called" in prev_words[-1:]
        or (len(prev_words) >= 2 and prev_words[-2:] == ["so", "called"])
    )
    naming = (
        bool(prev_words) and prev_words[-1] in _NAMING or (len(prev_words) >= 2 and prev_words[-2:] == ["known", "as"])
    )
    speech_naming = (
        naming
        and _person_cue(cue)
        and cue is not None
        and speech_lemma(toks[cue.verb].text) == "call"
        and prev_words[-1] != "so"
    )
    tight = bool(cue and cue.tight)
    colon = k > 0 and toks[k - 1].text == ":"
    if (tight and (colon or len(words) >= 2)) and not so_called and not (naming and not speech_naming):
        return QUOTE
    if tight and cue is not None and cue.position == "after" and _person_cue(cue) and content.rstrip()[-1:] in ",!?":
        return QUOTE  # "“Safety,” said Grimm": one word, but said, with the sentence's comma inside the marks
    namelike = (
        len(words) <= 8
        and words[0][:1].isupper()
        and (all(w[:1].isupper() or w.lower() in _CONNECTORS or w.isdigit() for w in words) or _title_case(words))
        and not re.search(r"[.!?;]\s", content + " ")
    )
    if namelike and not (len(words) == 1 and words[0].lower() in _PRONOUN_SUBJ) and not speech_naming:
        return NAME
    if so_called or (naming and not speech_naming):
        return TERM
    if speech_naming:
        return QUOTE
    finite = has_finite([w.strip(".,;:!?") for w in content.split()])
    if span.open_end and len(words) >= 3:
        return QUOTE
    if _governed(toks, k, cue) and (
        _person_cue(cue)
        or (cue is not None and cue.subject is not None and speech_lemma(toks_verb(a, cue)) not in _NAMING_LEMMAS)
    ):
        return QUOTE  # a person's words, or an institution's in its own statement ("said that … “incited hatred”")
    if (
        _governed(toks, k, cue)
        and cue.position == "before"
        and cue.verb + 1 < k
        and toks[cue.verb + 1].lower == "that"
        and speech_lemma(toks_verb(a, cue)) not in _NAMING_LEMMAS
    ):
        return QUOTE  # "Russia insisted that Pyongyang “stop its dangerous escapades”"
    if len(words) <= 4 and not finite:
        return TERM
    if cue:
        return QUOTE
    if finite and len(words) >= 3:
        return QUOTE
    if len(words) >= 3 and content[:1].isupper() and re.search(r"[.!?…][”’\"']?$", content.strip()):
        return QUOTE  # a whole sentence in quotation marks

    if len(words) >= 8:
        return QUOTE
    return TERM


_NAMING_LEMMAS = lx._words("call label brand dub characterize characterise describe")


def toks_verb(a: Analysis, cue: Cue) -> str:
    para = cue.para if cue.para >= 0 else 0
    return a.paragraphs[para].views[cue.view][cue.verb].text


def _governed(toks: list[Tok], k: int, cue: Cue | None) -> bool:
    """Is the quote inside the reporting verb's own clause: after the verb with no sentence break, or the
    verb right after it?"""
    if cue is None:
        return False
    if cue.position in ("after", "inside", "according", "byline"):
        return True
    if cue.position != "before":
        return False
    between = toks[cue.verb + 1 : k]
    nxt = toks[k + 1] if k + 1 < len(toks) else None
    attributive = (
        nxt is not None
        and nxt.kind == WORD
        and nxt.text[:1].islower()
        and len(between) > 6
        and nxt.lower not in _NOT_NOUNS
        and nxt.lower not in lx.PREPOSITIONS
        and nxt.lower not in lx.DETERMINERS
        and nxt.lower not in AUX
        and nxt.lower not in lx.SUBORDINATORS
        and not lx.is_adverb(nxt.text)
        and not is_speech_verb(nxt.text)
        and not nxt.lower.endswith(("ed", "ing"))
    )
    return (
        not any(t.kind == PUNCT and t.text in ";" for t in between)
        and not any(t.kind == QUOTED and len(t.text.split()) > 4 for t in between)
        and len(between) <= 25
        and not attributive
    )  # "the mayor's “beautification” programme": a word used as a name for a thing


def translation_of(a: Analysis, para: int, toks: list[Tok], k: int, s0: int, passage: XPassage) -> XQuote | None:
    """«...» — "...": the second span is the first in other words (a translation)."""
    x = k - 1
    while x >= s0 and toks[x].kind == PUNCT and toks[x].text in "—–-(:/":
        x -= 1
    if x < s0 or x == k - 1 or toks[x].kind != QUOTED:
        return None
    span = a.paragraphs[para].spans[toks[x].span]
    prev = next((q for q in passage.quotes if q.start == span.start and q.end == span.end), None)
    return prev if prev is not None and prev.kind == QUOTE else None
