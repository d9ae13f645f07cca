"""docs/reliability.md covers every reliability rule, and every test it names exists."""

import re

from tests.conftest import ROOT

DOC = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")


def test_every_rule_has_an_entry():
    numbers = [int(n) for n in re.findall(r"^(\d+)\. \*\*", DOC, flags=re.M)]
    assert numbers == list(range(1, 39))


def test_every_named_test_exists():
    missing = []
    current = None
    for m in re.finditer(r"`(tests/[\w/]+\.py)(?:::(\w+))?`|`::(\w+)`", DOC):
        path, name, short = m.groups()
        if path:
            current = ROOT / path
            if not current.exists():
                missing.append(path)
                continue
        name = name or short
        if name and not re.search(rf"def {name}\b", current.read_text(encoding="utf-8")):
            missing.append(f"{current.relative_to(ROOT)}::{name}")
    assert not missing
