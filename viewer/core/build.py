"""Sources -> archive.db. The importer writes documents with the same ``ArchiveWriter``.

``resources/sources/sources.toml`` lists the documents (text file plus curated metadata: title,
date, organiser, where to watch, the collections of related reports a document lists). Speakers,
passages, quotes and mentions come from ``viewer.core.extract``; the metadata may only correct a
speaker profile, and every such correction is reported.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import sqlite3
import tomllib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

import viewer
from viewer.core import derived, schema
from viewer.core import names as names_lib
from viewer.core.dates import parse_range
from viewer.core.errors import ViewerError
from viewer.core.extract import Extraction, XPerson, extract
from viewer.core.names import name_key
from viewer.core.records import HEADING, LIST_ITEM, QUOTE
from viewer.core.stats_writer import refresh_stats, write_document_stats
from viewer.core.text import fold, search_extra, slugify
from viewer.core.tokens import count_words
from viewer.core.topk import build_topk

EVENT_KINDS = {"discussion", "debate", "panel", "conference", "hearing", "seminar", "webinar", "roundtable", "event"}
SPEAKER_FIELDS = ("honorific", "role", "organisation", "country", "affiliation", "description")


class BuildError(ViewerError):
    """The sources cannot be turned into an archive; the message says why."""


@dataclass
class DocumentMeta:
    slug: str
    title: str
    kind: str
    date: str | None = None
    date_end: str | None = None
    published: str | None = None
    collection: str | None = None
    organiser: str | None = None
    publisher: str | None = None
    source_note: str | None = None
    url: str | None = None
    listed_in: int | None = None


@dataclass
class DocumentResult:
    id: int
    slug: str
    title: str
    speakers: list[str] = field(default_factory=list)
    passages: int = 0
    quotes: int = 0
    related: list[str] = field(default_factory=list)
    speaker_ids: list[int] = field(default_factory=list)  # in the order of ``speakers``
    new_speaker_ids: list[int] = field(default_factory=list)  # speakers the archive did not have before
    notes: list[str] = field(default_factory=list)  # what was uncertain (people kept apart, ...)


def quote_uid(slug: str, seq: int, start: int, text: str) -> str:
    return hashlib.sha1(f"{slug}\0{seq}\0{start}\0{text}".encode()).hexdigest()[:16]


def search_text(who: str, text: str) -> str:
    """What is indexed beside a passage's or a quote's text: who spoke (with a Latin spelling of a
    Cyrillic name) and the Latin spelling of the text's Cyrillic words."""
    return " ".join(filter(None, [who, search_extra(who), search_extra(text)]))


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_RANK = [names_lib.NO, names_lib.MAYBE, names_lib.SURE]


