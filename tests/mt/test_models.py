"""Installing, listing and removing models, and translating with them, in-process."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from app.mt import (
    ArgosTranslation,
    ModelFileError,
    NoModel,
    TranslationFailed,
    UnknownModel,
    engine_for,
    translate_text,
)
from app.mt.argos import RuleSentencizer
from tests.mt.conftest import Packages


def test_install_lists_and_removes_a_model(packages: Packages, models_dir: Path) -> None:
    engine = ArgosTranslation(models_dir)
    assert engine.installed() == []
    info = engine.install(packages.en_ms.path)
    assert (info.name, info.source, info.target, info.version) == (
        "translate-en_ms-1_0",
        "en",
        "ms",
        "1.0",
    )
    on_disk = sum(f.stat().st_size for f in (models_dir / info.name).rglob("*") if f.is_file())
    assert info.size == on_disk > 100_000
    assert engine.installed() == [info]
    assert engine.available_pairs() == [("en", "ms")]
    assert engine.can_translate("en", "ms") and not engine.can_translate("ms", "en")
    removed = engine.remove(info.name)
    assert removed == info
    assert engine.installed() == [] and engine.available_pairs() == []
    assert list(models_dir.iterdir()) == []
    with pytest.raises(UnknownModel, match="translate-en_ms-1_0"):
        engine.remove(info.name)


def test_a_newer_model_of_a_pair_replaces_the_old_one(packages: Packages, models_dir: Path) -> None:
    engine = ArgosTranslation(models_dir)
    engine.install(packages.en_ms.path)
    assert engine.translate("Hello.", "en", "ms") == packages.en_ms.says
    newer = engine.install(packages.en_ms_newer.path)
    assert [m.name for m in engine.installed()] == ["translate-en_ms-1_1"]
    assert newer.version == "1.1"
    assert engine.translate("Hello.", "en", "ms") == packages.en_ms_newer.says
    assert sorted(p.name for p in models_dir.iterdir()) == ["translate-en_ms-1_1"]


def test_translate_text_returns_a_line_or_none(packages: Packages, models_dir: Path) -> None:
    engine_for(models_dir).install(packages.en_ms.path)
    says = packages.en_ms.says
    assert translate_text("I can read the vowels.", "en", "ms", models_dir) == says
    # Two sentences: the package's own MiniSBD model splits them, each is translated.
    assert translate_text("Hello there. How are you?", "en", "ms", models_dir) == f"{says} {says}"
    assert translate_text("   ", "en", "ms", models_dir) == ""
    assert translate_text("Hello.", "en", "ja", models_dir) is None
    assert translate_text("Hello.", "ms", "en", models_dir) is None
    assert translate_text("Hello.", "en", "en", models_dir) is None
    with pytest.raises(NoModel, match=r"en→ja.*models install"):
        engine_for(models_dir).translate("Hello.", "en", "ja")


def test_a_package_without_a_sentence_model_splits_by_rule(
    packages: Packages, models_dir: Path
) -> None:
    engine = ArgosTranslation(models_dir)
    engine.install(packages.en_es.path)
    says = packages.en_es.says
    assert engine.translate("One. Two! Three?", "en", "es") == f"{says} {says} {says}"
    assert RuleSentencizer().split_sentences("A. B!  C? 다음。下一个") == [
        "A.",
        "B!",
        "C?",
        "다음。",
        "下一个",
    ]


def test_pivot_through_an_installed_language(packages: Packages, models_dir: Path) -> None:
    engine = ArgosTranslation(models_dir)
    engine.install(packages.en_es.path)
    engine.install(packages.es_th.path)
    route = engine.route("en", "th")
    assert route is not None and route.via == ("es",)
    assert [s.name for s in route.steps] == ["translate-en_es-1_0", "translate-es_th-1_0"]
    assert "via Spanish" in route.describe()
    assert engine.available_pairs() == [("en", "es"), ("en", "th"), ("es", "th")]
    assert engine.translate("Hello.", "en", "th") == packages.es_th.says


def test_argos_codes_become_the_apps(packages: Packages, models_dir: Path) -> None:
    engine = ArgosTranslation(models_dir)
    info = engine.install(packages.en_zh.path)
    assert info.target == "zh-Hans"
    assert engine.available_pairs() == [("en", "zh-Hans")]
    assert translate_text("Hello.", "en", "zh-Hans", models_dir) == packages.en_zh.says


def test_a_damaged_model_fails_clearly(packages: Packages, models_dir: Path) -> None:
    engine = ArgosTranslation(models_dir)
    info = engine.install(packages.en_ms.path)
    (info.path / "model" / "model.bin").write_bytes(b"not a model")
    with pytest.raises(TranslationFailed, match="translate-en_ms-1_0"):
        engine.translate("Hello.", "en", "ms")
    with pytest.raises(TranslationFailed):
        translate_text("Hello.", "en", "ms", models_dir)


def _zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


METADATA = json.dumps({"from_code": "en", "to_code": "ms", "package_version": "1.0"}).encode()
GOOD = {
    "p/metadata.json": METADATA,
    "p/model/model.bin": b"x",
    "p/sentencepiece.model": b"x",
}


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (None, "not a zip archive"),
        ({}, "expected one folder, found nothing"),
        ({**GOOD, "q/other.txt": b""}, "expected one folder, found p, q"),
        ({"p/model/model.bin": b"x", "p/sentencepiece.model": b"x"}, "no p/metadata.json"),
        ({**GOOD, "p/../../evil.txt": b"x"}, "unsafe path"),
        ({**GOOD, "/p/abs.txt": b"x"}, "unsafe path"),
        ({**GOOD, "p/metadata.json": b"{not json"}, "metadata.json cannot be read"),
        (
            {**GOOD, "p/metadata.json": b'{"type": "sbd", "from_code": "en", "to_code": "ms"}'},
            "not a translation model",
        ),
        ({k: v for k, v in GOOD.items() if "model.bin" not in k}, "no CTranslate2 model"),
        ({k: v for k, v in GOOD.items() if "sentencepiece" not in k}, "no tokenizer"),
    ],
    ids=[
        "not-zip",
        "empty",
        "two-folders",
        "no-metadata",
        "dot-dot",
        "absolute",
        "bad-json",
        "not-translate",
        "no-model",
        "no-tokenizer",
    ],
)
def test_bad_files_are_refused_and_leave_nothing(
    tmp_path: Path, models_dir: Path, files: dict[str, bytes] | None, message: str
) -> None:
    path = tmp_path / "bad.argosmodel"
    if files is None:
        path.write_bytes(b"hello")
    else:
        _zip(path, files)
    engine = ArgosTranslation(models_dir)
    with pytest.raises(ModelFileError, match=message):
        engine.install(path)
    assert engine.installed() == []
    assert not models_dir.exists() or list(models_dir.iterdir()) == []
    assert not (tmp_path.parent / "evil.txt").exists()


def test_a_missing_file_is_named(tmp_path: Path, models_dir: Path) -> None:
    with pytest.raises(ModelFileError, match="no such file"):
        ArgosTranslation(models_dir).install(tmp_path / "nothing.argosmodel")


def test_a_link_inside_the_archive_is_refused(tmp_path: Path, models_dir: Path) -> None:
    path = tmp_path / "link.argosmodel"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in GOOD.items():
            archive.writestr(name, data)
        link = zipfile.ZipInfo("p/link")
        link.external_attr = 0o120777 << 16
        archive.writestr(link, "/etc/passwd")
    with pytest.raises(ModelFileError, match="link"):
        ArgosTranslation(models_dir).install(path)
