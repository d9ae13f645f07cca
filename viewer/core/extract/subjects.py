"""Who a clause is about: the phrases that can be the subject of a reporting verb (names, pronouns,
descriptions such as "the activist", groups, organisations) and the subject of a sentence's main clause."""

from __future__ import annotations

from viewer.core import lexicon as lx
from viewer.core.extract.model import (
    ACRONYM,
    DESC,
    GROUP,
    NAME,
    ORG,
    ORGANISATION,
    PERSON,
    PRONOUN,
    RELATION,
    Analysis,
    Candidate,
    Subject,
)
from viewer.core.extract.segment import PUNCT, WORD, Tok
from viewer.core.extract.verbs import is_speech_verb, speech_lemma

AUX = lx._words(
    "is are was were am be been being has have had do does did will would shall should can could may might must "
    "isn aren wasn weren hasn haven hadn doesn don didn won wouldn shan shouldn can't cannot couldn mustn"
)


def is_verb(tok: Tok | None) -> bool:
    """A lower-case word that can be a clause's verb: a reporting verb in any form, a common irregular
    verb, or a word in -ed."""
    if tok is None or tok.kind != WORD or not tok.text[:1].islower():
        return False
    w = tok.text
    inflected = is_speech_verb(w) and speech_lemma(w) != w  # "charge" and "post" are nouns as often
    return (
        inflected
        or w in lx.SPEECH_VERBS
        or w in lx.IRREGULAR_VERBS
        or (len(w) > 3 and w.endswith("ed"))
        or w in _COMMON_VERB_FORMS
    )


_COMMON_VERB_FORMS = frozenset(
    f
    for lemma in (
        "want need hope think believe know see feel seem remain become plan try get make take give go come keep let "
        "run win lose support oppose back endorse face lead hold meet leave work live serve help call ask like love "
        "hate fear expect wish vote spend pay push fight win"
    ).split()
    for f in (lemma + "s", lemma + "es")
) | lx._words("goes does has is was were thinks believes knows")


def possessive(toks: list[Tok], j: int) -> bool:
    """Does a possessive ’s (or a bare ’ after an s) follow token ``j - 1``?"""
    if j < len(toks) and toks[j].text in ("’", "'"):
        nxt = toks[j + 1] if j + 1 < len(toks) else None
        return nxt is None or nxt.text == "s" or nxt.start > toks[j].end or toks[j - 1].text.endswith("s")
    return False


def _noun_phrase(toks: list[Tok], k: int, s1: int) -> int | None:
    """The end of "the [one or two modifiers] NOUN" from ``k + 1`` when NOUN describes a person or a group."""
    m = k + 1
    while (
        m < s1
        and m < k + 4
        and toks[m].kind == WORD
        and toks[m].lower not in lx.PERSON_NOUNS
        and toks[m].lower not in lx.GROUP_NOUNS
        and (toks[m].text[:1].islower() or m < k + 3)
    ):
        m += 1
    if m < s1 and toks[m].kind == WORD and (toks[m].lower in lx.PERSON_NOUNS or toks[m].lower in lx.GROUP_NOUNS):
        return m
    return None


def candidates(a: Analysis, para: int, view: int | None, toks: list[Tok], s0: int, s1: int) -> list[Candidate]:
    """Subject candidates in tokens ``s0:s1``, in order. Words in brackets right after a name (its party,
    country or role) are the name's, not candidates of their own."""
    key = (para, view)
    every = a.candidates.get(key)
    if every is None:
        every = a.candidates[key] = _candidates(a, para, view, toks, 0, len(toks))
    return [c for c in every if s0 <= c.i < s1 and c.j <= s1]


