"""How commands print: JSON for scripts, a readable table for people."""

from __future__ import annotations

import itertools
import json
import shutil
import sys
from collections.abc import Iterable, Sequence
from typing import Any


def emit_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    return " ".join(str(value).split())


def emit_table(rows: Iterable[dict], columns: Sequence[str], wide: str | None = None, measure: int = 500) -> None:
    """Print ``rows`` as aligned columns; the ``wide`` column takes what the terminal has left. Rows are
    printed as they come: the widths are those of the first ``measure`` rows (a wider cell further down
    is printed whole, out of line; only the ``wide`` column is cut)."""
    rows = iter(rows)
    first = [[_cell(r.get(c)) for c in columns] for r in itertools.islice(rows, measure)]
    if not first:
        print("(none)")
        return
    widths = [max(len(c), *(len(row[i]) for row in first)) for i, c in enumerate(columns)]
    w = columns.index(wide) if wide in columns else None
    if w is not None:
        total = shutil.get_terminal_size((120, 20)).columns
        room = max(30, total - sum(widths[i] + 2 for i in range(len(columns)) if i != w))
        widths[w] = min(widths[w], room)
    print("  ".join(c.upper().ljust(widths[i]) for i, c in enumerate(columns)).rstrip())
    rest = ([_cell(r.get(c)) for c in columns] for r in rows)
    for row in itertools.chain(first, rest):
        if w is not None and len(row[w]) > widths[w]:
            row[w] = row[w][: widths[w] - 1] + "…"
        print("  ".join(v.ljust(widths[i]) for i, v in enumerate(row)).rstrip())


def emit_json_list(items: Iterable[Any]) -> None:
    """Print a JSON list item by item: the same text as ``emit_json(list(items))``, in flat memory."""
    write = sys.stdout.write
    first = True
    for item in items:
        write("[\n  " if first else ",\n  ")
        write(json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n  "))
        first = False
    write("[]\n" if first else "\n]\n")


def emit(data: list[dict], columns: Sequence[str], as_json: bool, wide: str | None = None) -> None:
    if as_json:
        emit_json(data)
    else:
        emit_table(data, columns, wide)
