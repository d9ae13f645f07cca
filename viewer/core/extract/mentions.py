"""Mentions: the capitalised names of a document sorted into people (with honorifics, particles, titles
after the name and all-caps surnames), organisations, instruments, places and acronyms; then the people
the document talks about, one record per person whatever the spelling."""

from __future__ import annotations

import re
from collections import Counter

from viewer.core import lexicon as lx
from viewer.core.extract.given_names import gender_of
from viewer.core.extract.model import ACRONYM, ORG, OTHER, PERSON, PLACE, Analysis, NameHit, XPerson
from viewer.core.extract.segment import QUOTED, WORD, Tok
from viewer.core.extract.subjects import excluded, object_of_verb, possessive, verb_after
from viewer.core.extract.verbs import is_speech_verb, russian_common_noun, speech_lemma
from viewer.core.names import near_spellings
from viewer.core.text import fold, romanisation_key

STARTERS = lx._words(
    """
    The A An In On At As After Before Following During While When However Instead Hence Among Besides Since
    This That These Those It He She They We I His Her Their Our Its My Your You Talking Commenting Speaking
    Read Get Final Finally Also And But Or So Yet For Of To By With From Thus Therefore Meanwhile Moreover
    Furthermore Although Though If Whereas Unless Until Once Because Why What Who Which Where How Here There
    Today Now Then Please Yes No Not Asked According Despite Unlike Like Whether Even Only Just Both Either
    Neither Under Over Through Throughout Within Without Against Between Per Via Do Does Did Is Are Was Were
    Another Other Former Then-candidate Outgoing Incoming Late Acting Interim Retired Celebrities Celebrity Actor
    Actress
    Singer Rapper Comedian Billionaire Businessman Businesswoman Still Nonetheless Nevertheless Indeed Otherwise
    Later Earlier Afterwards Overall Again Instead Likewise Similarly Separately Ultimately
    """
)
# Capitalised titles before a name ("Senate Majority Leader Mitch McConnell", "Press Secretary Josh
# Earnest"): never a name themselves; the words after the last of them are the person.
ROLE_TITLE_WORDS = lx._words(
    "Director President Chairman Chairwoman Chair Head Member Minister Senior Lecturer Professor Secretary Deputy "
    "Representative Special Ambassador Founder Coordinator Editor Rapporteur Commissioner Vice General Executive "
    "Chief Officer Spokesperson Advisor Adviser Researcher Fellow Associate Assistant Former"
)
TITLE_WORDS = ROLE_TITLE_WORDS | lx._words(
    "Spokesman Spokeswoman Leader Manager Governor Senator Mayor Speaker Judge Justice Attorney Candidate "
    "Nominee Strategist Pollster "
    "Chancellor Prosecutor Congressman Congresswoman Lawmaker Councillor Councilman Councilwoman Correspondent "
    "Anchor Host Columnist Commentator Analyst Economist Lieutenant Colonel Captain Sergeant Admiral Commander "
    "Sheriff Treasurer Whip Majority Minority Press Campaign Communications Policy Counsel Consultant Organizer "
    "Organiser Activist Lawyer Journalist Reporter Writer Author Coach CEO SEAL Marine Veteran Navy"
)
CONNECTORS = frozenset({"of", "for", "and", "on", "the", "in", "&"}) | lx.NAME_PARTICLES
_ACRONYM_RE = re.compile(r"^[A-ZА-Я][A-ZА-Я0-9]{1,6}s?$")
_CAPS_SURNAME = re.compile(r"^[A-ZА-ЯЁҚҒҢӨҰҮҺӘІ][A-ZА-ЯЁҚҒҢӨҰҮҺӘІ'’-]{2,}$")
_INITIAL = re.compile(r"^[A-ZА-Я]\.$")
_MONTH_SURNAMES = frozenset(("May", "June", "Jun", "April", "August"))
_INITIALS = re.compile(r"^(?:[A-ZА-Я]\.){2,3}$")
_PLACE_INITIALS = frozenset("U.S. U.K. D.C. U.N. E.U. L.A. N.Y. N.J. N.C. S.C. N.H. N.D. S.D. N.M. R.I. W.V.".split())
# Reporting verbs that open a sentence before a name ("Said Comey, “…”").
_OPENING_VERBS = lx._words("Said Says Added Asked Wrote Told Noted Recalled Explained")
# Party words before a name ("Republican Donald Trump") are not part of it.
_PARTY_WORDS = lx._words("Republican Republicans Democrat Democrats Democratic GOP Tory Labour Socialist Communist")
# Month names that are also given names when a name follows ("April Mellody", "Jan Novak").
_MONTH_NAMES = lx._words("Jan April May June August Summer Autumn Winter")
EVENT_BY = [
    (re.compile(r"\bco-?(?:hosted|organi[sz]ed|chaired)\s+by\s*$", re.I), "co-host"),
    (re.compile(r"\b(?:hosted|organi[sz]ed|convened)\s+by\s*$", re.I), "host"),
    (re.compile(r"\b(?:moderated|facilitated)\s+by\s*$", re.I), "moderator"),
    (re.compile(r"\bchaired\s+by\s*$", re.I), "chair"),
    (re.compile(r"\bмодератор(?:ом)?\s+(?:выступил[аи]?|был[аи]?|стал[аи]?)\s*$", re.I), "moderator"),
    (re.compile(r"\bведущ(?:ий|ая|им|ей)\s+(?:выступил[аи]?|был[аи]?)?\s*$", re.I), "host"),
]