def _candidates(a: Analysis, para: int, view: int | None, toks: list[Tok], s0: int, s1: int) -> list[Candidate]:
    hits = a.hits_at.get((para, view), {})
    out: list[Candidate] = []
    k = s0
    while k < s1:
        t = toks[k]
        h = hits.get(k)
        if h is not None and h.kind in (PERSON, ORG, ACRONYM) and possessive(toks, h.j):
            m = h.j + (2 if h.j + 1 < s1 and toks[h.j + 1].text == "s" else 1)
            end = _noun_phrase(toks, m - 1, s1)
            if end is not None and end - m < 4:  # "Seitov’s mother", "Clinton’s spokesman": someone's someone
                named = hits.get(end + 1)
                if named is not None and named.kind == PERSON and named.person:
                    # "Clinton’s top foreign policy aide Jake Sullivan": the name in apposition
                    out.append(Candidate(h.ci, named.j, NAME, named))
                    k = skip_brackets(toks, named.tail, s1)
                    continue
                out.append(Candidate(h.ci, end + 1, RELATION, toks[end].lower))
                k = end + 1
                continue
        if h is not None and h.kind == PERSON and h.person:
            out.append(Candidate(h.ci, h.j, NAME, h))
            k = skip_brackets(toks, h.tail, s1)
            continue
        if h is not None and h.kind in (ORG, ACRONYM):
            out.append(Candidate(h.ci, h.j, ORGANISATION, h))
            k = h.j
            continue
        if t.kind == WORD:
            lw = t.lower
            if lw in lx.SUBJECT_PRONOUNS or lw in ("they", "i", "we"):
                out.append(Candidate(k, k + 1, PRONOUN, lw))
            elif lw in ("his", "her", "their", "my", "our", "its") and k + 1 < s1:
                m = _noun_phrase(toks, k, s1)
                if m is not None:
                    out.append(Candidate(k, m + 1, RELATION, toks[m].lower))
                    k = m + 1
                    continue
            elif (
                lw in ("the", "this", "that", "a", "an", "one", "another")
                and k + 1 < s1
                and toks[k + 1].lower not in lx.DETERMINERS
            ):
                m = _noun_phrase(toks, k, s1)
                if m is not None:
                    kind = GROUP if toks[m].lower in lx.GROUP_NOUNS else DESC
                    if possessive(toks, m + 1) and m + 3 < s1 and toks[m + 3].kind == WORD:
                        # "the prosecutor’s office said": an institution, named by its head
                        out.append(Candidate(k, m + 4, GROUP, toks[m + 3].lower))
                        k = m + 4
                        continue
                    out.append(Candidate(k, m + 1, kind, toks[m].lower))
                    k = m + 1
                    continue
        k += 1
    return out


def skip_brackets(toks: list[Tok], k: int, s1: int) -> int:
    if k < s1 and toks[k].text == "(":
        m = k + 1
        while m < s1 and toks[m].text != ")" and m < k + 30:
            m += 1
        if m < s1 and toks[m].text == ")":
            return m + 1
    return k


def excluded(toks: list[Tok], i: int, j: int, s0: int) -> bool:
    """A phrase that cannot be a subject: a possessive ("Kozlovska’s report"), or the object of a
    preposition or a relative pronoun ("with Zhovtis", "in San Bernardino", "who met Burian")."""
    if possessive(toks, j):
        return True
    k = i - 1
    steps = 0
    while k >= s0 and steps < 5:
        t = toks[k]
        if t.kind != WORD:
            return False
        if t.lower in lx.PREPOSITIONS or t.lower in ("in", "who", "which", "whom"):
            return True
        if t.text[:1].isupper() and t.bare not in lx.HONORIFICS:
            return False
        k -= 1
        steps += 1
    return False


_VERB_MARKERS = lx._words("not to did does do will would can could should must may might didn doesn don won")


def verb_like(toks: list[Tok], k: int) -> bool:
    """Is token ``k`` a verb: a verb form we know, or a word after "not", "to", "did", "will" …?"""
    if k < 0 or toks[k].kind != WORD or not toks[k].text[:1].islower():
        return False
    return is_verb(toks[k]) or (
        k >= 1
        and toks[k - 1].kind == WORD
        and toks[k - 1].lower in _VERB_MARKERS
        and toks[k].lower not in lx.DETERMINERS
    )