class ArchiveWriter:
    """Writes documents into an archive database (format v1), assigning ids in order."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self.conn = db.conn
        self.stats_documents: list[int] = []  # written since the last refresh_counts (viewer.core.stats)

    # -------------------------------------------------------------- helpers

    def _next_id(self, table: str) -> int:
        return (self.conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM [{table}]").fetchone()[0]) + 1

    def find_speaker(self, person: XPerson, exclude: Iterable[int] = ()) -> int | None:
        """The archive's speaker with this person's name (or one of its spellings), if exactly one."""
        return self.match_speaker(person, exclude)[0]

    def match_speaker(self, person: XPerson, exclude: Iterable[int] = ()) -> tuple[int | None, str | None]:
        """(speaker id, note). The same name after folding and transliteration is the same person
        (Айгерим Серикбаева = Aigerim Serikbayeva); a name that may be theirs but may not (a surname
        alone, a different first name or initial, a spelling two letters off) is kept apart, and the
        note says so. Speakers in ``exclude`` (the same document's other people) are never matched."""
        exclude = set(exclude)
        names = [person.name] + [a for a in person.aliases if len(a.split()) > 1]
        keys = {name_key(n) for n in names}  # the stored key: an indexed lookup first
        found = set()
        for key in keys:
            for (sid,) in self.conn.execute("SELECT id FROM speakers WHERE name_key = ?", (key,)):
                if sid not in exclude:
                    found.add(sid)
        if len(found) == 1:
            return found.pop(), None
        others = [
            (sid, nm, json.loads(al or "[]"))
            for sid, nm, al in self.conn.execute("SELECT id, name, aliases FROM speakers ORDER BY id")
            if sid not in exclude
        ]
        if len(found) > 1:
            who = " or ".join(f"“{nm}”" for sid, nm, _a in others if sid in found)
            return None, f"“{person.name}” could be {who}; kept apart"
        # one person in any script or romanisation (names.same_person): SURE is them, MAYBE is kept apart
        judged = [
            (
                sid,
                nm,
                max(
                    (names_lib.same_person(n, x) for n in names for x in [nm, *al] if x),
                    key=_RANK.index,
                    default=names_lib.NO,
                ),
            )
            for sid, nm, al in others
        ]
        same = [sid for sid, _nm, j in judged if j == names_lib.SURE]
        if len(same) == 1:
            return same[0], None
        if len(same) > 1:
            who = " or ".join(f"“{nm}”" for sid, nm, _a in others if sid in same)
            return None, f"“{person.name}” could be {who}; kept apart"
        near = [nm for _sid, nm, j in judged if j == names_lib.MAYBE]
        if near:
            who = " or ".join(f"“{nm}”" for nm in near)
            return None, f"“{person.name}” may be the same person as {who}; kept apart"
        return None, None

    def _speaker_id(self, person: XPerson, exclude: Iterable[int] = (), notes: list[str] | None = None) -> int:
        sid, note = self.match_speaker(person, exclude)
        if note and notes is not None:
            notes.append(note)
        if sid is not None:
            row = self.db["speakers"].get(sid)
            aliases = sorted(set(json.loads(row["aliases"])) | set(person.aliases) | ({person.name} - {row["name"]}))
            updates = {"aliases": json.dumps(aliases, ensure_ascii=False)}
            for f in SPEAKER_FIELDS:
                if not row[f] and getattr(person, f):
                    updates[f] = getattr(person, f)
            self.db["speakers"].update(sid, updates)
            return sid
        sid = self._next_id("speakers")
        self.db["speakers"].insert(
            {
                "id": sid,
                "name": person.name,
                "name_key": name_key(person.name),
                **{f: getattr(person, f) for f in SPEAKER_FIELDS},
                "aliases": json.dumps(person.aliases, ensure_ascii=False),
                "passages": 0,
                "words": 0,
                "quotes": 0,
            }
        )
        return sid

    def speaker_for(self, person: XPerson, exclude: Iterable[int] = (), notes: list[str] | None = None) -> int:
        """The archive's speaker for ``person`` as ``match_speaker`` finds them (their aliases and empty
        fields completed), or a new speaker; a note says when someone alike was kept apart."""
        return self._speaker_id(person, exclude, notes)

    def _entity_id(self, key: str, name: str, kind: str, aliases: Iterable[str], speaker_id: int | None) -> int:
        nk = name_key(name) if kind == "person" else fold(name)
        row = None
        if kind == "person" and speaker_id:  # a speaker is one entity in every spelling
            row = self.conn.execute(
                "SELECT id, aliases FROM entities WHERE kind = 'person' AND speaker_id = ?", (speaker_id,)
            ).fetchone()
        row = (
            row
            or self.conn.execute(
                "SELECT id, aliases FROM entities WHERE name_key = ? AND kind = ?", (nk, kind)
            ).fetchone()
        )
        if row:
            merged = sorted(set(json.loads(row[1])) | set(aliases))
            self.db["entities"].update(row[0], {"aliases": json.dumps(merged, ensure_ascii=False)})
            if speaker_id:
                self.db["entities"].update(row[0], {"speaker_id": speaker_id})
            return row[0]
        eid = self._next_id("entities")
        self.db["entities"].insert(
            {
                "id": eid,
                "name": name,
                "name_key": nk,
                "kind": kind,
                "aliases": json.dumps(sorted(set(aliases)), ensure_ascii=False),
                "speaker_id": speaker_id,
                "mentions": 0,
            }
        )
        return eid

    # -------------------------------------------------------------- documents

    def add_listing(self, meta: DocumentMeta, position: int) -> int:
        """A document the archive lists but holds no text of."""
        doc_id = self._next_id("documents")
        self.db["documents"].insert(
            {
                "id": doc_id,
                **meta.__dict__,
                "has_text": 0,
                "content_hash": None,
                "passages": 0,
                "words": 0,
                "position": position,
            }
        )
        return doc_id

    def add_document(
        self,
        meta: DocumentMeta,
        text: str,
        x: Extraction,
        position: int,
        overrides: dict[str, dict] | None = None,
        log: Callable[[str], None] = print,
        document_id: int | None = None,
    ) -> DocumentResult:
        """Write a document with its speakers, passages, quotes and mentions. With ``document_id``,
        fill that document (a report listed without its text) instead of adding a new one."""
        doc_id = document_id if document_id is not None else self._next_id("documents")
        people = {p.key: p for p in x.speakers}
        for name, fields in (overrides or {}).items():
            person = next((p for p in x.speakers if p.name == name or name in p.aliases), None)
            if person is None:
                raise BuildError(f"override for {name!r}: no such speaker in {meta.slug}")
            for f, value in fields.items():
                if f not in SPEAKER_FIELDS:
                    raise BuildError(f"override for {name!r}: unknown field {f!r}")
                log(f"override: {person.name}: {f}: {getattr(person, f)!r} -> {value!r}")
                setattr(person, f, value)
        known = {sid for (sid,) in self.conn.execute("SELECT id FROM speakers")}
        notes: list[str] = []
        speaker_ids: dict[str, int] = {}
        for key, p in people.items():
            speaker_ids[key] = self._speaker_id(p, exclude=set(speaker_ids.values()), notes=notes)
        # indexed with the text: the archive's name for the speaker, and this document's spelling of it
        names = {}
        for key, sid in speaker_ids.items():
            canonical = self.conn.execute("SELECT name FROM speakers WHERE id = ?", (sid,)).fetchone()[0]
            names[key] = " ".join(dict.fromkeys([canonical, people[key].name]))
        default_role = "panelist" if meta.kind in EVENT_KINDS else "speaker"
        row = {
            "id": doc_id,
            **meta.__dict__,
            "has_text": 1,
            "content_hash": content_hash(text),
            "passages": len(x.passages),
            "words": sum(count_words(p.text) for p in x.passages),
            "position": position,
        }
        if document_id is not None:
            self.db["documents"].update(doc_id, row)
        else:
            self.db["documents"].insert(row)
        # entities first so mentions can point at them
        entity_ids: dict[str, int] = {}
        for e in x.entities:
            sid = speaker_ids.get(e.person) if e.person else None
            entity_ids[e.key] = self._entity_id(e.key, e.name, e.kind, e.aliases, sid)
        pid = self._next_id("passages")
        qid = self._next_id("quotes")
        mid = self._next_id("mentions")
        passages, quotes, mentions = [], [], []
        stats: dict[int, list[int]] = {}
        for p in x.passages:
            sid = speaker_ids.get(p.speaker) if p.speaker else None
            name = names[p.speaker] if p.speaker else ""
            words = count_words(p.text)
            passages.append(
                {
                    "id": pid,
                    "document_id": doc_id,
                    "seq": p.seq,
                    "speaker_id": sid,
                    "kind": p.kind,
                    "label": p.label,
                    "text": p.text,
                    "search_text": search_text(name, p.text),
                    "words": words,
                    "attribution": p.attribution,
                }
            )
            if sid:
                s = stats.setdefault(sid, [0, 0, 0])
                s[0] += 1
                s[1] += words
            ids = []
            for q in p.quotes:
                ids.append(qid)
                qsid = speaker_ids.get(q.speaker) if q.speaker else None
                qtext = p.text[q.start : q.end]
                who = names[q.speaker] if q.speaker in people else (q.label or "")
                suggested = q.suggestion if q.kind == QUOTE and q.suggestion in x.people else None
                quotes.append(
                    {
                        "id": qid,
                        "passage_id": pid,
                        "document_id": doc_id,
                        "start": q.start,
                        "end": q.end,
                        "text": qtext,
                        "search_text": search_text(who, qtext),
                        "kind": q.kind,
                        "speaker_id": qsid,
                        "speaker_label": q.label if qsid is None else None,
                        "quoted_by": speaker_ids.get(q.quoted_by) if q.quoted_by else None,
                        "parent_id": ids[q.parent] if q.parent is not None else None,
                        "cue": q.cue,
                        "uid": quote_uid(meta.slug, p.seq, q.start, qtext),
                        "rule": q.rule if q.kind == QUOTE else None,
                        "suggested_speaker_id": speaker_ids.get(suggested) if suggested else None,
                        "suggested_speaker": self._suggested_name(suggested, speaker_ids, x) if suggested else None,
                    }
                )
                if q.kind == QUOTE and qsid:
                    stats.setdefault(qsid, [0, 0, 0])[2] += 1
                qid += 1
            for m in p.mentions:
                mentions.append(
                    {
                        "id": mid,
                        "entity_id": entity_ids[m.entity],
                        "passage_id": pid,
                        "document_id": doc_id,
                        "start": m.start,
                        "end": m.end,
                        "surface": m.surface,
                        "speaker_id": speaker_ids.get(m.by) if m.by else None,
                    }
                )
                mid += 1
            pid += 1
        self.db["passages"].insert_all(passages)
        self.db["quotes"].insert_all(quotes)
        self.db["mentions"].insert_all(mentions)
        for position, p in enumerate(x.speakers, start=1):
            sid = speaker_ids[p.key]
            s = stats.get(sid, [0, 0, 0])
            self.db["document_speakers"].insert(
                {
                    "document_id": doc_id,
                    "speaker_id": sid,
                    "event_role": p.event_role or default_role,
                    "position": position,
                    "description": p.description,
                    "passages": s[0],
                    "words": s[1],
                    "quotes": s[2],
                }
            )
        write_document_stats(self.conn, doc_id)
        self.stats_documents.append(doc_id)
        ids = [speaker_ids[p.key] for p in x.speakers]
        return DocumentResult(
            doc_id,
            meta.slug,
            meta.title,
            [p.name for p in x.speakers],
            len(passages),
            sum(1 for q in quotes if q["kind"] == QUOTE),
            speaker_ids=ids,
            new_speaker_ids=[i for i in ids if i not in known],
            notes=notes,
        )

    def _suggested_name(self, key: str, speaker_ids: dict[str, int], x: Extraction) -> str:
        """The name of the person an unattributed quote points to: the archive's name for a speaker,
        else the document's."""
        if key in speaker_ids:
            return self.conn.execute("SELECT name FROM speakers WHERE id = ?", (speaker_ids[key],)).fetchone()[0]
        return x.people[key].name or key

    def index_document(self, document_id: int) -> None:
        """Add a document's passages and quotes to the full-text indexes (external content, no
        triggers: writers keep them in step). ``build`` indexes everything at the end instead."""
        for table, cols in schema.FTS.items():
            names = ", ".join(f"[{c}]" for c in cols)
            self.conn.execute(
                f"INSERT INTO [{table}_fts](rowid, {names}) SELECT id, {names} FROM [{table}] WHERE document_id = ?",
                (document_id,),
            )

    def refresh_counts(self) -> None:
        """Speaker and entity totals are sums over documents; recomputed after every change."""
        # one statement at a time: executescript() would commit the caller's transaction
        self.conn.execute(
            """
            UPDATE speakers SET
              passages = (SELECT COALESCE(SUM(passages), 0) FROM document_speakers ds
                          WHERE ds.speaker_id = speakers.id),
              words = (SELECT COALESCE(SUM(words), 0) FROM document_speakers ds WHERE ds.speaker_id = speakers.id),
              quotes = (SELECT COALESCE(SUM(quotes), 0) FROM document_speakers ds WHERE ds.speaker_id = speakers.id)
            """
        )
        self.conn.execute(
            "UPDATE entities SET mentions = (SELECT COUNT(*) FROM mentions m WHERE m.entity_id = entities.id)"
        )
        refresh_stats(self.conn, self.stats_documents)
        self.stats_documents = []

    def set_meta(self, values: dict[str, str]) -> None:
        self.db["meta"].upsert_all([{"key": k, "value": str(v)} for k, v in values.items()], pk="key")

    # -------------------------------------------------------------- bulk: rows made elsewhere (synth)

    @contextlib.contextmanager
    def bulk(self) -> Iterator[None]:
        """Many complete rows into a new archive, fast: journaling off, the file locked, and the indexes
        dropped while the rows go in and made again at the end (sorting once beats a million B-tree
        inserts). Only for an archive being made: a failure leaves it unusable."""
        conn = self.conn
        for pragma in (
            "journal_mode = OFF",
            "synchronous = OFF",
            "cache_size = -400000",
            "temp_store = MEMORY",
            "locking_mode = EXCLUSIVE",
        ):
            conn.execute(f"PRAGMA {pragma}")
        indexes = [
            (r[0], r[1])
            for r in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        ]
        for name, _sql in indexes:
            conn.execute(f"DROP INDEX [{name}]")
        yield
        for _name, sql in indexes:
            conn.execute(sql)

    def insert_rows(self, table: str, rows: Iterable[Sequence]) -> None:
        """Complete rows of ``table``, ids included, each a value for every column of the format in
        ``schema.TABLES`` order, written as they are (no extraction, no speaker matching): what ``synth``
        generates."""
        self.conn.executemany(_insert_sql(table), rows)


@functools.lru_cache(maxsize=None)
def _insert_sql(table: str) -> str:
    cols = list(schema.TABLES[table][0])
    return f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in cols)}) VALUES ({', '.join('?' * len(cols))})"


