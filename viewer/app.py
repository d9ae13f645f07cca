"""Start-up: until the desktop window lands, print what the archive holds."""

from __future__ import annotations

import sys

from viewer.core.archive import Archive, default_archive_path
from viewer.core.db import ArchiveError


def run_gui(archive_path: str | None) -> int:
    try:
        with Archive(archive_path or default_archive_path()) as archive:
            s = archive.summary()
    except ArchiveError as e:
        print(f"archive-viewer: {e.message}", file=sys.stderr)
        return 3
    print(f"{s.title}: {s.documents} documents ({s.documents_with_text} with text), {s.speakers} speakers, "
          f"{s.passages} passages, {s.quotes} quotes")
    return 0
