"""The query language: what the user types, read into a small query model.

Words (all must match), ``"exact phrase"``, ``prefix*``, ``OR``, ``-word`` or ``NOT word``, and
parentheses. Reading never fails: whatever is not valid syntax is read as literal words (an
unclosed quote is ignored, an unmatched parenthesis dropped, an operator with nothing to act on
dropped), and every such repair is reported in ``Query.notes``. Text the model cannot run at all
(empty, only punctuation, only words to leave out) gives ``Query.hint`` and no ``root``.

The model holds the words as typed; ``viewer.core.search`` turns it into a safe FTS5 expression
(every word double-quoted), so user text never reaches ``MATCH``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from viewer.core.text import clean, fold_quotes
from viewer.core.tokens import index_form, index_words

MAX_CHARS = 1000  # longer input is cut here
MAX_TERMS = 32  # words and phrases; the rest is dropped
MAX_DEPTH = 8  # deeper parentheses are ignored (their contents are kept)
MAX_PHRASE_WORDS = 64
MIN_PREFIX = 2  # "a*" would match a large part of any index

EMPTY_HINT = (
    'Type words to search for. "Quotes" find a phrase, word* a prefix, OR either word, -word leaves a word out.'
)
NEGATIVE_ONLY_HINT = (
    "Add a word to search for: words to leave out (-word, NOT word) need something to leave them out of."
)


@dataclass(frozen=True)
class Term:
    """One word or phrase. ``words`` are the index words in it as typed (``doesn't`` ->
    ``("doesn", "t")``): more than one word must appear in this order. ``quoted`` terms came in
    quotes and are never widened to spelling variants."""

    text: str
    words: tuple[str, ...]
    prefix: bool = False
    quoted: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class And:
    """Every item must match, and none of ``exclude``."""

    items: tuple[Node, ...]
    exclude: tuple[Node, ...] = ()


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """Only while reading: normalised into ``And.exclude``."""

    item: Node


Node = Term | And | Or | Not


@dataclass(frozen=True)
class Query:
    """A query ready to run (``root``), or a ``hint`` saying why there is nothing to run."""

    text: str
    root: Node | None
    notes: tuple[str, ...] = ()
    hint: str | None = None

    def terms(self, *, excluded: bool = False) -> list[Term]:
        """The terms that must (or, with ``excluded=True``, must not) appear."""
        return list(_terms(self.root, excluded)) if self.root is not None else []


def _terms(node: Node, excluded: bool, inside_exclude: bool = False) -> Iterator[Term]:
    if isinstance(node, Term):
        if inside_exclude == excluded:
            yield node
    elif isinstance(node, And):
        for item in node.items:
            yield from _terms(item, excluded, inside_exclude)
        for item in node.exclude:
            yield from _terms(item, excluded, True)
    elif isinstance(node, Or):
        for item in node.items:
            yield from _terms(item, excluded, inside_exclude)
    elif isinstance(node, Not):
        yield from _terms(node.item, excluded, True)


def evaluate(node: Node, matches: Callable[[Term], bool]) -> bool:
    """Whether the query holds when each term matches as ``matches(term)`` says."""
    if isinstance(node, Term):
        return matches(node)
    if isinstance(node, And):
        return all(evaluate(i, matches) for i in node.items) and not any(evaluate(i, matches) for i in node.exclude)
    if isinstance(node, Or):
        return any(evaluate(i, matches) for i in node.items)
    return not evaluate(node.item, matches)


# ---------------------------------------------------------------------------- reading

_OPERATORS = ("OR", "AND", "NOT")


@dataclass
class _Reader:
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


def _lex(text: str, r: _Reader) -> list[tuple]:
    """Tokens: ("(",), (")",), ("OR",), ("AND",), ("NOT",), ("-",), ("WORD", text, prefix),
    ("PHRASE", text, prefix)."""
    toks: list[tuple] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c in "()":
            toks.append((c,))
            i += 1
        elif (
            c == "-"
            and i + 1 < n
            and not text[i + 1].isspace()
            and (i == 0 or text[i - 1].isspace() or text[i - 1] in "(-")
        ):
            toks.append(("-",))
            i += 1
        elif c == '"':
            j = text.find('"', i + 1)
            if j < 0:
                r.note("An unclosed quote was ignored; its words were searched one by one.")
                i += 1
                continue
            body, i = text[i + 1 : j], j + 1
            prefix = i < n and text[i] == "*"
            while i < n and text[i] == "*":
                i += 1
            toks.append(("PHRASE", body, prefix))
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '()"':
                j += 1
            chunk, i = text[i:j], j
            if chunk in _OPERATORS:
                toks.append((chunk,))
            else:
                toks.append(("WORD", chunk.rstrip("*"), chunk.endswith("*")))
    return toks


def _cap_terms(toks: list[tuple], r: _Reader) -> list[tuple]:
    count = 0
    for k, t in enumerate(toks):
        if t[0] in ("WORD", "PHRASE"):
            count += 1
            if count > MAX_TERMS:
                r.note(f"Only the first {MAX_TERMS} words were searched.")
                return toks[:k]
    return toks


def _balance(toks: list[tuple], r: _Reader) -> list[tuple]:
    """Drop unmatched ")", close unclosed "(", ignore parentheses nested deeper than MAX_DEPTH."""
    out: list[tuple] = []
    stack: list[bool] = []  # True: this "(" is kept
    depth = 0
    for t in toks:
        if t[0] == "(":
            keep = depth < MAX_DEPTH
            if keep:
                depth += 1
                out.append(t)
            else:
                r.note(f"Parentheses nested deeper than {MAX_DEPTH} were ignored.")
            stack.append(keep)
        elif t[0] == ")":
            if not stack:
                r.note("An unmatched parenthesis was ignored.")
                continue
            if stack.pop():
                depth -= 1
                out.append(t)
        else:
            out.append(t)
    if any(stack):
        r.note("An unclosed parenthesis was closed at the end.")
        out.extend([(")",)] * sum(stack))
    return out


def _term(tok: tuple, r: _Reader) -> Term | None:
    kind, text, prefix = tok
    words = tuple(w for _s, _e, w in index_words(text) if index_form(w))
    if kind == "PHRASE":
        if len(words) > MAX_PHRASE_WORDS:
            r.note(f"Only the first {MAX_PHRASE_WORDS} words of a phrase were searched.")
            words = words[:MAX_PHRASE_WORDS]
    if not words:
        return None
    if prefix and len(index_form(words[-1])) < MIN_PREFIX:
        r.note(f"A prefix search needs at least {MIN_PREFIX} letters; “{words[-1]}*” was searched as a whole word.")
        prefix = False
    return Term(text=text.strip(), words=words, prefix=prefix, quoted=kind == "PHRASE")


class _Parser:
    """or := and (OR and)* ; and := unary (AND? unary)* ; unary := (-|NOT)* primary ;
    primary := "(" or ")" | word | phrase. Operators with nothing to act on are dropped."""

    def __init__(self, toks: list[tuple], r: _Reader):
        self.toks = toks
        self.pos = 0
        self.r = r

    def peek(self) -> str | None:
        return self.toks[self.pos][0] if self.pos < len(self.toks) else None

    def parse(self) -> Node | None:
        items = []
        while self.pos < len(self.toks):
            node = self.parse_or()
            if node is not None:
                items.append(node)
            if self.peek() == ")":  # cannot happen after _balance; never loop on it
                self.pos += 1
        return items[0] if len(items) == 1 else (And(tuple(items)) if items else None)

    def parse_or(self) -> Node | None:
        items = []
        node = self.parse_and()
        if node is not None:
            items.append(node)
        while self.peek() == "OR":
            self.pos += 1
            node = self.parse_and()
            if node is not None:
                items.append(node)
        if len(items) > 1:
            return Or(tuple(items))
        return items[0] if items else None

    def parse_and(self) -> Node | None:
        items = []
        while True:
            t = self.peek()
            if t is None or t in (")", "OR"):
                break
            if t == "AND":
                self.pos += 1
                continue
            node = self.parse_unary()
            if node is not None:
                items.append(node)
        if len(items) > 1:
            return And(tuple(items))
        return items[0] if items else None

    def parse_unary(self) -> Node | None:
        negations = 0
        while self.peek() in ("-", "NOT"):
            self.pos += 1
            negations += 1
        if self.peek() in (None, ")", "OR", "AND"):
            return None  # "-" or NOT with nothing after it
        node = self.parse_primary()
        if node is None:
            return None
        return Not(node) if negations % 2 else node

    def parse_primary(self) -> Node | None:
        t = self.toks[self.pos]
        self.pos += 1
        if t[0] == "(":
            node = self.parse_or()
            if self.peek() == ")":
                self.pos += 1
            return node
        return _term(t, self.r)


def _normalise(node: Node | None, r: _Reader) -> Node | None:
    """Flatten nested And/Or; move Not into And.exclude; a pure negation stays Not."""
    if node is None or isinstance(node, Term):
        return node
    if isinstance(node, Not):
        inner = _normalise(node.item, r)
        if inner is None:
            return None
        if isinstance(inner, Not):
            return inner.item
        return Not(inner)
    if isinstance(node, Or):
        items: list[Node] = []
        for item in (_normalise(i, r) for i in node.items):
            if item is None:
                continue
            if isinstance(item, Not):
                r.note("A word to leave out was ignored inside OR: leave words out of the whole search instead.")
                continue
            items.extend(item.items if isinstance(item, Or) else [item])
        if len(items) > 1:
            return Or(tuple(items))
        return items[0] if items else None
    # And
    positive: list[Node] = []
    negative: list[Node] = []
    for item in (_normalise(i, r) for i in node.items + tuple(Not(e) for e in node.exclude)):
        if item is None:
            continue
        if isinstance(item, Not):
            negative.append(item.item)
        elif isinstance(item, And):
            positive.extend(item.items)
            negative.extend(item.exclude)
        else:
            positive.append(item)
    if not positive:
        if not negative:
            return None
        return Not(negative[0] if len(negative) == 1 else Or(tuple(negative)))
    if not negative and len(positive) == 1:
        return positive[0]
    return And(tuple(positive), tuple(negative))


def parse(text: str) -> Query:
    """Read what the user typed. Never raises; see the module docstring."""
    r = _Reader()
    text = clean(text or "")
    if len(text) > MAX_CHARS:
        r.note(f"Only the first {MAX_CHARS:,} characters were searched.")
        text = text[:MAX_CHARS]
    text = fold_quotes(text).strip()
    toks = _lex(text, r)
    if toks and not any(t[0] in ("WORD", "PHRASE") for t in toks):
        # only operators ("OR", "NOT"): search them as the words they are
        toks = [("WORD", t[0], False) if t[0] in _OPERATORS else t for t in toks]
    toks = _balance(_cap_terms(toks, r), r)
    root = _normalise(_Parser(toks, r).parse(), r)
    if isinstance(root, Not):
        return Query(text, None, tuple(r.notes), NEGATIVE_ONLY_HINT)
    if root is None:
        return Query(text, None, tuple(r.notes), EMPTY_HINT)
    return Query(text, root, tuple(r.notes))
