"""The user's corrections of who said what: their own data, in their own store, like bookmarks.

A correction says who said a quote or whose a passage is: a speaker (by name), narration (nobody's
words: a passage of the report's own, or a quoted span that is not speech) or unknown (someone's
words, nobody knows whose), with an optional note. It is anchored to the words, not to ids: the
document (slug and content hash), the ¶, the offsets and the words themselves, so that it finds its
words again in a rebuilt archive or after a re-import (``Resolver``). It keeps what the archive said
before (``before``), so that clearing it puts the archive back as the text was read.

``CorrectionStore`` is an SQLite file in the user's data folder, kept like the bookmarks
(``viewer.core.userstore``). Applying corrections to an archive is ``viewer.core.reattribution``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from viewer.core.bookmarks import clean_note
from viewer.core.errors import DataDamaged
from viewer.core.records import (
    CORRECTED,
    CORRECTED_NARRATION,
    CORRECTED_UNKNOWN,
    QUOTE,
    Document,
    Passage,
    Quote,
)
from viewer.core.text import fold
from viewer.core.userstore import StoreError, StoreKind, StoreTooNewError, UserStore, now_iso

APPLICATION_ID = 0x41566331  # "AVc1": an Archive Viewer corrections store
STORE_VERSION = 1
STORE_NAME = "corrections.db"

QUOTE_TARGET = "quote"
PASSAGE_TARGET = "passage"
TARGETS = (QUOTE_TARGET, PASSAGE_TARGET)

SPEAKER = "speaker"  # the words are this speaker's
NARRATION = "narration"  # nobody's words: the report's own (a quoted span: a name, title or scare quote)
UNKNOWN = "unknown"  # someone's words, nobody knows whose
DECISIONS = (SPEAKER, NARRATION, UNKNOWN)
# how the archive marks a row a correction decided (``passages.attribution``, ``quotes.rule``)
MARKS = {SPEAKER: CORRECTED, NARRATION: CORRECTED_NARRATION, UNKNOWN: CORRECTED_UNKNOWN}

# Where a correction stands in one archive (``Placement.status``).
APPLIED = "applied"  # its words are there and the archive says what the correction says
PENDING = "not applied"  # its words are there, the archive says something else (apply it)
NOT_FOUND = "words not found"  # the document is there, its words are not (as they were corrected)
MISSING = "document not in this archive"
UNRESOLVED = "no archive"

MAX_NAME = 200
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uid TEXT NOT NULL UNIQUE,
    target TEXT NOT NULL CHECK (target IN ('quote', 'passage')),
    document_slug TEXT NOT NULL,
    document_title TEXT NOT NULL,
    content_hash TEXT NOT NULL DEFAULT '',
    paragraph INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('speaker', 'narration', 'unknown')),
    speaker TEXT NOT NULL DEFAULT '',
    new_speaker INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    was TEXT NOT NULL DEFAULT '',
    before TEXT NOT NULL DEFAULT '{}',
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX corrections_document ON corrections(document_slug, paragraph);
"""
_COLUMNS = [
    "id",
    "uid",
    "target",
    "document_slug",
    "document_title",
    "content_hash",
    "paragraph",
    "start",
    "end",
    "text",
    "text_hash",
    "decision",
    "speaker",
    "new_speaker",
    "note",
    "was",
    "before",
    "created",
    "updated",
]
_SELECT = "SELECT " + ", ".join(f'"{c}"' for c in _COLUMNS) + " FROM corrections"


class CorrectionError(StoreError):
    """The corrections cannot be read or saved. ``message`` is one plain line for the user."""


class CorrectionNotFound(CorrectionError):
    pass


class CorrectionsTooNew(CorrectionError, StoreTooNewError):
    pass


CORRECTIONS = StoreKind(
    "corrections",
    APPLICATION_ID,
    STORE_VERSION,
    _SCHEMA,
    {"meta": {"key", "value"}, "corrections": set(_COLUMNS)},
    "corrections",
    CorrectionError,
    CorrectionsTooNew,
)


