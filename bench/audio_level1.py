"""Benchmark: build Level 1 audio offline with espeak-ng; compare MP3 32k with Opus 24k.

Run from the repository root:  .venv/bin/python bench/audio_level1.py [--sample 200] [--jobs N]
Not a test: it prints a Markdown report for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.content.loader import load_course
from app.media import process
from app.media.build import build, default_jobs
from app.media.cache import Action, make_plan, needs_of
from app.media.clips import course_clips
from app.media.progress import ProgressBar
from app.media.tts import EspeakVoice
from app.paths import LESSONS_DIR


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (Linux), else what platform says."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def opus_bytes(segment: process.Segment) -> int:
    """Size of the segment as Opus in Ogg at 24 kbit/s (the format we did not choose)."""
    buffer = io.BytesIO()
    segment.export(
        buffer, format="ogg", codec="libopus", bitrate="24k", parameters=["-map_metadata", "-1"]
    )
    return len(buffer.getvalue())


def compare_formats(texts: list[str], work: Path) -> dict[str, float]:
    """Encode the same processed speech both ways; bytes per second of speech for each."""
    voice = EspeakVoice()
    seconds = mp3 = opus = 0.0
    show = ProgressBar("formats")
    for n, text in enumerate(texts, 1):
        raw = work / "raw.wav"
        voice.synthesize(text, raw)
        segment = process.prepare(raw)
        seconds += len(segment) / 1000
        mp3 += len(process.encode(segment))
        opus += opus_bytes(segment)
        show(n, len(texts))
    return {"seconds": seconds, "mp3": mp3 / seconds, "opus": opus / seconds}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sample", type=int, default=200, help="phrases for the format comparison")
    parser.add_argument("--jobs", type=int, default=default_jobs())
    args = parser.parse_args()

    course = load_course(LESSONS_DIR / "level1")
    clips = course_clips(course)
    needs = needs_of([clips])
    with tempfile.TemporaryDirectory(prefix="bench-audio-") as tmp:
        audio_dir = Path(tmp) / "audio"
        voice = EspeakVoice()
        plan = make_plan(needs, audio_dir, voice.name)
        started = time.monotonic()
        report = build(plan, needs, audio_dir, voice, jobs=args.jobs, progress=ProgressBar("build"))
        build_seconds = time.monotonic() - started
        started = time.monotonic()
        rerun = build(make_plan(needs, audio_dir, voice.name), needs, audio_dir, voice)
        rerun_seconds = time.monotonic() - started
        assert rerun.synthesized == 0 and not make_plan(needs, audio_dir, voice.name).to_make
        step = max(1, len(clips.phrases) // args.sample)
        sample = [p.speech for p in clips.phrases[::step]][: args.sample]
        formats = compare_formats(sample, Path(tmp))

    clip_count = len(plan.of(Action.NEW))
    speech_seconds = report.bytes_total / formats["mp3"]  # estimated from the measured rate
    opus_total = speech_seconds * formats["opus"]
    command = f".venv/bin/python bench/audio_level1.py --sample {args.sample} --jobs {args.jobs}"
    rows = [
        (
            "units / phrases / whole dialogues",
            f"{len(course.units)} / {len(clips.phrases)} / {len(clips.dialogues)}",
        ),
        ("clips built (each at x1 and x0.75)", f"{clip_count}"),
        ("voice calls (one per distinct text)", f"{report.synthesized}"),
        (
            f"build time, {args.jobs} workers",
            f"{build_seconds:.1f} s ({1000 * build_seconds / clip_count:.0f} ms per clip)",
        ),
        ("second run (nothing to do)", f"{rerun_seconds:.2f} s, 0 voice calls"),
        (
            "total size of Level 1 audio (MP3 32k)",
            f"{report.bytes_total:,} bytes"
            f" ({report.bytes_total / 2**20:.1f} MiB) in {report.files_total} files",
        ),
        ("speech in it (estimated from the rate below)", f"{speech_seconds / 60:.0f} min"),
        ("format sample", f"{len(sample)} phrases, {formats['seconds']:.0f} s of speech"),
        ("MP3 32 kbit/s mono", f"{formats['mp3']:,.0f} bytes per second of speech"),
        ("Opus 24 kbit/s mono in Ogg", f"{formats['opus']:,.0f} bytes per second of speech"),
        (
            "Level 1 as Opus 24k (estimated)",
            f"{opus_total:,.0f} bytes ({opus_total / 2**20:.1f} MiB)",
        ),
    ]
    print(f"## Level 1 audio, offline (espeak-ng), {time.strftime('%Y-%m-%d')}\n")
    python = platform.python_version()
    print(f"Machine: {os.cpu_count()} CPUs (`nproc`), {cpu_model()}, Python {python}")
    print(f"Command: `{command}`\n")
    print("| measure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