def _cyrillic(word: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in word)


def _sentence_start(toks: list[Tok], i: int) -> bool:
    return i == 0 or toks[i - 1].text in (".", "!", "?", "…", ":", "–", "—") or toks[i - 1].kind == QUOTED


def is_acronym(word: str) -> bool:
    return bool(_ACRONYM_RE.match(word)) and word not in lx.NON_ENTITY_ACRONYMS


def namelike(word: str) -> bool:
    """A word that can be part of a person's name written in the usual case."""
    if _INITIAL.match(word):
        return True
    if _ACRONYM_RE.match(word):
        return False
    if not word[:1].isupper() or word in lx.COMMON_CAPITALISED or word in lx.MONTHS_SEASONS:
        return False
    if word in lx.PLACES or word.lower() in lx.DEMONYMS or word in lx.ORG_WORDS or word in lx.INSTRUMENT_WORDS:
        return False
    if word in TITLE_WORDS or word in lx.POST_TITLES or word in _PARTY_WORDS:
        return False
    if is_acronym(word) or word.isupper() and len(word) > 1:
        return False
    return any(c.islower() for c in word[1:]) or len(word) == 1


def _caps_surname(word: str) -> bool:
    return (
        bool(_CAPS_SURNAME.match(word))
        and word not in lx.KNOWN_ACRONYMS
        and word not in lx.NON_ENTITY_ACRONYMS
        and word.capitalize() not in lx.ORG_WORDS
        and word.capitalize() not in lx.COMMON_CAPITALISED
        and word.capitalize() not in lx.PLACES
        and len(word) >= 4
    )


def _name_word(toks: list[Tok], k: int, i: int, j: int) -> bool:
    """Is token ``k`` of the run ``i:j`` part of a person's name: a name-like word, a month that is a
    given name before a name, or an all-caps surname beside a name-like word ("Sergey LAGODINSKY")."""
    w = toks[k].text
    if namelike(w):
        return True
    if w in _MONTH_NAMES and k + 1 < j and namelike(toks[k + 1].text) and toks[k + 1].text not in _MONTH_NAMES:
        return True
    if _INITIALS.match(w) and w not in _PLACE_INITIALS and k + 1 < j and namelike(toks[k + 1].text):
        return True  # "G.K. Butterfield"
    if (
        w in _MONTH_SURNAMES
        and k > i
        and namelike(toks[k - 1].text)
        and not (k + 1 < len(toks) and toks[k + 1].text[:1].isdigit())
    ):
        return True  # a surname that is also a month: "Ai Jun", "Theresa May"
    if _caps_surname(w):
        return (k > i and namelike(toks[k - 1].text)) or (k + 1 < j and namelike(toks[k + 1].text))
    return False


def display_form(surface: str) -> str:
    """A name as a record shows it: all-caps surnames in title case ("Sergey Lagodinsky")."""
    words = surface.split()
    if len(words) > 1 and any(not w.isupper() for w in words):
        return " ".join(w.capitalize() if _caps_surname(w) else w for w in words)
    return surface


def find_runs(toks: list[Tok]) -> list[tuple[int, int]]:
    """Maximal runs of capitalised words, joined by connectors (of, for, de, van...) only
    when a capitalised word follows."""
    runs = []
    i, n = 0, len(toks)
    while i < n:
        if toks[i].is_cap:
            j = i + 1
            while j < n:
                if toks[j].is_cap and toks[j].start - toks[j - 1].end <= 1:
                    j += 1
                elif toks[j].kind == WORD and toks[j].lower in CONNECTORS and j + 1 < n and toks[j + 1].is_cap:
                    j += 2
                elif (
                    toks[j].kind == WORD
                    and toks[j].lower in CONNECTORS
                    and j + 2 < n
                    and toks[j + 1].kind == WORD
                    and toks[j + 1].lower in CONNECTORS
                    and toks[j + 2].is_cap
                ):
                    j += 3
                else:
                    break
            runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


