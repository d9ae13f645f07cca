"""By keyboard alone and with a screen reader: Tab goes round every panel and leaves tables, a key puts the cursor
in each panel, F1 lists every shortcut, the View menu brings a tabbed panel to the front, and every control of
the window and of every dialog has a name a screen reader can say."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QAbstractItemView,
    QTextEdit,
    QPlainTextEdit,
    QComboBox,
    QTabBar,
    QAbstractSpinBox,
)


@pytest.fixture
def window(services, qtbot, seed_archive_path):
    w = services.window
    w.resize(1400, 880)
    w.reset_layout()
    with qtbot.waitSignal(w.reader.document_loaded, timeout=10_000):
        assert w.open_archive(seed_archive_path)
    qtbot.waitUntil(lambda: w.panel("speakersDock").model.rowCount() == 8, timeout=10_000)
    with qtbot.waitActive(w):
        w.activateWindow()
    return w


def container_of(window, widget) -> str:
    """Which panel ``widget`` is in: a dock's object name, or "reader"."""
    if window.reader.isAncestorOf(widget) or widget is window.reader:
        return "reader"
    for p in window.docks.items:
        if p.dock.isAncestorOf(widget):
            return p.dock.objectName()
    return "other"


def tab_round(qtbot, window, key=Qt.Key.Key_Tab, modifier=Qt.KeyboardModifier.NoModifier, presses=80) -> list[str]:
    """The panels the focus passes through, in order, pressing ``key`` from the documents list."""
    window.panel("documentsDock").tree.setFocus()
    qtbot.waitUntil(window.panel("documentsDock").tree.hasFocus, timeout=2000)
    seen = ["documentsDock"]
    for _ in range(presses):
        qtbot.keyClick(QApplication.focusWidget(), key, modifier)
        where = container_of(window, QApplication.focusWidget())
        if where != seen[-1]:
            seen.append(where)
    return seen


