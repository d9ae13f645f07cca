"""Cues: the reporting clause that says who spoke a quote, wherever it stands.

* after the quote: "“…,” she said", "“…,” said Chris Low at FTN Financial", "“…,” X, a lawyer, added",
  "“…,” a spokesman for the campaign said", "“…” ― Name" (a byline, as in live blogs);
* before it in the sentence: "X said: “…”", "X told reporters the plan was “a disaster”", "…, saying
  “…”" (the subject of the main clause), "according to X, “…”", "по словам X";
* inside it: "“Belarussians – Ms X said – are no longer safe”";
* a lead-in that ends with a colon, in the sentence or the paragraph before: "X said in a statement:";
* a source: "quoting a letter from prisoners’ families: «…»".
"""

from __future__ import annotations

import re
from dataclasses import replace

from viewer.core import lexicon as lx
from viewer.core.extract.model import (
    DESC,
    NAME,
    ORGANISATION,
    PRONOUN,
    RELATION,
    SOURCE,
    Analysis,
    Candidate,
    Cue,
)
from viewer.core.extract.segment import PUNCT, QUOTED, WORD, Tok
from viewer.core.extract.subjects import AUX, candidates, excluded, possessive, skip_brackets, subject, verb_after
from viewer.core.extract.verbs import is_speech_verb, speech_lemma

DASHES = ("—", "–", "-", "―", "--")
_OBJECT_PRONOUNS = {"him": "he", "her": "she", "them": "they", "me": "i", "us": "we", "he": "he", "she": "she"}
# "a spokesman for the campaign said", "an aide to the senator said": a description and what it belongs to
_ATTACHED = lx._words("for of at with to from in on")


def words_in(a: Analysis, para: int, span: int) -> int:
    p = a.paragraphs[para]
    sp = p.spans[span]
    return len(re.findall(r"[^\W_]+", p.text[sp.start : sp.end]))


def find_cue(a: Analysis, para: int, view: int | None, toks: list[Tok], k: int, s0: int, s1: int) -> Cue | None:
    """The reporting clause of the quote at token ``k`` of a sentence ``s0:s1``."""
    cue = (
        _source(a, para, toks, k, s0)
        or _after(a, para, view, toks, k, s1)
        or _according_after(a, para, view, toks, k, s1)
        or _according(a, para, view, toks, k, s0)
        or _labelled(a, para, view, toks, k, s0)
        or _dashed(a, para, view, toks, k, s0)
        or _before(a, para, view, toks, k, s0)
        or _trailing(a, para, view, toks, k, s1)
    )
    return replace(cue, para=para, view=view) if cue else None


_INVERTED = frozenset(("say", "add", "write", "note", "explain", "ask", "recall", "argue", "continue"))


def _dashed(a: Analysis, para: int, view: int | None, toks: list[Tok], k: int, s0: int) -> Cue | None:
    """ "including Mitt Romano -- ''…'' -- and": a quote set off by dashes right after a name is theirs."""
    x = k - 1
    if x <= s0 or toks[x].text not in DASHES or toks[x].text == "-" and toks[x - 1].text != "-":
        return None
    while x - 1 >= s0 and toks[x - 1].text in DASHES:
        x -= 1
    c = _candidate_ending(a, para, view, toks, x, s0, strict=False)
    if c is not None and c.kind == NAME:
        return Cue(c, x, True, a.text(para, toks, c.i, k), "label")
    return None


def _trailing(a: Analysis, para: int, view: int | None, toks: list[Tok], k: int, s1: int) -> Cue | None:
    """ "Clinton “drew well from white voters” in 2008, said professor Paul Beck.": the reporting clause
    that ends the sentence, with no other quote between."""
    for x in range(k + 1, min(s1 - 1, k + 25)):
        if toks[x].kind == QUOTED:
            return None
        if (
            toks[x].text == ","
            and toks[x + 1].text[:1].islower()
            and is_speech_verb(toks[x + 1].text)
            and speech_lemma(toks[x + 1].text) in _INVERTED
        ):
            cue = _after(a, para, view, toks, x - 1, s1)
            if (
                cue is None
                or cue.subject is None
                or cue.subject.i != x + 2
                or any(
                    t.lower in lx.PREPOSITIONS and t.lower != "of" or t.lower in ("in", "at", "before")
                    for t in toks[x + 2 : cue.subject.j]
                )
            ):
                return None  # "said Paul Beck" only: not "said at a news conference in New York"
            return cue
        if toks[x].text == "," and x + 2 < s1 and toks[x + 1].kind == WORD and toks[x + 1].is_cap:
            # "A cashier who “steals a handful of $20s” is held accountable, Warren said."
            cue = _after(a, para, view, toks, x - 1, s1)
            end = s1 - 1 if toks[s1 - 1].kind == PUNCT else s1
            if cue is not None and cue.subject is not None and cue.subject.i == x + 1 and cue.verb == end - 1:
                return cue
    return None