# ---------------------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Correction:
    """Who said a quote, or whose a passage is, as the user decided. ``text`` is the quote's words
    (``start``/``end`` its offsets in the passage at ¶ ``paragraph``) or the passage's whole text;
    ``speaker`` is the speaker's name for ``decision == SPEAKER`` (``new_speaker``: a new speaker
    even if the archive has one with a name like it); ``was`` says who the archive named before, for
    people; ``before`` (JSON) is what the archive said, to put back when the correction is cleared."""

    target: str
    document_slug: str
    document_title: str
    paragraph: int
    start: int
    end: int
    text: str
    decision: str
    speaker: str = ""
    new_speaker: bool = False
    note: str = ""
    content_hash: str = ""
    was: str = ""
    before: str = "{}"
    id: int | None = None
    uid: str = ""
    text_hash: str = ""
    created: str = ""
    updated: str = ""

    @property
    def mark(self) -> str:
        """The value the archive's ``quotes.rule`` / ``passages.attribution`` takes."""
        return MARKS[self.decision]

    @property
    def label(self) -> str:
        """What the correction says, for people: "Peter Burian", "narration", "speaker unknown"."""
        if self.decision == SPEAKER:
            return self.speaker
        return "narration (nobody's words)" if self.decision == NARRATION else "speaker unknown"

    @property
    def where(self) -> str:
        what = "quote" if self.target == QUOTE_TARGET else "passage"
        return f"{what} in “{self.document_title}”, ¶ {self.paragraph}"

    def before_values(self) -> dict:
        try:
            data = json.loads(self.before or "{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def to_dict(self) -> dict:
        d = asdict(self)
        d["before"] = self.before_values()
        return d


@dataclass(frozen=True)
class Placement:
    """Where a correction is in one archive: ``passage_id`` and, for a quote, ``quote_id`` there;
    ``reason`` says why it is not applied or not found."""

    status: str
    passage_id: int | None = None
    quote_id: int | None = None
    document_id: int | None = None
    reason: str = ""

    @property
    def found(self) -> bool:
        return self.status in (APPLIED, PENDING)


# ---------------------------------------------------------------------------------------- values


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def clean_name(name: str) -> str:
    """A speaker's name as typed, made safe: control and invisible characters go, spaces collapse."""
    name = _SURROGATE_RE.sub("", name or "")
    name = " ".join(_CONTROL_RE.sub("", name).split())
    if len(name) > MAX_NAME:
        raise ValueError(f"a name has at most {MAX_NAME} characters")
    return name


def check_decision(decision: str, speaker: str) -> tuple[str, str]:
    """(decision, speaker) checked: a speaker decision needs a name; the others take none."""
    if decision not in DECISIONS:
        raise ValueError(f"a correction says {', '.join(DECISIONS)}, not {decision!r}")
    speaker = clean_name(speaker) if decision == SPEAKER else ""
    if decision == SPEAKER and not re.search(r"\w", speaker):
        raise ValueError("give the speaker's name")
    return decision, speaker


def same_name(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and fold(a).split() == fold(b).split()


def describe_attribution(quote: Quote | None, passage: Passage | None) -> str:
    """Who the archive names for a quote (``quote``) or a passage (``passage``, ``quote`` None) now, for
    people: "Anna Shukeyeva", "unattributed (the text points to …)", "narration"."""
    return _who(quote, passage)


def _who(quote: Quote | None, passage: Passage | None) -> str:
    """Who the archive names for these words now, for people."""
    if quote is not None:
        if quote.kind != QUOTE:
            return f"not a quote (a quoted {quote.kind})"
        if quote.speaker_name:
            return quote.speaker_name
        if quote.speaker_label:
            return quote.speaker_label
        return "unattributed" + (f" (the text points to {quote.suggested_speaker})" if quote.suggested_speaker else "")
    if passage is None:
        return ""
    if passage.speaker_name:
        return passage.speaker_name
    if passage.attribution == CORRECTED_UNKNOWN:
        return "someone's words, speaker unknown"
    return "narration" if passage.attribution in (None, "narration", CORRECTED_NARRATION) else "no speaker"


def make_correction(
    archive,
    *,
    quote_id: int | None = None,
    passage_id: int | None = None,
    decision: str = SPEAKER,
    speaker: str = "",
    note: str = "",
    new_speaker: bool = False,
) -> Correction:
    """An unsaved correction of quote ``quote_id`` (any quoted span: a name, title or term the user says
    is someone's words becomes a quote) or of passage ``passage_id``, anchored to its words in
    ``archive``. ValueError says what is wrong (no such quote or passage, no name)."""
    decision, speaker = check_decision(decision, speaker)
    if (quote_id is None) == (passage_id is None):
        raise ValueError("give a quote or a passage")
    quote = None
    if quote_id is not None:
        quote = archive.quote(quote_id)
        if quote is None:
            raise ValueError(f"there is no quote {quote_id} in this archive")
        passage_id = quote.passage_id
    passage = archive.passage(passage_id)
    if passage is None:
        raise ValueError(f"there is no passage {passage_id} in this archive")
    document: Document = archive.document(passage.document_id)
    if quote is not None:
        start, end, words = quote.start, quote.end, quote.text
        if passage.text[start:end] != words:
            raise DataDamaged(
                f"The archive “{archive.path.name}” is damaged: quote {quote.id} is not where its passage says it is.",
                f"quote {quote.id}: {start}-{end} of passage {passage.id}",
            )
    else:
        start, end, words = 0, len(passage.text), passage.text
    return Correction(
        target=QUOTE_TARGET if quote is not None else PASSAGE_TARGET,
        document_slug=document.slug,
        document_title=document.title,
        paragraph=passage.seq,
        start=start,
        end=end,
        text=words,
        decision=decision,
        speaker=speaker,
        new_speaker=bool(new_speaker and decision == SPEAKER),
        note=clean_note(note),
        content_hash=_content_hash(archive, document.id),
        was=_who(quote, passage),
        text_hash=text_hash(words),
    )


def _content_hash(archive, document_id: int) -> str:
    row = archive.db.first("SELECT content_hash FROM documents WHERE id = ?", (document_id,))
    return (row[0] or "") if row else ""


# ---------------------------------------------------------------------------------------- resolving


_MAX_TRIES = 25  # places with the same words checked when they moved


class Resolver:
    """Finds corrections' words in one archive. Reads the archive on the calling thread; caches a
    document's passages and quotes, so resolve many corrections with one Resolver."""

    def __init__(self, archive):
        self.archive = archive
        self._docs: dict[tuple[str, str], Document | None] = {}
        self._passages: dict[int, list[Passage]] = {}
        self._quotes: dict[int, dict[int, list[Quote]]] = {}

    def document(self, c: Correction) -> Document | None:
        key = (c.content_hash, c.document_slug)
        if key not in self._docs:
            doc = None
            if c.content_hash:
                row = self.archive.db.first(
                    "SELECT id FROM documents WHERE content_hash = ? AND has_text = 1 ORDER BY id", (c.content_hash,)
                )
                doc = self.archive.document(row[0]) if row else None
            if doc is None:
                doc = self.archive.document(c.document_slug)
            self._docs[key] = doc if doc is not None and doc.has_text else None
        return self._docs[key]

    def passages(self, document_id: int) -> list[Passage]:
        if document_id not in self._passages:
            self._passages[document_id] = self.archive.passages(document_id)
        return self._passages[document_id]

    def quotes(self, document_id: int) -> dict[int, list[Quote]]:
        """Every quoted span of a document (any kind), by passage id."""
        if document_id not in self._quotes:
            by_passage: dict[int, list[Quote]] = defaultdict(list)
            for q in self.archive.quotes(document_id=document_id, kinds=None):
                by_passage[q.passage_id].append(q)
            self._quotes[document_id] = by_passage
        return self._quotes[document_id]

    def forget(self, document_id: int) -> None:
        """Read the document again next time (it was written)."""
        self._passages.pop(document_id, None)
        self._quotes.pop(document_id, None)

    def resolve(self, c: Correction) -> Placement:
        doc = self.document(c)
        if doc is None:
            return Placement(MISSING, reason=f"the document “{c.document_title}” is not in this archive")
        passages = self.passages(doc.id)
        order = sorted(passages, key=lambda p: (abs(p.seq - c.paragraph), p.seq))
        if c.target == PASSAGE_TARGET:
            for p in order:
                if p.text == c.text:
                    return self._status(c, doc, p, None)
            return Placement(
                NOT_FOUND,
                document_id=doc.id,
                reason="this passage's words are no longer in the document as they were corrected",
            )
        quotes = self.quotes(doc.id)
        tries = _MAX_TRIES
        for p in order:
            offsets = sorted(_occurrences(p.text, c.text), key=lambda s: (s != c.start, abs(s - c.start)))
            for start in offsets:
                quote = next(
                    (q for q in quotes.get(p.id, ()) if q.start == start and q.end == start + len(c.text)), None
                )
                if quote is not None:
                    return self._status(c, doc, p, quote)
                tries -= 1
                if tries == 0:
                    break
            if tries == 0:
                break
        return Placement(
            NOT_FOUND,
            document_id=doc.id,
            reason="these words are no longer a quoted span of the document as they were corrected",
        )

    def _status(self, c: Correction, doc: Document, p: Passage, q: Quote | None) -> Placement:
        quote_id = q.id if q is not None else None
        if is_applied(c, p, q):
            return Placement(APPLIED, p.id, quote_id, doc.id)
        now = _who(q, p)
        return Placement(PENDING, p.id, quote_id, doc.id, reason=f"the archive says: {now}")


def is_applied(c: Correction, passage: Passage, quote: Quote | None) -> bool:
    """Does the archive say what the correction says, marked as the user's?"""
    if quote is not None:
        if quote.rule != c.mark:
            return False
        if c.decision == NARRATION:
            return quote.kind != QUOTE
        if quote.kind != QUOTE:
            return False
        if c.decision == UNKNOWN:
            return quote.speaker_id is None and not quote.speaker_label
        return quote.speaker_id is not None and same_name(quote.speaker_name, c.speaker)
    if passage.attribution != c.mark:
        return False
    if c.decision == SPEAKER:
        return passage.speaker_id is not None and same_name(passage.speaker_name, c.speaker)
    return passage.speaker_id is None


def _occurrences(text: str, words: str) -> list[int]:
    out, i = [], text.find(words)
    while words and i >= 0:
        out.append(i)
        i = text.find(words, i + 1)
    return out


def resolve_all(archive, corrections: Iterable[Correction]) -> dict[int, Placement]:
    """Placements by correction id; UNRESOLVED for all when ``archive`` is None."""
    corrections = list(corrections)
    if archive is None:
        return {c.id: Placement(UNRESOLVED) for c in corrections}
    r = Resolver(archive)
    return {c.id: r.resolve(c) for c in corrections}


# ---------------------------------------------------------------------------------------- the store


class CorrectionStore(UserStore):
    """The user's corrections in one SQLite file (``viewer.core.userstore.UserStore``): one
    transaction per change, on disk when the method returns. Use from one thread."""

    KIND = CORRECTIONS

    @classmethod
    def open(cls, data_dir: str | os.PathLike | None = None, **kwargs) -> CorrectionStore:
        """The store in the user's data folder (see ``viewer.core.datadir``)."""
        from viewer.core.datadir import data_dir as resolve_dir

        return cls(resolve_dir(data_dir) / STORE_NAME, **kwargs)

    @staticmethod
    def _row(r: tuple) -> Correction:
        d = dict(zip(_COLUMNS, r))
        d["new_speaker"] = bool(d["new_speaker"])
        return Correction(**d)

    def count(self) -> int:
        return self._rows()

    def list(self, document_slug: str | None = None) -> list[Correction]:
        """Corrections in the order they were made (or of one document)."""
        where, params = ("", ()) if document_slug is None else (" WHERE document_slug = ?", (document_slug,))
        return [self._row(r) for r in self._read(_SELECT + where + " ORDER BY created, id", params)]

    def get(self, correction_id: int) -> Correction | None:
        rows = self._read(_SELECT + " WHERE id = ?", (correction_id,))
        return self._row(rows[0]) if rows else None

    def save(self, correction: Correction, replaces: Iterable[int] = ()) -> Correction:
        """Save a correction (from ``make_correction``); it takes the place of the corrections
        ``replaces`` (those of the same words): the oldest of them keeps its id, uid, creation time and
        what the archive said before it, the others go. Returns it as saved; it is on disk then."""
        c = correction
        decision, speaker = check_decision(c.decision, c.speaker)
        if c.target not in TARGETS:
            raise ValueError(f"a correction is of a {' or a '.join(TARGETS)}")
        now = now_iso()
        c = replace(
            c,
            decision=decision,
            speaker=speaker,
            note=clean_note(c.note),
            text_hash=text_hash(c.text),
            new_speaker=bool(c.new_speaker and decision == SPEAKER),
            updated=now,
        )
        with self._write("save the correction") as conn:
            olds = []
            for cid in sorted(set(replaces)):
                rows = conn.execute(_SELECT + " WHERE id = ?", (cid,)).fetchall()
                olds.extend(self._row(r) for r in rows)
            if olds:
                first = min(olds, key=lambda o: (o.created, o.id))
                c = replace(c, id=first.id, uid=first.uid, created=first.created, before=first.before, was=first.was)
                for o in olds:
                    if o.id != first.id:
                        conn.execute("DELETE FROM corrections WHERE id = ?", (o.id,))
                values = asdict(c)
                cols = [k for k in _COLUMNS if k not in ("id", "uid", "created")]
                conn.execute(
                    f"UPDATE corrections SET {', '.join(f'[{k}] = ?' for k in cols)} WHERE id = ?",
                    (*[_db(values[k]) for k in cols], c.id),
                )
            else:
                c = replace(c, id=None, uid=uuid.uuid4().hex, created=now)
                values = asdict(c)
                cols = [k for k in _COLUMNS if k != "id"]
                cur = conn.execute(
                    f"INSERT INTO corrections ({', '.join(f'[{k}]' for k in cols)}) "
                    f"VALUES ({', '.join('?' * len(cols))})",
                    tuple(_db(values[k]) for k in cols),
                )
                c = replace(c, id=cur.lastrowid)
        return c

    def set_before(self, correction_id: int, before: dict, was: str) -> None:
        """Keep what the archive said before the correction was applied (it is applied again to a
        rebuilt archive: what that archive's text said)."""
        with self._write("save the correction") as conn:
            conn.execute(
                "UPDATE corrections SET before = ?, was = ? WHERE id = ?",
                (json.dumps(before, ensure_ascii=False, sort_keys=True), was, correction_id),
            )

    def remove(self, correction_id: int) -> Correction:
        """Delete a correction; returns it (``restore`` puts it back)."""
        with self._write("clear the correction") as conn:
            rows = conn.execute(_SELECT + " WHERE id = ?", (correction_id,)).fetchall()
            if not rows:
                raise CorrectionNotFound(f"there is no correction {correction_id}")
            conn.execute("DELETE FROM corrections WHERE id = ?", (correction_id,))
        return self._row(rows[0])

    def restore(self, correction: Correction) -> Correction:
        """Put a correction back as it was (same id, uid and times), unless one with its uid is here."""
        with self._write("save the correction") as conn:
            if conn.execute("SELECT 1 FROM corrections WHERE uid = ?", (correction.uid,)).fetchone() is None:
                values = asdict(correction)
                keep_id = (
                    correction.id is not None
                    and conn.execute("SELECT 1 FROM corrections WHERE id = ?", (correction.id,)).fetchone() is None
                )
                cols = [k for k in _COLUMNS if keep_id or k != "id"]
                conn.execute(
                    f"INSERT INTO corrections ({', '.join(f'[{k}]' for k in cols)}) "
                    f"VALUES ({', '.join('?' * len(cols))})",
                    tuple(_db(values[k]) for k in cols),
                )
        rows = self._read(_SELECT + " WHERE uid = ?", (correction.uid,))
        return self._row(rows[0])


def _db(value):
    return int(value) if isinstance(value, bool) else value


def store_path(data_dir: str | os.PathLike | None = None) -> Path:
    from viewer.core.datadir import data_dir as resolve_dir

    return resolve_dir(data_dir) / STORE_NAME
