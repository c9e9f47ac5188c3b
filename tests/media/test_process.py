"""Post-processing with real espeak-ng, pydub and ffmpeg."""

from __future__ import annotations

import json
import subprocess
from array import array
from itertools import pairwise
from pathlib import Path

import pytest
from pydub import AudioSegment

from app.media import process
from app.media.tts import EspeakVoice

SENTENCE = "안녕하세요? 저는 김민지예요."


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> process.Segment:
    raw = tmp_path_factory.mktemp("speech") / "raw.wav"
    EspeakVoice().synthesize(SENTENCE, raw)
    return process.prepare(raw)


def probe(path: Path) -> dict[str, str]:
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    stream: dict[str, str] = json.loads(done.stdout)["streams"][0]
    return stream


def crossings_per_second(segment: process.Segment) -> float:
    samples = array("h", segment.raw_data)
    crossings = sum(1 for a, b in pairwise(samples) if (a < 0) != (b < 0))
    return crossings / (len(segment) / 1000)


def test_a_prepared_clip_is_mono_speech_with_a_duration(speech: process.Segment) -> None:
    assert speech.channels == 1
    assert speech.frame_rate == process.FRAME_RATE
    assert len(speech) > 500  # ms: a sentence, not a click


def test_the_exported_file_is_mono_mp3_at_32_kbit(speech: process.Segment, tmp_path: Path) -> None:
    out = tmp_path / "clip.mp3"
    written = process.export(speech, out)
    assert written == out.stat().st_size > 0
    stream = probe(out)
    assert stream["codec_name"] == "mp3"
    assert int(stream["channels"]) == 1
    assert int(stream["bit_rate"]) == 32_000
    assert process.seconds(out) > 0
    assert not list(tmp_path.glob(".*.part"))


def test_the_slow_clip_is_longer_by_the_tempo_and_keeps_its_pitch(
    speech: process.Segment, tmp_path: Path
) -> None:
    slow = process.slow_down(speech, process.SLOW)
    assert 1.25 <= len(slow) / len(speech) <= 1.45
    # Same pitch: the signal crosses zero as often per second. Playing the samples slower
    # (what a resampling slow-down does) would drop this to 0.75 of it.
    assert 0.9 <= crossings_per_second(slow) / crossings_per_second(speech) <= 1.1
    stretched = speech._spawn(speech.raw_data, overrides={"frame_rate": 18_000})
    assert crossings_per_second(stretched) / crossings_per_second(speech) < 0.8
    process.export(speech, tmp_path / "normal.mp3")
    process.export(slow, tmp_path / "slow.mp3")
    ratio = process.seconds(tmp_path / "slow.mp3") / process.seconds(tmp_path / "normal.mp3")
    assert 1.25 <= ratio <= 1.45


def test_leading_and_trailing_silence_is_trimmed(speech: process.Segment) -> None:
    silence = AudioSegment.silent(duration=1500, frame_rate=process.FRAME_RATE)
    padded = silence + speech + silence
    trimmed = process.trim_silence(padded)
    assert len(trimmed) <= len(speech) + 2 * process.KEEP_MS + 20
    assert len(trimmed) >= len(speech) - 100  # the speech itself is kept
    assert len(padded) - len(trimmed) >= 2900


def test_a_clip_of_only_silence_is_an_error() -> None:
    with pytest.raises(process.AudioError):
        process.trim_silence(AudioSegment.silent(duration=800, frame_rate=process.FRAME_RATE))


def test_loudness_is_normalised_to_an_rms_target_not_just_the_peak(
    speech: process.Segment,
) -> None:
    quiet = process.normalise_loudness(speech.apply_gain(-18))
    loud = process.normalise_loudness(speech.apply_gain(+6))
    assert abs(quiet.dBFS - loud.dBFS) < 0.5  # RMS loudness, whatever came in
    assert quiet.dBFS <= process.TARGET_DBFS + 0.5
    assert quiet.max_dBFS <= process.PEAK_CEILING_DBFS + 0.1


def test_a_dialogue_is_its_lines_joined_by_pauses(speech: process.Segment, tmp_path: Path) -> None:
    short = speech[:700]
    track = process.join_with_pauses([speech, short, speech])
    expected = 2 * len(speech) + len(short) + 2 * process.PAUSE_MS
    assert abs(len(track) - expected) <= 5  # `+`, not `append`, which would cross-fade
    # The pause is real silence between the lines.
    pause = track[len(speech) + 50 : len(speech) + process.PAUSE_MS - 50]
    assert pause.max_dBFS == float("-inf")
    out = tmp_path / "dialogue.mp3"
    process.export(track, out)
    assert abs(process.seconds(out) * 1000 - expected) <= 100  # MP3 frames round the end


def test_atempo_takes_only_what_ffmpeg_can_do(speech: process.Segment) -> None:
    with pytest.raises(ValueError):
        process.slow_down(speech, 0.3)


def test_an_undecodable_file_is_a_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mp3"
    junk.write_bytes(b"not audio at all")
    with pytest.raises(process.AudioError, match=r"cannot decode junk\.mp3"):
        process.load(junk)
