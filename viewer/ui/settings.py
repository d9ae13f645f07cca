"""Every QSettings key the app uses, defined once, and small typed accessors.

Keys are namespaced ``area/name``. User data (bookmarks, corrections, the citation template) is not a setting
and lives in the data folder.
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
SEARCH_HISTORY = "search/history"  # the queries typed, newest first
BOOKMARKS_EXPORT_FOLDER = "bookmarks/export_folder"
BOOKMARKS_EXPORT_FORMAT = "bookmarks/export_format"
CITATION_TEMPLATE = "bookmarks/citation_template"  # where earlier versions kept the citation template
IMPORT_FOLDER = "import/folder"
IMPORT_LIMITS = "import/limits/"  # + an ImportLimits field: "import/limits/paragraphs" (viewer.core.limits)

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


class SettingsHistory:
    """The archive opened last and the recent ones, kept in the settings (``ARCHIVE_LAST``, ``ARCHIVE_RECENT``):
    the ``viewer.core.session.ArchiveHistory`` of the desktop app."""

    def last(self) -> str:
        return get_str(ARCHIVE_LAST)

    def set_last(self, path: str | None) -> None:
        if path:
            set_value(ARCHIVE_LAST, path)
        else:
            remove(ARCHIVE_LAST)

    def recent(self) -> list[str]:
        return get_str_list(ARCHIVE_RECENT)

    def set_recent(self, paths: list[str]) -> None:
        if paths:
            set_value(ARCHIVE_RECENT, list(paths))
        else:
            remove(ARCHIVE_RECENT)
