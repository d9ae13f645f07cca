"""F1: how the window works and every keyboard shortcut, read from the window's own actions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHeaderView, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
                               QWidget)

from viewer.ui.widgets.text import plain_label

GUIDE = (
    "The reader in the middle shows a document passage by passage. Each passage has a number (¶) for "
    "citation and, in the margin, the speaker it is attributed to, in that speaker's colour; click the name "
    "to see the speaker's profile. Narration, the report's own words, is set on a grey band. Direct quotes "
    "are tinted in the colour of whoever said them; someone else's words that a speaker relays are grey, "
    "italic and underlined with dashes. Hover over a quote to see who said it.",
    "Select text and right-click to copy it, or to copy it with a citation (speaker, role, event, date, ¶). "
    "Words outside a direct quote are cited as the report's paraphrase, never as the speaker's own words.",
    "Documents lists the discussion and the related reports by collection. Speakers lists everyone with "
    "their counts; select one to see their profile and their passages, and step through their passages "
    "with Previous and Next. Panels can be moved, closed and brought back from the View menu.",
    "Search (Ctrl+F) finds words in any spelling: case, diacritics, Cyrillic or Latin, typos of rare names. "
    "Click a result to read it with every hit marked; F3 and Shift+F3 go to the next and previous result.",
    "Ctrl+D bookmarks the selected words, the quote at the cursor or the search result you are on; a note, "
    "tags and a colour can go with it. Bookmarked words are marked in the reader in their colour; the "
    "Bookmarks panel lists them all, copies them with their citation and exports them (File > Export "
    "bookmarks…). Ctrl+Z takes a change back. Edit > Citation template… sets how every citation reads.",
    "When the text does not say surely who said a quote, the quote stays unattributed (grey, dotted) and its "
    "tooltip says who the text points to. You decide: Set speaker… (Ctrl+Shift+S, or right-click a quote or "
    "a passage) gives the words to a speaker, a new name, narration or unknown, with a note; the Unattributed "
    "quotes panel lists what needs a decision. Your corrections are kept in your data folder and followed by "
    "the speakers, search, statistics, citations and bookmarks; corrected words say so.",
    "Statistics counts who spoke how much, who and what is mentioned, the terms used and the figures the "
    "text states; click a bar or a row to read the passages. File > Import… (Ctrl+I), File > Import a folder… "
    "(Ctrl+Shift+I), or dropping files or folders on the window, adds reports, transcripts and saved web pages "
    "(.txt, .md, .html, .mhtml, .docx, .pdf; a PDF keeps its page numbers for citations). The archive that comes "
    "with the app is never changed: the first import makes your own copy of it in your data folder, opened from "
    "then on.",
)


class HelpDialog(QDialog):
    """A short guide and the table of shortcuts of ``actions``."""

    def __init__(self, actions: list[QAction], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("helpDialog")
        self.setWindowTitle("Archive Viewer help")
        self.setAccessibleName("Archive Viewer help")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        for paragraph in GUIDE:
            layout.addWidget(plain_label(paragraph, self, wrap=True, accessible_name="Guide"))
        self.shortcuts = QTreeWidget(self)
        self.shortcuts.setObjectName("shortcutsTable")
        self.shortcuts.setAccessibleName("Keyboard shortcuts")
        self.shortcuts.setHeaderLabels(["Action", "Shortcut"])
        self.shortcuts.setRootIsDecorated(False)
        self.shortcuts.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        seen = set()
        for action in actions:
            keys = action.shortcuts()
            if not keys:
                continue
            name = action.text().replace("&", "").rstrip(".…")
            shown = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
            if (name, shown) in seen:
                continue
            seen.add((name, shown))
            QTreeWidgetItem(self.shortcuts, [name, shown])
        layout.addWidget(self.shortcuts, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        layout.addWidget(buttons)
        self.resize(560, 560)
