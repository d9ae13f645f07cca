"""viewer.core never imports Qt: it runs where no display and no Qt exist."""

import subprocess
import sys

from tests.conftest import ROOT


def test_core_and_cli_commands_import_without_qt():
    code = (
        "import pkgutil, importlib, sys, viewer.core, viewer.commands\n"
        "for pkg in (viewer.core, viewer.commands):\n"
        "    for m in pkgutil.iter_modules(pkg.__path__):\n"
        "        importlib.import_module(pkg.__name__ + '.' + m.name)\n"
        "import viewer.cli\n"
        "viewer.cli.make_parser()\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'viewer.ui'))]\n"
        "assert not bad, bad\n"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
