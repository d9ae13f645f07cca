"""Bugs are told in one line and written down in full: the traceback of an unexpected exception goes
to ``errors.log`` in the user's data folder (``viewer.core.datadir``), newest last.

The command line prints "internal error, details in LOGFILE" (exit 1); the desktop app says the same in
its error dialog, with the traceback behind "Show details". The log is kept under ``MAX_BYTES``: when
it grows past that, the older half is dropped. When the data folder cannot be written, the log goes to
the temporary folder; when nothing can be written, ``record`` returns None and the caller shows the
traceback itself.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from datetime import datetime
from pathlib import Path

LOG_NAME = "errors.log"
MAX_BYTES = 1_000_000


def format_bug(error: BaseException) -> str:
    """The traceback of ``error`` as text."""
    return "".join(traceback.format_exception(type(error), error, error.__traceback__))


def _candidates(data_dir: str | os.PathLike | None) -> list[Path]:
    from viewer.core.datadir import data_dir as resolve

    return [resolve(data_dir) / LOG_NAME, Path(tempfile.gettempdir()) / "archive-viewer" / LOG_NAME]


def _trim(path: Path) -> None:
    try:
        size = path.stat().st_size
        if size <= MAX_BYTES:
            return
        with path.open("rb") as f:
            f.seek(size - MAX_BYTES // 2)
            tail = f.read()
        cut = tail.find(b"\n=== ")
        path.write_bytes(tail[cut + 1:] if cut >= 0 else tail)
    except OSError:
        pass


def record(error: BaseException, data_dir: str | os.PathLike | None = None, context: str = "") -> Path | None:
    """Append ``error``'s traceback (with the time, the version and ``context``, e.g. the command line)
    to the log; returns the log's path, or None when no log could be written."""
    import viewer

    head = f"=== {datetime.now().isoformat(timespec='seconds')} archive-viewer {viewer.__version__}"
    entry = "\n".join(filter(None, [head, context, format_bug(error)])) + "\n"
    for path in _candidates(data_dir):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8", errors="replace") as f:
                f.write(entry)
        except OSError:
            continue
        _trim(path)
        return path
    return None


def report(error: BaseException, data_dir: str | os.PathLike | None = None, context: str = "") -> str:
    """Record ``error`` and return the one line to tell the user."""
    path = record(error, data_dir, context)
    if path is None:
        sys.stderr.write(format_bug(error))
        return "internal error (the details above could not be written to a log)"
    return f"internal error, details in {path}"
