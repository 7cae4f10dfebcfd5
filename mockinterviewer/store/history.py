"""The practice history: every session and every scored answer, in SQLite under the data folder.

Each answer is saved the moment it is scored, in one transaction. Beside the database, every
answer also leaves its result in a JSON file next to its recording (``NAME.flac.result.json``,
or ``QUESTION-ID.typed.result.json`` for a typed answer) and every session a
``session-UUID.json``: should the database be damaged, ``rebuild.py`` makes it again from them.

Threads: one SQLite connection guarded by a lock (opened with ``check_same_thread=False``), so
the window's worker threads can all call the same ``History``. Every call is a few
milliseconds; none may run on the GUI thread, since it reads or writes files.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import logging
import os
import sqlite3
import threading
import uuid as uuidlib
from dataclasses import dataclass
from pathlib import Path

from mockinterviewer import paths
from mockinterviewer.core.averages import session_average
from mockinterviewer.core.bank import Question
from mockinterviewer.core.scoring import ScoreResult
from mockinterviewer.core.transcript import Transcript, Word
from mockinterviewer.speech.recovery import RESULT_SUFFIX, result_path, save_result
from mockinterviewer.store import migrations, rows
from mockinterviewer.store.errors import DiskFullError, HistoryDamagedError, UnknownSessionError

log = logging.getLogger(__name__)
MODES = ("practice", "mock")
SOURCES = ("window", "cli")
SIDECAR_FORMAT = 1


def insert_turns(conn, attempt_id: int, turns) -> None:
    """The rows of an answer's follow-up turns, as ``Turn.to_dict`` wrote them (audio as stored)."""
    conn.executemany(
        "INSERT INTO turns (attempt_id, turn_no, kind, question, point, audio_path, transcript, status) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(attempt_id, n, t["kind"], t["question"], t["point"], t["audio"] or None,
          None if t["skipped"] else t["transcript"], t["status"]) for n, t in enumerate(turns, 1)])


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def iso(when: dt.datetime) -> str:
    if when.tzinfo is None:
        when = when.astimezone()  # a naive time is the computer's local time
    return when.astimezone(dt.timezone.utc).isoformat()


def parse_time(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)


@dataclass(frozen=True)
class SessionInfo:
    id: int                     # this computer's number for the session (what `history` shows)
    uuid: str                   # the same everywhere: import merges by it
    mode: str                   # practice | mock
    source: str                 # window | cli
    banks: tuple[str, ...]
    model: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    folder: Path | None         # its recordings folder
    answers: int                # attempts saved, retries included
    questions: int              # distinct questions answered
    average: int | None         # of each question's last attempt


@dataclass(frozen=True)
class Attempt:
    id: int
    uuid: str
    session_id: int
    question_id: str
    bank: str
    question: str
    category: str
    difficulty: str
    attempt_no: int
    attempted_at: dt.datetime
    audio: Path | None          # absolute; None for a typed answer
    transcript: str             # as heard
    words: tuple[Word, ...]     # as heard
    edited_transcript: str | None
    score: int
    model: str
    result_data: dict
    turn_audio: tuple[Path | None, ...] = ()  # each follow-up reply's recording, absolute; None when typed

    @property
    def result(self) -> ScoreResult:
        """The stored result, each follow-up turn's recording where it is on this computer."""
        result = ScoreResult.from_dict(self.result_data)
        if not result.turns:
            return result
        audio = list(self.turn_audio) + [None] * len(result.turns)
        turns = tuple(dataclasses.replace(t, audio=str(audio[n]) if audio[n] else "")
                      for n, t in enumerate(result.turns))
        return dataclasses.replace(result, turns=turns)

    @property
    def shown_transcript(self) -> str:
        """The transcript that was scored: the candidate's correction if there is one."""
        return self.edited_transcript if self.edited_transcript is not None else self.transcript


