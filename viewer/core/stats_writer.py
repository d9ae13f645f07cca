"""The precomputed statistics, one document at a time: written when documents are built or imported, read by
``viewer.core.stats``. No Qt.

* ``write_document_stats(conn, document_id)``: one new document's key figures, its term counts
  (added to the archive's and to its speakers'), the written forms of its mentions, and the labels
  of the terms it touched. Work in proportion to the document. ``remove_document_stats`` takes a
  document's share out again (before who said what in it changes: a correction).
* ``refresh_stats(conn, document_ids)``: what else those documents change archive-wide: the grouping
  of the entities they touch (``viewer.core.entity_groups``) and those groups' rows. ``document_ids=None``
  recomputes every label and group.

Everything again from the passages, in worker processes: ``viewer.core.stats_rebuild``. How every number is
computed is written down in ``docs/statistics.md``.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable

from viewer.core import derived
from viewer.core.db import chunks, placeholders
from viewer.core.entity_groups import json_strings, regroup, regroup_documents
from viewer.core.figures import find_figures, may_start_a_number
from viewer.core.records import HEADING, LIST_ITEM, QUOTE
from viewer.core.terms import _token, name_words
from viewer.core.text import fold_quotes
from viewer.core.tokens import TERM_RE

# Passages whose words are not the discussion: headings and the lists of related reports.
NOT_DISCUSSION = (HEADING, LIST_ITEM)
STATS_TABLES = (
    "figures",
    "terms",
    "term_forms",
    "speaker_terms",
    "mention_variants",
    "entity_keys",
    "entity_groups",
    "mention_groups",
)


def _speaker_names(conn: sqlite3.Connection, document_id: int) -> list[str]:
    names = []
    for name, aliases in conn.execute(
        "SELECT s.name, s.aliases FROM document_speakers ds JOIN speakers s ON s.id = ds.speaker_id "
        "WHERE ds.document_id = ?",
        (document_id,),
    ):
        names.append(name)
        names.extend(json_strings(aliases))
    return names


def mention_form(surface: str, after: str) -> str:
    """How a mention is written, with its possessive ("Nazarbayev’s", "Austrevicius’")."""
    a = fold_quotes(after[:3])
    if a.startswith("'s") and not a[2:3].isalpha():
        return surface + after[:2]
    if a.startswith("'") and surface[-1:] in "sSzZ" and not a[1:2].isalpha():
        return surface + after[:1]
    return surface


def _figure_row(pid: int, document_id: int, sid: int | None, f) -> tuple:
    return (
        pid,
        document_id,
        sid,
        f.start,
        f.end,
        f.value,
        f.number,
        f.number_max,
        f.noun,
        int(f.approx),
        f.context_start,
        f.context_end,
    )


_INSERT_FIGURE = (
    'INSERT INTO figures (passage_id, document_id, speaker_id, start, "end", value, number, number_max, '
    "noun, approx, context_start, context_end) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
)


def write_document_stats(conn: sqlite3.Connection, document_id: int) -> None:
    """Precompute the statistics of one document just written: its key figures, its term counts
    (added to the archive's and its speakers'), the labels of the terms it uses and the written
    forms of its mentions. Work in proportion to the document and its speakers' vocabularies."""
    _document_stats(conn, document_id, +1)


def remove_document_stats(conn: sqlite3.Connection, document_id: int) -> None:
    """Take one document's share out of the statistics, as ``write_document_stats`` counted it with
    the document as it is now: its figures go, its term counts are subtracted from the archive's and
    its speakers' (terms nobody uses any more go), and so are its mention forms. Before a change of
    who said what in the document (a correction), then ``write_document_stats`` with the change."""
    _document_stats(conn, document_id, -1)


def _document_stats(conn: sqlite3.Connection, document_id: int, sign: int) -> None:
    if not derived.statistics_current(conn):
        return  # stale statistics are made again whole, by refresh_stats
    passages = conn.execute(
        "SELECT id, speaker_id, kind, text FROM passages WHERE document_id = ? ORDER BY seq", (document_id,)
    ).fetchall()
    masks = _masks(conn, document_id)
    exclude = name_words(_speaker_names(conn, document_id))
    tokens = _writer_tokens()
    figure_rows = []
    tallies: dict[int | None, TermTally] = {}
    for pid, sid, kind, text in passages:
        if kind in NOT_DISCUSSION:
            number = True
        else:
            tally = tallies.get(sid)
            if tally is None:
                tally = tallies[sid] = TermTally(tokens)
            number = tally.add(text, exclude)
        if number and sign > 0:
            figure_rows.extend(_figure_row(pid, document_id, sid, f) for f in find_figures(text, masks.get(pid, ())))
    if sign > 0:
        conn.executemany(_INSERT_FIGURE, figure_rows)
    else:
        conn.execute("DELETE FROM figures WHERE document_id = ?", (document_id,))
    _add_terms(conn, tallies, sign)
    _add_mention_forms(conn, document_id, {pid: text for pid, _sid, _kind, text in passages}, sign)


