"""Every QSettings key the app uses, defined once, and small typed accessors.

Keys are namespaced ``area/name``. User data (bookmarks) is not a setting and lives in its own store.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

WINDOW_GEOMETRY = "window/geometry"
WINDOW_STATE = "window/state"
WINDOW_STATE_VERSION = "window/state_version"
ARCHIVE_LAST = "archive/last"
ARCHIVE_RECENT = "archive/recent"
READER_FONT_SIZE = "reader/font_size"
READER_LAST_DOCUMENT = "reader/last_document"
SPEAKERS_SPLITTER = "speakers/splitter"
SPEAKERS_SORT = "speakers/sort"  # [column, order] of the speakers table
SPEAKERS_THIS_DOCUMENT = "speakers/this_document"
DOCUMENTS_ORDER = "documents/order"
CITATION_TEMPLATE = "bookmarks/citation_template"  # where earlier versions kept the citation template
IMPORT_FOLDER = "import/folder"
IMPORT_LIMITS = "import/limits/"  # + an ImportLimits field: "import/limits/paragraphs" (viewer.core.limits)

RECENT_MAX = 10
# Bump when the set of docks changes shape so an old saved layout is not applied to a new one.
LAYOUT_VERSION = 2  # 2: search, bookmarks and statistics docks


def settings() -> QSettings:
    """The application's settings (organisation and application names come from QCoreApplication)."""
    return QSettings()


def get_bytes(key: str) -> QByteArray | None:
    value = settings().value(key)
    if isinstance(value, QByteArray) and not value.isEmpty():
        return value
    if isinstance(value, (bytes, bytearray)) and value:
        return QByteArray(bytes(value))
    return None


def get_str(key: str, default: str = "") -> str:
    value = settings().value(key, default)
    return value if isinstance(value, str) else default


def get_int(key: str, default: int) -> int:
    value = settings().value(key, default)
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def get_bool(key: str, default: bool = False) -> bool:
    value = settings().value(key, default)
    if isinstance(value, str):
        return value.lower() in ("1", "true", "yes")
    return bool(value)


def get_str_list(key: str) -> list[str]:
    """A list of strings (INI files give back one string for a one-item list)."""
    value = settings().value(key, [])
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, (list, tuple)):
        return [v for v in value if isinstance(v, str) and v]
    return []


def get_int_list(key: str) -> list[int]:
    """A list of whole numbers (INI files give back strings); [] when unset or not numbers."""
    value = settings().value(key, [])
    if not isinstance(value, (list, tuple)):
        value = [value] if value not in (None, "") else []
    try:
        return [int(v) for v in value]
    except (TypeError, ValueError):
        return []


def set_value(key: str, value) -> None:
    settings().setValue(key, value)


def remove(key: str) -> None:
    settings().remove(key)


def import_limits():
    """The import limits: ``ImportLimits`` with the values set under ``import/limits/<field>`` (positive
    numbers; anything else keeps the default)."""
    from dataclasses import fields

    from viewer.core.limits import ImportLimits

    chosen = {}
    for f in fields(ImportLimits):
        value = settings().value(IMPORT_LIMITS + f.name)
        try:
            number = int(value) if f.type in (int, "int") else float(value)
        except (TypeError, ValueError):
            continue
        if number > 0 and number != float("inf"):
            chosen[f.name] = number
    return ImportLimits(**chosen)
def citation_template(data_dir) -> str:
    """The user's citation template: a file in their data folder, the one the command line uses too
    (``viewer.core.citation.load_template``). A template earlier versions kept as a setting moves there."""
    from viewer.core.citation import load_template, save_template, template_path
    from viewer.core.export import ExportError

    old = get_str(CITATION_TEMPLATE)
    if old:
        try:
            if not template_path(data_dir).exists():
                save_template(data_dir, old)
            remove(CITATION_TEMPLATE)
        except (ValueError, ExportError):
            pass  # not usable, or not writable now: the file (or the default) is used
    return load_template(data_dir)


def recent_archives() -> list[str]:
    return get_str_list(ARCHIVE_RECENT)[:RECENT_MAX]


def add_recent_archive(path: str) -> list[str]:
    """Put ``path`` first in the recent archives; returns the new list."""
    paths = [path] + [p for p in recent_archives() if p != path]
    paths = paths[:RECENT_MAX]
    set_value(ARCHIVE_RECENT, paths)
    return paths


def clear_recent_archives() -> None:
    remove(ARCHIVE_RECENT)