_SESSION_COLUMNS = "s.id, s.uuid, s.mode, s.source, s.banks, s.model, s.started_at, s.finished_at, s.folder"
_ATTEMPT_COLUMNS = ("id, uuid, session_id, question_id, bank, question, category, difficulty, attempt_no, "
                    "attempted_at, audio_path, transcript, words, edited_transcript, score, model, result")


class History:
    """Open (or create, or migrate) the history. Raises HistoryDamagedError for a damaged file."""

    def __init__(self, path: Path | None = None, data_dir: Path | None = None):
        self.data_dir = Path(data_dir) if data_dir else paths.data_dir()
        self.path = Path(path) if path else self.data_dir / paths.HISTORY_DB_NAME
        self.unreadable_sessions: list[str] = []  # set by sessions(): one sentence per row left out
        self._conn = migrations.connect(self.path)
        self._lock = threading.RLock()

    # --- plumbing -------------------------------------------------------------------------
    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "History":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextlib.contextmanager
    def _write(self):
        """One transaction; a full disk becomes DiskFullError with nothing half-written."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self._conn
                    self._conn.execute("COMMIT")
                except BaseException:
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                raise migrations.as_user_error(exc, self.path) from exc

    def _read(self, sql: str, args=()) -> list[tuple]:
        with self._lock:
            try:
                return self._conn.execute(sql, args).fetchall()
            except sqlite3.Error as exc:
                raise migrations.as_user_error(exc, self.path) from exc

    def relative(self, path: Path) -> str:
        """A path as stored: relative to the data folder with "/" (absolute if outside it)."""
        path = Path(path).absolute()
        try:
            return path.relative_to(self.data_dir.absolute()).as_posix()
        except ValueError:
            return str(path)

    def absolute(self, stored: str | None) -> Path | None:
        """A stored path on this computer. A relative one must stay inside the data folder (a row
        that leads out of it, "../..", names nothing: it is read as no file). The history's own
        writes never store one; an import checks its paths, links included, before storing them."""
        if stored is None:
            return None
        if not Path(stored).is_absolute() and ".." in Path(stored).parts:  # by its text: no file check per row
            log.warning("ignored a stored path outside the data folder: %r", stored)
            return None
        return self.data_dir / stored

    def snapshot(self, target: Path) -> None:
        """A consistent copy of the database (SQLite's backup API), while it stays in use."""
        with self._lock:
            copy = sqlite3.connect(target)
            try:
                self._conn.backup(copy)
            finally:
                copy.close()

    # --- writing --------------------------------------------------------------------------
    def start_session(self, mode: str = "practice", source: str = "window", banks=(), model: str = "",
                      folder: Path | None = None, *, started_at: dt.datetime | None = None,
                      session_uuid: str | None = None) -> int:
        """Record a new session and return its id. ``folder`` is where its recordings go (default:
        a new folder under recordings/ named after the time, as the window names them)."""
        if mode not in MODES or source not in SOURCES:
            raise ValueError(f"mode must be one of {MODES} and source one of {SOURCES}")
        started_at = started_at or now()
        folder = Path(folder) if folder else _new_folder(self.data_dir / "recordings", started_at, source)
        info = {"uuid": session_uuid or str(uuidlib.uuid4()), "mode": mode, "source": source,
                "banks": json.dumps(list(banks)), "model": model, "started_at": iso(started_at),
                "folder": self.relative(folder)}
        with self._write() as conn:
            session_id = conn.execute(
                "INSERT INTO sessions (uuid, mode, source, banks, model, started_at, folder) "
                "VALUES (:uuid, :mode, :source, :banks, :model, :started_at, :folder)", info).lastrowid
        self._write_session_sidecar(session_id)
        return session_id

    def finish_session(self, session_id: int, finished_at: dt.datetime | None = None) -> None:
        with self._write() as conn:
            conn.execute("UPDATE sessions SET finished_at = ? WHERE id = ?", (iso(finished_at or now()), session_id))
        self._write_session_sidecar(session_id)

    def save_attempt(self, session_id: int, question: Question, result: ScoreResult, *, bank: str = "",
                     recording: Path | None = None, heard: Transcript | None = None,
                     attempted_at: dt.datetime | None = None, compress: bool = True) -> Attempt:
        """Save one scored answer, in one transaction, and return it as stored.

        ``recording`` is the answer's audio (None for a typed answer). ``heard`` is the transcript
        as Whisper wrote it when the candidate corrected it before scoring: ``result`` is then the
        score of the corrected text. With ``compress``, a WAV recording is replaced by a verified
        FLAC once the answer is saved (the result file beside it follows). Raises DiskFullError
        when the disk is full; every answer saved before stays saved.
        """
        heard = heard or result.transcript
        edited = result.transcript.text if heard is not result.transcript else None
        attempted_at = attempted_at or now()
        data, turn_audio = self._stored_result(result)
        row = {
            "uuid": str(uuidlib.uuid4()), "session_id": session_id, "question_id": question.id, "bank": bank,
            "question": question.text, "category": question.category, "difficulty": question.difficulty,
            "attempted_at": iso(attempted_at), "audio_path": self.relative(recording) if recording else None,
            "transcript": heard.text, "words": json.dumps(_words(heard)), "edited_transcript": edited,
            "score": result.score, "result": json.dumps(data, ensure_ascii=False), "model": result.transcript.model,
        }
        attempt_id = self._insert_attempt(row, data["turns"])
        self._write_result_sidecar(attempt_id, recording, data)
        if compress and recording is not None and Path(recording).suffix.lower() == ".wav":
            self._compress(attempt_id, Path(recording))
        if compress:
            for n, audio in enumerate(turn_audio, 1):
                if audio is not None and audio.suffix.lower() == ".wav" and audio.exists():
                    self._compress(attempt_id, audio, turn_no=n)
        return self.attempt(attempt_id)

    def _stored_result(self, result: ScoreResult) -> tuple[dict, list[Path | None]]:
        """``result.to_dict()`` with each turn's recording as stored (inside the data folder), and
        those recordings as given."""
        data = result.to_dict()
        turn_audio = [Path(t.audio) if t.audio else None for t in result.turns]
        for turn, audio in zip(data["turns"], turn_audio):
            turn["audio"] = self.relative(audio) if audio else ""
        return data, turn_audio

    def save_turns(self, attempt_id: int, result: ScoreResult) -> Attempt:
        """The saved answer ``attempt_id`` was followed up: its result becomes the whole exchange
        (``result``, credited with its turns) and its turns are stored, in one transaction. The
        replies' recordings are compressed with the session's (compress_pending)."""
        data, _ = self._stored_result(result)
        with self._write() as conn:
            conn.execute("UPDATE attempts SET score = ?, result = ? WHERE id = ?",
                         (result.score, json.dumps(data, ensure_ascii=False), attempt_id))
            conn.execute("DELETE FROM turns WHERE attempt_id = ?", (attempt_id,))
            insert_turns(conn, attempt_id, data["turns"])
        attempt = self.attempt(attempt_id)
        self._write_result_sidecar(attempt_id, attempt.audio, data)
        return attempt

    def replace_result(self, attempt_id: int, result: ScoreResult) -> Attempt:
        """The candidate corrected the transcript of a saved answer and it was scored again: keep
        the transcript as heard, store the correction and its result (one transaction)."""
        data = result.to_dict()
        duration, wpm, fillers = migrations.delivery_columns(data)
        with self._write() as conn:
            conn.execute("UPDATE attempts SET edited_transcript = ?, score = ?, result = ?, duration_s = ?, "
                         "words_per_minute = ?, fillers = ?, llm_model = ? WHERE id = ?",
                         (result.transcript.text, result.score, json.dumps(data, ensure_ascii=False), duration, wpm,
                          fillers, migrations.llm_model_column(data), attempt_id))
        attempt = self.attempt(attempt_id)
        self._write_result_sidecar(attempt_id, attempt.audio, data)
        return attempt

    def add_second_opinion(self, attempt_id: int, result: ScoreResult) -> Attempt:
        """A language model's second opinion arrived after the answer was saved: keep it (and the score
        its rule gave) with the answer, the transcript untouched."""
        data = result.to_dict()
        with self._write() as conn:
            conn.execute("UPDATE attempts SET score = ?, result = ?, llm_model = ? WHERE id = ?",
                         (result.score, json.dumps(data, ensure_ascii=False), migrations.llm_model_column(data),
                          attempt_id))
        attempt = self.attempt(attempt_id)
        self._write_result_sidecar(attempt_id, attempt.audio, data)
        return attempt

    def _insert_attempt(self, row: dict, turns=()) -> int:
        """The attempt and its follow-up turns (as ``Turn.to_dict`` wrote them), in one transaction."""
        row = {"attempt_no": None, **row}
        result = json.loads(row["result"])
        row["duration_s"], row["words_per_minute"], row["fillers"] = migrations.delivery_columns(result)
        row["llm_model"] = migrations.llm_model_column(result)
        with self._write() as conn:
            if row["attempt_no"] is None:  # 2 for the first retry of a question in the same session
                row["attempt_no"] = 1 + conn.execute(
                    "SELECT count(*) FROM attempts WHERE session_id = ? AND question_id = ?",
                    (row["session_id"], row["question_id"])).fetchone()[0]
            attempt_id = conn.execute(
                "INSERT INTO attempts (uuid, session_id, question_id, bank, question, category, difficulty, "
                "attempt_no, attempted_at, audio_path, transcript, words, edited_transcript, score, result, model, "
                "duration_s, words_per_minute, fillers, llm_model) VALUES (:uuid, :session_id, :question_id, :bank, "
                ":question, :category, :difficulty, :attempt_no, :attempted_at, :audio_path, :transcript, :words, "
                ":edited_transcript, :score, :result, :model, :duration_s, :words_per_minute, :fillers, :llm_model)",
                row).lastrowid
            insert_turns(conn, attempt_id, turns)
            return attempt_id

    def _compress(self, attempt_id: int, wav: Path, turn_no: int | None = None) -> None:
        """WAV -> FLAC, then the database points at the FLAC, then the WAV goes: a crash at any
        step leaves the database naming a file that exists. ``turn_no``: a follow-up reply's recording."""
        from mockinterviewer.store.audio_files import compress_to_flac

        try:
            flac = compress_to_flac(wav)
        except Exception as exc:  # noqa: BLE001 - a full disk or odd file: the WAV is kept as it is
            log.warning("kept %s uncompressed: %s", wav, exc)
            return
        if flac is None:
            return
        old_result = result_path(wav)
        try:
            if old_result.exists():
                save_result(flac, json.loads(old_result.read_text(encoding="utf-8")))
            with self._write() as conn:
                if turn_no is None:
                    conn.execute("UPDATE attempts SET audio_path = ? WHERE id = ?", (self.relative(flac), attempt_id))
                else:
                    conn.execute("UPDATE turns SET audio_path = ? WHERE attempt_id = ? AND turn_no = ?",
                                 (self.relative(flac), attempt_id, turn_no))
        except (OSError, DiskFullError) as exc:
            log.warning("kept %s uncompressed: %s", wav, exc)
            with contextlib.suppress(OSError):
                flac.unlink()
            return
        wav.unlink()
        with contextlib.suppress(FileNotFoundError):
            old_result.unlink()

    def compress_pending(self) -> int:
        """Compress recordings still stored as WAV (the app was closed mid-way); return how many."""
        done = 0
        for attempt_id, stored in self._read("SELECT id, audio_path FROM attempts WHERE audio_path LIKE '%.wav'"):
            wav = self.absolute(stored)
            if wav is not None and wav.exists():
                self._compress(attempt_id, wav)
                done += 1
        for attempt_id, turn_no, stored in self._read(
                "SELECT attempt_id, turn_no, audio_path FROM turns WHERE audio_path LIKE '%.wav'"):
            wav = self.absolute(stored)
            if wav is not None and wav.exists():
                self._compress(attempt_id, wav, turn_no=turn_no)
                done += 1
        return done

    # --- the files beside the audio, from which the history can be rebuilt ----------------
    def _write_session_sidecar(self, session_id: int) -> None:
        s = self.session(session_id)
        if s.folder is None or not rows.is_uuid(s.uuid):
            return
        data = {"format": SIDECAR_FORMAT, "uuid": s.uuid, "mode": s.mode, "source": s.source, "banks": list(s.banks),
                "model": s.model, "started_at": iso(s.started_at),
                "finished_at": iso(s.finished_at) if s.finished_at else None}
        _write_json_quietly(s.folder / f"session-{s.uuid}.json", data)

    def _write_result_sidecar(self, attempt_id: int, recording: Path | None, data: dict) -> None:
        a = self.attempt(attempt_id)
        s = self.session(a.session_id)
        data = {**data, "history": {
            "format": SIDECAR_FORMAT, "attempt_uuid": a.uuid, "session_uuid": s.uuid, "bank": a.bank,
            "category": a.category, "difficulty": a.difficulty, "attempt_no": a.attempt_no,
            "attempted_at": iso(a.attempted_at), "heard_transcript": a.transcript,
            "heard_words": _words(Transcript(a.transcript, a.words)), "edited": a.edited_transcript is not None}}
        if recording is not None:
            target = result_path(Path(recording))
        elif s.folder is not None:
            target = s.folder / typed_result_name(a.question_id, a.uuid)
        else:
            return
        _write_json_quietly(target, data)

    # --- reading --------------------------------------------------------------------------
    def sessions(self, limit: int | None = None) -> list[SessionInfo]:
        """Sessions, newest first, with their answer counts and average score. A session whose row
        cannot be read is left out, and named in ``unreadable_sessions``: one bad row (written by
        hand, or by an old import) must not hide every other session."""
        rows = self._read(f"SELECT {_SESSION_COLUMNS} FROM sessions s ORDER BY s.started_at DESC, s.id DESC"
                          + (" LIMIT ?" if limit else ""), (limit,) if limit else ())
        found, self.unreadable_sessions = [], []
        for row in rows:
            try:
                found.append(self._session_info(row))
            except HistoryDamagedError as exc:
                self.unreadable_sessions.append(f"Session {row[0]} cannot be read ({exc.reason}) and is not listed; "
                                                "`mockinterviewer history rebuild` restores it from its files.")
        return found

    def session(self, session_id: int) -> SessionInfo:
        rows = self._read(f"SELECT {_SESSION_COLUMNS} FROM sessions s WHERE s.id = ?", (session_id,))
        if not rows:
            raise UnknownSessionError(f"There is no session {session_id} in the history "
                                      "(mockinterviewer history lists them).")
        return self._session_info(rows[0])

    def find_session(self, key: str) -> SessionInfo:
        """A session by the number `history` shows, or by its UUID (or the UUID's first 8+ characters)."""
        key = key.strip()
        if key.isdigit():
            return self.session(int(key))
        rows = self._read(f"SELECT {_SESSION_COLUMNS} FROM sessions s WHERE s.uuid LIKE ?", (key.lower() + "%",)) \
            if len(key) >= 8 else []
        if len(rows) != 1:
            raise UnknownSessionError(f"There is no session {key!r} in the history (mockinterviewer history lists them).")
        return self._session_info(rows[0])

    def last_session(self) -> SessionInfo | None:
        """The most recent session with at least one answer."""
        rows = self._read(f"SELECT {_SESSION_COLUMNS} FROM sessions s WHERE EXISTS "
                          "(SELECT 1 FROM attempts a WHERE a.session_id = s.id) ORDER BY s.started_at DESC, s.id DESC "
                          "LIMIT 1")
        return self._session_info(rows[0]) if rows else None

    def _session_info(self, row) -> SessionInfo:
        sid = row[0]
        counts = self._read("SELECT count(*), count(DISTINCT question_id) FROM attempts WHERE session_id = ?", (sid,))[0]
        average = session_average(self._read("SELECT question_id, score FROM attempts WHERE session_id = ? "
                                             "ORDER BY attempted_at, id", (sid,)))
        with self._decoding(f"session {sid}"):
            banks = tuple(json.loads(rows.check_banks(row[4])))
            started, finished = parse_time(rows.check_time(row[6], "its start")), \
                parse_time(rows.check_time(row[7], "its end", optional=True))
        return SessionInfo(sid, row[1], row[2], row[3], banks, row[5], started, finished, self.absolute(row[8]),
                           counts[0], counts[1], average)

    @contextlib.contextmanager
    def _decoding(self, what: str):
        """A row this version cannot read (bad JSON or a bad time, written by hand or by an old
        import) is named in one sentence, never a traceback."""
        try:
            yield
        except (ValueError, TypeError, KeyError, RecursionError) as exc:  # rows.RowError is a ValueError
            reason = str(exc) if isinstance(exc, rows.RowError) else "a value cannot be read"
            raise HistoryDamagedError(self.path, f"{what}: {reason}") from exc

    def attempts(self, session_id: int) -> list[Attempt]:
        """A session's answers in the order given, retries included."""
        return [self._attempt(r) for r in self._read(
            f"SELECT {_ATTEMPT_COLUMNS} FROM attempts WHERE session_id = ? ORDER BY attempted_at, id", (session_id,))]

    def attempt(self, attempt_id: int) -> Attempt:
        return self._attempt(self._read(f"SELECT {_ATTEMPT_COLUMNS} FROM attempts WHERE id = ?", (attempt_id,))[0])

    def attempts_for_question(self, question_id: str) -> list[Attempt]:
        """Every answer to one question, oldest first: to compare an answer with the earlier ones."""
        return [self._attempt(r) for r in self._read(
            f"SELECT {_ATTEMPT_COLUMNS} FROM attempts WHERE question_id = ? ORDER BY attempted_at, id", (question_id,))]

    def _attempt(self, r) -> Attempt:
        with self._decoding(f"answer {r[0]} of session {r[2]}"):
            words = tuple(Word(t, s, e, p) for t, s, e, p in json.loads(rows.check_words(r[12])))
            result = rows.check_result(r[16])
            when = parse_time(rows.check_time(r[9], "its time"))
        turn_audio = tuple(self.absolute(path) for (path,) in self._read(
            "SELECT audio_path FROM turns WHERE attempt_id = ? ORDER BY turn_no", (r[0],)))
        return Attempt(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], when, self.absolute(r[10]),
                       r[11], words, r[13], r[14], r[15], result, turn_audio)

    def score_history(self) -> dict[str, list[tuple[dt.datetime, int]]]:
        """Each question's scores, oldest first: what spaced review schedules from."""
        out: dict[str, list[tuple[dt.datetime, int]]] = {}
        for qid, when, score in self._read("SELECT question_id, attempted_at, score FROM attempts "
                                           "ORDER BY attempted_at, id"):
            with self._decoding(f"an answer to {qid}"):
                out.setdefault(qid, []).append((parse_time(rows.check_time(when, "its time")), score))
        return out

    def question_texts(self) -> dict[str, str]:
        """The latest wording asked of each question practised."""
        return {qid: text for qid, text in self._read("SELECT question_id, question FROM attempts ORDER BY attempted_at, id")}

    def latest_scores(self) -> dict[str, int]:
        """Each question's most recent score (the window's "weakest first" order)."""
        return {qid: scores[-1][1] for qid, scores in self.score_history().items()}

    def category_series(self) -> dict[str, list[tuple[dt.datetime, float]]]:
        """For a chart of progress: per category, each session's average score, oldest first."""
        answers: dict[tuple[str, int], list[tuple[str, int]]] = {}  # (category, session) -> (question, score)
        started: dict[int, str] = {}
        for category, sid, when, qid, score in self._read(
                "SELECT a.category, s.id, s.started_at, a.question_id, a.score FROM attempts a "
                "JOIN sessions s ON s.id = a.session_id ORDER BY s.started_at, s.id, a.attempted_at, a.id"):
            answers.setdefault((category or "uncategorised", sid), []).append((qid, score))
            started[sid] = when
        out: dict[str, list[tuple[dt.datetime, float]]] = {}
        for (category, sid), pairs in answers.items():  # the session's average, on that category's answers
            with self._decoding("a session"):
                when = parse_time(rows.check_time(started[sid], "its start"))
            out.setdefault(category, []).append((when, session_average(pairs)))
        return out

    def counts(self) -> tuple[int, int]:
        """(sessions, attempts)."""
        return self._read("SELECT (SELECT count(*) FROM sessions), (SELECT count(*) FROM attempts)")[0]


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _words(transcript: Transcript) -> list[list]:
    return [[w.text, w.start, w.end, round(w.probability, 3)] for w in transcript.words]


