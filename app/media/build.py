"""Carry out a plan: synthesize, process and store the clips it needs, then prune the rest."""

from __future__ import annotations

import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path

from app.media import process
from app.media.cache import (
    Action,
    Entry,
    Index,
    Item,
    Needs,
    Plan,
    clip_file,
    clip_key,
    dialogue_key,
    speed_label,
)
from app.media.clips import NORMAL
from app.media.process import AudioError, Segment
from app.media.spec import EXTENSION
from app.media.tts import FallbackVoice, SynthesisError, Voice, VoiceUnreachable, synthesize_by

Progress = Callable[[int, int], None]  # (done, total)
CHECKPOINT_EVERY = 50  # save the index this often, so a stopped run keeps what it made


@dataclass
class Report:
    """What a build did."""

    new: int = 0
    kept: int = 0
    upgraded: int = 0
    deleted: int = 0
    synthesized: int = 0  # voice calls (one per distinct text; both speeds come from one)
    bytes_written: int = 0
    bytes_total: int = 0  # every clip in the audio dir after the run
    files_total: int = 0
    seconds: float = 0.0
    voices: Counter[str] = field(default_factory=Counter)  # clips made this run, by voice
    failed: list[str] = field(default_factory=list)  # clips that could not be made, and why

    def summary(self) -> str:
        voices = ", ".join(f"{n} by {v}" for v, n in sorted(self.voices.items())) or "none made"
        failed = f", FAILED {len(self.failed)}" if self.failed else ""
        return (
            f"new {self.new}, kept {self.kept}, upgraded {self.upgraded}, deleted {self.deleted}"
            f"{failed} ({voices}); {self.seconds:.1f} s; wrote {self.bytes_written:,} bytes;"
            f" audio now {self.files_total} files, {self.bytes_total:,} bytes"
        )


@dataclass(frozen=True)
class _Made:
    speech: str
    voice: str
    clips: dict[float, Entry]  # by speed
    segments: dict[float, Segment]  # kept in memory for the dialogues that use this line
    bytes_written: int


def default_jobs() -> int:
    """Worker threads: the work is ffmpeg and espeak-ng processes, so one per CPU, at most 4."""
    return max(1, min(4, os.cpu_count() or 1))


def _make_phrase(
    voice: Voice, speech: str, speeds: set[float], audio_dir: Path, keep: bool, work: Path
) -> _Made:
    """One voice call for a text, then a clip per speed (the slow ones stretched from it)."""
    raw = work / f"{clip_key(speech, 'raw', 0)}.audio"
    try:
        made_by = synthesize_by(voice, speech, raw)
        normal = process.prepare(raw)
    finally:
        raw.unlink(missing_ok=True)
    clips: dict[float, Entry] = {}
    segments: dict[float, Segment] = {}
    written = 0
    for speed in sorted(speeds, reverse=True):
        key = clip_key(speech, made_by, speed)
        target = audio_dir / clip_file(key)
        segment = normal if speed == NORMAL else process.slow_down(normal, speed)
        if not target.is_file():  # the same speech may already be stored under another text
            written += process.export(segment, target)
        clips[speed] = Entry(clip_file(key), made_by, key, speech)
        if keep:
            segments[speed] = segment
    return _Made(speech, made_by, clips, segments, written)


def _make_dialogue(lines: list[Segment], target: Path) -> int:
    return process.export(process.join_with_pauses(lines), target)


