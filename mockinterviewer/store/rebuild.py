"""Making the history again from the files beside the recordings, when the database is damaged.

The damaged file is moved aside, never deleted (``history.sqlite3.damaged-20250301-093000``),
and a new database is filled from every ``*.result.json`` under ``recordings/`` and the
``session-UUID.json`` files beside them. Results written by ``History.save_attempt`` carry the
session, bank and times; older ones (written before the history existed) are grouped by their
folder, and their bank, category and difficulty are looked up in the banks given. The audio is
only read, never moved.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import logging
import os
import uuid as uuidlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from mockinterviewer import paths
from mockinterviewer.core.turns import Turn
from mockinterviewer.errors import first_line
from mockinterviewer.speech.recovery import RESULT_SUFFIX
from mockinterviewer.store import migrations, rows
from mockinterviewer.store.errors import DiskFullError, HistoryError
from mockinterviewer.store.history import History, iso, parse_time, plural

log = logging.getLogger(__name__)
_FOLDER_NAMESPACE = uuidlib.UUID("6f1c2a53-1d57-4c1e-9a56-5b0b1c3e4f10")
MAX_FILE = 16 * 2**20  # a result or session file; the app writes a few KB


@dataclass
class RebuildReport:
    moved_to: Path | None                  # where the damaged database now is
    sessions: int = 0
    attempts: int = 0
    unreadable: list[Path] = field(default_factory=list)  # result files that could not be read

    def summary(self) -> str:
        kept = f"; the damaged file is kept as {self.moved_to}" if self.moved_to else ""
        skipped = f"; {plural(len(self.unreadable), 'unreadable file')} skipped" if self.unreadable else ""
        return f"Rebuilt the history: {plural(self.sessions, 'session')}, {plural(self.attempts, 'answer')}{kept}{skipped}."


def move_aside(db_path: Path) -> Path | None:
    """Rename the database and its WAL files out of the way; return the new name of the database."""
    db_path = Path(db_path)
    if not db_path.exists():
        return None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = db_path.with_name(f"{db_path.name}.damaged-{stamp}-{n}")
    for extra in ("-wal", "-shm"):  # they belong to the damaged file, and would confuse a new one
        side = db_path.with_name(db_path.name + extra)
        if side.exists():
            os.replace(side, target.with_name(target.name + extra))
    os.replace(db_path, target)
    return target


def rebuild_history(path: Path | None = None, data_dir: Path | None = None, banks=()) -> RebuildReport:
    """Move the database at ``path`` aside and make it again from the result files.

    Never on a full disk: the database stays where it is (a full disk makes a good history look
    damaged, and a new one could not be written anyway). Should the new one fail to be made, the
    old one is put back."""
    data_dir = Path(data_dir) if data_dir else paths.data_dir()
    path = Path(path) if path else data_dir / paths.HISTORY_DB_NAME
    if migrations.is_full(path.parent if path.parent.exists() else data_dir):
        raise DiskFullError(f"The disk holding {path} is full, so the history was not rebuilt (the database is "
                            "left as it is, and it may well be fine): free some space and try again.")
    report = RebuildReport(move_aside(path))
    lookup = {q.id: (b.id, q) for b in banks for q in b.questions}
    try:
        with History(path, data_dir) as history:
            for folder in sorted(p for p in (data_dir / "recordings").glob("*") if p.is_dir()):
                _rebuild_folder(history, folder, lookup, report)
    except (HistoryError, OSError) as exc:
        _put_back(path, report.moved_to)
        if isinstance(exc, DiskFullError) or getattr(exc, "errno", None) == errno.ENOSPC:
            raise DiskFullError(f"The disk holding {path} filled up while the history was rebuilt, so it is left "
                                "as it was: free some space and try again.") from exc
        if isinstance(exc, HistoryError):
            raise
        raise HistoryError(f"The history could not be rebuilt ({first_line(exc)}); it is left as it was.") from exc
    log.info(report.summary())
    return report


def _put_back(path: Path, moved: Path | None) -> None:
    """Undo a rebuild that failed: remove the new database and return the old one to its place."""
    for extra in ("", "-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    if moved is None:
        return
    for extra in ("-wal", "-shm"):
        side = Path(f"{moved}{extra}")
        if side.exists():
            os.replace(side, Path(f"{path}{extra}"))
    os.replace(moved, path)


def _rebuild_folder(history: History, folder: Path, lookup: dict, report: RebuildReport) -> None:
    sessions = {}
    for file in folder.glob("session-*.json"):
        try:
            info = _session_file(file)
            sessions[info["uuid"]] = info
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            report.unreadable.append(file)
    results = _results(folder, report)
    by_session: dict[str, list] = defaultdict(list)
    for audio, data in results:
        meta = data.get("history") or {}
        by_session[meta.get("session_uuid") or str(uuidlib.uuid5(_FOLDER_NAMESPACE, folder.name))].append((audio, data))
    for session_uuid, answers in by_session.items():
        answers.sort(key=lambda item: _when(*item))
        info = sessions.get(session_uuid) or {}
        started = parse_time(info.get("started_at")) or _folder_time(folder) or _when(*answers[0])
        source = info.get("source") or ("cli" if "-cli" in folder.name else "window")
        banks = info.get("banks") or sorted({_bank(d, lookup) for _, d in answers} - {""})
        session_id = history.start_session(info.get("mode", "practice"), source, banks,
                                           info.get("model") or answers[0][1].get("model", ""), folder,
                                           started_at=started, session_uuid=session_uuid)
        for audio, data in answers:
            _restore_attempt(history, session_id, audio, data, lookup)
            report.attempts += 1
        finished = parse_time(info.get("finished_at")) if info else _when(*answers[-1])
        if finished:
            history.finish_session(session_id, finished)
        report.sessions += 1


def _read_json(file: Path):
    if not file.is_file():  # a pipe or a device would be read forever
        raise ValueError(f"{file.name} is not a file")
    if file.stat().st_size > MAX_FILE:
        raise ValueError(f"{file.name} is larger than a result file can be")
    return json.loads(file.read_text(encoding="utf-8"))


def _session_file(file: Path) -> dict:
    """A session-UUID.json, its fields checked (they become a file name and the session's times)."""
    info = _read_json(file)
    if not isinstance(info, dict):
        raise ValueError("not an object")
    rows.check_uuid(info["uuid"])
    for key in ("started_at", "finished_at"):
        rows.check_time(info.get(key), key, optional=True)
    if info.get("mode", "practice") not in ("practice", "mock") or info.get("source", "window") not in ("window", "cli"):
        raise ValueError("mode or source")
    rows.check_banks(json.dumps(info.get("banks") or []))
    rows.check_text(info.get("model") or "", "model", rows.MAX_SHORT)
    return info


def _result_file(file: Path) -> dict:
    """A result file, its fields checked: the ids become file names, the times sort the history."""
    data = _read_json(file)
    if isinstance(data, dict) and data.get("discarded"):
        return data
    if not isinstance(data, dict):
        raise ValueError("not an object")
    rows.check_result(json.dumps({k: v for k, v in data.items() if k != "history"}))
    rows.check_name(data["question_id"], "question id")
    meta = data.get("history") or {}
    if not isinstance(meta, dict):
        raise ValueError("history block")
    for key in ("attempt_uuid", "session_uuid"):
        if meta.get(key) is not None:
            rows.check_uuid(meta[key])
    rows.check_time(meta.get("attempted_at"), "attempted_at", optional=True)
    if meta.get("attempt_no") is not None:
        rows.check_int(meta["attempt_no"], "attempt_no", 1, 1_000_000)
    for key in ("bank", "category", "difficulty"):
        rows.check_text(meta.get(key) or "", key, rows.MAX_SHORT)
    rows.check_text(meta.get("heard_transcript", ""), "heard_transcript")
    rows.check_words(json.dumps(meta.get("heard_words", data.get("words") or [])))
    return data


def _results(folder: Path, report: RebuildReport) -> list[tuple[Path | None, dict]]:
    """Each answer's result once: after a crash while compressing, both NAME.wav.result.json and
    NAME.flac.result.json may be there; the one whose audio exists wins, FLAC first."""
    chosen: dict[str, tuple[int, Path | None, dict]] = {}
    for file in sorted(folder.glob(f"*{RESULT_SUFFIX}")):
        try:
            data = _result_file(file)
            if data.get("discarded"):
                continue  # a recording the candidate discarded or typed over: not an answer
        except (OSError, ValueError, KeyError, TypeError, RecursionError):  # rows.RowError is a ValueError
            report.unreadable.append(file)
            continue
        name = file.name[:-len(RESULT_SUFFIX)]
        audio = None if name.endswith(".typed") else file.with_name(name)
        meta = data.get("history") or {}
        key = meta.get("attempt_uuid") or (str(audio.with_suffix("")) if audio else name)
        rank = 0 if audio is None else (2 if audio.exists() else 0) + (audio.suffix == ".flac")
        if key not in chosen or rank > chosen[key][0]:
            chosen[key] = (rank, audio if audio is None or audio.exists() else None, data)
    return [(audio, data) for _, audio, data in chosen.values()]


def _when(audio: Path | None, data: dict) -> dt.datetime:
    when = parse_time((data.get("history") or {}).get("attempted_at"))
    if when:
        return when
    source = audio if audio and audio.exists() else None
    stamp = source.stat().st_mtime if source else 0
    return dt.datetime.fromtimestamp(stamp, dt.timezone.utc).replace(microsecond=0)


def _folder_time(folder: Path) -> dt.datetime | None:
    try:  # the window's and the CLI's folder names: 2025-03-01_09-30-00[-cli]
        return dt.datetime.strptime(folder.name[:19], "%Y-%m-%d_%H-%M-%S").astimezone()
    except ValueError:
        return None


def _bank(data: dict, lookup: dict) -> str:
    return (data.get("history") or {}).get("bank") or lookup.get(data["question_id"], ("", None))[0]


def _restore_attempt(history: History, session_id: int, audio: Path | None, data: dict, lookup: dict) -> None:
    when = _when(audio, data)
    meta = data.pop("history", None) or {}
    _, question = lookup.get(data["question_id"], ("", None))
    heard_words = meta.get("heard_words", data.get("words") or [])
    edited = meta.get("edited", False)
    history._insert_attempt({
        "uuid": meta.get("attempt_uuid") or str(uuidlib.uuid4()), "session_id": session_id,
        "question_id": data["question_id"], "bank": _bank({**data, "history": meta}, lookup),
        "question": data.get("question", ""),
        "category": meta.get("category") or (question.category if question else ""),
        "difficulty": meta.get("difficulty") or (question.difficulty if question else ""),
        "attempt_no": meta.get("attempt_no"), "attempted_at": iso(when),
        "audio_path": history.relative(audio) if audio else None,
        "transcript": meta.get("heard_transcript", data.get("transcript", "")),
        "words": json.dumps(heard_words), "edited_transcript": data.get("transcript") if edited else None,
        "score": int(data["score"]), "result": json.dumps(data, ensure_ascii=False), "model": data.get("model", ""),
    }, _turns(history, audio, data))


def _turns(history: History, audio: Path | None, data: dict) -> list[dict]:
    """The answer's follow-up turns from its result, each reply's recording found by its name
    beside the answer's (FLAC, or the WAV it was made as), never by the path the file gives."""
    turns = [Turn.from_dict(t).to_dict() for t in data.get("turns") or ()]
    for t in turns:
        name = PurePosixPath(str(t["audio"]).replace("\\", "/")).name if t["audio"] else ""
        found = None
        if audio is not None and name:
            stem = Path(name).stem
            found = next((p for p in (audio.parent / f"{stem}.flac", audio.parent / f"{stem}.wav") if p.is_file()),
                         None)
        t["audio"] = history.relative(found) if found else ""
    return turns
