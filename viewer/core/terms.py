"""Terms: the meaningful words of a text, counted with their inflections grouped.

One definition shared by the build (which stores the counts) and the statistics read side (which
counts a document or a speaker's passages on demand), so the two always agree:

* a *token* is a run of letters (any script), joined by inner apostrophes (``tokens.TERM_RE``); digits
  and hyphens split tokens ("so-called" is "so" and "called"), numbers are not terms (they are key figures);
* a token is dropped when it is a stop word (English, Russian, Kazakh function words and the verbs
  of reported speech: "said", "noted", "added" ...), shorter than two letters, or a word of the
  name of a speaker of the document written with a capital letter;
* the *key* groups inflections: folded (case, diacritics, ``ё``), possessive removed, English
  plurals reduced ("sanctions" -> "sanction", "countries" -> "country") and common Russian case
  endings removed; the *label* shown is the form the text uses most.

``distinctive`` ranks the terms a speaker uses more than the others with the weighted log-odds
ratio with an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008, "Fightin' Words").
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from viewer.core.dates import MONTHS
from viewer.core.lexicon import MONTHS_SEASONS, SPEECH_VERBS, _words
from viewer.core.text import fold, fold_quotes
from viewer.core.tokens import TERM_RE

ENGLISH_STOP = _words(
    """
    a about above across after afterwards again against all almost alone along already also although always
    am among amongst an and another any anyhow anyone anything anyway anywhere are aren't around as at back
    be became because become becomes becoming been before beforehand behind being below beside besides
    between beyond both but by can cannot can't could couldn't did didn't do does doesn't doing don't done
    down due during each either else elsewhere enough etc even ever every everyone everything everywhere
    except few for former formerly from further had hadn't has hasn't have haven't having he he'd he'll
    hence her here hereby herein hers herself he's him himself his how however i i'd if i'll i'm in indeed
    instead into is isn't it its it's itself i've just last latter latterly least less let let's made
    many may me meanwhile might mine more moreover most mostly much must mustn't my myself namely neither
    never nevertheless next no nobody none noone nor not nothing now nowhere of off often on once one
    only onto or other others otherwise ought our ours ourselves out over own per perhaps rather re
    same seem seemed seeming seems several shall shan't she she'd she'll she's should shouldn't since so
    some somehow someone something sometime sometimes somewhere still such than that that's the their
    theirs them themselves then thence there thereafter thereby therefore therein there's these they
    they'd they'll they're they've this those though through throughout thru thus to together too toward
    towards under until up upon us very via was wasn't we we'd well we'll were we're weren't we've what
    whatever what's when whence whenever where whereafter whereas whereby wherein where's whereupon
    wherever whether which while whither who whoever whole whom whose who's why will with within without
    won't would wouldn't yet you you'd you'll your you're yours yourself yourselves you've

    s t d ll m o re ve y st nd rd th mr mrs ms dr vs eg ie
    one two three four five six seven eight nine ten first second third hundred thousand million billion
    get gets got make makes making take takes taking go goes going went come comes came put puts
    way ways thing things lot lots kind sort part yes able following according regarding including within
    """
)

# Russian and Kazakh function words, folded (``ё`` = ``е``, Kazakh letters on their Russian neighbours).
CYRILLIC_STOP = frozenset(
    fold(w)
    for w in _words(
        """
    и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было
    вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас
    нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их
    чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому этого какой
    совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех никогда можно при
    наконец два об другой хоть после над больше тот через эти нас про всего них какая много разве три
    эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им более всегда конечно
    всю между это также которые который которая которых которой которого котором которую которым
    является являются будут было были свой своей своих своего сказал сказала заявил заявила отметил
    отметила добавил добавила подчеркнул подчеркнула
    және мен да де бен пен бұл ол сол осы үшін деп бір еді емес бар жоқ та те ма ме ба бе па пе ғой
    қой ғана қана тек немесе бірақ сондай сияқты туралы арқылы кейін дейін болды болып деді
    """
    )
)

# Dates are not topics: month, day and season names are left out too.
DATE_WORDS = frozenset(fold(w) for w in set(MONTHS) | MONTHS_SEASONS)

STOP_WORDS = ENGLISH_STOP | SPEECH_VERBS | CYRILLIC_STOP | DATE_WORDS

# English words that end in "s" but are not plurals (or whose plural form is the term).
_NOT_PLURAL = _words(
    """
    news always perhaps various this thus its his hers ours yours theirs was has is does gas bias
    politics economics physics ethics mathematics statistics series species means us plus versus
    chaos atlas canvas lens alias analysis basis crisis thesis emphasis diagnosis status campus census
    virus corpus consensus bonus focus process access across less unless regardless nevertheless
    business witness fairness awareness congress express progress address success
    """
)
_RU_ENDINGS = sorted(
    "иями ями ами ого его ому ему ыми ими ах ях ам ям ов ев ей ой ый ий ая яя ое ее ые ие ых их ую юю ом ем "
    "а я ы и у ю е о ь".split(),
    key=len,
    reverse=True,
)


def _stem_english(w: str) -> str:
    """Plural to singular, conservatively: only inflection, never derivation."""
    if len(w) <= 3 or w in _NOT_PLURAL or not w.endswith("s"):
        return w
    if w.endswith("ies") and len(w) > 4 and w[-4] not in "aeiou":
        return w[:-3] + "y"
    if w.endswith(("sses", "xes", "ches", "shes", "zzes")):
        return w[:-2]
    if w.endswith(("ss", "us", "is", "'s")):
        return w
    return w[:-1]


def _stem_cyrillic(w: str) -> str:
    """Common Russian case and number endings removed, keeping a stem of at least four letters."""
    for ending in _RU_ENDINGS:
        if w.endswith(ending) and len(w) - len(ending) >= 4:
            return w[: -len(ending)]
    return w


def strip_possessive(word: str) -> str:
    w = fold_quotes(word)
    if w.lower().endswith("'s"):
        return word[:-2]
    return word


@lru_cache(maxsize=100_000)
def term_key(surface: str) -> str | None:
    """The key that groups a token's inflections, or None when the token is not a term."""
    w = fold(strip_possessive(surface))
    if len(w) < 2 or w in STOP_WORDS:
        return None
    if "'" in w:
        # contractions are stop words; other apostrophes (O'Brien) are dropped
        w = w.replace("'", "")
        if len(w) < 2 or w in STOP_WORDS:
            return None
    if w.isascii():
        return _stem_english(w)
    if re.search("[а-я]", w):
        return _stem_cyrillic(w)
    return w


