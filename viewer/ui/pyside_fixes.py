"""Work-arounds for defects of the Qt binding, applied once when ``viewer.ui`` is imported.

PySide6 6.12.0 on Python 3.11 gives back ``None`` (from every method that returns nothing or a
null object) and ``True`` (from ``SignalInstance.emit``) without the reference it owes for them,
so each such call wears one reference off these singletons. Python 3.12 made them immortal, which
hides the defect there; on 3.11 the interpreter frees ``None`` after some tens of thousands of
calls (a few minutes of scrolling the reader) and aborts with "Fatal Python error: none_dealloc".

The defect is detected at start-up with two probe calls; only then are ``None``, ``True`` and
``False`` given a reserve of references so large that no session can use it up, which is what
Python 3.12's immortal objects do. Nothing is changed on an interpreter or a binding without the
defect.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal

RESERVE = 1 << 40  # references added to each singleton; about 10^12 lost references to go


class _Probe(QObject):
    probed = Signal()


def _loses_reference(obj, call) -> bool:
    """True if ``call()`` returns ``obj`` without a reference for it (the loss is repaired)."""
    before = sys.getrefcount(obj)
    result = call()
    held = sys.getrefcount(obj)
    lost = result is obj and held == before
    if lost:
        _add_references(obj, 1)
    del result
    return lost


def _add_references(obj, count: int) -> None:
    # CPython: the reference count is the object's first field (Py_ssize_t)
    ctypes.c_ssize_t.from_address(id(obj)).value += count


def binding_loses_references() -> tuple[bool, bool]:
    """(None is under-referenced by void calls, True by emit), probed now."""
    probe = _Probe()
    return (_loses_reference(None, lambda: probe.setObjectName("probe")), _loses_reference(True, probe.probed.emit))


def _install() -> bool:
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False  # immortal singletons there; their reference counts must not be touched
    if getattr(sys, "_archive_viewer_singletons_reserved", False):
        return True
    if not any(binding_loses_references()):
        return False
    for obj in (None, True, False):
        _add_references(obj, RESERVE)
    sys._archive_viewer_singletons_reserved = True
    return True


INSTALLED = _install()
