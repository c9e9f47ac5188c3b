"""Voices: real espeak-ng; gTTS with Google replaced at the requests layer; the offline path."""

from __future__ import annotations

import json
import logging
import socket
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.media import process
from app.media.tts import (
    EspeakVoice,
    FallbackVoice,
    GttsVoice,
    SynthesisError,
    VoiceUnreachable,
    choose_voice,
    reachable,
    synthesize_by,
)
from tests.media.helpers import RecordedGoogle


def rpc_parameters(body: str) -> list[object]:
    """What one batchexecute request asks Google to say: [text, lang, speed, "null"]."""
    (freq,) = urllib.parse.parse_qs(body)["f.req"]
    rpc = json.loads(freq)
    assert rpc[0][0][0] == "jQ1olc"  # Google Translate's speech RPC
    parameters: list[object] = json.loads(rpc[0][0][1])
    return parameters


def test_espeak_writes_korean_speech(tmp_path: Path) -> None:
    out = tmp_path / "clip.wav"
    EspeakVoice().synthesize("학생이에요.", out)
    assert out.read_bytes()[:4] == b"RIFF"
    assert process.seconds(out) > 0.3


def test_espeak_reads_a_text_starting_with_a_dash_as_text(tmp_path: Path) -> None:
    EspeakVoice().synthesize("-v 안녕", tmp_path / "dash.wav")
    assert process.seconds(tmp_path / "dash.wav") > 0.1


def test_espeak_failure_is_an_error_and_leaves_no_file(tmp_path: Path) -> None:
    out = tmp_path / "missing-dir-is-fine" / "clip.wav"
    with pytest.raises(SynthesisError):
        EspeakVoice(binary="/bin/false").synthesize("안녕", out)
    assert not out.exists()
    assert not list(out.parent.iterdir())  # no temp file either


def test_gtts_builds_a_korean_request_without_sending() -> None:
    tts = GttsVoice(timeout=4.0).request("안녕하세요? 저는 투예요.")
    assert tts.timeout == 4.0
    (body,) = tts.get_bodies()
    text, lang, speed, _ = rpc_parameters(body)
    assert " ".join(str(text).split()) == "안녕하세요? 저는 투예요."  # gTTS pads after "?"
    assert (lang, speed) == ("ko", None)  # None is Google's normal speed, True its slow one


def test_gtts_splits_a_long_text_into_requests_of_at_most_100_characters() -> None:
    long = " ".join(["저는 베트남 사람이에요."] * 12)
    bodies = GttsVoice().request(long).get_bodies()
    assert len(bodies) >= 2
    said = [str(rpc_parameters(body)[0]) for body in bodies]
    assert all(len(part) <= 100 for part in said)
    # The tokenizer cuts at full stops (dropping them); every word is still sent, in order.
    words = [word.rstrip(".") for word in " ".join(said).split()]
    assert words == long.replace(".", "").split()


def test_gtts_saves_the_audio_google_sends(
    google: RecordedGoogle, speech_mp3: bytes, tmp_path: Path
) -> None:
    out = tmp_path / "clip.mp3"
    GttsVoice(timeout=2.0).synthesize("안녕하세요", out)
    assert out.read_bytes() == speech_mp3
    (sent,) = google.sent
    assert sent.method == "POST"
    assert sent.url is not None and sent.url.startswith("https://translate.google.com/")
    assert rpc_parameters(str(sent.body))[:2] == ["안녕하세요", "ko"]
    assert process.seconds(out) > 0.3


def test_a_gtts_http_error_is_an_error_and_leaves_no_file(
    monkeypatch: pytest.MonkeyPatch, speech_mp3: bytes, tmp_path: Path
) -> None:
    import requests

    adapter = RecordedGoogle(speech_mp3, status=500, body=b"server error")
    monkeypatch.setattr(requests.Session, "get_adapter", lambda self, url: adapter)
    out = tmp_path / "clip.mp3"
    with pytest.raises(SynthesisError) as raised:
        GttsVoice().synthesize("안녕하세요", out)
    assert not isinstance(raised.value, VoiceUnreachable)  # Google answered: not a network issue
    assert list(tmp_path.iterdir()) == []


