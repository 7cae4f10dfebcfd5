"""The whole history as one file, to move to another computer: export and import.

An archive is a zip holding ``manifest.json`` (format name and version, counts, and which file
is whose audio), ``history.sqlite3`` (a snapshot made with SQLite's backup API, so it is
consistent while the app runs) and ``audio/...`` (each recording, at its path under the data
folder). Importing merges: a session already in the history (same UUID) is skipped, so
importing the same archive twice adds nothing.

An archive is hostile until checked: sizes are capped from the zip's directory and counted again
while streaming (zip bombs), every row and every path it yields is checked (``rows.py``) before
anything is written, and then the recordings are copied and every new session goes in in one
transaction, the recordings removed again if that fails. docs/history.md lists the limits.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mockinterviewer import __version__
from mockinterviewer.errors import first_line
from mockinterviewer.speech.recovery import result_path
from mockinterviewer.store import migrations, rows
from mockinterviewer.store.errors import ArchiveError, DiskFullError, HistoryDamagedError, HistoryError
from mockinterviewer.core.turns import Turn
from mockinterviewer.store.history import MODES, SOURCES, History, insert_turns, iso, plural
from mockinterviewer.store.rows import RowError

ARCHIVE_FORMAT = "mockinterviewer-history"
ARCHIVE_VERSION = 1

# What an archive may hold: an archive is hostile until checked. Recordings are FLAC (a five-minute
# answer is a few MB) and stored uncompressed in the zip; a database compresses a few times over.
MAX_MEMBERS = 200_000
MAX_MANIFEST = 32 * 2**20        # the manifest maps every answer to its recording (about 110 bytes each)
MAX_MANIFEST_CONTAINERS = 64     # it is one object holding one map: a million empty lists would be a memory bomb
MAX_DATABASE = 2 * 2**30
MAX_RECORDING = 512 * 2**20      # one recording
MAX_TOTAL = 64 * 2**30           # everything unpacked
MAX_RATIO = 200                  # unpacked / packed, for a member over RATIO_FROM (a real history: under 40)
RATIO_FROM = 2**20
CHUNK = 2**20


@dataclass(frozen=True)
class ImportReport:
    sessions_added: int
    sessions_skipped: int       # already in the history
    attempts_added: int
    audio_files: int

    def summary(self) -> str:
        skipped = f", {self.sessions_skipped} already there" if self.sessions_skipped else ""
        return (f"Imported {plural(self.sessions_added, 'session')} ({plural(self.attempts_added, 'answer')}, "
                f"{plural(self.audio_files, 'recording')}){skipped}.")


def export_history(history: History, target: Path) -> dict:
    """Write the history and its recordings to the zip ``target``; return its manifest."""
    target = Path(target)
    part = target.with_name(target.name + ".part")
    audio: dict[str, str | None] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp, \
                zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as zf:
            snapshot = Path(tmp) / "history.sqlite3"
            history.snapshot(snapshot)
            conn = sqlite3.connect(snapshot)
            rows = conn.execute("SELECT uuid, audio_path FROM attempts").fetchall()
            # A follow-up reply's recording is listed under "ANSWER-UUID#TURN" (older apps look
            # recordings up by the answer's UUID alone, so they pass these by).
            rows += conn.execute("SELECT a.uuid || '#' || t.turn_no, t.audio_path FROM turns t "
                                 "JOIN attempts a ON a.id = t.attempt_id WHERE t.audio_path IS NOT NULL").fetchall()
            sessions, attempts = conn.execute(
                "SELECT (SELECT count(*) FROM sessions), (SELECT count(*) FROM attempts)").fetchone()
            schema = migrations.version(conn)
            conn.close()
            zf.write(snapshot, "history.sqlite3")
            for attempt_uuid, stored in rows:
                path = history.absolute(stored)
                if path is None or not path.is_file():
                    audio[attempt_uuid] = None
                    continue
                inside = Path(stored).is_absolute() is False and ".." not in PurePosixPath(stored).parts
                member = f"audio/{stored}" if inside else \
                    f"audio/external/{attempt_uuid.replace('#', '-')}{path.suffix}"
                zf.write(path, member, compress_type=zipfile.ZIP_STORED)  # FLAC is compressed already
                audio[attempt_uuid] = member
            manifest = {"format": ARCHIVE_FORMAT, "version": ARCHIVE_VERSION, "schema_version": schema,
                        "app_version": __version__, "created_at": iso(dt.datetime.now(dt.timezone.utc)),
                        "sessions": sessions, "attempts": attempts, "audio": audio}
            zf.writestr("manifest.json", json.dumps(manifest, indent=1))
        os.replace(part, target)
    except OSError as exc:
        part.unlink(missing_ok=True)
        if exc.errno == errno.ENOSPC:
            raise DiskFullError(f"The disk is full, so the archive {target} could not be written: "
                                "free some space and export again.") from exc
        raise HistoryError(f"The archive {target} could not be written ({first_line(exc)}).") from exc
    return manifest


def import_history(history: History, archive: Path) -> ImportReport:
    """Merge the archive's sessions and recordings into ``history``: all of it, or (refused in one
    sentence) none of it. Every row and path is checked before anything is written."""
    archive = Path(archive)
    if archive.exists() and not archive.is_file():  # a folder, or a pipe that would wait for a writer
        raise ArchiveError(f"{archive} is not a file, so it is not a history archive.")
    try:
        zf = zipfile.ZipFile(archive)
    except FileNotFoundError as exc:
        raise ArchiveError(f"There is no archive {archive}.") from exc
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ArchiveError(f"{archive} is not a Mock Interviewer history archive (it is not a zip file).") from exc
    with zf, tempfile.TemporaryDirectory(prefix="mockinterviewer-import-") as tmp:
        members = _members(zf, archive)
        manifest = _manifest(zf, members, archive)
        source = _open_source(zf, members, Path(tmp) / "history.sqlite3", archive)
        try:
            plan = _plan(history, source, manifest, members, archive)
            _check_room(history, plan, members)
            return _merge(history, source, zf, plan, members, archive)
        finally:
            source.close()


def _members(zf: zipfile.ZipFile, archive: Path) -> dict[str, zipfile.ZipInfo]:
    """The archive's members by name, their declared sizes checked (the real sizes are counted as
    they are read, since a zip's header can lie)."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ArchiveError(f"{archive} holds {len(infos):,} files, more than a history archive may "
                           f"({MAX_MEMBERS:,}); nothing was imported.")
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        if info.filename in members:
            raise ArchiveError(f"{archive} is damaged: it holds {info.filename!r} twice; nothing was imported.")
        members[info.filename] = info
        _check_size(info, info.file_size, archive)
        total += info.file_size
    if total > MAX_TOTAL:
        raise ArchiveError(f"{archive} would unpack to {_size(total)}, more than a history archive may "
                           f"({_size(MAX_TOTAL)}); nothing was imported.")
    return members


