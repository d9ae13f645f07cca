#!/usr/bin/env python3
"""How the candidate libraries for PDF and web-page import did on our own test documents (issue 15).

    python bench/import_libraries.py --pdf REPORT.pdf --two-columns TWO.pdf

Only pypdfium2 and trafilatura are dependencies of the project; the other candidates (pdfminer.six,
pypdf, readability-lxml, jusText) are measured when they are installed (in a scratch virtual
environment: ``pip install pdfminer.six pypdf readability-lxml justext``) and skipped otherwise.
Make the PDFs with ``tests/pdf_maker.py`` (``bench/pdf_import.py`` makes the same 100-page report).

* PDF: seconds to extract the text of ``--pdf`` (median of 3), whether the left column of a two-column
  page comes before the right one, whether ligatures come out as letters ("ﬁ" as "fi"), and what a word
  hyphenated at a line end looks like.
* Web pages: on the pages of ``tests/data/web`` (``tests/web_pages.py`` lists, for each, pieces of
  every article paragraph and the site's furniture), article paragraphs found, furniture kept, time.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


SENTENCE = (
    "Relatives of the defendants, journalists from three independent outlets and two diplomats from "
    "European embassies were admitted, while several supporters remained outside in the corridor"
)


def _have(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _median_time(fn, runs: int = 3) -> tuple[float, str]:
    times, text = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        text = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), text


def pdf_extractors() -> dict:
    out = {}
    if _have("pypdfium2"):

        def pdfium(path):
            import pypdfium2 as pdfium

            pdf = pdfium.PdfDocument(str(path))
            return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))

        out["pypdfium2 (bare)"] = pdfium
    if _have("pdfminer"):

        def pdfminer(path):
            from pdfminer.high_level import extract_text

            return extract_text(str(path))

        out["pdfminer.six"] = pdfminer
    if _have("pypdf"):

        def pypdf(path):
            from pypdf import PdfReader

            return "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)

        out["pypdf"] = pypdf
    if _have("viewer") and _have("pypdfium2"):

        def ours(path):
            from viewer.core.pdf_reader import analyse

            return "\n\n".join(b[0] for b in analyse(Path(path).read_bytes())["blocks"])

        out["ours (pypdfium2 + layout)"] = ours
    return out


def web_extractors() -> dict:
    import re

    out = {}
    if _have("trafilatura"):

        def traf(html):
            import trafilatura

            return trafilatura.extract(html, include_comments=False, include_tables=True) or ""

        out["trafilatura"] = traf
    if _have("readability"):

        def readability(html):
            import lxml.html
            from readability import Document

            return "\n".join(lxml.html.fromstring(Document(html).summary()).itertext())

        out["readability-lxml"] = readability
    if _have("justext"):

        def jt(html):
            import justext

            lang = (
                "Russian" if re.search("[а-яё]{4}", html[html.find("<body") :]) and 'lang="ru"' in html else "English"
            )
            return "\n".join(
                p.text for p in justext.justext(html.encode(), justext.get_stoplist(lang)) if not p.is_boilerplate
            )

        out["jusText"] = jt
    if _have("viewer"):

        def before(html):
            from viewer.core.html_reader import html_to_text

            return html_to_text(html, Path("page.html")).text

        out["lxml walker alone (before)"] = before

        def ours(html):
            from viewer.core.webpage import read_webpage

            return read_webpage(html, Path("page.html")).text

        out["ours (trafilatura + walker)"] = ours
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pdf", type=Path, help="a long text PDF (the 100-page report)")
    parser.add_argument(
        "--two-columns",
        type=Path,
        help="a PDF of two-column pages whose lines are drawn across both columns (tests/pdf_maker.py draws them so)",
    )
    args = parser.parse_args(argv)
    if args.pdf or args.two_columns:
        print("PDF | seconds | columns read in order | ligatures as letters | words hyphenated at line ends")
        for name, fn in pdf_extractors().items():
            seconds = _median_time(lambda: fn(args.pdf))[0] if args.pdf else float("nan")
            order = ligatures = hyphen = "?"
            if args.two_columns:
                text = fn(args.two_columns)
                flat = " ".join(text.replace("\ufffe", "-").split())
                joined = re.sub(r"(?<=[a-z])- (?=[a-z])", "", flat)
                # a sentence over several lines of the left column of page 1 comes back whole
                order = "yes" if SENTENCE in joined.replace("\ufb01", "fi") else "no"
                ligatures = "no (ﬁ)" if "\ufb01" in text or "\ufb02" in text else "yes"
                split = len(re.findall(r"[a-z]- [a-z]", flat))
                hyphen = "joined" if not split else f"left split ({split}×)"
            print(f"{name} | {seconds:.2f} | {order} | {ligatures} | {hyphen}")
    from tests.web_pages import PAGES, WEB

    print("\nweb pages | article paragraphs found | furniture kept | ms for the 4 pages")
    for name, fn in web_extractors().items():
        found = total = kept = 0
        start = time.perf_counter()
        for page, expected in PAGES.items():
            html = (WEB / page).read_text(encoding="utf-8")
            try:
                flat = " ".join((fn(html) or "").split())
            except Exception:  # noqa: BLE001 - a candidate that fails on a page finds nothing there
                flat = ""
            found += sum(1 for a in expected["article"] if " ".join(a.split()) in flat)
            total += len(expected["article"])
            kept += sum(1 for f in expected["furniture"] if f in flat)
        print(f"{name} | {found}/{total} | {kept} | {(time.perf_counter() - start) * 1000:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
