"""What the window asks of every panel (``Panel``) and what it offers them (``PanelLinks``).

The window wires every panel the same way (``MainWindow.add_panel``): it calls ``connect_window(links)``
once, when the panel is made; ``set_archive`` when an archive is opened or closed; ``set_current_document``
when the reader shows another document; ``restore_settings`` / ``save_settings`` with the window's state;
``tab_order`` when Tab goes round the window. The panel connects the signals it has to the links it needs in
``connect_window``, and offers there what only it can do (the search panel takes Find; the speakers panel
selects a speaker clicked in the reader; the bookmarks panel exports): the window never looks for a signal
or a method by its name.

``PanelDefaults`` gives the methods a panel has nothing to do in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from PySide6.QtWidgets import QWidget


@runtime_checkable
class Panel(Protocol):
    """A panel of the window (a QWidget in a dock)."""

    def connect_window(self, links: PanelLinks) -> None:
        """Connect the panel's signals to ``links`` and offer what it can do; called once, when it is made."""

    def set_archive(self, archive) -> None:
        """Show ``archive`` (a ``viewer.core.archive.Archive``; None: none is open). The window closes the
        archive it gave before after this returns: let go of it here."""

    def set_current_document(self, document) -> None:
        """The reader shows ``document`` (a ``viewer.core.records.Document``, or None)."""

    def save_settings(self) -> None:
        """Keep what the user set (``viewer.ui.settings``) as the window closes."""

    def restore_settings(self) -> None:
        """Take back what was kept, once the window's layout is restored."""

    def tab_order(self) -> list[QWidget] | None:
        """The controls Tab goes through, in order; None: in the order they were made."""


class SearchTarget(Protocol):
    """What the panel that takes Find offers (``PanelLinks.offer_search``)."""

    def focus_query(self) -> None:
        """Edit > Find (Ctrl+F): the cursor in the query box."""

    def focus_results(self) -> bool:
        """View > Go to > Search results: the cursor in the results; False when there are none."""

    def next_hit(self) -> None:
        """F3."""

    def previous_hit(self) -> None:
        """Shift+F3."""

    def list_speaker(self, speaker_id: int) -> None:
        """Everything a speaker said, listed."""

    def selected_hit(self):
        """The result under the cursor (a SearchHit) for Ctrl+D, or None."""


@dataclass(frozen=True)
class PanelLinks:
    """What the window offers a panel. The slots take a panel's requests (connect signals to them); the
    ``offer_*`` functions are called once, in ``connect_window``, by the panel that can do it."""

    show_passage: Callable  # (passage id, highlights: [(start, end)] or None): the reader shows it
    show_search_hit: Callable  # (passage id, highlights): the reader shows a search result
    set_search_highlight: Callable  # (a PreparedQuery or None): the words the reader marks
    show_quote: Callable  # (quote id)
    show_document: Callable  # (document id)
    set_speaker_highlight: Callable  # (speaker id or None): the reader marks a speaker's passages
    list_speaker: Callable  # (speaker id): everything they said, in the search panel (shown and in front)
    report_archive_error: Callable  # (an exception): told once per archive, details behind a button
    show_status: Callable  # (text): the status bar
    bookmark_hit: Callable  # (a SearchHit): bookmark it
    request_speaker: Callable  # (Quote or None, Passage or None): the Set speaker dialog
    set_attribution: Callable  # (a SpeakerRequest): write the correction
    apply_corrections: Callable  # (): apply the stored corrections not applied yet
    offer_search: Callable[[SearchTarget], None]  # this panel takes Find, F3, Shift+F3 and "List all"
    offer_speaker_selection: Callable[[Callable[[int], None]], None]  # selects a speaker clicked in the reader
    offer_bookmarks_export: Callable[[Callable[[], None]], None]  # File > Export bookmarks… opens its dialog


class PanelDefaults:
    """The ``Panel`` methods for a panel that has nothing to do in them (put before QWidget in the bases)."""

    def set_current_document(self, document) -> None:
        pass

    def save_settings(self) -> None:
        pass

    def restore_settings(self) -> None:
        pass

    def tab_order(self) -> list[QWidget] | None:
        return None
