"""`python -m app.cli translate` and `models`, run as real processes under the network guard."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.content.loader import load_library
from app.content.overlay import NewEntry, add_entries, overlay_path, read_overlay
from app.content.translate import missing
from app.domain.text import Provenance
from app.mt import engine_for
from app.paths import LESSONS_DIR
from tests.mt.conftest import GUARDED, Packages

ROOT = Path(__file__).resolve().parents[2]
UNITS = ["u01", "u02"]  # two of the Hangul course's eight: ~150 texts, a second or two


def said(says: str, text: str) -> bool:
    """The test model's answer: its fixed words once per sentence of the source."""
    return re.fullmatch(f"{re.escape(says)}( {re.escape(says)})*", text) is not None


def make_lessons(root: Path, units: list[str]) -> Path:
    """The Hangul course reduced to `units`, with one authored Malay translation."""
    course = root / "lessons" / "hangul"
    course.mkdir(parents=True)
    for unit in units:
        shutil.copy(LESSONS_DIR / "hangul" / f"{unit}.yaml", course / f"{unit}.yaml")
    text = (LESSONS_DIR / "hangul" / "course.yaml").read_text(encoding="utf-8")
    lines = [
        f"units: [{', '.join(units)}]" if line.startswith("units:") else line
        for line in text.splitlines()
    ]
    (course / "course.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    title = next(m for m in missing(course, "ms") if m.key == "title" and m.stem != "course")
    add_entries(
        course,
        "ms",
        title.stem,
        [NewEntry("title", title.ko, title.en, "Vokal asas", Provenance.AUTHORED)],
        "a teacher",
    )
    return root / "lessons"


@pytest.fixture
def lessons(tmp_path: Path) -> Path:
    return make_lessons(tmp_path, UNITS)


class Cli:
    def __init__(self, tmp_path: Path) -> None:
        self.home = tmp_path / "home"
        self.home.mkdir()
        self.data = tmp_path / "data"
        self.network_log = tmp_path / "network.log"

    @property
    def models(self) -> Path:
        return self.data / "translation-models"

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "ARGOS_"))}
        env.update(
            HOME=str(self.home),
            SSOC_DATA_DIR=str(self.data),
            PYTHONPATH=str(GUARDED),
            SSOC_NETGUARD_LOG=str(self.network_log),
            ARGOS_INTRA_THREADS="1",  # a tiny model runs faster on one thread
        )
        return subprocess.run(
            [sys.executable, "-m", "app.cli", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def assert_offline(self) -> None:
        assert not self.network_log.exists(), self.network_log.read_text()
        assert list(self.home.iterdir()) == [], "argostranslate wrote into the home folder"


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


def test_translate_fills_only_missing_texts_and_tags_them(
    packages: Packages, lessons: Path, cli: Cli
) -> None:
    course = lessons / "hangul"
    todo = list(missing(course, "ms"))
    assert len(todo) > 100
    engine_for(cli.models).install(packages.en_ms.path)

    done = cli("--lessons", str(lessons), "translate", "--to", "ms", "--course", "hangul")
    assert done.returncode == 0, done.stderr
    assert "translate: English → Malay (translate-en_ms-1_0)" in done.stdout
    assert f"translate: {len(todo)} translated, 0 failed, {len(UNITS) + 1} files written" in (
        done.stdout
    )
    progress = [line for line in done.stderr.splitlines() if line.startswith("translate hangul [")]
    assert progress and progress[-1].startswith(
        f"translate hangul [{'#' * 30}] {len(todo)}/{len(todo)}"
    )
    assert "\r" not in done.stderr  # not a terminal: plain lines

    unit1 = read_overlay(overlay_path(course, "ms", "u01"), "ms")
    assert unit1.issues == []
    authored = unit1.entries.pop("title").translation
    assert (authored.text, authored.provenance) == ("Vokal asas", Provenance.AUTHORED)
    assert unit1.entries and all(
        e.translation.provenance is Provenance.MACHINE
        and said(packages.en_ms.says, e.translation.text)
        for e in unit1.entries.values()
    )
    text = overlay_path(course, "ms", "u02").read_text(encoding="utf-8")
    assert "provenance: machine" in text
    assert "translator: Argos Translate (translate-en_ms-1_0)" in text
    library = load_library(lessons)
    assert not library.failures and not library.overlay_issues
    assert list(missing(course, "ms")) == []

    written = {p: p.read_bytes() for p in (course / "i18n").rglob("*.yaml")}
    again = cli("--lessons", str(lessons), "translate", "--to", "ms", "--course", "hangul")
    assert again.returncode == 0, again.stderr
    assert "translate: 0 translated, 0 failed, 0 files written" in again.stdout
    assert {p: p.read_bytes() for p in (course / "i18n").rglob("*.yaml")} == written
    cli.assert_offline()


def test_translate_without_a_model_says_which_one_is_needed(lessons: Path, cli: Cli) -> None:
    done = cli("--lessons", str(lessons), "translate", "--to", "ja", "--course", "hangul")
    assert done.returncode == 1
    assert "no installed model translates English into Japanese (en→ja)" in done.stderr
    assert "translate-en_ja-1_0.argosmodel" in done.stderr
    assert "python -m app.cli models install FILE" in done.stderr
    assert str(cli.models) in done.stderr
    assert not (lessons / "hangul" / "i18n" / "ja").exists()
    cli.assert_offline()


def test_translate_through_a_pivot(packages: Packages, tmp_path: Path, cli: Cli) -> None:
    lessons = make_lessons(tmp_path, ["u01"])  # one unit: each text goes through two models
    for package in (packages.en_es, packages.es_th):
        engine_for(cli.models).install(package.path)
    done = cli("--lessons", str(lessons), "translate", "--to", "th", "--course", "hangul")
    assert done.returncode == 0, done.stderr
    assert "English → Thai via Spanish" in done.stdout
    overlay = read_overlay(overlay_path(lessons / "hangul", "th", "u01"), "th")
    assert overlay.entries and all(
        said(packages.es_th.says, e.translation.text) for e in overlay.entries.values()
    )
    cli.assert_offline()


def test_models_command_installs_lists_and_removes(packages: Packages, cli: Cli) -> None:
    installed = cli("models", "install", str(packages.en_ms.path))
    assert installed.returncode == 0, installed.stderr
    assert "models: installed translate-en_ms-1_0 (en→ms, version 1.0)" in installed.stdout
    listed = cli("models", "list")
    assert f"models: 1 installed in {cli.models}" in listed.stdout
    assert "translate-en_ms-1_0" in listed.stdout and "can translate: en→ms" in listed.stdout
    removed = cli("models", "remove", "translate-en_ms-1_0")
    assert removed.returncode == 0 and "removed translate-en_ms-1_0" in removed.stdout
    again = cli("models", "remove", "translate-en_ms-1_0")
    assert again.returncode == 1 and "no installed model called" in again.stderr
    assert list(cli.models.iterdir()) == []
    cli.assert_offline()