def _source(a: Analysis, para: int, toks: list[Tok], k: int, s0: int) -> Cue | None:
    """ "quoting a letter from prisoners’ families: «…»" names the source."""
    if not (k - 1 >= s0 and toks[k - 1].text == ":"):
        return None
    v = k - 2
    while v >= s0 and k - v <= 16 and toks[v].kind == WORD or (v >= s0 and toks[v].text in "’'"):
        source = toks[v].kind == WORD and (
            toks[v].lower in lx.SOURCE_VERBS
            or (toks[v].lower == "reading" and v + 1 < k and toks[v + 1].lower in ("from", "out"))
        )
        if source:
            label = re.sub(r"^(?:from|out|aloud)\s+", "", a.text(para, toks, v + 1, k - 1))
            if label and not any(
                t.kind == WORD and (is_speech_verb(t.text) or t.lower == "and") for t in toks[v + 1 : k - 1]
            ):
                return Cue(Candidate(v + 1, k - 1, SOURCE, label), v, True, a.text(para, toks, v, k - 1), "source")
            return None
        v -= 1
    return None


def _attached_end(toks: list[Tok], end: int, s1: int) -> int:
    """The end of "of the campaign" / "for Clinton" after a description: up to eight tokens, no comma."""
    if end < s1 and toks[end].kind == WORD and toks[end].lower in _ATTACHED:
        m = end + 1
        while m < s1 and m < end + 9 and toks[m].kind == WORD and not is_speech_verb(toks[m].text):
            m += 1
        if m < s1 and toks[m].kind == WORD and is_speech_verb(toks[m].text):
            return m
    return end


def _after(a: Analysis, para: int, view: int | None, toks: list[Tok], k: int, s1: int) -> Cue | None:
    """“…,” she said / ”, said Burian / “…,” Chris Low, an economist, said / “…” ― Name."""
    m = k + 1
    if m < s1 and toks[m].text in (",", "…"):
        m += 1
    dash = m < s1 and toks[m].text in DASHES
    if dash:
        m += 1
        while m < s1 and toks[m].text in DASHES:  # "--" is two tokens
            m += 1
        if m < s1 and toks[m].lower in ("and", "or", "but", "as"):
            return None  # "Mitt Romney -- ''…'' -- and Fred Goldberg": the dash closes an aside, no byline
    if m >= s1:
        return None
    if not dash and toks[m].lower in ("and", "but", "or", "while", "whereas"):
        return None  # "“…,” and Johnson talks about …": another clause, not the quote's reporting clause
    cands = candidates(a, para, view, toks, m, min(s1, m + 12))
    if cands and cands[0].i == m + 1 and cands[0].kind == ORGANISATION and toks[m].lower == "the":
        cands[0] = Candidate(m, cands[0].j, ORGANISATION, cands[0].value)  # "“…,” the ACU said"
    if cands and cands[0].i > m and cands[0].kind == NAME and _title_words(toks, m, cands[0].i):
        # "“…,” election law expert Rick Hasen tweeted", "“…,” Commentary’s Noah Rothman tweeted"
        cands = [Candidate(m, cands[0].j, NAME, cands[0].value)] + cands[1:]
    if cands and cands[0].i == m:
        c = _title_of(toks, cands)  # "“…,” Trump spokesperson Ron Lieberman told"
        end = c.hit.tail if c.kind == NAME else c.j
        if c.kind == DESC and end < s1 and toks[end].text == ",":
            # "“…!” the presumptive nominee, Donald Trump, tweeted": the name that the description is
            named = next((x for x in cands if x.kind == NAME and x.i == end + 1), None)
            if named is not None:
                c, end = named, named.hit.tail
        v = verb_after(toks, end, appositive=c.kind == NAME)
        if v is None and c.kind == NAME:
            v = _verb_after_asides(toks, end, s1)
        if v is None and c.kind in (DESC, ORGANISATION, NAME):
            v2 = _attached_end(toks, end, s1)
            v = v2 if v2 != end else None
        if (
            v is None
            and c.kind == ORGANISATION
            and end + 1 < s1
            and (toks[end].lower in _AUTHORED or toks[end].lower in _STUDIES)
            and is_speech_verb(toks[end + 1].text)
        ):
            v = end + 1  # "“…,” the IMF report stated": the organisation's own report
        if v is not None and v < s1 and is_speech_verb(toks[v].text) and not _opens_next(toks, v, s1):
            return Cue(c, v, True, a.text(para, toks, m, v + 1), "after")
        if dash and c.kind == NAME and _byline_end(toks, end, s1):
            return Cue(c, c.i, True, a.text(para, toks, m - 1, end), "byline")
    if is_speech_verb(toks[m].text):
        cands = [c for c in candidates(a, para, view, toks, m + 1, min(s1, m + 12))]
        names = [c for c in cands if c.kind == NAME]
        # "said Agriculture Secretary Tom Vilsack", "wrote Post White House bureau chief Juliet Eilperin"
        if (
            names
            and names[0].i > m + 1
            and _title_words(toks, m + 1, names[0].i)
            and (not cands or cands[0].i > m + 1 or cands[0].kind != NAME)
        ):
            cands = [Candidate(m + 1, names[0].j, NAME, names[0].value)] + [c for c in cands if c.i > names[0].i]
        elif (
            names
            and names[0].i > m + 2
            and toks[names[0].i - 1].text == ","
            and toks[m + 1].lower in _DESC_OPENERS
            and _title_words(toks, m + 1, names[0].i - 1)
        ):
            # "said another leading Supreme Court advocate, Andrew J. Pincus of …": the name after the description
            cands = [Candidate(m + 1, names[0].j, NAME, names[0].value)] + [c for c in cands if c.i > names[0].i]
        if cands and cands[0].i == m + 1:
            c = cands[0]
            c = _title_of(toks, cands)  # "said Cruz constituent Dan Golvach", "said Trump spokeswoman Hope Hicks"
            if c.kind == DESC and c.j < s1 and toks[c.j].text == ",":
                # "said another leading advocate, Andrew J. Pincus of …": the name the description is
                c = next((x for x in cands if x.kind == NAME and x.i == c.j + 1), c)
            elif c.kind == RELATION and names and toks[names[0].i - 1].text == ",":
                # "said Rubio’s deputy campaign manager, Rich Beeson": the name the relation is
                comma = names[0].i - 1
                if c.j <= comma <= c.j + 4 and all(t.kind == WORD and not t.is_cap for t in toks[c.j : comma]):
                    c = names[0]
            return Cue(c, m, True, a.text(para, toks, m, c.j), "after")
    return None