def _limit(name: str) -> int:
    return MAX_MANIFEST if name == "manifest.json" else MAX_DATABASE if name == "history.sqlite3" else MAX_RECORDING


def _check_size(info: zipfile.ZipInfo, size: int, archive: Path) -> None:
    """Refuse a member bigger than its kind may be, or one that unpacks to far more than it
    takes in the zip (a zip bomb: recordings are stored, a database compresses a few times)."""
    if size > _limit(info.filename):
        raise ArchiveError(f"{archive} holds {info.filename!r} of {_size(size)}, more than "
                           f"{_size(_limit(info.filename))}; nothing was imported.")
    if size > RATIO_FROM and size > MAX_RATIO * max(info.compress_size, 1):
        raise ArchiveError(f"{archive} holds {info.filename!r}, which unpacks to over {MAX_RATIO} times its "
                           "packed size (a zip bomb, or a damaged archive); nothing was imported.")


def _copy_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, dst, archive: Path, digest=None) -> int:
    """Stream one member into the open file ``dst``, never more than its limits allow; return its size."""
    size = 0
    try:
        with zf.open(info) as src:
            while True:
                chunk = src.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                _check_size(info, size, archive)
                if digest is not None:
                    digest.update(chunk)
                dst.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError) as exc:
        # RuntimeError: encrypted; NotImplementedError: a compression zipfile does not know
        raise ArchiveError(f"{archive} is damaged: {info.filename!r} cannot be read ({first_line(exc)}); "
                           "nothing was imported.") from exc
    return size


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, archive: Path) -> bytes:
    buffer = io.BytesIO()
    _copy_member(zf, info, buffer, archive)
    return buffer.getvalue()


