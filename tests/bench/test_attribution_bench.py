"""The attribution benchmark's own rules (bench/attribution.py): when a predicted speaker counts as the gold one,
and finding a passage the reader changed in the article it came from. The corpus itself is not here."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("attribution_bench", ROOT / "bench" / "attribution.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["attribution_bench"] = module
    spec.loader.exec_module(module)
    return module


def gold(bench, speaker, full=None):
    return bench.Gold(0, 0, 5, None, speaker=speaker, full=full or speaker, how="named")


@pytest.mark.parametrize(
    "predicted, speaker, full, same",
    [
        ("Donald Trump", "Trump", None, True),  # the gold says only the surname
        ("Ivanka Trump", "Trump", "Donald Trump", False),  # another person of that surname
        ("Sen. Elizabeth Warren", "Warren", "Elizabeth Warren", True),  # a title is no given name
        ("E. Warren", "Warren", "Elizabeth Warren", True),  # an initial agrees with a name
        ("Bill Clinton", "Clinton", "William Clinton", True),  # a nickname
        ("Anna Berg", "Berg", "Lena Berg", False),
        ("Berg", "Lena Berg", None, True),  # a surname alone, with nothing that says another person
    ],
)
def test_a_predicted_speaker_is_the_gold_one_only_when_a_reader_would_say_so(bench, predicted, speaker, full, same):
    assert bench.same_speaker(predicted, gold(bench, speaker, full)) is same


def test_a_passage_the_reader_repaired_is_still_found_in_the_article(bench):
    article = "Headline.\n\nPresident Fran\u00c3\u00a7ois Hollande said, \u201cLet everyone\u200b know it.\u201d\n"
    loc = bench.Locator(article)
    repaired = "President Fran\u00e7ois Hollande said, \u201cLet everyone know it.\u201d"
    mapping = loc.find(repaired)
    assert mapping is not None
    start, end = repaired.index("Let"), repaired.index("it.") + 2
    assert article[mapping[start] : mapping[end]].replace("\u200b", "") == "Let everyone know it"


def test_a_passage_that_is_not_in_the_article_is_not_found(bench):
    assert bench.Locator("Headline.\n\nSomething else entirely.\n").find("Words nobody wrote here.") is None