class _Build:
    """One run of `build`: the work queue, the index it fills in, and the report."""

    def __init__(self, plan: Plan, needs: Needs, audio_dir: Path, progress: Progress | None):
        self.plan = plan
        self.needs = needs
        self.audio_dir = audio_dir
        self.index = plan.index
        self.report = Report(kept=len(plan.of(Action.KEPT)), deleted=len(plan.of(Action.DELETED)))
        self.progress = progress
        self.phrase_speeds: dict[str, set[float]] = {}  # by speech: one voice call each
        self.making: set[tuple[str, float]] = set()
        for item in plan.to_make:
            if item.kind == "phrase":
                speech = needs.phrases[item.name].speech
                self.phrase_speeds.setdefault(speech, set()).add(item.speed)
                self.making.add((item.name, item.speed))
        self.dialogues = [item for item in plan.to_make if item.kind == "dialogue"]
        self.texts_of: dict[str, list[str]] = {}
        for text, wanted in needs.phrases.items():
            self.texts_of.setdefault(wanted.speech, []).append(text)
        self.segments: dict[tuple[str, float], Segment] = {}
        self.total = len(self.phrase_speeds) + len(self.dialogues)
        self.done = 0

    def tick(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)

    def phrases(self, pool: ThreadPoolExecutor, voice: Voice, work: Path) -> None:
        lines = {line for item in self.dialogues for line in self.needs.dialogues[item.name].lines}
        in_dialogues = {self.needs.phrases[t].speech for t in lines if t in self.needs.phrases}
        futures: dict[Future[_Made], str] = {
            pool.submit(
                _make_phrase, voice, speech, speeds, self.audio_dir, speech in in_dialogues, work
            ): speech
            for speech, speeds in sorted(self.phrase_speeds.items())
        }
        try:
            for future in as_completed(futures):
                try:
                    self.store(future.result())
                except VoiceUnreachable:
                    if not isinstance(voice, FallbackVoice):
                        raise  # the chosen voice is offline: every other clip would fail too
                    self.report.failed.append(f"{futures[future]!r}: no voice could be reached")
                except (SynthesisError, AudioError) as exc:
                    self.report.failed.append(f"{futures[future]!r}: {exc}")
                self.tick()
                if self.done % CHECKPOINT_EVERY == 0:
                    self.index.save(self.audio_dir)
        except BaseException:
            for future in futures:  # stop queued work quickly on an error or Ctrl-C
                future.cancel()
            raise

    def store(self, made: _Made) -> None:
        for speed, entry in made.clips.items():
            for text in self.texts_of[made.speech]:
                if (text, speed) in self.making:  # never touch another text's kept clip
                    courses = tuple(sorted(self.needs.courses_of[text]))
                    self.index.phrases[speed_label(speed), text] = replace(entry, courses=courses)
        self.segments.update(((made.speech, s), seg) for s, seg in made.segments.items())
        self.report.voices[made.voice] += len(made.clips)
        self.report.synthesized += 1
        self.report.bytes_written += made.bytes_written

    def whole_dialogues(self, pool: ThreadPoolExecutor) -> None:
        """Join each dialogue's line clips with pauses; reuse a track whose lines did not change."""
        futures: dict[Future[int], tuple[Item, Entry]] = {}
        for item in self.dialogues:
            track = self.needs.dialogues[item.name]
            label = speed_label(item.speed)
            lines = [self.index.phrases.get((label, text)) for text in track.lines]
            if any(line is None for line in lines):
                self.report.failed.append(f"dialogue {track.unit} x{label}: a line is missing")
                self.tick()
                continue
            made = [line for line in lines if line is not None]
            key = dialogue_key([line.key for line in made])
            voices = "+".join(sorted({line.voice for line in made}))
            entry = Entry(clip_file(key), voices, key, lines=track.lines)
            if (self.audio_dir / entry.file).is_file():  # its lines came out as they were
                self.index.dialogues[label, track.unit] = entry
                self.tick()
                continue
            pieces = [self._segment(line, item.speed) for line in made]
            target = self.audio_dir / entry.file
            futures[pool.submit(_make_dialogue, pieces, target)] = (item, entry)
        for future in as_completed(futures):
            item, entry = futures[future]
            try:
                self.report.bytes_written += future.result()
                self.index.dialogues[speed_label(item.speed), item.name] = entry
                self.report.voices[entry.voice] += 1
            except AudioError as exc:
                self.report.failed.append(f"dialogue {item.name}: {exc}")
            self.tick()

    def _segment(self, line: Entry, speed: float) -> Segment:
        made = self.segments.get((line.speech, speed))
        # A line kept from an earlier run is decoded from its clip.
        return made if made is not None else process.load(self.audio_dir / line.file)

    def tally(self) -> None:
        """Count what the planned work came to (a failed clip is only in `failed`)."""
        for item in self.plan.to_make:
            final = self.index.table(item.kind).get((speed_label(item.speed), item.name))
            if item.action is Action.NEW:
                self.report.new += final is not None
            elif final is not None and final.voice != item.voice:
                self.report.upgraded += 1
            else:  # the better voice failed: the clip stays as it was
                self.report.kept += 1


def build(
    plan: Plan,
    needs: Needs,
    audio_dir: Path,
    voice: Voice,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> Report:
    """Make every new and upgraded clip of `plan`, save the index, delete what is not needed."""
    # A clip that cannot be made goes into Report.failed and the run goes on; an unreachable
    # voice without a fallback stops the run. Either way the index keeps what was made.
    started = time.monotonic()
    run = _Build(plan, needs, audio_dir, progress)
    audio_dir.mkdir(parents=True, exist_ok=True)
    try:
        with (
            tempfile.TemporaryDirectory(prefix="ssoc-audio-") as work,
            ThreadPoolExecutor(max_workers=jobs or default_jobs()) as pool,
        ):
            run.phrases(pool, voice, Path(work))
            run.whole_dialogues(pool)
    finally:
        run.index.save(audio_dir)  # keep whatever was made, even if the run stopped half-way
    run.tally()
    _prune(run.index, audio_dir)
    report = run.report
    report.files_total, report.bytes_total = _usage(run.index, audio_dir)
    report.seconds = time.monotonic() - started
    return report


def _prune(index: Index, audio_dir: Path) -> None:
    """Delete clip files the index no longer names, and folders left empty."""
    keep = index.files()
    for path in audio_dir.glob(f"??/*.{EXTENSION}"):
        if path.relative_to(audio_dir).as_posix() not in keep:
            path.unlink()
    for folder in audio_dir.glob("??"):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def _usage(index: Index, audio_dir: Path) -> tuple[int, int]:
    files = [audio_dir / name for name in index.files()]
    return len(files), sum(path.stat().st_size for path in files if path.is_file())