_DESC_OPENERS = lx._words("a an the another one his her their its")


def _title_of(toks: list[Tok], cands: list[Candidate]) -> Candidate:
    """The first candidate, or the name after it when the first is a name used as a title: "Cruz
    constituent Dan Golvach", "Trump spokeswoman Hope Hicks" are Golvach and Hicks."""
    c = cands[0]
    if c.kind == NAME and len(cands) > 1 and cands[1].kind == NAME:
        gap = toks[c.hit.tail : cands[1].i]
        if (
            1 <= len(gap) <= 7
            and all(
                (t.kind == WORD and (t.text[:1].islower() or t.bare in lx.HONORIFICS or t.text[:1].isupper()))
                or t.text in ("’", "'")
                for t in gap
            )
            and not any(
                t.lower in lx.PREPOSITIONS
                or t.lower in ("in", "and", "who", "which", "that", "whose")
                or t.lower in AUX
                or is_speech_verb(t.text)
                for t in gap
            )
        ):
            # not "Jim Whelan who represents Atlantic City": a clause between them
            return Candidate(c.i, cands[1].j, NAME, cands[1].value)
    return c


def _opens_next(toks: list[Tok], v: int, s1: int) -> bool:
    """ "Mr. Zahed said: ''…''": a verb with a colon introduces the quote after it, not the one before."""
    return v + 1 < len(toks) and toks[v + 1].text == ":"


_CLAUSE_OPENERS = lx._words(
    "when while after before because if since until though although but or so then where whereas unless once"
)


def _title_words(toks: list[Tok], a: int, b: int) -> bool:
    """Tokens ``a:b`` are a short title or description before a name: words, a possessive ("Commentary’s")."""
    if not 0 < b - a <= 10:
        return False
    span = toks[a:b]
    if b - a > 6 and sum(1 for t in span if t.kind == WORD and t.text[:1].islower()) > 3:
        return False  # a long title is mostly capitalised: "former Pennsylvania Gov. and DNC Chairman"
    if any(t.lower in _CLAUSE_OPENERS for t in span):
        return False  # "“…,” when Lis attacked him": a new clause, not a title
    return (
        all(
            t.kind == WORD
            or t.text in ("’", "'", "-")
            or (t.text == "." and x > 0 and span[x - 1].bare in lx.HONORIFICS)
            or (t.text == "/" and 0 < x < len(span) - 1 and span[x - 1].text.isdigit())  # "9/11 widow Terry Strada"
            for x, t in enumerate(span)
        )
        and not any(is_speech_verb(t.text) and t.text[:1].islower() and speech_lemma(t.text) != t.lower for t in span)
    )


def _verb_after_asides(toks: list[Tok], k: int, s1: int) -> int | None:
    """The reporting verb after a name and up to three asides between commas ("Mr. Daniloff, now 81 and
    retired in Cambridge, Mass., said")."""
    m = k
    for _ in range(3):
        if m >= s1 or toks[m].text != ",":
            return None
        m += 1
        while m < s1 and toks[m].text != "," and toks[m].kind != QUOTED and m < k + 45:
            m += 1
        if m + 1 < s1 and toks[m].text == "," and is_speech_verb(toks[m + 1].text):
            return m + 1
    return None


