"""A long session of Qt calls must not wear out the interpreter's None and True (PySide6 6.12.0
on Python 3.11 gives them back without references; see viewer/ui/pyside_fixes.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from viewer.ui import pyside_fixes

ROOT = Path(__file__).resolve().parents[2]

SESSION = """
import viewer.ui
from PySide6.QtCore import QCoreApplication, QObject, Signal
app = QCoreApplication([])
class E(QObject):
    s = Signal()
e = E()
for _ in range(60_000):
    e.s.emit()           # returns True
    e.setObjectName("x")  # returns None
    e.parent()            # returns None
print("ok")
"""


def test_a_long_session_of_calls_exits_cleanly():
    result = subprocess.run(
        [sys.executable, "-c", SESSION],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]


def test_the_repair_is_only_made_where_it_is_needed():
    if sys.version_info >= (3, 12):
        assert pyside_fixes.INSTALLED is False
    elif pyside_fixes.INSTALLED:
        assert sys.getrefcount(None) > pyside_fixes.RESERVE // 2
