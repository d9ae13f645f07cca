"""F1: every keyboard shortcut, read from the window's own actions, and how the window works."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QScrollArea,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

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
    "Each result says who and where (document, date, ¶); sort them by relevance, date or document. Click a "
    "result to read it with every word of the search marked; F3 and Shift+F3 go to the next and previous "
    "result. Choose a speaker in Filters (or “List all in Search” in their profile) with no words to list "
    "everything they said.",
    "By keyboard: Tab and Shift+Tab go round the panels; Alt+1 to Alt+8 go straight to one (documents, "
    "speakers, reader, search box, search results, bookmarks, statistics, unattributed quotes); Down or "
    "Enter in the search box goes to the results.",
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


# Keys that are not menu items: moving around the window, a result, a list.
NAVIGATION = (
    ("Next panel, or the next control in a panel", "Tab"),
    ("Previous panel, or the previous control", "Shift+Tab"),
    ("From the search box to the results", "Down or Enter"),
    ("From the first result back to the search box", "Up"),
    ("Open the result, speaker, document or row you are on", "Enter"),
    ("Move in a list or a table", "Up, Down, Page Up, Page Down, Home, End"),
    ("Next or previous cell of a table (Tab leaves the table)", "Ctrl+Tab, Ctrl+Shift+Tab"),
    ("Open a menu", "Alt+F, Alt+E, Alt+V, Alt+H"),
    ("Close a dialog or a menu", "Esc"),
)
# Keys a platform adds to some standard shortcuts (the X11 "Undo" key, F14): not worth listing.
_LISTED_NAMED_KEYS = {
    "Del",
    "Delete",
    "Esc",
    "Return",
    "Enter",
    "Space",
    "Tab",
    "Backspace",
    "Ins",
    "Home",
    "End",
    "PgUp",
    "PgDown",
    "Up",
    "Down",
    "Left",
    "Right",
}


def _shown(key: QKeySequence) -> bool:
    text = key.toString(QKeySequence.SequenceFormat.PortableText)
    if "+" in text.rstrip("+") or len(text) == 1:
        return True
    if text.startswith("F") and text[1:].isdigit():
        return int(text[1:]) <= 12
    return text in _LISTED_NAMED_KEYS


class HelpDialog(QDialog):
    """Every keyboard shortcut (the menus' ``actions``, the panels' own ``extra`` ones and the keys that
    move around), all in view, and a short guide."""

    def __init__(self, actions: list[QAction], parent: QWidget | None = None, extra: list[tuple[str, str]] = ()):
        super().__init__(parent)
        self.setObjectName("helpDialog")
        self.setWindowTitle("Archive Viewer help")
        self.setAccessibleName("Archive Viewer help")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("helpTabs")
        self.tabs.setAccessibleName("Help")
        self.shortcuts = QTreeWidget(self)
        self.shortcuts.setObjectName("shortcutsTable")
        self.shortcuts.setAccessibleName("Keyboard shortcuts")
        self.shortcuts.setHeaderLabels(["Action", "Shortcut"])
        self.shortcuts.header().setAccessibleName("Shortcut columns")
        self.shortcuts.setRootIsDecorated(False)
        self.shortcuts.setAlternatingRowColors(True)
        self.shortcuts.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.shortcuts.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        seen = set()
        rows: list[tuple[str, str]] = []
        for action in actions:
            keys = [k for k in action.shortcuts() if not k.isEmpty() and _shown(k)]
            if not keys:
                continue
            name = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(".…")
            shown = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
            if (name, shown) not in seen:
                seen.add((name, shown))
                rows.append((name, shown))
        rows += [r for r in extra if r not in rows]
        rows += list(NAVIGATION)
        for name, keys in rows:
            QTreeWidgetItem(self.shortcuts, [name, keys])
        self.shortcuts.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        guide = QWidget(self)
        guide_layout = QVBoxLayout(guide)
        for paragraph in GUIDE:
            guide_layout.addWidget(plain_label(paragraph, guide, wrap=True, accessible_name="Guide"))
        guide_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setObjectName("helpGuide")
        scroll.setAccessibleName("How the window works")
        scroll.setWidgetResizable(True)
        scroll.setWidget(guide)
        self.tabs.addTab(self.shortcuts, "Keyboard shortcuts")
        self.tabs.addTab(scroll, "How the window works")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self._fit()

    def _fit(self) -> None:
        """As tall as every shortcut needs, within the screen."""
        self.shortcuts.doItemsLayout()
        rows = self.shortcuts.topLevelItemCount()
        row = self.shortcuts.sizeHintForRow(0) if rows else self.fontMetrics().height()
        table = row * rows + self.shortcuts.header().sizeHint().height() + 2 * self.shortcuts.frameWidth() + 4
        screen = self.screen() or QGuiApplication.primaryScreen()
        room = screen.availableGeometry().height() - 140 if screen is not None else 800
        width = self.shortcuts.sizeHintForColumn(0) + self.shortcuts.sizeHintForColumn(1) + 80
        self.resize(max(560, min(width, 900)), max(360, min(table + 110, room)))

    def rows(self) -> list[tuple[str, str]]:
        """(action, shortcut) of every row, as shown."""
        return [
            (self.shortcuts.topLevelItem(i).text(0), self.shortcuts.topLevelItem(i).text(1))
            for i in range(self.shortcuts.topLevelItemCount())
        ]
