"""The application icon, from the PNGs rendered from resources/icons/archive-viewer.svg."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

ICON_DIR = Path(__file__).resolve().parents[3] / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def app_icon() -> QIcon:
    icon = QIcon()
    for size in SIZES:
        path = ICON_DIR / f"archive-viewer-{size}.png"
        if path.is_file():
            icon.addFile(str(path))
    return icon
