"""Importing question lists in the window: what was found is shown before it is saved as a bank."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QHeaderView, QLabel, QLineEdit,
                               QPlainTextEdit, QTableView, QVBoxLayout)

from mockinterviewer.errors import UserError


class ImportDialog(QDialog):
    imported = Signal(object)  # the Path of the bank written

    def __init__(self, runner, banks_dir: Path, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Import question list")
        self.resize(760, 560)
        self.runner = runner
        self.banks_dir = Path(banks_dir)
        self.result = None
        self.summary_label = QLabel("Reading…")
        self.summary_label.setWordWrap(True)
        self.preview_model = QStandardItemModel(0, 3, self)
        self.preview_model.setHorizontalHeaderLabels(["Question", "Difficulty", "Draft key points"])
        self.preview = QTableView()
        self.preview.setModel(self.preview_model)
        self.preview.setAccessibleName("Questions found")
        self.preview.verticalHeader().hide()
        self.preview.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        header = self.preview.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.problems_view = QPlainTextEdit()
        self.problems_view.setReadOnly(True)
        self.problems_view.setAccessibleName("Parts not imported")
        self.problems_view.setMaximumHeight(110)
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName("Bank title")
        self.replace_box = QCheckBox("Replace a bank of the same name")
        self.error_label = QLabel()
        self.error_label.setObjectName("warning")
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Save as bank")
        self.save_button.setEnabled(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Bank &title:", self.title_edit)
        form.addRow("", self.replace_box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.preview, 1)
        layout.addWidget(QLabel("Not imported:"))
        layout.addWidget(self.problems_view)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def import_files(self, files: list[Path]) -> None:
        from mockinterviewer.core.importer import import_files

        self.files = [Path(f) for f in files]
        self.title_edit.setText(self.files[0].stem.replace("_", " ").replace("-", " ").strip().capitalize())
        self.runner.submit(lambda: import_files(self.files), self._show, self._failed)

    def _show(self, result) -> None:
        self.result = result
        names = ", ".join(f.name for f in self.files)
        self.summary_label.setText(
            f"Found {len(result.questions)} question{'s' if len(result.questions) != 1 else ''} in {names}. "
            "Their key points are drafts made from the answers: review them in the bank file before relying on "
            "the scores.")
        self.preview_model.removeRows(0, self.preview_model.rowCount())
        for q in result.questions:
            row = [QStandardItem(q.text), QStandardItem(q.difficulty or "—"),
                   QStandardItem("; ".join(label for label, _ in q.key_points))]
            row[0].setToolTip(q.answer[:500])
            self.preview_model.appendRow(row)
        self.problems_view.setPlainText("\n".join(f"{p.file}:{p.line}: {p.message}" for p in result.problems)
                                        or "Nothing: every part of the file was imported.")
        self.save_button.setEnabled(bool(result.questions))
        if not result.questions:
            self.error_label.setText("No questions were found in that file.")

    def _failed(self, exc) -> None:
        if not isinstance(exc, (UserError, OSError)):
            raise exc
        self.summary_label.setText(f"The file could not be imported: {exc}")

    def target(self) -> Path:
        from mockinterviewer.core.importer import slug

        return self.banks_dir / f"{slug(self.title_edit.text()) or 'imported'}.yaml"

    def save(self) -> None:
        from mockinterviewer.core.importer import write_bank

        if self.result is None or not self.title_edit.text().strip():
            self.error_label.setText("Give the bank a title.")
            return
        target, title, force = self.target(), self.title_edit.text().strip(), self.replace_box.isChecked()
        self.save_button.setEnabled(False)

        def saved(path):
            self.imported.emit(path)
            self.accept()

        def failed(exc):
            self.save_button.setEnabled(True)
            if not isinstance(exc, (UserError, OSError)):
                raise exc
            self.error_label.setText(str(exc))

        self.runner.submit(lambda: write_bank(self.result, target, title=title, force=force),
                           saved, failed)
