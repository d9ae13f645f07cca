"""Corrections written into an archive (``viewer.core.reattribution`` decides which archive and keeps the
user's store in step): who said what, as the user decided, everywhere the archive says it (the rows, the
full-text index, the counts, the statistics), in one transaction (``viewer.core.archive_writing.writing``,
as the importer writes: checked, locked, rolled back on any error).

For each document a correction touches:

* the quote or passage takes the decided speaker (a speaker of the archive matched the way an import
  matches them, ``ArchiveWriter.match_speaker``; a new name is a new speaker), or none, and is marked
  as the user's (``quotes.rule`` / ``passages.attribution``: ``corrected``, ``corrected-narration``,
  ``corrected-unknown``). A quoted span marked narration becomes a ``term`` (nobody's words); a name,
  title or term given a speaker becomes a quote. Quotes inside a corrected quote are relayed by its
  new speaker. A cleared correction puts back what the archive said before it (kept with the
  correction);
* what follows from who spoke is computed again: the rows' ``search_text`` and their full-text index
  rows, who was speaking at each mention, the document's speakers (a speaker left with nothing of
  theirs in it and no part of their own is no longer one of its speakers; a speaker in no document is
  kept out of the lists, and removed when nothing refers to them), the counts and the precomputed
  statistics (the document's share taken out and counted again, ``stats_writer``);
* the search's top-k lists are set aside (a changed row would make them wrong) and made again after
  the commit when the archive is small.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from viewer.core import schema
from viewer.core.archive import Archive
from viewer.core.build import EVENT_KINDS, ArchiveWriter, search_text
from viewer.core.corrections import APPLIED, NARRATION, PASSAGE_TARGET, SPEAKER, Correction, Placement, Resolver
from viewer.core.db import ArchiveError
from viewer.core.extract import XPerson
from viewer.core.records import QUOTE, TERM, is_corrected
from viewer.core.stats_writer import remove_document_stats, write_document_stats
from viewer.core.text import fold

# Archives with at most this many passages get their search's top-k lists made again after a
# correction (under a second; 20,000 passages take about 3 s on two cores); bigger ones are searched with
# FTS5 alone (the same results, slower on hundreds of thousands of passages).
TOPK_REBUILD_MAX_PASSAGES = 5_000
_DEFAULT_ROLES = ("panelist", "speaker")


@dataclass
class Outcome:
    """What applying corrections to one archive did. ``applied``: the corrections whose words now say
    what they say (written now or already); ``written``: those changed now; ``not_found``: with why."""

    archive: str
    copied_from: str | None = None
    applied: list[Correction] = field(default_factory=list)
    written: list[Correction] = field(default_factory=list)
    cleared: list[Correction] = field(default_factory=list)
    not_found: list[tuple[Correction, Placement]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    document_ids: list[int] = field(default_factory=list)
    befores: dict[int, tuple[dict, str]] = field(default_factory=dict)  # correction id -> (before, was)

    @property
    def changed(self) -> bool:
        return bool(self.written or self.cleared)


def as_person(name: str) -> XPerson:
    p = XPerson(key=fold(name))
    p.name = name
    return p


class _TxReader:
    """The writer's connection seen as ``viewer.core.db.Connection`` (rows by name), so that the read
    API (``Archive``, ``corrections.Resolver``) reads inside the write transaction."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path

    def execute(self, sql: str, params: tuple | dict = (), timeout_ms: int | None = None) -> list[sqlite3.Row]:
        cur = self.conn.cursor()
        cur.row_factory = sqlite3.Row
        return cur.execute(sql, params).fetchall()

    def first(self, sql: str, params: tuple | dict = (), timeout_ms: int | None = None) -> sqlite3.Row | None:
        rows = self.execute(sql + ("" if " LIMIT " in sql.upper() else " LIMIT 1"), params)
        return rows[0] if rows else None

    def close(self) -> None:
        pass


