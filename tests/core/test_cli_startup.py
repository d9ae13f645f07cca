"""Opening the desktop app does not import the command modules; the list of command names that
decides it stays in step with what the modules register."""

import argparse
import subprocess
import sys

from tests.conftest import ROOT
from viewer.cli import COMMAND_NAMES, COMMANDS, make_parser, opens_the_app


def test_command_names_match_the_registered_commands():
    assert set(commands(make_parser())) == COMMAND_NAMES
    for name, module in COMMANDS.items():  # each command is registered by the module the table names
        assert name in commands(make_parser([name])), (name, module)


def commands(parser: argparse.ArgumentParser) -> list[str]:
    return list(next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices)


def test_which_arguments_open_the_app():
    assert opens_the_app([])
    assert opens_the_app(["--archive", "x.db"])
    assert opens_the_app(["--archive", "search", "--data-dir", "d"])  # a file named like a command
    assert not opens_the_app(["search", "x"])
    assert not opens_the_app(["--archive", "x.db", "quotes"])
    assert not opens_the_app(["--help"])
    assert not opens_the_app(["nonsense"])  # an unknown command is a usage error, not the app
    # an archive given as a bare file (what a file manager passes to the .desktop file's %f)
    assert opens_the_app(["/home/me/reports/archive.db"])
    assert opens_the_app(["my archive.DB", "--data-dir", "d"])
    assert opens_the_app(["reports/kazakhstan"])
    assert not opens_the_app(["one.db", "two.db"])
    assert not opens_the_app(["search", "x.db"])  # a command with a file argument stays a command


def test_a_bare_file_opens_the_app_on_it(monkeypatch, tmp_path):
    import viewer.app as app
    from viewer.cli import main

    opened = []
    monkeypatch.setattr(app, "run_gui", lambda archive, data_dir=None: opened.append((archive, data_dir)) or 0)
    existing = tmp_path / "archive"
    existing.write_bytes(b"")
    monkeypatch.chdir(tmp_path)
    assert main(["/media/usb/archive.db"]) == 0
    assert main(["archive", "--data-dir", "d"]) == 0  # a file that exists, without a suffix
    assert main(["--archive", "a.db"]) == 0
    assert opened == [("/media/usb/archive.db", None), ("archive", "d"), ("a.db", None)]


def test_starting_the_app_imports_no_command_module():
    code = (
        "import sys\n"
        "import viewer.cli as cli\n"
        "import viewer.app as app\n"
        "app.run_gui = lambda *a: 0\n"
        "assert cli.main(['--archive', 'x.db']) == 0\n"
        "bad = [m for m in sys.modules if m.startswith('viewer.commands.') or m in ('sqlite_utils', "
        "'viewer.core.build')]\n"
        "assert not bad, bad\n"
    )
    run_python(code)


def run_python(code: str) -> None:
    """Run ``code`` in a new interpreter (nothing imported yet); its assertions must hold."""
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


def test_a_command_imports_only_its_own_module():
    code = (
        "import sys, io, contextlib\n"
        "from viewer.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['search', 'sanctions', '--archive', 'archive.db', '--json']) == 0\n"
        "loaded = {m for m in sys.modules if m.startswith('viewer.commands.')}\n"
        "assert loaded == {'viewer.commands.search', 'viewer.commands.read', 'viewer.commands.output'}, loaded\n"
        "heavy = [m for m in ('sqlite_utils', 'viewer.core.build', 'viewer.core.importer', 'viewer.core.extract',\n"
        "                     'viewer.core.bookmarks', 'viewer.core.stats', 'rapidfuzz', 'viewer.core.topk_build',\n"
        "                     'html') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    run_python(code)


def test_a_search_loads_nothing_it_does_not_use():
    """A search as a whole process: no typing module, no temporary-file machinery, no classes of the records it
    never reads (speakers, entities, mentions), no date pattern compiled; rapidfuzz (close words, and typing with
    it) only for a rare word."""
    code = (
        "import sys, io, contextlib\n"
        "from viewer.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    assert main(['search', 'sanctions', '--archive', 'archive.db']) == 0\n"
        "assert 'results for' in out.getvalue(), out.getvalue()[:300]\n"
        "unused = [m for m in ('typing', 'tempfile', 'viewer.core.speaker_records', 'rapidfuzz')\n"
        "          if m in sys.modules]\n"
        "assert not unused, unused\n"
        "dates = sys.modules.get('viewer.core.dates')\n"
        "assert dates is None or dates._date_re.cache_info().currsize == 0\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['search', 'sanktions', '--archive', 'archive.db', '--json']) == 0\n"  # in no passage
        "assert 'rapidfuzz' in sys.modules and 'viewer.core.speaker_records' not in sys.modules\n"
    )
    run_python(code)


def test_the_parser_of_one_command_is_that_command_alone():
    assert commands(make_parser(["--data-dir", "d", "search", "x"])) == ["search"]
    assert set(commands(make_parser(["nonsense"]))) == COMMAND_NAMES
