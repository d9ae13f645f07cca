"""The app never opens a network connection (RELIABILITY 23): the main flows run with sockets disabled."""

from __future__ import annotations

import contextlib
import io
import socket

import pytest

from tests.conftest import SEED_SLUG, process_gone
from viewer.cli import COMMAND_MODULES, main


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to connect, resolve a name or open an internet socket is recorded and refused."""
    attempts: list[str] = []

    def refuse(name):
        def _refuse(*args, **kwargs):
            attempts.append(f"{name}{args[:2]}")
            raise OSError("network disabled in this test")

        return _refuse

    real_socket = socket.socket

    class GuardedSocket(real_socket):
        def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
            if family in (socket.AF_INET, socket.AF_INET6):
                attempts.append(f"socket(family={family})")
                raise OSError("network disabled in this test")
            super().__init__(family, type, proto, fileno)

    monkeypatch.setattr(socket, "socket", GuardedSocket)
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("gethostbyname"))
    return attempts


def quiet(argv: list[str]) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(argv)


def test_command_line_flows_never_touch_the_network(no_network, seed_archive_path, tmp_path):
    a = ["--archive", str(seed_archive_path)]
    flows = [
        ["documents", *a],
        ["speakers", *a],
        ["passages", "--document", SEED_SLUG, *a],
        ["quotes", *a],
        ["check", *a],
        ["build", "--out", str(tmp_path / "rebuilt.db")],
    ]
    if "search" in COMMAND_MODULES:
        flows += [["search", "sanctions", *a], ["search", "Назарбаев", *a]]
    if "stats" in COMMAND_MODULES:
        flows += [["stats", "--json", *a]]
    for argv in flows:
        assert quiet(argv) == 0, argv
    assert no_network == []


def test_importing_saved_web_pages_never_touches_the_network(no_network, seed_archive_path, tmp_path):
    """The article of a saved page and of a single-file page is found offline (their addresses are kept,
    never fetched)."""
    import shutil

    from tests.web_pages import WEB, make_mhtml

    archive = tmp_path / "archive.db"
    shutil.copy(seed_archive_path, archive)
    mhtml = tmp_path / "briefing.mhtml"
    mhtml.write_bytes(make_mhtml(WEB / "ngo-briefing.html", "https://civicrights-monitor.example/b"))
    pages = [WEB / name for name in ("news-div-site.html", "event-builder-page.html", "ru-news-page.html")]
    assert quiet(["import", *map(str, pages), str(mhtml), "--archive", str(archive)]) == 0
    # trafilatura imports urllib3, whose module asks once whether IPv6 works by binding a socket to the
    # loopback address ::1 (refused here; it then takes IPv6 as missing). Nothing connects or resolves.
    assert [a for a in no_network if a != f"socket(family={socket.AF_INET6})"] == []


def test_the_guard_itself_catches_a_connection(no_network):
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", 9))
    assert no_network


def test_the_desktop_flows_never_touch_the_network(no_network, qtbot, seed_archive_path, tmp_path, monkeypatch):
    """Open, search, bookmark, export, statistics and import in the desktop app, sockets disabled. The
    seed counts as a big archive here, so its search runs in a process of its own (talked to over a
    local socket pair, which the guard allows: it is not a network socket)."""
    import shutil
    import sys

    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtGui import QGuiApplication

    from viewer.app import build
    from viewer.core import search_service
    from viewer.ui.dialogs.export_dialog import ALL, ExportChoice

    QCoreApplication.setOrganizationName("ArchiveViewerTests")
    QCoreApplication.setApplicationName("archive-viewer-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    bundled = tmp_path / "app" / "archive.db"
    bundled.parent.mkdir()
    shutil.copyfile(seed_archive_path, bundled)
    monkeypatch.setenv("ARCHIVE_VIEWER_ARCHIVE", str(bundled))
    monkeypatch.setattr(search_service, "BIG_ARCHIVE", 0)
    report = tmp_path / "steppe.txt"
    report.write_text(
        "Grazing rights on the steppe: a hearing\n\nOn 2 June 2022, herders met in Taraz for a "
        "hearing chaired by Aliya Bekova, director of the Steppe Forum.\n\nAliya Bekova opened the "
        "hearing. “The wells belong to the villages”, she said.\n",
        encoding="utf-8",
    )
    services = build(tmp_path / "data")
    window = services.window
    qtbot.addWidget(window)
    try:
        window.show()
        with qtbot.waitSignal(window.reader.document_loaded, timeout=10_000):
            assert window.open_initial()
        search = window.dock("searchDock").widget()
        with qtbot.waitSignal(search.results_ready, timeout=10_000):
            search.search("sanctions")
        child = search._searcher.child_pid
        assert child is not None and search.model.rowCount() == 13  # one row per place
        with qtbot.waitSignal(window.reader.passage_shown, timeout=10_000):
            search.next_hit()
        controller = services.controller
        controller.add_search_hit(search.model.hit(0), ask=False)
        bookmarks = window.ensure_panel("bookmarksDock")
        for fmt in ("md", "docx"):
            with qtbot.waitSignal(bookmarks.export_finished, timeout=20_000):
                bookmarks.start_export(ExportChoice(fmt, ALL, tmp_path / f"out.{fmt}", ""))
        statistics = window.ensure_panel("statisticsDock")
        qtbot.waitUntil(lambda: statistics.report() is not None, timeout=20_000)
        statistics.export_chart(tmp_path / "speakers.png", "speakers")
        with qtbot.waitSignal(window.archive_opened, timeout=30_000):
            window.imports.import_files([report])
        assert window.archive.path == tmp_path / "data" / "archive.db"
        with qtbot.waitSignal(search.results_ready, timeout=10_000):
            search.search("wells")
        assert search.model.rowCount() >= 1
    finally:
        services.close()
        QGuiApplication.clipboard().clear()
        QSettings().clear()
    assert process_gone(child)
    assert no_network == []
    assert "PySide6.QtNetwork" not in sys.modules
