"""Archive text is data, never markup: labels, tooltips and links that cannot be tricked.

``QLabel``, ``QMessageBox`` and tooltips guess rich text by default, so a title containing
``<img src=...>`` would load a file. Every piece of archive text the UI shows goes through here:
plain-text labels, tooltips escaped before our own tags, and links that open only ``http``/``https``
after the user confirms.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

SAFE_SCHEMES = ("http", "https")


def escape(text: str | None) -> str:
    """``text`` ready to put between our own HTML tags."""
    return html.escape(text or "", quote=True)


def plain_label(
    text: str = "",
    parent: QWidget | None = None,
    *,
    wrap: bool = False,
    selectable: bool = False,
    accessible_name: str | None = None,
    object_name: str | None = None,
) -> QLabel:
    """A QLabel that shows ``text`` literally, whatever it contains."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
    if accessible_name:
        label.setAccessibleName(accessible_name)
    if object_name:
        label.setObjectName(object_name)
    return label


def tooltip(*lines: str | None, bold_first: bool = False) -> str:
    """Rich tooltip text from plain lines: each escaped, empty ones left out. Wrapping in <p> makes
    Qt treat it as rich text, so escaped entities show as the characters they stand for."""
    parts = [escape(line) for line in lines if line]
    if not parts:
        return ""
    if bold_first:
        parts[0] = f"<b>{parts[0]}</b>"
    return "<p>" + "<br>".join(parts) + "</p>"


def tooltip_paragraphs(paragraphs: Iterable[str]) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs if p)


def is_safe_link(url: str | None) -> bool:
    """Only web links (http/https with a host) may be opened from archive text."""
    if not url:
        return False
    q = QUrl(url.strip(), QUrl.ParsingMode.StrictMode)
    return q.isValid() and q.scheme().lower() in SAFE_SCHEMES and bool(q.host())


def message_box(
    icon: QMessageBox.Icon, title: str, text: str, informative: str, buttons, parent: QWidget | None = None
) -> QMessageBox:
    """A QMessageBox whose text and informative text (archive text, file paths) are plain text."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText(informative)
    for label in box.findChildren(QLabel):
        if label.objectName() in ("qt_msgbox_label", "qt_msgbox_informativelabel"):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setOpenExternalLinks(False)
    return box


def open_link(parent: QWidget | None, url: str) -> bool:
    """Open a web link from the archive after the user confirms; refuse anything else.
    Returns True if the link was handed to the system browser."""
    if not is_safe_link(url):
        box = message_box(
            QMessageBox.Icon.Warning,
            "Link not opened",
            "This link is not a web address (http or https), so it is not opened.",
            url,
            QMessageBox.StandardButton.Ok,
            parent,
        )
        box.exec()
        return False
    box = message_box(
        QMessageBox.Icon.Question,
        "Open link in browser?",
        "Open this address in your web browser? It leaves the offline archive.",
        url.strip(),
        QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    if box.exec() != QMessageBox.StandardButton.Open:
        return False
    return QDesktopServices.openUrl(QUrl(url.strip(), QUrl.ParsingMode.StrictMode))


def action_text(text: str) -> str:
    """Archive or file text for a menu item or button: '&' is not a mnemonic, a tab is not a shortcut."""
    return (text or "").replace("&", "&&").replace("\t", " ").replace("\n", " ")


def count(n: int, singular: str, plural: str | None = None) -> str:
    """ "1 passage", "2,034 passages"."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"
