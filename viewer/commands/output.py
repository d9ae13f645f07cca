"""How commands print: JSON for scripts, a readable table for people."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Sequence
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


def emit_table(rows: Sequence[dict], columns: Sequence[str], wide: str | None = None) -> None:
    """Print ``rows`` as aligned columns; the ``wide`` column takes what the terminal has left."""
    if not rows:
        print("(none)")
        return
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    if wide in columns:
        w = columns.index(wide)
        total = shutil.get_terminal_size((120, 20)).columns
        room = max(30, total - sum(widths[i] + 2 for i in range(len(columns)) if i != w))
        widths[w] = min(widths[w], room)
        for row in cells:
            if len(row[w]) > widths[w]:
                row[w] = row[w][: widths[w] - 1] + "…"
    print("  ".join(c.upper().ljust(widths[i]) for i, c in enumerate(columns)).rstrip())
    for row in cells:
        print("  ".join(v.ljust(widths[i]) for i, v in enumerate(row)).rstrip())


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
