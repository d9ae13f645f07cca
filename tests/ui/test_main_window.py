"""The main window: opening archives, panels plugging in, menus and shortcuts, state kept between runs."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, Qt, QUrl, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QWidget

from tests.ui import dnd

import viewer
from viewer.ui import settings
from viewer.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def make_window(qtbot, path=None) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    if path is not None:
        with qtbot.waitSignal(window.reader.document_loaded, timeout=5000):
            assert window.open_archive(path)
    return window


@pytest.fixture
def window(qtbot, seed_archive_path):
    return make_window(qtbot, seed_archive_path)


def copy_seed(seed_archive_path, tmp_path, name) -> Path:
    target = tmp_path / name
    shutil.copyfile(seed_archive_path, target)
    return target


class DummyPanel(QWidget):
    """A panel as another issue would write one."""

    passage_requested = Signal(int, object)
    quote_requested = Signal(int)
    document_requested = Signal(int)
    archive_error = Signal(object)

    def __init__(self):
        super().__init__()
        self.archives = []
        self.documents = []
        self.attached = None
        self.saved = self.restored = 0

    def set_archive(self, archive):
        self.archives.append(archive)

    def set_current_document(self, document):
        self.documents.append(document)

    def attach_to_window(self, window):
        self.attached = window
        window.find_action.setEnabled(True)

    def save_settings(self):
        self.saved += 1

    def restore_settings(self):
        self.restored += 1


def test_opens_the_archive_on_the_discussion(qtbot, window, seed_archive_path):
    assert window.central.currentWidget() is window.reader
    assert window.archive.path == seed_archive_path
    assert window.reader.current_document().slug == "addressing-human-rights-abuses-in-kazakhstan"
    qtbot.waitUntil(lambda: window.documents_panel.current_document() is not None, timeout=5000)
    assert window.documents_panel.current_document().id == 1
    qtbot.waitUntil(lambda: window.speakers_panel.model.rowCount() == 8, timeout=5000)
    qtbot.waitUntil(lambda: window.counts_label.text() != "", timeout=5000)
    assert window.counts_label.text() == ("11 documents (1 with text) · 8 speakers · 34 passages · 16 quotes")
    assert window.windowTitle().startswith("Addressing human rights abuses in Kazakhstan")
    assert window.windowTitle().endswith("Archive Viewer")


def test_open_initial_uses_the_last_archive_then_the_default(qtbot, seed_archive_path, tmp_path, monkeypatch):
    monkeypatch.setenv("ARCHIVE_VIEWER_ARCHIVE", str(seed_archive_path))
    w = make_window(qtbot)
    with qtbot.waitSignal(w.reader.document_loaded, timeout=5000):
        assert w.open_initial()
    assert w.archive.path == seed_archive_path
    other = copy_seed(seed_archive_path, tmp_path, "other.db")
    settings.set_value(settings.ARCHIVE_LAST, str(other))
    w2 = make_window(qtbot)
    with qtbot.waitSignal(w2.reader.document_loaded, timeout=5000):
        assert w2.open_initial()
    assert w2.archive.path == other
    other.unlink()
    w3 = make_window(qtbot)
    with qtbot.waitSignal(w3.reader.document_loaded, timeout=5000):
        assert w3.open_initial()  # the last one is gone: the default
    assert w3.archive.path == seed_archive_path


def test_the_last_document_is_shown_again(qtbot, seed_archive_path):
    w = make_window(qtbot, seed_archive_path)
    with qtbot.waitSignal(w.reader.document_changed, timeout=5000):
        w.reader.show_document(6)
    w.close()
    w2 = MainWindow()
    qtbot.addWidget(w2)
    w2.show()
    with qtbot.waitSignal(w2.reader.document_changed, timeout=5000,
                          check_params_cb=lambda doc: doc is not None) as blocker:
        w2.open_initial(seed_archive_path)
    assert blocker.args[0].id == 6


def test_panels_plug_in_with_add_panel(qtbot, window, seed_archive):
    panel = DummyPanel()
    dock = window.add_panel(panel, "Dummy", "dummyDock", Qt.DockWidgetArea.RightDockWidgetArea)
    assert isinstance(dock, QDockWidget) and dock.widget() is panel and dock.objectName() == "dummyDock"
    assert panel.archives == [window.archive] and panel.attached is window
    assert panel.documents[-1].id == 1
    assert window.find_action.isEnabled()
    assert "Dummy" in [a.text() for a in window.view_menu.actions()]
    assert window.dockWidgetArea(dock) == Qt.DockWidgetArea.RightDockWidgetArea
    # its signals reach the reader
    target = seed_archive.passages(1)[20]
    with qtbot.waitSignal(window.reader.passage_shown, timeout=5000):
        panel.passage_requested.emit(target.id, [(0, 5)])
    assert [s.cursor.selectedText() for s in window.reader.view.layer("hits")] == [target.text[:5]]
    quote = seed_archive.quotes()[3]
    with qtbot.waitSignal(window.reader.passage_shown, timeout=5000):
        panel.quote_requested.emit(quote.id)
    assert window.reader.selected_text() == quote.text
    with qtbot.waitSignal(window.reader.document_changed, timeout=5000):
        panel.document_requested.emit(4)
    assert panel.documents[-1].id == 4
    # it is part of reset, closing and the saved state
    dock.setFloating(True)
    dock.hide()
    window.reset_layout()
    assert dock.isVisible() and not dock.isFloating()
    assert window.dockWidgetArea(dock) == Qt.DockWidgetArea.RightDockWidgetArea
    window.close_archive()
    assert panel.archives[-1] is None
    window.save_state()
    assert panel.saved == 1


class SearchLikePanel(QWidget):
    """Has the methods a search panel offers, and optionally its own F3 shortcuts."""

    def __init__(self, own_f3: bool):
        super().__init__()
        self.calls = []
        if own_f3:
            QShortcut(QKeySequence("F3"), self, context=Qt.ShortcutContext.WindowShortcut)

    def focus_query(self):
        self.calls.append("focus")

    def next_hit(self):
        self.calls.append("next")

    def previous_hit(self):
        self.calls.append("previous")


@pytest.mark.parametrize("own_f3", [False, True])
def test_a_search_panel_takes_ctrl_f_and_f3(qtbot, window, own_f3):
    panel = SearchLikePanel(own_f3)
    window.add_panel(panel, "Search", "searchDock", Qt.DockWidgetArea.RightDockWidgetArea)
    for action in (window.find_action, window.find_next_action, window.find_previous_action):
        assert action.isEnabled()
        action.trigger()
    assert panel.calls == ["focus", "next", "previous"]
    assert window.find_action.shortcut() == QKeySequence("Ctrl+F")
    # the window keeps F3 (shown in the menu and in F1's list); a panel's own F3 is switched off, so F3 is
    # never ambiguous
    assert window.find_next_action.shortcut() == QKeySequence("F3")
    assert window.find_previous_action.shortcut() == QKeySequence("Shift+F3")
    assert not any(sc.isEnabled() for sc in panel.findChildren(QShortcut) if sc.key() == QKeySequence("F3"))


def test_a_heavy_panel_is_made_when_its_dock_is_first_shown(qtbot, window):
    made = []

    def make():
        panel = DummyPanel()
        made.append(panel)
        return panel

    dock = window.add_panel(make, "Statistics", "statisticsDock", Qt.DockWidgetArea.RightDockWidgetArea,
                            visible=False)
    assert made == [] and "Statistics" in [a.text() for a in window.view_menu.actions()]
    dock.toggleViewAction().trigger()
    qtbot.waitUntil(lambda: bool(made) and dock.widget() is made[0], timeout=5000)
    assert made[0].archives == [window.archive]
    window.reset_layout()
    assert dock.widget() is made[0] and len(made) == 1


def test_a_panel_error_is_reported_once(qtbot, window):
    from viewer.core.db import ArchiveDamaged

    panel = DummyPanel()
    window.add_panel(panel, "Dummy", "dummyDock")
    panel.archive_error.emit(ArchiveDamaged("The archive “x.db” is damaged and cannot be read.", "detail"))
    dialog = window.last_error_dialog
    assert dialog is not None and dialog.message_label.text() == "The archive “x.db” is damaged and cannot be read."
    panel.archive_error.emit(ArchiveDamaged("again", "detail"))
    assert window.last_error_dialog is dialog
    assert window.statusBar().currentMessage() == "again"
    dialog.close()


def test_settings_restore_geometry_docks_splitter_and_archives(qtbot, seed_archive_path, tmp_path):
    w = make_window(qtbot, seed_archive_path)
    w.resize(760, 540)  # the offscreen screen is 800 x 800
    speakers = w.dock("speakersDock")
    w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, speakers)
    w.dock("documentsDock").hide()
    QApplication.processEvents()
    w.speakers_panel.splitter.setSizes([150, 450])
    QApplication.processEvents()
    splitter_sizes = w.speakers_panel.splitter.sizes()
    size = w.size()
    w.close()
    assert settings.get_str(settings.ARCHIVE_LAST) == str(seed_archive_path)
    assert settings.recent_archives() == [str(seed_archive_path)]

    w2 = MainWindow()
    qtbot.addWidget(w2)
    w2.show()
    with qtbot.waitSignal(w2.reader.document_loaded, timeout=5000):
        w2.open_initial()
    assert w2.archive.path == seed_archive_path
    QApplication.processEvents()
    assert w2.size() == size
    assert w2.dockWidgetArea(w2.dock("speakersDock")) == Qt.DockWidgetArea.RightDockWidgetArea
    assert not w2.dock("documentsDock").isVisible()
    assert w2.speakers_panel.splitter.sizes() == splitter_sizes
    w2.reset_layout()
    assert w2.dock("documentsDock").isVisible()
    assert w2.dockWidgetArea(w2.dock("speakersDock")) == Qt.DockWidgetArea.LeftDockWidgetArea


def test_recent_archives_menu(qtbot, window, seed_archive_path, tmp_path):
    second = copy_seed(seed_archive_path, tmp_path, "second & copy.db")
    with qtbot.waitSignal(window.reader.document_loaded, timeout=5000):
        assert window.open_archive(second)
    window.recent_menu.aboutToShow.emit()
    actions = [a for a in window.recent_menu.actions() if not a.isSeparator()]
    assert [a.statusTip() for a in actions[:2]] == [str(second), str(seed_archive_path)]
    assert actions[0].text() == "&1 second && copy.db"  # '&' in a file name is not a mnemonic
    with qtbot.waitSignal(window.archive_opened, timeout=5000):
        actions[1].trigger()
    assert window.archive.path == seed_archive_path
    window.recent_menu.aboutToShow.emit()
    clear = window.recent_menu.findChild(type(actions[0]), "clearRecentAction")
    clear.trigger()
    assert settings.recent_archives() == []
    assert not window.recent_menu.isEnabled()


def drop_event(path: Path, kind=QDropEvent):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    if kind is QDragEnterEvent:
        return mime, dnd.drag_enter(mime)
    return mime, dnd.drop(mime)


def test_dropping_an_archive_file_opens_it(qtbot, window, seed_archive_path, tmp_path):
    dropped = copy_seed(seed_archive_path, tmp_path, "dropped.db")
    _mime, enter = drop_event(dropped, QDragEnterEvent)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    _mime2, event = drop_event(dropped)
    with qtbot.waitSignal(window.reader.document_loaded, timeout=5000):
        QApplication.sendEvent(window, event)
    assert window.archive.path == dropped


def test_dropping_on_any_panel_opens_the_archive(qtbot, window, seed_archive_path, tmp_path):
    targets = [window.reader.view.viewport(), window.speakers_panel.filter_edit,
               window.documents_panel.tree.viewport()]
    for i, widget in enumerate(targets):
        dropped = copy_seed(seed_archive_path, tmp_path, f"dropped{i}.db")
        _mime, enter = drop_event(dropped, QDragEnterEvent)
        QApplication.sendEvent(widget, enter)
        assert enter.isAccepted()
        _mime2, event = drop_event(dropped)
        with qtbot.waitSignal(window.archive_opened, timeout=5000):
            QApplication.sendEvent(widget, event)
        assert window.archive.path == dropped
    assert window.speakers_panel.filter_edit.text() == ""


def test_dropping_something_else_is_refused(qtbot, window):
    mime = QMimeData()
    mime.setText("not a file")
    enter = dnd.drag_enter(mime, 5, 5)
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()


def test_about_tells_version_format_path_and_counts(qtbot, window, seed_archive_path):
    qtbot.waitUntil(lambda: window._summary is not None, timeout=5000)
    dialog = window.show_about()
    values = {k: v.text() for k, v in dialog.values.items()}
    assert values["Archive format"] == "1"
    assert values["File"] == str(seed_archive_path)
    assert values["Contents"] == ("11 documents (1 with text), 8 speakers, 34 passages, 16 direct quotes")
    assert values["Archive"] == "Human rights in Kazakhstan: event reports"
    assert any(label.text() == f"Archive Viewer {viewer.__version__}" for label in dialog.findChildren(QLabel))
    dialog.close()


def test_about_without_an_archive(qtbot):
    w = make_window(qtbot)
    dialog = w.show_about()
    assert dialog.values["Archive"].text() == "No archive is open."
    dialog.close()


def test_standard_shortcuts(window):
    assert window.open_action.shortcut() == QKeySequence("Ctrl+O")
    assert window.quit_action.shortcut() == QKeySequence("Ctrl+Q")
    assert window.help_action.shortcut() == QKeySequence("F1")
    assert window.find_action.shortcut() == QKeySequence("Ctrl+F")
    assert window.find_next_action.shortcut() == QKeySequence("F3")
    assert window.find_previous_action.shortcut() == QKeySequence("Shift+F3")
    # reserved for the search panel until it claims them
    assert not window.find_action.isEnabled()
    assert window.find_action in window.edit_menu.actions()
    assert window.reader.cite_action in window.edit_menu.actions()


def test_f1_opens_help_with_the_shortcuts(qtbot, window):
    window.activateWindow()
    window.help_action.trigger()
    dialogs = [w for w in QApplication.topLevelWidgets() if w.objectName() == "helpDialog" and w.isVisible()]
    assert dialogs
    table = dialogs[0].shortcuts
    rows = {table.topLevelItem(i).text(0): table.topLevelItem(i).text(1) for i in range(table.topLevelItemCount())}
    native = QKeySequence.SequenceFormat.NativeText
    assert rows["Open archive"] == QKeySequence("Ctrl+O").toString(native)
    assert rows["Quit"] == QKeySequence("Ctrl+Q").toString(native)
    assert rows["Find"] == QKeySequence("Ctrl+F").toString(native)
    assert rows["Archive Viewer help"] == "F1"
    assert "Copy with citation" in rows
    dialogs[0].close()


def test_quit_closes_the_window_and_stops_the_workers(qtbot, window):
    window.quit_action.trigger()
    assert not window.isVisible()
    assert window.archive is None


def test_close_archive_shows_the_empty_state(qtbot, window):
    with qtbot.waitSignal(window.archive_closed):
        window.close_archive_action.trigger()
    assert window.central.currentWidget() is window.empty
    assert window.archive is None and window.speakers_panel.model.rowCount() == 0
    assert not window.close_archive_action.isEnabled()
    assert window.windowTitle() == "Archive Viewer"


def test_a_speaker_clicked_in_the_reader_is_selected_in_the_panel(qtbot, window):
    qtbot.waitUntil(lambda: window.speakers_panel.model.rowCount() == 8, timeout=5000)
    with qtbot.waitSignal(window.speakers_panel.speaker_highlighted):
        window.reader.speaker_clicked.emit(6)
    assert window.speakers_panel.selected_speaker() == 6
    assert window.reader.view._highlighted_speaker == 6


def test_reader_and_documents_panel_follow_each_other(qtbot, window, seed_archive):
    qtbot.waitUntil(lambda: window.documents_panel.current_document() is not None, timeout=5000)
    with qtbot.waitSignal(window.reader.document_changed, timeout=5000):
        window.documents_panel.document_requested.emit(8)
    assert window.documents_panel.current_document().id == 8
    target = seed_archive.passages(1)[2]
    with qtbot.waitSignal(window.reader.passage_shown, timeout=5000):
        window.reader.show_passage(target.id)
    assert window.documents_panel.current_document().id == 1


def test_window_icon_and_desktop_file(qapp):
    from viewer.ui.widgets.icons import ICON_DIR, app_icon

    assert not app_icon().isNull()
    assert (ICON_DIR / "archive-viewer.svg").is_file() and (ICON_DIR / "archive-viewer-256.png").is_file()
    desktop = configparser.ConfigParser(interpolation=None)
    desktop.optionxform = str
    desktop.read(ROOT / "resources" / "archive-viewer.desktop", encoding="utf-8")
    entry = desktop["Desktop Entry"]
    assert entry["Type"] == "Application" and entry["Name"] == "Archive Viewer"
    assert entry["Exec"] == "archive-viewer %f" and entry["Icon"] == "archive-viewer"  # a file manager's file opens
    assert "application/vnd.sqlite3" in entry["MimeType"].split(";")
    assert entry["Categories"].endswith(";")


def test_start_up_imports_nothing_heavy(tmp_path):
    """The window with every panel plugged in and the archive open loads no module it does not need yet."""
    code = ("import sys; from PySide6.QtWidgets import QApplication; app = QApplication([]); import viewer.app; "
            "services = viewer.app.build(sys.argv[1]); services.window.open_archive(sys.argv[2]); "
            "heavy = [m for m in sys.modules if m.split('.')[0] in ('rapidfuzz', 'docx', 'datasette', 'lxml') "
            "or m.split('.')[-1] in ('QtCharts', 'QtSvg', 'QtWebEngineCore', 'QtQml', 'QtQuick', 'QtNetwork')]; "
            "print(heavy); raise SystemExit(1 if heavy else 0)")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "data"), str(ROOT / "archive.db")], cwd=ROOT,
                            capture_output=True, text=True, timeout=60,
                            env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_unexpected_error_is_told_once_with_details_and_logged(qtbot, window, capsys):
    from viewer.app import _BugReporter

    seen = []
    reporter = _BugReporter(window, lambda *exc: seen.append(exc[0]))
    try:
        raise ValueError("a bug")
    except ValueError as e:
        reporter(type(e), e, e.__traceback__)
        reporter(type(e), e, e.__traceback__)
    assert seen == [ValueError, ValueError]  # still printed each time
    dialog = window.last_error_dialog
    log = window.data_dir / "errors.log"
    assert dialog is not None and dialog.windowTitle() == "Internal error"
    assert f"internal error (details in {log})" in dialog.message_label.text()
    assert dialog.details_button.isEnabled()
    assert "ValueError: a bug" in dialog.details_view.toPlainText()
    assert log.read_text(encoding="utf-8").count("ValueError: a bug") == 1  # told once, written once
    dialog.close()


def test_a_bug_while_reading_is_an_internal_error_not_a_damaged_archive(qtbot, window):
    window._on_panel_archive_error(TypeError("'NoneType' object is not subscriptable"))
    dialog = window.last_error_dialog
    assert dialog.windowTitle() == "Internal error"
    assert "damaged" not in dialog.message_label.text()
    assert "TypeError" in dialog.details_view.toPlainText()
    assert "TypeError" in (window.data_dir / "errors.log").read_text(encoding="utf-8")
    dialog.close()


def test_odd_characters_in_the_path_open_exactly_that_file(qtbot, window, seed_archive_path, tmp_path):
    folder = tmp_path / "ünï #1 ?%"
    folder.mkdir()
    odd = copy_seed(seed_archive_path, folder, "a #b?c%20d ж.db")
    with qtbot.waitSignal(window.reader.document_loaded, timeout=5000):
        assert window.open_archive(odd)
    assert window.archive.path == odd
    assert sorted(p.name for p in folder.iterdir()) == ["a #b?c%20d ж.db"]  # nothing written beside it
