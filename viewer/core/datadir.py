"""Where the user's own data lives (bookmarks and their backups): never beside the archive.

``--data-dir`` wins, then ``$ARCHIVE_VIEWER_DATA_DIR``, then the platform's user data folder
(``~/.local/share/archive-viewer`` on Linux, ``~/Library/Application Support/archive-viewer`` on
macOS, ``%LOCALAPPDATA%\\archive-viewer`` on Windows).
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "ARCHIVE_VIEWER_DATA_DIR"
APP_NAME = "archive-viewer"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The folder for the user's data; not created here."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
