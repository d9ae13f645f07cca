"""The files the app writes for the user (viewer.core.files): atomic, regular files only, one plain line
when they cannot be written; CSV cells a spreadsheet will not run (RELIABILITY items 20-22 and 36).

No test here ever points a write at a real device or stream: a device is played by a file the test owns,
seen through a patched ``lstat``."""

from __future__ import annotations

import csv
import errno
import io
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import viewer.core.files as files
from viewer.core.files import ExportError, check_target, csv_cell, csv_lines, restore_cell, write_atomic, write_csv

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# ------------------------------------------------------------------------ atomic writes


def test_write_atomic_replaces_the_file(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    os.chmod(target, 0o640)
    assert write_atomic(target, b"new content") == target
    assert target.read_bytes() == b"new content"
    assert target.stat().st_mode & 0o777 == 0o640  # the file keeps its permissions
    assert _leftovers(tmp_path) == []


def test_chunks_are_written_as_they_come(tmp_path):
    target = tmp_path / "out.txt"
    write_atomic(target, (f"line {i}\n".encode() for i in range(1000)))
    assert target.read_text().splitlines()[-1] == "line 999"


def test_a_short_write_then_a_full_disk_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "chart.png"
    target.write_bytes(b"the old chart")
    real_write = os.write
    calls = {"n": 0}

    def full(fd, data):
        calls["n"] += 1
        if calls["n"] == 1:
            return real_write(fd, bytes(data[: len(data) // 2]))  # a short write is written on, not committed
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "write", full)
    with pytest.raises(ExportError) as e:
        write_atomic(target, b"x" * 10_000)
    monkeypatch.undo()
    assert e.value.message == "export failed: disk full" and e.value.reason == "disk full"
    assert target.read_bytes() == b"the old chart"
    assert _leftovers(tmp_path) == []


def test_an_error_in_the_chunks_keeps_the_old_file(tmp_path):
    target = tmp_path / "out.md"
    target.write_text("old")

    def chunks():
        yield b"half"
        raise OSError(errno.EIO, "Input/output error")

    with pytest.raises(ExportError, match="Input/output error"):
        write_atomic(target, chunks())
    assert target.read_text() == "old" and _leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "where, error, said",
    [
        (
            "tempfile.mkstemp",
            OSError(errno.EROFS, "Read-only file system"),
            "export failed: the folder .* is read-only",
        ),
        ("os.replace", PermissionError(errno.EACCES, "Permission denied"), "export failed: no permission to write in"),
        ("os.fsync", OSError(errno.EIO, "Input/output error"), "export failed: Input/output error"),
    ],
)
def test_a_failing_step_keeps_the_old_file_and_leaves_no_temp(tmp_path, monkeypatch, where, error, said):
    target = tmp_path / "bookmarks.md"
    target.write_bytes(b"old")
    module, name = where.split(".")

    def fail(*a, **k):
        raise error

    monkeypatch.setattr(getattr(files, module), name, fail)
    with pytest.raises(ExportError, match=said):
        write_atomic(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old" and _leftovers(tmp_path) == []


def test_missing_folder_folder_target_and_long_name(tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        write_atomic(tmp_path / "nope" / "x.json", b"{}")
    with pytest.raises(ExportError, match="is a folder"):
        write_atomic(tmp_path, b"{}")
    with pytest.raises(ExportError) as e:
        write_atomic(tmp_path / ("x" * 300 + ".csv"), b"")
    assert e.value.message == "export failed: the file name is too long"
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------ regular files only


@pytest.mark.parametrize("path", ["/dev/stdout", "/dev/stderr", "/dev/stdin", "/dev/fd/1", "/proc/self/fd/1"])
def test_the_standard_streams_are_not_files_to_replace(path):
    assert files.is_stream(path)
    with pytest.raises(ExportError, match="is a stream, not a file"):
        check_target(path)


@pytest.mark.parametrize(
    "kind, said", [(stat.S_IFCHR, "a device"), (stat.S_IFBLK, "a device"), (stat.S_IFSOCK, "a socket")]
)
def test_a_device_or_socket_is_refused(tmp_path, monkeypatch, kind, said):
    stand_in = tmp_path / "full"
    stand_in.write_text("the device")
    real = os.lstat

    def lstat(path, *a, **k):
        st = real(path, *a, **k)
        if str(path) == str(stand_in):
            return os.stat_result((kind | 0o666,) + tuple(st)[1:])
        return st

    monkeypatch.setattr(files.os, "lstat", lstat)
    with pytest.raises(ExportError) as e:
        write_atomic(stand_in, b"new")
    assert e.value.message == f"export failed: {stand_in} is {said}, not a regular file"
    monkeypatch.undo()
    assert stand_in.read_text() == "the device" and _leftovers(tmp_path) == []


def test_a_fifo_is_refused_and_left(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ExportError, match="is a pipe \\(FIFO\\), not a regular file"):
        write_atomic(fifo, b"new")
    assert fifo.is_fifo()


def test_a_symlink_is_refused_or_written_through_by_choice(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    with pytest.raises(ExportError, match="is a symbolic link"):
        write_atomic(link, b"new")
    assert link.is_symlink() and real.read_text() == "old"
    assert write_atomic(link, b"new", follow_symlinks=True) == real
    assert link.is_symlink() and real.read_text() == "new"
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises(ExportError, match="loop of symbolic links"):
        write_atomic(loop, b"x", follow_symlinks=True)


def test_a_hard_link_is_not_split(tmp_path):
    a = tmp_path / "a.json"
    a.write_text("old")
    b = tmp_path / "b.json"
    os.link(a, b)
    with pytest.raises(ExportError, match="has other names"):
        write_atomic(b, b"new")
    assert os.path.samefile(a, b) and a.read_text() == "old"


def test_a_read_only_file_is_not_replaced(tmp_path):
    target = tmp_path / "kept.csv"
    target.write_text("old")
    target.chmod(0o444)
    with pytest.raises(ExportError) as e:
        write_atomic(target, b"new")
    assert e.value.message == f"export failed: {target} is read-only"
    assert target.read_text() == "old"


# ------------------------------------------------------------------------ CSV cells


@pytest.mark.parametrize(
    "value", ["=1", "+1", "-1", "@x", "\tx", "\rx", "'x", "''", "plain", "", "1-2", "-2+3", '=HYPERLINK("http://x")']
)
def test_a_cell_is_made_safe_and_undone_exactly(value):
    assert restore_cell(csv_cell(value)) == value
    assert not csv_cell(value).startswith(FORMULA_START)


@given(st.text())
def test_no_cell_starts_like_a_formula(value):
    cell = csv_cell(value)
    assert not cell.startswith(FORMULA_START)
    assert restore_cell(cell) == value


def test_cells_that_are_not_text():
    assert csv_cell(None) == "" and csv_cell(12) == "12" and csv_cell(-3) == "'-3"


def test_write_csv_reads_back_in_a_spreadsheets_dialect(tmp_path):
    out = tmp_path / "table.csv"
    rows = [["=cmd|' /C calc'!A0", 105, None], ["line\nbreak, comma", "“quoted”", "@SUM(A1)"]]
    assert write_csv(out, ["Name", "Count", "-note"], rows) == out
    data = out.read_bytes()
    assert data.startswith("\ufeff".encode()) and b"\r\n" in data
    read = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert read[0] == ["Name", "Count", "'-note"]
    assert [[restore_cell(c) for c in row] for row in read[1:]] == [
        ["=cmd|' /C calc'!A0", "105", ""],
        ["line\nbreak, comma", "“quoted”", "@SUM(A1)"],
    ]
    assert "".join(csv_lines(["Name", "Count", "-note"], rows)).encode() == data
