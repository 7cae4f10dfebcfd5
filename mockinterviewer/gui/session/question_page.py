"""The page for one question: the question, what is happening now, the live meter, the feedback."""

from __future__ import annotations

import html
import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPlainTextEdit, QProgressBar, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)

from mockinterviewer.core.delivery import clock
from mockinterviewer.core.session import Mode, State
from mockinterviewer.gui.session.result_view import ResultView, opinion_html

STATE_TEXT = {
    State.SPEAKING: "Reading the question aloud…",
    State.LISTENING: "Your turn",
    State.TRANSCRIBING: "Transcribing your answer…",
    State.SCORED: "Scored",
}


def level_percent(peak: float) -> int:
    """A peak (0..1) on a dB scale from -60 dBFS (0 %) to 0 dBFS (100 %), as meters show it."""
    if peak <= 1e-6:
        return 0
    return max(0, min(100, round(100 * (1 + 20 * math.log10(peak) / 60))))


class QuestionPage(QWidget):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.progress_label = QLabel()
        self.progress_label.setObjectName("progress")
        self.question_label = QLabel()
        self.question_label.setObjectName("question")
        self.question_label.setWordWrap(True)
        self.question_label.setAccessibleName("Question")
        # Bank text (a question, a follow-up) is shown as written, never read as markup.
        for label in (self.progress_label, self.question_label):
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.state_label = QLabel()
        self.state_label.setObjectName("state")
        self.state_label.setAccessibleName("State")

        self.level_bar = QProgressBar()
        self.level_bar.setRange(0, 100)
        self.level_bar.setTextVisible(False)
        self.level_bar.setAccessibleName("Microphone level")
        self.level_bar.setMaximumHeight(10)
        self.elapsed_label = QLabel("0:00")
        self.elapsed_label.setAccessibleName("Time recorded")
        meter = QHBoxLayout()
        meter.addWidget(self.level_bar, 1)
        meter.addWidget(self.elapsed_label)

        self.live_label = QLabel()
        self.live_label.setWordWrap(True)
        self.live_label.setObjectName("live")
        self.live_label.setAccessibleName("Transcript so far")
        self.live_label.hide()

        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setObjectName("message")
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)  # a server's error text is shown as written
        self.message_label.hide()
        self._message = ""       # about this attempt: goes when the next one starts
        self._model_notice = ""  # the language model is off: stays for the rest of the session

        # One box for two jobs: typing an answer instead of speaking it, and correcting what
        # Whisper heard once the answer is transcribed (a misheard word should not cost points).
        self.typed_box = QPlainTextEdit()
        self.typed_box.setPlaceholderText("Type your answer here, then press Ctrl+Enter.")
        self.typed_box.setAccessibleName("Typed answer")
        # Five lines: room to type or fix a transcript, while the score stays in view at 1024×640.
        self.typed_box.setMaximumHeight(self.typed_box.fontMetrics().lineSpacing() * 5 + 12)
        self.submit_typed_button = QPushButton("Submit typed answer (Ctrl+Enter)")
        self.submit_typed_button.clicked.connect(self._submit_typed)
        self.correcting = False
        self.typed_box.hide()
        self.submit_typed_button.hide()

        player = getattr(controller.speaker, "player", None)
        self.result_view = ResultView(replay_device=getattr(player, "device", None))
        self.feedback_scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.result_view)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.action_button = QPushButton()
        self.action_button.clicked.connect(controller.primary_action)
        self.type_button = QPushButton("&Type instead")
        self.type_button.clicked.connect(self.show_typing)
        self.next_button = QPushButton("&Next (N)")
        self.next_button.clicked.connect(controller.next)
        self.repeat_button = QPushButton("Repeat question (R)")
        self.repeat_button.clicked.connect(controller.repeat_question)
        self.retry_button = QPushButton("Try again (T)")
        self.retry_button.clicked.connect(controller.retry)
        self.correct_button = QPushButton("Correct transcript (E)")
        self.correct_button.clicked.connect(self.show_correction)
        self.follow_up_button = QPushButton("Follow-up (F)")
        self.follow_up_button.setToolTip("The interviewer asks back about what your answer missed or got wrong.")
        self.follow_up_button.clicked.connect(controller.ask_follow_up)
        self.end_button = QPushButton("End session (Ctrl+D)")
        self.end_button.setToolTip("Stop here: the summary shows what you answered so far.")
        self.end_button.clicked.connect(controller.end_session)
        for button in (self.action_button, self.type_button, self.next_button, self.repeat_button,
                       self.retry_button, self.correct_button, self.follow_up_button, self.end_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space belongs to the window's shortcut
        buttons = QHBoxLayout()
        buttons.addWidget(self.action_button)
        buttons.addWidget(self.repeat_button)
        buttons.addWidget(self.type_button)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.correct_button)
        buttons.addWidget(self.follow_up_button)
        buttons.addStretch(1)
        buttons.addWidget(self.end_button)
        buttons.addWidget(self.next_button)
        self.mock_label = QLabel()
        self.mock_label.setWordWrap(True)
        self.mock_label.setAccessibleName("Answer saved")
        self.mock_label.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.question_label)
        layout.addWidget(self.state_label)
        layout.addLayout(meter)
        layout.addWidget(self.live_label)
        layout.addWidget(self.message_label)
        layout.addWidget(self.typed_box)
        layout.addWidget(self.submit_typed_button, alignment=Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.mock_label)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

        controller.questionShown.connect(self.show_question)
        controller.followUpShown.connect(self.show_follow_up)
        controller.stateChanged.connect(self.show_state)
        controller.levelChanged.connect(self.show_level)
        controller.recordingChanged.connect(lambda _: self.show_state(controller.state))
        controller.scored.connect(self._scored)
        controller.secondOpinionAsked.connect(self._opinion_asked)
        controller.secondOpinion.connect(self._second_opinion)
        controller.secondOpinionFailed.connect(self._opinion_failed)  # a method: let go of when the page goes
        controller.partialTranscript.connect(self._partial)
        controller.problem.connect(self.show_message)
        controller.notice.connect(self.show_message)
        controller.attemptStarted.connect(self._hide_message)  # a notice belongs to one attempt
        controller.modelNotice.connect(self._show_model_notice)
        controller.followUpPhrasing.connect(self._follow_up_phrasing)
        controller.typingOffered.connect(self._typing_offered)

    def show_question(self, question, number: int, total: int) -> None:
        if number == 1:  # a new session: the last one's language model notice no longer applies
            self._model_notice = ""
        self._progress = f"Question {number} of {total} · {question.category} · {question.difficulty}"
        self.progress_label.setText(self._progress)
        self.question_label.setText(question.text)
        self._clear_for_new_turn()
        self.next_button.setText("&Finish (N)" if number == total else "&Next (N)")

    def show_follow_up(self, follow_up, number: int) -> None:
        """A follow-up takes the question's place, asked and answered the same way; the question
        it follows stays named above it."""
        session = self.controller.session
        by = f", phrased by the language model {follow_up.phrased_by}" if follow_up.phrased_by else ""
        self.progress_label.setText(f"Question {session.index + 1} of {len(session.questions)} · "
                                    f"follow-up {number}{by} · {session.current.text}")
        self.question_label.setText(follow_up.text)
        self._clear_for_new_turn()

    def _clear_for_new_turn(self) -> None:
        """A question or a follow-up starts: nothing of the last answer stays on the page."""
        self.result_view.clear()
        self.live_label.clear()
        self.live_label.hide()
        self._hide_message()
        self.mock_label.hide()
        self._hide_box()
        self.level_bar.setValue(0)
        self.elapsed_label.setText("0:00")

    def show_state(self, state) -> None:
        recording = self.controller.recording
        text = STATE_TEXT.get(state, "")
        session = self.controller.session
        asking = session is not None and session.follow_up is not None
        if asking and state is State.SPEAKING:
            text = "Reading the follow-up aloud…"
        elif asking and state is State.TRANSCRIBING:
            text = "Transcribing your reply…"
        if state is State.SCORED and self.controller.mode is Mode.MOCK:  # no score is shown until the end
            text = "Answer saved — feedback comes at the end of the interview. Press N for the next question."
        if state is State.LISTENING:
            what = "reply" if asking else "answer"
            text = "Your turn — recording. Press Space when you are done." if recording else \
                f"Your turn — press Space to record your {what}, or type it."
        self.state_label.setText(text)
        self.state_label.setProperty("recording", recording)
        self.state_label.style().polish(self.state_label)  # re-apply the style for the new property
        self.level_bar.setVisible(state is State.LISTENING and recording)
        self.elapsed_label.setVisible(state is State.LISTENING)  # the timer matters while answering
        self.action_button.setVisible(state in (State.SPEAKING, State.LISTENING))
        self.action_button.setText({
            State.SPEAKING: "Skip reading (Space)",
            State.LISTENING: "Stop answer (Space)" if recording else "Record answer (Space)",
        }.get(state, "Stop answer (Space)"))
        self.type_button.setVisible(state in (State.SPEAKING, State.LISTENING))
        self.repeat_button.setVisible(state in (State.SPEAKING, State.LISTENING))
        self.repeat_button.setEnabled(not recording)
        self.retry_button.setVisible(bool(session and session.can_retry))
        self.follow_up_button.setVisible(state is State.SCORED and self.controller.mode is Mode.PRACTICE)
        self.follow_up_button.setEnabled(not self.controller.phrasing)
        self.correct_button.setVisible(state is State.SCORED)
        self.end_button.setVisible(state in (State.SPEAKING, State.LISTENING, State.SCORED, State.TRANSCRIBING))
        if state is State.LISTENING and self.correcting:
            self._hide_box()  # a new attempt: the box is for typing again
        if state is State.LISTENING and self.result_view.score_label.text():
            # Another attempt: the last one's feedback goes, and its replay stops and lets go of
            # the keyboard (its Space must not play the old answer into the microphone).
            self.result_view.clear()
            self.mock_label.hide()
        self.submit_typed_button.setEnabled(state is State.LISTENING or (state is State.SCORED and self.correcting))

    def _partial(self, text: str) -> None:
        self.live_label.setText(f"<span style='color:gray'>Heard so far:</span> {html.escape(text)}")
        self.live_label.show()

    def _scored(self, result) -> None:
        self.live_label.hide()
        self._hide_box()
        session = self.controller.session
        if session is not None:  # after a follow-up, the question is back in its place
            self.question_label.setText(session.current.text)
            self.progress_label.setText(getattr(self, "_progress", ""))
        if self.controller.mode is Mode.MOCK:  # like the real thing: feedback only at the end
            self.result_view.clear()
            last = result.turns[-1] if result.turns else None
            said = last.transcript if last is not None else result.transcript
            heard = "typed" if said is None or said.model == "typed" else "heard"
            what = "Reply" if last is not None else "Answer"
            self.mock_label.setText(f"<b>{what} saved.</b> Feedback comes at the end of the interview. "
                                    f"What was {heard}:<br>{html.escape(said.text if said else '')}")
            self.mock_label.show()
        else:
            self.result_view.show_result(result, self.controller.last_recording)
            self._score_in_view()
        self.show_state(self.controller.state)

    def _opinion_asked(self, model: str) -> None:
        if self.controller.mode is not Mode.MOCK:
            self.result_view.opinion_label.setText(f"<i>Asking the language model {html.escape(model)} for a "
                                                   "second opinion…</i>")

    def _opinion_failed(self) -> None:
        session = self.controller.session
        self.result_view.opinion_label.setText(opinion_html(session.current_result)
                                               if session and session.current_result else "")

    def _second_opinion(self, result) -> None:
        """The model's opinion on the answer on show (in a mock interview it waits for the summary)."""
        session = self.controller.session
        if self.controller.mode is Mode.MOCK or session is None or session.current_result is not result:
            return
        self.result_view.show_result(result, self.controller.last_recording)

    def show_level(self, peak: float, seconds: float) -> None:
        self.level_bar.setValue(level_percent(peak))
        limit = self.controller.recorder.max_seconds
        if limit and limit - seconds <= 30:  # the countdown a candidate needs to wrap up
            self.elapsed_label.setText(f"{clock(seconds)} — {clock(max(0, limit - seconds))} left")
            self.elapsed_label.setStyleSheet("color: #b26a00; font-weight: 600;")
        else:
            self.elapsed_label.setText(clock(seconds) + (f" of {clock(limit)}" if limit else ""))
            self.elapsed_label.setStyleSheet("")

    def show_message(self, text: str) -> None:
        self._message = text
        self._show_messages()

    def _hide_message(self) -> None:
        self._message = ""
        self._show_messages()

    def _show_model_notice(self, text: str) -> None:
        self._model_notice = text
        self._show_messages()

    def _show_messages(self) -> None:
        shown = "\n".join(t for t in (self._model_notice, self._message) if t)
        self.message_label.setText(shown)
        self.message_label.setVisible(bool(shown))

    def _follow_up_phrasing(self, model: str, wait: float) -> None:
        """The model is wording the follow-up: say so, and that the app's own words come if it is slow."""
        self.state_label.setText(f"Asking the language model {model} to word the follow-up (in the app's own "
                                 f"words if it takes more than {wait:g} s)… N moves on.")
        self.follow_up_button.setEnabled(False)

    def _typing_offered(self, why: str) -> None:
        self.show_message(f"{why} You can type your answer instead.")
        self.show_typing()

    def show_typing(self) -> None:
        if self.controller.state is State.SPEAKING:
            self.controller.skip_speech(record=False)
        elif self.controller.recording:  # typing instead: the microphone stops, and says so
            self.controller.discard_recording()
        if self.correcting:
            self._hide_box()
        self.typed_box.setPlaceholderText("Type your answer here, then press Ctrl+Enter.")
        self.submit_typed_button.setText("Submit typed answer (Ctrl+Enter)")
        self.typed_box.show()
        self.submit_typed_button.show()
        self.submit_typed_button.setEnabled(True)
        self.typed_box.setFocus()

    def show_correction(self) -> None:
        """E: the transcript in the box, to fix misheard words before it counts."""
        result = self.controller.session.current_result if self.controller.session else None
        if self.controller.state is not State.SCORED or result is None or result.transcript.model == "typed":
            return
        self.correcting = True
        self.typed_box.setPlainText(result.transcript.text)
        self.typed_box.setAccessibleName("Transcript to correct")
        self.submit_typed_button.setText("Score the corrected transcript (Ctrl+Enter)")
        self.submit_typed_button.setEnabled(True)
        self.typed_box.show()
        self.submit_typed_button.show()
        self.typed_box.setFocus()
        self._score_in_view()  # the box takes room from the feedback: its top, the score, stays in sight

    def _score_in_view(self) -> None:
        self.feedback_scroll.verticalScrollBar().setValue(0)

    def _hide_box(self) -> None:
        self.correcting = False
        self.typed_box.clearFocus()  # the keys (N, T, E…) go back to the window's shortcuts
        self.typed_box.clear()
        self.typed_box.setAccessibleName("Typed answer")
        self.typed_box.hide()
        self.submit_typed_button.hide()

    def _submit_typed(self) -> None:
        if self.correcting:
            self.controller.correct_transcript(self.typed_box.toPlainText())
            self._hide_box()
        else:
            self.controller.submit_typed(self.typed_box.toPlainText())