@lru_cache(maxsize=100_000)
def _token(surface: str) -> tuple[str | None, str, str | None]:
    """(key, form, the folded word when it could be part of a name) of a token, cached."""
    key = term_key(surface)
    if key is None:
        return None, "", None
    return key, form_of(surface), fold(strip_possessive(surface)) if surface[0].isupper() else None


def form_of(surface: str) -> str:
    """How a token is shown: lower case, possessive removed, apostrophes straight."""
    return fold_quotes(strip_possessive(surface)).casefold()


def tokens(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, surface) of every token of ``text``."""
    for m in TERM_RE.finditer(text):
        yield m.start(), m.end(), m.group()


def name_words(names: Iterable[str]) -> frozenset[str]:
    """The folded words of people's names, excluded from their documents' terms."""
    out = set()
    for name in names:
        for _s, _e, w in tokens(name):
            out.add(fold(strip_possessive(w)))
    return frozenset(out)


@dataclass
class TermCounts:
    """Term counts of some text: ``counts[key]`` and ``forms[key][form]``."""

    counts: Counter
    forms: dict[str, Counter]

    @classmethod
    def empty(cls) -> TermCounts:
        return cls(Counter(), {})

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add_text(self, text: str, exclude: frozenset[str] = frozenset()) -> None:
        counts, forms = self.counts, self.forms
        for surface in TERM_RE.findall(text):
            key, form, name = _token(surface)
            if key is None or (exclude and name in exclude):
                continue
            counts[key] += 1
            f = forms.get(key)
            if f is None:
                f = forms[key] = Counter()
            f[form] += 1

    def update(self, other: TermCounts) -> None:
        self.counts.update(other.counts)
        for key, f in other.forms.items():
            self.forms.setdefault(key, Counter()).update(f)

    def label(self, key: str) -> str:
        return best_form(self.forms.get(key) or {key: 1})


def best_form(forms: Mapping[str, int]) -> str:
    """The form written most often (ties: the shorter, then alphabetical)."""
    return min(forms.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0]


def term_spans(text: str, key: str, exclude: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """Where the term ``key`` occurs in ``text``: (start, end) of each token counted for it."""
    out = []
    for s, e, surface in tokens(text):
        k, _form, name = _token(surface)
        if k != key or (exclude and name in exclude):
            continue
        out.append((s, s + len(strip_possessive(surface))))
    return out


@dataclass(frozen=True)
class Distinctive:
    """A term one side uses more than the other: ``z`` is the log-odds ratio over its standard error."""

    key: str
    count: int
    other: int
    z: float


def distinctive(
    mine: Mapping[str, int],
    others: Mapping[str, int],
    background: Mapping[str, int],
    alpha0: float = 500.0,
    limit: int = 15,
    min_count: int = 2,
    *,
    n_mine: int | None = None,
    n_others: int | None = None,
    n_background: int | None = None,
    min_z: float = 1.0,
) -> list[Distinctive]:
    """Terms of ``mine`` over-represented against ``others``: weighted log-odds with an
    informative Dirichlet prior taken from ``background`` (usually the whole archive), scaled
    to ``alpha0`` pseudo-counts. Only terms used at least ``min_count`` times and with z >= ``min_z``
    (about one standard error);
    the highest z first. ``n_mine``/``n_others``/``n_background`` are the totals when the mappings
    are partial."""
    n_bg = sum(background.values()) if n_background is None else n_background
    if n_bg <= 0:
        return []
    n_i = sum(mine.values()) if n_mine is None else n_mine
    n_j = sum(others.values()) if n_others is None else n_others
    out = []
    log, sqrt = math.log, math.sqrt
    bg_get, others_get = background.get, others.get
    a_i, a_j = n_i + alpha0, n_j + alpha0
    for key, y_i in mine.items():
        if y_i < min_count:
            continue
        a_w = alpha0 * bg_get(key, y_i) / n_bg
        if a_w <= 0:
            continue
        y_j = others_get(key, 0)
        d_i = a_i - y_i - a_w
        d_j = a_j - y_j - a_w
        if d_i <= 0 or d_j <= 0:
            continue
        mine_w, others_w = y_i + a_w, y_j + a_w
        if min_z > 0 and mine_w * d_j <= others_w * d_i:
            continue  # not used more than by the others: z <= 0
        z = (log(mine_w / d_i) - log(others_w / d_j)) / sqrt(1.0 / mine_w + 1.0 / others_w)
        if z >= min_z:
            out.append((-z, -y_i, key, y_j))
    return [Distinctive(key, -neg_count, y_j, -neg_z) for neg_z, neg_count, key, y_j in heapq.nsmallest(limit, out)]
