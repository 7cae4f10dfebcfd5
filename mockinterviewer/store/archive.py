"""The whole history as one file, to move to another computer: export and import.

An archive is a zip holding ``manifest.json`` (format name and version, counts, and which file
is whose audio), ``history.sqlite3`` (a snapshot made with SQLite's backup API, so it is
consistent while the app runs) and ``audio/...`` (each recording, at its path under the data
folder). Importing merges: a session already in the history (same UUID) is skipped, so
importing the same archive twice adds nothing. Each session is added in one transaction.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mockinterviewer import __version__
from mockinterviewer.errors import first_line
from mockinterviewer.store import migrations
from mockinterviewer.store.errors import ArchiveError, DiskFullError, HistoryError
from mockinterviewer.store.history import History, iso, plural

ARCHIVE_FORMAT = "mockinterviewer-history"
ARCHIVE_VERSION = 1


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
                member = f"audio/{stored}" if inside else f"audio/external/{attempt_uuid}{path.suffix}"
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
    """Merge the archive's sessions and recordings into ``history``."""
    archive = Path(archive)
    try:
        zf = zipfile.ZipFile(archive)
    except FileNotFoundError as exc:
        raise ArchiveError(f"There is no archive {archive}.") from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(f"{archive} is not a Mock Interviewer history archive (it is not a zip file).") from exc
    with zf, tempfile.TemporaryDirectory() as tmp:
        manifest = _manifest(zf, archive)
        snapshot = Path(tmp) / "history.sqlite3"
        with zf.open("history.sqlite3") as src, open(snapshot, "wb") as dst:
            shutil.copyfileobj(src, dst)
        source = migrations.connect(snapshot)  # an archive from an older version is migrated first
        try:
            return _merge(history, source, zf, manifest)
        finally:
            source.close()


def _manifest(zf: zipfile.ZipFile, archive: Path) -> dict:
    names = set(zf.namelist())
    if not {"manifest.json", "history.sqlite3"} <= names:
        raise ArchiveError(f"{archive} is not a Mock Interviewer history archive (it has no manifest or database).")
    try:
        manifest = json.loads(zf.read("manifest.json"))
    except ValueError as exc:
        raise ArchiveError(f"The manifest of {archive} is unreadable ({first_line(exc)}).") from exc
    if manifest.get("format") != ARCHIVE_FORMAT:
        raise ArchiveError(f"{archive} is not a Mock Interviewer history archive.")
    if not isinstance(manifest.get("version"), int) or manifest["version"] > ARCHIVE_VERSION:
        raise ArchiveError(f"{archive} was written by a later version of Mock Interviewer "
                           f"(archive format {manifest.get('version')}): update the app to import it.")
    for member in (manifest.get("audio") or {}).values():
        if member is not None and (member not in names or not _safe(member)):
            raise ArchiveError(f"{archive} is damaged: it names a recording {member!r} it does not hold.")
    return manifest


def _safe(member: str) -> bool:
    """A member that stays inside the data folder once extracted ("audio/../../x" does not)."""
    parts = PurePosixPath(member).parts
    return member.startswith("audio/") and ".." not in parts and not PurePosixPath(member).is_absolute()


def _merge(history: History, source: sqlite3.Connection, zf: zipfile.ZipFile, manifest: dict) -> ImportReport:
    known = {u for (u,) in history._read("SELECT uuid FROM sessions")}
    audio_members = manifest.get("audio") or {}
    added = skipped = attempts_added = audio_files = 0
    for session in source.execute("SELECT id, uuid, mode, source, banks, model, started_at, finished_at, folder "
                                  "FROM sessions ORDER BY started_at, id").fetchall():
        old_id, session_uuid = session[0], session[1]
        if session_uuid in known:
            skipped += 1
            continue
        attempts = source.execute(
            "SELECT uuid, question_id, bank, question, category, difficulty, attempt_no, attempted_at, transcript, "
            "words, edited_transcript, score, result, model, duration_s, words_per_minute, fillers "
            "FROM attempts WHERE session_id = ? ORDER BY attempted_at, id", (old_id,)).fetchall()
        placed = {}
        for attempt in attempts:
            member = audio_members.get(attempt[0])
            if member:
                placed[attempt[0]] = _extract(zf, member, history.data_dir)
                audio_files += 1
        with history._write() as conn:
            new_id = conn.execute(
                "INSERT INTO sessions (uuid, mode, source, banks, model, started_at, finished_at, folder) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (*session[1:8], None if session[8] is None or Path(session[8]).is_absolute() else session[8])).lastrowid
            for a in attempts:
                audio = placed.get(a[0])
                conn.execute(
                    "INSERT OR IGNORE INTO attempts (uuid, session_id, question_id, bank, question, category, "
                    "difficulty, attempt_no, attempted_at, audio_path, transcript, words, edited_transcript, score, "
                    "result, model, duration_s, words_per_minute, fillers) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (a[0], new_id, *a[1:8], history.relative(audio) if audio else None, *a[8:]))
        # The recovery files beside the recordings, so this computer can rebuild from them too.
        history._write_session_sidecar(new_id)
        for attempt in history.attempts(new_id):
            history._write_result_sidecar(attempt.id, attempt.audio, attempt.result_data)
        attempts_added += len(attempts)
        added += 1
        known.add(session_uuid)
    return ImportReport(added, skipped, attempts_added, audio_files)


def _extract(zf: zipfile.ZipFile, member: str, data_dir: Path) -> Path:
    """Copy a recording to its place under the data folder; an identical file already there is
    reused, a different one keeps its name and the import takes another."""
    relative = PurePosixPath(member).relative_to("audio")
    if relative.parts[0] == "external":
        relative = PurePosixPath("recordings", "imported", *relative.parts[1:])
    target = data_dir.joinpath(*relative.parts)
    digest = hashlib.sha256(zf.read(member)).hexdigest()
    n = 1
    while target.exists():
        if hashlib.sha256(target.read_bytes()).hexdigest() == digest:
            return target
        n += 1
        target = target.with_name(f"{target.stem.split('~')[0]}~{n}{target.suffix}")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with zf.open(member) as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst)
    except OSError as exc:
        target.unlink(missing_ok=True)
        if exc.errno == errno.ENOSPC:
            raise DiskFullError(f"The disk is full, so {target} could not be imported: "
                                "free some space and import again (nothing already imported is lost).") from exc
        raise
    return target