def _according_after(a: Analysis, para: int, view: int | None, toks: list[Tok], k: int, s1: int) -> Cue | None:
    """“…,” according to X."""
    m = k + 1
    if m < s1 and toks[m].text == ",":
        m += 1
    if m + 2 < s1 and toks[m].lower == "according" and toks[m + 1].lower == "to":
        cands = [c for c in candidates(a, para, view, toks, m + 2, min(s1, m + 8)) if c.i == m + 2]
        if cands:
            return Cue(cands[0], m, True, a.text(para, toks, m, cands[0].j), "according")
    return None


def _labelled(a: Analysis, para: int, view: int | None, toks: list[Tok], k: int, s0: int) -> Cue | None:
    """ "Pollsters agree – Carl Bialik: “…”", "doesn't surprise pollster Daron Shaw: “…”": a name and a colon."""
    if k - 2 >= s0 and toks[k - 1].text == ":":
        end = k - 1
        if toks[end - 1].text == ")":  # "Rep. Trey Gowdy (R-S.C.): “…”"
            m = end - 1
            while m > s0 and toks[m].text != "(" and end - m < 12:
                m -= 1
            if toks[m].text == "(":
                end = m
        c = _candidate_ending(a, para, view, toks, end, s0)
        if c is not None and c.kind == NAME:
            return Cue(c, k - 1, True, a.text(para, toks, c.i, k), "label")
    return None


def _byline_end(toks: list[Tok], end: int, s1: int) -> bool:
    """A name after a dash that ends the sentence, is followed by its role ("― Jane Doe, activist") or by
    the next bylined quote on the next line ("“…” ― Jane Doe\n“…” ― Ann Roe")."""
    return (
        end >= s1
        or toks[end].text in (",", ".", "(", ";")
        or (toks[end].kind == PUNCT and end + 1 >= s1)
        or toks[end].kind == QUOTED
    )


def _according(a: Analysis, para: int, view: int | None, toks: list[Tok], k: int, s0: int) -> Cue | None:
    """ "according to her, “…”", "по его словам, «…»"."""
    x = k - 1
    if x >= s0 and toks[x].text in (",", ":"):
        x -= 1
    if (
        x - 2 >= s0
        and toks[x - 2].lower == "по"
        and toks[x].lower == "словам"
        and toks[x - 1].lower in lx.POSSESSIVE_PRONOUN
    ):
        return Cue(
            Candidate(x - 1, x, PRONOUN, lx.POSSESSIVE_PRONOUN[toks[x - 1].lower]),
            x - 2,
            True,
            a.text(para, toks, x - 2, x + 1),
            "according",
        )
    # "according to X, “…”" with X up to six tokens long
    for back in range(x, max(s0, x - 7) - 1, -1):
        if back - 2 >= s0 and toks[back - 2].lower == "according" and toks[back - 1].lower == "to":
            obj = _OBJECT_PRONOUNS.get(toks[back].lower)
            if obj and back == x:
                return Cue(
                    Candidate(back, back + 1, PRONOUN, obj),
                    back - 2,
                    True,
                    a.text(para, toks, back - 2, back + 1),
                    "according",
                )
            cands = [c for c in candidates(a, para, view, toks, back, x + 1) if c.i == back]
            if cands:
                return Cue(cands[0], back - 2, True, a.text(para, toks, back - 2, x + 1), "according")
            return None
    return None


def _before(a: Analysis, para: int, view: int | None, toks: list[Tok], k: int, s0: int) -> Cue | None:
    """The nearest reporting verb before the quote in its sentence, with no other quote of some length and
    no semicolon between them."""
    v = k - 1
    while v >= s0 and k - v <= 30:
        t = toks[v]
        if t.kind == QUOTED and v != k and words_in(a, para, t.span) > 4:
            return None
        if t.kind == PUNCT and t.text == ";":
            return None
        noun = _noun_form(toks, v, s0)
        formula = t.lower == "quote" and v > s0 and toks[v - 1].lower in ("i", "we")  # "and I quote"
        puts_it = t.lower in ("put", "puts") and v + 1 < k and toks[v + 1].lower == "it"  # "as X puts it"
        if (
            t.kind == WORD
            and (is_speech_verb(t.text) or puts_it)
            and not noun
            and not formula
            and t.lower not in ("states", "points", "calls")
            and not _reported_intent(toks, v, s0)
            and not (v < k - 2 and toks[k - 1].lower in ("and", "or") and _reports_before(toks, v, s0))
            and not _reduced_relative(toks, v, k, s0)
            and not _closed_subordinate(toks, v, k, s0)
        ):  # "X said that Y begged him for it and “would have …”": Y's deed in X's words
            tight = (
                v == k - 1
                or (v == k - 2 and toks[k - 1].text in (":", ","))
                or (v == k - 2 and toks[k - 1].lower == "that")
                or (
                    v == k - 3 and toks[k - 2].lower in ("out", "that", "it") and toks[k - 1].text in (":", ",", "that")
                )
            )
            after = [c for c in candidates(a, para, view, toks, v + 1, k) if c.i == v + 1]
            inverted = (
                after
                and after[0].kind == NAME
                and after[0].hit.tail == k - 1
                and toks[k - 1].text in (",", ":")
                and (v == s0 or toks[v - 1].text == ",")
            )
            if t.text[:1].isupper() or inverted:  # "Said Comey, “…”", "But, said Solovey, “…”"
                subj = after[0] if after else None
            else:
                subj = _subject_before(a, para, view, toks, v, s0)
            return Cue(subj, v, tight, cue_text(a, para, toks, subj, v, k), "before")
        v -= 1
    return None