def apply_in(
    conn: sqlite3.Connection, path: Path, corrections: Iterable[Correction], clear: Iterable[Correction] = ()
) -> Outcome:
    """Apply ``corrections`` and undo ``clear`` (corrections taken back) in the archive open on
    ``conn`` (inside the caller's transaction); see the module docstring."""
    schema.add_optional_columns(conn)  # an archive made before quotes kept their rule
    out = Outcome(str(path))
    reader = Archive(path, _conn=_TxReader(conn, path))
    resolver = Resolver(reader)
    writer = ArchiveWriter(sqlite_utils.Database(conn))
    work: dict[int, list[tuple[str, Correction, Placement]]] = defaultdict(list)
    for c in clear:
        place = resolver.resolve(c)
        if place.status == APPLIED:
            work[place.document_id].append(("clear", c, place))
        elif place.found or place.document_id is not None:
            out.cleared.append(c)  # nothing of it in this archive to undo
    for c in corrections:
        place = resolver.resolve(c)
        if place.status == APPLIED:
            out.applied.append(c)
        elif place.found:
            work[place.document_id].append(("apply", c, place))
        else:
            out.not_found.append((c, place))
    if not work:
        return out
    doc = _Document(conn, writer, reader)
    for document_id, items in work.items():
        doc.start(document_id)
        for action, c, place in items:
            if action == "clear":
                doc.clear(c, place)
                out.cleared.append(c)
            else:
                before = doc.apply(c, place, out.notes)
                if before is not None:
                    out.befores[c.id] = before
                out.written.append(c)
                out.applied.append(c)
        doc.finish()
        out.document_ids.append(document_id)
    writer.refresh_counts()
    doc.remove_unused_speakers()
    from viewer.core.topk import drop_topk

    drop_topk(conn)  # rows of the index changed: the lists would rank them wrongly
    return out


