"""File > Check archive…: the full health check (``archive-viewer check``) of the open archive in a worker,
then its report. It runs on a private copy: the archive file is never changed."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QMessageBox

CHANNEL = "check"


class ArchiveCheck(QObject):
    """The check for the window (``window``: the MainWindow, whose ``check_action`` waits while it runs).
    ``report`` is the report's dialog on screen, if any."""

    def __init__(self, window):
        super().__init__(window)
        self._window = window
        self.report = None

    def is_running(self) -> bool:
        return self._window.runner.is_busy(CHANNEL)

    def start(self, path: Path) -> None:
        from viewer.core.check import check_archive

        if self.is_running():
            return
        window = self._window
        window.check_action.setEnabled(False)
        window.statusBar().showMessage(f"Checking “{path.name}”…")
        window.runner.submit(CHANNEL, partial(check_archive, path), self._on_done, self._on_failed)

    def _finished(self) -> None:
        window = self._window
        window.check_action.setEnabled(window.archive is not None)
        window.statusBar().clearMessage()

    @Slot(object)
    def _on_done(self, report) -> None:
        from viewer.ui.widgets.text import message_box

        self._finished()
        name = Path(report.path).name
        if report.ok:
            box = message_box(
                QMessageBox.Icon.Information,
                "Check archive",
                f"No problems found in “{name}”.",
                "\n".join(report.lines()[1:]),
                QMessageBox.StandardButton.Ok,
                self._window,
            )
            box.setObjectName("checkReportBox")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.report = box
            box.open()
        else:
            self.report = self._window.show_error(
                "Check archive",
                f"“{name}” has {len(report.problems)} problem(s); the file was not changed. Details list them.",
                "\n".join(report.lines()),
            )

    @Slot(object)
    def _on_failed(self, error: BaseException) -> None:
        from viewer.ui.dialogs.error_dialog import describe

        self._finished()
        message, details = describe(error, self._window.data_dir)
        self.report = self._window.show_error("Check archive", message, details)