def test_tab_goes_round_every_panel_and_leaves_tables(qtbot, window, seed_archive):
    speakers = window.panel("speakersDock")
    speakers.select_speaker(seed_archive.find_speakers("Burian")[0].id)
    qtbot.waitUntil(lambda: speakers.profile_name.text() == "Peter Burian", timeout=5000)
    visited = tab_round(qtbot, window)
    order = ["documentsDock", "speakersDock", "searchDock", "reader"]
    assert visited[: len(order)] == order  # the search box and results, the reader: reached with Tab
    assert visited[len(order)] == "documentsDock"  # and round again (the bookmarks and statistics are behind)
    assert "bookmarksDock" not in visited and "statisticsDock" not in visited
    assert speakers.selected_speaker() == seed_archive.find_speakers("Burian")[0].id  # Tab changed no speaker
    window.ensure_panel("statisticsDock")
    qtbot.waitUntil(lambda: window.dock("statisticsDock").widget().report() is not None, timeout=20_000)
    assert tab_round(qtbot, window)[:5] == [
        "documentsDock",
        "speakersDock",
        "reader",
        "statisticsDock",
        "documentsDock",
    ]  # the statistics now in front of the search
    back = tab_round(qtbot, window, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert back[:4] == ["documentsDock", "statisticsDock", "reader", "speakersDock"]


def test_ctrl_tab_goes_from_cell_to_cell_inside_a_table(qtbot, window):
    table = window.panel("speakersDock").table
    table.setFocus()
    qtbot.waitUntil(table.hasFocus, timeout=2000)
    table.setCurrentIndex(table.model().index(0, 1))
    qtbot.keyClick(table, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert table.hasFocus() and table.currentIndex().row() == 0 and table.currentIndex().column() > 1
    qtbot.keyClick(table, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert table.hasFocus() and table.currentIndex().column() == 1
    qtbot.keyClick(table, Qt.Key.Key_Tab)  # Tab leaves it
    assert not table.hasFocus()


def test_a_key_for_each_panel(qtbot, window):
    keys = {a.shortcut().toString(): a for a in window.go_to_menu.actions()}
    assert list(keys) == [f"Alt+{n}" for n in range(1, 9)]
    expected = {
        "Alt+1": "documentsDock",
        "Alt+2": "speakersDock",
        "Alt+3": "reader",
        "Alt+4": "searchDock",
        "Alt+5": "searchDock",
        "Alt+6": "bookmarksDock",
        "Alt+7": "statisticsDock",
        "Alt+8": "unattributedDock",
    }
    for key, where in expected.items():
        keys[key].trigger()
        qtbot.waitUntil(
            lambda: (
                QApplication.focusWidget() is not None and container_of(window, QApplication.focusWidget()) == where
            ),
            timeout=10_000,
        )
    search = window.dock("searchDock").widget()
    keys["Alt+4"].trigger()
    assert QApplication.focusWidget() is search.query_edit


def test_f1_lists_every_shortcut_all_in_view(qtbot, window):
    dialog = window.show_help()
    qtbot.waitExposed(dialog)
    rows = dict(dialog.rows())
    for name, key in (
        ("Find next", "F3"),
        ("Find previous", "Shift+F3"),
        ("Undo", "Ctrl+Z"),
        ("Bookmark", "Ctrl+D"),
        ("Copy with citation", "Ctrl+Shift+C"),
        ("Documents", "Alt+1"),
        ("Statistics", "Alt+7"),
        ("Unattributed quotes", "Alt+8"),
        ("Archive Viewer help", "F1"),
    ):
        assert (rows.get(name) or "").split(", ")[0] == key, (name, rows.get(name))
    assert all("F14" not in keys and keys != "Undo" for keys in rows.values())
    assert "Tab" in rows.values() and "Down or Enter" in rows.values()
    table = dialog.shortcuts
    last = table.visualItemRect(table.topLevelItem(table.topLevelItemCount() - 1))
    assert last.bottom() <= table.viewport().height()  # every row in view, no scrolling
    assert dialog.tabs.tabText(0) == "Keyboard shortcuts"
    dialog.close()


def test_the_find_keys_are_in_the_menu(window):
    assert window.find_next_action.shortcut() == QKeySequence("F3")
    assert window.find_previous_action.shortcut() == QKeySequence("Shift+F3")
    assert window.find_next_action.isEnabled()


def test_the_view_menu_brings_a_tabbed_panel_to_the_front(qtbot, window):
    bookmarks = window.dock("bookmarksDock")
    action = next(a for a in window.view_menu.actions() if a.text() == "Bookmarks")
    action.trigger()  # hidden behind Search: brought to the front
    qtbot.waitUntil(lambda: bookmarks.isVisible() and not bookmarks.visibleRegion().isEmpty(), timeout=5000)
    assert action.isChecked()
    search = next(a for a in window.view_menu.actions() if a.text() == "Search")
    search.trigger()  # behind Bookmarks now: to the front, not hidden
    qtbot.waitUntil(lambda: not window.dock("searchDock").visibleRegion().isEmpty(), timeout=5000)
    assert window.dock("searchDock").isVisible() and search.isChecked()
    search.trigger()  # in front: hidden
    assert not window.dock("searchDock").isVisible() and not search.isChecked()
    search.trigger()
    assert window.dock("searchDock").isVisible()


# ------------------------------------------------------------------------------------- names for screen readers


def unnamed(root: QWidget) -> list[str]:
    """Interactive controls of ``root`` (shown) that a screen reader has no name for."""
    missing = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not isinstance(widget, INTERACTIVE) or not widget.isVisibleTo(root):
            continue
        if widget.objectName().startswith("qt_") or (
            widget.parent() is not None and widget.parent().objectName().startswith("qt_")
        ):
            continue  # Qt's own parts (scroll bar buttons, a tab bar's scroll arrows, dock title buttons)
        if type(widget).__name__ in ("QDockWidgetTitleButton",):
            continue
        face = QAccessible.queryAccessibleInterface(widget)
        name = face.text(QAccessible.Text.Name) if face is not None else ""
        if not name.strip():
            missing.append(
                f"{type(widget).__name__} {widget.objectName()!r} in {type(widget.parent()).__name__} "
                f"{widget.parent().objectName()!r}"
            )
    return missing


def test_every_control_of_the_window_has_a_name(qtbot, window, services, seed_archive):
    speakers = window.panel("speakersDock")
    speakers.select_speaker(seed_archive.find_speakers("Burian")[0].id)
    qtbot.waitUntil(lambda: speakers.profile_scroll.isVisible(), timeout=5000)
    search = window.dock("searchDock").widget()
    search.filters_button.click()
    with qtbot.waitSignal(search.results_ready, timeout=10_000):
        search.search("sanctions")
    services.controller.add_quote(seed_archive.quotes()[0].id, ask=False)
    missing = unnamed(window)
    for name in ("bookmarksDock", "statisticsDock", "unattributedDock"):
        panel = window.ensure_panel(name)
        if name == "statisticsDock":
            qtbot.waitUntil(lambda: panel.report() is not None, timeout=20_000)
            for tab in ("speakers", "mentions", "terms", "figures", "timeline"):
                panel.set_current_tab(tab)
                missing += unnamed(window)
        missing += unnamed(window)
    assert sorted(set(missing)) == [], "\n".join(sorted(set(missing)))


def test_every_dialog_has_names_for_its_controls(qtbot, window, services, seed_archive, tmp_path):
    from viewer.core.bookmark_anchoring import make_bookmark
    from viewer.ui.dialogs.bookmark_dialog import BookmarkDialog
    from viewer.ui.dialogs.export_dialog import ExportDialog
    from viewer.ui.dialogs.import_dialog import ImportDialog
    from viewer.ui.dialogs.speaker_dialog import SpeakerRequest

    dialogs: list[QDialog] = [
        window.show_about(),
        window.show_help(),
        window.edit_citation_template(),
        window.show_error("Something went wrong", "A message.", "Details"),
    ]
    bookmark = make_bookmark(seed_archive, quote_id=seed_archive.quotes()[0].id)
    dialogs.append(BookmarkDialog(window, bookmark, ["tag"]))
    dialogs.append(
        ExportDialog(
            window,
            selected=1,
            filtered=2,
            total=3,
            folder=tmp_path,
            name="bookmarks",
            fmt="csv",
            template=services.controller.templates.text(),
        )
    )
    report = tmp_path / "report.txt"
    report.write_text("A report\n\nAnna Berg said: “Nothing.”\n", encoding="utf-8")
    dialogs.append(
        ImportDialog(tmp_path / "own.db", [report], runner=window.runner, parent=window, copy_from=seed_archive.path)
    )
    dialogs.append(window.speaker_corrections.open_dialog(seed_archive.quotes()[0], None))
    dialogs.append(
        window.speaker_corrections._on_correction_ambiguous(SpeakerRequest("speaker", "Burian", quote_id=1), "Who?")
    )
    missing = []
    for dialog in dialogs:
        dialog.show()
        qtbot.waitExposed(dialog)
        missing += [f"{type(dialog).__name__}: {m}" for m in unnamed(dialog)]
        dialog.close()
    assert missing == [], "\n".join(missing)


def test_go_to_lists_only_the_panels_the_window_has(qtbot):
    from viewer.app import make_window

    bare = make_window()  # no search, bookmarks, statistics or corrections plugged in
    qtbot.addWidget(bare)
    shown = [a.text().replace("&", "") for a in bare.go_to_menu.actions() if a.isVisible()]
    assert shown == ["Documents", "Speakers", "Reader"]
    assert "Unattributed quotes" not in dict(bare.show_help().rows())