def _masks(conn: sqlite3.Connection, document_id: int) -> dict[int, list[tuple[int, int]]]:
    """Where a document's passages hold no key figure: its mentions and quoted names and titles."""
    masks: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pid, start, end in conn.execute(
        'SELECT passage_id, start, "end" FROM mentions WHERE document_id = ?', (document_id,)
    ):
        masks[pid].append((start, end))
    for pid, start, end in conn.execute(
        'SELECT passage_id, start, "end" FROM quotes WHERE document_id = ? AND kind != ?', (document_id, QUOTE)
    ):
        masks[pid].append((start, end))
    return masks


def _add_terms(conn: sqlite3.Connection, tallies: dict[int | None, TermTally], sign: int) -> None:
    """A document's term counts (its speakers' tallies) added to the archive's and each speaker's (``sign``
    -1: taken out)."""
    words: Counter = Counter()
    by_speaker = {sid: tally.term_counts(words) for sid, tally in tallies.items()}
    doc_counts: Counter = Counter()
    doc_forms: Counter = Counter()
    for word, n in words.items():
        key, form, _name = _token(word)
        doc_counts[key] += n
        doc_forms[(key, form)] += n
    # the label is the archive's most written form, set by _relabel below
    conn.executemany(
        "INSERT INTO terms (key, label, count) VALUES (?, ?, ?) "
        "ON CONFLICT(key) DO UPDATE SET count = count + excluded.count",
        [(k, k, sign * c) for k, c in doc_counts.items()],
    )
    ids = _term_ids(conn, list(doc_counts))
    conn.executemany(
        "INSERT INTO term_forms (term_id, form, count) VALUES (?, ?, ?) "
        "ON CONFLICT(term_id, form) DO UPDATE SET count = count + excluded.count",
        [(ids[k], form, sign * c) for (k, form), c in doc_forms.items()],
    )
    if sign < 0:
        _drop_unused_terms(conn, list(ids.values()))
    _relabel(conn, list(ids.values()))
    for sid, counts in sorted(by_speaker.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)):
        if sid is not None:
            add_speaker_terms(conn, sid, {ids[k]: sign * c for k, c in counts.items()})


def _add_mention_forms(conn: sqlite3.Connection, document_id: int, texts: dict[int, str], sign: int) -> None:
    forms: Counter = Counter()
    for eid, pid, start, end, surface in conn.execute(
        'SELECT entity_id, passage_id, start, "end", surface FROM mentions WHERE document_id = ?', (document_id,)
    ):
        text = texts.get(pid, "")
        forms[(eid, mention_form(text[start:end] or surface, text[end : end + 3]))] += 1
    conn.executemany(
        "INSERT INTO mention_variants (entity_id, form, count) VALUES (?, ?, ?) "
        "ON CONFLICT(entity_id, form) DO UPDATE SET count = count + excluded.count",
        [(eid, form, sign * c) for (eid, form), c in forms.items()],
    )
    if sign < 0:
        conn.execute("DELETE FROM mention_variants WHERE count <= 0")


def _drop_unused_terms(conn: sqlite3.Connection, term_ids: list[int]) -> None:
    """Forms and terms whose count fell to zero (a document's share taken out) go."""
    for chunk in chunks(sorted(term_ids)):
        marks = placeholders(len(chunk))
        conn.execute(f"DELETE FROM term_forms WHERE term_id IN ({marks}) AND count <= 0", chunk)
        conn.execute(f"DELETE FROM terms WHERE id IN ({marks}) AND count <= 0", chunk)


_tokens_cache: _Tokens | None = None


def _writer_tokens() -> _Tokens:
    """What words count for, kept from one document to the next of a build or an import (and
    dropped by ``refresh_stats`` at its end, or when it grows large)."""
    global _tokens_cache
    if _tokens_cache is None or len(_tokens_cache.number) > 100_000:
        _tokens_cache = _Tokens()
    return _tokens_cache


def _term_ids(conn: sqlite3.Connection, keys: list[str]) -> dict[str, int]:
    out = {}
    for chunk in chunks(keys):
        out.update(
            conn.execute(f"SELECT key, id FROM terms WHERE key IN ({placeholders(len(chunk))})", chunk).fetchall()
        )
    return out


_LABEL_SQL = """UPDATE terms SET label = COALESCE((SELECT form FROM term_forms f WHERE f.term_id = terms.id
                 ORDER BY f.count DESC, length(f.form), f.form LIMIT 1), label)"""


def _relabel(conn: sqlite3.Connection, term_ids: list[int] | None) -> None:
    """Each term is shown under the form the whole archive writes most (ties: the shorter, then
    alphabetical; ``terms.best_form``), for these terms or all."""
    if term_ids is None:
        conn.execute(_LABEL_SQL)
        return
    for chunk in chunks(sorted(term_ids)):
        conn.execute(f"{_LABEL_SQL} WHERE id IN ({placeholders(len(chunk))})", chunk)


# ------------------------------------------------------------------ a speaker's terms


