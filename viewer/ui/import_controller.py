"""File > Import…, File > Import a folder… and reports dropped on the window: the files chosen, the archive
they go into and the import dialog that adds them.

The bundled archive is never written: an import into it goes into the user's own archive, made from a copy
of it (``viewer.core.import_target.import_target``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QMimeData, QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from viewer.core.errors import ArchiveError
from viewer.ui import settings
from viewer.ui.workers import TaskRunner

IMPORT, OPEN = "import", "open"  # what a drop on the window does (``dropped``)


class ImportController(QObject):
    """Imports for the window (dialogs are its children). ``dialog`` is the ImportDialog of the latest import.

    Signals:
        imported(object): an import added documents (its ``ImportReport``): open its archive afresh (it may be
            another file: the user's own archive, made from the bundled one).
        document_requested(int): "Open document" in the dialog (a document id in the archive imported into).
        status_message(str): a short note for the status bar.
        refused(str, str): nothing could be imported: (message, details).
    """

    imported = Signal(object)
    document_requested = Signal(int)
    status_message = Signal(str)
    refused = Signal(str, str)

    def __init__(self, window: QWidget, runner: TaskRunner, data_dir: Path, archive_path: Callable[[], Path | None]):
        """``archive_path()``: the file of the archive open now (None when none is)."""
        super().__init__(window)
        self._window = window
        self._runner = runner
        self._data_dir = Path(data_dir)
        self._archive_path = archive_path
        self.dialog = None

    @Slot()
    def choose_files(self) -> None:
        """File > Import…: pick reports and transcripts, then import them."""
        from viewer.ui.dialogs.import_dialog import choose_files

        files = choose_files(self._window, settings.get_str(settings.IMPORT_FOLDER, str(Path.home())))
        if files:
            settings.set_value(settings.IMPORT_FOLDER, str(files[0].parent))
            self.import_files(files)

    @Slot()
    def choose_folder(self) -> None:
        """File > Import a folder…: every document in a folder and its subfolders."""
        from viewer.ui.dialogs.import_dialog import choose_folder

        folder = choose_folder(self._window, settings.get_str(settings.IMPORT_FOLDER, str(Path.home())))
        if folder is not None:
            settings.set_value(settings.IMPORT_FOLDER, str(folder))
            self.import_files([folder])

    def import_files(self, files: Sequence[Path]):
        """Import ``files`` with the progress dialog (returned) into the open archive, or into the user's own
        archive when the open one is the bundled one; ``imported`` follows when documents were added. None
        when nothing is started (an import is running; there is nowhere to import into)."""
        from viewer.core.import_target import import_target
        from viewer.ui.dialogs.import_dialog import ImportDialog

        if self.dialog is not None and self.dialog.state in (ImportDialog.RUNNING, ImportDialog.CANCELLING):
            self.status_message.emit("An import is running; wait for it to finish.")
            return None
        try:
            target = import_target(self._archive_path(), self._data_dir)
        except ArchiveError as e:
            self.refused.emit(e.message, e.details)
            return None
        if self.dialog is not None:
            self.dialog.deleteLater()
        dialog = ImportDialog(
            target.path,
            list(files),
            runner=self._runner,
            parent=self._window,
            copy_from=target.copy_from,
            import_limits=settings.import_limits(),
            data_dir=self._data_dir,
        )
        dialog.import_finished.connect(self._on_dialog_import_finished)
        dialog.document_requested.connect(self.document_requested)
        self.dialog = dialog
        dialog.open()
        dialog.start()
        return dialog

    @Slot(object)
    def _on_dialog_import_finished(self, report) -> None:
        if report.documents:
            self.imported.emit(report)

    @staticmethod
    def dropped(mime: QMimeData | None) -> tuple[str, list[str]]:
        """What a drop of ``mime`` on the window does: (IMPORT, paths) for reports and transcripts and folders
        of them, (OPEN, [path]) for one other file (an archive), ("", []) for anything else."""
        from viewer.core.readers import is_importable  # read when files are dropped, not at start-up

        if mime is None or not mime.hasUrls():
            return "", []
        paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
        importable = [p for p in paths if is_importable(p) or Path(p).is_dir()]
        if importable:
            return IMPORT, importable
        if len(paths) == 1 and len(mime.urls()) == 1:
            return OPEN, paths
        return "", []
