"""Search: what the user typed -> the passages and quotes that match, ranked, with highlights.

The steps, each a small function or method:

1. ``viewer.core.query.parse`` reads the text into a query model (never fails).
2. ``Search.prepare`` widens every word to the spellings the index holds: the index form (case and
   Latin diacritics folded the way the FTS5 tokenizer folds them), the Latin transliteration of a
   Cyrillic word (``Назарбаев`` -> ``nazarbayev``, which ``search_text`` holds for Cyrillic text),
   and, for a word that is missing or rare in the index, close words from the index vocabulary
   (``fts5vocab`` + edit distance, on the words and on a romanisation key). Then it writes the FTS5
   expression, every word double-quoted, so user text never reaches ``MATCH`` raw.
3. ``Search.first_page`` answers fast, unranked (for a big archive, the first step);
   ``Search.ranked`` gives the chosen order (BM25, where quotes and speaker names weigh more, ties in
   document order; or the documents' dates; or document order) and the total; ``Search.page`` any
   later page. ``Search.run`` does 2 + the ranked step.
4. One row per place: a passage and the quotes in it that match are one hit (``SearchHit``), the
   quote when the words found are in one (``kind`` "quote", its speaker), else the passage. Hits
   carry highlight offsets into their passage's text, computed here in Python against the original
   text, a ``Snippet`` that escapes the text before adding highlight tags, and where they are
   (document, date, ¶).
5. With no words but a filter (a speaker, a document, a collection, dates), everything in that
   scope is listed in document order (or by date): "everything X said" (``Search.browse``).

Every call runs within a time budget (``SearchOptions.timeout_ms``): past it the result carries
``TIMEOUT_MESSAGE`` instead of hits. ``Search.interrupt()`` (from another thread) cancels the call
in flight with ``QueryInterrupted``.

Why one module of over 600 lines: most of it is one class, ``Search``, whose steps share one time budget,
one connection and its caches (spelling buckets, documents, the top-k lists, counts made while ranking), and
whose SQL (filters, ranking, counts, places) must agree on what a match and a place are; split, those would
become one object's private parts read from several files. The records (options, hits, results) and the text
helpers (highlights, snippets) around it are small and used by the engine alone or with it. The top-k lists
(``viewer.core.topk``, built by ``topk_build``) and the search process (``search_service``) are apart.
"""

from __future__ import annotations

import functools
import itertools
import re
import sqlite3
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from viewer.core import topk
from viewer.core.archive import Archive
from viewer.core.db import ArchiveError, QueryInterrupted, QueryTimeout, map_error
from viewer.core.query import And, Node, Or, Query, Term, evaluate, parse
from viewer.core.records import Document, Quote
from viewer.core.text import (
    exact_form,
    has_cyrillic,
    latin_ascii,
    romanisation_key,
    spelling_key,
    spellings,
    translit,
)
from viewer.core.tokens import index_form, index_words

PASSAGE = "passage"
QUOTE = "quote"
ORDERS = ("relevance", "date", "document")
ORDER_LABELS = {"relevance": "Relevance", "date": "Date", "document": "Document"}

DEFAULT_LIMIT = 50
MAX_LIMIT = 10_000
# Up to this many matches (passages and quotes) the number of places they are in is counted exactly;
# beyond, it is the number of matching passages (of quotes, for quotes only): "about N".
EXACT_PLACES = 5_000
DEFAULT_TIMEOUT_MS = 3000
# bm25 column weights (text, search_text): search_text holds the speaker's name (and the Latin
# transliteration of Cyrillic text), so a match in the speaker's name counts more.
PASSAGE_WEIGHTS = (1.0, 2.0)
QUOTE_WEIGHTS = (1.0, 2.0)
QUOTE_BOOST = 1.5  # a match in someone's own words counts more than one in the narration
QUOTE_MARGIN = 16  # quotes of every kind read beyond the number wanted, to keep those of kind "quote"

# spellings of one word across scripts (viewer.core.text.spelling_key)
MAX_SPELLINGS = 27  # spellings of one word looked up in the index
MAX_SPELLING_SEQUENCES = 8  # sequences of such spellings searched for one term (a phrase)
# spelling variants
FUZZY_MIN_LEN = 4
MAX_VARIANTS_PER_WORD = 3
MAX_VARIANTS = 8
RARE_MIN_DOCS = 2  # a word in at most this many passages (or 1 in 10,000) is "rare"
RARE_FRACTION = 0.0001
BUCKET_ROWS = 50_000
BUCKET_CACHE = 8
SNIPPET_CHARS = 220
SNIPPET_LEAD = 40  # characters shown before the first highlight
ELLIPSIS = "…"
PLAIN_MARK = ("**", "**")

TIMEOUT_MESSAGE = 'This search took too long. Narrow it: add words, use a "phrase" or a filter.'
NO_RESULTS_HINT = "No results. Check the spelling, use fewer words, or clear the filters."
NOTHING_IN_SCOPE_HINT = "Nothing in this scope. Clear a filter to see more."


# ---------------------------------------------------------------------------- records


@dataclass(frozen=True)
class SearchOptions:
    """Filters and limits. ``speakers`` and ``documents`` are ids; dates are ISO (``2021``,
    ``2021-03`` or ``2021-03-25``) and compare at the precision both sides have."""

    speakers: tuple[int, ...] = ()
    documents: tuple[int, ...] = ()
    collection: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    quotes_only: bool = False
    order: str = "relevance"
    limit: int = DEFAULT_LIMIT
    exact_diacritics: bool = False
    timeout_ms: int = DEFAULT_TIMEOUT_MS

    def __post_init__(self):
        if self.order not in ORDERS:
            raise ValueError(f"order must be one of {ORDERS}")
        object.__setattr__(self, "limit", max(1, min(int(self.limit), MAX_LIMIT)))


@dataclass(frozen=True)
class Snippet:
    """An excerpt of a hit's text (plain) and the highlighted ranges in it."""

    text: str
    marks: tuple[tuple[int, int], ...] = ()

    def html(self, open_tag: str = "<b>", close_tag: str = "</b>") -> str:
        """The excerpt escaped, then the highlight tags added: safe to show as rich text."""
        import html  # for the app's rich text only

        return self._join(html.escape, open_tag, close_tag)

    def plain(self, open_mark: str = PLAIN_MARK[0], close_mark: str = PLAIN_MARK[1]) -> str:
        return self._join(str, open_mark, close_mark)

    def _join(self, piece: Callable[[str], str], open_mark: str, close_mark: str) -> str:
        out, pos = [], 0
        for s, e in self.marks:
            out += [piece(self.text[pos:s]), open_mark, piece(self.text[s:e]), close_mark]
            pos = e
        out.append(piece(self.text[pos:]))
        return "".join(out)


