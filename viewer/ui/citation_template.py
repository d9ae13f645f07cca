"""The user's citation template, read and saved in one place for the whole window.

Every "Copy with citation" (the reader's, the bookmarks'), every export and Edit > Citation template… ask the
one ``CitationTemplate`` the app makes (``viewer.app``). The template is a file in the user's data folder, the
one the command line reads too (``viewer.core.citation.load_template``); a template earlier versions kept as a
setting moves there when it is read.
"""

from __future__ import annotations

from pathlib import Path

from viewer.core.citation import load_template, save_template, template_path
from viewer.core.files import ExportError
from viewer.ui import settings


class CitationTemplate:
    """The user's citation template in ``data_dir``. Read from the file every time, so an edit made with the
    command line while the app runs is used at the next copy."""

    def __init__(self, data_dir: str | Path):
        self.data_dir = Path(data_dir)

    def text(self) -> str:
        """The template; the default when there is none or it is not usable."""
        self._move_setting()
        return load_template(self.data_dir)

    def save(self, template: str) -> str | None:
        """Keep ``template``; returns why it is not usable or cannot be saved (then nothing changed), else None."""
        try:
            save_template(self.data_dir, template)
        except ValueError as e:
            return str(e)
        except ExportError as e:
            return e.message
        return None

    def _move_setting(self) -> None:
        """A template kept as a setting by an earlier version goes to the file (unless there is one already)."""
        old = settings.get_str(settings.CITATION_TEMPLATE)
        if not old:
            return
        try:
            if not template_path(self.data_dir).exists():
                save_template(self.data_dir, old)
            settings.remove(settings.CITATION_TEMPLATE)
        except (ValueError, ExportError):
            pass  # not usable, or not writable now: the file (or the default) is used
