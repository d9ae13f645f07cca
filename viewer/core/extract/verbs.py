"""Reporting verbs in any tense and position: "said", "says", "has said", "saying", "tweeted",
"заявила", "отмечает", "подчеркнув". English forms are reduced to their lemma by rule (with the
irregular ones listed); Russian forms by a morphological analyser (pymorphy3), loaded the first time a
Cyrillic word is asked about."""

from __future__ import annotations

from functools import lru_cache

from viewer.core import lexicon as lx

# Verbs whose subject says the words of a quote next to them.
SPEECH_LEMMAS = lx._words(
    """
    say tell add note remark comment state stress argue warn highlight underline point emphasise emphasize
    mention raise recall opine call share reiterate express ask answer reply respond urge insist suggest observe
    conclude explain claim declare admit acknowledge announce agree disagree propose recommend outline discuss
    report write continue describe illustrate cite quote address question assert contend echo underscore
    elaborate summarise summarize remind inform detail testify complain lament praise condemn denounce demand
    appeal invite encourage talk voice affirm confirm clarify counter object reveal interrupt interject exclaim
    whisper shout wonder predict promise vow pledge concede tweet post joke quip muse boast brag retort snap yell
    scream cry chant sing mutter grumble murmur recount characterize characterise dub label brand allege accuse
    charge deny maintain repeat offer chime caution advise assure reassure guarantee estimate reckon plead beg
    instruct thunder fume rail blast slam hammer mock tout hail lash speak thank welcome introduce present
    criticise criticize relate narrate begin open close sum text email message write blog read crack scoff gush
    sigh laugh chuckle rave groan sneer marvel list shoot remember proclaim bark tease taunt scold chide rebuke
    lecture snipe jab gripe fret lambast lambaste ridicule deride
    """
)
# Of those, the ones that are an act in a discussion rather than a report of words unless a clause or a
# quote follows them ("X opened the discussion", "X thanked the organisers", "Tokayev promised reforms").
ACT_LEMMAS = lx._words(
    """
    open close begin introduce present thank welcome raise share express address discuss describe outline
    illustrate cite quote question praise condemn denounce criticise criticize demand invite encourage voice
    promise vow pledge offer call label brand dub characterize characterise mock tout hail lash blast slam
    hammer accuse charge deny confirm reveal propose recommend sing chant post tweet text email message blog read
    lambast lambaste ridicule deride
    """
)
_IRREGULAR = {
    "said": "say",
    "told": "tell",
    "wrote": "write",
    "written": "write",
    "spoke": "speak",
    "spoken": "speak",
    "began": "begin",
    "begun": "begin",
    "sang": "sing",
    "sung": "sing",
    "read": "read",
    "thought": "think",
    "swore": "swear",
    "sworn": "swear",
    "shot": "shoot",
    "felt": "feel",
    "held": "hold",
    "meant": "mean",
    "cried": "cry",
    "replied": "reply",
    "denied": "deny",
    "testified": "testify",
    "clarified": "clarify",
    "emailed": "email",
    "texted": "text",
    "summed": "sum",
}


def english_lemma(word: str) -> str | None:
    """The speech lemma of an English verb form, if it is one ("added" -> "add", "says" -> "say")."""
    w = word.lower()
    if w in _IRREGULAR:
        lemma = _IRREGULAR[w]
        return lemma if lemma in SPEECH_LEMMAS else None
    if w in SPEECH_LEMMAS:
        return w
    for suffix, repl in (
        ("ies", "y"),
        ("ied", "y"),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("d", ""),
        ("ing", ""),
        ("ing", "e"),
    ):
        if w.endswith(suffix) and len(w) > len(suffix) + 1:
            stem = w[: -len(suffix)] + repl
            if stem in SPEECH_LEMMAS:
                return stem
            if (
                suffix in ("ed", "ing")
                and not repl
                and len(stem) > 2
                and stem[-1] == stem[-2]
                and stem[:-1] in SPEECH_LEMMAS
            ):
                return stem[:-1]  # quipped, admitting
    return None


# Russian reporting verbs, by lemma (perfective and imperfective).
RUSSIAN_LEMMAS = lx._words(
    """
    сказать говорить заявить заявлять отметить отмечать добавить добавлять подчеркнуть подчёркивать
    подчеркивать рассказать рассказывать напомнить напоминать ответить отвечать спросить спрашивать призвать
    призывать пояснить пояснять объяснить объяснять сообщить сообщать заметить замечать признать признавать
    признаться признаваться написать писать выступить выступать считать утверждать предупредить предупреждать
    вспомнить вспоминать уточнить уточнять констатировать резюмировать указать указывать заключить
    прокомментировать комментировать настаивать настоять возразить возражать пожаловаться жаловаться
    обратить обращать выразить выражать поделиться делиться процитировать цитировать воскликнуть
    """
)


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=4096)
def russian_lemma(word: str) -> str | None:
    """The lemma of a Russian reporting verb in any form ("заявила" -> "заявить"), else None."""
    for parse in _morph().parse(word.lower()):
        if parse.tag.POS in ("VERB", "INFN", "GRND", "PRTS") and parse.normal_form.replace("ё", "е") in {
            w.replace("ё", "е") for w in RUSSIAN_LEMMAS
        }:
            return parse.normal_form
    return None


@lru_cache(maxsize=8192)
def russian_common_noun(word: str) -> bool:
    """Is a capitalised Russian word a common word written with a capital only because it opens a sentence
    ("Модератором", "Адвокат"), not a name? Judged by the morphological dictionary."""
    parses = _morph().parse(word.lower())
    if not parses or not parses[0].is_known:
        return False
    tags = {"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"}
    return not any(tags & set(p.tag.grammemes) for p in parses[:3]) and parses[0].tag.POS in (
        "NOUN",
        "ADJF",
        "ADVB",
        "PREP",
        "CONJ",
        "PRCL",
    )


@lru_cache(maxsize=8192)
def russian_lemma_of(word: str) -> str:
    """The dictionary form of a Russian word ("издания" -> "издание")."""
    parses = _morph().parse(word.lower())
    return parses[0].normal_form if parses else word.lower()


def _cyrillic(word: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in word)


@lru_cache(maxsize=8192)
def speech_lemma(word: str) -> str | None:
    """The reporting verb a lower-case word is a form of, in English or Russian; None if it is none.
    "Said" and "Says" opening a sentence ("Said Comey, “…”") count too."""
    if word in ("Said", "Says", "Added", "Asked", "Wrote"):
        word = word.lower()
    if not word or not word[:1].islower():
        return None
    if _cyrillic(word):
        return russian_lemma(word)
    return english_lemma(word)


def is_speech_verb(word: str) -> bool:
    return speech_lemma(word) is not None


def reports_words(word: str) -> bool:
    """A verb that reports words whatever follows it ("said", "stressed"), not only an act in a
    discussion ("opened", "thanked", "promised")."""
    lemma = speech_lemma(word)
    return lemma is not None and lemma not in ACT_LEMMAS


def is_past_or_present(word: str) -> bool:
    """A finite form ("said", "says", "заявила"), not an infinitive or "-ing" form."""
    w = word.lower()
    if _cyrillic(w):
        return any(p.tag.POS == "VERB" for p in _morph().parse(w))
    return w.endswith(("ed", "s")) or w in _IRREGULAR
