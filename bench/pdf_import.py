#!/usr/bin/env python3
"""PDF import on a report of 100 text pages, next to the PDF library's own bare text extraction of
the same file, measured in the same run (issue 15).

    python bench/pdf_import.py                      # a table, then one JSON line
    python bench/pdf_import.py --pages 100 --runs 5 --json

The PDF is made with Qt (``tests/pdf_maker.long_report``: one column, headings, a running header,
"Page N" footers, footnotes, hyphenated words), written to the temporary folder, and read:

* ``bare_s``: the baseline, pypdfium2's own text extraction of every page
  (``PdfDocument`` + ``get_textpage().get_text_range()``), in this process;
* ``reader_s``: ``viewer.core.readers.read_document`` of the PDF: the child process that reads it with
  its limits (start-up included), words and their boxes, columns, running headers and footers,
  footnotes, hyphenation, paragraphs with their pages; ``analyse_s``: the same work in this process,
  without the child (``viewer.core.pdf_reader.analyse``);
* ``import_s``: ``viewer.core.importer.import_files`` of the PDF into a copy of the bundled archive: the
  reading above, title and dates, extraction of speakers and quotes, writing, indexing, statistics.

Each is the median of ``--runs`` runs after one warm-up. Goals: ``import_s`` ≤ 10 s, ``reader_s`` ≤ 2×
``bare_s``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _timed(fn, runs: int) -> tuple[float, object]:
    fn()  # warm-up: the OS caches, Python's imports
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def bare_extraction(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    chars = 0
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            chars += len(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return chars


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="only the JSON line")
    parser.add_argument("--archive", type=Path, default=ROOT / "archive.db", help="imported into a copy of it")
    args = parser.parse_args(argv)

    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - Qt needs it to draw text
    from tests.pdf_maker import long_report, make_pdf
    from viewer.core import pdf_reader
    from viewer.core.importer import import_files
    from viewer.core.readers import read_document

    folder = Path(tempfile.mkdtemp(prefix="pdf-bench-"))
    try:
        pdf = folder / "report.pdf"
        manifest = make_pdf(pdf, long_report(args.pages))
        data = pdf.read_bytes()
        bare_s, chars = _timed(lambda: bare_extraction(pdf), args.runs)
        reader_s, src = _timed(lambda: read_document(pdf), args.runs)
        analyse_s, _ = _timed(lambda: pdf_reader.analyse(data), args.runs)

        def one_import():
            target = folder / "archive.db"
            shutil.copyfile(args.archive, target)
            report = import_files(target, [pdf])
            target.unlink()
            return report

        import_s, report = _timed(one_import, args.runs)
        outcome = report.files[0]
        expected = {(p.text, p.page, p.page_end) for p in manifest.paragraphs}
        got = {(b.text, b.page, b.page_end) for b in src.blocks if b.kind != "note"}
        out = {
            "pages": manifest.pages,
            "file_kb": round(len(data) / 1024),
            "characters": chars,
            "paragraphs": len(manifest.paragraphs),
            "notes": len(manifest.notes),
            "paragraphs_exact": f"{len(expected & got)}/{len(expected)}",
            "bare_s": round(bare_s, 3),
            "reader_s": round(reader_s, 3),
            "analyse_s": round(analyse_s, 3),
            "reader_over_bare": round(reader_s / bare_s, 2),
            "analyse_over_bare": round(analyse_s / bare_s, 2),
            "import_s": round(import_s, 3),
            "import_status": outcome.status,
            "passages": outcome.passages,
            "runs": args.runs,
            "python": platform.python_version(),
            "load": round(os.getloadavg()[0], 2),
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if not args.json:
        print(
            f"{out['pages']} pages, {out['file_kb']} KB, {chars:,} characters, {out['paragraphs']} paragraphs "
            f"({out['paragraphs_exact']} read exactly, with their pages), {out['notes']} footnotes; "
            f"median of {args.runs} runs, load {out['load']}"
        )
        print(f"  pypdfium2 bare text extraction (baseline)  {out['bare_s']:8.3f} s")
        print(
            f"  our PDF reader, in its child process       {out['reader_s']:8.3f} s  "
            f"({out['reader_over_bare']}× the baseline; goal ≤ 2×)"
        )
        print(f"  the same work in this process              {out['analyse_s']:8.3f} s  ({out['analyse_over_bare']}×)")
        print(
            f"  import into a copy of the archive          {out['import_s']:8.3f} s  (goal ≤ 10 s; "
            f"{out['passages']} passages)"
        )
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