@dataclass(frozen=True)
class SearchHit:
    """A place that matches: a passage, or a quote when the words found are in one (or the quote
    matched). ``highlights`` are (start, end) offsets of every hit in the text of passage
    ``passage_id``; ``text`` is the passage's text or the quote's (which starts at ``start`` in the
    passage), and ``snippet`` an excerpt of it."""

    kind: str
    id: int
    passage_id: int
    document_id: int
    document: str  # slug
    document_title: str
    date: str | None
    date_label: str
    seq: int
    speaker_id: int | None
    speaker: str | None
    quoted_by: str | None
    text: str
    start: int
    highlights: tuple[tuple[int, int], ...]
    snippet: Snippet
    score: float | None = None
    page: str = ""  # the page or pages of the passage ("4", "4–5") in a document with pages
    corrected: bool = False  # who said it was decided by the user (a correction)

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.id)

    @property
    def place(self) -> str:
        """Where in the document: "¶ 6" (with the page when the document has pages: "p. 3, ¶ 6")."""
        return f"p. {self.page}, ¶ {self.seq}" if self.page else f"¶ {self.seq}"

    @property
    def where(self) -> str:
        """The document, its date and the place: "Addressing …, 25 March 2021, ¶ 6"."""
        return ", ".join(p for p in (self.document_title, self.date_label, self.place) if p)

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "id": self.id,
            "document": self.document,
            "document_title": self.document_title,
            "date": self.date,
            "date_label": self.date_label,
            "seq": self.seq,
            "page": self.page,
            "speaker": self.speaker,
            "speaker_id": self.speaker_id,
            "quoted_by": self.quoted_by,
            "text": self.text,
            "snippet": self.snippet.plain(),
            "passage_id": self.passage_id,
            "start": self.start,
            "highlights": [list(h) for h in self.highlights],
            "score": self.score,
            "corrected": self.corrected,
        }


@dataclass(frozen=True)
class PreparedQuery:
    """A query read and widened, ready to run as often as needed (pages, refinement)."""

    text: str
    query: Query
    options: SearchOptions
    fts: str | None
    alternatives: dict[Term, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    variants: tuple[str, ...] = ()
    browse: bool = False  # no words, a filter: everything in the filters' scope

    @property
    def runnable(self) -> bool:
        return self.fts is not None or self.browse


@dataclass(frozen=True)
class SearchResult:
    """One answer. ``hint`` replaces results when there was nothing to search (or nothing
    found); ``message`` says the search ran out of time. ``stage`` is "first" for the fast
    unranked first page (``total`` None) and "ranked" for the final answer."""

    query: str
    total: int | None
    hits: tuple[SearchHit, ...] = ()
    variants: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    hint: str | None = None
    message: str | None = None
    stage: str = "ranked"
    offset: int = 0
    prepared: PreparedQuery | None = None
    exact: bool = True  # ``total`` is exact; else the number of matching passages, "about" that many places

    @property
    def has_more(self) -> bool:
        return self.total is not None and self.offset + len(self.hits) < self.total

    @property
    def browsing(self) -> bool:
        """A listing of a filter's scope (no words were given)."""
        return self.prepared is not None and self.prepared.browse

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "total": self.total,
            "total_exact": self.exact,
            "order": self.order,
            "variants": list(self.variants),
            "notes": list(self.notes),
            "hint": self.hint,
            "message": self.message,
            "hits": [h.to_dict() for h in self.hits],
        }

    @property
    def order(self) -> str | None:
        return self.prepared.options.order if self.prepared is not None else None


# ---------------------------------------------------------------------------- matching text


@functools.lru_cache(maxsize=65536)
def word_keys(word: str) -> frozenset[str]:
    """The spellings a word of a passage is found by: its index form and what ``search_text``
    holds for it (the transliteration of a Cyrillic word, the ASCII spelling of Łódź)."""
    return frozenset((index_form(word), translit(word) if has_cyrillic(word) else latin_ascii(word)))


def find_term(
    tokens: list[tuple[int, int, set[str]]], alternatives: tuple[tuple[str, ...], ...], prefix: bool
) -> list[tuple[int, int]]:
    """Where a term occurs in a tokenised text: runs of consecutive words matching one of the
    alternative word sequences (the last word by prefix when ``prefix``)."""
    found = []
    for i in range(len(tokens)):
        for seq in alternatives:
            if i + len(seq) > len(tokens):
                continue
            ok = True
            for k, want in enumerate(seq):
                keys = tokens[i + k][2]
                if prefix and k == len(seq) - 1:
                    ok = any(key.startswith(want) for key in keys)
                else:
                    ok = want in keys
                if not ok:
                    break
            if ok:
                found.append((tokens[i][0], tokens[i + len(seq) - 1][1]))
                break
    return found


