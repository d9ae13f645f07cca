"""The archive the app has open, and the ones it opened before: one ``ArchiveSession`` per window, no Qt.

One archive is open at a time. Opening another (or closing it) first tells every listener
(``add_listener``: the window, which gives the new archive to its panels), then closes the old one, so
nothing still reads an archive that is closed. The archive opened last and the recent ones are kept
between runs by an ``ArchiveHistory`` (the desktop app keeps them in its settings:
``viewer.ui.settings.SettingsHistory``; ``MemoryHistory`` keeps them for the session only).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from viewer.core.archive import Archive
from viewer.core.datadir import default_archive, user_archive_path

RECENT_MAX = 10  # archives listed in File > Open recent


class ArchiveHistory(Protocol):
    """Where the archive opened last and the recent ones are kept between runs."""

    def last(self) -> str:
        """The archive open when the app last closed ("" when none was)."""

    def set_last(self, path: str | None) -> None:
        """Remember ``path`` as the archive open now; None: none is."""

    def recent(self) -> list[str]:
        """The archives opened before, newest first."""

    def set_recent(self, paths: list[str]) -> None: ...


@dataclass
class MemoryHistory:
    """An ``ArchiveHistory`` that lasts as long as the object."""

    last_path: str = ""
    recent_paths: list[str] = field(default_factory=list)

    def last(self) -> str:
        return self.last_path

    def set_last(self, path: str | None) -> None:
        self.last_path = path or ""

    def recent(self) -> list[str]:
        return list(self.recent_paths)

    def set_recent(self, paths: list[str]) -> None:
        self.recent_paths = list(paths)


Listener = Callable[[Archive | None], None]


class ArchiveSession:
    """The open archive (``archive``, None when none is) and the recent ones.

    ``open`` raises what ``Archive`` raises when the file cannot be used (an ``ArchiveError`` with a message for
    the user); the archive open before then stays open."""

    def __init__(
        self, data_dir: str | Path, history: ArchiveHistory | None = None, opener: Callable[[Path], Archive] = Archive
    ):
        self.data_dir = Path(data_dir)
        self.history: ArchiveHistory = history if history is not None else MemoryHistory()
        self.archive: Archive | None = None
        self._opener = opener
        self._listeners: list[Listener] = []

    def add_listener(self, listener: Listener) -> None:
        """``listener(archive)`` runs when another archive is open (None: it was closed), before the one open
        until then is closed."""
        self._listeners.append(listener)

    # ------------------------------------------------------------------ which archive

    def start_path(self, path: str | Path | None = None) -> Path:
        """The archive to open at start-up: ``path`` if given, else the one open when the app last closed if it
        still exists, else the user's own archive if an import made one, else the bundled one."""
        if path is not None:
            return Path(path).expanduser()
        last = self.history.last()
        return Path(last) if last and Path(last).is_file() else self.default_path()

    def default_path(self) -> Path:
        """The archive opened when none is named: the user's own if an import made one, else the bundled one."""
        return default_archive(self.data_dir)

    def is_users_own(self, path: str | Path) -> bool:
        """``path`` is the user's own archive (the one imports make in the data folder)."""
        return Path(path) == user_archive_path(self.data_dir)

    # ------------------------------------------------------------------ opening and closing

    def open(self, path: str | Path) -> bool:
        """Open ``path`` in place of the archive open now, remember it as the last and the first of the recent
        ones (``open_file``, then ``use``). Returns True when it is the archive that was open last (so the
        reader may show the document it showed then). Opening the file that is open again gives a fresh
        connection, which sees what an import or a correction wrote (the one open may read a private copy of
        an archive in WAL mode)."""
        return self.use(self.open_file(path))

    def open_file(self, path: str | Path) -> Archive:
        """The archive at ``path``, opened but not in use yet (``use``); raises, and nothing changes, when the
        file cannot be used."""
        return self._opener(Path(path).expanduser())

    def use(self, archive: Archive) -> bool:
        """Make ``archive`` the open one (the listeners first, then the one open until now is closed), the
        last and the first of the recent ones. Returns True when it is the archive that was open last."""
        same_as_last = str(archive.path) == self.history.last()
        self._switch_to(archive)
        self.history.set_last(str(archive.path))
        self._add_recent(str(archive.path))
        return same_as_last

    def close(self) -> None:
        """Close the archive (File > Close archive): the next start opens the default one."""
        if self.archive is None:
            return
        self._switch_to(None)
        self.history.set_last(None)

    def shutdown(self) -> None:
        """Close the archive as the app quits: the next start opens it again."""
        self._switch_to(None)

    def _switch_to(self, archive: Archive | None) -> None:
        old, self.archive = self.archive, archive
        for listener in list(self._listeners):
            listener(archive)
        if old is not None and old is not archive:
            old.close()

    # ------------------------------------------------------------------ recent archives

    def recent(self) -> list[str]:
        """The archives opened before, newest first (at most ``RECENT_MAX``)."""
        return self.history.recent()[:RECENT_MAX]

    def clear_recent(self) -> None:
        self.history.set_recent([])

    def _add_recent(self, path: str) -> None:
        self.history.set_recent(([path] + [p for p in self.recent() if p != path])[:RECENT_MAX])