_COPULAS = lx._words("is are was were")  # "tweets accusing her of lying are “…”": the quote is not the participle's


def _closed_subordinate(toks: list[Tok], v: int, k: int, s0: int) -> bool:
    """ "Clinton said as he introduced his wife in Hudson, “…”", "Mrs. Clinton said that when Ms. Warren
    railed against Wall Street, “…”", "When Trump suggested that …, Rubio fired back: “…”": a reporting verb
    in a clause that opens with "as", "when" … and closes with a comma before the quote is not the quote's."""
    sub = next((x for x in range(v - 1, max(s0, v - 5) - 1, -1) if toks[x].lower in lx.SUBORDINATORS), None)
    if sub is None or sub + 1 >= v:
        return False
    # the clause's own subject between the subordinator and the verb: "as he", "when Ms. Warren"
    who = toks[sub + 1]
    if not (who.lower in lx.SUBJECT_PRONOUNS or (who.kind == WORD and who.is_cap)):
        return False
    if any(toks[x].kind == WORD and is_speech_verb(toks[x].text) for x in range(s0, sub)):
        # "X said as he introduced his wife in Hudson, “…”" (not "… as she angrily said, “…”")
        return v < k - 2 and any(toks[x].text == "," for x in range(v + 1, k))
    opening = (sub == s0 or toks[sub - 1].kind == PUNCT) and toks[sub].lower != "as"  # "As Politico reported, …"
    return opening and any(toks[x].text == "," for x in range(v + 1, k - 1))  # "When A said …, B fired back: “…”"


def _reduced_relative(toks: list[Tok], v: int, k: int, s0: int) -> bool:
    """ "She says his tweets accusing her of lying are “lies”": a participle after a common noun describes
    the noun, and the quote after the clause's own verb is not its words (unlike ", telling reporters that
    he was “not quite there yet”")."""
    if not toks[v].lower.endswith("ing") or v - 1 < s0:
        return False
    before = toks[v - 1]
    if before.kind != WORD or before.is_cap or before.lower in AUX or before.lower in lx.SUBJECT_PRONOUNS:
        return False
    for x in range(v + 1, k):
        if toks[x].lower == "that":
            return False
        if toks[x].lower in _COPULAS:
            return True
    return False


_MODALS = lx._words("would could might may should will can must")


def _reported_intent(toks: list[Tok], v: int, s0: int) -> bool:
    """ "X stated that Melania would discuss it “in a few weeks”": a speech that someone else reports as
    to come is not where the quote comes from; the reporting verb before it is."""
    m = v - 1
    if m >= s0 and toks[m].lower == "not":
        m -= 1
    if not (m >= s0 and toks[m].lower in _MODALS):
        return False
    return _reports_before(toks, m, s0)


def _reports_before(toks: list[Tok], v: int, s0: int) -> bool:
    """A reporting verb with "that" earlier in the sentence than ``v``: "X said that …"."""
    return any(
        toks[x].kind == WORD and is_speech_verb(toks[x].text) and toks[x + 1].lower == "that" for x in range(s0, v - 1)
    )


def _noun_form(toks: list[Tok], v: int, s0: int) -> bool:
    """ "the comments", "Ginsburg’s remarks", "his statement": a reporting word used as a noun."""
    if v <= s0:
        return False
    prev = toks[v - 1]
    if prev.lower == "to" and speech_lemma(toks[v].text) == toks[v].lower:
        return False  # "went on to say": an infinitive
    if prev.kind == WORD and (prev.lower in lx.DETERMINERS or prev.lower in lx.PREPOSITIONS or prev.lower == "in"):
        return True
    return toks[v].lower.endswith("s") and (
        prev.text in ("’", "'") or prev.lower in ("s", "its", "their", "his", "her")
    )