def keep_answer_file(folder: Path, question: Question, result: ScoreResult, *, bank: str = "",
                     recording: Path | None = None, session_uuid: str | None = None, mode: str = "practice",
                     source: str = "window", banks=(), started_at: dt.datetime | None = None,
                     finished: bool = False) -> Path:
    """Keep an answer the history could not take (it is damaged, or cannot be opened): its result
    file, with the block a saved answer's file has, and its session's file, in the session's
    folder, which is what a rebuild reads, so the answer is in the history once it is rebuilt.
    Returns the result file; raises OSError when it cannot be written."""
    when = now()
    session_uuid = session_uuid or str(uuidlib.uuid4())
    attempt_uuid = str(uuidlib.uuid4())
    data = {**result.to_dict(), "history": {
        "format": SIDECAR_FORMAT, "attempt_uuid": attempt_uuid, "session_uuid": session_uuid, "bank": bank,
        "category": question.category, "difficulty": question.difficulty, "attempt_no": None,
        "attempted_at": iso(when), "heard_transcript": result.transcript.text,
        "heard_words": _words(result.transcript), "edited": False}}
    folder = Path(folder)
    target = result_path(Path(recording)) if recording else folder / typed_result_name(question.id, attempt_uuid)
    _write_json(target, data)
    _write_json(folder / f"session-{session_uuid}.json", {
        "format": SIDECAR_FORMAT, "uuid": session_uuid, "mode": mode, "source": source, "banks": list(banks),
        "model": result.transcript.model, "started_at": iso(started_at or when),
        "finished_at": iso(when) if finished else None})
    return target


