"""The app never opens a network connection (RELIABILITY 23): the main flows run with sockets disabled."""

from __future__ import annotations

import contextlib
import io
import socket

import pytest

from tests.conftest import SEED_SLUG
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
        ["documents", *a], ["speakers", *a], ["passages", "--document", SEED_SLUG, *a], ["quotes", *a],
        ["check", *a], ["build", "--out", str(tmp_path / "rebuilt.db")],
    ]
    if "search" in COMMAND_MODULES:
        flows += [["search", "sanctions", *a], ["search", "Назарбаев", *a]]
    if "stats" in COMMAND_MODULES:
        flows += [["stats", "--json", *a]]
    for argv in flows:
        assert quiet(argv) == 0, argv
    assert no_network == []


def test_the_guard_itself_catches_a_connection(no_network):
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", 9))
    assert no_network