def cue_text(a: Analysis, para: int, toks: list[Tok], subj: Candidate | None, v: int, k: int) -> str:
    """ "she said:", "Lyudmyla Kozlovska remarked that", "Anna Shukeyeva … pointed out that"."""
    end = v + 1
    while end < k and toks[end].kind == WORD and toks[end].lower in ("out", "that", "on", "up"):
        end += 1
    if end < k and toks[end].text == ":":
        end += 1
    verb = a.text(para, toks, v, end)
    if subj is None:
        return verb
    who = a.text(para, toks, subj.i, subj.end)
    if v - subj.end <= 1:
        return a.text(para, toks, subj.i, end)
    return f"{who} … {verb}"


def _subject_before(a: Analysis, para: int, view: int | None, toks: list[Tok], v: int, s0: int) -> Candidate | None:
    """Who the verb at ``v`` is about: the agent of a passive ("was asked by host Bill Maher"); for
    "…, saying" / "…, adding" the subject of the main clause; otherwise the last candidate before the
    verb that is not inside a name's appositive, a possessive, the object of a verb or of a preposition,
    or a relative clause."""
    n = len(toks)
    if (
        v - 1 >= s0
        and toks[v - 1].lower in ("was", "were", "been", "being")
        and v + 1 < n
        and toks[v + 1].lower == "by"
    ):
        agents = [
            c for c in candidates(a, para, view, toks, v + 2, min(n, v + 6)) if c.kind in (NAME, DESC, ORGANISATION)
        ]
        if agents:
            return agents[0]
    if toks[v].lower.endswith("ing") and v - 1 >= s0 and toks[v - 1].text in (",", "—", "–"):
        # "…, Spicer said, adding": the participle goes with the reporting clause right before it
        prev_verb = next(
            (x for x in range(v - 2, max(s0, v - 5) - 1, -1) if toks[x].kind == WORD and is_speech_verb(toks[x].text)),
            None,
        )
        if prev_verb is not None:
            found = _adjacent_subject(a, para, view, toks, prev_verb, s0)
            if found is not None:
                return found
        main = subject(a, para, view, toks, s0, v)
        if main is not None:
            return main.candidate
    if v - 1 >= s0 and toks[v - 1].lower in ("who", "which"):
        # "Braynard, a South Carolina native who writes": the person the relative clause is about; not a
        # name further back when the clause is about a plural ("his show’s listeners, who wondered")
        before = v - 2 if v - 2 >= s0 and toks[v - 2].text == "," else v - 1
        if (
            before - 1 >= s0
            and toks[before - 1].kind == WORD
            and toks[before - 1].text[:1].islower()
            and toks[before - 1].lower.endswith("s")
            and not toks[before - 1].lower.endswith("ss")
            and toks[before - 1].lower not in lx.PERSON_NOUNS
        ):
            return None
        names = [c for c in candidates(a, para, view, toks, s0, v - 1) if c.kind == NAME]
        return names[-1] if names else None
    if (
        toks[v].lower.endswith("ing")
        and v - 1 >= s0
        and toks[v - 1].lower in ("by", "after", "before", "while", "when", "without", "in")
    ):
        main = subject(a, para, view, toks, s0, v)  # "X quashed rumors by tweeting that …"
        return main.candidate if main is not None else None
    if toks[v].lower.endswith("ing") and v - 1 > s0 and toks[v - 1].lower in TIME_WORDS:
        # "Trump unleashed a series of tweets early Friday saying that …": the clause's subject says it
        main = subject(a, para, view, toks, s0, v)
        if main is not None and main.candidate.kind == NAME:
            return main.candidate
    contracted = v - 2 >= s0 and toks[v - 1].lower in _CONTRACTED and toks[v - 2].text in ("’", "'")
    if (
        toks[v].lower.endswith("ing")
        and v - 1 >= s0
        and toks[v - 1].kind != PUNCT
        and toks[v - 1].lower not in AUX
        and not contracted
    ):
        # "Abraham Lincoln saying", "a sign saying": the words right before a participle say it
        return _candidate_ending(a, para, view, toks, v, s0, strict=False, preposition=True)
    adjacent = _adjacent_subject(a, para, view, toks, v, s0)
    if adjacent is not None:
        return adjacent
    main = subject(a, para, view, toks, s0, v + 1)  # its own verb may be this one, past appositives
    if (
        main is not None
        and main.candidate.kind != PRONOUN
        or (main is not None and main.candidate.value in lx.SUBJECT_PRONOUNS)
    ):
        return main.candidate
    return None


_AUTHORED = lx._words(
    "brief statement letter memo email e-mail tweet tweets post op-ed column memoir website filing affidavit "
    "testimony remarks message"
)
_STUDIES = lx._words("report study survey analysis review assessment")
TIME_WORDS = lx._words(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tonight morning afternoon evening "
    "night week weekend month year"
)
_CONTRACTED = lx._words("s re ve d ll")
_BETWEEN = lx._words(
    "has have had also then later again will would did does not just still now further quickly "
    "repeatedly once previously recently had been has been"
)


