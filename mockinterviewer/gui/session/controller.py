"""Drives one practice session: the core state machine plus the speech adapters.

Pages only show what this object signals and call its methods; it owns the threads. Every
blocking call (speaking, opening or closing the microphone, transcribing) goes through a
TaskRunner, and a generation counter makes late results from a skipped step harmless.
"""

from __future__ import annotations

import datetime as dt
import collections
import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from mockinterviewer.core.bank import Question
from mockinterviewer.core.delivery import clock
from mockinterviewer.core.exchange import judge_turn
from mockinterviewer.core.followups import can_reword, reworded
from mockinterviewer.core.scoring import score_answer
from mockinterviewer.core.session import DEFAULT_FOLLOW_UPS, Mode, PracticeSession, State
from mockinterviewer.core.transcript import Transcript, corrected
from mockinterviewer.errors import DeviceError, UserError
from mockinterviewer.gui.tasks import TaskRunner
from mockinterviewer.speech.audio import load_audio
from mockinterviewer.speech.incremental import IncrementalTranscriber, device_feeder, question_prompt
from mockinterviewer.speech.recovery import save_result
from mockinterviewer.speech.silence import SilenceWatch

log = logging.getLogger(__name__)


class SessionController(QObject):
    stateChanged = Signal(object)           # State
    questionShown = Signal(object, int, int)  # Question, number (1-based), total
    followUpShown = Signal(object, int)     # FollowUp, its number after the answer (1-based)
    levelChanged = Signal(float, float)     # peak 0..1, seconds recorded
    scored = Signal(object)                 # ScoreResult (in a mock interview: kept, not shown)
    attemptSaved = Signal(object)           # (ScoreResult, recording path or None, corrected: bool | "turns")
    problem = Signal(str)                   # one sentence the user should read
    notice = Signal(str)                    # information, not an error
    attemptStarted = Signal()               # a new answer begins: notices about the last one no longer apply
    typingOffered = Signal(str)             # no microphone: why, and the typed answer box opens
    recordingChanged = Signal(bool)
    partialTranscript = Signal(str)         # the transcript so far, while the candidate speaks
    modelReady = Signal(str)                # description, e.g. "tiny.en on CPU"
    modelFailed = Signal(str)
    finished = Signal(object)               # Summary
    secondOpinionAsked = Signal(str)        # the language model's name: its opinion on the answer on show is coming
    secondOpinion = Signal(object)          # the ScoreResult with the model's second opinion (docs/language-model.md)
    secondOpinionFailed = Signal()          # none came: the feedback stays the app's own
    followUpPhrasing = Signal(str, float)   # the language model's name, the longest wait (s): it words the follow-up
    modelNotice = Signal(str)               # the language model is off for the rest of the session: once per session

    def __init__(self, *, transcriber, recorder, speaker, recordings_dir: Path, on_unexpected=None, parent=None):
        super().__init__(parent)
        self.transcriber, self.recorder, self.speaker = transcriber, recorder, speaker
        self.recordings_dir = Path(recordings_dir)
        self.io = TaskRunner(2, self, on_unexpected)
        self.mic = TaskRunner(1, self, on_unexpected)  # start and stop in the order they were asked
        # One model, one transcription at a time, below the GUI thread's priority.
        self.model = TaskRunner(1, self, on_unexpected, nice=5)
        # The optional language model: one request at a time, in the order asked, on a daemon thread
        # (not the Qt pool, whose threads the window would wait for on closing: a slow server must not
        # hold the app open).
        self.advisor = None  # built for each session from the settings; None: no model, no connection
        self._llm_lock = threading.Lock()
        self._llm_requests = _InOrder("language-model")
        self._delivered = _Delivered(self)
        self._delivered.arrived.connect(lambda run: run())
        # A follow-up the model is wording: asked in the app's own words if the model is not back in time.
        self._phrasing = None  # the follow-up waiting for the model's words, or None
        self._phrasing_token = 0  # counts requests, so a late wording (or one for a question left) is dropped
        self._phrasing_timer = QTimer(self)
        self._phrasing_timer.setSingleShot(True)
        self._phrasing_timer.timeout.connect(self._phrasing_late)
        self.session: PracticeSession | None = None
        self.recording = False
        self.speech_available = True
        self._generation = 0
        self._session_dir: Path | None = None
        self._meter = QTimer(self)
        self._meter.setInterval(50)
        self._meter.timeout.connect(self._poll_recorder)
        self._limit_reached = False
        self._went_quiet = False
        self._end_when_scored = False  # End session pressed while an answer was being scored
        self._take = 0  # counts recordings, so a late signal from an abandoned one is recognised
        self._incremental = None
        self.last_recording: Path | None = None  # of the answer on show, for replay
        self.recordings: dict[str, Path] = {}  # question id -> its latest recorded answer, for the summary
        self.bias_vocabulary = True  # measured in docs/scoring.md: fewer misheard key terms, none invented
        self.silence_stop_seconds = 0.0  # 0: off; else stop after this much quiet following speech
        self.mode = Mode.PRACTICE
        self.follow_ups = DEFAULT_FOLLOW_UPS  # per question in a mock interview (set-up); practice asks on demand
        self.settings = None
        self._pending_settings = None

    # --- start-up -------------------------------------------------------------------------
    def load_model(self) -> None:
        def done(_):
            where = f"{self.transcriber.model_label} on {self.transcriber.device.upper()}"
            reason = getattr(self.transcriber, "fallback_reason", "")
            choice = getattr(self.transcriber, "choice", None)
            if choice is not None:  # the setting is "auto": say what was chosen and why
                where += f", chosen for this computer: {choice.reason}"
            self.modelReady.emit(f"{where} ({reason})" if reason else where)

        self.model.submit(self.transcriber.load, done, lambda exc: self.modelFailed.emit(_sentence(exc)))

    def apply_settings(self, settings) -> None:
        """New settings from the dialog: new adapters now, or from the next question when the
        microphone or the speaker is in use (an answer is never cut off by a settings change)."""
        if self.settings is not None and settings.data_folder() != self.settings.data_folder():
            # The history and recordings stay where they are for this run; moving them mid-session
            # would split a session across two folders.
            self.notice.emit(f"The data folder {settings.data_folder()} is used from the next start.")
        llm_changed = self.settings is None or _llm_fields(settings) != _llm_fields(self.settings)
        self.settings = settings
        if llm_changed and self.session is not None:  # a model set (or fixed) mid-session is asked from now on
            self.advisor = self._make_advisor()
        self.silence_stop_seconds = settings.silence_stop_seconds
        if self.recording or self.state in (State.SPEAKING, State.TRANSCRIBING):
            self._pending_settings = settings
            self.notice.emit("The new settings apply from the next question.")
            return
        self._rebuild(settings)

    def _rebuild(self, settings) -> None:
        from mockinterviewer.settings import make_player, make_recorder, make_speaker, make_transcriber

        self._pending_settings = None
        old = self.transcriber
        self.speaker.stop()
        self.speaker = make_speaker(settings, make_player(settings))
        self.speech_available = True
        limit = self.recorder.max_seconds
        self.recorder = make_recorder(settings)
        if self.session is not None and self.state is not State.FINISHED:
            self.recorder.max_seconds = limit  # the session's own limit, chosen at set-up, holds
        if (getattr(old, "settings", None) is None or old.settings.model != settings.model
                or old.settings.device != settings.device):
            self.transcriber = make_transcriber(settings)
            self.load_model()

    # --- the session ----------------------------------------------------------------------
    def begin(self, questions: list[Question], mode: Mode = Mode.PRACTICE, on_started=None,
              follow_ups: int | None = None) -> None:
        """Start a session; ``on_started(folder)`` is told where its recordings go, before the first question.
        ``follow_ups``: how many a mock interview asks per question at most (0: none)."""
        self.mode = Mode(mode)
        self._end_when_scored = False
        if follow_ups is not None:
            self.follow_ups = follow_ups
        self._cancel_phrasing()
        self.session = PracticeSession(questions, self.mode, self.follow_ups)
        self.recordings = {}
        self.advisor = self._make_advisor()
        self.session.subscribe(self.stateChanged.emit)
        stamp = dt.datetime.now().strftime("%Y-%m-%d_%H-%M-%S")
        self._session_dir = self.recordings_dir / stamp
        n = 1
        while self._session_dir.exists():  # two sessions in one second must not share a folder
            n += 1
            self._session_dir = self.recordings_dir / f"{stamp}-{n}"
        if on_started:
            on_started(self._session_dir)
        self.session.start()
        self._ask()

    @property
    def state(self) -> State | None:
        return self.session.state if self.session else None

    @property
    def phrasing(self) -> bool:
        """Whether a follow-up waits for the language model's words."""
        return self._phrasing is not None

    def _ask(self, announce: bool = True) -> None:
        if self._pending_settings is not None:
            self._rebuild(self._pending_settings)
        question = self.session.current
        follow_up = self.session.follow_up
        text = self.session.prompt  # the follow-up being asked, or the question
        self._generation += 1
        generation = self._generation
        if announce and follow_up is not None:
            self.followUpShown.emit(follow_up, len(self.session.turns) + 1)
        elif announce:
            self.questionShown.emit(question, self.session.index + 1, len(self.session.questions))
        if not self.speech_available:
            self.session.question_spoken()
            self.start_recording()
            return

        def spoken(_):
            if generation == self._generation and self.state is State.SPEAKING:
                self.session.question_spoken()
                self.start_recording()
                self._prepare_next()

        def failed(exc):
            if isinstance(exc, UserError):
                self.speech_available = False
                spoken(None)  # recording starts (a new attempt), then the notice about the question
                self.notice.emit(f"{_sentence(exc)} The question is shown instead of spoken.")
            else:
                raise exc

        self.io.submit(lambda: self.speaker.speak(text), spoken, failed)

    def ask_follow_up(self) -> None:
        """F (practice mode): the interviewer asks back about what the answer missed or got wrong."""
        if self.state is not State.SCORED or self._phrasing is not None:
            return
        move = self.session.next_follow_up()
        if move is None:
            self.notice.emit("There is nothing left to ask about this answer: press N for the next question.")
            return
        self._put(move)

    def _follow_up_if_due(self) -> None:
        """In a mock interview, the next follow-up comes without being asked for, like the real thing."""
        if self.mode is Mode.MOCK and self.state is State.SCORED and not self._end_when_scored \
                and self._phrasing is None:
            move = self.session.next_follow_up()
            if move is not None:
                self._put(move)

    def _put(self, move) -> None:
        """Ask ``move``: in the language model's words when one is configured and they come back in
        time and keep the point hidden (asked off the GUI thread; core/followups.reworded), else at
        once in the app's own. The candidate can move on (N, T, E, End) while the model words it."""
        advisor, session = self.advisor, self.session
        if advisor is None or advisor.offline or not can_reword(session.current, move):
            self._asked(move)
            return
        self._phrasing_token += 1
        token, self._phrasing = self._phrasing_token, move
        question, answer = session.current, session.first_result.transcript.text
        point = question.key_points[move.index]
        wait = advisor.client.timeout  # the longest wait set in Settings; then the app's own wording
        self._phrasing_timer.start(int(wait * 1000))
        self.followUpPhrasing.emit(advisor.model, wait)
        delivered, lock = self._delivered, self._llm_lock

        def work():
            with lock:  # behind a second opinion still being written, if there is one
                worded = move
                if token == self._phrasing_token:  # not asked in the app's words meanwhile
                    try:
                        worded = reworded(question, move, lambda offline: advisor.phrase_follow_up(
                            question, answer, point, offline), by=advisor.model)
                    except Exception:  # noqa: BLE001 - a bug here must not keep the follow-up waiting
                        log.exception("the language model's follow-up failed")
            try:
                delivered.arrived.emit(lambda: self._phrased(token, worded, advisor))
            except RuntimeError:  # the window is gone
                pass

        self._llm_requests.submit(work)

    def _phrased(self, token: int, move, advisor=None) -> None:
        """The follow-up's words are settled (the model's, or the app's own): ask it, unless the
        candidate moved on or it was already asked in the app's words."""
        if advisor is not None:
            self._model_notice(advisor)
        if token != self._phrasing_token or self._phrasing is None:
            return
        self._cancel_phrasing()
        if self.state is State.SCORED:
            self._asked(move)

    def _phrasing_late(self) -> None:
        """The model is not back within the wait set: the follow-up is asked in the app's own words."""
        if self._phrasing is not None:
            log.info("the language model did not word the follow-up in time; the app's own wording is asked")
            self._phrased(self._phrasing_token, self._phrasing)

    def _cancel_phrasing(self) -> bool:
        """Forget a follow-up waiting for the model's words (whatever comes back is dropped);
        whether there was one."""
        waiting = self._phrasing is not None
        self._phrasing_token += 1
        self._phrasing = None
        self._phrasing_timer.stop()
        return waiting

    def _asked(self, move) -> None:
        self.session.ask_follow_up(move)
        self._ask()

    def _prepare_next(self) -> None:
        """Render the next question while this one is answered, so it is read without a pause."""
        session = self.session
        prepare = getattr(self.speaker, "prepare", None)
        if prepare and self.speech_available and not session.is_last:
            text = session.questions[session.index + 1].text
            self.io.submit(lambda: prepare(text), None, lambda exc: None)  # a failure shows when it is asked

    def repeat_question(self) -> None:
        """R: read the question again (before answering; not while recording)."""
        if self.state is State.LISTENING and self.recording:
            self.notice.emit("Stop your answer first (Space) to hear the question again.")
            return
        if self.state not in (State.SPEAKING, State.LISTENING):
            return
        if not self.speech_available:
            self.notice.emit("Speech is unavailable, so the question cannot be read again; it is shown above.")
            return
        if self.state is State.SPEAKING:
            self.speaker.stop()
        self._generation += 1
        self.session.repeat_question() if self.state is State.LISTENING else self.stateChanged.emit(self.state)
        self._ask(announce=False)

    def retry(self) -> None:
        """T: answer the same question again (practice mode); the earlier attempt is kept."""
        if self.session is None or not self.session.can_retry:
            return
        self._cancel_phrasing()
        self._generation += 1
        self.session.retry()
        self.start_recording()

    def primary_action(self) -> None:
        """Space: skip the reading, stop the answer, or answer again - whichever fits now."""
        state = self.state
        if state is State.SPEAKING:
            self.skip_speech()
        elif state is State.LISTENING:
            self.stop_recording() if self.recording else self.start_recording()

    def skip_speech(self, record: bool = True) -> None:
        if self.state is State.SPEAKING:
            self._generation += 1
            self.speaker.stop()
            self.session.question_spoken()
            if record:
                self.start_recording()
            else:
                self.stateChanged.emit(self.state)

    def start_recording(self) -> None:
        if self.state is not State.LISTENING or self.recording:
            return
        question = self.session.current
        attempt = self.session.attempt_number
        # Each attempt has its own file: a retry never records over the answer before it.
        suffix = f"-a{attempt}" if attempt > 1 else ""
        if self.session.follow_up is not None:  # a reply: beside its answer, numbered
            suffix += f"-follow-up-{len(self.session.turns) + 1}"
        path = self._session_dir / f"{self.session.index + 1:02d}-{question.id}{suffix}.wav"
        self.recording = True
        self.attemptStarted.emit()
        self._limit_reached = self._went_quiet = False
        self._take += 1
        take = self._take
        recorder = self.recorder
        # PortAudio's thread: only sets a flag, and only for this recording (a halted earlier
        # one ends later, on the mic thread, and must not stop this one).
        recorder.on_finished = lambda: self._recorder_finished(take)
        self._incremental = IncrementalTranscriber(
            self.transcriber, prompt=self.prompt_for(question),
            on_partial=lambda text: take == self._take and self.partialTranscript.emit(text))
        incremental = self._incremental
        recorder.on_audio = self._audio_arrived(incremental, recorder)

        def opened(_):
            if take == self._take and self.recording:
                self.recordingChanged.emit(True)
                self._meter.start()

        def failed(exc):
            self._let_go(incremental)  # nothing will be recorded for it to transcribe
            if take != self._take:
                return  # an abandoned attempt's microphone: the current one is not affected
            self.recording = False
            if isinstance(exc, DeviceError):
                self.typingOffered.emit(_sentence(exc))
            else:
                raise exc

        self.mic.submit(lambda: recorder.start(path), opened, failed)

    def prompt_for(self, question):
        """The decoder prompt for an answer to ``question`` (None: no biasing)."""
        return question_prompt(question) if self.bias_vocabulary else None

    def _audio_arrived(self, incremental, recorder):
        """The recorder's writer thread hands each block here, for the incremental transcriber.
        Should that fail, the whole recording is transcribed at Stop."""
        into = device_feeder(incremental, lambda: recorder.samplerate)
        seconds, watch = self.silence_stop_seconds, []

        def feed(block):
            if seconds and not watch:  # made at the first block, when the device's rate is known
                watch.append(SilenceWatch(seconds, recorder.samplerate))
            if watch and watch[0].feed(block):
                self._went_quiet = True  # read by the meter timer on the GUI thread
            if incremental.failed:
                return
            try:
                into(block)
            except Exception:  # noqa: BLE001
                log.exception("incremental transcription failed; the whole answer is transcribed at Stop")
                incremental.failed = True
        return feed

    def _recorder_finished(self, take: int):
        if take == self._take:
            self._limit_reached = True  # read by the meter timer on the GUI thread

    def _poll_recorder(self):
        self.levelChanged.emit(self.recorder.level, self.recorder.seconds)
        if not self.recording:
            return
        if self._limit_reached and getattr(self.recorder, "device_lost", False):
            self.notice.emit(f"The microphone stopped sending sound after {clock(self.recorder.seconds)} "
                             "(was it unplugged?). What you said until then is kept and scored.")
            self.stop_recording()
        elif self._limit_reached:
            self.notice.emit(f"The answer reached its time limit of {clock(self.recorder.max_seconds or 0)} and was stopped.")
            self.stop_recording()
        elif self._went_quiet:
            self.notice.emit(f"Stopped after {self.silence_stop_seconds:g} seconds of silence.")
            self.stop_recording()

    def _halt_recording(self, typed_over: bool = False) -> None:
        """Stop the microphone without scoring (typed instead, moved on, closing). Typed over, the
        recording is marked discarded, so the next start does not offer it as unscored and a
        rebuilt history does not count it as an answer."""
        self.recording = False
        self._meter.stop()
        self.recordingChanged.emit(False)
        self._take += 1  # whatever this recording still reports is about an abandoned attempt
        recorder, incremental = self.recorder, self._incremental
        if incremental is not None:
            self._let_go(incremental)
        # A reply to a follow-up cut short (moved on, ended) is no answer to offer at the next start.
        passed = self.session is not None and self.session.follow_up is not None

        def stop():
            recording = recorder.stop()  # the recorder of this answer, even if settings replaced it since
            if typed_over or passed:
                reason = "a typed answer was given instead" if typed_over else "a follow-up that was passed by"
                save_result(recording.path, {"discarded": True, "reason": reason})
        self.mic.submit(stop, None, lambda exc: None)

    def _let_go(self, incremental) -> None:
        """An answer's transcriber is not wanted any more: it stops after the stretch it is decoding
        (or once the model it waits for has loaded). The model runner waits for that, so closing the
        window, which waits for the runners, never leaves a decode running."""
        incremental.cancel()
        self._wait_later(incremental)

    def _wait_later(self, incremental) -> None:
        """The model runner waits for ``incremental``'s worker (still decoding after a cancel, or
        refining its last stretch after Stop), so closing the window never leaves a decode running."""
        self.model.submit(incremental.wait, None, lambda exc: None)

    def discard_recording(self) -> None:
        """Type instead: the recording running now stops and is thrown away, and the candidate is told."""
        if not self.recording:
            return
        self._halt_recording(typed_over=True)
        self.levelChanged.emit(0.0, 0.0)  # the clock goes back to 0:00: nothing is being recorded
        self.notice.emit("The recording was stopped and discarded; type your answer instead "
                         "(or press Space to record again).")

    def stop_recording(self) -> None:
        if not self.recording:
            return
        self.recording = False
        self._meter.stop()
        self.recordingChanged.emit(False)
        self.session.answer_stopped()
        generation = self._generation
        question = self.session.current
        follow_up = self.session.follow_up
        incremental = self._incremental

        def transcribe(recording):
            try:
                if incremental is None or incremental.failed:
                    if incremental is not None:  # its worker stops before the file is decoded instead
                        incremental.cancel()
                        incremental.wait()
                    raise RuntimeError("no incremental transcript")
                transcript = incremental.finish()
            except UserError:
                raise
            except Exception:  # noqa: BLE001 - fall back to the file, which is complete
                transcript = self.transcriber.transcribe(load_audio(recording.path), prompt=self.prompt_for(question))
            if follow_up is not None:
                turn = judge_turn(question, follow_up, transcript, str(recording.path))
                # Not an answer of its own (a rebuild and the recovery pass it by): its turn is kept
                # in the answer's result.
                save_result(recording.path, {"discarded": True, "reason": "a reply to a follow-up question",
                                             "follow_up_reply": turn.to_dict()})
                return turn, recording
            result = score_answer(question, transcript)
            save_result(recording.path, result.to_dict())  # marks the recording as scored
            return result, recording

        def done(outcome):
            result, recording = outcome
            if incremental is not None:  # it may still be decoding the last stretch again, unused now
                self._wait_later(incremental)
            if getattr(recording, "overflows", 0):
                self.notice.emit(overflow_notice(recording.overflows))
            if follow_up is not None:
                if generation == self._generation and self.state is State.TRANSCRIBING:
                    self._turn_taken(result)
                return
            if generation == self._generation and self.state is State.TRANSCRIBING:
                self.session.answer_scored(result)
                self.last_recording = recording.path
                self.recordings[question.id] = recording.path
                self.scored.emit(result)
                self.attemptSaved.emit((result, recording.path, False))
                self._follow_up_if_due()  # before the second opinion: the candidate waits for the follow-up
                self._ask_second_opinion(result)
                self._end_if_asked()

        def failed(exc):
            if incremental is not None:  # the microphone could not be closed: its transcript is not wanted
                self._let_go(incremental)
            current = generation == self._generation and self.state is State.TRANSCRIBING
            if current:  # whatever went wrong, the candidate can answer again or type
                self.session.answer_failed()
            if not isinstance(exc, UserError):
                log.error("transcribing the answer failed", exc_info=exc)
                exc = UserError(f"The answer could not be transcribed ({type(exc).__name__}: {exc})")
            if current:
                self.problem.emit(f"{_sentence(exc)} Press Space to answer again, or type your answer.")
                self._end_if_asked()

        def closed(recording):
            self.model.submit(lambda: transcribe(recording), done, failed)

        self.mic.submit(self.recorder.stop, closed, failed)  # (submitted now: the recorder of this answer)

    def _turn_taken(self, turn) -> None:
        """A follow-up's reply, judged: the exchange is credited, shown (practice) and saved."""
        self.session.follow_up_answered(turn)
        result = self.session.current_result
        self.scored.emit(result)
        self.attemptSaved.emit((result, self.last_recording, "turns"))
        self._end_if_asked()
        self._follow_up_if_due()

    def submit_typed(self, text: str) -> None:
        if not text.strip():
            self.problem.emit("The typed answer is empty.")
            return
        if self.state is not State.LISTENING:
            return
        if self.session.follow_up is not None:  # a typed reply to a follow-up
            turn = judge_turn(self.session.current, self.session.follow_up, Transcript.typed(text))
            if self.recording:
                self._halt_recording(typed_over=True)
            self.attemptStarted.emit()
            self._turn_taken(turn)
            return
        result = score_answer(self.session.current, Transcript.typed(text))
        if self.recording:  # typing while the microphone runs: the typed answer wins
            self._halt_recording(typed_over=True)
        self.attemptStarted.emit()
        self.session.answer_scored(result)
        self.last_recording = None
        self.recordings.pop(result.question_id, None)
        self.scored.emit(result)
        self.attemptSaved.emit((result, None, False))
        self._follow_up_if_due()  # before the second opinion: the candidate waits for the follow-up
        self._ask_second_opinion(result)

    def correct_transcript(self, text: str) -> None:
        """The candidate fixed misheard words: score the corrected transcript instead."""
        if self.state is not State.SCORED or not text.strip():
            return
        previous = self.session.current_result
        if " ".join(text.split()) == previous.transcript.text:
            return
        waiting = self._cancel_phrasing()  # chosen for the answer as it was heard: chosen again below
        result = score_answer(self.session.current, corrected(previous.transcript, text))
        self.session.rescored(result)  # kept by the history, which rewrites the result file beside the audio
        first = result
        result = self.session.current_result  # with its follow-ups credited again
        self.scored.emit(result)
        self.attemptSaved.emit((result, self.last_recording, True))
        if waiting:
            self._follow_up_if_due()
        self._ask_second_opinion(first)  # the model judges the answer; its follow-ups are credited after

    def next(self) -> None:
        state = self.state
        if state in (None, State.READY, State.FINISHED, State.TRANSCRIBING):
            return
        self._cancel_phrasing()
        if state is State.SPEAKING:
            self._generation += 1
            self.speaker.stop()
        if self.recording:
            self._halt_recording()
        self.session.next()
        if self.session.state is State.FINISHED:
            self.finished.emit(self.session.summary())
        else:
            self._ask()

    @property
    def can_end(self) -> bool:
        return self.state in (State.SPEAKING, State.LISTENING, State.SCORED)

    def end_session(self) -> None:
        """End the session now: the answers so far make the summary; a running recording is dropped."""
        if self.state is State.TRANSCRIBING:  # the answer is nearly scored: keep it, then end
            self._end_when_scored = True
            self.notice.emit("The session ends once this answer is scored.")
            return
        if not self.can_end:
            return
        self._cancel_phrasing()
        if self.state is State.SPEAKING:
            self._generation += 1
            self.speaker.stop()
        if self.recording:
            self._halt_recording()
        self.session.end()
        self.finished.emit(self.session.summary())

    def _end_if_asked(self) -> None:
        if self._end_when_scored:
            self._end_when_scored = False
            self.end_session()

    # --- the optional language model (docs/language-model.md) --------------------------------
    def _make_advisor(self):
        """A new session's language model (its one notice is per session), or None when none is set."""
        from mockinterviewer.settings import make_advisor

        if self.settings is None:
            return None
        try:
            return make_advisor(self.settings)
        except UserError as exc:
            self.notice.emit(f"{_sentence(exc)} This session is scored by the app alone.")
            return None

    def _ask_second_opinion(self, result) -> None:
        """Ask the model about ``result`` in the background; the app's own result is already on show."""
        advisor = self.advisor
        if advisor is None or advisor.offline:
            return
        self.secondOpinionAsked.emit(advisor.model)
        delivered, lock = self._delivered, self._llm_lock

        def work():
            with lock:
                try:
                    opinion = advisor.second_opinion(result)
                except Exception:  # noqa: BLE001 - a bug here must not leave "Asking…" on show
                    log.exception("the language model's second opinion failed")
                    opinion = result
            try:
                delivered.arrived.emit(lambda: self._second_opinion_arrived(advisor, result, opinion))
            except RuntimeError:  # the window is gone
                pass

        self._llm_requests.submit(work)

    def _model_notice(self, advisor) -> None:
        """The one sentence, once per session, when the model failed: the rest is the app's alone."""
        notice = advisor.take_notice()
        if notice:
            self.modelNotice.emit(notice)

    def _second_opinion_arrived(self, advisor, result, opinion) -> None:
        self._model_notice(advisor)
        if opinion is result or self.session is None:
            self.secondOpinionFailed.emit()
            return
        # Not found: a corrected transcript replaced that answer meanwhile, and its own opinion is coming.
        held = self.session.add_second_opinion(result, opinion)
        if held is not None:
            self.secondOpinion.emit(held)  # with the answer's follow-ups, when it has any

    def shutdown(self) -> None:
        """Stop speech and recording so the window can close without waiting on a device."""
        self._cancel_phrasing()
        self._generation += 1
        self.speaker.stop()
        if self.recording:
            self._halt_recording()


