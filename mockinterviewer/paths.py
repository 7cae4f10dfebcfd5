"""Where the app's files live: shipped banks and assets, and the user's folders (platformdirs)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP = "MockInterviewer"
HISTORY_DB_NAME = "history.sqlite3"
_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    # Inside an installed wheel the folder sits in the package; in a source checkout, beside it.
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


def questions_dir() -> Path:
    return _shipped("questions")


def assets_dir() -> Path:
    return _shipped("assets")


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def user_banks_dir() -> Path:
    return data_dir() / "banks"


def recordings_dir() -> Path:
    return data_dir() / "recordings"


def history_db() -> Path:
    """The practice history (SQLite), beside the recordings it refers to."""
    return data_dir() / HISTORY_DB_NAME


def bank_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP, appauthor=False)) / "banks"


def models_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP, appauthor=False)) / "models"


def bank_dirs() -> list[Path]:
    return [questions_dir(), user_banks_dir()]