def _adjacent_subject(a: Analysis, para: int, view: int | None, toks: list[Tok], v: int, s0: int) -> Candidate | None:
    """The subject right before its verb, past adverbs and auxiliaries ("she also said", "X has told"),
    an appositive between commas ("X, a lawyer, said", "her adviser, Jake Sullivan, said"), brackets ("X
    (Greens/EFA) said") or where they come from ("Joel Pollak of Breitbart California observed")."""
    k = v - 1
    while (
        k >= s0
        and toks[k].kind == WORD
        and (
            toks[k].lower in _BETWEEN
            or (lx.is_adverb(toks[k].text) and not (toks[k].is_cap and toks[k].lower not in lx.ADVERBS))
        )
    ):
        # a capitalised word in -ly is a name ("Skelly said", "Kelly said"), not an adverb
        k -= 1
    if k - 2 >= s0 and toks[k].lower in _CONTRACTED and toks[k - 1].text in ("’", "'"):
        k -= 2  # "He’s claiming", "they’ve said"
    if k - 3 >= s0 and toks[k].lower in _AUTHORED and toks[k - 1].lower == "s" and toks[k - 2].text in ("’", "'"):
        owner = [c for c in candidates(a, para, view, toks, max(s0, k - 8), k - 2) if c.kind == NAME]
        if owner and owner[-1].hit.tail == k - 2:
            return owner[-1]  # "Ivana Trump's brief said": her own words, in writing
    if k > s0 and toks[k].text in DASHES:
        # "John Dickey, the chief executive of Ora Media -- the company that owns it -- told me": past the aside
        m = k
        while m > s0 and toks[m - 1].text in DASHES:
            m -= 1
        opener = next((x for x in range(m - 1, max(s0, m - 40) - 1, -1) if toks[x].text in DASHES), None)
        if opener is not None:
            while opener > s0 and toks[opener - 1].text in DASHES:
                opener -= 1
            found = _adjacent_subject(a, para, view, toks, opener, s0)
            if found is None:
                comma = next((x for x in range(opener - 1, max(s0, opener - 20) - 1, -1) if toks[x].text == ","), None)
                found = _candidate_ending(a, para, view, toks, comma, s0) if comma is not None else None
            if found is not None and found.kind == NAME:
                return found
    if k >= s0 and toks[k].text == ",":
        # "Michael Mulgrew, president of the union, which represents teachers, said": past the asides
        m, found = k, None
        for _ in range(3):
            m -= 1
            while m >= s0 and toks[m].text != "," and k - m < 40:
                m -= 1
            if m < s0 or toks[m].text != ",":
                break
            found = _candidate_ending(a, para, view, toks, m, s0)
            if found is not None:
                break
        if found is not None and found.kind == NAME and m < k and any(t.text == "," for t in toks[m + 1 : k]):
            return found
    if k >= s0 and toks[k].text in (",", ")"):
        closer = toks[k].text
        opener = "," if closer == "," else "("
        m = k - 1
        while m >= s0 and toks[m].text != opener and k - m < 40:
            m -= 1
        if m >= s0:
            inside = _candidate_ending(a, para, view, toks, k, m + 1, strict=False)
            if inside is not None and inside.kind == NAME and inside.i == m + 1:
                return inside  # "her senior policy adviser, Jake Sullivan, said"
            found = _candidate_ending(a, para, view, toks, m, s0)
            if found is not None:
                return found
    found = _candidate_ending(a, para, view, toks, k + 1, s0, strict=False)
    if found is not None and found.kind == ORGANISATION:
        # "Anthony Anton, president and CEO of the Restaurant Association stated": an appositive left open
        comma = next((y for y in range(found.i - 1, max(s0, found.i - 7) - 1, -1) if toks[y].text == ","), None)
        if comma is not None and all(t.kind == WORD for t in toks[comma + 1 : found.i]):
            named = _candidate_ending(a, para, view, toks, comma, s0)
            if named is not None and named.kind == NAME:
                return named
    if found is not None and not (
        found.kind == ORGANISATION and found.i - 1 >= s0 and toks[found.i - 1].lower in ("of", "the", "from", "at")
    ):
        return found
    if (
        k >= s0
        and toks[k].kind == WORD
        and (toks[k].lower in lx.GROUP_NOUNS or toks[k].lower.rstrip("s") in lx.PERSON_NOUNS)
    ):
        # "federal prosecutors wrote", "Republican leaders said": a group without an article
        m = k
        while (
            m > s0
            and k - m < 3
            and toks[m - 1].kind == WORD
            and toks[m - 1].lower not in lx.DETERMINERS
            and toks[m - 1].lower not in lx.PREPOSITIONS
            and not is_speech_verb(toks[m - 1].text)
            and toks[m - 1].lower not in ("and", "but", "that", "as", "while", "when", "who")
        ):
            m -= 1
        if m == s0 or toks[m - 1].kind == PUNCT or toks[m - 1].lower in ("and", "but", "that", "as", "while", "when"):
            return Candidate(m, k + 1, "group", toks[k].lower)
    # "Joel Pollak of Breitbart California observed": the name before a short place or organisation
    m = k
    while (
        m > s0
        and toks[m].kind == WORD
        and (toks[m].is_cap or toks[m].lower in ("the", "and", "of", "for", "from", "at"))
        and k - m < 10
    ):
        m -= 1
    for x in range(m, k):
        if toks[x].lower in ("of", "from", "at"):
            found = _candidate_ending(a, para, view, toks, x, s0, strict=False)
            if found is not None and found.kind == NAME:
                return found
    return None


