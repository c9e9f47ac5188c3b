"""The Argos Translate adapter: models from our own folder, translation with no network.

How argostranslate (the `argos-translate-lt` build, 1.12) is configured, read from its source:

- `argostranslate.settings` reads everything **once, at import time**: the environment
  (`ARGOS_PACKAGES_DIR`, `ARGOS_CHUNK_TYPE`, `ARGOS_MODEL_PROVIDER`, `ARGOS_DEVICE_TYPE`,
  `ARGOS_PACKAGE_INDEX`, ...), then `$XDG_CONFIG_HOME/argos-translate/settings.json` for what
  the environment does not set, and it creates `$XDG_DATA_HOME/argos-translate`, the config
  folder and `$XDG_CACHE_HOME/argos-translate/downloads` (under the home folder by default).
  Setting the environment after the import changes nothing; the module's attributes
  (`settings.package_dirs`, `settings.chunk_type`, `settings.device`, ...) are read when used,
  so they can be set after the import.
- Importing `argostranslate.sbd` with `ARGOS_CHUNK_TYPE=SPACY` downloads a spaCy model at once;
  a user's `settings.json` with `ARGOS_MODEL_PROVIDER=LIBRETRANSLATE` or `OPENAI` makes the
  language list a web request.
- Since 1.10 a translation splits sentences with MiniSBD. A package that carries
  `minisbd/<lang>.onnx` uses that file; any other package (most published ones carry a
  `stanza/` folder instead) makes the first translation **download** a sentence model from
  MiniSBD's release page.

So this module:

1. imports argostranslate once per process (so it must be the first to import it) with a
   prepared environment, restored right after the import: the user's `ARGOS_*` and `SNAP*`
   variables hidden, except the speed settings (`ARGOS_INTER_THREADS`, `ARGOS_INTRA_THREADS`,
   `ARGOS_BATCH_SIZE`, `ARGOS_BEAM_SIZE`, `ARGOS_COMPUTE_TYPE`); `XDG_DATA_HOME`,
   `XDG_CONFIG_HOME` and `XDG_CACHE_HOME` pointed at a throwaway temporary folder (so no
   user `settings.json` is read and nothing is created in the home folder);
   `ARGOS_PACKAGES_DIR` set to the (first) engine's models folder; `ARGOS_MODEL_PROVIDER=OPENNMT`,
   `ARGOS_CHUNK_TYPE=MINISBD`, `ARGOS_DEVICE_TYPE=cpu`, and `ARGOS_PACKAGE_INDEX` a `file:`
   address in the temporary folder;
2. never calls argostranslate's package management (`get_installed_packages`,
   `install_from_path`, `get_installed_languages`, `update_package_index`, `download`): models
   are listed, installed and removed by `app.mt.packages` in the app's own data folder, and a
   translation is built directly from `argostranslate.translate.PackageTranslation` (one
   model) or `CompositeTranslation` (two, through a pivot language);
3. chooses each model's sentence splitter itself: MiniSBD with the package's own `.onnx` file
   (given by its full path, which MiniSBD opens without a download), else `RuleSentencizer`
   below (split after . ! ? and their CJK forms), never a download;
4. points MiniSBD's download address at the temporary folder too, so even a code path this
   module does not know of finds nothing to fetch.
"""

from __future__ import annotations

import atexit
import logging
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.mt.base import (
    MachineTranslationError,
    ModelInfo,
    NoModel,
    Route,
    TranslationFailed,
)
from app.mt.packages import install_model, list_models, remove_model

_import_lock = threading.Lock()
_home: Path | None = None


@dataclass(frozen=True)
class _Argos:
    """The parts of argostranslate (and MiniSBD) this module uses, imported once."""

    settings: Any
    package: Any
    sbd: Any
    translate: Any
    minisbd_models: Any
    detector: Any  # minisbd.SBDetect


_argos: _Argos | None = None


class RuleSentencizer:
    """Sentence splitting without a model: after . ! ? (and 。！？) followed by a space."""

    _END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])\s*")

    def split_sentences(self, text: str) -> list[str]:
        return [part for part in (p.strip() for p in self._END.split(text)) if part]

    def __str__(self) -> str:
        return "RuleSentencizer"