def object_of_verb(toks: list[Tok], i: int, s0: int) -> bool:
    """A phrase right after a verb is its object ("did not mention Trump", "thanked Zhovtis"); after a
    reporting verb it opens the reported clause instead ("said his mother had told her")."""
    return i - 1 >= s0 and verb_like(toks, i - 1) and not is_speech_verb(toks[i - 1].text)


def subordinate(toks: list[Tok], i: int, s0: int) -> bool:
    return i - 1 >= s0 and toks[i - 1].lower in lx.SUBORDINATORS


_APPOSITIVE_LINKS = lx._words("of the a an and from in at for")


def _short_appositive(toks: list[Tok], a: int, b: int) -> bool:
    """Tokens ``a:b`` are a short appositive after another: an age, "of Baldwin", "Miss.", "R-Calif.",
    "a Democrat", a relative clause on the person ("who was among those polled") — no other clause ("as he
    later explained")."""
    if 2 < b - a <= 12 and toks[a].lower in ("who", "whose"):
        return True  # "…, who was among those polled, said"
    if 1 < b - a <= 14 and toks[a].lower in ("a", "an", "the") and not any(is_verb(t) for t in toks[a + 1 : b]):
        return True  # "…, the foreign minister of France, a permanent member of the council, said"
    return 0 < b - a <= 6 and all(
        t.kind != WORD or t.is_cap or t.text[:1].isdigit() or t.lower in _APPOSITIVE_LINKS for t in toks[a:b]
    )


def verb_after(toks: list[Tok], k: int, appositive: bool = True, present: bool = False) -> int | None:
    """The verb right after a subject that ends before token ``k``, past a bracket, an appositive
    (", a lawyer at …,") and adverbs ("also"); None when no verb follows."""
    n = len(toks)
    if appositive and k + 1 < n and toks[k].lower in ("of", "from") and toks[k + 1].is_cap:
        m = k + 1  # "Lee Zeldin of New York, a Trump supporter, said"
        while (
            m < n and m < k + 7 and toks[m].kind == WORD and (toks[m].is_cap or toks[m].lower in ("the", "of", "and"))
        ):
            m += 1
        if m < n and (toks[m].text == "," or is_verb(toks[m])):
            k = m
    if k < n and toks[k].text == "(" and appositive:
        while k < n and toks[k].text != ")":
            k += 1
        k += 1
    if k < n and toks[k].text == "," and appositive:
        if is_verb(toks[k + 1] if k + 1 < n else None):
            return k + 1
        for segment in range(4):  # one appositive, or a few short ones: "Dewayne Smithy, 33, of Baldwin, Miss., said"
            m = k + 1
            while (
                m < n
                and m < k + 40
                and toks[m].text != ","
                and not (
                    toks[m].kind == PUNCT and toks[m].text in ".;!?" and not (m + 1 < n and toks[m + 1].text == ",")
                )
            ):
                m += 1
            if m < n and toks[m].text == "," and (segment == 0 or _short_appositive(toks, k + 1, m)):
                k = m
                if m + 1 < n and (
                    is_verb(toks[m + 1])
                    or toks[m + 1].lower in AUX
                    or lx.is_adverb(toks[m + 1].text)
                    or (present and _present_form(toks, m + 1))
                ):
                    break
            elif segment == 0:
                # an appositive left open: "Sam Lau, the communications director for the party said"
                said = next(
                    (
                        x
                        for x in range(k + 2, m)
                        if is_speech_verb(toks[x].text) and speech_lemma(toks[x].text) != toks[x].lower
                    ),
                    None,
                )
                return said
            else:
                break
        k += 1
    while k < n and toks[k].kind == WORD and lx.is_adverb(toks[k].text):
        k += 1
        if k < n and toks[k].text == ",":
            k += 1
    # "has said", "will add", "had told": an auxiliary before the verb
    if (
        k + 1 < n
        and toks[k].kind == WORD
        and toks[k].lower in ("has", "have", "had", "will", "would", "later", "then", "also", "again")
        and is_speech_verb(toks[k + 1].text)
    ):
        return k + 1
    if k < n and (is_verb(toks[k]) or toks[k].lower in AUX or (present and _present_form(toks, k))):
        return k
    return None


