"""Archive format v1: the tables, their columns and indexes, defined once.

``docs/archive-format.md`` describes the same thing for people; ``tests/core/test_schema.py``
checks that the two agree.
"""

from __future__ import annotations

# the full-text indexes' tokenizer, defined with the words it makes in viewer.core.tokens
from viewer.core.tokens import TOKENIZE  # noqa: F401

if False:  # typing only (TYPE_CHECKING without importing typing); only writers need sqlite-utils
    import sqlite_utils

# "AVa1" read as a big-endian integer; identifies an Archive Viewer archive.
APPLICATION_ID = 0x41566131
FORMAT_VERSION = 1

# table -> (columns, primary key, not null, foreign keys)
TABLES: dict[str, tuple[dict[str, type], str | tuple[str, ...], set[str], list[tuple[str, str, str]]]] = {
    "meta": ({"key": str, "value": str}, "key", {"value"}, []),
    "documents": (
        {
            "id": int,
            "slug": str,
            "title": str,
            "kind": str,
            "date": str,
            "date_end": str,
            "published": str,
            "collection": str,
            "organiser": str,
            "publisher": str,
            "source_note": str,
            "url": str,
            "has_text": int,
            "content_hash": str,
            "passages": int,
            "words": int,
            "listed_in": int,
            "position": int,
        },
        "id",
        {"slug", "title", "kind", "has_text", "passages", "words", "position"},
        [],
    ),
    "speakers": (
        {
            "id": int,
            "name": str,
            "name_key": str,
            "honorific": str,
            "role": str,
            "organisation": str,
            "country": str,
            "affiliation": str,
            "description": str,
            "aliases": str,
            "passages": int,
            "words": int,
            "quotes": int,
        },
        "id",
        {"name", "name_key", "aliases", "passages", "words", "quotes"},
        [],
    ),
    "document_speakers": (
        {
            "document_id": int,
            "speaker_id": int,
            "event_role": str,
            "position": int,
            "description": str,
            "passages": int,
            "words": int,
            "quotes": int,
        },
        ("document_id", "speaker_id"),
        {"event_role", "position", "passages", "words", "quotes"},
        [("document_id", "documents", "id"), ("speaker_id", "speakers", "id")],
    ),
    "passages": (
        {
            "id": int,
            "document_id": int,
            "seq": int,
            "speaker_id": int,
            "kind": str,
            "label": str,
            "text": str,
            "search_text": str,
            "words": int,
            "attribution": str,
        },
        "id",
        {"document_id", "seq", "kind", "text", "search_text", "words", "attribution"},
        [("document_id", "documents", "id"), ("speaker_id", "speakers", "id")],
    ),
    "quotes": (
        {
            "id": int,
            "passage_id": int,
            "document_id": int,
            "start": int,
            "end": int,
            "text": str,
            "search_text": str,
            "kind": str,
            "speaker_id": int,
            "speaker_label": str,
            "quoted_by": int,
            "parent_id": int,
            "cue": str,
            "uid": str,
        },
        "id",
        {"passage_id", "document_id", "start", "end", "text", "search_text", "kind", "uid"},
        [
            ("passage_id", "passages", "id"),
            ("document_id", "documents", "id"),
            ("speaker_id", "speakers", "id"),
            ("quoted_by", "speakers", "id"),
            ("parent_id", "quotes", "id"),
        ],
    ),
    "entities": (
        {"id": int, "name": str, "name_key": str, "kind": str, "aliases": str, "speaker_id": int, "mentions": int},
        "id",
        {"name", "name_key", "kind", "aliases", "mentions"},
        [("speaker_id", "speakers", "id")],
    ),
    "mentions": (
        {
            "id": int,
            "entity_id": int,
            "passage_id": int,
            "document_id": int,
            "start": int,
            "end": int,
            "surface": str,
            "speaker_id": int,
        },
        "id",
        {"entity_id", "passage_id", "document_id", "start", "end", "surface"},
        [
            ("entity_id", "entities", "id"),
            ("passage_id", "passages", "id"),
            ("document_id", "documents", "id"),
            ("speaker_id", "speakers", "id"),
        ],
    ),
    # Precomputed statistics (viewer.core.stats writes them at build and import time; see
    # docs/statistics.md). Key figures the text states, with offsets into their passage.
    "figures": (
        {
            "id": int,
            "passage_id": int,
            "document_id": int,
            "speaker_id": int,
            "start": int,
            "end": int,
            "value": str,
            "number": float,
            "number_max": float,
            "noun": str,
            "approx": int,
            "context_start": int,
            "context_end": int,
        },
        "id",
        {"passage_id", "document_id", "start", "end", "value", "noun", "approx", "context_start", "context_end"},
        [("passage_id", "passages", "id"), ("document_id", "documents", "id"), ("speaker_id", "speakers", "id")],
    ),
    # Terms (inflections grouped under ``key``; ``label`` the form written most), archive-wide counts.
    "terms": (
        {"id": int, "key": str, "label": str, "count": int},
        "id",
        {"key", "label", "count"},
        [],
    ),
    "term_forms": (
        {"term_id": int, "form": str, "count": int},
        ("term_id", "form"),
        {"term_id", "form", "count"},
        [("term_id", "terms", "id")],
    ),
    # Each speaker's term counts, all of them: one row a (speaker, term) (WITHOUT ROWID: half the size).
    "speaker_terms": (
        {"speaker_id": int, "term_id": int, "count": int},
        ("speaker_id", "term_id"),
        {"speaker_id", "term_id", "count"},
        [("speaker_id", "speakers", "id"), ("term_id", "terms", "id")],
    ),
    # How each entity is written in the text (possessives kept: "Nazarbayev’s"), and entities that
    # name the same person or organisation across documents grouped under one id, with the
    # variants merged and whose passages mention them (JSON lists).
    "mention_variants": (
        {"entity_id": int, "form": str, "count": int},
        ("entity_id", "form"),
        {"entity_id", "form", "count"},
        [("entity_id", "entities", "id")],
    ),
    "entity_groups": (
        {"entity_id": int, "group_id": int},
        "entity_id",
        {"group_id"},
        [("entity_id", "entities", "id")],
    ),
    # What decides which entities may be grouped (surnames, names, speakers), to regroup only
    # around the entities a new document touches.
    "entity_keys": (
        {"entity_id": int, "key": str},
        ("entity_id", "key"),
        {"entity_id", "key"},
        [("entity_id", "entities", "id")],
    ),
    "mention_groups": (
        {"id": int, "name": str, "kind": str, "mentions": int, "entities": str, "variants": str, "speakers": str},
        "id",
        {"name", "kind", "mentions", "entities", "variants", "speakers"},
        [],
    ),
}