def add_speaker_terms(conn: sqlite3.Connection, speaker_id: int, counts: dict[int, int]) -> None:
    """Add a new document's term counts (term id -> count) to a speaker's (``speaker_terms``), or take
    them out (negative counts): work in proportion to the document, never to the archive. A term a
    speaker no longer uses has no row."""
    conn.executemany(
        "INSERT INTO speaker_terms (speaker_id, term_id, count) VALUES (?, ?, ?) "
        "ON CONFLICT(speaker_id, term_id) DO UPDATE SET count = count + excluded.count",
        [(speaker_id, tid, c) for tid, c in sorted(counts.items())],
    )
    if any(c < 0 for c in counts.values()):
        conn.execute("DELETE FROM speaker_terms WHERE speaker_id = ? AND count <= 0", (speaker_id,))


class TermTally:
    """The term counts of many passages, equal to ``TermCounts.add_text`` on each of them, but
    fast: each text is split on white space (no token of ``tokens.TERM_RE`` holds any), its words
    counted with ``Counter`` (in C) and mapped to terms once per distinct word when the counts are
    asked for. Exclusions (a document's speakers' names) are applied per text."""

    def __init__(self, tokens: _Tokens | None = None):
        self.tokens = tokens or _Tokens()
        self.words: Counter = Counter()

    def add(self, text: str, exclude: frozenset[str] = frozenset()) -> bool:
        """Count the terms of ``text``; True when it may state a key figure (one of its words may
        start a number: ``figures.may_start_a_number``)."""
        words = text.split()
        tokens = self.tokens
        number = max(map(tokens.number.__getitem__, words), default=False)  # learns every new word
        if exclude:
            words = tokens.without_names(words, exclude, self.words)
        self.words.update(words)
        return number

    def term_counts(self, surfaces: Counter | None = None) -> dict[str, int]:
        """key -> count; with ``surfaces``, the count of each counted token is added to it."""
        out: dict[str, int] = {}
        get, terms = out.get, self.tokens.terms  # every counted word was learned by add()
        if surfaces is None:
            for word, n in self.words.items():
                for key, _real in terms[word]:
                    out[key] = get(key, 0) + n
            return out
        surface = surfaces.get
        for word, n in self.words.items():
            for key, real in terms[word]:
                out[key] = get(key, 0) + n
                surfaces[real] = surface(real, 0) + n
        return out


class _NumberFlags(dict):
    def __init__(self, tokens: _Tokens):
        super().__init__()
        self.tokens = tokens

    def __missing__(self, word: str) -> bool:
        return self.tokens.learn(word)


class _Tokens:
    """What each word (a text split on white space) counts for, computed once: its tokens
    (``tokens.TERM_RE``: "rights," holds "rights") with their terms, whether it may start a
    number, and the words holding each name word."""

    def __init__(self) -> None:
        self.number = _NumberFlags(self)
        self.terms: dict[str, tuple[tuple[str, str], ...]] = {}  # word -> (key, token) of its terms
        self._by_name: dict[str, set[str]] = defaultdict(set)

    def learn(self, word: str) -> bool:
        terms = []
        for real in TERM_RE.findall(word):
            key, _form, name = _token(real)
            if key is not None:
                terms.append((key, real))
            if name:
                self._by_name[name].add(word)
        self.terms[word] = tuple(terms)
        flag = self.number[word] = may_start_a_number(word)
        return flag

    def without_names(self, words: list[str], exclude: frozenset[str], into: Counter) -> list[str]:
        """``words`` without those holding a word of the names in ``exclude`` written with a
        capital letter; the other tokens of such a word are added to ``into`` as words of their own."""
        bad: set[str] = set()
        for name in exclude:
            found = self._by_name.get(name)
            if found:
                bad |= found
        if not bad or bad.isdisjoint(words):
            return words
        bad.intersection_update(words)
        for word in bad:
            rest = [real for real in TERM_RE.findall(word) if _token(real)[2] not in exclude]
            if rest:
                n = words.count(word)
                for real in rest:
                    self.number[real]  # learns it
                    into[real] += n
        return [w for w in words if w not in bad]


# ------------------------------------------------------------------ archive-wide: labels and entity groups


def refresh_stats(conn: sqlite3.Connection, document_ids: Iterable[int] | None = None) -> None:
    """Recompute what new documents change archive-wide. The term labels were updated with each
    document; here the entities they touch (mentioned, new, or a speaker's) are grouped again with
    every entity whose name could be a spelling of theirs, and those groups' rows rewritten: work in
    proportion to the documents and the names they use. ``document_ids=None``: every label and
    every group, archive-wide. Statistics of another version (``derived``) are made again whole."""
    global _tokens_cache
    _tokens_cache = None
    if not derived.statistics_current(conn):
        from viewer.core.stats_rebuild import rebuild_stats  # (it builds on this module)

        rebuild_stats(conn, workers=0)  # in this process: the caller's transaction is open
        return
    if document_ids is None:
        _relabel(conn, None)
        regroup(conn, None)
        return
    regroup_documents(conn, document_ids)