# argostranslate's speed settings, the only ARGOS_* variables of the user that are kept.
TUNING = frozenset(
    [
        "ARGOS_INTER_THREADS",
        "ARGOS_INTRA_THREADS",
        "ARGOS_BATCH_SIZE",
        "ARGOS_BEAM_SIZE",
        "ARGOS_COMPUTE_TYPE",
    ]
)


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """Run with `values` set and the user's ARGOS_* / SNAP* variables hidden, then restore."""
    hidden = {
        key: value
        for key, value in os.environ.items()
        if key.startswith(("ARGOS_", "SNAP")) and key not in TUNING
    }
    replaced = {key: os.environ.get(key) for key in values}
    for key in hidden:
        del os.environ[key]
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in replaced.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old
        os.environ.update(hidden)


def _load_argos(models_dir: Path) -> _Argos:
    """Import argostranslate (once per process) so that it reads nothing of the user's."""
    global _argos, _home
    with _import_lock:
        if _argos is not None:
            return _argos
        _home = Path(tempfile.mkdtemp(prefix="ssoc-argos-"))
        atexit.register(shutil.rmtree, _home, True)
        models_dir.mkdir(parents=True, exist_ok=True)
        nowhere = (_home / "no-index").as_uri() + "/"
        environment = {
            "XDG_DATA_HOME": str(_home / "data"),
            "XDG_CONFIG_HOME": str(_home / "config"),
            "XDG_CACHE_HOME": str(_home / "cache"),
            "ARGOS_PACKAGES_DIR": str(models_dir),
            "ARGOS_MODEL_PROVIDER": "OPENNMT",
            "ARGOS_CHUNK_TYPE": "MINISBD",
            "ARGOS_DEVICE_TYPE": "cpu",
            "ARGOS_PACKAGE_INDEX": nowhere,
            "ARGOS_DEBUG": "0",
        }
        with _environment(environment):
            import argostranslate.package
            import argostranslate.sbd
            import argostranslate.settings
            import argostranslate.translate
            import minisbd.models
            from minisbd import SBDetect
        # argostranslate logs at INFO and WARNING (e.g. "falling back to en" for a splitter
        # this module replaces anyway); errors still show.
        logging.getLogger("argostranslate.utils").setLevel(logging.ERROR)
        minisbd.models.REPO_URL = nowhere
        minisbd.models.cache_dir = str(_home / "minisbd")
        _argos = _Argos(
            settings=argostranslate.settings,
            package=argostranslate.package,
            sbd=argostranslate.sbd,
            translate=argostranslate.translate,
            minisbd_models=minisbd.models,
            detector=SBDetect,
        )
        return _argos


def default_models_dir(data: Path | None = None) -> Path:
    """Where models are kept: `<data folder>/translation-models`."""
    from app.paths import data_dir

    return (data if data is not None else data_dir()) / "translation-models"


class ArgosTranslation:
    """`MachineTranslation` with Argos Translate models kept in `models_dir`.

    Listing, installing and removing do not load the engine; the first translation does.
    Loaded models are kept until the model is removed or replaced. Thread-safe.
    """

    def __init__(self, models_dir: Path) -> None:
        self.models_dir = models_dir
        self._lock = threading.RLock()
        self._loaded: dict[tuple[str, int, int], Any] = {}
        self._listed: list[ModelInfo] = []
        self._listed_key: object = None

    # -- models ------------------------------------------------------------------------

    def installed(self) -> list[ModelInfo]:
        # Listed again only when a model folder changed: `translate` asks for every line.
        with self._lock:
            key = _fingerprint(self.models_dir)
            if key != self._listed_key:
                self._listed = list_models(self.models_dir)
                self._listed_key = key
            return list(self._listed)

    def install(self, path: Path) -> ModelInfo:
        with self._lock:
            info = install_model(self.models_dir, path)
            self._forget()
            return info

    def remove(self, name: str) -> ModelInfo:
        with self._lock:
            self._forget()  # closes the loaded model files before deleting them
            return remove_model(self.models_dir, name)

    def _forget(self) -> None:
        self._loaded.clear()

    # -- routes ------------------------------------------------------------------------

    def route(self, source: str, target: str) -> Route | None:
        models = self.installed()
        return _best_route(models, source, target)

    def available_pairs(self) -> list[tuple[str, str]]:
        models = self.installed()
        langs = {m.source for m in models} | {m.target for m in models}
        return sorted((s, t) for s in langs for t in langs if s != t and _best_route(models, s, t))

    def can_translate(self, source: str, target: str) -> bool:
        return self.route(source, target) is not None

    # -- translation -------------------------------------------------------------------

    def translate(self, text: str, source: str, target: str) -> str:
        route = self.route(source, target)
        if route is None:
            raise NoModel(source, target)
        if not text.strip():
            return ""
        with self._lock:
            try:
                translation = self._chain(route)
                return str(translation.translate(text))
            except MachineTranslationError:
                raise
            except Exception as exc:  # the engine's own errors: damaged files, bad input
                raise TranslationFailed(f"{route.describe()}: {exc}") from exc

    def _chain(self, route: Route) -> Any:
        argos = _load_argos(self.models_dir)
        steps = [self._model(argos, step) for step in route.steps]
        chained = steps[0]
        for step in steps[1:]:
            chained = argos.translate.CompositeTranslation(chained, step)
        return chained

    def _model(self, argos: _Argos, info: ModelInfo) -> Any:
        metadata = (info.path / "metadata.json").stat()
        key = (info.name, metadata.st_ino, metadata.st_mtime_ns)
        if key not in self._loaded:
            self._loaded = {k: v for k, v in self._loaded.items() if k[0] != info.name}
            self._loaded[key] = _package_translation(argos, info)
        return self._loaded[key]


