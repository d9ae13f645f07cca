"""The one object the UI asks about bookmarks: create (Ctrl+D in the reader, search results), edit,
delete with undo, pages of the list, spans to draw, citations for the clipboard. It wraps the core
``BookmarkStore``; panels and the reader never touch the store directly.

Store work is quick local SQLite on the UI thread (one small transaction per change, one indexed query
per page); where a bookmark is in the archive is remembered per archive, and a document's spans once
they were mapped, so redrawing is a dictionary lookup.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from PySide6.QtCore import QMimeData, QObject, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from viewer.core.bookmarks import (
    UNRESOLVED, Bookmark, BookmarkError, BookmarkQuery, BookmarkSpan, BookmarkStore, ImportResult, Resolution,
    Resolver, make_bookmark,
)
from viewer.core.citation import save_template
from viewer.core.db import ArchiveError
from viewer.core.export import ExportError, clipboard
from viewer.ui import settings
from viewer.ui.dialogs.bookmark_dialog import BookmarkDialog


class BookmarksController(QObject):
    """Bookmarks for the UI. Nothing is read ahead: the panel reads pages of the store as it scrolls
    (``page``), the reader the bookmarks of the document it shows (``spans_for_passage``), so a store of
    a million bookmarks costs the start-up nothing.

    Signals:
        bookmarks_changed(): the bookmarks changed (here, by undo/redo, or in another copy of the app),
            or the archive they are mapped onto did; read again what is shown.
        bookmark_added(int): a new bookmark was saved (its id).
        error_occurred(str): something could not be saved or read; one plain line to show.
    """

    bookmarks_changed = Signal()
    bookmark_added = Signal(int)
    error_occurred = Signal(str)

    RESOLVED_KEPT = 20_000  # resolutions remembered (a page of the panel, the documents read)

    def __init__(self, store: BookmarkStore, parent: QObject | None = None, poll_ms: int = 2000):
        super().__init__(parent)
        self.store = store
        self.archive = None
        self.undo_stack = QUndoStack(self)
        self._resolver: Resolver | None = None
        self._resolved: OrderedDict[tuple, Resolution] = OrderedDict()
        self._spans: dict[str, dict[int, list[BookmarkSpan]]] = {}  # document slug -> passage id -> spans
        self._slug_of: dict[int, str | None] = {}  # passage id -> its document's slug
        self._seen_version = self._data_version()
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self._on_poll_timeout)
        if poll_ms > 0:
            self._poll.start()

    # ---------------------------------------------------------------- archive and reading

    def set_archive(self, archive) -> None:
        """Map the bookmarks onto ``archive`` (or None). Called on the UI thread."""
        if archive is self.archive:
            return
        self.archive = archive
        self._resolver = Resolver(archive) if archive is not None else None
        self._resolved.clear()
        self._slug_of.clear()
        self._reload()

    def page(self, query: BookmarkQuery, after: tuple | None = None, limit: int = 200) -> tuple[list[Bookmark], tuple | None]:
        """A page of the bookmarks ``query`` selects (``BookmarkStore.page``); none when the store cannot
        be read (the error is told)."""
        try:
            return self.store.page(query, after, limit)
        except BookmarkError as e:
            self.error_occurred.emit(e.message)
            return [], None

    def count(self, query: BookmarkQuery | None = None) -> int:
        return self._guard(self.store.count, query) or 0

    def bookmarks(self, query: BookmarkQuery | None = None) -> list[Bookmark]:
        """Every bookmark ``query`` selects (default: all), read now: for a few, not for a whole big store."""
        return self._guard(lambda: list(self.store.iter(query))) or []

    def bookmark(self, bookmark_id: int) -> Bookmark | None:
        return self._guard(self.store.get, bookmark_id)

    def resolution_of(self, b: Bookmark) -> Resolution:
        """Where ``b``'s words are in the current archive (remembered until the bookmark or the archive
        changes)."""
        anchor = (b.id, b.uid, b.kind, b.text_hash, b.document_slug, b.paragraph, b.start, b.attribution)
        found = self._resolved.get(anchor)
        if found is not None:
            self._resolved.move_to_end(anchor)
            return found
        if self._resolver is None:
            return Resolution(UNRESOLVED)
        try:
            found = self._resolver.resolve(b)
        except ArchiveError as e:  # an archive that cannot be read must not lose the list
            found = Resolution(UNRESOLVED, reason=e.message)
        self._resolved[anchor] = found
        if len(self._resolved) > self.RESOLVED_KEPT:
            self._resolved.popitem(last=False)
        return found

    def resolution(self, bookmark_id: int) -> Resolution:
        b = self.bookmark(bookmark_id)
        return self.resolution_of(b) if b is not None else Resolution(UNRESOLVED)

    def tags(self) -> list[str]:
        """Every tag in use, by name (ignoring case)."""
        return [t for t, _n in self._guard(self.store.tags) or []]

    def speakers(self) -> list[str]:
        return self._guard(self.store.speakers) or []

    def documents(self) -> list[tuple[str, str]]:
        return self._guard(self.store.documents) or []

    def spans_for_passage(self, passage_id: int) -> list[BookmarkSpan]:
        """Bookmarked spans of a passage of the current archive, with their colours, to draw. The
        bookmarks of the passage's document are read and mapped once, when the first of its passages is
        drawn; bookmarks whose words changed in the archive are not drawn."""
        if self.archive is None:
            return []
        if passage_id not in self._slug_of:
            try:
                passage = self.archive.passage(passage_id)
                document = self.archive.document(passage.document_id) if passage is not None else None
            except ArchiveError:
                document = None
            self._slug_of[passage_id] = document.slug if document is not None else None
        slug = self._slug_of[passage_id]
        if slug is None:
            return []
        if slug not in self._spans:
            self._spans[slug] = self._document_spans(slug)
        return list(self._spans[slug].get(passage_id, ()))

    def _document_spans(self, slug: str) -> dict[int, list[BookmarkSpan]]:
        spans: dict[int, list[BookmarkSpan]] = {}
        for b in self._guard(self.store.marks, slug) or []:
            r = self.resolution_of(b)
            if r.found:
                spans.setdefault(r.passage_id, []).append(BookmarkSpan(b.id, r.start, r.end, b.colour, b.colour_hex,
                                                                       b.kind))
                self._slug_of[r.passage_id] = slug
        for items in spans.values():
            items.sort(key=lambda s: (s.start, s.end, s.bookmark_id))
        return spans

    def recovery_message(self) -> str:
        """What to tell the user about a repaired bookmarks file ("" when there is nothing)."""
        try:
            return self.store.recovery_notice()
        except BookmarkError as e:
            return e.message

    def dismiss_recovery_message(self) -> None:
        self._guard(self.store.dismiss_recovery_notice)

    def stop(self) -> None:
        """Stop watching the store for changes by other copies of the app (before it is closed)."""
        self._poll.stop()

    def reload(self) -> None:
        """The store changed (an import, another copy of the app): what is shown is read again."""
        self._reload()

    def _reload(self) -> None:
        self._seen_version = self._data_version()
        self._spans.clear()
        self.bookmarks_changed.emit()

    def _data_version(self) -> int:
        try:
            return self.store.data_version()
        except BookmarkError:
            return -1

    @Slot()
    def _on_poll_timeout(self) -> None:
        if self._data_version() != self._seen_version:
            self._reload()

    def _guard(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except BookmarkError as e:
            self.error_occurred.emit(e.message)
        except ValueError as e:
            self.error_occurred.emit(str(e))
        return None

    # ---------------------------------------------------------------- creating

    def add_quote(self, quote_id: int, parent: QWidget | None = None, ask: bool = True) -> Bookmark | None:
        """Bookmark a direct quote (the quote under the cursor, a search result). With ``ask``, a
        popup takes note, tags and colour first; None if cancelled or it could not be saved."""
        return self._create(parent, ask, quote_id=quote_id)

    def add_selection(self, passage_id: int, start: int, end: int, parent: QWidget | None = None,
                      ask: bool = True) -> Bookmark | None:
        """Bookmark ``passage.text[start:end]`` of the current archive (the reader's selection)."""
        return self._create(parent, ask, passage_id=passage_id, start=start, end=end)

    def add_passage(self, passage_id: int, parent: QWidget | None = None, ask: bool = True) -> Bookmark | None:
        """Bookmark a whole passage of the current archive."""
        if self.archive is None:
            self.error_occurred.emit("Open an archive first.")
            return None
        try:
            passage = self.archive.passage(passage_id)
        except ArchiveError as e:
            self.error_occurred.emit(e.message)
            return None
        if passage is None:
            self.error_occurred.emit("That passage is not in this archive.")
            return None
        return self.add_selection(passage.id, 0, len(passage.text), parent, ask)

    def add_search_hit(self, hit, parent: QWidget | None = None, ask: bool = True) -> Bookmark | None:
        """Bookmark a search result (a ``SearchHit``): a quote result is the quote; a passage result
        is the whole passage, so the words found are kept with what surrounds them."""
        if hit.kind == "quote":
            return self.add_quote(hit.id, parent, ask)
        return self.add_passage(hit.passage_id, parent, ask)

    def _create(self, parent: QWidget | None, ask: bool, **where) -> Bookmark | None:
        if self.archive is None:
            self.error_occurred.emit("Open an archive first.")
            return None
        try:
            draft = make_bookmark(self.archive, **where)
        except ValueError as e:
            self.error_occurred.emit(str(e))
            return None
        except ArchiveError as e:
            self.error_occurred.emit(e.message)
            return None
        if ask:
            dialog = BookmarkDialog(parent, draft, known_tags=self.tags(), title="Add bookmark")
            if dialog.exec() != BookmarkDialog.DialogCode.Accepted:
                return None
            note, tags, colour = dialog.values()
            draft = replace(draft, note=note, tags=tags, colour=colour)
        saved = self._guard(self.store.add, draft)
        if saved is None:
            return None
        self.undo_stack.push(_AddCommand(self, saved))
        self._reload()
        self.bookmark_added.emit(saved.id)
        return saved

    # ---------------------------------------------------------------- changing (undoable)

    def edit(self, bookmark_id: int, *, note: str | None = None, tags: Iterable[str] | None = None,
             colour: str | None = None) -> bool:
        """Change note, tags or colour (undoable). False if nothing changed or it failed."""
        before = self.bookmark(bookmark_id)
        if before is None:
            return False
        new = {"note": note, "tags": tuple(tags) if tags is not None else None, "colour": colour}
        after = self._guard(self.store.update, bookmark_id, **new)
        if after is None:
            return False
        if (after.note, after.tags, after.colour) == (before.note, before.tags, before.colour):
            self._reload()
            return False
        self.undo_stack.push(_EditCommand(self, before, after))
        self._reload()
        return True

    def edit_with_dialog(self, bookmark_id: int, parent: QWidget | None = None) -> bool:
        b = self.bookmark(bookmark_id)
        if b is None:
            return False
        dialog = BookmarkDialog(parent, b, known_tags=self.tags(), title="Edit bookmark")
        if dialog.exec() != BookmarkDialog.DialogCode.Accepted:
            return False
        note, tags, colour = dialog.values()
        return self.edit(bookmark_id, note=note, tags=tags, colour=colour)

    def remove(self, bookmark_ids: Sequence[int]) -> int:
        """Delete bookmarks (undoable with Ctrl+Z). Returns how many were deleted."""
        ids = [i for i in bookmark_ids if self.bookmark(i) is not None]
        if not ids:
            return 0
        gone = self._guard(self.store.remove, ids)
        if not gone:
            return 0
        self.undo_stack.push(_RemoveCommand(self, gone))
        self._reload()
        return len(gone)

    def import_file(self, bookmarks: Iterable[Bookmark]) -> ImportResult | None:
        result = self._guard(self.store.import_bookmarks, bookmarks)
        self._reload()
        return result

    # ---------------------------------------------------------------- citations

    @property
    def data_dir(self):
        """The user's data folder (the store's): their citation template is kept there too."""
        return self.store.path.parent

    def citation_template(self) -> str:
        """The user's citation template (shared with the reader and the command line); the default
        when unset or unusable."""
        return settings.citation_template(self.data_dir)

    def set_citation_template(self, template: str) -> str | None:
        """Save the template; returns why it is not usable or cannot be saved (and saves nothing), else None."""
        try:
            save_template(self.data_dir, template)
        except ValueError as e:
            return str(e)
        except ExportError as e:
            return e.message
        return None

    def archive_title(self) -> str:
        """The title of the open archive (named in exports), "" when none is open or it cannot be read."""
        if self.archive is None:
            return ""
        try:
            return self.archive.meta().get("title", "")
        except ArchiveError:
            return ""

    def citation_mime(self, bookmark_ids: Sequence[int]) -> QMimeData | None:
        found = (self.bookmark(i) for i in dict.fromkeys(bookmark_ids))
        chosen = sorted((b for b in found if b is not None), key=lambda b: (b.created, b.id))  # as they were made
        if not chosen:
            return None
        plain, markup = clipboard(chosen, self.citation_template(), {b.id: self.resolution_of(b) for b in chosen})
        mime = QMimeData()
        mime.setText(plain)
        mime.setHtml(markup)
        return mime

    def copy_with_citation(self, bookmark_ids: Sequence[int]) -> bool:
        """Put the quotes with their citations on the clipboard as plain text and HTML."""
        mime = self.citation_mime(bookmark_ids)
        if mime is None:
            return False
        QGuiApplication.clipboard().setMimeData(mime)
        return True


# -------------------------------------------------------------------- undo commands
# Each command's first redo() is the change already made; later redo()/undo() replay it.


class _AddCommand(QUndoCommand):
    def __init__(self, controller: BookmarksController, saved: Bookmark):
        super().__init__(f"add bookmark “{_short(saved.text)}”")
        self._c = controller
        self._saved = [saved]
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._saved = self._c._guard(self._c.store.restore, self._saved) or self._saved
        self._c._reload()

    def undo(self) -> None:
        ids = [b.id for b in self._saved if self._c.store.get(b.id) is not None]
        if ids:
            self._saved = self._c._guard(self._c.store.remove, ids) or self._saved
        self._c._reload()


class _RemoveCommand(QUndoCommand):
    def __init__(self, controller: BookmarksController, gone: list[Bookmark]):
        n = len(gone)
        super().__init__(f"delete {n} bookmarks" if n > 1 else f"delete bookmark “{_short(gone[0].text)}”")
        self._c = controller
        self._gone = gone
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        ids = [b.id for b in self._gone if self._c.store.get(b.id) is not None]
        if ids:
            self._gone = self._c._guard(self._c.store.remove, ids) or self._gone
        self._c._reload()

    def undo(self) -> None:
        self._gone = self._c._guard(self._c.store.restore, self._gone) or self._gone
        self._c._reload()


class _EditCommand(QUndoCommand):
    def __init__(self, controller: BookmarksController, before: Bookmark, after: Bookmark):
        super().__init__(f"edit bookmark “{_short(before.text)}”")
        self._c = controller
        self._before = before
        self._after = after
        self._first = True

    def _apply(self, b: Bookmark) -> None:
        self._c._guard(self._c.store.update, b.id, note=b.note, tags=b.tags, colour=b.colour)
        self._c._reload()

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._apply(self._after)

    def undo(self) -> None:
        self._apply(self._before)


def _short(text: str, n: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
