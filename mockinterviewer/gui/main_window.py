"""The main window: set-up, one page per question, and the summary, on a stack."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QStackedWidget

from mockinterviewer import __version__, paths
from mockinterviewer.core.bank import load_banks
from mockinterviewer.gui.controller import SessionController
from mockinterviewer.core.delivery import clock
from mockinterviewer.core.scoring import score_answer
from mockinterviewer.core.session import Mode
from mockinterviewer.gui.import_dialog import ImportDialog
from mockinterviewer.gui.recovery_banner import RecoveryBanner
from mockinterviewer.speech.audio import load_audio
from mockinterviewer.speech.incremental import transcribe_answer
from mockinterviewer.speech.recovery import repair_wav, save_result, unfinished
from mockinterviewer.gui.question_page import QuestionPage
from mockinterviewer.gui.setup_page import SetupPage
from mockinterviewer.gui.summary_page import SummaryPage


class MainWindow(QMainWindow):
    def __init__(self, controller: SessionController, bank_dirs=None, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle("Mock Interviewer")
        self.resize(900, 680)
        self.stack = QStackedWidget()
        self.setup_page = SetupPage()
        self.question_page = QuestionPage(controller)
        player = getattr(controller.speaker, "player", None)
        self.summary_page = SummaryPage(replay_device=getattr(player, "device", None))
        for page in (self.setup_page, self.question_page, self.summary_page):
            self.stack.addWidget(page)
        self.setCentralWidget(self.stack)

        self.setup_page.startRequested.connect(self.start_session)
        self.setup_page.limit_box.setValue(controller.recorder.max_seconds or 0)
        self.summary_page.againRequested.connect(lambda: self.stack.setCurrentWidget(self.setup_page))
        controller.finished.connect(self._finished)
        controller.modelReady.connect(lambda text: self.setup_page.set_model_status(f"Speech model ready: {text}."))
        controller.modelFailed.connect(self._model_failed)
        self._add_actions()

        self.bank_dirs = paths.bank_dirs() if bank_dirs is None else list(bank_dirs)
        self.user_banks_dir = paths.user_banks_dir() if bank_dirs is None else Path(self.bank_dirs[-1])
        self.reload_banks()
        controller.load_model()
        self.recovery = RecoveryBanner()
        self.setup_page.layout().insertWidget(0, self.recovery)
        self.recovery.scoreRequested.connect(self._score_recovered)
        self.recovery.discardRequested.connect(self._discard_recovered)
        recordings = controller.recordings_dir
        controller.io.submit(lambda: unfinished(recordings), lambda found: self.recovery.offer(found, self._describe))

    def _describe(self, recording: Path) -> str:
        question = self._question_of(recording)
        when = recording.parent.name.replace("_", " ").replace("-cli", "")
        return f"“{question.text if question else recording.stem}” recorded {when}"

    def _question_of(self, recording: Path):
        """Recordings are named NN-QUESTION-ID.wav."""
        qid = recording.stem.split("-", 1)[-1]
        return next((b.get(qid) for b in self.setup_page.banks if b.get(qid)), None)

    def _score_recovered(self, recording: Path) -> None:
        question = self._question_of(recording)
        if question is None:
            self.recovery.label.setText(f"The question of {recording.name} is in no bank that is loaded.")
            return
        self.recovery.score_button.setEnabled(False)
        self.recovery.label.setText("Scoring the recovered answer…")
        transcriber = self.controller.transcriber

        def work():
            seconds = repair_wav(recording)
            result = score_answer(question, transcribe_answer(transcriber, question, load_audio(recording)))
            save_result(recording, result.to_dict())
            return seconds, result

        def done(outcome):
            seconds, result = outcome
            self.recovered_result = result
            self.recovery.done_with_first(self._describe)
            self.setup_page.set_model_status(
                f"Recovered answer ({clock(seconds)}) to “{question.text}”: "
                f"{result.score} / 100, {result.explanation}")

        def failed(exc):
            self.recovery.label.setText(f"The recovered answer could not be scored: {exc}")
            self.recovery.discard_button.setEnabled(True)

        self.controller.model.submit(work, done, failed)

    def _discard_recovered(self, recording: Path) -> None:
        def work():
            save_result(recording, {"discarded": True})

        self.controller.io.submit(work, lambda _: self.recovery.done_with_first(self._describe))

    def reload_banks(self) -> None:
        dirs, cache = self.bank_dirs, paths.bank_cache_dir()
        self.controller.io.submit(lambda: load_banks(dirs, cache), lambda result: self.setup_page.set_banks(*result))

    def open_import(self, files=None) -> ImportDialog | None:
        """Import question lists: ask for files (unless given), preview, then save as a bank."""
        if files is None:
            chosen, _ = QFileDialog.getOpenFileNames(self, "Import question lists", str(Path.home()),
                                                     "Question lists (*.md *.markdown *.txt);;All files (*)")
            if not chosen:
                return None
            files = [Path(f) for f in chosen]
        dialog = ImportDialog(self.controller.io, self.user_banks_dir, self)
        dialog.imported.connect(lambda _path: self.reload_banks())
        dialog.import_files(files)
        dialog.open()
        return dialog

    def _add_actions(self) -> None:
        def action(text, shortcut, slot):
            act = QAction(text, self)
            act.setShortcut(QKeySequence(shortcut))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(slot)
            self.addAction(act)
            return act

        self.space_action = action("Start or stop the answer", Qt.Key.Key_Space, self._space)
        self.next_action = action("Next question", Qt.Key.Key_N, self._next)
        self.skip_action = action("Skip reading the question", Qt.Key.Key_Escape, self._skip_reading)
        self.repeat_action = action("Repeat the question", Qt.Key.Key_R, self._when_not_typing(self.controller.repeat_question))
        self.retry_action = action("Try again", Qt.Key.Key_T, self._when_not_typing(self.controller.retry))
        self.correct_action = action("Correct the transcript", Qt.Key.Key_E, self._when_not_typing(self.question_page.show_correction))
        self.submit_action = action("Submit the typed answer", "Ctrl+Return", self._submit_typed)
        self.quit_action = action("&Quit", QKeySequence.StandardKey.Quit, self.close)
        self.import_action = action("&Import question list…", "Ctrl+I", lambda: self.open_import())
        self.open_banks_action = QAction("Open my &banks folder", self)
        self.open_banks_action.triggered.connect(self._open_banks_folder)
        menu = self.menuBar().addMenu("&File")
        menu.addAction(self.import_action)
        menu.addAction(self.open_banks_action)
        menu.addSeparator()
        menu.addAction(self.quit_action)
        self.settings_action = action("&Settings…", QKeySequence.StandardKey.Preferences, self.open_settings)
        if self.settings_action.shortcut().isEmpty():  # Preferences has no key on some desktops
            self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        menu.insertAction(self.quit_action, self.settings_action)
        answer = self.menuBar().addMenu("&Answer")
        for act in (self.space_action, self.skip_action, self.repeat_action, self.retry_action,
                    self.correct_action, self.submit_action, self.next_action):
            answer.addAction(act)  # every action listed with its key
        help_menu = self.menuBar().addMenu("&Help")
        self.log_action = QAction("Open &log folder", self)
        self.log_action.triggered.connect(self._open_log_folder)
        help_menu.addAction(self.log_action)
        about = QAction("&About Mock Interviewer", self)
        about.triggered.connect(lambda: QMessageBox.about(self, "About Mock Interviewer", self.about_text()))
        help_menu.addAction(about)

    def _open_log_folder(self) -> None:
        from mockinterviewer.gui.app import open_log_folder

        open_log_folder()

    def open_settings(self):
        """The settings dialog; what it saves applies at once (or from the next question)."""
        from mockinterviewer.gui.settings_dialog import SettingsDialog
        from mockinterviewer.settings import Settings

        current = self.controller.settings or Settings()
        dialog = SettingsDialog(current, self.controller.io, self, speaker=self.controller.speaker)
        dialog.settingsChanged.connect(self._settings_changed)
        dialog.open()
        self.settings_dialog = dialog
        return dialog

    def _settings_changed(self, settings) -> None:
        self.controller.apply_settings(settings)
        if self.controller.state is None or self.stack.currentWidget() is self.setup_page:
            self.setup_page.limit_box.setValue(settings.max_answer_seconds or 0)

    def _open_banks_folder(self) -> None:
        self.user_banks_dir.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.user_banks_dir)))

    def _on_question_page(self) -> bool:
        return self.stack.currentWidget() is self.question_page

    def _space(self):
        if self._on_question_page():
            self.controller.primary_action()

    def _skip_reading(self):
        """Esc: skip the reading; in the text box, leave it so the single-key shortcuts work again."""
        if not self._on_question_page():
            return
        if self.question_page.typed_box.hasFocus():
            self.question_page.typed_box.clearFocus()
        else:
            self.controller.skip_speech()

    def _when_not_typing(self, slot):
        def run():
            if self._on_question_page() and not self.question_page.typed_box.hasFocus():
                slot()
        return run

    def _next(self):
        if self._on_question_page() and not self.question_page.typed_box.hasFocus():
            self.controller.next()

    def _submit_typed(self):
        """Ctrl+Enter: start the session on the set-up page; send the text box's answer or correction."""
        if self.stack.currentWidget() is self.setup_page and self.setup_page.start_button.isEnabled():
            self.setup_page.start_button.click()
        elif self._on_question_page() and self.question_page.typed_box.isVisible():
            self.question_page._submit_typed()

    def start_session(self, questions, mode=Mode.PRACTICE, seconds_per_answer: float | None = None) -> None:
        if seconds_per_answer is not None:
            self.controller.recorder.max_seconds = seconds_per_answer or None
        self.stack.setCurrentWidget(self.question_page)
        self.controller.begin(questions, mode)

    def _finished(self, summary) -> None:
        self.summary_page.show_summary(summary, self.controller.recordings)
        self.stack.setCurrentWidget(self.summary_page)

    def _model_failed(self, text: str) -> None:
        self.setup_page.set_model_status(f"The speech model is unavailable: {text} Typed answers still work.")

    def closeEvent(self, event):
        self.controller.shutdown()
        for view in (self.question_page.result_view, self.summary_page.result_view):
            if view.replay is not None:
                view.replay.release()
        super().closeEvent(event)

    def about_text(self) -> str:
        return (f"Mock Interviewer {__version__}\n\nPractise technical interviews out loud. Speech is "
                "transcribed on this computer; nothing is sent anywhere.")