class _Document:
    """The rows of one document being corrected, and what must be computed again afterwards."""

    def __init__(self, conn: sqlite3.Connection, writer: ArchiveWriter, reader: Archive):
        self.conn = conn
        self.writer = writer
        self.reader = reader
        self.touched_speakers: set[int] = set()

    def start(self, document_id: int) -> None:
        self.id = document_id
        self.passages: set[int] = set()  # passages whose speaker, or a quote's, changed
        self.losers: set[int] = set()  # speakers who lost a passage or a quote here
        self.rows: dict[int, dict] = {}  # speaker id -> their row in this document, as it was before
        self.fts_old = {"passages": {}, "quotes": {}}
        self.search_texts = {"passages": {}, "quotes": {}}
        remove_document_stats(self.conn, document_id)  # counted again with the change in finish()

    # ------------------------------------------------------------------ one correction

    def _speaker_id(self, c: Correction, notes: list[str]) -> int:
        if c.new_speaker:
            row = self.conn.execute("SELECT id FROM speakers WHERE name = ?", (c.speaker,)).fetchone()
            if row is not None:
                return row[0]
            sid = self.writer.speaker_for(as_person(c.speaker), exclude=self._all_speakers())
        else:
            sid = self.writer.speaker_for(as_person(c.speaker), notes=notes)
        self.touched_speakers.add(sid)
        return sid

    def _all_speakers(self) -> set[int]:
        return {r[0] for r in self.conn.execute("SELECT id FROM speakers")}

    def _row_of(self, speaker_id: int | None) -> dict | None:
        if speaker_id is None:
            return None
        row = self.conn.execute(
            "SELECT event_role, position, description FROM document_speakers WHERE document_id = ? AND speaker_id = ?",
            (self.id, speaker_id),
        ).fetchone()
        return {"event_role": row[0], "position": row[1], "description": row[2]} if row else None

    def _name(self, speaker_id: int | None) -> str | None:
        if speaker_id is None:
            return None
        row = self.conn.execute("SELECT name FROM speakers WHERE id = ?", (speaker_id,)).fetchone()
        return row[0] if row else None

    def apply(self, c: Correction, place: Placement, notes: list[str]) -> tuple[dict, str] | None:
        """Write one correction; returns (before, was) when the row was as the text read it (not yet
        the user's), to keep with the correction."""
        sid = self._speaker_id(c, notes) if c.decision == SPEAKER else None
        if c.target == PASSAGE_TARGET:
            return self._apply_passage(c, place.passage_id, sid)
        return self._apply_quote(c, place.quote_id, sid)

    def _apply_passage(self, c: Correction, passage_id: int, sid: int | None) -> tuple[dict, str] | None:
        old = self.conn.execute(
            "SELECT speaker_id, attribution, search_text FROM passages WHERE id = ?", (passage_id,)
        ).fetchone()
        before = None
        if not is_corrected(old[1]):
            before = (
                {
                    "speaker": self._name(old[0]),
                    "attribution": old[1],
                    "search_text": old[2],
                    "rows": _rows(old[0], self._row_of(old[0]), self._name(old[0])),
                },
                self._name(old[0]) or "narration",
            )
        self._passage(passage_id, sid, c.mark)
        if old[0] is not None and old[0] != sid:
            self.losers.add(old[0])
        return before

    def _apply_quote(self, c: Correction, quote_id: int, sid: int | None) -> tuple[dict, str] | None:
        old = self.conn.execute(
            "SELECT kind, speaker_id, speaker_label, quoted_by, rule, search_text, passage_id FROM quotes WHERE id = ?",
            (quote_id,),
        ).fetchone()
        kind, old_sid, label, quoted_by, rule, old_search, pid = old
        inner = self.conn.execute(
            'SELECT id, start, "end", quoted_by FROM quotes WHERE parent_id = ?', (quote_id,)
        ).fetchall()
        before = None
        if not is_corrected(rule):
            was = (self._name(old_sid) or label or "unattributed") if kind == QUOTE else f"not a quote ({kind})"
            rows = {}
            for who in (old_sid, quoted_by, *(r[3] for r in inner)):
                rows.update(_rows(who, self._row_of(who), self._name(who)))
            before = (
                {
                    "kind": kind,
                    "speaker": self._name(old_sid),
                    "label": label,
                    "quoted_by": self._name(quoted_by),
                    "rule": rule,
                    "search_text": old_search,
                    "rows": rows,
                    "inner": [[start, end, self._name(by)] for _i, start, end, by in inner],
                },
                was,
            )
        if c.decision == SPEAKER:
            new_kind, relayer = QUOTE, (None if quoted_by == sid else quoted_by)
        elif c.decision == NARRATION:
            new_kind, relayer = TERM, None
        else:
            new_kind, relayer = QUOTE, quoted_by
        self._quote(quote_id, pid, new_kind, sid, None, relayer, c.mark)
        # the words inside it were relayed by whoever said it: now by its new speaker (or by nobody)
        for child, _start, _end, by in inner:
            if by == old_sid and old_sid != sid:
                self._relay(child, sid)
                if by is not None:
                    self.losers.add(by)
        for changed in (old_sid, quoted_by):
            if changed is not None and changed not in (sid, relayer):
                self.losers.add(changed)
        return before

    def _relay(self, quote_id: int, relayer: int | None) -> None:
        """``relayer`` relays quote ``quote_id`` (nobody does when it is the quote's own speaker)."""
        self.conn.execute(
            "UPDATE quotes SET quoted_by = CASE WHEN speaker_id IS ? THEN NULL ELSE ? END WHERE id = ?",
            (relayer, relayer, quote_id),
        )

    def clear(self, c: Correction, place: Placement) -> None:
        """Put back what the archive said before ``c``."""
        before = c.before_values()
        rows = before.get("rows") if isinstance(before.get("rows"), dict) else {}
        if c.target == PASSAGE_TARGET:
            old = self.conn.execute("SELECT speaker_id FROM passages WHERE id = ?", (place.passage_id,)).fetchone()
            sid = self._restored_speaker(before.get("speaker"), rows)
            self._passage(
                place.passage_id,
                sid,
                before.get("attribution") or ("name" if sid else "narration"),
                before.get("search_text"),
            )
            if old[0] is not None and old[0] != sid:
                self.losers.add(old[0])
            return
        old = self.conn.execute(
            "SELECT speaker_id, quoted_by, passage_id FROM quotes WHERE id = ?", (place.quote_id,)
        ).fetchone()
        sid = self._restored_speaker(before.get("speaker"), rows)
        relayer = self._restored_speaker(before.get("quoted_by"), rows)
        kind = before.get("kind") or QUOTE
        self._quote(
            place.quote_id,
            old[2],
            kind,
            sid,
            before.get("label") if sid is None else None,
            relayer,
            before.get("rule"),
            before.get("search_text"),
        )
        relayed = {(a, b): who for a, b, who in before.get("inner") or () if isinstance(a, int) and isinstance(b, int)}
        for child, start, end, by in self.conn.execute(
            'SELECT id, start, "end", quoted_by FROM quotes WHERE parent_id = ?', (place.quote_id,)
        ).fetchall():
            if (start, end) in relayed:
                self.conn.execute(
                    "UPDATE quotes SET quoted_by = ? WHERE id = ?",
                    (self._restored_speaker(relayed[(start, end)], rows), child),
                )
            elif by == old[0] and old[0] != sid:
                self._relay(child, sid)
            if by is not None:
                self.losers.add(by)
        for changed in (old[0], old[1]):
            if changed is not None and changed not in (sid, relayer):
                self.losers.add(changed)

    def _restored_speaker(self, name: str | None, rows: dict) -> int | None:
        """The speaker named ``name`` before a correction (kept in the archive even with nothing of
        theirs left, so found by name), with their row in this document as it was."""
        if not name:
            return None
        row = self.conn.execute("SELECT id FROM speakers WHERE name = ?", (name,)).fetchone()
        sid = row[0] if row else self.writer.speaker_for(as_person(name))
        self.touched_speakers.add(sid)
        saved = rows.get(name)
        if isinstance(saved, dict):
            self.rows.setdefault(sid, saved)
        return sid

    def _passage(self, passage_id: int, sid: int | None, attribution: str | None, search: str | None = None) -> None:
        text = self._remember("passages", passage_id)
        self.conn.execute(
            "UPDATE passages SET speaker_id = ?, attribution = ? WHERE id = ?", (sid, attribution, passage_id)
        )
        self.search_texts["passages"][passage_id] = (
            search if search is not None else search_text(self._name(sid) or "", text)
        )
        self.passages.add(passage_id)

    def _quote(
        self,
        quote_id: int,
        passage_id: int,
        kind: str,
        sid: int | None,
        label: str | None,
        relayer: int | None,
        rule: str | None,
        search: str | None = None,
    ) -> None:
        text = self._remember("quotes", quote_id)
        self.conn.execute(
            "UPDATE quotes SET kind = ?, speaker_id = ?, speaker_label = ?, quoted_by = ?, rule = ? WHERE id = ?",
            (kind, sid, label, relayer, rule, quote_id),
        )
        self.search_texts["quotes"][quote_id] = (
            search if search is not None else search_text(self._name(sid) or label or "", text)
        )
        self.passages.add(passage_id)

    def _remember(self, table: str, rowid: int) -> str:
        """The row's text; its index row as it is now is kept, to take it out of the index."""
        text, search = self.conn.execute(f"SELECT text, search_text FROM [{table}] WHERE id = ?", (rowid,)).fetchone()
        self.fts_old[table].setdefault(rowid, (text, search))
        return text

    # ------------------------------------------------------------------ what follows

    def finish(self) -> None:
        for table in ("passages", "quotes"):
            for rowid, (text, old_search) in self.fts_old[table].items():
                new = self.search_texts[table][rowid]
                self.conn.execute(f"UPDATE [{table}] SET search_text = ? WHERE id = ?", (new, rowid))
                self.conn.execute(
                    f"INSERT INTO [{table}_fts]([{table}_fts], rowid, text, search_text) VALUES ('delete', ?, ?, ?)",
                    (rowid, text, old_search),
                )
                self.conn.execute(
                    f"INSERT INTO [{table}_fts](rowid, text, search_text) VALUES (?, ?, ?)", (rowid, text, new)
                )
        self._mentions()
        self._document_speakers()
        self._link_entities()
        write_document_stats(self.conn, self.id)
        self.writer.stats_documents.append(self.id)

    def _mentions(self) -> None:
        """Who was speaking at each mention of the changed passages: the innermost direct quote's
        speaker around it, else the passage's (as extraction sets it)."""
        for pid in sorted(self.passages):
            speaker = self.conn.execute("SELECT speaker_id FROM passages WHERE id = ?", (pid,)).fetchone()[0]
            quotes = self.conn.execute(
                'SELECT start, "end", speaker_id FROM quotes WHERE passage_id = ? AND kind = ?', (pid, QUOTE)
            ).fetchall()
            for mid, start in self.conn.execute(
                "SELECT id, start FROM mentions WHERE passage_id = ?", (pid,)
            ).fetchall():
                inner = [q for q in quotes if q[0] <= start < q[1]]
                by = max(inner, key=lambda q: q[0])[2] if inner else speaker
                self.conn.execute("UPDATE mentions SET speaker_id = ? WHERE id = ?", (by, mid))

    def _document_speakers(self) -> None:
        """The document's speakers and their counts from its passages and quotes as they are now."""
        conn, doc = self.conn, self.id
        counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
        for sid, n, words in conn.execute(
            "SELECT speaker_id, COUNT(*), COALESCE(SUM(words), 0) FROM passages "
            "WHERE document_id = ? AND speaker_id IS NOT NULL GROUP BY speaker_id",
            (doc,),
        ):
            counts[sid][0], counts[sid][1] = n, words
        for sid, n in conn.execute(
            "SELECT speaker_id, COUNT(*) FROM quotes WHERE document_id = ? AND kind = ? AND "
            "speaker_id IS NOT NULL GROUP BY speaker_id",
            (doc, QUOTE),
        ):
            counts[sid][2] = n
        relays = {
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT quoted_by FROM quotes WHERE document_id = ? AND quoted_by IS NOT NULL", (doc,)
            )
        }
        existing = {
            r[0]: r[1]
            for r in conn.execute("SELECT speaker_id, event_role FROM document_speakers WHERE document_id = ?", (doc,))
        }
        kind = conn.execute("SELECT kind FROM documents WHERE id = ?", (doc,)).fetchone()[0]
        default_role = "panelist" if kind in EVENT_KINDS else "speaker"
        position = conn.execute(
            "SELECT COALESCE(MAX(position), 0) FROM document_speakers WHERE document_id = ?", (doc,)
        ).fetchone()[0]
        for sid in sorted(set(counts) | relays):
            p, w, q = counts[sid] if sid in counts else (0, 0, 0)
            if sid in existing:
                conn.execute(
                    "UPDATE document_speakers SET passages = ?, words = ?, quotes = ? "
                    "WHERE document_id = ? AND speaker_id = ?",
                    (p, w, q, doc, sid),
                )
                continue
            saved = self.rows.get(sid) or {}
            if not saved.get("position"):
                position += 1
            conn.execute(
                "INSERT INTO document_speakers (document_id, speaker_id, event_role, position, description, "
                "passages, words, quotes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    doc,
                    sid,
                    saved.get("event_role") or default_role,
                    saved.get("position") or position,
                    saved.get("description"),
                    p,
                    w,
                    q,
                ),
            )
        for sid in self.losers:
            if sid in existing and sid not in counts and sid not in relays and existing[sid] in _DEFAULT_ROLES:
                conn.execute("DELETE FROM document_speakers WHERE document_id = ? AND speaker_id = ?", (doc, sid))
        self.touched_speakers |= self.losers

    def _link_entities(self) -> None:
        """A new speaker is the person the text mentions under their name (if it mentions one)."""
        for sid in self.touched_speakers:
            row = self.conn.execute("SELECT name_key FROM speakers WHERE id = ?", (sid,)).fetchone()
            if row is None:
                continue
            self.conn.execute(
                "UPDATE entities SET speaker_id = ? WHERE kind = 'person' AND speaker_id IS NULL AND "
                "name_key = ? AND NOT EXISTS (SELECT 1 FROM entities e WHERE e.kind = 'person' AND "
                "e.speaker_id = ?)",
                (sid, row[0], sid),
            )

    def remove_unused_speakers(self) -> None:
        """A speaker a correction made or left with nothing is removed once nothing refers to them."""
        refs = [
            ("document_speakers", "speaker_id"),
            ("passages", "speaker_id"),
            ("quotes", "speaker_id"),
            ("quotes", "quoted_by"),
            ("quotes", "suggested_speaker_id"),
            ("entities", "speaker_id"),
            ("mentions", "speaker_id"),
            ("figures", "speaker_id"),
            ("speaker_terms", "speaker_id"),
        ]
        for sid in sorted(self.touched_speakers):
            if not any(
                self.conn.execute(f"SELECT 1 FROM [{t}] WHERE [{c}] = ? LIMIT 1", (sid,)).fetchone() for t, c in refs
            ):
                self.conn.execute("DELETE FROM speakers WHERE id = ?", (sid,))


