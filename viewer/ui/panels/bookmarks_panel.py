"""The Bookmarks panel: every bookmark across documents, filtered, sorted, edited in place, deleted
with undo, copied with citation and exported.

The table reads the store a page at a time as it scrolls (``BookmarksModel``); filters and the sort order
are the store query's, so they cover every bookmark, however many. Exports run through the TaskRunner
(channel "bookmarks-export"), streamed from the store on the worker's own connection: a big export never
holds the window, nor every bookmark in memory. Everything else is quick local work done by the
``BookmarksController`` on the UI thread.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFileDialog, QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPlainTextEdit,
    QPushButton, QStyledItemDelegate, QTableView, QToolButton, QVBoxLayout, QWidget,
)

from viewer.core.bookmark_file import ExportFile
from viewer.core.bookmarks import COLOURS, Bookmark, BookmarkError, BookmarkQuery
from viewer.core.export import ExportError, export_store
from viewer.ui.bookmarks_controller import BookmarksController
from viewer.ui.dialogs.bookmark_dialog import TagCompleter, colour_icon
from viewer.ui.dialogs.export_dialog import FILTERED, SELECTED, ExportChoice, ExportDialog
from viewer.ui.models.bookmarks_model import (
    CREATED, DOCUMENT, NOTE, PARAGRAPH, SPEAKER, TAGS, TEXT, BookmarkRole, BookmarksModel, ResolutionRole,
)
from viewer.ui.workers import TaskRunner

EXPORT_CHANNEL = "bookmarks-export"
SETTINGS_EXPORT_FOLDER = "bookmarks/export_folder"
SETTINGS_EXPORT_FORMAT = "bookmarks/export_format"
COLUMN_WIDTHS = {TEXT: 340, SPEAKER: 210, DOCUMENT: 190, PARAGRAPH: 40, TAGS: 130, NOTE: 200, CREATED: 90}
EMPTY_HINT = "No bookmarks yet. Select words in the reader (or a search result) and press Ctrl+D."
SEEK_ROWS = 2000  # rows read, at the most, to show a bookmark that is further down the list


class ChoicesCombo(QComboBox):
    """A filter's choices (speakers, tags, documents), listed when they are needed: when the list opens or a
    choice is set, not at every change of the bookmarks (listing a big store's speakers takes a second).
    ``choices()`` gives (label, value) pairs; the first item, ``all_label``, filters nothing."""

    def __init__(self, all_label: str, choices: Callable[[], list[tuple[str, str]]], parent=None):
        super().__init__(parent)
        self._all_label = all_label
        self._choices = choices
        self._stale = True
        self.addItem(all_label, "")

    def mark_stale(self) -> None:
        self._stale = True

    def ensure(self) -> None:
        """List the choices now if the bookmarks changed since they were listed; a choice that is gone
        falls back to ``all_label`` (and the change is signalled)."""
        if not self._stale:
            return
        self._stale = False
        current = self.currentData() or ""
        self.blockSignals(True)
        self.clear()
        self.addItem(self._all_label, "")
        for label, data in self._choices():
            self.addItem(label, data)
            self.setItemData(self.count() - 1, "<p>" + html.escape(label) + "</p>", Qt.ItemDataRole.ToolTipRole)
        i = self.findData(current)
        self.setCurrentIndex(i if i >= 0 else 0)
        self.blockSignals(False)
        if i < 0 and current:
            self.currentIndexChanged.emit(0)

    def showPopup(self) -> None:
        self.ensure()
        super().showPopup()


class BookmarksDelegate(QStyledItemDelegate):
    """In-place editors: a multi-line editor for notes, tags with completion from the tags in use."""

    def __init__(self, controller: BookmarksController, parent=None):
        super().__init__(parent)
        self._controller = controller

    def createEditor(self, parent, option, index):
        if index.column() == NOTE:
            editor = QPlainTextEdit(parent)
            editor.setTabChangesFocus(True)
            return editor
        if index.column() == TAGS:
            editor = QLineEdit(parent)
            editor.setCompleter(TagCompleter(self._controller.tags(), editor))
            return editor
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor, index):
        if isinstance(editor, QPlainTextEdit):
            editor.setPlainText(index.data(Qt.ItemDataRole.EditRole) or "")
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor, model, index):
        if isinstance(editor, QPlainTextEdit):
            model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


class BookmarksPanel(QWidget):
    """All bookmarks, across documents.

    Signals:
        passage_requested(int, object): open this passage in the reader; highlights is a list of
            (start, end) offsets of the bookmarked words, or None when they changed in the archive.
        export_finished(str): an export was written (its path).
        export_failed(str): an export could not be written (one plain line, e.g. "export failed: disk full").
    """

    passage_requested = Signal(int, object)
    export_finished = Signal(str)
    export_failed = Signal(str)

    def __init__(self, controller: BookmarksController, runner: TaskRunner | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.controller = controller
        self.runner = runner or TaskRunner(self)

        self.model = BookmarksModel(controller, self)

        # banner for a repaired store or an error
        self.banner = QFrame()
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.banner_text = QLabel()
        self.banner_text.setTextFormat(Qt.TextFormat.PlainText)
        self.banner_text.setWordWrap(True)
        self.banner_close = QPushButton("Dismiss")
        self.banner_close.clicked.connect(self._on_banner_close_clicked)
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.addWidget(self.banner_text, 1)
        banner_layout.addWidget(self.banner_close)
        self.banner.hide()

        # filters
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter bookmarks")
        self.filter_edit.setClearButtonEnabled(True)
        self.speaker_combo = ChoicesCombo("All speakers", lambda: [(s, s) for s in controller.speakers()])
        self.tag_combo = ChoicesCombo("All tags", lambda: [(t, t) for t in controller.tags()])
        self.colour_combo = QComboBox()
        self.document_combo = ChoicesCombo("All documents", lambda: [(t, s) for s, t in controller.documents()])
        for combo in (self.speaker_combo, self.tag_combo, self.colour_combo, self.document_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)
        self.colour_combo.addItem("All colours", "")
        for name, hex_colour in COLOURS.items():
            self.colour_combo.addItem(colour_icon(hex_colour), name, name)
        self.filter_edit.setAccessibleName("Filter bookmarks")
        for combo, name in ((self.speaker_combo, "Only bookmarks of this speaker"),
                            (self.tag_combo, "Only bookmarks with this tag"),
                            (self.colour_combo, "Only bookmarks of this colour"),
                            (self.document_combo, "Only bookmarks in this document")):
            combo.setAccessibleName(name)
            combo.setToolTip(name)
        filters = QVBoxLayout()
        text_row = QHBoxLayout()
        text_row.addWidget(self.filter_edit, 1)
        # the four lists two by two: the panel fits a narrow dock
        lists = QGridLayout()
        for i, combo in enumerate((self.speaker_combo, self.tag_combo, self.colour_combo, self.document_combo)):
            lists.addWidget(combo, i // 2, i % 2)
        filters.addLayout(text_row)
        filters.addLayout(lists)

        # the table
        self.view = QTableView()
        self.view.setAccessibleName("Bookmarks")
        self.view.setModel(self.model)
        self.view.setItemDelegate(BookmarksDelegate(controller, self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.SelectedClicked)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(CREATED, Qt.SortOrder.AscendingOrder)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        self.view.doubleClicked.connect(self._on_view_double_clicked)

        # buttons
        # tool buttons: as wide as their words, so the panel fits a side dock
        self.edit_button = QToolButton(text="Edit…")
        self.delete_button = QToolButton(text="Delete")
        self.copy_button = QToolButton(text="Copy with citation")
        self.export_button = QToolButton(text="Export…")
        self.import_button = QToolButton(text="Import…")
        self.import_button.setToolTip("Add the bookmarks of a JSON export")
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.count_label = QLabel()
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label = QLabel()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)
        for b in (self.edit_button, self.delete_button, self.copy_button, self.export_button, self.import_button):
            b.setAccessibleName(b.text().rstrip("…") + (" bookmarks" if b in (self.export_button, self.import_button)
                                                        else " the selected bookmarks"))
        self.banner_close.setAccessibleName("Dismiss the message")
        # two rows: the panel fits a narrow dock with every button whole
        buttons = QVBoxLayout()
        buttons.setSpacing(2)
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        for b in (self.edit_button, self.delete_button, self.copy_button):
            row1.addWidget(b)
        for b in (self.export_button, self.import_button):
            row2.addWidget(b)
        row1.addStretch(1)
        row2.addStretch(1)
        buttons.addLayout(row1)
        buttons.addLayout(row2)
        text_row.addWidget(self.count_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status_label)

        # actions: shortcuts work while the panel has focus
        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.undo_action = controller.undo_stack.createUndoAction(self, "Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = controller.undo_stack.createRedoAction(self, "Redo")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.delete_action = QAction("Delete bookmark", self)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.triggered.connect(self._on_delete_clicked)
        self.copy_action = QAction("Copy bookmarks with citation", self)
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.triggered.connect(self._on_copy_clicked)
        for action in (self.undo_action, self.redo_action, self.delete_action, self.copy_action):
            action.setShortcutContext(ctx)
            self.addAction(action)

        # wiring
        self.model.edit_requested.connect(self._on_model_edit_requested)
        self.filter_edit.textChanged.connect(self._on_filter_text_changed)
        for combo in (self.speaker_combo, self.tag_combo, self.colour_combo, self.document_combo):
            combo.currentIndexChanged.connect(self._on_filter_combo_changed)
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.model.rowsInserted.connect(self._on_model_rows_changed)
        self.model.rowsRemoved.connect(self._on_model_rows_changed)
        self.model.modelReset.connect(self._on_model_rows_changed)
        controller.bookmarks_changed.connect(self._on_controller_bookmarks_changed)
        controller.error_occurred.connect(self._on_controller_error)
        controller.bookmark_added.connect(self._on_controller_bookmark_added)

        self._total = 0
        self._on_controller_bookmarks_changed()
        self._on_selection_changed()
        message = controller.recovery_message()
        if message:
            self._show_banner(message)

    # ---------------------------------------------------------------- panel contract

    def set_archive(self, archive) -> None:
        self.controller.set_archive(archive)

    # ---------------------------------------------------------------- what the user selected

    def selected_ids(self) -> list[int]:
        """The selected bookmarks, in the order the view shows them."""
        rows = sorted(self.view.selectionModel().selectedRows(), key=lambda i: i.row())
        return [i.data(BookmarkRole).id for i in rows]

    def filtered_bookmarks(self) -> list[Bookmark]:
        """Every bookmark the filters select, in the list's order (read now: for a few)."""
        return self.controller.bookmarks(self.model.query)

    def select_ids(self, ids) -> None:
        """Select these bookmarks (reading down the list up to ``SEEK_ROWS`` rows to find them)."""
        sm = self.view.selectionModel()
        sm.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for bid in ids:
            row = self.model.row_of(bid, seek=SEEK_ROWS)
            if row >= 0:
                index = self.model.index(row, 0)
                sm.select(index, flags)
                self.view.scrollTo(index)

    # ---------------------------------------------------------------- refresh

    @Slot()
    def _on_controller_bookmarks_changed(self) -> None:
        self.model.refresh()
        self._total = self.controller.count()
        for combo in (self.speaker_combo, self.tag_combo, self.document_combo):
            combo.mark_stale()
            if combo.currentIndex() > 0:
                combo.ensure()  # a choice in force: still there?
        self._on_model_rows_changed()

    @Slot()
    def _on_model_rows_changed(self) -> None:
        total = self._total
        if total == 0:
            self.count_label.setText("")
            if not self.status_label.text():
                self.status_label.setText(EMPTY_HINT)
        else:
            query = self.model.query
            if query == BookmarkQuery(sort=query.sort, descending=query.descending):
                shown = total
            elif query.text.strip() and self.model.canFetchMore():
                shown = None  # the words are looked for as the list is read: how many match is known at its end
            else:
                shown = self.controller.count(query)
            self.count_label.setText(f"{total:,} bookmarks" if shown == total else
                                     f"{shown:,} of {total:,}" if shown is not None else
                                     f"{self.model.rowCount():,}+ of {total:,}")
            if self.status_label.text() == EMPTY_HINT:
                self.status_label.setText("")
        self.export_button.setEnabled(total > 0)

    @Slot()
    def _on_selection_changed(self, *_args) -> None:
        n = len(self.view.selectionModel().selectedRows())
        self.edit_button.setEnabled(n == 1)
        self.delete_button.setEnabled(n > 0)
        self.copy_button.setEnabled(n > 0)

    # ---------------------------------------------------------------- filters

    @Slot(str)
    def _on_filter_text_changed(self, text: str) -> None:
        self.model.set_filters(text=text)
        self._on_model_rows_changed()

    @Slot(int)
    def _on_filter_combo_changed(self, _index: int) -> None:
        self.model.set_filters(speaker=self.speaker_combo.currentData() or "", tag=self.tag_combo.currentData() or "",
                               colour=self.colour_combo.currentData() or "",
                               document_slug=self.document_combo.currentData() or "")
        self._on_model_rows_changed()

    def set_filters(self, *, text: str | None = None, speaker: str | None = None, tag: str | None = None,
                    colour: str | None = None, document: str | None = None) -> None:
        """Set filters as a user would (for the main window's "show bookmarks of this document")."""
        if text is not None:
            self.filter_edit.setText(text)
        for combo, value in ((self.speaker_combo, speaker), (self.tag_combo, tag), (self.colour_combo, colour),
                             (self.document_combo, document)):
            if isinstance(combo, ChoicesCombo) and value:
                combo.ensure()
            if value is not None:
                i = combo.findData(value)
                combo.setCurrentIndex(i if i >= 0 else 0)

    # ---------------------------------------------------------------- actions

    @Slot(QModelIndex)
    def _on_view_double_clicked(self, index: QModelIndex) -> None:
        b = index.data(BookmarkRole)
        r = index.data(ResolutionRole)
        if b is None or r is None:
            return
        if r.found:
            self.passage_requested.emit(r.passage_id, [(r.start, r.end)])
            self.status_label.setText("")
        elif r.passage_id is not None:
            self.passage_requested.emit(r.passage_id, [(r.start, r.end)] if r.start is not None else None)
            self.status_label.setText(f"This bookmark changed in the archive: {r.reason}. "
                                      f"Bookmarked as: “{b.text}”")
        else:
            self.status_label.setText(f"This bookmark is {r.label or 'not in this archive'}"
                                      f"{': ' + r.reason if r.reason else ''}.")

    @Slot(int, str, object)
    def _on_model_edit_requested(self, bookmark_id: int, field: str, value) -> None:
        if field == "note":
            self.controller.edit(bookmark_id, note=value)
        elif field == "tags":
            self.controller.edit(bookmark_id, tags=value)

    @Slot()
    def _on_edit_clicked(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 1:
            self.controller.edit_with_dialog(ids[0], self)

    @Slot()
    def _on_delete_clicked(self) -> None:
        ids = self.selected_ids()
        n = self.controller.remove(ids)
        if n:
            self.status_label.setText(f"Deleted {n} bookmark{'s' if n != 1 else ''}. Ctrl+Z brings "
                                      f"{'them' if n != 1 else 'it'} back.")

    @Slot()
    def _on_copy_clicked(self) -> None:
        ids = self.selected_ids()
        if self.controller.copy_with_citation(ids):
            self.status_label.setText(f"Copied {len(ids)} quote{'s' if len(ids) != 1 else ''} with citation.")

    @Slot(int)
    def _on_controller_bookmark_added(self, bookmark_id: int) -> None:
        self.select_ids([bookmark_id])

    @Slot(str)
    def _on_controller_error(self, message: str) -> None:
        self._show_banner(message)

    def _show_banner(self, message: str) -> None:
        self.banner_text.setText(message)
        self.banner.show()

    @Slot()
    def _on_banner_close_clicked(self) -> None:
        self.banner.hide()
        self.controller.dismiss_recovery_message()

    # ---------------------------------------------------------------- export and import

    @Slot()
    def _on_export_clicked(self) -> None:
        self.open_export_dialog()

    def open_export_dialog(self) -> None:
        """The Export dialog (for the panel's button and the main window's menu)."""
        settings = QSettings()
        folder = settings.value(SETTINGS_EXPORT_FOLDER, str(Path.home()))
        fmt = settings.value(SETTINGS_EXPORT_FORMAT, "csv")
        tag = self.tag_combo.currentData() or ""
        dialog = ExportDialog(self, selected=len(self.selected_ids()), filtered=self.controller.count(self.model.query),
                              total=self._total, folder=Path(str(folder)),
                              name=f"bookmarks {tag}".strip(), fmt=str(fmt),
                              template=self.controller.citation_template())
        if dialog.exec() == ExportDialog.DialogCode.Accepted:
            self.start_export(dialog.choice())

    def start_export(self, choice: ExportChoice) -> None:
        """Export in the background; ``export_finished`` or ``export_failed`` follows."""
        ids, query = None, BookmarkQuery()
        if choice.scope == SELECTED:
            ids = self.selected_ids()
        elif choice.scope == FILTERED:
            query = self.model.query
        changed = choice.template and choice.template != self.controller.citation_template()
        problem = self.controller.set_citation_template(choice.template) if changed else None
        if problem:
            self._on_export_error(ExportError(f"export failed: citation template: {problem}"))
            return
        settings = QSettings()
        settings.setValue(SETTINGS_EXPORT_FOLDER, str(choice.path.parent))
        settings.setValue(SETTINGS_EXPORT_FORMAT, choice.fmt)
        self.export_button.setEnabled(False)
        self.status_label.setText("Exporting…")
        archive = self.controller.archive.clone() if self.controller.archive is not None else None
        work = partial(export_store, self.controller.store.path, choice.fmt, choice.path, query=query, ids=ids,
                       archive=archive, template=self.controller.citation_template(),
                       source=self.controller.archive_title())
        self.runner.submit(EXPORT_CHANNEL, work, self._on_export_done, self._on_export_error)

    def _on_export_done(self, result) -> None:
        path, n = result
        self.export_button.setEnabled(self._total > 0)
        self.status_label.setText(f"Exported {n} bookmark{'s' if n != 1 else ''} to {path}.")
        self.export_finished.emit(str(path))

    def _on_export_error(self, error: BaseException) -> None:
        self.export_button.setEnabled(self._total > 0)
        message = getattr(error, "message", None) or f"export failed: {error}"
        self.status_label.setText(message)
        self.export_failed.emit(message)

    @Slot()
    def _on_import_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import bookmarks", str(Path.home()), "Bookmarks (*.json)")
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> bool:
        """Merge a JSON export; says how many were added (or why not) in the panel."""
        export_file = ExportFile(path)
        try:
            export_file.check()  # the whole file, before the store is touched
        except BookmarkError as e:
            self.status_label.setText(e.message if e.message.startswith("import failed") else
                                      f"import failed: {e.message}")
            return False
        result = self.controller.import_file(export_file)
        if result is None:
            return False
        self.status_label.setText(f"Imported {path.name}: {result.added} added, {result.updated} updated, "
                                  f"{result.unchanged} already here.")
        return True
