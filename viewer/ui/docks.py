"""The window's docks: each panel in a dock of its own, listed in the View menu, kept in the saved layout
(with the window's size and the panels' settings) and put back where it started by View > Reset layout.

A panel may be given as a function that makes it: it is then made when its dock is first shown, so that a
heavy module (QtCharts) is not imported at start-up while its dock is closed or behind another tab.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QWidget

from viewer.ui import settings

# Each side's first width: a share of the window's width less some pixels, at least and at most so many
# pixels. At 1024 pixels the reader keeps some 440; from 1440 the speakers show all their counts; on a
# large screen the panels stop growing and the reader takes the rest.
SIDE_WIDTHS = {
    Qt.DockWidgetArea.LeftDockWidgetArea: (0.34, 100, 230, 400),
    Qt.DockWidgetArea.RightDockWidgetArea: (0.30, 0, 290, 520),
}


def first_size(available: QSize) -> QSize:
    """The window's size at its first start on a screen with ``available`` room: most of it, up to
    1440 x 900."""
    return QSize(min(1440, int(available.width() * 0.94)), min(900, int(available.height() * 0.92)))


@dataclass
class DockedPanel:
    """A panel in its dock, where it started and its View menu item."""

    panel: QWidget
    dock: QDockWidget
    area: Qt.DockWidgetArea
    visible: bool
    tabify_with: str | None
    factory: Callable[[], QWidget] | None = None  # for a panel made when its dock is first shown
    view_action: QAction | None = None

    @property
    def name(self) -> str:
        return self.dock.objectName()

    @property
    def made(self) -> bool:
        return self.factory is None


class PendingPanel(QWidget):
    """Stands in a dock until its panel is made."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(f"{title} (opening)")