def _rows(sid: int | None, row: dict | None, name: str | None) -> dict:
    return {name: row} if sid is not None and row is not None and name else {}


def _check_indexes(conn: sqlite3.Connection) -> None:
    for table in schema.FTS:
        conn.execute(f"INSERT INTO [{table}_fts]([{table}_fts]) VALUES ('integrity-check')")


def write_corrections(path: Path, corrections: Iterable[Correction], clear: Iterable[Correction] = ()) -> Outcome:
    """Apply (and clear) corrections in the archive at ``path``, one transaction; ArchiveError when it
    cannot be written (nothing changes). The search's top-k lists are made again after the commit
    when the archive is small."""
    from viewer.core.archive_writing import check_archive, writing

    corrections, clear = list(corrections), list(clear)
    try:
        check_archive(path)  # what reading checks, and that it can be written
        with writing(Path(path)) as tx:
            out = apply_in(tx.conn, Path(path), corrections, clear)
            if out.changed:
                _check_indexes(tx.conn)
            else:
                tx.commit = False
    except ArchiveError as e:
        raise reworded(e) from e
    if out.changed:
        _remake_topk(Path(path))
    return out


def reworded(e: ArchiveError) -> ArchiveError:
    """The importer's checks say "nothing was imported"; for a correction nothing was changed."""
    message = e.message.replace("Nothing was imported.", "Nothing was changed.")
    message = message.replace("nothing was imported", "nothing was changed")
    return e if message == e.message else type(e)(message, e.details)


