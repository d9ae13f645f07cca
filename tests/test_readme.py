"""README documents every command and every option, and starts with the two set-up commands."""

import argparse
import re

from tests.conftest import ROOT
from viewer.cli import make_parser

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _subcommands(parser: argparse.ArgumentParser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield from action.choices.items()


def _walk(prefix: str, parser: argparse.ArgumentParser):
    yield prefix, parser
    for name, sub in _subcommands(parser):
        yield from _walk(f"{prefix} {name}", sub)


def test_readme_starts_with_the_two_setup_commands():
    first_block = README.split("```")[1]
    assert "make run" in first_block and "make test" in first_block


def test_every_command_and_option_is_documented():
    missing = []
    for name, parser in _walk("archive-viewer", make_parser()):
        if f"`{name}" not in README:
            missing.append(name)
        for action in parser._actions:
            for opt in action.option_strings:
                if (
                    opt.startswith("--")
                    and opt not in ("--help", "--version")
                    and f"`{opt}" not in README
                    and f" {opt}" not in README
                    and f"[{opt}" not in README
                ):
                    missing.append(f"{name} {opt}")
    assert not missing, f"README does not document: {missing}"


def test_every_make_target_is_documented():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = re.findall(r"^([a-z][\w-]*):", makefile, re.M)
    assert "test" in targets and "lint" in targets
    missing = [t for t in targets if not re.search(rf"\bmake {re.escape(t)}(?![\w-])", README)]
    assert not missing, f"README does not document: {missing}"