def test_a_gtts_answer_without_audio_leaves_no_file(
    monkeypatch: pytest.MonkeyPatch, speech_mp3: bytes, tmp_path: Path
) -> None:
    import requests

    adapter = RecordedGoogle(speech_mp3, body=b')]}\'\n\n20\n[["wrb.fr","jQ1olc"]]\n')
    monkeypatch.setattr(requests.Session, "get_adapter", lambda self, url: adapter)
    with pytest.raises(SynthesisError):
        GttsVoice().synthesize("안녕하세요", tmp_path / "clip.mp3")
    assert list(tmp_path.iterdir()) == []


def test_gtts_offline_is_unreachable_and_leaves_no_file(offline: int, tmp_path: Path) -> None:
    out = tmp_path / "clip.mp3"
    with pytest.raises(VoiceUnreachable):
        GttsVoice(timeout=2.0).synthesize("안녕하세요", out)
    assert list(tmp_path.iterdir()) == []  # no 0-byte file, no temp file


@pytest.fixture
def silent_listener() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield int(server.getsockname()[1])


def test_gtts_times_out_and_leaves_no_file(
    monkeypatch: pytest.MonkeyPatch, silent_listener: int, tmp_path: Path
) -> None:
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    for name in ("https_proxy", "HTTPS_PROXY"):
        monkeypatch.setenv(name, f"http://127.0.0.1:{silent_listener}")
    with pytest.raises(VoiceUnreachable):
        GttsVoice(timeout=0.5).synthesize("안녕하세요", tmp_path / "clip.mp3")
    assert list(tmp_path.iterdir()) == []


def test_offline_a_clip_falls_back_to_espeak(
    offline: int, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    voice = FallbackVoice(GttsVoice(timeout=2.0), EspeakVoice())
    out = tmp_path / "clip.audio"
    with caplog.at_level(logging.WARNING):
        made_by = synthesize_by(voice, "안녕하세요", out)
    assert made_by == "espeak"
    assert out.read_bytes()[:4] == b"RIFF" and process.seconds(out) > 0.3
    assert "espeak" in caplog.text
    assert [p.name for p in tmp_path.iterdir()] == ["clip.audio"]


def test_after_repeated_failures_the_fallback_is_used_directly(
    offline: int, tmp_path: Path
) -> None:
    voice = FallbackVoice(GttsVoice(timeout=2.0), EspeakVoice())
    for n in range(FallbackVoice.GIVE_UP_AFTER + 2):
        assert synthesize_by(voice, "네", tmp_path / f"{n}.wav") == "espeak"
    assert voice.failures_in_a_row == FallbackVoice.GIVE_UP_AFTER


def test_online_the_fallback_voice_uses_gtts(google: RecordedGoogle, tmp_path: Path) -> None:
    voice = FallbackVoice(GttsVoice(), EspeakVoice())
    assert synthesize_by(voice, "네", tmp_path / "clip.mp3") == "gtts"
    assert voice.name == "gtts"


def test_reachable_is_a_tcp_connect(closed_port: int, silent_listener: int) -> None:
    assert not reachable("127.0.0.1", closed_port, timeout=1.0)
    assert reachable("127.0.0.1", silent_listener, timeout=1.0)


def test_choose_voice() -> None:
    assert choose_voice("espeak").name == "espeak"
    assert choose_voice("gtts").name == "gtts"
    auto_offline = choose_voice("auto", is_reachable=lambda: False)
    assert isinstance(auto_offline, EspeakVoice)
    auto_online = choose_voice("auto", is_reachable=lambda: True)
    assert isinstance(auto_online, FallbackVoice) and auto_online.name == "gtts"
    with pytest.raises(ValueError):
        choose_voice("festival")  # type: ignore[arg-type]
