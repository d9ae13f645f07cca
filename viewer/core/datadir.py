"""Where the user's own data lives (bookmarks and their backups, their own archive): never beside the
bundled archive.

``--data-dir`` wins, then ``$ARCHIVE_VIEWER_DATA_DIR``, then the platform's user data folder
(``~/.local/share/archive-viewer`` on Linux, ``~/Library/Application Support/archive-viewer`` on
macOS, ``%LOCALAPPDATA%\\archive-viewer`` on Windows).

The bundled ``archive.db`` is never changed. The first import makes the user's own archive,
``<data dir>/archive.db``, a copy of the bundled one with the new documents (see
``viewer.core.import_target.import_target``); from then on it is the archive opened when none is named.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "ARCHIVE_VIEWER_DATA_DIR"
IMPORT_PREFIX = ".archive-import-"  # the folder an import makes the user's own archive in
APP_NAME = "archive-viewer"
USER_ARCHIVE_NAME = "archive.db"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The folder for the user's data; not created here."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_archive_path(override: str | os.PathLike | None = None) -> Path:
    """The user's own archive (it exists once an import has made it)."""
    return data_dir(override) / USER_ARCHIVE_NAME


def default_archive(override: str | os.PathLike | None = None) -> Path:
    """The archive to open when none is named: the user's own if it exists, else the bundled one."""
    from viewer.core.archive import default_archive_path

    own = user_archive_path(override)
    return own if own.is_file() else default_archive_path()


def clean_import_leftovers(folder: str | os.PathLike) -> list[Path]:
    """Remove what imports killed midway left in the data ``folder`` (their copies of the bundled archive);
    the next import and the app's start call it. What a running import uses is never touched."""
    import time

    from viewer.core.scratch import clean_stale

    folder = Path(folder)
    removed = clean_stale(IMPORT_PREFIX, folder)
    try:  # earlier versions made a file, not a folder: an hour old, it is nobody's
        old = [
            p for p in folder.glob(IMPORT_PREFIX + "*.db*") if p.is_file() and time.time() - p.stat().st_mtime > 3600
        ]
    except OSError:
        old = []
    for path in old:
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed
