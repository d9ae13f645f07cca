"""Which archive is open and what it holds, as the window shows it: the status bar's labels (the file, its
counts) and the window's title (the document, the archive's title, the app). The counts are read off the UI
thread when an archive is opened, with a connection of their own."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QMainWindow

from viewer.core.archive import Archive
from viewer.core.records import ArchiveSummary, Document
from viewer.ui.widgets.text import count, tooltip
from viewer.ui.workers import TaskRunner

APP_NAME = "Archive Viewer"
CHANNEL = "summary"


class ArchiveStatus(QObject):
    """The status bar's archive labels and the title of ``window``.

    Signals:
        summary_ready(object): the open archive's ArchiveSummary was read.
        summary_failed(object): it could not be read (the exception).
    """

    summary_ready = Signal(object)
    summary_failed = Signal(object)

    def __init__(self, window: QMainWindow, runner: TaskRunner):
        super().__init__(window)
        self._window = window
        self._runner = runner
        self._archive: Archive | None = None
        self._worker: Archive | None = None
        self._document: Document | None = None
        self.summary: ArchiveSummary | None = None  # once read
        self.archive_label = self._label("archiveLabel", "Open archive")
        self.counts_label = self._label("countsLabel", "Archive contents")
        bar = window.statusBar()
        bar.addPermanentWidget(self.counts_label)
        bar.addPermanentWidget(self.archive_label)
        bar.setAccessibleName("Status bar")

    def _label(self, name: str, accessible: str) -> QLabel:
        label = QLabel(self._window)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setAccessibleName(accessible)
        return label

    def set_archive(self, archive: Archive | None) -> None:
        """Show ``archive`` (None: none is open); its counts follow when they are read."""
        self._runner.cancel(CHANNEL)
        self._runner.wait(channel=CHANNEL)
        if self._worker is not None:
            self._worker.close()
            self._worker = None
        self._archive = archive
        self.summary = None
        self.counts_label.clear()
        if archive is None:
            self.archive_label.clear()
            self.set_document(None)
            return
        self.archive_label.setText(archive.path.name)
        self.archive_label.setToolTip(tooltip(str(archive.path)))
        self.set_document(None)
        self._worker = archive.clone()
        self._runner.submit(
            CHANNEL, self._worker.summary, self._on_summary_done, self._on_summary_failed, cancel=self._worker.interrupt
        )

    def set_document(self, document: Document | None) -> None:
        """The title: the document the reader shows, the archive's title (its file's name until it is read),
        the app's name."""
        self._document = document
        parts = []
        if document is not None:
            parts.append(document.title)
        if self.summary is not None:
            parts.append(self.summary.title)
        elif self._archive is not None:
            parts.append(self._archive.path.name)
        parts.append(APP_NAME)
        # "[*]" in a window title is Qt's modified-marker placeholder; "[**]" shows it literally
        self._window.setWindowTitle(" — ".join(p.replace("[*]", "[**]") for p in parts))

    @Slot(object)
    def _on_summary_done(self, summary: ArchiveSummary) -> None:
        self.summary = summary
        self.counts_label.setText(
            f"{count(summary.documents, 'document')} ({summary.documents_with_text:,} with text) · "
            f"{count(summary.speakers, 'speaker')} · {count(summary.passages, 'passage')} · "
            f"{count(summary.quotes, 'quote')}"
        )
        self.set_document(self._document)
        self.summary_ready.emit(summary)

    @Slot(object)
    def _on_summary_failed(self, error: BaseException) -> None:
        self.summary_failed.emit(error)
