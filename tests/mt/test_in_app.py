"""In the app: Settings → Offline translation installs, lists and removes a model file, and a
line with no translation in the learner's language can be translated on the device."""

from __future__ import annotations

from pathlib import Path

from app.ui.controller import Screen
from app.ui.shell import AppConfig, make_controller, render
from app.ui.widgets import OnDevice
from tests.mt.conftest import Packages, copy_of
from tests.ui.tree import find, press, texts, walk


def test_install_a_model_then_translate_a_missing_line_on_the_device(
    packages: Packages, unit1_lessons: Path, tmp_path: Path
) -> None:
    config = AppConfig(unit1_lessons, tmp_path / "data", language="ms", audio_dir=tmp_path / "a")
    ctl = make_controller(config)
    assert ctl.state.screen is Screen.HOME
    ctl.open_settings()
    tree = render(ctl)
    assert "model-none" in [getattr(c, "key", None) for c in walk(tree)]
    # A file that is not there: a clear message, nothing installed.
    find(tree, "model-path").value = str(tmp_path / "missing.argosmodel")
    press(tree, "model-install")
    assert ctl.state.model_event == "failed" and "missing.argosmodel" in ctl.state.model_message
    # The real (tiny) model file, from disk.
    tree = render(ctl)
    find(tree, "model-path").value = str(copy_of(packages.en_ms, tmp_path))
    press(tree, "model-install")
    assert ctl.state.model_event == "installed"
    tree = render(ctl)
    assert [m.target for m in ctl.translation_models()] == ["ms"]
    assert any("→" in text for text in texts(tree))

    # Unit 1 has no Malay in this copy of the lessons: English shows, with the offer.
    ctl.open_unit("level1", "u01")
    assert OnDevice.can("ms")
    unit_tree = render(ctl)
    offers = [c for c in walk(unit_tree) if getattr(c, "data", None) == "on-device"]
    assert offers, "no line offers an on-device translation"
    english = ctl.library.course("level1").unit("u01").title.in_lang("en")
    assert OnDevice.translate(english, "ms")  # the tiny model's (nonsense) output
    assert OnDevice.translate(english, "th") is None  # no model for Thai

    # Removing it: listed no more, and no more offers.
    ctl.open_settings()
    name = ctl.translation_models()[0].name
    press(render(ctl), f"model-remove-{name}")
    assert ctl.state.model_event == "removed" and ctl.translation_models() == []
    assert not OnDevice.can("ms")
