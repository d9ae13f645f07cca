"""The main window's actions and menus (File, Edit, View, Help), made on the window the way a Qt Designer
form's ``setupUi`` makes its widgets: each is an attribute of the window (``window.find_action``,
``window.view_menu``…), its slot a method of the window or of the objects it owns. Also what F1 lists
(every action with a key and the panels' own shortcuts) and the dialogs of Help > About, F1 and
Edit > Citation template….
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import shiboken6
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu

from viewer.ui import focus
from viewer.ui.widgets.text import action_text, tooltip


def _action(window, text: str, slot, shortcut=None, tip: str = "", name: str = "") -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(shortcut)
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    if name:
        action.setObjectName(name)
    if slot is not None:
        action.triggered.connect(slot)
    window.addAction(action)
    return action


def build_actions(window) -> None:
    """The window's actions. Find, Find next and Find previous wait, disabled, for a panel to take them;
    Bookmark… and Export bookmarks… for the bookmarks."""
    w = window
    w.open_action = _action(
        w, "&Open archive…", w.choose_archive, QKeySequence("Ctrl+O"), "Open an archive file", "openAction"
    )
    w.close_archive_action = _action(
        w, "&Close archive", w.close_archive, QKeySequence("Ctrl+W"), "Close the open archive", "closeArchiveAction"
    )
    w.quit_action = _action(w, "&Quit", w.close, QKeySequence("Ctrl+Q"), "Quit Archive Viewer", "quitAction")
    w.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
    w.import_action = _action(
        w,
        "&Import…",
        w.imports.choose_files,
        QKeySequence("Ctrl+I"),
        "Add reports and transcripts (.txt, .md, .html, .mhtml, .docx, .pdf) to the archive",
        "importAction",
    )
    w.import_folder_action = _action(
        w,
        "Import a &folder…",
        w.imports.choose_folder,
        QKeySequence("Ctrl+Shift+I"),
        "Add every report and transcript in a folder and its subfolders",
        "importFolderAction",
    )
    w.check_action = _action(
        w,
        "C&heck archive…",
        w.check_archive,
        None,
        "Look for damage in the open archive (on a private copy; the file is not changed)",
        "checkArchiveAction",
    )
    w.check_action.setEnabled(False)
    w.export_bookmarks_action = _action(
        w,
        "&Export bookmarks…",
        w.export_bookmarks,
        None,
        "Write your bookmarks with their attribution to a file",
        "exportBookmarksAction",
    )
    w.bookmark_action = _action(
        w,
        "&Bookmark…",
        w.bookmark_here,
        QKeySequence("Ctrl+D"),
        "Bookmark the selection, the quote at the cursor or the search result",
        "bookmarkAction",
    )
    w.citation_template_action = _action(
        w,
        "Citation &template…",
        w.edit_citation_template,
        None,
        "How “Copy with citation” cites a quote",
        "citationTemplateAction",
    )
    for action in (w.export_bookmarks_action, w.bookmark_action):
        action.setEnabled(False)  # until set_bookmarks gives a controller
    w.find_action = _action(
        w, "&Find…", None, QKeySequence("Ctrl+F"), "Search the archive (with the search panel)", "findAction"
    )
    w.find_next_action = _action(
        w, "Find &next", None, QKeySequence("F3"), "Go to the next search hit", "findNextAction"
    )
    w.find_previous_action = _action(
        w, "Find &previous", None, QKeySequence("Shift+F3"), "Go to the previous search hit", "findPreviousAction"
    )
    for action in (w.find_action, w.find_next_action, w.find_previous_action):
        action.setEnabled(False)  # until a panel takes them (``PanelLinks.offer_search``)
    zoom = w.reader.zoom
    w.zoom_in_action = _action(
        w, "Zoom &in", partial(zoom, 1), QKeySequence("Ctrl++"), "Larger text in the reader", "zoomInAction"
    )
    w.zoom_in_action.setShortcuts([QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
    w.zoom_out_action = _action(
        w, "Zoom &out", partial(zoom, -1), QKeySequence("Ctrl+-"), "Smaller text in the reader", "zoomOutAction"
    )
    w.zoom_reset_action = _action(
        w, "&Actual size", partial(zoom, 0), QKeySequence("Ctrl+0"), "The reader's usual text size", "zoomResetAction"
    )
    w.reset_layout_action = _action(
        w, "&Reset layout", w.reset_layout, None, "Put every panel back where it started", "resetLayoutAction"
    )
    w.help_action = _action(
        w,
        "Archive Viewer &help",
        w.show_help,
        QKeySequence("F1"),
        "How the window works and its keyboard shortcuts",
        "helpAction",
    )
    w.about_action = _action(
        w,
        "&About Archive Viewer",
        w.show_about,
        None,
        "Version, archive format and what the open archive holds",
        "aboutAction",
    )
    w.about_action.setMenuRole(QAction.MenuRole.AboutRole)


def _add(menu: QMenu, items) -> None:
    """Actions in order; None is a separator."""
    for item in items:
        menu.addAction(item) if item is not None else menu.addSeparator()


def build_menus(window) -> None:
    """The menu bar. Places kept for what comes later: ``_undo_separator`` (Undo and Redo go above it),
    ``_after_bookmark_separator`` ("Set speaker…"), ``_panels_separator`` (each panel's View item);
    ``_go_to`` holds View > Go to's items, each shown once its panel is there."""
    w = window
    bar = w.menuBar()
    w.file_menu = bar.addMenu("&File")
    w.file_menu.addAction(w.open_action)
    w.recent_menu = w.file_menu.addMenu("Open &recent")
    w.recent_menu.setObjectName("recentMenu")
    _add(
        w.file_menu,
        (
            w.close_archive_action,
            w.check_action,
            None,
            w.import_action,
            w.import_folder_action,
            w.export_bookmarks_action,
            None,
            w.quit_action,
        ),
    )

    w.edit_menu = bar.addMenu("&Edit")
    w._undo_separator = w.edit_menu.addSeparator()
    _add(w.edit_menu, (w.reader.copy_action, w.reader.cite_action, w.reader.select_all_action, None, w.bookmark_action))
    w._after_bookmark_separator = w.edit_menu.addSeparator()
    _add(w.edit_menu, (w.find_action, w.find_next_action, w.find_previous_action, None, w.citation_template_action))

    w.view_menu = bar.addMenu("&View")
    w._panels_separator = w.view_menu.addSeparator()
    w.go_to_menu = w.view_menu.addMenu("&Go to")
    w.go_to_menu.setObjectName("goToMenu")
    w._go_to = {}
    for target, text, key in focus.GO_TO:
        action = _action(
            w,
            text,
            partial(w.focus_panel, target),
            QKeySequence(key),
            f"Put the cursor in the {text.replace('&', '')} panel",
            f"goTo{target[0].upper()}{target[1:]}Action",
        )
        action.setVisible(target == "reader")
        w._go_to[target] = action
        w.go_to_menu.addAction(action)
    _add(w.view_menu, (None, w.zoom_in_action, w.zoom_out_action, w.zoom_reset_action, None, w.reset_layout_action))

    w.help_menu = bar.addMenu("&Help")
    _add(w.help_menu, (w.help_action, None, w.about_action))
    w.menus = {"file": w.file_menu, "edit": w.edit_menu, "view": w.view_menu, "help": w.help_menu}


def fill_recent_menu(
    menu: QMenu, paths: list[str], open_path: Callable[[str], object], clear: Callable[[], None]
) -> None:
    """File > Open recent as it opens: the ``paths`` (numbered), then "Clear the list"."""
    menu.clear()
    for i, path in enumerate(paths, start=1):
        label = f"&{i} {action_text(Path(path).name)}" if i < 10 else action_text(Path(path).name)
        action = menu.addAction(label)
        action.setStatusTip(path)
        action.setToolTip(tooltip(path))
        action.triggered.connect(partial(open_path, path))
    if paths:
        menu.addSeparator()
        action = menu.addAction("Clear the list")
        action.setObjectName("clearRecentAction")
        action.triggered.connect(clear)


def all_actions(window) -> list[QAction]:
    """Every action of the window's menus (submenus too) and of its panels that has a key (for the help
    dialog's shortcut table)."""
    seen, out = set(), []

    def add(actions) -> None:
        for action in actions:
            # by the Qt object: a Python wrapper made for the moment may have the id of a freed one
            key = shiboken6.getCppPointer(action)[0]
            if action.isSeparator() or not action.isVisible() or key in seen:
                continue
            seen.add(key)
            if action.menu() is not None:
                add(action.menu().actions())
            else:
                out.append(action)

    add(a for menu in window.menus.values() for a in menu.actions())
    for panel in window.panels():
        add(a for a in panel.actions() if a.shortcuts())
    return out


def panel_shortcuts(window) -> list[tuple[str, str]]:
    """(what it does, key) of the panels' own shortcuts that are not actions (for the help dialog)."""
    out = []
    for panel in window.panels():
        for shortcut in panel.findChildren(QShortcut):
            if shortcut.isEnabled() and shortcut.whatsThis():
                out.append((shortcut.whatsThis(), shortcut.key().toString(QKeySequence.SequenceFormat.NativeText)))
    return out


# ---------------------------------------------------------------------------------------- the menus' dialogs


def show_about(window):
    """Help > About (an AboutDialog): the version, the archive format and what the open archive holds; does
    not block."""
    from viewer.core.errors import ArchiveError
    from viewer.ui.dialogs.about_dialog import AboutDialog

    summary, error = window.summary, ""
    if summary is None and window.archive is not None:
        try:
            summary = window.archive.summary()
        except ArchiveError as e:
            error = e.message
    dialog = AboutDialog(summary, window.icon, window, archive_error=error)
    dialog.open()
    return dialog


def show_help(window):
    """F1: every shortcut and the guide (a HelpDialog); does not block."""
    from viewer.ui.dialogs.help_dialog import HelpDialog

    dialog = HelpDialog(all_actions(window), window, extra=panel_shortcuts(window))
    dialog.open()
    return dialog


def edit_citation_template(window):
    """Edit > Citation template…: the one template of every "Copy with citation" (a dialog that validates it
    and previews it on a quote of the open archive); saved when accepted; does not block."""
    from PySide6.QtCore import Qt

    from viewer.ui.dialogs.citation_dialog import CitationTemplateDialog, sample_citation

    reader = window.reader
    document = reader.current_document()
    sample = sample_citation(window.archive, document.id if document is not None else None, reader.quote_at_cursor())
    dialog = CitationTemplateDialog(window.templates.text(), sample, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(partial(_on_citation_template_accepted, window, dialog))
    dialog.open()
    return dialog


def _on_citation_template_accepted(window, dialog) -> None:
    problem = window.templates.save(dialog.template())
    if problem:
        window.statusBar().showMessage(f"The citation template was not saved: {problem}", 10000)
    else:
        window.statusBar().showMessage("Citation template saved.", 6000)
