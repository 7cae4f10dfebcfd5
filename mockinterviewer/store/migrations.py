"""Opening the history database: checks, settings, and versioned migrations.

The version is SQLite's ``PRAGMA user_version``. A new database is created from ``schema.sql``
(the latest version); an older one is brought forward one version at a time, each step in one
transaction, after a copy of the file is kept beside it (``history.sqlite3.v1.bak``). A test
migrates a real file of every earlier version and checks it ends with the tables of a new one.
"""

from __future__ import annotations

import errno
import json
import logging
import shutil
import sqlite3
import stat
from importlib import resources
from pathlib import Path

from mockinterviewer.errors import first_line
from mockinterviewer.store.errors import DiskFullError, HistoryDamagedError, HistoryError, HistoryTooNewError

LATEST = 4
_HEADER = b"SQLite format 3\x00"
# Below this much free space, an SQLite I/O error is the disk being full, not damage: SQLite says
# "disk I/O error" when it cannot grow its shared-memory file on a full disk.
FULL_BELOW = 2**20
log = logging.getLogger(__name__)


def schema_sql() -> str:
    return resources.files("mockinterviewer.store").joinpath("schema.sql").read_text(encoding="utf-8")


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    """Delivery figures as columns (charts over time), filled in from each stored result."""
    for column in ("duration_s REAL", "words_per_minute REAL", "fillers INTEGER"):
        conn.execute(f"ALTER TABLE attempts ADD COLUMN {column}")
    conn.execute("CREATE INDEX attempts_by_question ON attempts (question_id, attempted_at)")
    rows = conn.execute("SELECT id, result FROM attempts").fetchall()
    for attempt_id, result in rows:
        conn.execute("UPDATE attempts SET duration_s = ?, words_per_minute = ?, fillers = ? WHERE id = ?",
                     (*delivery_columns(json.loads(result)), attempt_id))


def _v2_to_v3(conn: sqlite3.Connection) -> None:
    """The language model that gave a second opinion on an answer (NULL: none), from each stored result."""
    conn.execute("ALTER TABLE attempts ADD COLUMN llm_model TEXT")
    for attempt_id, result in conn.execute("SELECT id, result FROM attempts").fetchall():
        conn.execute("UPDATE attempts SET llm_model = ? WHERE id = ?", (llm_model_column(json.loads(result)), attempt_id))


def _v3_to_v4(conn: sqlite3.Connection) -> None:
    """Follow-up turns in a table of their own; an answer saved before has none."""
    conn.execute("CREATE TABLE turns (id INTEGER PRIMARY KEY, "
                 "attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE, "
                 "turn_no INTEGER NOT NULL CHECK (turn_no >= 1), kind TEXT NOT NULL, question TEXT NOT NULL, "
                 "point TEXT NOT NULL DEFAULT '', audio_path TEXT, transcript TEXT, "
                 "status TEXT NOT NULL DEFAULT '', UNIQUE (attempt_id, turn_no))")


# MIGRATIONS[n] turns a version n-1 database into version n.
MIGRATIONS = {2: _v1_to_v2, 3: _v2_to_v3, 4: _v3_to_v4}


def llm_model_column(result) -> str | None:
    """The model named in a stored result's second opinion; None for none (or a result not as written)."""
    opinion = result.get("second_opinion") if isinstance(result, dict) else None
    model = opinion.get("model") if isinstance(opinion, dict) else None
    return model[:200] if isinstance(model, str) else None


def delivery_columns(result: dict) -> tuple[float | None, float | None, int | None]:
    d = result.get("delivery") or {}
    fillers = d.get("fillers")
    return d.get("duration"), d.get("words_per_minute"), None if fillers is None else sum(fillers.values())


