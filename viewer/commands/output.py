"""How commands print: JSON for scripts, a readable table for people."""

from __future__ import annotations

import itertools
import json
import shutil
import sys
from collections.abc import Iterable, Sequence


def emit_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _cell(value: object) -> str:
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


def emit_json_list(items: Iterable[object]) -> None:
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


def store_errors(handler):
    """A command whose trouble with the user's own data (bookmarks, corrections: ``StoreError``) is one
    plain line on stderr and exit code 1."""
    from viewer.core.userstore import StoreError

    def run(args, archive) -> int:
        try:
            return handler(args, archive)
        except StoreError as e:
            print(f"archive-viewer: {e.message}", file=sys.stderr)
            return 1

    return run


def warn(message: str) -> None:
    print(f"archive-viewer: warning: {message}", file=sys.stderr)


def open_user_store(store_class, args):
    """A store of the user's own data (``BookmarkStore``, ``CorrectionStore``) in the data folder of
    ``args``; a repair, or a backup that could not be made, is told on stderr."""
    store = store_class.open(getattr(args, "data_dir", None))
    if store.recovery is not None:
        warn(store.recovery.message)
    if store.backup_warning:
        warn(store.backup_warning)
    if getattr(store, "repaired", ""):
        warn(store.repaired)
    return store


def optional_archive(args, what: str):
    """The archive of ``args`` if it can be opened; else None and a warning that ``what`` ("Bookmarks")
    are shown as they were saved."""
    from viewer.core.archive import Archive
    from viewer.core.datadir import default_archive
    from viewer.core.db import ArchiveError

    try:
        return Archive(getattr(args, "archive", None) or default_archive(getattr(args, "data_dir", None)))
    except ArchiveError as e:
        warn(f"{e.message} {what} are shown as they were saved.")
        return None
