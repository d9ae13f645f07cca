"""One colour per speaker, the same in every panel and every session."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

# Distinct, readable on white; the dark variants are readable on a dark base.
_LIGHT = (
    "#1f66a8",
    "#b03a2e",
    "#23855a",
    "#7d3c98",
    "#c0610f",
    "#127f8a",
    "#8a6d00",
    "#7a4b32",
    "#b0276c",
    "#3f51b5",
    "#4f7d1f",
    "#5d6d7e",
)
_DARK = (
    "#6fb1f0",
    "#f08a7e",
    "#6fd3a3",
    "#c39be0",
    "#f5a55f",
    "#5fd0dc",
    "#e0c24a",
    "#d69f7e",
    "#f07fb5",
    "#9aa8f5",
    "#a9d46f",
    "#aab7c4",
)
NEUTRAL_LIGHT = "#6b6b6b"
NEUTRAL_DARK = "#a8a8a8"


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def speaker_color(speaker_id: int | None, dark: bool = False) -> QColor:
    """The speaker's colour; a neutral grey for words with no speaker of the archive."""
    if speaker_id is None or speaker_id <= 0:
        return QColor(NEUTRAL_DARK if dark else NEUTRAL_LIGHT)
    table = _DARK if dark else _LIGHT
    if speaker_id <= len(table):
        return QColor(table[speaker_id - 1])
    # beyond the table: golden-ratio hues, darker on light bases, lighter on dark ones
    hue = (speaker_id * 0.618033988749895) % 1.0
    return QColor.fromHslF(hue, 0.55 if not dark else 0.6, 0.36 if not dark else 0.68)


def tint(color: QColor, base: QColor, amount: float) -> QColor:
    """``color`` mixed into ``base``: amount 0 gives base, 1 gives color."""
    return QColor(
        round(base.red() + (color.red() - base.red()) * amount),
        round(base.green() + (color.green() - base.green()) * amount),
        round(base.blue() + (color.blue() - base.blue()) * amount),
    )
