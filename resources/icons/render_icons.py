"""Render archive-viewer.svg to the PNG sizes the app and the desktop file use.

Run from the repository root: ``QT_QPA_PLATFORM=offscreen .venv/bin/python resources/icons/render_icons.py``.
The PNGs are committed, so the app never needs QtSvg at start-up.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
SIZES = (16, 24, 32, 48, 64, 128, 256)


def main() -> int:
    app = QGuiApplication(sys.argv)  # noqa: F841 - QPainter needs a GUI application
    renderer = QSvgRenderer(str(HERE / "archive-viewer.svg"))
    if not renderer.isValid():
        print("render_icons: the SVG is not valid", file=sys.stderr)
        return 1
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        out = HERE / f"archive-viewer-{size}.png"
        if not image.save(str(out)):
            print(f"render_icons: cannot write {out}", file=sys.stderr)
            return 1
    print(f"rendered {len(SIZES)} sizes into {HERE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