_PLURALS = lx._words(
    "supporters aides voters officials advisers advisors allies critics leaders members staffers "
    "donors backers fans followers delegates lawmakers campaigns administrations policies years"
)


def _present_form(toks: list[Tok], k: int) -> bool:
    """A present-tense verb right after its subject ("Bivens hopes", "Trump appears"), not a plural noun
    ("Trump supporters")."""
    w = toks[k].text
    return (
        w[:1].islower()
        and len(w) > 3
        and w.endswith("s")
        and not w.endswith(("ss", "us", "is"))
        and w not in _PLURALS
        and w.lower() not in lx.GROUP_NOUNS
        and w.lower() not in lx.PERSON_NOUNS
        and k + 1 < len(toks)
        and toks[k + 1].kind != PUNCT
    )


def subject(a: Analysis, para: int, view: int | None, toks: list[Tok], s0: int, s1: int) -> Subject | None:
    """The grammatical subject of a sentence's main clause, when it is a person, a pronoun or a
    description, with its verb."""
    for c in candidates(a, para, view, toks, s0, s1):
        if c.kind in (ORGANISATION, RELATION, GROUP):
            continue
        if c.kind == PRONOUN and c.value not in lx.SUBJECT_PRONOUNS:
            continue
        if excluded(toks, c.i, c.end, s0) or subordinate(toks, c.i, s0) or object_of_verb(toks, c.i, s0):
            continue
        end = c.hit.tail if c.kind == NAME else c.j
        v = verb_after(toks, end, appositive=(c.kind == NAME), present=True)
        if v is None and c.kind == NAME:
            v = _joint_verb(a, para, view, toks, end, s1)
        if v is None and c.kind == DESC:
            v = _verb_after_attachment(toks, end, s1)  # "A spokesman for Platte River declined but said"
        if v is None and c.kind == NAME and end < s1 and toks[end].lower in ("at", "of", "from"):
            v = _verb_after_attachment(toks, end, s1)  # "Dan Lasky at the National Review agreed"
        if v is not None and v < s1:
            return Subject(c, v)
    return None


def _verb_after_attachment(toks: list[Tok], k: int, s1: int) -> int | None:
    """The verb after a description and what it belongs to: "a spokesman for the campaign said"."""
    if k < s1 and toks[k].kind == WORD and toks[k].lower in ("for", "of", "at", "with", "to", "from"):
        m = k + 1
        while m < s1 and m < k + 9 and toks[m].kind == WORD and not is_verb(toks[m]):
            m += 1
        if m < s1 and is_verb(toks[m]):
            return m
    return None


def _joint_verb(a: Analysis, para: int, view: int | None, toks: list[Tok], k: int, s1: int) -> int | None:
    """ "MEPs Anna Fotyga and Petras Auštrevičius assured …": the verb after the second name of a pair."""
    h = _name_after_and(a, para, view, toks, k)
    return verb_after(toks, h.tail, appositive=True) if h is not None else None


def _name_after_and(a: Analysis, para: int, view: int | None, toks: list[Tok], k: int):
    if k < len(toks) and toks[k].lower == "and":
        hits = a.hits_at.get((para, view), {})
        for m in (k + 1, k + 2):
            h = hits.get(m)
            if h is not None and h.ci == k + 1 and h.kind == PERSON and h.person:
                return h
    return None


def joint_partner(a: Analysis, para: int, view: int | None, toks: list[Tok], c: Candidate) -> Candidate | None:
    """The second person of "A and B said", if ``c`` is the first."""
    h = _name_after_and(a, para, view, toks, c.hit.tail)
    return Candidate(h.ci, h.j, NAME, h) if h is not None else None


__all__ = [
    "AUX",
    "DESC",
    "candidates",
    "excluded",
    "is_verb",
    "joint_partner",
    "possessive",
    "subject",
    "subordinate",
    "verb_after",
]
