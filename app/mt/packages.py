"""The folder of installed Argos Translate models: list, install from a file, remove.

This module reads and writes files only; it does not import argostranslate (so the settings
screen can list models without loading the translation engine).

An `.argosmodel` is a zip archive of one folder:

    translate-en_ms-1_0/
      metadata.json          from_code, to_code, from_name, to_name, package_version, ...
      model/model.bin ...    the CTranslate2 model
      sentencepiece.model    (or bpe.model) the tokenizer
      minisbd/<lang>.onnx    optional: the sentence splitter (argostranslate 1.10+)

Installing checks the archive first (one top folder, no absolute or `..` paths, no links, the
files above present), unpacks it into a hidden folder beside the models and then moves it in
place, so the models folder never holds half a model. A model for a pair already installed is
replaced (that is how a newer version is installed).
"""

from __future__ import annotations

import json
import shutil
import stat
import threading
import uuid
import zipfile
from pathlib import Path, PurePosixPath

from app.mt.base import MachineTranslationError, ModelFileError, ModelInfo, UnknownModel, from_argos

MAX_UNPACKED = 4 * 1024**3  # real models are 50-300 MB; anything this large is not one
_lock = threading.Lock()


def list_models(models_dir: Path) -> list[ModelInfo]:
    """Installed translation models in `models_dir` (a missing folder has none)."""
    if not models_dir.is_dir():
        return []
    found = []
    for folder in models_dir.iterdir():
        if folder.name.startswith(".") or not folder.is_dir():
            continue  # hidden: an install or removal in progress
        info = read_model(folder)
        if info is not None:
            found.append(info)
    return sorted(found, key=lambda m: (m.source, m.target, m.name))


def read_model(folder: Path) -> ModelInfo | None:
    """The model in `folder`, or None if it is not a translation model."""
    try:
        metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not _is_translation(metadata):
        return None
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    return ModelInfo(
        name=folder.name,
        source=from_argos(metadata["from_code"]),
        target=from_argos(metadata["to_code"]),
        source_name=str(metadata.get("from_name") or ""),
        target_name=str(metadata.get("to_name") or ""),
        version=str(metadata.get("package_version") or ""),
        size=size,
        path=folder,
    )


def _is_translation(metadata: object) -> bool:
    return (
        isinstance(metadata, dict)
        and metadata.get("type", "translate") == "translate"
        and isinstance(metadata.get("from_code"), str)
        and isinstance(metadata.get("to_code"), str)
        and bool(metadata["from_code"])
        and bool(metadata["to_code"])
    )


def install_model(models_dir: Path, file: Path) -> ModelInfo:
    """Install the `.argosmodel` at `file`; raises ModelFileError if it is not a usable one."""
    if not file.is_file():
        raise ModelFileError(f"{file}: no such file")
    if not zipfile.is_zipfile(file):
        raise ModelFileError(f"{file}: not an Argos Translate model (not a zip archive)")
    with _lock:
        try:
            models_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise MachineTranslationError(f"cannot create {models_dir}: {exc}") from exc
        staging = models_dir / f".installing-{uuid.uuid4().hex}"
        try:
            with zipfile.ZipFile(file) as archive:
                top = _check_archive(file, archive)
                staging.mkdir()
                archive.extractall(staging)
            unpacked = staging / top
            info = read_model(unpacked)
            if info is None:  # checked in the archive already; a race or a bad file system
                raise ModelFileError(f"{file}: metadata.json cannot be read after unpacking")
            return _move_in(models_dir, unpacked, info)
        except (OSError, zipfile.BadZipFile, RuntimeError) as exc:
            raise MachineTranslationError(f"cannot install {file}: {exc}") from exc
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _check_archive(file: Path, archive: zipfile.ZipFile) -> str:
    """The archive's single top folder, after checking every entry is safe and present."""
    tops: set[str] = set()
    names: set[str] = set()
    total = 0
    for entry in archive.infolist():
        path = PurePosixPath(entry.filename)
        if (
            entry.filename.startswith(("/", "\\"))
            or "\\" in entry.filename
            or ".." in path.parts
            or ":" in path.parts[0]
        ):
            raise ModelFileError(f"{file}: unsafe path in the archive: {entry.filename!r}")
        if stat.S_ISLNK(entry.external_attr >> 16):
            raise ModelFileError(f"{file}: the archive contains a link: {entry.filename!r}")
        tops.add(path.parts[0])
        names.add(str(path))
        total += entry.file_size
    if len(tops) != 1:
        raise ModelFileError(
            f"{file}: not an Argos Translate model (expected one folder, found "
            f"{', '.join(sorted(tops)) or 'nothing'})"
        )
    top = tops.pop()
    if top.startswith("."):
        raise ModelFileError(f"{file}: the model's folder name {top!r} starts with a dot")
    if total > MAX_UNPACKED:
        raise ModelFileError(f"{file}: unpacks to {total // 1024**2} MB, too large for a model")
    if f"{top}/metadata.json" not in names:
        raise ModelFileError(f"{file}: not an Argos Translate model (no {top}/metadata.json)")
    try:
        metadata = json.loads(archive.read(f"{top}/metadata.json").decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelFileError(f"{file}: metadata.json cannot be read: {exc}") from exc
    if not _is_translation(metadata):
        raise ModelFileError(
            f"{file}: not a translation model (metadata.json needs type translate, "
            "from_code and to_code)"
        )
    if f"{top}/model/model.bin" not in names:
        raise ModelFileError(f"{file}: no CTranslate2 model ({top}/model/model.bin)")
    if not names & {f"{top}/sentencepiece.model", f"{top}/bpe.model"}:
        raise ModelFileError(f"{file}: no tokenizer ({top}/sentencepiece.model or bpe.model)")
    return top


def _move_in(models_dir: Path, unpacked: Path, info: ModelInfo) -> ModelInfo:
    replaced = [
        m for m in list_models(models_dir) if m.pair == info.pair or m.name == unpacked.name
    ]
    target = models_dir / unpacked.name
    trash = []
    for old in replaced:
        aside = models_dir / f".removing-{uuid.uuid4().hex}"
        old.path.rename(aside)
        trash.append(aside)
    if target.exists():  # a folder of that name that is not a model: keep it, aside
        aside = models_dir / f".removing-{uuid.uuid4().hex}"
        target.rename(aside)
        trash.append(aside)
    unpacked.rename(target)
    for folder in trash:
        shutil.rmtree(folder, ignore_errors=True)
    installed = read_model(target)
    assert installed is not None
    return installed


def remove_model(models_dir: Path, name: str) -> ModelInfo:
    """Delete the installed model called `name` (its folder name); returns what it was."""
    with _lock:
        folder = models_dir / name
        info = (
            read_model(folder)
            if name and not name.startswith(".") and "/" not in name and "\\" not in name
            else None
        )
        if info is None:
            names = ", ".join(m.name for m in list_models(models_dir)) or "none installed"
            raise UnknownModel(f"no installed model called {name!r} ({names})")
        aside = models_dir / f".removing-{uuid.uuid4().hex}"
        try:
            folder.rename(aside)
        except OSError as exc:
            raise MachineTranslationError(f"cannot remove {folder}: {exc}") from exc
        shutil.rmtree(aside, ignore_errors=True)
        return info