# Tables stored WITHOUT ROWID (clustered on their primary key): many small rows read by that key.
WITHOUT_ROWID = {"speaker_terms"}

# How older versions laid out a table of derived data (``viewer.core.derived``): an archive may hold one of
# these instead; it opens, and the data is read as it is or rebuilt (``archive-viewer reindex``).
OLDER_LAYOUTS: dict[str, list[set[str]]] = {
    # every term count of a speaker packed in one zlib value (viewer.core.stats.legacy_term_counts)
    "speaker_terms": [{"speaker_id", "count", "terms", "data"}],
}

# Columns added to format v1 after archives were made with it: an archive may lack them. Readers
# take a missing one as null (``columns_of``); ``build`` creates them and ``add_optional_columns``
# adds them to an older archive before an import writes into it. All are nullable.
OPTIONAL_COLUMNS: dict[str, dict[str, type]] = {
    "documents": {"author": str, "pages": int},
    "passages": {"page": int, "page_end": int},
    "quotes": {"rule": str, "suggested_speaker_id": int, "suggested_speaker": str},
}

INDEXES: list[tuple[str, tuple[str, ...], bool]] = [
    ("documents", ("collection", "date"), False),
    # a collection's documents in listed order, read a page at a time (the documents panel)
    ("documents", ("collection", "-has_text", "position", "id"), False),
    ("speakers", ("name_key",), False),
    ("document_speakers", ("speaker_id",), False),
    ("passages", ("document_id", "seq"), True),
    ("passages", ("speaker_id",), False),
    ("quotes", ("passage_id",), False),
    ("quotes", ("speaker_id",), False),
    ("quotes", ("document_id", "kind"), False),
    ("quotes", ("uid",), True),
    ("quotes", ("kind",), False),
    ("entities", ("name_key",), False),
    ("mentions", ("entity_id",), False),
    ("mentions", ("passage_id",), False),
    ("figures", ("passage_id",), False),
    ("figures", ("document_id",), False),
    ("figures", ("speaker_id",), False),
    ("terms", ("key",), True),
    ("terms", ("count",), False),
    ("entity_groups", ("group_id",), False),
    ("entity_keys", ("key",), False),
    ("mention_groups", ("mentions",), False),
]

# FTS5 indexes made with sqlite-utils' enable_fts: <table>_fts over these columns.
FTS: dict[str, list[str]] = {
    "passages": ["text", "search_text"],
    "quotes": ["text", "search_text"],
}

REQUIRED_TABLES = set(TABLES) | {f"{t}_fts" for t in FTS}

