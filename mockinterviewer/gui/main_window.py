"""The main window: set-up, one page per question, and the summary, on a stack."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QTimer, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QStackedWidget

from mockinterviewer import __version__, paths
from mockinterviewer.core.bank import load_banks
from mockinterviewer.gui.session.controller import SessionController
from mockinterviewer.core.delivery import clock
from mockinterviewer.core.scoring import score_answer
from mockinterviewer.core.progress import comparison_line
from mockinterviewer.core.session import Mode, State
from mockinterviewer.gui.error_dialog import show_unexpected_error
from mockinterviewer.gui.history.banner import HistoryBanner
from mockinterviewer.gui.history import exports
from mockinterviewer.gui.tasks import TaskRunner
from mockinterviewer.gui.history.keeper import HistoryKeeper
from mockinterviewer.gui.history.page import HistoryPage
from mockinterviewer.gui.session.import_dialog import ImportDialog
from mockinterviewer.gui.session.recovery_banner import RecoveryBanner
from mockinterviewer.speech.audio import load_audio
from mockinterviewer.speech.incremental import transcribe_answer
from mockinterviewer.speech.recovery import repair_wav, save_result, unfinished
from mockinterviewer.gui.session.question_page import QuestionPage
from mockinterviewer.gui.session.setup_page import SetupPage
from mockinterviewer.gui.session.setup_choices import load_choices, save_choices
from mockinterviewer.gui.session.summary_page import SummaryPage


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
        # Exports, imports, the history page's reads and the settings dialog's downloads can take a
        # while; on their own threads, they never hold up the question being read aloud.
        self.background = TaskRunner(2, self, show_unexpected_error)
        self.history_page = HistoryPage(self.background, replay_device=getattr(player, "device", None))
        for page in (self.setup_page, self.question_page, self.summary_page, self.history_page):
            self.stack.addWidget(page)
        self.last_message = None  # the latest information box, for tests and accessibility
        self.setCentralWidget(self.stack)

        self.setup_page.startRequested.connect(self.start_session)
        self.setup_page.limit_box.setValue(controller.recorder.max_seconds or 0)
        # The set-up offers what was chosen last time; a stored choice that cannot be used is said
        # at start with the settings' own (gui/app.py).
        chosen, self.startup_problems = load_choices()
        self.setup_page.apply_choices(chosen)
        self.setup_page.choicesMade.connect(save_choices)
        self.summary_page.againRequested.connect(lambda: self.stack.setCurrentWidget(self.setup_page))
        controller.finished.connect(self._finished)
        controller.modelReady.connect(lambda text: self.setup_page.set_model_status(f"Speech model ready: {text}."))
        controller.modelFailed.connect(self._model_failed)
        self._add_actions()

        self.bank_dirs = paths.bank_dirs() if bank_dirs is None else list(bank_dirs)
        self.user_banks_dir = paths.user_banks_dir() if bank_dirs is None else Path(self.bank_dirs[-1])
        self.recovery = RecoveryBanner()
        self.setup_page.layout().insertWidget(0, self.recovery)
        self.recovery.scoreRequested.connect(self._score_recovered)
        self.recovery.discardRequested.connect(self._discard_recovered)
        self._connect_history()
        self.reload_banks(then=self._offer_unscored)  # unscored answers are named by their questions
        controller.load_model()

    # --- the history -------------------------------------------------------------------------
    def _connect_history(self) -> None:
        # The history lives in the data folder, the recordings folder's parent.
        self.history = HistoryKeeper(self.controller.recordings_dir.parent, self, show_unexpected_error)
        self.history_banner = HistoryBanner()
        self.setup_page.layout().insertWidget(1, self.history_banner)
        self.history_banner.rebuildRequested.connect(self._rebuild_history)
        self.history.unavailable.connect(self.history_banner.show_problem)
        self.history.saveFailed.connect(self.question_page.show_message)
        self.history.reviewReady.connect(self.setup_page.set_review)
        self.history.earlierAttempts.connect(self._show_earlier)
        self.history.saved.connect(lambda attempt: self.history.earlier(attempt.question_id))
        self.controller.attemptSaved.connect(self._save_attempt)
        self.controller.secondOpinion.connect(self.history.save_second_opinion)
        self.controller.questionShown.connect(lambda _q, number, _total: number > 1 and self.history.compress())
        self.history.opened.connect(self.history_page.set_history)
        self.setup_page.history_button.clicked.connect(self.show_history)
        self.history_page.backRequested.connect(self._history_back)
        self.history_page.practiseRequested.connect(self._practise_ids)
        self.history_page.exportRequested.connect(lambda sid: self.export_report(sid))
        self.history.open()

    def _in_session(self) -> bool:
        return self.controller.state not in (None, State.READY, State.FINISHED)

    def show_history(self) -> None:
        """Ctrl+H, also during a session (Back returns to the question); not while an answer is recorded."""
        if self.controller.recording:
            self.question_page.show_message("Stop your answer first (Space), then open the history (Ctrl+H).")
            return
        if self.controller.state is State.SPEAKING:
            self.controller.skip_speech(record=False)  # the reading stops; the question waits on its page
        self.history_page.back_button.setText("&Back to the question" if self._in_session() else "&Back to practice")
        self.stack.setCurrentWidget(self.history_page)

    def _history_back(self) -> None:
        if self._in_session():
            self.stack.setCurrentWidget(self.question_page)
        elif self.summary_page.summary is not None and not self.summary_page.seen:
            self.stack.setCurrentWidget(self.summary_page)  # the session ended while the history was open
        else:
            self.stack.setCurrentWidget(self.setup_page)

    def _practise_ids(self, ids: list) -> None:
        if self._in_session():
            self.history_page.status_label.setText(
                "A session is under way: end it first (Ctrl+D on its page), then practise these.")
            return
        by_id = {q.id: q for b in self.setup_page.banks for q in b.questions}
        questions = [by_id[i] for i in ids if i in by_id]
        if questions:
            self.start_session(questions, self.setup_page.mode_box.currentData(), self.setup_page.limit_box.value())

    def export_report(self, session_id: int, path: Path | None = None, done=None) -> None:
        if self.history.history is not None:
            exports.export_report(self, self.background, self.history.history, session_id, path, done)

    def export_last_report(self) -> None:
        history = self.history.history
        if history is None:
            exports.tell(self, "Export", "The history is not available, so there is no report to export.", False)
            return
        self.background.submit(history.last_session,
                               lambda last: self.export_report(last.id) if last else exports.tell(
                                   self, "Export", "There is no session to report on yet.", False),
                               lambda exc: exports.report_failure(self, "Export", exc))

    def export_archive(self, path: Path | None = None, done=None) -> None:
        if self.history.history is not None:
            exports.export_archive(self, self.background, self.history.history, path, done)

    def import_archive(self, path: Path | None = None, done=None) -> None:
        def imported(report):
            self.history.refresh_review()
            self.history_page.refresh()
            if done:
                done(report)
        if self.history.history is not None:
            exports.import_archive(self, self.background, self.history.history, path, imported)

    def _save_attempt(self, saved) -> None:
        result, recording, corrected = saved
        question = self.controller.session.current
        bank = next((b.id for b in self.setup_page.banks if b.get(question.id) is question), "")
        if corrected == "turns":  # the answer's follow-ups: the stored answer becomes the whole exchange
            self.history.save_turns(question, result, recording, bank)
        else:
            self.history.save(question, result, recording, corrected, bank)

    def _show_earlier(self, question_id: str, attempts: list) -> None:
        session = self.controller.session
        if session is None or session.current.id != question_id or self.controller.mode is Mode.MOCK:
            return
        if not attempts or self.controller.state is not State.SCORED:
            return
        *earlier, latest = attempts
        self.question_page.result_view.set_comparison(
            comparison_line([(a.attempted_at, a.score) for a in earlier], latest.score))

    def _rebuild_history(self) -> None:
        self.history_banner.show_working("Rebuilding the history from the saved answers…")
        self.history.rebuild(self.setup_page.banks, self.history_banner.show_done)

    def _describe(self, recording: Path) -> str:
        question = self._question_of(recording)
        when = recording.parent.name.replace("_", " ").replace("-cli", "")
        return f"“{question.text if question else recording.stem}” recorded {when}"

    def _question_of(self, recording: Path):
        """Recordings are named NN-QUESTION-ID.wav (NN-QUESTION-ID-aK.wav for attempt K)."""
        qid = re.sub(r"-a\d+$", "", recording.stem.split("-", 1)[-1])
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
            bank = next((b.id for b in self.setup_page.banks if b.get(question.id) is question), "")
            self.history.save_recovered(question, result, recording, bank)
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

        self.controller.io.submit(work, lambda _: self.recovery.done_with_first(self._describe),
                                  lambda exc: self.recovery.label.setText(f"The answer could not be discarded: {exc}"))

    def reload_banks(self, then=None) -> None:
        dirs, cache = self.bank_dirs, paths.bank_cache_dir()

        def loaded(result):
            self.setup_page.set_banks(*result)
            if then:
                then()
        def failed(exc):  # on the banks' own line, where the model's status cannot replace it
            self.setup_page.set_banks([], [])
            self.setup_page.broken_label.setText(f"The question banks could not be read: {exc}")
        self.controller.io.submit(lambda: load_banks(dirs, cache), loaded, failed)

    def _offer_unscored(self) -> None:
        recordings = self.controller.recordings_dir
        self.controller.io.submit(lambda: unfinished(recordings), lambda found: self.recovery.offer(found, self._describe),
                                  lambda exc: None)  # an unreadable folder: nothing to offer

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
        self.end_action = action("End the session", "Ctrl+D", self._end_session)
        self.skip_action = action("Skip reading the question", Qt.Key.Key_Escape, self._skip_reading)
        self.repeat_action = action("Repeat the question", Qt.Key.Key_R, self._when_not_typing(self.controller.repeat_question))
        self.retry_action = action("Try again", Qt.Key.Key_T, self._when_not_typing(self.controller.retry))
        self.correct_action = action("Correct the transcript", Qt.Key.Key_E, self._when_not_typing(self.question_page.show_correction))
        self.follow_up_action = action("Ask me a follow-up", Qt.Key.Key_F,
                                       self._when_not_typing(self.controller.ask_follow_up))
        self.submit_action = action("Submit the typed answer", "Ctrl+Return", self._submit_typed)
        self.quit_action = action("&Quit", QKeySequence.StandardKey.Quit, self.close)
        self.import_action = action("&Import question list…", "Ctrl+I", lambda: self.open_import())
        self.open_banks_action = QAction("Open my &banks folder", self)
        self.open_banks_action.triggered.connect(self._open_banks_folder)
        self.history_action = action("&History", "Ctrl+H", self.show_history)
        self.export_action = action("&Export the last session's report…", "Ctrl+E", self.export_last_report)
        self.export_archive_action = QAction("Export the whole history…", self)
        self.export_archive_action.triggered.connect(lambda: self.export_archive())
        self.import_archive_action = QAction("Import a history archive…", self)
        self.import_archive_action.triggered.connect(lambda: self.import_archive())
        menu = self.menuBar().addMenu("&File")
        menu.addAction(self.import_action)
        menu.addAction(self.open_banks_action)
        menu.addSeparator()
        for act in (self.history_action, self.export_action, self.export_archive_action, self.import_archive_action):
            menu.addAction(act)
        menu.addSeparator()
        menu.addAction(self.quit_action)
        self.settings_action = action("&Settings…", QKeySequence.StandardKey.Preferences, self.open_settings)
        if self.settings_action.shortcut().isEmpty():  # Preferences has no key on some desktops
            self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        menu.insertAction(self.quit_action, self.settings_action)
        answer = self.menuBar().addMenu("&Answer")
        for act in (self.space_action, self.skip_action, self.repeat_action, self.retry_action,
                    self.correct_action, self.follow_up_action, self.submit_action, self.next_action,
                    self.end_action):
            answer.addAction(act)  # every action listed with its key
        # The single keys belong to the question page; elsewhere Space ticks a bank or presses a
        # button and letters search a table, so the actions are off there.
        self.question_actions = (self.space_action, self.next_action, self.skip_action, self.repeat_action,
                                 self.retry_action, self.correct_action, self.follow_up_action, self.end_action)
        self.stack.currentChanged.connect(self._page_changed)
        self._page_changed()
        help_menu = self.menuBar().addMenu("&Help")
        self.log_action = QAction("Open &log folder", self)
        self.log_action.triggered.connect(self._open_log_folder)
        help_menu.addAction(self.log_action)
        about = QAction("&About Mock Interviewer", self)
        about.triggered.connect(lambda: QMessageBox.about(self, "About Mock Interviewer", self.about_text()))
        help_menu.addAction(about)

    def _page_changed(self, *_):
        on_question = self._on_question_page()
        for act in self.question_actions:
            act.setEnabled(on_question)

    def _open_log_folder(self) -> None:
        from mockinterviewer.gui.error_dialog import open_log_folder

        open_log_folder()

    def open_settings(self):
        """The settings dialog; what it saves applies at once (or from the next question)."""
        from mockinterviewer.gui.settings.dialog import SettingsDialog
        from mockinterviewer.settings import Settings

        current = self.controller.settings or Settings()
        dialog = SettingsDialog(current, self.background, self, speaker=self.controller.speaker)
        dialog.settingsChanged.connect(self._settings_changed)
        dialog.open()
        self.settings_dialog = dialog
        return dialog

    def _settings_changed(self, settings) -> None:
        self.controller.apply_settings(settings)
        for view in (self.question_page.result_view, self.summary_page.result_view, self.history_page.result_view):
            if view.replay is not None:
                view.replay.player.device = settings.output_device  # used when it next opens the speaker
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

    def _end_session(self):
        if self._on_question_page():
            self.controller.end_session()

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
        mode = Mode(mode)
        banks = sorted({b.id for b in self.setup_page.banks for q in questions if b.get(q.id) is q})
        self.controller.begin(questions, mode, on_started=lambda folder: self.history.begin(
            mode.value, banks, getattr(self.controller.transcriber, "model_label", ""), folder),
            follow_ups=self.setup_page.follow_ups_box.value())

    def _finished(self, summary) -> None:
        def show(stored):
            # Stored answers are FLAC by now; without a history they are where they were recorded.
            self.summary_page.show_summary(summary, self.controller.recordings if stored is None else stored,
                                           None if stored is None else self.history.turn_recordings)
            self.summary_page.seen = False
            if self.stack.currentWidget() is self.question_page:  # not over the History page if opened meanwhile
                self.stack.setCurrentWidget(self.summary_page)
        self.history.finish(then=show)

    def _model_failed(self, text: str) -> None:
        self.setup_page.set_model_status(f"The speech model is unavailable: {text} Typed answers still work.")

    def closeEvent(self, event):
        if self.controller.state is State.TRANSCRIBING and not getattr(self, "_closing", False):
            # The answer is nearly scored: close once it is saved, rather than lose it.
            self._closing = True
            event.ignore()
            self.question_page.show_message("Saving your answer first; the window closes in a moment.")
            self.controller.attemptSaved.connect(lambda _s: QTimer.singleShot(0, self.close))
            self.controller.problem.connect(lambda _t: QTimer.singleShot(0, self.close))
            return
        self.controller.shutdown()
        self.history.close()
        for view in (self.question_page.result_view, self.summary_page.result_view, self.history_page.result_view):
            if view.replay is not None:
                view.replay.release()
        super().closeEvent(event)

    @property
    def runners(self) -> tuple:
        """Every runner that works in the background for this window."""
        c = self.controller
        replays = tuple(view.replay.runner for view in (self.question_page.result_view, self.summary_page.result_view,
                                                        self.history_page.result_view) if view.replay is not None)
        return (c.io, c.mic, c.model, self.background, self.history.runner, self.history_page.runner) + replays

    def wait_for_background(self, msecs: int = 30_000) -> bool:
        """After the window has closed: let the work still running finish (a decode that is cut off
        by the process exiting crashes it). Blocks; call only once the window is gone."""
        from PySide6.QtCore import QCoreApplication, QDeadlineTimer

        deadline = QDeadlineTimer(msecs)
        while True:
            for runner in self.runners:
                if not runner.wait(max(0, deadline.remainingTime())):
                    return False
            QCoreApplication.processEvents()  # their callbacks, which may hand on more work
            if not any(runner.busy for runner in self.runners):
                return True
            if deadline.hasExpired():
                return False

    def about_text(self) -> str:
        return (f"Mock Interviewer {__version__}\n\nPractise technical interviews out loud. Speech is "
                "transcribed on this computer; nothing is sent anywhere.")
