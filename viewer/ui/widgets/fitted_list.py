"""A list view exactly as tall as its (wrapped) rows, up to a number of rows; it scrolls past that."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget


class FittedListView(QListView):
    """A short list (a speaker's events) that takes only the height its rows need."""

    def __init__(self, max_rows: int = 4, parent: QWidget | None = None):
        super().__init__(parent)
        self.max_rows = max_rows
        self.setWordWrap(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)

    def fit(self) -> None:
        model = self.model()
        rows = model.rowCount() if model is not None else 0
        self.doItemsLayout()
        height = sum(self.visualRect(model.index(r, 0)).height() for r in range(min(rows, self.max_rows)))
        height = max(height, self.fontMetrics().lineSpacing() + 4)
        height += 2 * self.frameWidth() + 2
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit()