# Optional tables: precomputed top-k lists beside each FTS index (viewer.core.topk writes and reads them).
# An archive may lack them, or hold lists made before rows were added; readers then rank with FTS5 alone.
OPTIONAL_TABLES: dict[str, dict[str, str]] = {}
for _fts_table in FTS:
    OPTIONAL_TABLES[f"{_fts_table}_topk"] = {
        "term": "TEXT PRIMARY KEY",
        "df": "INTEGER NOT NULL",
        "matches": "INTEGER NOT NULL",
        "ids": "BLOB NOT NULL",
        "scores": "BLOB NOT NULL",
    }
    OPTIONAL_TABLES[f"{_fts_table}_topk_terms"] = {"term": "TEXT PRIMARY KEY", "df": "INTEGER NOT NULL"}
    OPTIONAL_TABLES[f"{_fts_table}_topk_info"] = {"key": "TEXT PRIMARY KEY", "value": "TEXT NOT NULL"}
# the romanisation key of every word of passages_topk_terms (a rare word's spelling variants are looked for by it)
OPTIONAL_TABLES["passages_topk_keys"] = {"term": "TEXT PRIMARY KEY", "key": "TEXT NOT NULL"}


def optional_table_sql(name: str) -> str:
    """CREATE TABLE for one of ``OPTIONAL_TABLES`` (those with a text key are WITHOUT ROWID)."""
    columns = ", ".join(f"{c} {decl}" for c, decl in OPTIONAL_TABLES[name].items())
    return f"CREATE TABLE [{name}] ({columns})" + ("" if name.endswith("_info") else " WITHOUT ROWID")


_SQL_TYPES = {int: "INTEGER", str: "TEXT", float: "REAL", bytes: "BLOB"}


def create(db: "sqlite_utils.Database") -> None:
    """Create every table and index of format v1 (optional columns included) in an empty database."""
    for name in TABLES:
        create_table(db, name)
    from sqlite_utils.db import DescIndex

    for table, cols, unique in INDEXES:
        columns = [DescIndex(c[1:]) if c.startswith("-") else c for c in cols]
        db[table].create_index(columns, unique=unique, find_unique_name=True)


def create_table(db, name: str) -> None:
    """Create one of ``TABLES`` (with its optional columns) in ``db`` (a ``sqlite_utils.Database`` or a
    ``sqlite3.Connection``)."""
    columns, pk, not_null, fks = TABLES[name]
    if name not in WITHOUT_ROWID:
        if not hasattr(db, "table_names"):  # a sqlite3.Connection
            import sqlite_utils

            db = sqlite_utils.Database(db)
        db[name].create(
            {**columns, **OPTIONAL_COLUMNS.get(name, {})}, pk=pk, not_null=not_null, foreign_keys=fks or None
        )
        return
    # sqlite-utils makes rowid tables only
    keys = (pk,) if isinstance(pk, str) else pk
    cols = [f"[{c}] {_SQL_TYPES[t]}" + (" NOT NULL" if c in not_null else "") for c, t in columns.items()]
    cols += [f"FOREIGN KEY([{c}]) REFERENCES [{t}]([{other}])" for c, t, other in fks]
    db.execute(
        f"CREATE TABLE [{name}] ({', '.join(cols)}, PRIMARY KEY ({', '.join(f'[{k}]' for k in keys)})) WITHOUT ROWID"
    )


def has_layout(columns: set[str], table: str) -> str | None:
    """Which layout of ``table`` a table with these columns has: "current", "older" (``OLDER_LAYOUTS``) or
    None (neither)."""
    if set(TABLES[table][0]) <= columns:
        return "current"
    if any(layout <= columns for layout in OLDER_LAYOUTS.get(table, ())):
        return "older"
    return None


def enable_fts(db: "sqlite_utils.Database") -> None:
    """(Re)build the full-text indexes from their tables."""
    for table, cols in FTS.items():
        db[table].enable_fts(cols, tokenize=TOKENIZE, replace=True)


def columns_of(conn, table: str) -> set[str]:
    """The columns ``table`` has (``conn``: anything with ``execute(sql)`` returning rows)."""
    rows = conn.execute(f"PRAGMA table_info([{table}])")
    rows = rows.fetchall() if hasattr(rows, "fetchall") else rows
    return {r[1] for r in rows}


def add_optional_columns(conn) -> list[str]:
    """Adds the ``OPTIONAL_COLUMNS`` an older archive lacks (inside the caller's transaction);
    returns them as ``table.column``."""
    added = []
    for table, columns in OPTIONAL_COLUMNS.items():
        have = columns_of(conn, table)
        for column, kind in columns.items():
            if column not in have:
                conn.execute(f"ALTER TABLE [{table}] ADD COLUMN [{column}] {_SQL_TYPES[kind]}")
                added.append(f"{table}.{column}")
    return added