class PanelDocks(QObject):
    """The docks of ``window``, their items in ``view_menu`` (above ``before``).

    Signals:
        panel_made(object): the panel of a ``DockedPanel`` is there (added, or made as its dock was first
            shown): plug it in.
    """

    panel_made = Signal(object)

    def __init__(self, window: QMainWindow, view_menu: QMenu, before: QAction):
        super().__init__(window)
        self._window = window
        self._menu = view_menu
        self._before = before
        self.items: list[DockedPanel] = []
        self.restored = False  # the window's layout was restored: a panel made from now on is shown at once
        self.closed = False  # the window is going away: no panel is made any more

    def add(
        self,
        panel,
        title: str,
        object_name: str,
        area: Qt.DockWidgetArea,
        *,
        visible: bool = True,
        tabify_with: str | None = None,
        tab_title: str | None = None,
    ) -> DockedPanel:
        """Wrap ``panel`` (a QWidget, or a function that makes one) in a dock named ``object_name`` in
        ``area``, tabbed with the dock ``tabify_with`` (the first of a tab group stays in front), titled
        ``tab_title`` on its tab (the View menu keeps ``title``)."""
        window = self._window
        lazy = callable(panel) and not isinstance(panel, QWidget)
        widget = PendingPanel(title, window) if lazy else panel
        dock = QDockWidget(tab_title or title, window)
        dock.setObjectName(object_name)
        dock.setAccessibleName(f"{title} panel")
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        window.addDockWidget(area, dock)
        if tabify_with is not None and (other := self.dock(tabify_with)) is not None:
            window.tabifyDockWidget(other, dock)
            other.raise_()
        dock.setVisible(visible)
        # not the dock's own toggle: a panel behind another tab is brought to the front, not hidden
        toggle = QAction(title, window)
        toggle.setObjectName(f"{object_name}ViewAction")
        toggle.setCheckable(True)
        toggle.setChecked(visible)
        toggle.setStatusTip(f"Show the {title} panel (in front of the others in its place), or hide it")
        self._menu.insertAction(self._before, toggle)
        item = DockedPanel(widget, dock, area, visible, tabify_with, panel if lazy else None, toggle)
        toggle.triggered.connect(partial(self._on_view_action_triggered, item))
        dock.visibilityChanged.connect(partial(self._on_dock_visibility_changed, item))
        self.items.append(item)
        if lazy:
            dock.visibilityChanged.connect(partial(self._on_lazy_dock_visibility_changed, item))
            if self.restored and dock.isVisible():
                QTimer.singleShot(0, partial(self.make, item))
        else:
            self.panel_made.emit(item)
        return item

    def make(self, item: DockedPanel) -> None:
        """Make the panel of ``item`` now, if it is still to be made."""
        if item.factory is None or self.closed:
            return
        factory, item.factory = item.factory, None
        placeholder = item.panel
        item.panel = factory()
        item.dock.setWidget(item.panel)
        placeholder.deleteLater()
        self.panel_made.emit(item)

    # ------------------------------------------------------------------ finding

    def find(self, object_name: str) -> DockedPanel | None:
        return next((p for p in self.items if p.name == object_name), None)

    def dock(self, object_name: str) -> QDockWidget | None:
        item = self.find(object_name)
        return item.dock if item is not None else None

    def ensure(self, object_name: str) -> QWidget | None:
        """The panel of dock ``object_name``, made now if it was waiting to be shown; its dock is shown and
        brought to the front."""
        item = self.find(object_name)
        if item is None:
            return None
        self.show(item)
        if item.factory is not None:
            self.make(item)
        return item.panel

    @staticmethod
    def show(item: DockedPanel) -> None:
        item.dock.show()
        item.dock.raise_()

    def behind(self, dock: QDockWidget) -> bool:
        """Shown, but behind another tab of its place."""
        return (
            dock.isVisible()
            and not dock.isFloating()
            and dock.visibleRegion().isEmpty()
            and any(other.isVisible() for other in self._window.tabifiedDockWidgets(dock))
        )

    def in_front(self, item: DockedPanel) -> bool:
        """Made, shown and not behind another tab: its controls are in reach."""
        return item.made and item.dock.isVisible() and not self.behind(item.dock)

    # ------------------------------------------------------------------ layout

    def reset_layout(self) -> None:
        """Every dock back in its first area, shown as first added, not floating."""
        window = self._window
        for p in self.items:
            p.dock.setFloating(False)
            window.removeDockWidget(p.dock)
        for p in self.items:
            window.addDockWidget(p.area, p.dock)
            if p.tabify_with is not None and (other := self.dock(p.tabify_with)) is not None:
                window.tabifyDockWidget(other, p.dock)
            p.dock.setVisible(p.visible)
        for p in self.items:  # the first dock of each tab group in front, as when added
            if p.tabify_with is not None and (other := self.dock(p.tabify_with)) is not None:
                other.raise_()
        # the reader keeps 40 % or more: some 60 to 75 characters a line at the usual size
        for area, (share, less, least, most) in SIDE_WIDTHS.items():
            docks = [p.dock for p in self.items if p.visible and p.area == area and p.tabify_with is None]
            if not docks:
                continue
            width = max(least, min(most, int(window.width() * share) - less))
            window.resizeDocks(docks[:1], [width], Qt.Orientation.Horizontal)
            if len(docks) > 1:
                window.resizeDocks(docks, [d.widget().sizeHint().height() for d in docks], Qt.Orientation.Vertical)

    def restore_state(self) -> None:
        """The window's geometry, the docks' layout and the panels' settings from the last session (once,
        before the window is first shown); the first layout for the screen when there is none."""
        window = self._window
        self.restored = True
        geometry = settings.get_bytes(settings.WINDOW_GEOMETRY)
        if geometry is None or not window.restoreGeometry(geometry):
            screen = QGuiApplication.primaryScreen()
            if screen is not None:
                window.resize(first_size(screen.availableGeometry().size()))
            self.reset_layout()
        state = settings.get_bytes(settings.WINDOW_STATE)
        if state is not None and settings.get_int(settings.WINDOW_STATE_VERSION, 0) == settings.LAYOUT_VERSION:
            window.restoreState(state, settings.LAYOUT_VERSION)
        for item in self.items:
            if item.made:
                item.panel.restore_settings()

    def save_state(self) -> None:
        window = self._window
        settings.set_value(settings.WINDOW_GEOMETRY, window.saveGeometry())
        settings.set_value(settings.WINDOW_STATE, window.saveState(settings.LAYOUT_VERSION))
        settings.set_value(settings.WINDOW_STATE_VERSION, settings.LAYOUT_VERSION)
        for item in self.items:
            if item.made:
                item.panel.save_settings()

    # ------------------------------------------------------------------ slots

    def _on_view_action_triggered(self, item: DockedPanel, _checked: bool = False) -> None:
        """View > a panel: shown and in front if it was hidden or behind another tab; hidden if in front."""
        dock = item.dock
        if dock.isVisible() and not self.behind(dock):
            dock.hide()
        else:
            self.ensure(item.name)
        item.view_action.setChecked(dock.isVisible())

    def _on_dock_visibility_changed(self, item: DockedPanel, _visible: bool) -> None:
        item.view_action.setChecked(item.dock.isVisible())

    def _on_lazy_dock_visibility_changed(self, item: DockedPanel, visible: bool) -> None:
        if visible and item.factory is not None:
            # after the window has painted: the panel's module may take a moment to import
            QTimer.singleShot(0, partial(self.make, item))
