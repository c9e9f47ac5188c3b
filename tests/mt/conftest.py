"""Tiny real Argos Translate packages, built once per test session, and a network guard.

Every test in tests/mt runs under the guard: any connection, datagram or name lookup other
than the loopback fails the test (even if the code under test swallowed the error).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.mt.argos import _load_argos
from tests.mt.builder import BuiltPackage, build_package, train_sentencepiece
from tests.mt.netguard import Guard

GUARDED = Path(__file__).resolve().parent / "guarded"  # PYTHONPATH for guarded subprocesses


@pytest.fixture(autouse=True)
def no_network() -> Iterator[Guard]:
    guard = Guard().install()
    try:
        yield guard
    finally:
        guard.uninstall()
    assert guard.attempts == [], f"the code tried to use the network: {guard.attempts}"


@pytest.fixture(scope="session", autouse=True)
def one_thread(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The tiny test models run faster on one thread than on a pool (as ARGOS_INTRA_THREADS=1
    does for the subprocesses)."""
    _load_argos(tmp_path_factory.mktemp("first-models-dir")).settings.intra_threads = 1


@dataclass(frozen=True)
class Packages:
    en_ms: BuiltPackage  # with a MiniSBD sentence splitter, like argostranslate 1.10+ packages
    en_ms_newer: BuiltPackage  # the same pair, version 1.1
    en_es: BuiltPackage  # without one, like older packages (stanza/ folder or none)
    es_th: BuiltPackage  # for the pivot en -> es -> th
    en_zh: BuiltPackage  # Argos's code for the app's zh-Hans
    folder: Path


@pytest.fixture(scope="session")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Packages:
    folder = tmp_path_factory.mktemp("argosmodels")
    tokenizer = folder / "sentencepiece.model"
    train_sentencepiece(tokenizer)
    return Packages(
        en_ms=build_package(folder, "en", "ms", tokenizer=tokenizer),
        en_ms_newer=build_package(folder, "en", "ms", version="1.1", tokenizer=tokenizer),
        en_es=build_package(folder, "en", "es", sentence_splitter=False, tokenizer=tokenizer),
        es_th=build_package(folder, "es", "th", tokenizer=tokenizer),
        en_zh=build_package(folder, "en", "zh", tokenizer=tokenizer),
        folder=folder,
    )


@pytest.fixture
def models_dir(tmp_path: Path) -> Path:
    return tmp_path / "translation-models"


def copy_of(package: BuiltPackage, folder: Path) -> Path:
    target = folder / package.path.name
    shutil.copyfile(package.path, target)
    return target
