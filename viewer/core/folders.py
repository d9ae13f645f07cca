"""A folder given to the importer: every document in it and in its subfolders.

Files are taken in name order, folder by folder. Hidden files and folders are passed over, and so
is the folder a browser saves beside a web page for its pictures and scripts (``Page_files``,
``Page-Dateien``...: the page itself is imported). A file whose name says it is no document we
read (a picture, a spreadsheet) is listed as ignored, with the reason; a file of a format we know
but cannot import (``.doc``) goes to the importer, which says why it cannot be imported.
Symbolic links to folders are not followed (no loops), and a walk stops at ``MAX_FILES``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from viewer.core.readers import _REFUSED_SUFFIXES, SUPPORTED_SUFFIXES

MAX_FILES = 10_000
_ASSET_FOLDERS = ("_files", "-Dateien", "_fichiers", "_archivos", "_file", "-файлы")


def is_asset_folder(path: Path) -> bool:
    """The folder a browser saved beside ``X.html`` for its pictures and scripts."""
    name = path.name
    for suffix in _ASSET_FOLDERS:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            if any((path.parent / f"{stem}{ext}").exists() for ext in (".html", ".htm", ".xhtml")):
                return True
    return False


def _wanted(path: Path) -> bool:
    suffix = path.suffix.lower()
    return suffix in SUPPORTED_SUFFIXES or suffix in _REFUSED_SUFFIXES


def gather(
    paths: Iterable[str | os.PathLike], cancelled: Callable[[], bool] | None = None
) -> tuple[list[Path], list[tuple[Path, str]]]:
    """(files to import, [(file, why it is ignored)]) for ``paths``: files as given, folders walked.
    Each file once, in the order found."""
    files: list[Path] = []
    ignored: list[tuple[Path, str]] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve() if path.exists() else path
        if key not in seen:
            seen.add(key)
            files.append(path)

    def walk(folder: Path) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name.casefold())
        except OSError as e:
            ignored.append((folder, f"the folder cannot be read ({e.strerror or e})"))
            return
        subfolders = []
        for entry in entries:
            if cancelled is not None and cancelled():
                return
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                if entry.is_dir(follow_symlinks=False):
                    if not is_asset_folder(path):
                        subfolders.append(path)
                    continue
                if not entry.is_file():
                    continue
            except OSError:
                continue
            if len(files) >= MAX_FILES:
                ignored.append((folder, f"more than {MAX_FILES:,} documents; the rest of the folder is not imported"))
                return
            if _wanted(path):
                add(path)
            else:
                ignored.append((path, "not a kind of document Archive Viewer imports"))
        for sub in subfolders:
            walk(sub)

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            walk(path)
        else:
            add(path)  # the importer says why a file cannot be imported
    return files, ignored
