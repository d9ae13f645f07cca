"""The values the archive format allows, checked where rows are read.

An archive comes from other people: a row can hold a NULL where the format promises text, a BLOB, a
number where text belongs, text where a number belongs, or a number no archive of ours holds (offsets,
counts and ids are whole numbers from 0 to ``MAX_INTEGER``). Such a row is damage, and it is reported
where it is read, as ``DataDamaged`` with one plain line, never later as a TypeError in code that
trusted it.

* ``RowChecker``: every value a query returns under a column name of the format (``schema.TABLES`` and
  ``schema.OPTIONAL_COLUMNS``, or one of the ``ALIASES`` queries give them) is checked against that
  column's type; a column that is NOT NULL in every table that has it must not be NULL.
  ``viewer.core.db.Connection`` checks every row it reads this way.
* ``problems(query, table)``: the same rules, table by table, as one SQL scan (``archive-viewer check``
  and the importer before it writes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from viewer.core import schema
from viewer.core.errors import DataDamaged

MAX_INTEGER = 2**31 - 1  # what a Qt int holds; no count, offset or id of an archive comes near it

# Text columns whose values have a shape: ISO dates to the precision the text gives.
ISO_DATE = re.compile(r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?")
SHAPES = {"date": ISO_DATE, "date_end": ISO_DATE, "published": ISO_DATE}

# Names queries give columns of the format (``p.text AS ptext``).
ALIASES = {"ptext": "text", "pid": "passage_id", "dp": "passages", "dw": "words", "dq": "quotes"}
# The same, from an outer join: NULL when there is no such row (narration has no speaker). The row a
# message names is the joined row, by the column that holds its id.
NULLABLE_ALIASES = {"speaker_name": "name", "quoted_by_name": "name", "sname": "name"}
JOINED_ID = {"speaker_name": "speaker_id", "quoted_by_name": "quoted_by", "sname": "speaker_id"}

_SQL_TYPES = {int: ("integer",), str: ("text",), float: ("integer", "real"), bytes: ("blob",)}
_WHAT = {
    type(None): "no value (NULL)",
    bytes: "binary data (a BLOB)",
    str: "text",
    int: "a whole number",
    float: "a fractional number",
}


def _rules() -> dict[str, tuple[type, bool]]:
    kinds: dict[str, type] = {}
    nullable: set[str] = set()
    for columns, primary, not_null, _refs in schema.TABLES.values():
        keys = {primary} if isinstance(primary, str) else set(primary)
        for name, kind in columns.items():
            kinds[name] = kind
            if name not in not_null and name not in keys:
                nullable.add(name)
    for columns in schema.OPTIONAL_COLUMNS.values():  # added to format v1 later: all nullable
        kinds.update(columns)
        nullable.update(columns)
    rules = {name: (kind, name not in nullable) for name, kind in kinds.items()}
    rules.update({alias: rules[name] for alias, name in ALIASES.items()})
    rules.update({alias: (rules[name][0], False) for alias, name in NULLABLE_ALIASES.items()})
    return rules


RULES = _rules()


def _problem(value: object, kind: type) -> str | None:
    """Why ``value`` cannot be a value of a column of type ``kind`` (None: it can)."""
    got = type(value)
    if kind is int:
        if got is not int:
            return f"holds {_WHAT.get(got, got.__name__)} where a whole number belongs"
        if not 0 <= value <= MAX_INTEGER:
            return f"holds the number {value}, out of range"
        return None
    if kind is float:
        return None if got in (int, float) else f"holds {_WHAT.get(got, got.__name__)} where a number belongs"
    if got is not kind:
        return f"holds {_WHAT.get(got, got.__name__)} where {'text' if kind is str else 'binary data'} belongs"
    return None


def _shape_problem(name: str, value: object) -> str | None:
    shape = SHAPES.get(name)
    if shape is None or not isinstance(value, str) or shape.fullmatch(value):
        return None
    return f"holds {value[:40]!r}, which is not a date"


def damaged(path: Path, column: str, problem: str, row_id: object = None) -> DataDamaged:
    where = f" (row {row_id})" if isinstance(row_id, int) else ""
    return DataDamaged(
        f"The archive “{path.name}” is damaged: its column “{column}” {problem}{where}.", f"{column}{where}: {problem}"
    )


class RowChecker:
    """Checks the rows of one query (built from its cursor's ``description``)."""

    def __init__(self, description: Sequence[tuple] | None):
        self.checks: list[tuple[int, str, type, bool, int | None]] = []
        names = [column[0] for column in description or ()]
        at = {name: i for i, name in enumerate(names)}
        for i, name in enumerate(names):
            rule = RULES.get(name)
            if rule is not None:
                id_at = at.get(JOINED_ID[name]) if name in JOINED_ID else at.get("id")
                self.checks.append((i, ALIASES.get(name) or NULLABLE_ALIASES.get(name, name), *rule, id_at))

    def check(self, rows: Sequence[Sequence], path: Path) -> None:
        """Raise DataDamaged for the first value that breaks its column's rule."""
        if not self.checks:
            return
        for row in rows:
            for i, name, kind, not_null, id_at in self.checks:
                value = row[i]
                if value is None:
                    if not_null:
                        raise damaged(path, name, "holds no value (NULL)", None if id_at is None else row[id_at])
                    continue
                if type(value) is kind and (kind is not int or 0 <= value <= MAX_INTEGER) and name not in SHAPES:
                    continue
                problem = _problem(value, kind) or _shape_problem(name, value)
                if problem is not None:
                    raise damaged(path, name, problem, None if id_at is None else row[id_at])


def _condition(column: str, kind: type, not_null: bool) -> str:
    allowed = ", ".join(f"'{t}'" for t in (*_SQL_TYPES[kind], *(() if not_null else ("null",))))
    test = f"typeof([{column}]) NOT IN ({allowed})"
    if kind is int:
        test += f" OR [{column}] < 0 OR [{column}] > {MAX_INTEGER}"
    return test


def problems(query: Callable[[str, tuple], list], table: str, limit: int = 20) -> list[str]:
    """Rows of ``table`` whose values break the format's rules, as lines for people (at most ``limit``).
    ``query(sql, params)`` returns rows; every value is read as SQLite stores it (``typeof``)."""
    columns, primary, not_null, _refs = schema.TABLES[table]
    keys = {primary} if isinstance(primary, str) else set(primary)
    # the columns the file has: an older archive may lack the optional ones, and a table of derived data may
    # be in an older layout (schema.OLDER_LAYOUTS)
    present = {r[0] for r in query("SELECT name FROM pragma_table_info(?)", (table,))}
    optional = schema.OPTIONAL_COLUMNS.get(table, {})
    columns = {**columns, **{c: k for c, k in optional.items() if c in present}}
    # a row is named by its rowid, or by its primary key in a table WITHOUT ROWID
    without_rowid = query(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? AND sql LIKE '%without rowid%'", (table,)
    )
    row_id = (
        " || '/' || ".join(f"[{k}]" for k in ((primary,) if isinstance(primary, str) else primary))
        if without_rowid
        else "rowid"
    )
    out = []
    for column, kind in columns.items():
        if column not in present:
            continue
        sql = (
            f"SELECT {row_id}, typeof([{column}]), quote([{column}]) FROM [{table}] "
            f"WHERE {_condition(column, kind, column in not_null or column in keys)} LIMIT ?"
        )
        for rowid, stored, shown in query(sql, (limit - len(out),)):
            value = {"null": "no value (NULL)", "blob": "binary data (a BLOB)"}.get(stored, str(shown)[:40])
            out.append(f"{table} row {rowid}: {column} holds {value}, which the format does not allow")
            if len(out) >= limit:
                return out
        if column in SHAPES:
            for rowid, value in query(
                f"SELECT {row_id}, [{column}] FROM [{table}] WHERE typeof([{column}]) = 'text'", ()
            ):
                if _shape_problem(column, value):
                    out.append(f"{table} row {rowid}: {column} holds {value[:40]!r}, which is not a date")
                    if len(out) >= limit:
                        return out
    return out
