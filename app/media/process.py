"""Post-process speech with pydub + ffmpeg: trim, normalise loudness, slow down, join, encode.

Format: MP3, mono, 32 kbit/s. flet-audio plays through the audioplayers Flutter plugin, which
hands the file to the platform's own player: ExoPlayer/MediaPlayer on Android, AVPlayer on iOS
and macOS, an <audio> element in the browser, GStreamer/Media Foundation on Linux/Windows.
MP3 is the one small format all of them decode. Ogg/Opus is smaller (16-24 kbit/s) but AVPlayer
has no Ogg demuxer and Safari has long lacked one too, so on iPhones, Macs and Safari a learner
would hear nothing. Measured sizes of both are in bench/RESULTS.md.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import threading
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

with warnings.catch_warnings():
    # pydub imports the stdlib audioop, deprecated since 3.11: nothing we can change here.
    warnings.simplefilter("ignore", DeprecationWarning)
    from pydub import AudioSegment
    from pydub.silence import detect_leading_silence

from app.media.clips import SLOW
from app.media.spec import BITRATE, FRAME_RATE, PAUSE_MS

Segment = Any  # pydub ships no type hints; an AudioSegment

TARGET_DBFS = -20.0  # RMS loudness every clip is brought to, so clips never jump in volume
PEAK_CEILING_DBFS = -1.0  # but never louder than this at the peak (MP3 overshoots a little)
SILENCE_BELOW_PEAK_DB = 40.0  # quieter than peak - 40 dB counts as silence when trimming
KEEP_MS = 30  # left around speech after trimming, so soft onsets (ㅎ, ㅅ) are not cut
MIN_SPEECH_MS = 50


_QUIET = ["-nostdin", "-hide_banner", "-loglevel", "error"]
_RAW = ["-f", "s16le", "-ar", str(FRAME_RATE), "-ac", "1"]  # how samples go to and from ffmpeg


class AudioError(RuntimeError):
    """ffmpeg failed or a clip holds no speech."""


def ffmpeg() -> str:
    """Path of the ffmpeg binary, or a clear error."""
    found = shutil.which("ffmpeg")
    if found is None:
        raise AudioError("ffmpeg is not installed (apt-get install ffmpeg)")
    return found


def load(path: Path) -> Segment:
    """Read any audio file ffmpeg understands (WAV directly; anything else as mono FRAME_RATE)."""
    with path.open("rb") as file:
        if file.read(4) == b"RIFF":
            file.seek(0)
            # Handing pydub an open file: it leaves a file it opened itself unclosed.
            return AudioSegment.from_file(file, format="wav")
    # One ffmpeg process (pydub would run ffprobe first, then ffmpeg), straight to raw samples.
    done = subprocess.run(
        [ffmpeg(), *_QUIET, "-i", str(path), *_RAW, "pipe:1"], capture_output=True, check=False
    )
    if done.returncode != 0 or not done.stdout:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise AudioError(f"cannot decode {path.name}: {message[-1] if message else 'no audio'}")
    return AudioSegment(data=done.stdout, sample_width=2, frame_rate=FRAME_RATE, channels=1)


def to_mono(segment: Segment) -> Segment:
    """Mono, 16 bit, FRAME_RATE: one shape for every clip, so clips join without resampling."""
    return segment.set_channels(1).set_sample_width(2).set_frame_rate(FRAME_RATE)


def trim_silence(segment: Segment) -> Segment:
    """Cut leading and trailing silence, keeping KEEP_MS around the speech."""
    if segment.max_dBFS == float("-inf"):
        raise AudioError("the clip is all silence")
    threshold = segment.max_dBFS - SILENCE_BELOW_PEAK_DB
    start = detect_leading_silence(segment, silence_threshold=threshold, chunk_size=5)
    end = detect_leading_silence(segment.reverse(), silence_threshold=threshold, chunk_size=5)
    start = max(0, start - KEEP_MS)
    stop = min(len(segment), len(segment) - end + KEEP_MS)
    if stop - start < MIN_SPEECH_MS:
        raise AudioError("the clip holds no speech")
    return segment[start:stop]


def normalise_loudness(segment: Segment, target_dbfs: float = TARGET_DBFS) -> Segment:
    """Bring the RMS loudness to `target_dbfs`, lowering the gain if the peak would clip."""
    gain = target_dbfs - segment.dBFS
    gain = min(gain, PEAK_CEILING_DBFS - segment.max_dBFS)
    return segment.apply_gain(gain)


def slow_down(segment: Segment, factor: float = SLOW) -> Segment:
    """Play `factor` times as fast with ffmpeg's atempo: longer, same pitch."""
    if not 0.5 <= factor <= 2.0:
        raise ValueError("atempo takes factors from 0.5 to 2.0")
    segment = to_mono(segment)
    done = subprocess.run(
        [
            ffmpeg(),
            *_QUIET,
            *_RAW,
            "-i",
            "pipe:0",
            "-filter:a",
            f"atempo={factor}",
            *_RAW,
            "pipe:1",
        ],
        input=segment.raw_data,
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise AudioError(f"ffmpeg atempo failed: {done.stderr.decode('utf-8', 'replace')}")
    return AudioSegment(data=done.stdout, sample_width=2, frame_rate=FRAME_RATE, channels=1)


def join_with_pauses(segments: Iterable[Segment], pause_ms: int = PAUSE_MS) -> Segment:
    """One track of the segments with `pause_ms` of silence between them."""
    pause = AudioSegment.silent(duration=pause_ms, frame_rate=FRAME_RATE)
    track: Segment = None
    for segment in segments:
        # `+` butts the pieces together; `append` would cross-fade and eat into the pause.
        track = to_mono(segment) if track is None else track + pause + to_mono(segment)
    if track is None:
        raise AudioError("a track needs at least one segment")
    return track


def prepare(raw: Path) -> Segment:
    """A voice's raw output made ready to encode: mono, trimmed, loudness-normalised."""
    return normalise_loudness(trim_silence(to_mono(load(raw))))


def encode(segment: Segment) -> bytes:
    """MP3 bytes of the segment (mono, BITRATE)."""
    buffer = io.BytesIO()
    # No ID3 tag and bit-exact output: equal audio gives equal bytes, and no bytes are wasted.
    parameters = ["-ac", "1", "-map_metadata", "-1", "-id3v2_version", "0", "-fflags", "+bitexact"]
    segment.export(buffer, format="mp3", bitrate=BITRATE, parameters=parameters)
    return buffer.getvalue()


def export(segment: Segment, out: Path) -> int:
    """Write the segment to `out` as MP3 via a temp file and rename; return the bytes written."""
    data = encode(segment)
    if not data:
        raise AudioError(f"ffmpeg wrote nothing for {out.name}")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.{threading.get_ident()}.part")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return len(data)


def seconds(path: Path) -> float:
    """Duration of an audio file in seconds."""
    return float(len(load(path))) / 1000.0