def _candidate_ending(
    a: Analysis,
    para: int,
    view: int | None,
    toks: list[Tok],
    end: int,
    s0: int,
    strict: bool = True,
    preposition: bool = False,
) -> Candidate | None:
    """The subject candidate whose words end right before token ``end``. ``strict``: not the object of a
    preposition; right before its verb a name is its subject whatever comes before it ("Vice President
    for news and talk Dave Gorab called")."""
    for c in candidates(a, para, view, toks, max(s0, end - 12), end):
        # "Gov. John Kasich (R-OH), said": the brackets after a name are the name's
        if (c.hit.tail if c.kind == NAME else c.j) == end or (
            c.kind == NAME and skip_brackets(toks, c.hit.tail, end) == end
        ):
            if c.kind == PRONOUN and c.value in ("it",):
                return None
            if c.kind == PRONOUN and c.value in ("i", "we") and view is None and a.style == "report":
                return None
            if c.kind != PRONOUN and (
                possessive(toks, c.end)
                or (strict and excluded(toks, c.i, c.end, s0))
                or (not preposition and c.i - 1 >= s0 and toks[c.i - 1].lower in lx.PREPOSITIONS)
            ):
                return None
            return c
    return None


def inner_cue(a: Analysis, para: int, span: int) -> Cue | None:
    """ "“Belarussians – Ms X said – are no longer safe”": a reporting clause between dashes or commas
    inside the quote itself."""
    p = a.paragraphs[para]
    toks = p.views[span]
    n = len(toks)
    for k in range(1, n - 1):
        if toks[k - 1].text not in DASHES + (",",):
            continue
        cands = [c for c in candidates(a, para, span, toks, k, min(n, k + 8)) if c.i == k]
        if not cands or cands[0].kind not in (NAME, PRONOUN):
            continue
        c = cands[0]
        v = c.hit.tail if c.kind == NAME else c.j
        if v + 1 < n and is_speech_verb(toks[v].text) and toks[v + 1].text in DASHES + (",",) and k > 1:
            if c.kind == PRONOUN and c.value not in lx.SUBJECT_PRONOUNS:
                continue
            return Cue(c, v, True, a.text(para, toks, k, v + 1), "inside", para, span)
    return None


def colon_lead(a: Analysis, para: int, toks: list[Tok], k: int, s0: int) -> Cue | None:
    """ "X said in a statement:" ending the sentence before the quote's, or the paragraph before when
    the quote opens its paragraph."""
    p = a.paragraphs[para]
    sents = p.sentences[None]
    idx = next((n for n, (x, y) in enumerate(sents) if x == s0), None)
    if idx is None:
        return None
    if idx > 0:
        ps0, ps1 = sents[idx - 1]
        if toks[ps1 - 1].text == ":":
            return _lead(a, para, toks, ps0, ps1 - 1)
    if k == s0 and s0 == 0 and para > 0:
        before = a.paragraphs[para - 1]
        btoks = before.views[None]
        if btoks and btoks[-1].text == ":":
            bs0, _bs1 = before.sentences[None][-1]
            return _lead(a, para - 1, btoks, bs0, len(btoks) - 1)
    return None


def _lead(a: Analysis, para: int, toks: list[Tok], s0: int, end: int) -> Cue | None:
    for v in range(end - 1, s0 - 1, -1):
        if (
            toks[v].kind == WORD
            and is_speech_verb(toks[v].text)
            and not (v > s0 and toks[v - 1].lower == "to")
            and not _noun_form(toks, v, s0)
        ):
            subj = _subject_before(a, para, None, toks, v, s0)
            return Cue(subj, v, True, a.text(para, toks, s0, end + 1), "colon", para, None)
    # no reporting verb: the lead-in's own subject ("Kasich resisted:", "Here is Clinton in 1992:")
    main = subject(a, para, None, toks, s0, end)
    if main is not None and main.candidate.kind in (NAME, PRONOUN):
        return Cue(main.candidate, main.verb, True, a.text(para, toks, s0, end + 1), "colon", para, None)
    return None


__all__ = ["DASHES", "TIME_WORDS", "colon_lead", "cue_text", "find_cue", "inner_cue", "words_in"]