def _manifest(zf: zipfile.ZipFile, members: dict, archive: Path) -> dict:
    if "manifest.json" not in members or "history.sqlite3" not in members:
        raise ArchiveError(f"{archive} is not a Mock Interviewer history archive (it has no manifest or database).")
    raw = _read_member(zf, members["manifest.json"], archive)
    if raw.count(b"[") + raw.count(b"{") > MAX_MANIFEST_CONTAINERS:
        raise ArchiveError(f"{archive} is damaged: its manifest is not the shape of one (it nests "
                           "far more lists and objects than a manifest holds); nothing was imported.")
    try:
        manifest = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # RecursionError: nested deeper than Python parses
        raise ArchiveError(f"The manifest of {archive} is unreadable ({first_line(exc)}).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != ARCHIVE_FORMAT:
        raise ArchiveError(f"{archive} is not a Mock Interviewer history archive.")
    found = manifest.get("version")
    if isinstance(found, bool) or not isinstance(found, int) or found < 1:
        raise ArchiveError(f"{archive} is damaged: its manifest gives no archive format version.")
    if found > ARCHIVE_VERSION:
        raise ArchiveError(f"{archive} was written by a later version of Mock Interviewer "
                           f"(archive format {found}): update the app to import it.")
    audio = manifest.get("audio") or {}
    if not isinstance(audio, dict) or not all(isinstance(m, str) or m is None for m in audio.values()):
        raise ArchiveError(f"{archive} is damaged: its manifest's list of recordings is not a map from "
                           "answer to file; nothing was imported.")
    for member in audio.values():
        if member is not None and (member not in members or not _safe(member)):
            raise ArchiveError(f"{archive} is damaged: it names a recording {member!r} it does not hold.")
    return {**manifest, "audio": audio}


def _safe(member: str) -> bool:
    """A member that stays inside the data folder once extracted ("audio/../../x" does not)."""
    parts = PurePosixPath(member).parts
    return member.startswith("audio/") and ".." not in parts and not PurePosixPath(member).is_absolute()


def _open_source(zf: zipfile.ZipFile, members: dict, snapshot: Path, archive: Path) -> sqlite3.Connection:
    """The archive's database, unpacked to a temporary file and brought to this version. Whatever
    is wrong with it is the archive's fault, never said to be damage to the user's own history."""
    try:
        with open(snapshot, "wb") as dst:
            _copy_member(zf, members["history.sqlite3"], dst, archive)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise DiskFullError(f"The disk holding the temporary folder is full, so {archive} could not be "
                                "imported (nothing was added): free some space and import again.") from exc
        raise ArchiveError(f"{archive} could not be unpacked ({first_line(exc)}); nothing was imported.") from exc
    with open(snapshot, "rb") as f:
        if f.read(16) != b"SQLite format 3\x00":
            raise ArchiveError(f"{archive} is damaged: its database is not an SQLite file; nothing was imported.")
    conn = sqlite3.connect(snapshot, isolation_level=None)
    try:
        conn.execute("PRAGMA trusted_schema = OFF")  # its views and triggers may not call functions
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise ArchiveError(f"{archive} is damaged: its database fails its integrity check; nothing was imported.")
        found = migrations.version(conn)
        if found > migrations.LATEST:
            raise ArchiveError(f"{archive} was written by a later version of Mock Interviewer (history schema "
                               f"{found}; this one reads up to {migrations.LATEST}): update the app to import it.")
        migrations.migrate(conn)  # an archive from an older version (its own copy, no backup kept)
    except ArchiveError:
        conn.close()
        raise
    except (sqlite3.Error, HistoryError, ValueError, TypeError, KeyError, RecursionError) as exc:
        conn.close()
        reason = exc.reason if isinstance(exc, HistoryDamagedError) else first_line(exc)
        raise ArchiveError(f"{archive} is damaged: its database cannot be read ({reason}); "
                           "nothing was imported.") from exc
    return conn


@dataclass
class _Plan:
    sessions: list[str]                     # UUIDs of the sessions to add, in order
    attempts: int
    audio: dict[str, tuple[str, Path]]      # attempt UUID -> (member, where it is meant to go)


_SESSION_SQL = ("SELECT id, uuid, mode, source, banks, model, started_at, finished_at, folder FROM sessions "
                "ORDER BY started_at, id")
_ATTEMPT_SQL = ("SELECT uuid, question_id, bank, question, category, difficulty, attempt_no, attempted_at, "
                "transcript, words, edited_transcript, score, result, model, duration_s, words_per_minute, fillers "
                "FROM attempts WHERE session_id = ? ORDER BY attempted_at, id")


def _rows(source: sqlite3.Connection, data_dir: Path, archive: Path):
    """Each session of the archive with its answers, every value checked; a bad one refuses the whole
    archive. Read row by row, so a big archive is not held in memory."""
    try:
        for row in source.execute(_SESSION_SQL):
            where = f"session {row[1]!r}" if isinstance(row[1], str) and len(row[1]) < 60 else "a session"
            try:
                session = _check_session(row, data_dir)
            except RowError as exc:
                raise ArchiveError(f"{archive} is damaged: {where}: {exc}; nothing was imported.") from exc
            yield session, _attempt_rows(source, row[0], where, archive)
    except sqlite3.Error as exc:
        raise ArchiveError(f"{archive} is damaged: its database cannot be read ({first_line(exc)}); "
                           "nothing was imported.") from exc


def _attempt_rows(source, session_id, where, archive):
    try:
        for row in source.execute(_ATTEMPT_SQL, (session_id,)):
            try:
                yield _check_attempt(row)
            except RowError as exc:
                raise ArchiveError(f"{archive} is damaged: {where}, an answer: {exc}; nothing was imported.") from exc
    except sqlite3.Error as exc:
        raise ArchiveError(f"{archive} is damaged: its database cannot be read ({first_line(exc)}); "
                           "nothing was imported.") from exc


def _check_session(row, data_dir: Path) -> dict:
    if row[2] not in MODES or row[3] not in SOURCES:
        raise RowError("its mode or source is not one the app writes")
    return {"uuid": rows.check_uuid(row[1]), "mode": row[2], "source": row[3], "banks": rows.check_banks(row[4]),
            "model": rows.check_text(row[5], "its model", rows.MAX_SHORT),
            "started_at": rows.check_time(row[6], "its start"),
            "finished_at": rows.check_time(row[7], "its end", optional=True),
            "folder": rows.session_folder(row[8], data_dir)}


def _check_attempt(a) -> dict:
    short = rows.MAX_SHORT
    checked = {"uuid": rows.check_uuid(a[0], "its id"), "question_id": rows.check_name(a[1], "its question id"),
            "bank": rows.check_text(a[2], "its bank", short), "question": rows.check_text(a[3], "its question"),
            "category": rows.check_text(a[4], "its category", short),
            "difficulty": rows.check_text(a[5], "its difficulty", short),
            "attempt_no": rows.check_int(a[6], "its attempt number", 1, 1_000_000),
            "attempted_at": rows.check_time(a[7], "its time"), "transcript": rows.check_text(a[8], "its transcript"),
            "words": rows.check_words(a[9]),
            "edited_transcript": rows.check_text(a[10], "its correction", optional=True),
            "score": rows.check_int(a[11], "its score", 0, 100),
            "result": json.dumps(rows.check_result(a[12]), ensure_ascii=False),
            "model": rows.check_text(a[13], "its model", short),
            "duration_s": rows.check_number(a[14], "its duration"),
            "words_per_minute": rows.check_number(a[15], "its pace"),
            "fillers": rows.check_number(a[16], "its filler count")}
    # Its follow-up turns come from its result, checked above (rows.check_result), not from the
    # archive's own turns table: one source, already checked.
    checked["turns"] = [Turn.from_dict(t).to_dict() for t in json.loads(checked["result"]).get("turns") or ()]
    return checked


def _plan(history: History, source: sqlite3.Connection, manifest: dict, members: dict, archive: Path) -> _Plan:
    """Check every row and every path before anything is written; decide what is new."""
    known_sessions = {u for (u,) in history._read("SELECT uuid FROM sessions")}
    known_attempts = {u for (u,) in history._read("SELECT uuid FROM attempts")}
    plan = _Plan([], 0, {})
    seen_sessions, seen_attempts = set(), set()
    for session, attempts in _rows(source, history.data_dir, archive):
        if session["uuid"] in seen_sessions:
            raise ArchiveError(f"{archive} is damaged: it holds session {session['uuid']} twice; nothing was imported.")
        seen_sessions.add(session["uuid"])
        new = session["uuid"] not in known_sessions
        answers = fresh = 0
        for attempt in attempts:
            if attempt["uuid"] in seen_attempts:
                raise ArchiveError(f"{archive} is damaged: it holds answer {attempt['uuid']} twice; "
                                   "nothing was imported.")
            seen_attempts.add(attempt["uuid"])
            answers += 1
            if not new or attempt["uuid"] in known_attempts:
                continue
            fresh += 1
            keys = [attempt["uuid"]] + [f"{attempt['uuid']}#{n}" for n in range(1, len(attempt["turns"]) + 1)]
            for key in keys:  # the answer's recording, then its follow-up replies'
                member = manifest["audio"].get(key)
                if member:
                    plan.audio[key] = (member, _audio_target(member, history.data_dir, archive))
        if new and (fresh or not answers):  # a session whose answers are all here already adds nothing
            plan.sessions.append(session["uuid"])
            plan.attempts += fresh
    targets = [target for _, target in plan.audio.values()]
    if len(set(targets)) != len(targets):
        raise ArchiveError(f"{archive} is damaged: it gives two answers the same recording; nothing was imported.")
    return plan


def _audio_target(member: str, data_dir: Path, archive: Path) -> Path:
    """Where a recording goes: its path under the data folder, which must be under recordings/ and
    end as audio (a recording from outside the other computer's data folder goes to recordings/imported/)."""
    relative = PurePosixPath(member).relative_to("audio")
    if relative.parts and relative.parts[0] == "external":
        relative = PurePosixPath("recordings", "imported", *relative.parts[1:])
    try:
        if relative.suffix.lower() not in rows.AUDIO_SUFFIXES:
            raise RowError(f"the recording {member!r} is not a FLAC or WAV file")
        return rows.check_inside(data_dir, relative.as_posix(), "recordings", "the recording")
    except RowError as exc:
        raise ArchiveError(f"{archive} is damaged: {exc}; nothing was imported.") from exc


def _check_room(history: History, plan: _Plan, members: dict) -> None:
    """Refuse before writing when the recordings cannot fit (the database needs some room too)."""
    needed = sum(members[m].file_size for m, _ in plan.audio.values()) + members["history.sqlite3"].file_size
    try:
        history.data_dir.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(history.data_dir).free
    except OSError:
        return
    if needed > free:
        raise DiskFullError(f"The disk holding {history.data_dir} has {_size(free)} free, and the archive needs "
                            f"about {_size(needed)}: free some space and import again (nothing was added).")


def _merge(history: History, source: sqlite3.Connection, zf: zipfile.ZipFile, plan: _Plan, members: dict,
           archive: Path) -> ImportReport:
    """Copy the recordings, then add every new session and answer in one transaction; if anything
    fails, the recordings this import made are removed again and the history is as it was."""
    made: list[Path] = []
    placed: dict[str, Path] = {}
    added_ids: list[int] = []
    wanted = set(plan.sessions)
    try:
        for attempt_uuid, (member, target) in plan.audio.items():
            placed[attempt_uuid] = _extract(zf, members[member], target, archive, made)
        with history._write() as conn:
            for session, attempts in _rows(source, history.data_dir, archive):
                if session["uuid"] not in wanted:
                    continue
                new_id = conn.execute(
                    "INSERT INTO sessions (uuid, mode, source, banks, model, started_at, finished_at, folder) "
                    "VALUES (:uuid, :mode, :source, :banks, :model, :started_at, :finished_at, :folder)",
                    session).lastrowid
                added_ids.append(new_id)
                for attempt in attempts:
                    audio = placed.get(attempt["uuid"])
                    added = conn.execute(
                        "INSERT OR IGNORE INTO attempts (uuid, session_id, question_id, bank, question, category, "
                        "difficulty, attempt_no, attempted_at, audio_path, transcript, words, edited_transcript, "
                        "score, result, model, duration_s, words_per_minute, fillers, llm_model) VALUES (:uuid, "
                        ":session_id, :question_id, :bank, :question, :category, :difficulty, :attempt_no, "
                        ":attempted_at, :audio_path, :transcript, :words, :edited_transcript, :score, :result, :model, "
                        ":duration_s, :words_per_minute, :fillers, :llm_model)",
                        {**attempt, "session_id": new_id, "audio_path": history.relative(audio) if audio else None,
                         "llm_model": migrations.llm_model_column(json.loads(attempt["result"]))})
                    if added.rowcount:
                        turns = [{**t, "audio": history.relative(placed[f"{attempt['uuid']}#{n}"])
                                  if f"{attempt['uuid']}#{n}" in placed else ""}
                                 for n, t in enumerate(attempt["turns"], 1)]
                        insert_turns(conn, added.lastrowid, turns)
            attempts_added = conn.execute(
                f"SELECT count(*) FROM attempts WHERE session_id IN ({','.join('?' * len(added_ids))})",
                added_ids).fetchone()[0] if added_ids else 0
    except DiskFullError as exc:
        _remove(made)
        raise DiskFullError(f"The disk holding {history.data_dir} is full, so {archive} was not imported "
                            "(nothing was added): free some space and import again.") from exc
    except BaseException:
        _remove(made)
        raise
    # The recovery files beside the recordings, so this computer can rebuild from them too.
    for new_id in added_ids:
        history._write_session_sidecar(new_id)
        for attempt in history.attempts(new_id):
            history._write_result_sidecar(attempt.id, attempt.audio, attempt.result_data)
    return ImportReport(len(added_ids), _skipped(source, plan), attempts_added, len(placed))


def _skipped(source: sqlite3.Connection, plan: _Plan) -> int:
    return source.execute("SELECT count(*) FROM sessions").fetchone()[0] - len(plan.sessions)


def _extract(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, archive: Path, made: list[Path]) -> Path:
    """Copy a recording to its place under the data folder, streamed and bounded; an identical file
    already there is reused, and a name already taken (by other audio, or by a result file whose
    audio is gone) is left alone and the import takes another. Each file made is listed in ``made``."""
    part = target.with_name(f".{target.name}.import-part")
    digest = hashlib.sha256()
    try:
        part.parent.mkdir(parents=True, exist_ok=True)
        made.append(part)
        with open(part, "wb") as dst:
            _copy_member(zf, info, dst, archive, digest)
        stem, n = target.stem.split("~")[0], 1
        while target.exists() or result_path(target).exists():
            if target.is_file() and _digest(target) == digest.hexdigest():
                part.unlink()
                made.remove(part)
                return target
            n += 1
            target = target.with_name(f"{stem}~{n}{target.suffix}")
        os.replace(part, target)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise DiskFullError(f"The disk is full, so {target} could not be imported.") from exc
        raise ArchiveError(f"{target} could not be written ({first_line(exc)}); nothing was imported.") from exc
    made[made.index(part)] = target
    return target


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _remove(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


def _size(n: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:.1f} {unit}".replace(".0 ", " ")
        n /= 1024
    return f"{n} GiB"