def connect(path: Path) -> sqlite3.Connection:
    """The history at ``path``, created or migrated to the latest version.

    One connection, usable from any thread (the caller serialises its use with a lock).
    Raises HistoryDamagedError for a file that is not a readable history, DiskFullError when the
    disk is full, and HistoryError (one sentence) for a path that is a folder or cannot be read.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode if path.exists() else None
        if mode is not None and not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
            raise HistoryError(f"The practice history {path} is {kind}, not a database file: "
                               "move it out of the way and try again.")
        if mode is not None and path.stat().st_size:
            with open(path, "rb") as f:
                if f.read(16) != _HEADER:
                    raise HistoryDamagedError(path, "it is not an SQLite database")
    except OSError as exc:
        raise _os_error(exc, path) from exc
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
    try:
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise HistoryDamagedError(path, "its integrity check failed")
        conn.execute("PRAGMA journal_mode = WAL")  # readers never wait on the writer; a commit is one append
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")  # with WAL: durable at checkpoints, never corrupt
        migrate(conn, path)
    except HistoryError:
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        raise as_user_error(exc, path, opening=True) from exc
    except OSError as exc:  # the backup kept before a migration
        conn.close()
        raise _os_error(exc, path) from exc
    return conn


def _os_error(exc: OSError, path: Path) -> HistoryError:
    folder = next((p for p in (path.parent, *path.parent.parents) if p.exists()), None)
    if folder is not None and not folder.is_dir():
        return HistoryError(f"The data folder {folder} is a file, not a folder, so the practice history cannot be "
                            "kept there: move the file out of the way and try again.")
    if exc.errno == errno.ENOSPC:
        return disk_full(path, opening=True)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return HistoryError(f"The practice history {path} cannot be read (permission denied): "
                            "check the permissions of the file and its folder.")
    return HistoryError(f"The practice history {path} cannot be opened ({first_line(exc)}).")


def disk_full(path: Path, opening: bool = False) -> DiskFullError:
    if opening:
        return DiskFullError(f"The disk holding {path} is full, so the practice history cannot be opened "
                             "(nothing in it is lost): free some space and try again.")
    return DiskFullError(f"The disk holding {path} is full, so the last answer was not added to the history "
                         "(everything saved before it is kept): free some space and try again.")


def is_full(folder: Path) -> bool:
    """Whether the disk holding ``folder`` is (all but) full."""
    try:
        return shutil.disk_usage(folder).free < FULL_BELOW
    except OSError:
        return False


def version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection, path: Path | None = None) -> int:
    """Bring the database to LATEST; return the version it had."""
    found = version(conn)
    if found == LATEST:
        return found
    if found > LATEST:
        raise HistoryTooNewError(f"The practice history {path} was written by a later version of Mock Interviewer "
                                 f"(schema {found}; this one reads up to {LATEST}): update the app to open it.")
    tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    if found == 0:
        if tables:
            raise HistoryDamagedError(path, "it is an SQLite database of another program")
        try:
            conn.executescript(f"BEGIN IMMEDIATE;\n{schema_sql()}\nPRAGMA user_version = {LATEST};\nCOMMIT;")
        except sqlite3.Error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return found
    if path is not None:
        backup = path.with_name(f"{path.name}.v{found}.bak")
        if not backup.exists():
            with sqlite3.connect(backup) as copy:
                conn.backup(copy)
            copy.close()
    for target in range(found + 1, LATEST + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[target](conn)
            conn.execute(f"PRAGMA user_version = {target}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        log.info("practice history migrated to schema version %d", target)
    return found


def as_user_error(exc: sqlite3.Error, path, opening: bool = False) -> HistoryError:
    """An SQLite failure in words: a full disk, a busy or read-only file, or damage."""
    text = first_line(exc)
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+; the message before that
    full = (code & 0xFF) == getattr(sqlite3, "SQLITE_FULL", 13) if code is not None else "full" in text
    # An I/O error or a file that cannot be opened is the disk being full when there is no room left.
    if full or ("I/O error" in text or "unable to open" in text) and is_full(Path(path).parent):
        return disk_full(path, opening)
    if "locked" in text or "busy" in text:
        return HistoryError(f"The practice history {path} is busy in another program: close it and try again.")
    if "readonly" in text or "unable to open" in text:
        return HistoryError(f"The practice history {path} cannot be written ({text}): check the folder's permissions.")
    return HistoryDamagedError(path, text)