def _fingerprint(models_dir: Path) -> object:
    """Changes when a model is added, removed or replaced in `models_dir`."""
    try:
        entries = []
        for folder in models_dir.iterdir():
            if not folder.name.startswith("."):
                try:
                    found = (folder / "metadata.json").stat()
                except OSError:
                    continue
                entries.append((folder.name, found.st_ino, found.st_mtime_ns, found.st_size))
        return tuple(sorted(entries))
    except OSError:
        return ()


def _package_translation(argos: _Argos, info: ModelInfo) -> Any:
    settings, translate = argos.settings, argos.translate
    # Read by PackageTranslation when it is made and used (see the module's docstring).
    settings.chunk_type = settings.ChunkType.MINISBD
    settings.model_provider = settings.ModelProvider.OPENNMT
    settings.device = "cpu"
    package = argos.package.Package(info.path)
    if not hasattr(package, "tokenizer"):
        raise TranslationFailed(f"{info.name}: no tokenizer (sentencepiece.model or bpe.model)")
    languages = {
        code: translate.Language(code, name)
        for code, name in (
            (package.from_code, info.source_name),
            (package.to_code, info.target_name),
        )
    }
    model = translate.PackageTranslation(
        languages[package.from_code], languages[package.to_code], package
    )
    model.sentencizer = _sentencizer(argos, package)
    return model


def _sentencizer(argos: _Argos, package: Any) -> Any:
    folder = Path(package.package_path) / "minisbd"
    models = sorted(folder.glob("*.onnx")) if folder.is_dir() else []
    if not models:
        return RuleSentencizer()
    splitter = argos.sbd.MiniSBDSentencizer(package)
    splitter.lang = str(models[0].resolve())  # a file path: MiniSBD opens it, never downloads
    # Opened here, on one thread (argostranslate would use ONNX Runtime's default pool):
    # splitting a line is tiny work, and the cores are for CTranslate2.
    splitter.detector = argos.detector(splitter.lang, use_gpu=False, max_threads=1)
    return splitter


def _best_route(models: list[ModelInfo], source: str, target: str) -> Route | None:
    """A direct model; else two through English; else two through another language."""
    if source == target:
        return None
    by_pair = {m.pair: m for m in models}
    if (source, target) in by_pair:
        return Route(source, target, (by_pair[source, target],))
    pivots = sorted(
        {m.target for m in models if m.source == source}
        & {m.source for m in models if m.target == target},
        key=lambda lang: (lang != "en", lang),
    )
    for pivot in pivots:
        if pivot not in (source, target):
            return Route(source, target, (by_pair[source, pivot], by_pair[pivot, target]))
    return None


# -- the app's entry point for one line -------------------------------------------------

_engines: dict[Path, ArgosTranslation] = {}
_engines_lock = threading.Lock()


def engine_for(models_dir: Path | None = None) -> ArgosTranslation:
    """The shared engine of a models folder (default: the app's data folder)."""
    folder = (models_dir or default_models_dir()).resolve()
    with _engines_lock:
        if folder not in _engines:
            _engines[folder] = ArgosTranslation(folder)
        return _engines[folder]


def translate_text(
    text: str, source: str, target: str, models_dir: Path | None = None
) -> str | None:
    """Translate one line on the device; None when no installed model can do `source`→`target`.

    Raises TranslationFailed when an installed model fails (damaged files).
    """
    engine = engine_for(models_dir)
    if engine.route(source, target) is None:
        return None
    try:
        return engine.translate(text, source, target)
    except NoModel:  # removed in between
        return None