def _llm_fields(settings) -> tuple:
    return (settings.llm_endpoint, settings.llm_model, settings.llm_timeout, settings.llm_allow_remote,
            settings.llm_score_rule)


class _InOrder:
    """Runs jobs one at a time, in the order submitted, on a daemon thread that ends when none is left."""

    def __init__(self, name: str):
        self.name = name
        self._jobs: collections.deque = collections.deque()
        self._running = False
        self._lock = threading.Lock()

    def submit(self, job) -> None:
        with self._lock:
            self._jobs.append(job)
            if self._running:
                return
            self._running = True
        threading.Thread(target=self._run, name=self.name, daemon=True).start()

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._jobs:
                    self._running = False
                    return
                job = self._jobs.popleft()
            try:
                job()
            except Exception:  # noqa: BLE001 - one failed job must not stop the ones after it
                log.exception("a background job failed")


class _Delivered(QObject):
    """Runs a callable on the GUI thread, emitted from a plain thread (the connection is queued)."""
    arrived = Signal(object)


def overflow_notice(count: int) -> str:
    return (f"The computer could not keep up with the microphone {count} time{'s' if count != 1 else ''}, "
            "so a few moments of the answer may be missing; closing other programs helps.")


def _sentence(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if text.endswith((".", "!", "?")) else text + "."
