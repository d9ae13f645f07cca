"""Drag-and-drop events for tests, on every PySide6 version we support: QDragEnterEvent takes a
QPointF from 6.12 (the QPoint form is deprecated there) and only a QPoint before."""

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent


def mime_for(*paths) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def drag_enter(mime: QMimeData, x: int = 50, y: int = 50) -> QDragEnterEvent:
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    try:
        return QDragEnterEvent(QPointF(x, y), *args)
    except TypeError:
        return QDragEnterEvent(QPoint(x, y), *args)


def drop(mime: QMimeData, x: int = 50, y: int = 50) -> QDropEvent:
    return QDropEvent(
        QPointF(x, y), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