def finish_kept_session(folder: Path, session_uuid: str) -> None:
    """Mark a session kept by ``keep_answer_file`` as finished (its file gets its end time)."""
    target = Path(folder) / f"session-{rows.check_uuid(session_uuid)}.json"
    data = json.loads(target.read_text(encoding="utf-8"))
    _write_json(target, {**data, "finished_at": iso(now())})


def typed_result_name(question_id: str, attempt_uuid: str) -> str:
    """The result file of a typed answer, in its session's folder: one file name whatever the id holds."""
    name = question_id if rows.is_safe_name(question_id) else "answer"
    tail = "".join(c for c in str(attempt_uuid)[:8] if c in "0123456789abcdef") or "0"
    return f"{name}-{tail}.typed{RESULT_SUFFIX}"


def _new_folder(root: Path, started_at: dt.datetime, source: str) -> Path:
    """recordings/2025-03-01_09-30-00[-cli], as the window names a session's folder; never one in use."""
    stamp = started_at.astimezone().strftime("%Y-%m-%d_%H-%M-%S") + ("-cli" if source == "cli" else "")
    folder, n = root / stamp, 1
    while folder.exists():
        n += 1
        folder = root / f"{stamp}-{n}"
    return folder


def _write_json(target: Path, data: dict) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    try:
        tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def _write_json_quietly(target: Path, data: dict) -> None:
    """A recovery file: wanted, but the database already holds what it says, so failing to write
    one (a full disk) is logged rather than undoing the save."""
    try:
        _write_json(target, data)
    except OSError as exc:
        log.warning("could not write %s: %s", target, exc)