def _remake_topk(path: Path) -> None:
    from viewer.core.topk import build_topk

    conn = sqlite3.connect(path)
    try:
        n = conn.execute("SELECT COALESCE(SUM(passages), 0) FROM documents").fetchone()[0]
        if n <= TOPK_REBUILD_MAX_PASSAGES:
            build_topk(conn)
            conn.commit()
    except sqlite3.Error:
        pass  # the lists are optional: the search ranks with FTS5 alone without them
    finally:
        conn.close()


def apply_to(
    target_path: Path, copy_from: Path | None, corrections: list[Correction], clear: list[Correction] = ()
) -> Outcome:
    """Apply corrections where they go: ``target_path``, or (``copy_from``: the bundled archive) a copy
    of it that becomes the user's own archive at ``target_path`` when something changed."""
    if copy_from is None:
        return write_corrections(target_path, corrections, clear)
    from viewer.core.import_target import write_into_copy

    outcomes: list[Outcome] = []

    def write(work: Path) -> bool:
        outcomes.append(write_corrections(work, corrections, ()))
        return outcomes[0].changed

    copied = write_into_copy(copy_from, target_path, write, "nothing was changed")
    out = outcomes[0]
    out.archive = str(target_path if copied else copy_from)
    out.copied_from = str(copy_from) if copied else None
    return out
