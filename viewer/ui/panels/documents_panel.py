"""The Documents dock: the discussion and the related reports, grouped by collection, with dates."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, Signal, Slot
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHBoxLayout, QStackedWidget, QTreeView, QVBoxLayout, QWidget

from viewer.core.archive import DOCUMENT_ORDERS, LISTED, NEWEST, OLDEST, TITLE
from viewer.core.db import QueryInterrupted
from viewer.core.records import Document
from viewer.ui import settings
from viewer.ui.models.documents_model import DocumentsModel
from viewer.ui.models.roles import RECORD_ROLE
from viewer.ui.panels.panel import PanelDefaults, PanelLinks
from viewer.ui.widgets.document_delegate import DocumentDelegate
from viewer.ui.widgets.text import plain_label
from viewer.ui.workers import TaskRunner

# Up to this many documents in the archive every collection is expanded and each row is as tall as its
# title needs; more, and only collections with text are expanded, in rows of one height.
EXPAND_ALL_UP_TO = 300
ORDER_LABELS = {LISTED: "As listed", NEWEST: "Newest first", OLDEST: "Oldest first", TITLE: "By title"}


class DocumentsPanel(PanelDefaults, QWidget):
    """Lists the archive's documents by collection, as listed, by date or by title; choosing one shows
    it in the reader.

    Signals:
        document_requested(int): the user chose a document.
        documents_loaded(): the list of collections was read and is shown.
        archive_error(object): reading the archive failed (an ArchiveError).
    """

    document_requested = Signal(int)
    documents_loaded = Signal()
    archive_error = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("documentsPanel")
        self.setAccessibleName("Documents")
        self._archive = None
        self._worker_archive = None
        self._runner = TaskRunner(self)
        self._pending_select: Document | None = None
        self._collections: list[tuple[str | None, int, int]] = []
        self._quiet = False  # True while the panel itself changes the current row

        self.model = DocumentsModel(self)
        self.model.load_failed.connect(self.archive_error)
        self.tree = QTreeView(self)
        self.tree.setObjectName("documentsTree")
        self.tree.setAccessibleName("Documents by collection")
        self.tree.setModel(self.model)
        # one column: each document drawn as its title over its date (the model's date column is
        # still there for accessibility and tests)
        self.tree.setUniformRowHeights(False)
        self.tree.setItemDelegateForColumn(0, DocumentDelegate(self.tree))
        self.tree.setColumnHidden(1, True)
        self.tree.setHeaderHidden(True)
        self.tree.header().setAccessibleName("Document columns")
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.header().setStretchLastSection(True)
        self.tree.header().sectionResized.connect(self._on_header_section_resized)
        self.tree.selectionModel().currentRowChanged.connect(self._on_tree_current_row_changed)
        self.tree.activated.connect(self._on_tree_activated)

        self.order_combo = QComboBox(self)
        self.order_combo.setObjectName("documentsOrder")
        self.order_combo.setAccessibleName("Sort documents")
        self.order_combo.setToolTip("List each collection's documents as listed, by date or by title")
        for order in DOCUMENT_ORDERS:
            self.order_combo.addItem(ORDER_LABELS[order], order)
        saved = settings.get_str(settings.DOCUMENTS_ORDER, LISTED)
        self.order_combo.setCurrentIndex(max(0, self.order_combo.findData(saved)))
        self.model.set_order(self.order_combo.currentData())
        self.order_combo.currentIndexChanged.connect(self._on_order_changed)
        order_row = QHBoxLayout()
        order_row.setContentsMargins(4, 2, 4, 0)
        order_row.addWidget(plain_label("Sort:", self), 0)
        order_row.addWidget(self.order_combo, 1)

        self.status = plain_label(
            "No archive is open.", self, wrap=True, accessible_name="Documents status", object_name="documentsStatus"
        )
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.status)
        self.stack.addWidget(self.tree)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(order_row)
        layout.addWidget(self.stack)

    # ------------------------------------------------------------------ archive

    def connect_window(self, links: PanelLinks) -> None:
        self.document_requested.connect(links.show_document)
        self.archive_error.connect(links.report_archive_error)

    def set_archive(self, archive) -> None:
        self._runner.cancel("collections")
        self._runner.wait()
        if self._worker_archive is not None:
            self._worker_archive.close()
            self._worker_archive = None
        self._archive = archive
        self._pending_select = None
        self._collections = []
        self.model.clear()
        if archive is None:
            self._show_status("No archive is open.")
            return
        self._worker_archive = archive.clone()
        self._show_status("Reading the list of documents…")
        self._runner.submit(
            "collections",
            self._worker_archive.collections,
            self._on_collections_done,
            self._on_collections_failed,
            cancel=self._worker_archive.interrupt,
        )

    def is_loading(self) -> bool:
        return self._runner.is_busy("collections")

    @Slot(object)
    def _on_collections_done(self, collections) -> None:
        self.model.set_archive(self._archive, collections)
        if not collections:
            self._show_status("This archive has no documents.")
            self.documents_loaded.emit()
            return
        self.stack.setCurrentWidget(self.tree)
        self._collections = collections
        total = sum(count for _name, count, _with_text in collections)
        # rows of one height: the view then measures one row, not every row it has read
        self.tree.setUniformRowHeights(total > EXPAND_ALL_UP_TO)
        self._expand_groups()
        if self._pending_select is not None:
            doc, self._pending_select = self._pending_select, None
            self.set_current_document(doc)
        self.documents_loaded.emit()

    @Slot(object)
    def _on_collections_failed(self, error: BaseException) -> None:
        if isinstance(error, QueryInterrupted):
            return
        self._show_status("The list of documents cannot be read.")
        self.archive_error.emit(error)

    def _show_status(self, text: str) -> None:
        self.status.setText(text)
        self.stack.setCurrentWidget(self.status)

    # ------------------------------------------------------------------ selection

    def set_current_document(self, document: Document | None) -> None:
        """Make ``document`` the current row (as the reader shows it) without asking to show it again.
        A document far down a big collection, past the rows read so far, is not looked for (see
        ``DocumentsModel.document_index``): no row is current then."""
        if document is None:
            return
        if self.is_loading():
            self._pending_select = document
            return
        index = self.model.document_index(document)
        self._quiet = True
        try:
            if not index.isValid():  # far down a big collection: no row is shown as the reader's
                self.tree.selectionModel().clear()
                return
            self.tree.expand(index.parent())
            self.tree.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            )
            self.tree.scrollTo(index)
        finally:
            self._quiet = False

    def current_document(self) -> Document | None:
        doc = self.tree.currentIndex().data(RECORD_ROLE)
        return doc if isinstance(doc, Document) else None

    @Slot(QModelIndex, QModelIndex)
    def _on_tree_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet:
            return
        doc = current.siblingAtColumn(0).data(RECORD_ROLE)
        if isinstance(doc, Document):
            self.document_requested.emit(doc.id)

    @Slot(int, int, int)
    def _on_header_section_resized(self, _section: int, _old: int, _new: int) -> None:
        self.tree.scheduleDelayedItemsLayout()  # wrapped rows change height with the column

    @Slot(QModelIndex)
    def _on_tree_activated(self, index: QModelIndex) -> None:
        doc = index.siblingAtColumn(0).data(RECORD_ROLE)
        if isinstance(doc, Document):
            self.document_requested.emit(doc.id)
        elif self.model.hasChildren(index.siblingAtColumn(0)):
            self.tree.setExpanded(index.siblingAtColumn(0), not self.tree.isExpanded(index.siblingAtColumn(0)))

    def _expand_groups(self) -> None:
        """Every collection open on a small archive; on a big one those with text."""
        total = sum(count for _name, count, _with_text in self._collections)
        for row, (_name, _count, with_text) in enumerate(self._collections):
            if with_text or total <= EXPAND_ALL_UP_TO:
                self.tree.expand(self.model.group_index(row))

    @Slot(int)
    def _on_order_changed(self, _index: int) -> None:
        order = self.order_combo.currentData()
        settings.set_value(settings.DOCUMENTS_ORDER, order)
        current = self.current_document()
        self.model.set_order(order)  # read again in the new order
        if self.stack.currentWidget() is self.tree:
            self._expand_groups()
            if current is not None:
                self.set_current_document(current)

    def set_order(self, order: str) -> None:
        """List the documents in ``order`` (``DOCUMENT_ORDERS``), as the sort box does."""
        self.order_combo.setCurrentIndex(max(0, self.order_combo.findData(order)))

    def sizeHint(self) -> QSize:
        return QSize(360, 280)
