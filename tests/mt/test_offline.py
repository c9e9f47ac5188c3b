"""Nothing reaches the network: not our code, not argostranslate, not MiniSBD."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from app.mt import ArgosTranslation
from app.mt.argos import _load_argos
from tests.mt.conftest import GUARDED, Packages
from tests.mt.netguard import Guard, NetworkBlocked

ROOT = Path(__file__).resolve().parents[2]


def test_the_guard_stops_a_connection_before_it_is_made(monkeypatch: pytest.MonkeyPatch) -> None:
    reached: list[object] = []
    monkeypatch.setattr(socket.socket, "connect", lambda sock, address: reached.append(address))
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: reached.append(args))
    guard = Guard().install()
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            with pytest.raises(NetworkBlocked):
                sock.connect(("192.0.2.1", 443))
            sock.connect(("127.0.0.1", 9))
        with pytest.raises(NetworkBlocked):
            socket.getaddrinfo("example.org", 443)
        socket.getaddrinfo("localhost", 443)
    finally:
        guard.uninstall()
    assert reached == [("127.0.0.1", 9), ("localhost", 443)]
    assert guard.attempts == ["connect ('192.0.2.1', 443)", "getaddrinfo 'example.org'"]


@pytest.mark.parametrize("which", ["en_ms", "en_es"], ids=["packaged-minisbd", "no-minisbd"])
def test_translating_uses_no_network(packages: Packages, models_dir: Path, which: str) -> None:
    # The autouse guard fails this test on any attempt, even one the code swallowed.
    package = getattr(packages, which)
    engine = ArgosTranslation(models_dir)
    engine.install(package.path)
    assert engine.translate("Where is the bus stop? It is there.", "en", package.target) == (
        f"{package.says} {package.says}"
    )


def test_argostranslate_is_configured_away_from_the_user(models_dir: Path) -> None:
    argos = _load_argos(models_dir)
    settings, minisbd = argos.settings, argos.minisbd_models
    home = Path.home().resolve()
    for folder in (settings.data_dir, settings.config_dir, settings.cache_dir):
        assert home not in Path(folder).resolve().parents
    assert settings.model_provider == settings.ModelProvider.OPENNMT
    assert settings.package_index.startswith("file:")
    assert minisbd.REPO_URL.startswith("file:")
    assert not any(k.startswith("XDG_") and "ssoc-argos" in v for k, v in os.environ.items())


def test_the_engine_ignores_a_users_argos_settings(packages: Packages, tmp_path: Path) -> None:
    """A user's settings.json and ARGOS_* variables that would go online change nothing."""
    home = tmp_path / "home"
    config = home / ".config" / "argos-translate"
    config.mkdir(parents=True)
    (config / "settings.json").write_text(
        '{"ARGOS_MODEL_PROVIDER": "LIBRETRANSLATE", "ARGOS_CHUNK_TYPE": "SPACY"}'
    )
    log = tmp_path / "network.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "ARGOS_", "SSOC_"))}
    env.update(
        HOME=str(home),
        PYTHONPATH=str(GUARDED),
        SSOC_NETGUARD_LOG=str(log),
        ARGOS_MODEL_PROVIDER="OPENAI",
        ARGOS_CHUNK_TYPE="STANZA",
        ARGOS_PACKAGES_DIR=str(tmp_path / "elsewhere"),
        ARGOS_INTRA_THREADS="1",
    )
    script = (
        "import sys; from pathlib import Path; from app.mt import engine_for, translate_text\n"
        "models = Path(sys.argv[2])\n"
        "engine_for(models).install(Path(sys.argv[1]))\n"
        "print(translate_text('Hello there. Goodbye.', 'en', 'ms', models))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(packages.en_ms.path), str(tmp_path / "models")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{packages.en_ms.says} {packages.en_ms.says}"
    assert not log.exists(), log.read_text()
    assert sorted(p.name for p in config.parent.iterdir()) == ["argos-translate"]
    assert not (home / ".local").exists() and not (tmp_path / "elsewhere").exists()


def test_the_subprocess_guard_is_in_force(tmp_path: Path) -> None:
    log = tmp_path / "network.log"
    env = {**os.environ, "PYTHONPATH": str(GUARDED), "SSOC_NETGUARD_LOG": str(log)}
    script = "import socket\ntry:\n    socket.getaddrinfo('example.org', 443)\nexcept OSError as e:\n    print(type(e).__name__)\n"
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "NetworkBlocked", done.stderr
    assert log.read_text() == "getaddrinfo 'example.org'\n"
