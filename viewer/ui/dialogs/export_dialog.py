"""Export dialog: which format, which bookmarks (selected, shown by the filter, all), which file, and
the citation template used for plain text and the clipboard."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from viewer.core.citation import FIELDS, check_template
from viewer.core.export import EXTENSIONS, FORMAT_LABELS, FORMATS, suggested_filename

SELECTED, FILTERED, ALL = "selected", "filtered", "all"


@dataclass(frozen=True)
class ExportChoice:
    fmt: str
    scope: str
    path: Path
    template: str


class ExportDialog(QDialog):
    """Asks how to export; ``choice()`` after ``exec()`` returns Accepted."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        selected: int,
        filtered: int,
        total: int,
        folder: Path,
        name: str = "bookmarks",
        fmt: str = "csv",
        template: str = "",
    ):
        super().__init__(parent)
        self.setWindowTitle("Export bookmarks")
        self.setMinimumWidth(480)
        self._name = name

        self.format = QComboBox()
        self.format.setAccessibleName("Format")
        for f in FORMATS:
            self.format.addItem(FORMAT_LABELS[f], f)
        self.format.setCurrentIndex(max(0, self.format.findData(fmt)))

        self.scope_selected = QRadioButton(f"Selected bookmarks ({selected})")
        self.scope_filtered = QRadioButton(f"Bookmarks shown by the filter ({filtered})")
        self.scope_all = QRadioButton(f"All bookmarks ({total})")
        self.scope_selected.setEnabled(selected > 0)
        self.scope_filtered.setEnabled(filtered > 0)
        self.scope_all.setEnabled(total > 0)
        self._scopes = QButtonGroup(self)
        for button in (self.scope_selected, self.scope_filtered, self.scope_all):
            self._scopes.addButton(button)
        (self.scope_selected if selected > 1 else self.scope_filtered if filtered else self.scope_all).setChecked(True)

        self.path = QLineEdit(str(Path(folder) / suggested_filename(name, self.fmt)))
        self.path.setAccessibleName("File to write")
        choose = QPushButton("Choose…")
        choose.clicked.connect(self._on_choose_clicked)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(choose)

        self.template = QLineEdit(template)
        self.template.setAccessibleName("Citation template")
        self.template.setToolTip("Fields: " + " ".join("{" + f + "}" for f in FIELDS))
        self.template_problem = QLabel()
        self.template_problem.setTextFormat(Qt.TextFormat.PlainText)
        self.template_problem.setStyleSheet("color: #b3261e")

        form = QFormLayout()
        form.addRow("Format", self.format)
        scope_box = QVBoxLayout()
        for button in (self.scope_selected, self.scope_filtered, self.scope_all):
            scope_box.addWidget(button)
        form.addRow("Bookmarks", scope_box)
        form.addRow("File", path_row)
        form.addRow("Citation", self.template)
        form.addRow("", self.template_problem)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self.format.currentIndexChanged.connect(self._on_format_changed)
        self.path.textChanged.connect(self._on_input_changed)
        self.template.textChanged.connect(self._on_input_changed)
        self._on_input_changed()

    @property
    def fmt(self) -> str:
        return self.format.currentData()

    def scope(self) -> str:
        if self.scope_selected.isChecked():
            return SELECTED
        if self.scope_filtered.isChecked():
            return FILTERED
        return ALL

    def choice(self) -> ExportChoice:
        return ExportChoice(self.fmt, self.scope(), Path(self.path.text().strip()).expanduser(), self.template.text())

    @Slot(int)
    def _on_format_changed(self, _index: int) -> None:
        text = self.path.text().strip()
        if text:
            p = Path(text)
            if p.suffix.lower() in EXTENSIONS.values():
                self.path.setText(str(p.with_suffix(EXTENSIONS[self.fmt])))

    @Slot()
    def _on_input_changed(self) -> None:
        problem = check_template(self.template.text()) if self.template.text() else "the template is empty"
        self.template_problem.setText(problem or "")
        ok = (
            bool(self.path.text().strip())
            and problem is None
            and (self.scope_selected.isEnabled() or self.scope_filtered.isEnabled() or self.scope_all.isEnabled())
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    @Slot()
    def _on_choose_clicked(self) -> None:
        current = self.path.text().strip() or suggested_filename(self._name, self.fmt)
        path, _ = QFileDialog.getSaveFileName(
            self, "Export bookmarks", current, f"{FORMAT_LABELS[self.fmt]} (*{EXTENSIONS[self.fmt]})"
        )
        if path:
            if not Path(path).suffix:
                path += EXTENSIONS[self.fmt]
            self.path.setText(path)
