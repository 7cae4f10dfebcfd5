"""Export a session's report, and move the whole history to or from an archive, off the GUI thread.

Each function asks for a file (unless the caller already has one), does the work on the runner's
thread and tells the user in one sentence where the result is, or what went wrong.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from mockinterviewer.errors import UserError

# The report and archive modules (Jinja2, the store) are imported when used, not at start-up.
REPORT_FILTERS = {"html": "Web page (*.html)", "pdf": "PDF (*.pdf)", "md": "Markdown (*.md)",
                  "json": "JSON (*.json)", "csv": "Spreadsheet, one row per answer (*.csv)"}


def tell(parent: QWidget, title: str, text: str, ok: bool, opens: dict | None = None) -> QMessageBox:
    """One sentence in a box; ``opens`` maps a button's text to a file or folder it opens (with the
    desktop's own program for it, through QDesktopServices)."""
    box = QMessageBox(QMessageBox.Icon.Information if ok else QMessageBox.Icon.Warning, title, text, parent=parent)
    box.open_buttons = {}
    for label, target in (opens or {}).items():
        button = box.addButton(label, QMessageBox.ButtonRole.ActionRole)
        url = QUrl.fromLocalFile(str(target))
        button.setToolTip(str(target))
        button.clicked.connect(lambda _=False, url=url: QDesktopServices.openUrl(url))
        box.open_buttons[label] = url
    if opens:
        box.addButton(QMessageBox.StandardButton.Close)
    box.open()  # not exec(): the window keeps running
    return box


def export_report(parent: QWidget, runner, history, session_id: int, path: Path | None = None, done=None) -> None:
    from mockinterviewer.reports.render import FORMATS, format_for

    if path is None:
        chosen, selected = QFileDialog.getSaveFileName(parent, "Export the session's report",
                                                       str(Path.home() / f"mock-interview-{session_id}.html"),
                                                       ";;".join(REPORT_FILTERS.values()))
        if not chosen:
            return
        path = Path(chosen)
        fmt = format_for(path) or next(f for f, label in REPORT_FILTERS.items() if label == selected)
        if format_for(path) is None:
            path = path.with_suffix(FORMATS[fmt])
    fmt = format_for(path)
    if fmt is None:
        tell(parent, "Export", f"{path.name} has no report format's ending: use one of "
                                f"{', '.join(FORMATS.values())}.", False)
        return
    from mockinterviewer.reports.render import write_report

    def finished(written):
        parent.last_message = tell(parent, "Export", f"The report is saved as {written}.", True,
                                   {"Open the report": written, "Show its folder": Path(written).parent})
        if done:
            done(written)

    runner.submit(lambda: write_report(history, session_id, fmt, path, embed_audio=fmt == "html"), finished,
                  lambda exc: report_failure(parent, "Export", exc))


def export_archive(parent: QWidget, runner, history, path: Path | None = None, done=None) -> None:
    if path is None:
        chosen, _ = QFileDialog.getSaveFileName(parent, "Export the whole history",
                                                str(Path.home() / "mock-interviewer-history.zip"), "Archive (*.zip)")
        if not chosen:
            return
        path = Path(chosen)
    from mockinterviewer.store.archive import export_history

    def finished(_manifest):
        parent.last_message = tell(parent, "Export", f"The history and its recordings are saved in {path}; "
                                                      "import it on another computer from File › Import history.", True,
                                   {"Show its folder": Path(path).parent})
        if done:
            done(path)

    runner.submit(lambda: export_history(history, path), finished, lambda exc: report_failure(parent, "Export", exc))


def import_archive(parent: QWidget, runner, history, path: Path | None = None, done=None) -> None:
    if path is None:
        chosen, _ = QFileDialog.getOpenFileName(parent, "Import a history archive", str(Path.home()),
                                                "Archive (*.zip)")
        if not chosen:
            return
        path = Path(chosen)
    from mockinterviewer.store.archive import import_history

    def finished(report):
        parent.last_message = tell(parent, "Import", report.summary(), True)
        if done:
            done(report)

    runner.submit(lambda: import_history(history, path), finished, lambda exc: report_failure(parent, "Import", exc))


def report_failure(parent, title, exc) -> None:
    if not isinstance(exc, (UserError, OSError)):
        raise exc
    parent.last_message = tell(parent, title, str(exc), False)
