"""Real espeak-ng and ffmpeg; a small real course; Google faked only at the HTTP layer."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from app.media import process
from app.media.tts import EspeakVoice
from tests.media.helpers import CountingVoice, RecordedGoogle


@pytest.fixture(scope="session", autouse=True)
def _tools_are_installed() -> None:
    """No skips: CI installs both (.ci/run); a missing tool is a failure that says so."""
    for tool in ("espeak-ng", "ffmpeg", "ffprobe"):
        assert shutil.which(tool), f"{tool} is not installed (apt-get install espeak-ng ffmpeg)"


@pytest.fixture
def espeak() -> CountingVoice:
    return CountingVoice(EspeakVoice())


@pytest.fixture
def audio_dir(built: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built audio, under an assets dir."""
    copy = tmp_path / "assets" / "audio"
    shutil.copytree(built, copy)
    return copy


@pytest.fixture(scope="session")
def speech_mp3(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real MP3 of Korean speech, standing in for what Google sends back."""
    raw = tmp_path_factory.mktemp("google") / "raw.wav"
    EspeakVoice().synthesize("안녕하세요", raw)
    return bytes(process.encode(process.prepare(raw)))


@pytest.fixture
def google(monkeypatch: pytest.MonkeyPatch, speech_mp3: bytes) -> RecordedGoogle:
    """Every requests.Session (gTTS opens one per request) talks to the recording instead."""
    adapter = RecordedGoogle(speech_mp3)
    monkeypatch.setattr(requests.Session, "get_adapter", lambda self, url: adapter)
    return adapter


@pytest.fixture
def closed_port() -> int:
    """A local TCP port nothing listens on: connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch, closed_port: int) -> Iterator[int]:
    """Route HTTPS through a proxy port that refuses connections, as on a machine offline."""
    for name in ("no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    for name in ("https_proxy", "HTTPS_PROXY"):
        monkeypatch.setenv(name, f"http://127.0.0.1:{closed_port}")
    yield closed_port
