"""The test packages are real Argos Translate packages: argostranslate itself installs and runs
them, with its own functions, in a fresh process (under the network guard)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.mt.conftest import GUARDED, Packages

SCRIPT = """
import sys
from pathlib import Path
import argostranslate.package, argostranslate.translate
argostranslate.package.install_from_path(Path(sys.argv[1]))
[installed] = argostranslate.package.get_installed_packages()
print(installed.from_code, installed.to_code, installed.package_version)
print(argostranslate.translate.translate("Hello there. How are you?", "en", "ms"))
"""


def test_argostranslate_installs_and_runs_the_test_package(
    packages: Packages, tmp_path: Path
) -> None:
    log = tmp_path / "network.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "ARGOS_"))}
    env.update(
        HOME=str(tmp_path / "home"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        ARGOS_PACKAGES_DIR=str(tmp_path / "packages"),
        ARGOS_INTRA_THREADS="1",
        PYTHONPATH=str(GUARDED),
        SSOC_NETGUARD_LOG=str(log),
    )
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(packages.en_ms.path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    says = packages.en_ms.says
    assert done.stdout.splitlines() == ["en ms 1.0", f"{says} {says}"]
    assert (tmp_path / "packages" / packages.en_ms.name / "minisbd" / "en.onnx").is_file()
    assert not log.exists(), log.read_text()