def merge_ranges(ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[list[int]] = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return tuple((s, e) for s, e in out)


def highlight_ranges(text: str, prepared: PreparedQuery) -> tuple[tuple[int, int], ...]:
    """Every occurrence in ``text`` of a word or phrase the query looks for (not the excluded)."""
    terms = prepared.query.terms()
    if not terms or not text:
        return ()
    if prepared.options.exact_diacritics:
        tokens = [(s, e, {exact_form(w)}) for s, e, w in index_words(text)]
        ranges = []
        for t in terms:
            ranges += find_term(tokens, (tuple(exact_form(w) for w in t.words),), t.prefix)
        return merge_ranges(ranges)
    tokens = [(s, e, word_keys(w)) for s, e, w in index_words(text)]
    ranges = []
    for t in terms:
        ranges += find_term(tokens, prepared.alternatives.get(t, ()), t.prefix)
    return merge_ranges(ranges)


def exact_match(prepared: PreparedQuery, *texts: str) -> bool:
    """With exact diacritics: does the query hold on these texts, comparing words with their
    diacritics (case still ignored)?"""
    tokens = []
    for text in texts:
        if text:
            tokens += [(s, e, {exact_form(w)}) for s, e, w in index_words(text)]
            tokens.append((-1, -1, set()))  # no phrase runs across two texts

    def matches(term: Term) -> bool:
        return bool(find_term(tokens, (tuple(exact_form(w) for w in term.words),), term.prefix))

    return evaluate(prepared.query.root, matches)


def make_snippet(text: str, marks: tuple[tuple[int, int], ...], width: int = SNIPPET_CHARS) -> Snippet:
    """About ``width`` characters of ``text``: from a little before the first highlight (so a
    narrow view shows it on its first line), cut at spaces, with "…" where text was cut."""
    first_start, first_end = marks[0] if marks else (0, 0)
    start = 0
    if first_start > SNIPPET_LEAD:
        start = first_start - SNIPPET_LEAD
        space = text.find(" ", start, first_start)
        start = space + 1 if space >= 0 else start
    end = min(len(text), max(start + width, first_end))
    if end < len(text):
        space = text.rfind(" ", max(start, first_end), end)
        end = space if space > start else end
    prefix = ELLIPSIS if start else ""
    suffix = ELLIPSIS if end < len(text) else ""
    shift = len(prefix) - start
    inside = tuple((max(s, start) + shift, min(e, end) + shift) for s, e in marks if s < end and e > start)
    return Snippet(prefix + text[start:end] + suffix, inside)


# ---------------------------------------------------------------------------- FTS5 expression


def _quoted(words: tuple[str, ...], prefix: bool) -> str:
    # index words hold letters, digits and combining marks only: never a double quote
    return '"' + " ".join(words) + '"' + ("*" if prefix else "")


def fts_expression(node: Node, alternatives: dict[Term, tuple[tuple[str, ...], ...]], *, excludes: bool = True) -> str:
    """The FTS5 MATCH expression for a query model: every word double-quoted, every group in
    parentheses. ``excludes=False`` leaves out the words to exclude (they are then checked in
    Python, for exact diacritics)."""
    if isinstance(node, Term):
        parts = [_quoted(seq, node.prefix) for seq in alternatives[node]]
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"
    if isinstance(node, Or):
        return "(" + " OR ".join(fts_expression(i, alternatives, excludes=excludes) for i in node.items) + ")"
    assert isinstance(node, And)
    expr = "(" + " AND ".join(fts_expression(i, alternatives, excludes=excludes) for i in node.items) + ")"
    if excludes and node.exclude:
        expr += " NOT (" + " OR ".join(fts_expression(i, alternatives) for i in node.exclude) + ")"
        expr = "(" + expr + ")"
    return expr


# ---------------------------------------------------------------------------- the search


class _Budget:
    def __init__(self, ms: int, cancelled: Callable[[], bool]):
        self.deadline = time.monotonic() + max(0, ms) / 1000
        self.cancelled = cancelled

    def check(self) -> None:
        topk.let_threads_run()
        if self.cancelled():
            raise QueryInterrupted("The query was cancelled.")
        if time.monotonic() >= self.deadline:
            raise QueryTimeout(TIMEOUT_MESSAGE, "search time budget spent")

    def remaining_ms(self) -> int:
        self.check()
        return max(1, int((self.deadline - time.monotonic()) * 1000))


@dataclass(frozen=True)
class Match:
    """One result before it is read: what and where (ids first; ``Search.hits`` reads them)."""

    kind: str
    id: int
    passage_id: int
    start: int
    score: float | None
    date: str | None = None  # the document's date, when the order is by date

    def sort_key(self, order: str) -> tuple:
        place = (self.passage_id, self.start, 0 if self.kind == PASSAGE else 1, self.id)
        if order == "relevance":
            return ((self.score if self.score is not None else 0.0),) + place
        if order == "date":  # undated documents last
            return (self.date is None, self.date or "") + place
        return place


def places(matches: list[Match]) -> list[Match]:
    """One match per passage (place), the first of each in the order given: a passage and the quotes
    in it that match are one row. (``Search.hits`` shows a passage whose words found are in a quote as
    that quote.)"""
    seen: set[int] = set()
    out: list[Match] = []
    for m in matches:
        if m.passage_id not in seen:
            seen.add(m.passage_id)
            out.append(m)
    return out


class Search:
    """Searches one archive. Use it on one thread (make one per ``Archive.clone()``);
    ``interrupt()`` may be called from any thread. ``lists=False`` ranks with FTS5 alone, never with the
    archive's top-k lists (for measurements: the same answers). ``ranked_by`` says, after a ranked step, what
    ranked each kind of result ("lists" or "fts5")."""

    def __init__(self, archive: Archive, *, lists: bool = True):
        self.archive = archive
        self.db = archive.db
        self._cancelled = False
        self._cancel_check: Callable[[], bool] | None = None
        self._vocab_ready = False
        self._rows: int | None = None
        self._buckets: OrderedDict[str, tuple[list[str], list[str], list[int]]] = OrderedDict()
        self._documents: dict[int, Document | None] = {}
        self._budget: _Budget | None = None
        self._lists: dict[str, topk.TopK] = {}
        self._use_lists = lists
        self.ranked_by: dict[str, str] = {}
        self._spelled: dict[tuple[str, bool], bool] = {}  # words looked up in the index (spelling_key)
        self._counted: dict[tuple[str, str], int] = {}  # (kind, FTS expression) -> matches, of the step in progress

    def interrupt(self) -> None:
        """Cancel the search in flight (safe from another thread)."""
        self._cancelled = True
        try:
            self.archive.interrupt()
        except (AttributeError, sqlite3.ProgrammingError):
            pass  # the connection is already closed: nothing runs on it

    def cancel_when(self, check: Callable[[], bool] | None) -> None:
        """Also cancel the call in flight as soon as ``check()`` is true (cheap; asked often): for a
        search in a process of its own, where no other thread calls ``interrupt()``."""
        self._cancel_check = check
        self.db.cancel_when(check)

    # ------------------------------------------------------------ public steps

    def run(self, text: str, options: SearchOptions | None = None) -> SearchResult:
        """Read, widen and run ``text``: the ranked first page and the total."""
        options = options or SearchOptions()
        self._start(options)
        try:
            prepared = self._prepare(text, options)
            if not prepared.runnable:
                return self._hint_result(prepared)
            return self._ranked(prepared, 0)
        except QueryTimeout:
            return self._timeout_result(text)

    def stages(self, text: str, options: SearchOptions | None = None) -> Iterator[SearchResult]:
        """The answer in two steps, for big archives: a fast unranked first page (total None),
        then the ranked first page with the total. Both share the time budget."""
        options = options or SearchOptions()
        self._start(options)
        try:
            prepared = self._prepare(text, options)
            if not prepared.runnable:
                yield self._hint_result(prepared)
                return
            yield self._first_page(prepared)
            yield self._ranked(prepared, 0)
        except QueryTimeout:
            yield self._timeout_result(text)

    def prepare(self, text: str, options: SearchOptions | None = None) -> PreparedQuery:
        options = options or SearchOptions()
        self._start(options)
        return self._prepare(text, options)

    def first_page(self, prepared: PreparedQuery) -> SearchResult:
        """Up to ``limit`` matching hits in index order, unranked, without a total: cheap."""
        self._start(prepared.options)
        try:
            return self._first_page(prepared) if prepared.runnable else self._hint_result(prepared)
        except QueryTimeout:
            return self._timeout_result(prepared.text)

    def ranked(self, prepared: PreparedQuery, offset: int = 0) -> SearchResult:
        """The hits ``offset`` to ``offset + limit`` in the chosen order, and the total."""
        self._start(prepared.options)
        try:
            return self._ranked(prepared, offset) if prepared.runnable else self._hint_result(prepared)
        except QueryTimeout:
            return self._timeout_result(prepared.text)

    def page(self, prepared: PreparedQuery, offset: int, limit: int | None = None) -> list[SearchHit]:
        """A later page (for lazy loading). Raises QueryTimeout past the budget."""
        self._start(prepared.options)
        limit = limit or prepared.options.limit
        return self._hits(prepared, self._ordered(prepared, offset + limit)[offset : offset + limit])

    def matches(self, prepared: PreparedQuery, n: int) -> list[Match]:
        """The first ``n`` results in the chosen order as ids only (cheap to hold for a lazy
        model). Raises QueryTimeout past the budget."""
        self._start(prepared.options)
        return self._ordered(prepared, n)

    def hits(self, prepared: PreparedQuery, matches: list[Match]) -> list[SearchHit]:
        """Read ``matches`` into hits with highlights and snippets (a record that has gone is skipped)."""
        self._start(prepared.options)
        return self._hits(prepared, matches)

    # ------------------------------------------------------------ steps

    def _start(self, options: SearchOptions) -> None:
        self._cancelled = False
        self._counted = {}
        self.ranked_by = {}
        self._budget = _Budget(options.timeout_ms, self._is_cancelled)

    def _is_cancelled(self) -> bool:
        return self._cancelled or (self._cancel_check is not None and self._cancel_check())

    def _execute(self, sql: str, params: dict | tuple = ()) -> list[sqlite3.Row]:
        return self.db.execute(sql, params, timeout_ms=self._budget.remaining_ms())

    def _prepare(self, text: str, options: SearchOptions) -> PreparedQuery:
        query = parse(text)
        if query.root is None:
            # nothing typed but a filter: everything in its scope
            browse = not query.text.strip() and _filtered(options) and not options.exact_diacritics
            return PreparedQuery(query.text, query, options, None, browse=browse)
        self._budget.check()
        alternatives: dict[Term, tuple[tuple[str, ...], ...]] = {}
        variants: list[str] = []
        excluded = set(query.terms(excluded=True))
        for term in query.terms() + list(excluded):
            if term in alternatives:
                continue
            alts, shown = self._alternatives(
                term, options, widen=term not in excluded, room=MAX_VARIANTS - len(variants)
            )
            alternatives[term] = alts
            variants += [v for v in shown if v not in variants]
        fts = fts_expression(query.root, alternatives, excludes=not options.exact_diacritics)
        return PreparedQuery(query.text, query, options, fts, alternatives, tuple(variants))

    def _alternatives(
        self, term: Term, options: SearchOptions, widen: bool, room: int
    ) -> tuple[tuple[tuple[str, ...], ...], list[str]]:
        """The word sequences a term is searched as, and the spellings to report."""
        native = tuple(index_form(w) for w in term.words)
        alts = [native]
        if options.exact_diacritics:
            return tuple(alts), []
        shown = []
        latin = tuple(index_form(translit(w)) if has_cyrillic(w) else latin_ascii(w) for w in term.words)
        if latin != native:
            alts.append(latin)
            shown.append(" ".join(_cased(w, typed) for w, typed in zip(latin, term.words)))
        for seq in self._spellings(term, alts):
            alts.append(seq)
            shown.append(" ".join(_cased(w, typed) for w, typed in zip(seq, term.words)))
        if widen and room > 0 and not term.quoted and not term.prefix and not term.is_phrase:
            for variant in self._variants(alts, room):
                alts.append((variant,))
                shown.append(_cased(variant, term.words[0]))
        return tuple(alts), shown

    def _spellings(self, term: Term, alts: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
        """The other spellings of a term's words that the index holds, by ``spelling_key`` (one folding
        across scripts: ``Kazakhstan`` is also searched as ``kazakstan``, the Latin spelling of
        ``Қазақстан``, and ``Qazaqstan`` as ``kazakhstan``), as word sequences not in ``alts``."""
        choices: list[list[str]] = []
        for word in term.words:
            forms = [f for f in spellings(spelling_key(word), MAX_SPELLINGS) if f.isascii()]
            choices.append(
                [f for f in forms if f in {seq[len(choices)] for seq in alts} or self._indexed(f, term.prefix)]
            )
        if any(not c for c in choices):
            return []
        out: list[tuple[str, ...]] = []
        for seq in itertools.product(*choices):
            if seq not in alts and seq not in out:
                out.append(seq)
                if len(out) >= MAX_SPELLING_SEQUENCES:
                    break
        return out

    def _indexed(self, word: str, prefix: bool) -> bool:
        """Whether the index holds ``word`` (as a prefix of a word when ``prefix``)."""
        found = self._spelled.get((word, prefix))
        if found is None:
            found = bool(
                self._execute(
                    "SELECT 1 FROM passages_fts WHERE passages_fts MATCH ? LIMIT 1", (_quoted((word,), prefix),)
                )
            )
            if len(self._spelled) > 10_000:
                self._spelled.clear()
            self._spelled[(word, prefix)] = found
        return found

    def _variants(self, alts: list[tuple[str, ...]], room: int) -> list[str]:
        """Close index words for a single word that is missing or rare in the index."""
        forms = [seq[0] for seq in alts]
        form = forms[-1]  # the Latin spelling when there is one
        if len(form) < FUZZY_MIN_LEN or not form.isalpha():
            return []
        rare = max(RARE_MIN_DOCS, int(self._row_count() * RARE_FRACTION))
        # counting stops past "rare", so a frequent word costs no more than a rare one
        docs = self._execute(
            "SELECT count(*) FROM (SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? LIMIT ?)",
            (" OR ".join(_quoted((f,), False) for f in forms), rare + 1),
        )[0][0]
        if docs > rare:
            return []
        from rapidfuzz import process  # only for a rare word: kept out of the app's start-up
        from rapidfuzz.distance import Levenshtein

        max_distance = 1 if len(form) < 9 else 2
        key = romanisation_key(form)
        found: dict[str, tuple[int, int]] = {}
        from viewer.core.names import first_letters

        for letter in first_letters(form):
            terms, keys, counts = self._bucket(letter)
            by_key = process.extract(key, keys, scorer=Levenshtein.distance, score_cutoff=max_distance, limit=20)
            by_word = process.extract(form, terms, scorer=Levenshtein.distance, score_cutoff=max_distance, limit=20)
            for _choice, distance, i in by_key + by_word:
                term = terms[i]
                if term in forms or not term.isalpha():
                    continue
                best = found.get(term)
                if best is None or distance < best[0]:
                    found[term] = (distance, counts[i])
            self._budget.check()
        ranked = sorted(found, key=lambda t: (found[t][0], -found[t][1], t))
        return ranked[: min(MAX_VARIANTS_PER_WORD, room)]

    def _ensure_vocab(self) -> None:
        if self._vocab_ready:
            return
        conn = self.db.conn
        try:
            # The connection is query_only; a temp table in memory writes nothing to the archive.
            conn.execute("PRAGMA query_only = OFF")
            try:
                conn.execute(
                    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab USING fts5vocab(main, 'passages_fts', 'row')"
                )
            finally:
                conn.execute("PRAGMA query_only = ON")
        except sqlite3.Error as e:
            raise map_error(e, self.db.path) from e
        self._vocab_ready = True

    def _row_count(self) -> int:
        if self._rows is None:
            row = self._execute("SELECT COALESCE(MAX(id), 0) FROM passages")
            self._rows = row[0][0]
        return self._rows

    def _bucket(self, letter: str) -> tuple[list[str], list[str], list[int]]:
        """Index words starting with ``letter`` (capped), their romanisation keys and counts: from the words
        stored with the top-k lists when they hold every word, else from FTS5's vocabulary."""
        if letter in self._buckets:
            self._buckets.move_to_end(letter)
            return self._buckets[letter]
        lists = self._lists_for(PASSAGE)
        rows = lists.words(letter, chr(ord(letter) + 1), BUCKET_ROWS) if lists is not None else None
        if rows is None:  # FTS5's own vocabulary: every word's rows read to count them (70-150 ms a letter on 1M)
            self._ensure_vocab()
            rows = self._execute(
                "SELECT term, doc FROM temp.search_vocab WHERE term >= ? AND term < ? LIMIT ?",
                (letter, chr(ord(letter) + 1), BUCKET_ROWS),
            )
        terms = [r[0] for r in rows]
        keys = lists.keys(terms) if lists is not None else None  # stored with the words (derived data)
        if keys is None:
            keys = [romanisation_key(t) for t in terms]
        bucket = (terms, keys, [r[1] for r in rows])
        self._buckets[letter] = bucket
        if len(self._buckets) > BUCKET_CACHE:
            self._buckets.popitem(last=False)
        return bucket

    # ------------------------------------------------------------ SQL

    def _filters(self, kind: str, options: SearchOptions, dates: bool = False) -> tuple[str, list[str], dict]:
        """(joins, conditions, parameters) of the options' filters for one kind of row; ``dates``: the
        documents are joined (as ``d``) for their dates even without a filter on them."""
        alias = "p" if kind == PASSAGE else "q"
        joins, where, params = "", [], {}
        if options.speakers:
            marks = ", ".join(f":s{i}" for i in range(len(options.speakers)))
            params.update({f"s{i}": s for i, s in enumerate(options.speakers)})
            where.append(
                f"p.speaker_id IN ({marks})"
                if kind == PASSAGE
                else f"(q.speaker_id IN ({marks}) OR q.quoted_by IN ({marks}))"
            )
        if options.documents:
            marks = ", ".join(f":d{i}" for i in range(len(options.documents)))
            params.update({f"d{i}": d for i, d in enumerate(options.documents)})
            where.append(f"{alias}.document_id IN ({marks})")
        if options.collection or options.date_from or options.date_to or dates:
            joins = f" JOIN documents d ON d.id = {alias}.document_id"
        if options.collection:
            where.append("d.collection = :collection")
            params["collection"] = options.collection
        if options.date_from:
            # the document ends on or after the start, compared at the precision both have
            where.append(
                "d.date IS NOT NULL AND substr(COALESCE(d.date_end, d.date), 1, min(length(COALESCE("
                "d.date_end, d.date)), length(:date_from))) >= substr(:date_from, 1, min(length(COALESCE("
                "d.date_end, d.date)), length(:date_from)))"
            )
            params["date_from"] = options.date_from
        if options.date_to:
            where.append(
                "d.date IS NOT NULL AND substr(d.date, 1, min(length(d.date), length(:date_to))) "
                "<= substr(:date_to, 1, min(length(d.date), length(:date_to)))"
            )
            params["date_to"] = options.date_to
        if kind == QUOTE:
            where.append("q.kind = 'quote'")
        return joins, where, params

    def _select(
        self, kind: str, prepared: PreparedQuery, *, ranked: bool, ordered: bool, limit: int | None
    ) -> list[Match]:
        """Matches of one kind: by FTS5 (ranked by BM25 or in document order), or, browsing, every row
        of the filters' scope; ordered by the options' order when ``ordered``."""
        options = prepared.options
        if ranked and ordered and limit is not None and not prepared.browse and not _filtered(options):
            return self._ranked_by_fts(kind, prepared.fts, limit, count=_has_phrase(prepared))
        by_date = ordered and options.order == "date"
        joins, where, params = self._filters(kind, options, dates=by_date)
        date = "d.date" if by_date else "NULL"
        if prepared.browse:
            ranked = False
            if kind == PASSAGE:
                sql = (
                    f"SELECT p.id AS id, p.id AS pid, 0 AS start, NULL AS score, {date} AS date FROM passages p{joins}"
                )
            else:
                sql = (
                    f"SELECT q.id AS id, q.passage_id AS pid, q.start AS start, NULL AS score, {date} AS date "
                    f"FROM quotes q{joins}"
                )
            conditions = list(where)
        else:
            params["q"] = prepared.fts
            if kind == PASSAGE:
                score = f"bm25(passages_fts, {PASSAGE_WEIGHTS[0]}, {PASSAGE_WEIGHTS[1]})" if ranked else "NULL"
                sql = (
                    f"SELECT passages_fts.rowid AS id, passages_fts.rowid AS pid, 0 AS start, {score} AS score, "
                    f"{date} AS date FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid{joins}"
                )
                conditions = ["passages_fts MATCH :q", *where]
            else:
                score = f"bm25(quotes_fts, {QUOTE_WEIGHTS[0]}, {QUOTE_WEIGHTS[1]})" if ranked else "NULL"
                sql = (
                    f"SELECT quotes_fts.rowid AS id, q.passage_id AS pid, q.start AS start, {score} AS score, "
                    f"{date} AS date FROM quotes_fts JOIN quotes q ON q.id = quotes_fts.rowid{joins}"
                )
                conditions = ["quotes_fts MATCH :q", *where]
        if conditions:
            sql += " WHERE " + " AND ".join(conditions)
        if ordered:
            place = "id" if kind == PASSAGE else "pid, start, id"
            if ranked:
                order = f"score, {place}"
            elif by_date:
                order = f"d.date IS NULL, d.date, {place}"
            else:
                order = place
            sql += f" ORDER BY {order}"
        if limit is not None:
            sql += " LIMIT :limit"
            params["limit"] = limit
        boost = QUOTE_BOOST if kind == QUOTE else 1.0
        return [
            Match(
                kind, r["id"], r["pid"], r["start"], r["score"] * boost if r["score"] is not None else None, r["date"]
            )
            for r in self._execute(sql, params)
        ]

    def _ranked_by_fts(self, kind: str, fts: str, limit: int, count: bool = False) -> list[Match]:
        """The first ``limit`` of one kind by BM25 without filters, ranked on the FTS5 table alone: joining each
        match to its row before sorting (a seek into the table of texts per match) doubles the time of a
        frequent query. Quotes: the best rows of every kind are read, ``limit`` and a margin, and those of
        kind "quote" kept; rows scoring under the last one read are exactly the best (a row not read scores
        at least that much), else more are read. ``count``: the passages are also counted in the same pass
        (for a phrase, whose positions a count would read again), for ``_kind_total``."""
        if kind == PASSAGE:
            weights = ", ".join(map(str, PASSAGE_WEIGHTS))
            if count:
                sql = (
                    f"WITH m AS MATERIALIZED (SELECT rowid AS id, bm25(passages_fts, {weights}) AS score "
                    "FROM passages_fts WHERE passages_fts MATCH ?) "
                    "SELECT id, score, count(*) OVER () FROM m ORDER BY score, id LIMIT ?"
                )
                rows = self._execute(sql, (fts, limit))
                self._counted[(PASSAGE, fts)] = rows[0][2] if rows else 0
            else:
                sql = (
                    f"SELECT rowid, bm25(passages_fts, {weights}) AS score FROM passages_fts "
                    "WHERE passages_fts MATCH ? ORDER BY score, rowid LIMIT ?"
                )
                rows = self._execute(sql, (fts, limit))
            return [Match(PASSAGE, r[0], r[0], 0, r[1]) for r in rows]
        weights = ", ".join(map(str, QUOTE_WEIGHTS))
        sql = (
            f"SELECT rowid, bm25(quotes_fts, {weights}) AS score FROM quotes_fts "
            "WHERE quotes_fts MATCH ? ORDER BY score LIMIT ?"
        )
        want = limit + limit // 2 + QUOTE_MARGIN
        while True:
            rows = self._execute(sql, (fts, want))
            ids = [r[0] for r in rows]
            found: list[Match] = []
            for start in range(0, len(ids), 500):
                part = ids[start : start + 500]
                scores = {r[0]: r[1] for r in rows[start : start + 500]}
                found += [
                    Match(QUOTE, i, pid, at, scores[i] * QUOTE_BOOST)
                    for i, pid, at in self._execute(
                        f"SELECT id, passage_id, start FROM quotes WHERE kind = 'quote' AND id IN "
                        f"({','.join('?' * len(part))})",
                        part,
                    )
                ]
            if len(rows) < want:  # every match read
                return sorted(found, key=lambda m: m.sort_key("relevance"))[:limit]
            last = rows[-1][1] * QUOTE_BOOST
            sure = sorted((m for m in found if m.score < last), key=lambda m: m.sort_key("relevance"))
            if len(sure) >= limit:
                return sure[:limit]
            want *= 4

    def _count(self, kind: str, prepared: PreparedQuery) -> int:
        if not prepared.browse and not _filtered(prepared.options) and (kind, prepared.fts) in self._counted:
            return self._counted[(kind, prepared.fts)]
        joins, where, params = self._filters(kind, prepared.options)
        table, alias = ("passages", "p") if kind == PASSAGE else ("quotes", "q")
        if prepared.browse:
            sql = f"SELECT count(*) FROM {table} {alias}{joins}" + (" WHERE " + " AND ".join(where) if where else "")
            return self._execute(sql, params)[0][0]
        params["q"] = prepared.fts
        sql = f"SELECT count(*) FROM {table}_fts"
        if joins or where:
            sql += f" JOIN {table} {alias} ON {alias}.id = {table}_fts.rowid{joins}"
        sql += f" WHERE {table}_fts MATCH :q" + "".join(f" AND {w}" for w in where)
        return self._execute(sql, params)[0][0]

    def _places_count(self, prepared: PreparedQuery) -> int:
        """How many passages (places) hold a match: the passages matching and those of the quotes matching."""
        parts, params = [], {}
        for kind in self._kinds(prepared.options):
            joins, where, kind_params = self._filters(kind, prepared.options)
            params.update(kind_params)
            if kind == PASSAGE:
                head = (
                    "SELECT p.id FROM passages p"
                    if prepared.browse
                    else ("SELECT passages_fts.rowid FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid")
                )
                conditions = list(where) if prepared.browse else ["passages_fts MATCH :q", *where]
            else:
                head = (
                    "SELECT q.passage_id FROM quotes q"
                    if prepared.browse
                    else ("SELECT q.passage_id FROM quotes_fts JOIN quotes q ON q.id = quotes_fts.rowid")
                )
                conditions = list(where) if prepared.browse else ["quotes_fts MATCH :q", *where]
            parts.append(head + joins + (" WHERE " + " AND ".join(conditions) if conditions else ""))
        if not prepared.browse:
            params["q"] = prepared.fts
        return self._execute(f"SELECT count(*) FROM ({' UNION '.join(parts)})", params)[0][0]

    def _total(self, prepared: PreparedQuery) -> tuple[int, bool]:
        """(the number of places, exact?): exact when browsing or when there are few matches; else the
        number of matching passages (quotes, for quotes only), which nearly every match is in."""
        if prepared.browse:
            return self._places_count(prepared), True
        counts: dict[str, int] = {}
        for kind in self._kinds(prepared.options):
            counts[kind] = self._kind_total(kind, prepared)
            if kind == PASSAGE and counts[kind] > EXACT_PLACES:
                return counts[kind], False  # "about" that many: the quotes need not be counted
        if sum(counts.values()) <= EXACT_PLACES:
            return self._places_count(prepared), True
        return counts.get(PASSAGE, counts[QUOTE]), False

    def _kinds(self, options: SearchOptions) -> tuple[str, ...]:
        return (QUOTE,) if options.quotes_only else (PASSAGE, QUOTE)

    def _ordered(self, prepared: PreparedQuery, n: int) -> list[Match]:
        if not prepared.runnable:
            return []
        if prepared.options.exact_diacritics:
            return self._exact_matches(prepared, n)[0]
        return self._matches(prepared, n)

    def _matches(self, prepared: PreparedQuery, n: int) -> list[Match]:
        """The first ``n`` places in the chosen order (``places``: passages and the quotes in them merged).
        By relevance, each side comes from the archive's top-k lists when they can answer exactly, else
        from FTS5's ranking. Each kind is read ``n`` at a time; a kind is read further only while its last
        match read could still come before the ``n``-th place (quotes, when a passage holds several)."""
        order = prepared.options.order
        want = {kind: n for kind in self._kinds(prepared.options)}
        got: dict[str, list[Match]] = {}
        while True:
            for kind, count in want.items():
                if kind in got and len(got[kind]) >= count:
                    continue
                listed = self._listed(kind, prepared, count) if order == "relevance" and not prepared.browse else None
                got[kind] = (
                    listed
                    if listed is not None
                    else self._select(kind, prepared, ranked=order == "relevance", ordered=True, limit=count)
                )
                self.ranked_by[kind] = "lists" if listed is not None else "fts5"
            found = sorted((m for ms in got.values() for m in ms), key=lambda m: m.sort_key(order))
            merged = places(found)
            cut = merged[n - 1].sort_key(order) if len(merged) >= n else None
            short = [
                kind
                for kind, ms in got.items()
                if len(ms) >= want[kind]
                and want[kind] < MAX_LIMIT * 4
                and (cut is None or ms[-1].sort_key(order) < cut)
            ]
            if not short:
                return merged[:n]
            for kind in short:
                want[kind] *= 2

    # ------------------------------------------------------------ top-k lists

    def _lists_for(self, kind: str) -> topk.TopK | None:
        """The archive's top-k lists for one kind of result (read once per Search), or None."""
        if not self._use_lists:
            return None
        table = "passages" if kind == PASSAGE else "quotes"
        lists = self._lists.get(table)
        if lists is None:
            lists = self._lists[table] = topk.TopK(self._lists_query, table)
        return lists if lists.present else None

    def _lists_query(self, sql: str, params) -> list:
        try:
            return self._execute(sql, params)
        except (QueryTimeout, QueryInterrupted):
            raise
        except ArchiveError as e:  # a damaged or odd list: rank with FTS5 instead
            raise topk.TopKError(e.message) from e

    def _listed(self, kind: str, prepared: PreparedQuery, n: int) -> list[Match] | None:
        """The first ``n`` of one kind by relevance from the top-k lists, or None when they cannot say."""
        shape = phrase_query(prepared)
        lists = self._lists_for(kind) if shape else None
        if lists is None:
            return None
        weights = PASSAGE_WEIGHTS if kind == PASSAGE else QUOTE_WEIGHTS
        got = lists.rank(
            shape[0],
            n,
            weights=weights,
            keep=self._keeper(kind, prepared.options),
            check=self._budget.check,
            exclude=shape[1],
        )
        if got is None:
            return None
        if kind == PASSAGE:
            return [Match(PASSAGE, rowid, rowid, -1, score) for rowid, score, _key in got]
        return [Match(QUOTE, rowid, key[0], key[1], score * QUOTE_BOOST) for rowid, score, key in got]

    def _keeper(self, kind: str, options: SearchOptions) -> Callable[[list[int]], set[int]] | None:
        """Which of some rows pass the filters, or None without filters."""
        if not _filtered(options):
            return None
        joins, where, params = self._filters(kind, options)
        table, alias = ("passages", "p") if kind == PASSAGE else ("quotes", "q")

        def keep(ids: list[int]) -> set[int]:
            marks = ", ".join(f":k{i}" for i in range(len(ids)))
            sql = f"SELECT {alias}.id FROM {table} {alias}{joins} WHERE {alias}.id IN ({marks})"
            sql += "".join(f" AND {w}" for w in where)
            return {r[0] for r in self._execute(sql, {**params, **{f"k{i}": v for i, v in enumerate(ids)}})}

        return keep

    def _kind_total(self, kind: str, prepared: PreparedQuery) -> int:
        """How many results of one kind: from the lists for one word or phrase without filters, else counted."""
        shape = phrase_query(prepared)
        groups = shape[0] if shape and not shape[1] else None
        if groups and len(groups) == 1 and len(groups[0]) == 1 and not _filtered(prepared.options):
            lists = self._lists_for(kind)
            got = lists.matches(groups[0][0]) if lists is not None else None
            if got is not None:
                return got
        return self._count(kind, prepared)

    def _exact_matches(self, prepared: PreparedQuery, n: int) -> tuple[list[Match], int]:
        """With exact diacritics: every candidate checked against its text; the first ``n`` places and
        the number of places that pass."""
        order = prepared.options.order
        candidates: list[Match] = []
        for kind in self._kinds(prepared.options):
            candidates += self._select(kind, prepared, ranked=order == "relevance", ordered=order == "date", limit=None)
        candidates.sort(key=lambda m: m.sort_key(order))
        passed: list[Match] = []
        for i in range(0, len(candidates), 200):
            self._budget.check()
            batch = candidates[i : i + 200]
            passed += [m for m, texts in zip(batch, self._texts(batch)) if exact_match(prepared, *texts)]
        found = places(passed)
        return found[:n], len(found)

    def _texts(self, matches: list[Match]) -> list[tuple[str, str]]:
        passages = {p.id: p for p in self.archive.passages_by_ids([m.id for m in matches if m.kind == PASSAGE])}
        out = []
        for m in matches:
            if m.kind == PASSAGE:
                p = passages.get(m.id)
                out.append((p.text, p.speaker_name or "") if p else ("", ""))
            else:
                q = self.archive.quote(m.id)
                out.append((q.text, q.speaker_name or q.speaker_label or "") if q else ("", ""))
        return out

    # ------------------------------------------------------------ results

    def _first_page(self, prepared: PreparedQuery) -> SearchResult:
        n = prepared.options.limit
        if prepared.options.exact_diacritics:
            matches, _total = self._exact_matches(prepared, n)
        else:
            matches = []
            for kind in self._kinds(prepared.options):
                matches += self._select(kind, prepared, ranked=False, ordered=prepared.browse, limit=n)
            matches.sort(key=lambda m: m.sort_key(prepared.options.order if prepared.browse else "document"))
            matches = places(matches)[:n]
        return SearchResult(
            prepared.text,
            None,
            tuple(self._hits(prepared, matches)),
            prepared.variants,
            prepared.query.notes,
            stage="first",
            prepared=prepared,
        )

    def _ranked(self, prepared: PreparedQuery, offset: int) -> SearchResult:
        n = offset + prepared.options.limit
        exact = True
        if prepared.options.exact_diacritics:
            matches, total = self._exact_matches(prepared, n)
        else:
            matches = self._matches(prepared, n)
            total, exact = self._total(prepared)
            if len(matches) < n:  # the whole answer is here: its places are counted
                total, exact = len(matches), True
        hits = self._hits(prepared, matches[offset:])
        hint = (NOTHING_IN_SCOPE_HINT if prepared.browse else NO_RESULTS_HINT) if total == 0 else None
        return SearchResult(
            prepared.text,
            total,
            tuple(hits),
            prepared.variants,
            prepared.query.notes,
            hint=hint,
            offset=offset,
            prepared=prepared,
            exact=exact,
        )

    def _hint_result(self, prepared: PreparedQuery) -> SearchResult:
        return SearchResult(
            prepared.text, None, (), (), prepared.query.notes, hint=prepared.query.hint, prepared=prepared
        )

    def _timeout_result(self, text: str) -> SearchResult:
        query = parse(text)
        return SearchResult(query.text, None, (), (), query.notes, message=TIMEOUT_MESSAGE)

    def _document(self, document_id: int) -> Document | None:
        if document_id not in self._documents:
            self._documents[document_id] = self.archive.document(document_id)
        return self._documents[document_id]

    def _hits(self, prepared: PreparedQuery, matches: list[Match]) -> list[SearchHit]:
        self._budget.check()
        # one query for each kind of row a page needs, not one per hit
        quotes = {q.id: q for q in self.archive.quotes_by_ids([m.id for m in matches if m.kind == QUOTE])}
        wanted = [m.id for m in matches if m.kind == PASSAGE] + [q.passage_id for q in quotes.values()]
        passages = {p.id: p for p in self.archive.passages_by_ids(list(dict.fromkeys(wanted)))}
        unknown = {p.document_id for p in passages.values()} - self._documents.keys()
        for doc in self.archive.documents_by_ids(sorted(unknown)):
            self._documents[doc.id] = doc
        inside: dict[int, list[Quote]] = {}
        if prepared.fts is not None:  # a passage whose words found are in a quote is shown as that quote
            for q in self.archive.quotes_in_passages([m.id for m in matches if m.kind == PASSAGE]):
                inside.setdefault(q.passage_id, []).append(q)
        hits = []
        for m in matches:
            quote = quotes.get(m.id) if m.kind == QUOTE else None
            p = passages.get(quote.passage_id if quote is not None else m.id)
            if p is None or (m.kind == QUOTE and quote is None):
                continue
            if quote is not None:  # a quote matched: its words are what was found
                inner = highlight_ranges(quote.text, prepared)
                marks = tuple((s + quote.start, e + quote.start) for s, e in inner)
            else:
                marks = highlight_ranges(p.text, prepared)
                quote = (
                    next((q for q in inside.get(p.id, ()) if q.start <= marks[0][0] and marks[0][1] <= q.end), None)
                    if marks
                    else None
                )
                inner = (
                    tuple(
                        (max(s, quote.start) - quote.start, min(e, quote.end) - quote.start)
                        for s, e in marks
                        if s < quote.end and e > quote.start
                    )
                    if quote is not None
                    else ()
                )
            doc = self._document(p.document_id)
            where = (
                p.document_id,
                doc.slug if doc else "",
                doc.title if doc else "",
                doc.date if doc else None,
                doc.date_label if doc else "",
                p.seq,
            )
            if quote is None:
                hits.append(
                    SearchHit(
                        PASSAGE,
                        p.id,
                        p.id,
                        *where,
                        p.speaker_id,
                        p.speaker_name,
                        None,
                        p.text,
                        0,
                        marks,
                        make_snippet(p.text, marks),
                        m.score,
                        p.page_label,
                        corrected=p.corrected,
                    )
                )
                continue
            hits.append(
                SearchHit(
                    QUOTE,
                    quote.id,
                    p.id,
                    *where,
                    quote.speaker_id,
                    quote.speaker_name or quote.speaker_label,
                    quote.quoted_by_name,
                    quote.text,
                    quote.start,
                    marks,
                    make_snippet(quote.text, inner),
                    m.score,
                    p.page_label,
                    corrected=quote.corrected,
                )
            )
        return hits


def _has_phrase(prepared: PreparedQuery) -> bool:
    """Whether the query searches a sequence of words (whose positions FTS5 reads to match it)."""
    return any(len(seq) > 1 for alts in prepared.alternatives.values() for seq in alts)


def _filtered(options: SearchOptions) -> bool:
    return bool(options.speakers or options.documents or options.collection or options.date_from or options.date_to)


def phrase_query(prepared: PreparedQuery) -> tuple[list[list[topk.Phrase]], list[topk.Phrase]] | None:
    """The query as phrases that must all match, each one of several (an AND of ORs), in the order of the FTS5
    expression (BM25 adds the phrases' shares in that order), and the phrases to leave out; None for other
    shapes (an OR of ANDs, a NOT inside parentheses) and for exact diacritics."""
    root = prepared.query.root
    if root is None or prepared.options.exact_diacritics:
        return None
    groups: list[list[topk.Phrase]] = []

    def phrases(term: Node) -> list[topk.Phrase] | None:
        if not isinstance(term, Term) or not prepared.alternatives.get(term):
            return None
        return [topk.Phrase(tuple(alt), term.prefix) for alt in prepared.alternatives[term]]

    def add(node: Node, top: bool) -> bool:
        if isinstance(node, And):
            return (top or not node.exclude) and all(add(item, False) for item in node.items)
        items = node.items if isinstance(node, Or) else (node,)
        group: list[topk.Phrase] = []
        for item in items:
            got = phrases(item)
            if got is None:
                return False
            group += got
        groups.append(group)
        return True

    if not add(root, True):
        return None
    exclude: list[topk.Phrase] = []
    for item in root.exclude if isinstance(root, And) else ():
        got = phrases(item)
        if got is None:
            return None
        exclude += got
    return groups, exclude


_ISO_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def parse_date_bound(text: str) -> str | None:
    """A date filter as ISO at the precision given: "2021", "2021-03", "2021-03-25",
    "25 March 2021", "March 2021", "25.03.2021"; None when it is not a date."""
    text = (text or "").strip()
    m = _ISO_PARTIAL.fullmatch(text)
    if m:
        month, day = m.group(2), m.group(3)
        if month and not 1 <= int(month) <= 12 or day and not 1 <= int(day) <= 31:
            return None
        return text
    from viewer.core.dates import parse_date  # its patterns are compiled at import: only for a date filter

    return parse_date(text)


def collections(archive: Archive) -> list[str]:
    """The archive's collection names, in listed order."""
    return list(dict.fromkeys(d.collection for d in archive.documents() if d.collection))


def _cased(word: str, like: str) -> str:
    """``word`` in the case of ``like`` (Title, UPPER or lower)."""
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def search(archive: Archive, text: str, options: SearchOptions | None = None, **kw) -> SearchResult:
    """One search, ranked: ``search(archive, "sanctions", quotes_only=True)``."""
    if options is None:
        options = SearchOptions(**kw)
    elif kw:
        options = replace(options, **kw)
    return Search(archive).run(text, options)
