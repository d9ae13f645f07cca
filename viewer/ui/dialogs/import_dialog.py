"""File > Import…: progress with Cancel, then a summary of what the import found.

The work is ``viewer.core.importer.ImportJob.run`` on a ``TaskRunner`` channel; this dialog only
shows its progress and result. Cancel (the button, Esc or closing the window) asks the job to stop;
the job rolls its transaction back, so a cancelled import leaves the archive exactly as it was.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, Signal, Slot
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QLabel, QPlainTextEdit, QProgressBar,
                               QVBoxLayout, QWidget)

from viewer.core.errors import ImportCancelled, ViewerError
from viewer.core.importer import ImportJob, ImportReport
from viewer.core.limits import ImportLimits
from viewer.core.readers import is_importable
from viewer.ui.dialogs.error_dialog import describe
from viewer.ui.workers import TaskRunner

CHANNEL = "import"
FILE_FILTER = ("Reports, transcripts and saved web pages (*.txt *.md *.markdown *.html *.htm *.mhtml *.mht *.docx "
               "*.pdf);;All files (*)")


def importable_paths(mime: QMimeData | None) -> list[Path]:
    """The local files and folders in a drop (or paste) that we can import, in the order given."""
    if mime is None or not mime.hasUrls():
        return []
    paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
    return [p for p in paths if is_importable(p) or p.is_dir()]


def choose_files(parent: QWidget | None = None, folder: str = "") -> list[Path]:
    """Ask for files to import (several at once); empty when the user cancels."""
    names, _filter = QFileDialog.getOpenFileNames(parent, "Import reports and transcripts", folder, FILE_FILTER)
    return [Path(n) for n in names]


def choose_folder(parent: QWidget | None = None, folder: str = "") -> Path | None:
    """Ask for a folder to import everything from; None when the user cancels."""
    name = QFileDialog.getExistingDirectory(parent, "Import every document in a folder", folder)
    return Path(name) if name else None


def describe_paths(paths: list[Path]) -> str:
    """"3 files", "1 folder", "2 folders and 1 file"."""
    folders = sum(1 for p in paths if p.is_dir())
    files = len(paths) - folders
    parts = [f"{n} {word}{'s' if n != 1 else ''}" for n, word in ((folders, "folder"), (files, "file")) if n]
    return " and ".join(parts) or "0 files"


class ImportDialog(QDialog):
    """Runs one import of ``files`` into the archive at ``archive_path``.

    Signals:
        import_finished(object): the ``ImportReport`` once the import is committed (also when it
            added nothing); the main window reopens the archive and refreshes every panel.
        import_cancelled(): the user cancelled and the archive is unchanged.
        import_failed(str): the archive could not be used; the message says why (one line).
        document_requested(int): the user pressed "Open" to read the first imported document.
        progress_changed(int, int, str): step, total, what is being done (on the UI thread).
    """

    import_finished = Signal(object)
    import_cancelled = Signal()
    import_failed = Signal(str)
    document_requested = Signal(int)
    progress_changed = Signal(int, int, str)
    _progress_reported = Signal(int, int, str)  # emitted on the worker; queued to the UI thread

    RUNNING, CANCELLING, DONE, CANCELLED, FAILED = "running", "cancelling", "done", "cancelled", "failed"

    def __init__(self, archive_path: str | Path, files: Iterable[str | Path], collection: str | None = None,
                 runner: TaskRunner | None = None, parent: QWidget | None = None,
                 copy_from: str | Path | None = None, import_limits: ImportLimits | None = None,
                 data_dir: str | Path | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import")
        self.setModal(True)
        self.resize(560, 160)
        self.files = [Path(f) for f in files]
        self.archive_path = Path(archive_path)
        self.copy_from = Path(copy_from) if copy_from is not None else None
        self.report: ImportReport | None = None
        self.state = "idle"
        self._job = ImportJob(self.archive_path, self.files, collection, copy_from=self.copy_from,
                              import_limits=import_limits, data_dir=data_dir)
        self._runner = runner if runner is not None else TaskRunner(self)

        n = len(self.files)
        files_text = describe_paths(self.files)
        if self.copy_from is not None:
            heading = (f"Importing {files_text} into your own archive, {self.archive_path}: a copy of the bundled "
                       "archive, which is left as it was…")
        else:
            heading = f"Importing {files_text} into “{self.archive_path.name}”…"
        self.heading = QLabel(heading)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        self.status = QLabel("")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        # a folder's documents are counted once the import has walked it: until then the bar only moves
        self.progress.setRange(0, 0 if any(f.is_dir() for f in self.files) else 2 * n + 1)
        self.progress.setValue(0)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setVisible(False)
        self.buttons = QDialogButtonBox()
        self.cancel_button = self.buttons.addButton("Cancel", QDialogButtonBox.ButtonRole.RejectRole)
        self.open_button = self.buttons.addButton("Open document", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton("Close", QDialogButtonBox.ButtonRole.RejectRole)
        self.open_button.setVisible(False)
        self.close_button.setVisible(False)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.close_button.clicked.connect(self._on_close_clicked)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.details, 1)
        self._spacer = layout.count()
        layout.addStretch(1)  # keeps the progress at the top until the details take the room
        layout.addWidget(self.buttons)
        self._layout = layout
        self._progress_reported.connect(self._on_progress_reported)

    # ------------------------------------------------------------------ running

    def start(self) -> None:
        """Start the import on the worker channel (once)."""
        if self.state != "idle":
            return
        self.state = self.RUNNING
        self.status.setText("Starting…")
        self._runner.submit(CHANNEL, functools.partial(self._job.run, self._report_progress),
                            self._on_job_done, self._on_job_error)

    def _report_progress(self, step: int, total: int, message: str) -> None:
        """Called by the job on the worker thread; the signal carries it to the UI thread."""
        self._progress_reported.emit(step, total, message)

    def cancel(self) -> None:
        """Ask the running import to stop; it rolls back and ``import_cancelled`` follows."""
        if self.state != self.RUNNING:
            return
        self.state = self.CANCELLING
        self._job.cancel()
        self.cancel_button.setEnabled(False)
        self.status.setText("Cancelling… the archive will be left as it was.")

    def reject(self) -> None:
        """Esc and the window's close button cancel a running import instead of hiding it."""
        if self.state in (self.RUNNING, self.CANCELLING):
            self.cancel()
            return
        super().reject()

    @Slot(int, int, str)
    def _on_progress_reported(self, step: int, total: int, message: str) -> None:
        if self.state not in (self.RUNNING, self.CANCELLING):
            return
        self.progress.setRange(0, total)
        self.progress.setValue(step)
        if self.state == self.RUNNING:
            self.status.setText(message)
        self.progress_changed.emit(step, total, message)

    def _on_job_done(self, report: ImportReport) -> None:
        self.report = report
        self.state = self.DONE
        self.progress.setValue(self.progress.maximum())
        self.heading.setText(report.summary())
        self.status.setText(report.where())
        self.details.setPlainText("\n".join(report.lines()[2:]))
        self.details.setVisible(True)
        self._layout.setStretch(self._spacer, 0)
        self.resize(self.width(), max(self.height(), 380))
        self._show_close(open_document=report.first_document_id is not None)
        self.import_finished.emit(report)

    def _on_job_error(self, error: BaseException) -> None:
        if isinstance(error, ImportCancelled):
            self.state = self.CANCELLED
            self.heading.setText("Import cancelled.")
            self.status.setText("Nothing was imported; the archive is unchanged.")
            self._show_close(open_document=False)
            self.import_cancelled.emit()
            return
        self.state = self.FAILED
        if isinstance(error, ViewerError):
            message = error.message
        else:
            bug, _details = describe(error)
            message = f"The import failed: {bug}"
        self.heading.setText("Nothing was imported.")
        self.status.setText(message)
        self._show_close(open_document=False)
        self.import_failed.emit(message)

    def _show_close(self, open_document: bool) -> None:
        self.cancel_button.setVisible(False)
        self.close_button.setVisible(True)
        self.open_button.setVisible(open_document)
        (self.open_button if open_document else self.close_button).setDefault(True)
        (self.open_button if open_document else self.close_button).setFocus()

    # ------------------------------------------------------------------ buttons

    @Slot()
    def _on_cancel_clicked(self) -> None:
        self.cancel()

    @Slot()
    def _on_open_clicked(self) -> None:
        if self.report is not None and self.report.first_document_id is not None:
            self.document_requested.emit(self.report.first_document_id)
        self.accept()

    @Slot()
    def _on_close_clicked(self) -> None:
        self.reject()