# ---------------------------------------------------------------------------- acronyms


def find_acronyms(a: Analysis) -> None:
    """ "Open Dialogue Foundation (ODF)" and "“Democratic Choice of Kazakhstan” (DCK)"."""
    pat = re.compile(
        r"((?:[“\"]?[A-Z][\w’'-]*[”\"]?\s+(?:(?:of|for|and|the|on|in|de)\s+)*){1,9})\(([A-Z][A-Za-z0-9]{1,7})\)"
    )
    for p in a.paragraphs:
        for m in pat.finditer(p.text):
            words = re.sub(r"[“”\"«»„]", "", m.group(1)).split()
            acr = m.group(2)
            caps = [w for w in words if w[:1].isupper()]
            # the shortest tail of capitalised words whose initials spell the acronym
            for k in range(len(caps), 0, -1):
                tail = caps[-k:]
                initials = "".join(w[0] for w in tail).upper()
                if initials == acr.upper().rstrip("S") or (
                    initials.startswith(acr[0]) and len(tail) >= len(acr) - 1 and _subseq(acr.upper(), initials)
                ):
                    start = words.index(tail[0])
                    a.acronyms.setdefault(acr, " ".join(words[start:]).strip())
                    break


def _subseq(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


# ---------------------------------------------------------------------------- names


def find_names(a: Analysis) -> None:
    for p in a.paragraphs:
        for vi, toks in p.views.items():
            headline = _title_cased(toks)
            for i, j in find_runs(toks):
                for x, y in _headline_clauses(toks, i, j) if headline else [(i, j)]:
                    _classify_run(a, p.index, vi, toks, x, y)
    for h in a.hits:
        a.hits_at.setdefault((h.para, h.view), {})[h.i] = h


def _title_cased(toks: list[Tok]) -> bool:
    """A headline written in title case ("Right After This Senator Endorsed Trump, The Party Did This")."""
    words = [t for t in toks if t.kind == WORD and t.text[:1].isalpha()]
    return len(words) >= 5 and sum(t.is_cap for t in words) >= 0.8 * len(words)


_HEADLINE_VERBS = lx._words(
    "says tells defends endorses attacks slams blasts backs rips warns urges praises hits calls denies responds "
    "admits announces accuses vows demands pushes wins loses leads joins quits meets visits rejects"
)


def _headline_clauses(toks: list[Tok], i: int, j: int) -> list[tuple[int, int]]:
    """A run of a title-case headline cut at its verbs: "Senator Endorsed Trump" is a senator, a verb and
    Trump, not a person called "Endorsed Trump"."""
    out, start = [], i
    for k in range(i, j):
        w = toks[k].text
        lower = w.lower()
        past = (is_speech_verb(lower) and speech_lemma(lower) != lower) or (len(w) >= 6 and lower.endswith("ed"))
        if k > i and (lower in _HEADLINE_VERBS or (past and lower.endswith("ed") and not gender_of(w))):
            if start < k:
                out.append((start, k))
            start = k + 1
    if start < j:
        out.append((start, j))
    return out


def _opening_adverb(toks: list[Tok], i: int) -> bool:
    """ "Clearly", "Separately" opening a sentence; within a sentence a capitalised word in -ly is a name
    ("said Skelly"), and so is a given name ("Kelly Ayotte said")."""
    w = toks[i].text
    after_quote = (
        i > 0
        and toks[i - 1].kind == QUOTED
        and not (  # '“….” Specifically, he' opens a sentence
            toks[i - 1].text.rstrip("\"”’'")[-1:] in ".!?" and i + 1 < len(toks) and toks[i + 1].text == ","
        )
    )
    return (
        w.endswith("ly") and lx.is_adverb(w) and _sentence_start(toks, i) and not after_quote and gender_of(w) is None
    )


def _classify_run(a: Analysis, pi: int, vi: int | None, toks: list[Tok], i: int, j: int) -> None:
    text = a.paragraphs[pi].text
    ci = i
    # leading sentence words ("Following", "The") and honorifics
    while i < j and (
        toks[i].text in STARTERS
        or (i == ci and _opening_adverb(toks, i))
        or (
            i == ci
            and _sentence_start(toks, i)
            and _cyrillic(toks[i].text)
            and russian_common_noun(toks[i].text)
            and toks[i].lower not in lx.PERSON_NOUNS
        )
        or (i == ci and _sentence_start(toks, i) and toks[i].text in _OPENING_VERBS)
        or (i == ci and _sentence_start(toks, i) and toks[i].lower in lx.GROUP_NOUNS)
    ):  # "Critics said"
        i += 1
        ci = i
    # "Адвокат Ерлан Жумабаев", "Lawyer Anna Berg": a person noun opening a run of names is a description
    if not any(toks[k].text in lx.ORG_WORDS or toks[k].text in lx.INSTRUMENT_WORDS for k in range(i, j)):
        while i < j - 1 and toks[i].lower in lx.PERSON_NOUNS and toks[i].lower not in lx.HONORIFICS:
            i += 1
            ci = i
    honorific = None
    while i < j - 1 and toks[i].bare in lx.HONORIFICS and toks[i + 1].is_cap:
        honorific = lx.HONORIFICS[toks[i].bare]
        i += 1
    # honorific just before the run ("the MEP Petras ...", lower-case "ambassador X")
    if (
        honorific is None
        and ci > 0
        and toks[ci - 1].kind == WORD
        and toks[ci - 1].lower in lx.HONORIFICS
        and toks[ci - 1].lower not in ("father", "sister", "general", "advocate", "secretary", "deputy")
    ):
        honorific = lx.HONORIFICS[toks[ci - 1].lower]
        ci -= 1
    while j > i and toks[j - 1].lower in CONNECTORS:
        j -= 1
    if i >= j:
        return
    # "Senate Majority Leader Mitch McConnell", "Former Secretary of State Madeleine Albright": the
    # name after the last title word is a person; what comes before is their title
    person_at, title_honorific = _name_after_titles(toks, i, j)
    if person_at is not None and person_at > i:
        _add_people(a, pi, vi, toks, person_at, j, person_at - (title_honorific is not None), title_honorific)
        j = person_at
        while j > i and (_title(toks[j - 1]) or toks[j - 1].lower in CONNECTORS):
            j -= 1
        if i >= j or not any(toks[k].text in lx.ORG_WORDS for k in range(i, j)):
            return  # "Agriculture Secretary Tom Vilsack": the words before the title are the title's
    words = [t.text for t in toks[i:j]]
    phrase = text[toks[i].start : toks[j - 1].end]
    if (
        2 <= j - i <= 3
        and gender_of(words[0])
        and all(
            _name_word(toks, k, i, j)
            or toks[k].text in lx.INSTRUMENT_WORDS
            or toks[k].text in lx.ORG_WORDS
            or toks[k].text in lx.PLACES
            for k in range(i, j)
        )
        and not any(w in lx.ORG_WORDS for w in words[1:])
    ):
        # "Bill Frelick", "Joe Madison": a common given name makes a person of words that could name a thing
        a.hits.append(NameHit(pi, vi, i, j, ci, toks[i].start, toks[j - 1].end, phrase, PERSON, honorific))
        return
    if phrase in lx.PLACES or phrase in lx.COUNTRIES or (j - i > 1 and words[0] in _PLACE_HEADS):
        a.hits.append(NameHit(pi, vi, i, j, ci, toks[i].start, toks[j - 1].end, phrase, PLACE))
        return
    of = next((x for x in range(i + 2, min(j, i + 6)) if toks[x].lower == "of"), None)
    if (
        of is not None
        and gender_of(words[0])
        and all(
            _name_word(toks, k, i, of) or toks[k].text in lx.INSTRUMENT_WORDS or toks[k].bare in _SUFFIX_WORDS
            for k in range(i, of)
        )
    ):
        where = text[toks[of + 1].start : toks[j - 1].end] if of + 1 < j else ""
        org_at = of + 2 if of + 2 < j and toks[of + 1].lower == "the" else of + 1
        if org_at < j and any(toks[k].text in lx.ORG_WORDS for k in range(org_at, j)):
            kind = ORG  # "Adm. Harry B. Harris Jr. of the Pacific Command": a person of an organisation
        elif where in lx.PLACES or where in lx.COUNTRIES:
            kind, org_at = PLACE, of + 1  # "Bill Richards of New Mexico": a person from a place ("Bill" a law)
        else:
            kind = None
        if kind is not None:
            name_end = of
            while name_end > i + 1 and toks[name_end - 1].bare in _SUFFIX_WORDS:
                name_end -= 1
            person = text[toks[i].start : toks[name_end - 1].end]
            a.hits.append(
                NameHit(pi, vi, i, name_end, ci, toks[i].start, toks[name_end - 1].end, person, PERSON, honorific)
            )
            other = text[toks[org_at].start : toks[j - 1].end]
            a.hits.append(NameHit(pi, vi, org_at, j, org_at, toks[org_at].start, toks[j - 1].end, other, kind))
            return
    if any(w in lx.ORG_WORDS for w in words) or any(w in lx.INSTRUMENT_WORDS for w in words):
        # "Director of the ... Bureau": the title is the person's, the rest is the organisation
        while i < j - 2 and toks[i].text in TITLE_WORDS:
            i += 1
            while i < j and toks[i].lower in CONNECTORS:
                i += 1
        words = [t.text for t in toks[i:j]]
        phrase = text[toks[i].start : toks[j - 1].end]
        if (
            len(words) == 1
            and words[0] in lx.INSTRUMENT_WORDS
            and j < len(toks)
            and toks[j].text[:1].islower()
            and is_speech_verb(toks[j].text)
        ):
            # a law does not speak: "“…,” Law said" is a person of that name (Steven Law)
            a.hits.append(NameHit(pi, vi, i, j, ci, toks[i].start, toks[j - 1].end, phrase, PERSON, honorific))
            return
        if len(words) == 1 and words[0] in _NAMED_ORGS:
            # "reported Reuters": one word that names one organisation (not a platform: "on Facebook")
            a.hits.append(NameHit(pi, vi, i, j, ci, toks[i].start, toks[j - 1].end, phrase, ORG))
            return
        if len(words) == 1 and not is_acronym(words[0]):
            return  # "Regime", "Council" alone name nothing in particular
        kind = ORG if any(w in lx.ORG_WORDS for w in words) else OTHER
        a.hits.append(NameHit(pi, vi, i, j, ci, toks[i].start, toks[j - 1].end, phrase, kind))
        return
    _add_people(a, pi, vi, toks, i, j, ci, honorific)


_PLACE_HEADS = frozenset(("Lake", "Mount", "Mt.", "Fort", "Cape", "Port", "Camp"))  # "Lake Winola" is a place
_SUFFIX_WORDS = frozenset(("jr", "sr", "ii", "iii", "iv"))
_NAMED_ORGS = frozenset(
    ("Reuters", "Amnesty", "Times", "Post", "Journal", "Guardian", "Economist", "Telegraph", "Politico", "Bloomberg")
)


def _title(tok: Tok) -> bool:
    return tok.text in TITLE_WORDS or (tok.text.endswith(".") and tok.bare in lx.HONORIFICS)


def _name_after_titles(toks: list[Tok], i: int, j: int) -> tuple[int | None, str | None]:
    """Where the person starts in a run that ends with title words and a name ("Press Secretary Josh
    Earnest", "Florida Gov. Jeb Bush"), and the honorific right before it; (None, None) otherwise."""
    last = None
    for k in range(i, j):
        if _title(toks[k]):
            last = k
    if last is None or last + 1 >= j:
        return None, None
    tail = range(last + 1, j)
    if (
        1 <= len(tail) <= 4
        and all(_name_word(toks, k, last + 1, j) or toks[k].lower in lx.NAME_PARTICLES for k in tail)
        and not any(toks[k].text in lx.ORG_WORDS for k in tail)
    ):
        honorific = lx.HONORIFICS.get(toks[last].bare)
        return last + 1, honorific
    return None, None


def _add_people(
    a: Analysis, pi: int, vi: int | None, toks: list[Tok], i: int, j: int, ci: int, honorific: str | None
) -> None:
    """Split a run at connectors and acronyms; what is left are person candidates."""
    text = a.paragraphs[pi].text
    k = i
    while k < j:
        w = toks[k].text
        if is_acronym(w) and not _name_word(toks, k, i, j):
            a.hits.append(NameHit(pi, vi, k, k + 1, k, toks[k].start, toks[k].end, w, ACRONYM))
            k += 1
            continue
        if not _name_word(toks, k, i, j):
            k += 1
            continue
        m = k + 1
        while m < j and (
            _name_word(toks, m, i, j)
            or (toks[m].lower in lx.NAME_PARTICLES and m + 1 < j and namelike(toks[m + 1].text))
        ):
            m += 1
        if m - k > 4:
            # "Maricopa County Recorder Helen Purcell": the name is the tail from its given name
            given = [x for x in range(k + 1, m - 1) if gender_of(toks[x].text) and m - x <= 4]
            if given:
                k = given[-1]
        if m - k <= 4 and not all(_INITIAL.match(toks[x].text) for x in range(k, m)):
            hon = honorific if k == i else None
            hci = ci if k == i else k
            post, tail = None, m
            after = toks[m] if m < len(toks) else None
            if after is not None and after.text in lx.POST_TITLES:
                post, tail = after.text, m + 1
                if tail < len(toks) and toks[tail].text == "." and toks[tail].start == after.end:
                    tail += 1  # "Jr." written with its full stop
            if hon is None and post in ("MP", "MEP"):
                hon = post  # "Marcin Swiecicki MP"
            a.hits.append(
                NameHit(
                    pi,
                    vi,
                    k,
                    m,
                    hci,
                    toks[k].start,
                    toks[m - 1].end,
                    text[toks[k].start : toks[m - 1].end],
                    PERSON,
                    hon,
                    post=post,
                    tail=tail,
                )
            )
        k = m


# ---------------------------------------------------------------------------- people


def evidence(a: Analysis, h: NameHit) -> bool:
    """Does the context say this capitalised name is a person's?"""
    p = a.paragraphs[h.para]
    toks = p.views[h.view]
    if h.honorific or h.post in ("MP", "MEP", "QC", "KC", "Jr.", "Sr.", "Jr", "Sr"):
        return True
    prev = toks[h.ci - 1] if h.ci > 0 else None
    prev2 = toks[h.ci - 2] if h.ci > 1 else None
    if (
        prev is not None
        and prev.kind == WORD
        and (prev.lower in lx.PERSON_NOUNS or prev.text in TITLE_WORDS or prev.lower.rstrip("s") in lx.PERSON_NOUNS)
    ):
        return True  # "lawyer Anna X", "MEPs Greta Lindholm and …"
    if prev is not None and prev.text == "," and prev2 is not None and prev2.lower in lx.PERSON_NOUNS:
        return True
    before = p.text[max(0, toks[h.ci].start - 40) : toks[h.ci].start]
    if any(pat.search(before) for pat, _ in EVENT_BY) or re.search(
        r"\binterview(?:ed)?\s+(?:with|to)\s*$", before, re.I
    ):
        return True
    words = h.text.split()
    if len(words) > 1 and gender_of(words[0]):
        return True  # "Hillary Clinton": a common given name before a surname
    if (
        len(words) > 1
        and prev is not None
        and is_speech_verb(prev.text)
        and prev2 is not None
        and (prev2.kind == QUOTED or prev2.text == ",")
    ):
        return True  # "“…,” said Mona Lamberson"
    if (
        prev is not None
        and is_speech_verb(prev.text)
        and prev.text[:1].islower()
        and prev2 is not None
        and prev2.text == ","
        and h.tail + 1 < len(toks)
        and toks[h.tail].text in (",", ":")
        and toks[h.tail + 1].kind == QUOTED
    ):
        return True  # "But, said Solovey, “…”"
    if (
        len(words) > 1
        and prev is not None
        and prev.text in ("—", "―", "–")
        and prev2 is not None
        and prev2.kind == QUOTED
    ):
        return True  # "“…” ― Franco Herrero": a live blog's byline after a quote
    back = toks[max(0, h.ci - 8) : h.ci] if len(words) > 1 else []
    for x, t in enumerate(back):
        if (
            is_speech_verb(t.text)
            and x > 0
            and (back[x - 1].kind == QUOTED or back[x - 1].text == ",")
            and all(u.kind == WORD or u.text in ("’", "'") for u in back[x + 1 : -1])
            and (back[-1].kind == WORD or back[-1].text == ",")  # "said another Twitter user, Johanna Bayer"
        ):
            return True  # "“…,” said master of ceremonies Asab Al-Tabchi"
    nj = h.tail
    if possessive(toks, nj) or (h.j - h.i == 1 and excluded(toks, h.ci, h.j, 0)):
        return False
    if nj < len(toks) and toks[nj].text == ",":
        seg = [t for t in toks[nj + 1 : nj + 8] if t.kind == WORD]
        if any(t.lower in lx.PERSON_NOUNS for t in seg):
            return True
        if len(words) > 1 and seg and seg[0].text.isdigit() and nj + 2 < len(toks) and toks[nj + 2].text == ",":
            return True  # "Renee Gold, 83, of Sarasota"
    if len(words) > 1 and nj < len(toks) and toks[nj].lower in ("of", "from", "at", "with"):
        m = nj + 1
        while m < len(toks) and m < nj + 8 and toks[m].kind == WORD and (toks[m].is_cap or toks[m].lower in CONNECTORS):
            m += 1
        if m > nj + 1 and verb_after(toks, m, appositive=True) is not None:
            return True  # "Holger Schmieding of Berenberg, Germany's largest private bank, warned"
    return verb_after(toks, nj, appositive=h.j - h.i > 1) is not None


def register_people(a: Analysis) -> None:
    persons = [h for h in a.hits if h.kind == PERSON]
    # people with evidence, longest names first so "Nursultan Nazarbayev" anchors "Nazarbayev"
    for h in sorted(persons, key=lambda h: (-(h.j - h.i), h.para, h.start)):
        if evidence(a, h):
            h.evidence = True
            person_for(a, h, create=True)
    _drop_sentence_words(a, persons)
    persons += _places_that_speak(a)
    _merge_variants(a, persons)
    for h in persons:
        if not h.person:
            person_for(a, h, create=False)
    _by_recency(a, persons)
    for h in persons:
        if h.person:
            note_form(a, h)


def _places_that_speak(a: Analysis) -> list[NameHit]:
    """A place's name that is also the surname of a person named in full, right before a reporting verb
    ("Rep. Jim Jordan … “…,” Jordan said"), is that person."""
    surnames = {p.surname for p in a.people.values() if p.first}
    found = []
    for h in a.hits:
        if h.kind != PLACE or h.j - h.i != 1 or fold(h.text) not in surnames:
            continue
        toks = a.paragraphs[h.para].views[h.view]
        if h.j < len(toks) and toks[h.j].text[:1].islower() and is_speech_verb(toks[h.j].text):
            h.kind = PERSON
            found.append(h)
    return found


def _by_recency(a: Analysis, persons: list[NameHit]) -> None:
    """A surname shared by several people ("Clinton" with Bill and Hillary Clinton in the text) is the
    one whose full name came last before it, as a reader takes it; with none before it, the one the
    text names far more often (three times or more). An honorific's gender must agree ("Mrs. Clinton")."""
    full = sorted((h for h in persons if h.person and h.j - h.i > 1), key=lambda h: (h.para, h.start))
    counts = Counter(h.person for h in full)
    for h in persons:
        if h.person or h.j - h.i != 1:
            continue
        surname = fold(display_form(h.text))
        same = {p.key for p in a.people.values() if p.surname == surname or surname in p.variants}
        if len(same) < 2:
            continue
        g = lx.HONORIFIC_GENDER.get(h.honorific or "")
        if g:
            same = {k for k in same if a.people[k].gender in (g, None)}
        before = [f for f in full if f.person in same and (f.para, f.start) < (h.para, h.start)]
        # a full name in passing ("a photo of Heidi Cruz", "Heidi Cruz’s") does not take the surname over
        acting = [f for f in before if not _in_passing(a, f)]
        if acting or before:
            h.person = (acting or before)[-1].person
            continue
        ranked = sorted(same, key=lambda k: -counts[k])
        if not ranked:
            continue
        if len(ranked) == 1 or counts[ranked[0]] >= 3 * max(1, counts[ranked[1]]):
            h.person = ranked[0]


def _in_passing(a: Analysis, h: NameHit) -> bool:
    toks = a.paragraphs[h.para].views[h.view]
    addressed = h.ci >= 1 and toks[h.ci - 1].kind == WORD and speech_lemma(toks[h.ci - 1].text) in _ADDRESSING
    # "Dorothy Woods, whose husband, Navy SEAL Ty Woods, was …": someone's relative, named in passing
    c = h.ci
    while c > 0 and h.ci - c < 3 and toks[c - 1].kind == WORD and toks[c - 1].is_cap:
        c -= 1  # past a title ("Navy SEAL")
    relative = c >= 3 and toks[c - 1].text == "," and toks[c - 3].lower in ("whose", "his", "her", "their")
    return (
        possessive(toks, h.j) or excluded(toks, h.ci, h.j, 0) or object_of_verb(toks, h.ci, 0) or addressed or relative
    )


# reporting verbs whose object is the person spoken to or of, not the speaker ("accused Rafael Cruz of …")
_ADDRESSING = lx._words(
    "accuse praise criticise criticize condemn denounce thank blast slam mock lash hammer tell ask urge warn "
    "invite welcome congratulate attack"
)


def _drop_sentence_words(a: Analysis, persons: list[NameHit]) -> None:
    """A one-word "person" the text only ever writes at the start of a sentence, with no honorific, given
    name or description, and also writes in lower case elsewhere, is a common word ("Review of the cases
    noted …" with "the review was published"), not a name."""
    lower_words = {t.lower for p in a.paragraphs for t in p.views[None] if t.kind == WORD and t.text[:1].islower()}
    by_person: dict[str, list[NameHit]] = {}
    for h in persons:
        if h.person:
            by_person.setdefault(h.person, []).append(h)
    for key, hits in by_person.items():
        p = a.people[key]
        if p.first or any(h.honorific or h.post for h in hits):
            continue
        toks = [a.paragraphs[h.para].views[h.view] for h in hits]
        starts = all(_sentence_start(t, h.ci) and h.ci == h.i for t, h in zip(toks, hits))
        described = any(h.j < len(t) and t[h.j].text in (",", "(") for t, h in zip(toks, hits))
        if starts and not described and p.surname in lower_words:
            for h in hits:
                h.person = None
            del a.people[key]


def note_form(a: Analysis, h: NameHit) -> None:
    """Count a hit's spelling and honorific for its person."""
    p = a.people[h.person]
    p.forms[display_form(h.text)] += 1
    if h.honorific:
        p.honorifics[h.honorific] += 1
        if p.gender is None and h.honorific in lx.HONORIFIC_GENDER:
            p.gender = lx.HONORIFIC_GENDER[h.honorific]
    if (h.para, h.start) < p.first_seen and h.view is None:
        p.first_seen = (h.para, h.start)


def _merge_variants(a: Analysis, persons: list[NameHit]) -> None:
    """A one-word name one or two letters away from a better attested one is a spelling
    variant of it ("Nazabaryev" for "Nazarbayev"): merge into the one seen more often."""
    seen = Counter(h.person for h in persons if h.person)
    singles = [p for p in a.people.values() if p.first is None]
    for p in sorted(singles, key=lambda p: seen[p.key]):
        if len(p.surname) < 7:
            continue
        mine = romanisation_key(p.surname)
        near = [
            q
            for q in a.people.values()
            if q is not p
            and q.key in a.people
            and seen[q.key] >= seen[p.key]
            and near_spellings(mine, romanisation_key(q.surname))
        ]
        if len(near) != 1:
            continue
        target = near[0]
        target.variants.add(p.surname)
        for h in persons:
            if h.person == p.key:
                h.person = target.key
        del a.people[p.key]


def _name_words(text: str) -> list[str]:
    return [fold(w) for w in display_form(text).split() if not _INITIAL.match(w) or len(text.split()) <= 2]


def person_for(a: Analysis, h: NameHit, create: bool) -> str | None:
    """The person a name hit refers to, by surname and given name; a new person when ``create`` and
    nobody matches. A name that fits two people is linked to neither (and noted)."""
    words = _name_words(h.text) or [fold(h.text)]
    surname, first = words[-1], (words[0] if len(words) > 1 else None)
    match = [
        p
        for p in a.people.values()
        if (p.surname == surname or surname in p.variants)
        and (first is None or p.first in (None, first) or _initial_of(first, p.first))
    ]
    if len(match) > 1:
        exact = [p for p in match if p.first == first]
        match = exact if len(exact) == 1 else match
    if len(match) > 1 and first is None and h.honorific in lx.HONORIFIC_GENDER:
        # "Mrs. Clinton" with Hillary and Bill Clinton in the text
        g = lx.HONORIFIC_GENDER[h.honorific]
        gendered = [p for p in match if p.gender == g or (p.gender is None and gender_of((p.first or "").title()) == g)]
        match = gendered if len(gendered) == 1 else match
    if len(match) == 1:
        p = match[0]
        if first and p.first is None:
            p.first = first
        h.person = p.key
        return p.key
    if len(match) > 1:
        a.notes.append(f"“{h.text}” could be {' or '.join(sorted(p.key for p in match))}; not linked")
        return None
    if not create:
        return None
    key = " ".join(words)
    while key in a.people:
        key += "'"
    person = XPerson(key=key, surname=surname, first=first)
    if first:
        person.gender = gender_of(display_form(h.text).split()[0])
    a.people[key] = person
    h.person = key
    return key


def _initial_of(first: str, other: str | None) -> bool:
    """ "j." and "john": an initial agrees with a given name."""
    if other is None:
        return False
    return (len(first.rstrip(".")) == 1 and other.startswith(first.rstrip("."))) or (
        len(other.rstrip(".")) == 1 and first.startswith(other.rstrip("."))
    )


def link_hits(a: Analysis) -> None:
    """Names seen before their person was known from a turn ("Participants: Eva Lindqvist")."""
    for h in a.hits:
        if h.kind == PERSON and not h.person and person_for(a, h, create=False):
            note_form(a, h)