# ------------------------------------------------------------------ related reports

_TRAILING_DATES = re.compile(r"(\s*\(([^()]*)\))+\s*$")


def parse_listing(item: str) -> tuple[str, str | None, str | None]:
    """ "Servants of the Regime: ... (28 October 2020)(28 October 2020)" -> (title, "2020-10-28", None);
    "... (December 2020 – January 2021)" -> (title, "2020-12", "2021-01")."""
    m = _TRAILING_DATES.search(item)
    if m:
        groups = re.findall(r"\(([^()]*)\)", m.group(0))
        ranges = [parse_range(g) for g in groups]
        if ranges and all(ranges) and len(set(ranges)) == 1:
            date, end = ranges[0]
            return item[: m.start()].strip(), date, end
    return item.strip(), None, None


def related_documents(x: Extraction, collections: dict[str, str]) -> list[tuple[int, str, str, str | None, str | None]]:
    """The reports a document lists under its headings: (passage seq, collection, title, date, date_end)."""
    out = []
    current = None
    for p in x.passages:
        if p.kind == HEADING:
            current = collections.get(p.text.strip())
        elif p.kind == LIST_ITEM and current:
            title, date, end = parse_listing(p.text)
            out.append((p.seq, current, title, date, end))
        else:
            current = None
    return out


