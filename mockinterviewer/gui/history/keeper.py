"""The window's link to the practice history: every answer saved the moment it is scored.

All database and file work runs on one background thread, in the order asked (a session is
created before its first answer is saved; a correction follows the answer it corrects), so the
GUI thread never waits on SQLite or on FLAC compression. A history that cannot be opened is said
in one sentence and practice goes on; the answers still have their result files beside them, from
which the history can be rebuilt.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from mockinterviewer.errors import UserError, first_line
from mockinterviewer.gui.tasks import TaskRunner

log = logging.getLogger(__name__)


class HistoryKeeper(QObject):
    opened = Signal(object)          # the History
    unavailable = Signal(str, bool)  # why, and whether rebuilding from the result files may help
    saved = Signal(object)           # the stored Attempt
    saveFailed = Signal(str)
    reviewReady = Signal(dict, list)  # latest score per question id; ids due for review, most overdue first
    earlierAttempts = Signal(str, list)  # question id; its stored Attempts, oldest first

    def __init__(self, data_dir: Path, parent=None, on_unexpected=None):
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.runner = TaskRunner(1, self, on_unexpected)
        self.history = None       # for the GUI thread: set once opened
        self._store = None        # the same History, for the runner's thread: set as soon as it opens, so
                                  # work queued while it was opening (a session begun at once) still runs
        self._session_id = None   # these are touched only on the runner's thread
        self._last_attempt = None
        self._offline = None      # without a history: the session's folder and details, for its answer files
        self._offline_last = None  # (question id, recording, result file) of the last answer kept so
        self.turn_recordings: dict = {}  # question id -> its follow-up replies' recordings, set by finish()

    # --- opening ---------------------------------------------------------------------------
    def open(self) -> None:
        from mockinterviewer.store import History
        from mockinterviewer.store.errors import HistoryDamagedError

        def done(history):
            self.history = history
            self.opened.emit(history)
            self.refresh_review()

        def failed(exc):
            if not isinstance(exc, UserError):
                raise exc
            self.unavailable.emit(str(exc), isinstance(exc, HistoryDamagedError))

        data_dir = self.data_dir

        def work():
            self._store = History(data_dir=data_dir)
            self._store.compress_pending()  # answers left as WAV when the app was last closed or killed
            return self._store
        self.runner.submit(work, done, failed)

    def rebuild(self, banks=(), on_done=None) -> None:
        """Move the damaged database aside (never deleted) and rebuild it from the result files."""
        from mockinterviewer.store.rebuild import rebuild_history

        data_dir = self.data_dir

        def work():
            return rebuild_history(data_dir=data_dir, banks=banks)

        def done(report):
            if on_done:
                on_done(report.summary())
            self.open()

        self.runner.submit(work, done, lambda exc: self.unavailable.emit(str(exc), False))

    # --- a session ---------------------------------------------------------------------------
    def begin(self, mode: str, banks, model: str, folder: Path) -> None:
        def work():
            import uuid

            from mockinterviewer.store.history import now

            history = self._store
            self._offline = {"folder": Path(folder), "mode": mode, "banks": list(banks),
                             "session_uuid": str(uuid.uuid4()), "started_at": now()}
            self._offline_last = None
            if history is None:
                return
            self._session_id = history.start_session(mode=mode, source="window", banks=list(banks), model=model,
                                                     folder=folder)
            # Should the history break mid-session, answers kept in files join this session on a rebuild.
            self._offline["session_uuid"] = history.session(self._session_id).uuid
        self.runner.submit(work, None, self._failed)

    def _keep_offline(self, question, result, recording, corrected, bank):
        """The history is unavailable: the answer's result file (with its session's) goes into the
        session's folder, from which a rebuild adds it, so an answer shown as scored is never lost.
        A correction replaces the file of the answer it corrects."""
        from mockinterviewer.store.history import keep_answer_file

        session = self._offline
        if session is None:
            return
        last = self._offline_last
        if corrected and last and last[0] == question.id and last[1] == recording:
            Path(last[2]).unlink(missing_ok=True)
        try:
            kept = keep_answer_file(session["folder"], question, result, bank=bank, recording=recording,
                                    session_uuid=session["session_uuid"], mode=session["mode"], source="window",
                                    banks=session["banks"], started_at=session["started_at"])
        except OSError as exc:
            raise UserError(f"The answer could not be kept in {session['folder']} either ({first_line(exc)}), "
                            "so it is only on screen: note it down or answer again later.") from exc
        self._offline_last = (question.id, recording, kept)

    def save(self, question, result, recording: Path | None, corrected: bool, bank: str = "") -> None:
        """Save an answer (or, ``corrected``, the rescored correction of the last one)."""
        def work():
            history = self._store
            if history is None:
                self._keep_offline(question, result, recording, corrected, bank)
                return None
            if corrected:
                last = self._last_attempt
                # Only the answer it corrects: if saving that one failed, the last saved answer is
                # another question's (or an earlier attempt's), which must not be overwritten.
                if last is None or last.question_id != question.id or not _same_recording(last, recording):
                    return None
                return history.replace_result(last.id, result)
            if self._session_id is None:
                return None
            from mockinterviewer.store.errors import HistoryDamagedError

            # Compressed later (compress): the answer on show may still be replayed from its WAV.
            try:
                self._last_attempt = history.save_attempt(self._session_id, question, result, bank=bank,
                                                          recording=recording, compress=False)
            except HistoryDamagedError:
                self._keep_offline(question, result, recording, False, bank)  # damaged since it opened
                raise
            return self._last_attempt

        self.runner.submit(work, lambda attempt: attempt and self.saved.emit(attempt), self._failed)

    def save_turns(self, question, result, recording: Path | None, bank: str = "") -> None:
        """The last saved answer was followed up: its result becomes the whole exchange."""
        def work():
            history = self._store
            if history is None:
                self._keep_offline(question, result, recording, True, bank)  # replaces the answer's file
                return None
            last = self._last_attempt
            if last is None or last.question_id != question.id or not _same_recording(last, recording):
                return None  # saving the answer itself failed: its follow-ups have nothing to join
            self._last_attempt = history.save_turns(last.id, result)
            return self._last_attempt

        self.runner.submit(work, lambda attempt: attempt and self.saved.emit(attempt), self._failed)
    def save_second_opinion(self, result) -> None:
        """A language model's opinion arrived for an answer of this session: it joins that answer's
        row (found by question and transcript; the save came first on this same runner)."""
        def work():
            history, session_id = self._store, self._session_id
            if history is None or session_id is None:
                return None
            for attempt in reversed(history.attempts(session_id)):
                if attempt.question_id == result.question_id and \
                        attempt.result_data.get("transcript") == result.transcript.text:
                    return history.add_second_opinion(attempt.id, result)
            return None

        self.runner.submit(work, None, self._failed)

    def save_recovered(self, question, result, recording: Path, bank: str = "") -> None:
        """A recovered answer joins the session it was recorded in (by its folder), or a new one."""
        def work():
            history = self._store
            if history is None:
                return None
            folder = Path(recording).parent
            session = next((s for s in history.sessions() if s.folder == folder), None)
            session_id = session.id if session else history.start_session(
                mode="practice", source="cli" if folder.name.endswith("-cli") else "window",
                model=result.transcript.model, folder=folder)
            return history.save_attempt(session_id, question, result, bank=bank, recording=recording)

        self.runner.submit(work, lambda attempt: attempt and (self.saved.emit(attempt), self.refresh_review()),
                           self._failed)

    def compress(self, then=None) -> None:
        """Replace finished answers' WAV files by FLAC (lossless); ``then()`` runs on the GUI thread after."""
        self.runner.submit(lambda: self._store and self._store.compress_pending(), lambda _n: then and then(),
                           lambda exc: (self._failed(exc), then and then()))

    def finish(self, then=None) -> None:
        """End the session; ``then(recordings)`` gets each answered question's recording as stored
        now (FLAC), or None when the history is unavailable (the recordings are then as made);
        ``turn_recordings`` then holds its follow-up replies' recordings likewise."""
        def work():
            self.turn_recordings = {}
            history, session_id = self._store, self._session_id
            if history is None:
                if self._offline_last is not None:  # answers kept without a history: their session ended
                    from mockinterviewer.store.history import finish_kept_session

                    try:
                        finish_kept_session(self._offline["folder"], self._offline["session_uuid"])
                    except OSError as exc:  # its answers are kept; only its end time is missing
                        log.warning("could not mark the session kept in files as finished: %s", exc)
                self._offline = self._offline_last = None
                return None
            if session_id is not None:
                history.finish_session(session_id)
            self._session_id = self._last_attempt = None
            history.compress_pending()
            if session_id is None:
                return None
            attempts = {a.question_id: a for a in history.attempts(session_id)}  # the last attempt wins
            recordings = {qid: a.audio for qid, a in attempts.items() if a.audio is not None}
            # Follow-up replies' recordings, as stored now (FLAC), for the summary's replay.
            self.turn_recordings = {qid: a.turn_audio for qid, a in attempts.items() if a.turn_audio}
            return recordings

        self.runner.submit(work, lambda recordings: (then and then(recordings), self.refresh_review()),
                           lambda exc: (self._failed(exc), then and then(None)))

    def _failed(self, exc) -> None:
        if not isinstance(exc, UserError):
            raise exc
        log.warning("history: %s", exc)
        self.saveFailed.emit(str(exc))

    # --- reading -----------------------------------------------------------------------------
    def refresh_review(self) -> None:
        def work():
            from mockinterviewer.core.review import due_questions

            history = self._store
            return (history.latest_scores(), [r.question_id for r in due_questions(history)]) if history else None

        self.runner.submit(work, lambda found: found and self.reviewReady.emit(*found), self._failed)

    def earlier(self, question_id: str) -> None:
        def work():
            return self._store.attempts_for_question(question_id) if self._store else []
        self.runner.submit(work, lambda attempts: self.earlierAttempts.emit(question_id, list(attempts)), self._failed)

    def close(self) -> None:
        self.history = None

        def work():
            store, self._store = self._store, None
            if store is not None:
                store.close()
        self.runner.submit(work)


def _same_recording(attempt, recording) -> bool:
    """The stored attempt is of this recording (its FLAC counts as the same), or both were typed."""
    if attempt.audio is None or recording is None:
        return attempt.audio is None and recording is None
    return Path(attempt.audio).with_suffix("") == Path(recording).with_suffix("")
