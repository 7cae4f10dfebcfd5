"""Checking what the history reads from outside its own code: an archive's rows, a result file's
fields, a stored path. Each check returns the value as it will be stored, or raises RowError
with the reason in a few words; the caller names the file and the session.

Every value that becomes part of a file name (a UUID, a question id) or a path (a session
folder, a recording) is checked here, so nothing read from a file can name a place outside the
folder it belongs to.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import uuid as uuidlib
from pathlib import Path, PurePosixPath, PureWindowsPath

# Bounds on one row: far above anything the app writes, far below what would exhaust memory.
MAX_TEXT = 1_000_000            # a transcript, a question (characters)
MAX_SHORT = 1_000               # an id, a bank, a category, a model name
MAX_JSON = 4_000_000            # the words or the result of one answer (an hour's answer: under 1 MB)
MAX_BANKS = 1_000
AUDIO_SUFFIXES = (".flac", ".wav")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# A question id as a file-name part: no separator, no leading dot, nothing a shell or a file system minds.
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


class RowError(ValueError):
    """A value that cannot be stored as it is; the message says why in a few words."""


def is_uuid(value) -> bool:
    return isinstance(value, str) and bool(_UUID.match(value))


def check_uuid(value, what: str = "its id") -> str:
    if not is_uuid(value):
        raise RowError(f"{what} is not a UUID")
    return value


def is_safe_name(value) -> bool:
    return isinstance(value, str) and bool(_NAME.match(value)) and ".." not in value


def check_name(value, what: str) -> str:
    if not is_safe_name(value):
        raise RowError(f"{what} {_show(value)} is not an id")
    return value


def check_text(value, what: str, limit: int = MAX_TEXT, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise RowError(f"{what} is not text")
    if len(value) > limit:
        raise RowError(f"{what} is longer than {limit:,} characters")
    return value


def check_int(value, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise RowError(f"{what} is not a whole number from {low} to {high}")
    return value


def check_number(value, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise RowError(f"{what} is not a number")
    return value


def check_time(value, what: str, optional: bool = False) -> str | None:
    """An ISO 8601 time with its offset, returned in UTC as the history stores it."""
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > 64:
        raise RowError(f"{what} is not a time")
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise RowError(f"{what} {_show(value)} is not a time") from None
    if when.tzinfo is None:
        raise RowError(f"{what} {_show(value)} has no time zone")
    return when.astimezone(dt.timezone.utc).isoformat()


def parse_json(value, what: str, limit: int = MAX_JSON):
    if not isinstance(value, str):
        raise RowError(f"{what} is not JSON text")
    if len(value) > limit:
        raise RowError(f"{what} is longer than {limit:,} characters")
    try:
        return json.loads(value)
    except (ValueError, RecursionError):
        raise RowError(f"{what} is not valid JSON") from None


def check_banks(value) -> str:
    banks = parse_json(value, "its list of banks", MAX_SHORT * MAX_BANKS)
    if not isinstance(banks, list) or len(banks) > MAX_BANKS or \
            not all(isinstance(b, str) and len(b) <= MAX_SHORT for b in banks):
        raise RowError("its list of banks is not a list of bank ids")
    return json.dumps(banks)


def check_words(value) -> str:
    words = parse_json(value, "its word timings")
    if not isinstance(words, list) or not all(_is_word(w) for w in words):
        raise RowError("its word timings are not a list of [word, start, end, probability]")
    return value


def _is_word(w) -> bool:
    return isinstance(w, list) and len(w) == 4 and isinstance(w[0], str) and all(
        not isinstance(x, bool) and isinstance(x, (int, float)) and math.isfinite(x) for x in w[1:])


MAX_TURNS = 100  # follow-ups after one answer: each point asked twice at most, and one deeper question
TURN_KINDS = frozenset({"challenge", "probe", "hint", "deeper"})
TURN_STATUSES = frozenset({"", "covered", "partly", "incorrect", "missed"})


def check_result(value) -> dict:
    """A stored ScoreResult.to_dict(): parsed, and readable back the way reports read it."""
    from mockinterviewer.core.scoring import ScoreResult
    from mockinterviewer.store.migrations import delivery_columns

    data = parse_json(value, "its result")
    if not isinstance(data, dict):
        raise RowError("its result is not a JSON object")
    try:
        result = ScoreResult.from_dict(data)
        columns = delivery_columns(data)
        texts = [result.question_id, result.question, result.transcript.text, result.reference_answer,
                 result.explanation, *(k.label for k in result.key_points),
                 *(x for t in result.turns for x in (t.follow_up.kind, t.follow_up.text, t.follow_up.point,
                                                     t.follow_up.phrased_by, t.status,
                                                     t.transcript.text if t.transcript else ""))]
        if not all(isinstance(t, str) for t in texts) or not 0 <= result.score <= 100:
            raise TypeError
        if len(result.turns) > MAX_TURNS or any(t.follow_up.kind not in TURN_KINDS or t.status not in TURN_STATUSES
                                                for t in result.turns):
            raise ValueError
        for figure in columns:
            check_number(figure, "a delivery figure")
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError):  # RowError is a ValueError
        raise RowError("its result is not a score result") from None
    return data


def session_folder(value, data_dir: Path) -> str | None:
    """A session's folder as stored (relative to the data folder): it must lie under recordings/.
    A folder that was absolute on the computer that wrote it names nothing here, so it is dropped."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 4 * MAX_SHORT:
        raise RowError("its folder is not a path")
    if PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute():
        return None
    check_inside(data_dir, value, "recordings", "its folder")
    return value


def check_inside(root: Path, relative: str, under: str, what: str) -> Path:
    """``root / relative``, which must be a plain relative path under ``root / under`` and stay
    there once links are followed; return it."""
    parts = PurePosixPath(relative).parts
    if not parts or parts[0] != under or len(parts) < 2 or PurePosixPath(relative).is_absolute() or \
            any(p in ("..", ".") or "\\" in p or "\x00" in p or ":" in p for p in parts):
        raise RowError(f"{what} {_show(relative)} is not a path under {under}/")
    target = Path(root).joinpath(*parts)
    if not inside(Path(root) / under, target):
        raise RowError(f"{what} {_show(relative)} leads outside {under}/")
    return target


def inside(folder: Path, path: Path) -> bool:
    """Whether ``path`` stays in ``folder`` once ".." and links are resolved."""
    try:
        return Path(path).resolve().is_relative_to(Path(folder).resolve())
    except (OSError, RuntimeError):  # a link loop
        return False


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