# ------------------------------------------------------------------ build


def load_sources(sources: Path) -> dict:
    path = sources / "sources.toml"
    if not path.is_file():
        raise BuildError(f"no sources.toml in {sources}")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise BuildError(f"{path}: {e}") from e


def create_archive(path: Path) -> sqlite_utils.Database:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {schema.FORMAT_VERSION}")
    conn.execute("PRAGMA journal_mode = DELETE")
    db = sqlite_utils.Database(conn)
    schema.create(db)
    derived.mark_statistics(conn, True)  # none yet, and none missing: writers add each document's
    conn.commit()
    return db


def build(sources: Path, out: Path, log: Callable[[str], None] = print) -> list[DocumentResult]:
    """Build the archive at ``out`` from ``sources``. Atomic: ``out`` is replaced only when
    the whole build succeeded."""
    config = load_sources(sources)
    out = Path(out)
    tmp = out.with_name(f".{out.name}.building")
    tmp.unlink(missing_ok=True)
    results: list[DocumentResult] = []
    try:
        db = create_archive(tmp)
        writer = ArchiveWriter(db)
        position = 0
        hashes = []
        with db.conn:
            for entry in config.get("documents", []):
                file = sources / entry["file"]
                try:
                    text = file.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError) as e:
                    raise BuildError(f"{file}: {e}") from e
                hashes.append(content_hash(text))
                position += 1
                meta = DocumentMeta(**{k: entry.get(k) for k in DocumentMeta.__dataclass_fields__ if k in entry})
                if not meta.slug:
                    meta.slug = slugify(meta.title)
                x = extract(text)
                overrides = {o["name"]: {k: v for k, v in o.items() if k != "name"} for o in entry.get("speaker", [])}
                res = writer.add_document(meta, text, x, position, overrides, log)
                collections = {r["heading"]: r["collection"] for r in entry.get("related", [])}
                seq_ids = dict(db.conn.execute("SELECT seq, id FROM passages WHERE document_id = ?", (res.id,)))
                counters: dict[str, int] = {}
                for seq, collection, title, date, end in related_documents(x, collections):
                    counters[collection] = counters.get(collection, 0) + 1
                    slug = slugify(title, 50) + (f"-{date}" if date else "")
                    writer.add_listing(
                        DocumentMeta(
                            slug=slug,
                            title=title,
                            kind="report",
                            date=date,
                            date_end=end,
                            collection=collection,
                            source_note=f"Listed in “{meta.title}”, ¶ {seq}. Its text is not in this archive.",
                            listed_in=seq_ids[seq],
                        ),
                        counters[collection],
                    )
                    res.related.append(title)
                results.append(res)
            writer.refresh_counts()
            writer.set_meta(
                {
                    "format_version": schema.FORMAT_VERSION,
                    "title": config.get("archive", {}).get("title", "Archive"),
                    "generator": f"archive-viewer {viewer.__version__}",
                    "sources_sha256": hashlib.sha256("".join(hashes).encode()).hexdigest(),
                }
            )
        schema.enable_fts(db)
        db.conn.execute("ANALYZE")
        db.conn.commit()
        build_topk(db.conn)  # the search's precomputed top-k lists
        db.conn.execute("VACUUM")
        db.conn.close()
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return results
