"""docs/archive-format.md documents every table, column and FTS index of the format."""

import re

from tests.conftest import ROOT
from viewer.core import schema

DOC = (ROOT / "docs" / "archive-format.md").read_text(encoding="utf-8")


def test_every_table_and_column_is_documented():
    for table, (columns, *_rest) in schema.TABLES.items():
        assert f"`{table}`" in DOC, table
        for column in columns:
            assert re.search(rf"`({table}\.)?{column}`", DOC), f"{table}.{column}"


def test_optional_columns_are_documented_as_optional_and_not_required():
    for table, columns in schema.OPTIONAL_COLUMNS.items():
        for column in columns:
            assert re.search(rf"\| `({table}\.)?{column}` \| [a-z]+, \*optional\* ", DOC), f"{table}.{column}"
            assert column not in schema.TABLES[table][0]


def test_fts_indexes_and_identification_are_documented():
    for table, cols in schema.FTS.items():
        assert f"`{table}_fts`" in DOC
        for c in cols:
            assert f"`{c}`" in DOC
    assert str(schema.APPLICATION_ID) in DOC and schema.TOKENIZE in DOC
    assert f"the format version, `{schema.FORMAT_VERSION}`" in DOC


def test_every_index_is_documented():
    for table, cols, _unique in schema.INDEXES:
        assert f"`{table}({', '.join(cols)})`" in DOC, (table, cols)


def test_optional_tables_are_documented_and_not_required():
    for table, columns in schema.OPTIONAL_TABLES.items():
        assert f"`{table}`" in DOC, table
        assert table not in schema.REQUIRED_TABLES and table not in schema.TABLES
        generic = re.sub(r"^(passages|quotes)_", "<table>_", table)
        for column in columns:
            assert f"`{generic}.{column}`" in DOC, f"{table}.{column}"
