"""The content-addressed cache: plans, no-op reruns, regeneration, pruning, upgrades."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from app.media import process
from app.media.cache import (
    INDEX_NAME,
    Action,
    Index,
    clip_file,
    clip_key,
    make_plan,
    needs_of,
    speed_label,
)
from app.media.clips import SLOW, CourseClips, DialogueTrack, Phrase
from app.media.tts import EspeakVoice, FallbackVoice, GttsVoice, SynthesisError, VoiceUnreachable
from tests.media.helpers import CountingVoice, RecordedGoogle, run


def files(audio_dir: Path) -> dict[str, int]:
    """Every file under the audio dir with its size."""
    return {
        p.relative_to(audio_dir).as_posix(): p.stat().st_size
        for p in sorted(audio_dir.rglob("*"))
        if p.is_file()
    }


def test_the_key_hashes_text_voice_speed_and_format() -> None:
    key = clip_key("학생", "espeak", 1.0)
    assert len(key) == 64
    assert clip_key("학생", "espeak", 1.0) == key
    # NFC: a text typed as separate jamo (NFD) is the same clip.
    assert clip_key("\u1112\u1161\u11a8\u1109\u1162\u11bc", "espeak", 1.0) == key
    assert len({key, clip_key("학생", "gtts", 1.0), clip_key("학생", "espeak", 0.75)}) == 3
    assert clip_file(key) == f"{key[:2]}/{key}.mp3"


def test_a_first_build_makes_every_clip_and_indexes_it(small: CourseClips, audio_dir: Path) -> None:
    index = Index.load(audio_dir)
    assert len(index.phrases) == 2 * len(small.phrases) == 28
    assert len(index.dialogues) == 2
    for (speed, text), entry in index.phrases.items():
        assert speed in ("1", "0.75")
        assert entry.voice == "espeak"
        assert entry.courses == ("level1",)
        assert entry.key == clip_key(entry.speech, "espeak", float(speed))
        assert (audio_dir / entry.file).stat().st_size > 0, text
    raw = json.loads((audio_dir / INDEX_NAME).read_text(encoding="utf-8"))
    assert raw["phrases"]["0.75"]["학생"]["voice"] == "espeak"
    assert raw["dialogues"]["1"]["level1/u01"]["lines"][0].startswith("안녕하세요?")


def test_the_dialogue_track_is_its_lines_plus_pauses(small: CourseClips, audio_dir: Path) -> None:
    index = Index.load(audio_dir)
    track = small.dialogues[0]
    for speed in ("1", "0.75"):
        lines = [process.seconds(audio_dir / index.phrases[speed, t].file) for t in track.lines]
        whole = process.seconds(audio_dir / index.dialogues[speed, track.unit].file)
        expected = sum(lines) + (len(lines) - 1) * process.PAUSE_MS / 1000
        assert abs(whole - expected) < 0.05 * len(lines), (speed, whole, expected)
    normal = process.seconds(audio_dir / index.dialogues["1", track.unit].file)
    slow = process.seconds(audio_dir / index.dialogues["0.75", track.unit].file)
    assert normal < slow


def test_a_second_run_over_unchanged_content_does_nothing(
    small: CourseClips, audio_dir: Path, espeak: CountingVoice
) -> None:
    before = files(audio_dir)
    mtime = (audio_dir / INDEX_NAME).stat().st_mtime_ns
    report = run(small, audio_dir, espeak)
    assert espeak.said == []
    assert (report.new, report.upgraded, report.deleted, report.kept) == (0, 0, 0, 30)
    assert report.bytes_written == 0
    assert files(audio_dir) == before
    assert (audio_dir / INDEX_NAME).stat().st_mtime_ns == mtime  # not even rewritten


def test_a_changed_text_regenerates_only_that_clip(
    small: CourseClips, audio_dir: Path, espeak: CountingVoice
) -> None:
    old = Index.load(audio_dir)
    changed = replace(
        small, phrases=(*(p for p in small.phrases if p.text != "학생"), Phrase("학생들", "학생들"))
    )
    plan = make_plan(needs_of([changed]), audio_dir, "espeak")
    assert {(i.name, i.action) for i in plan.items if i.action is not Action.KEPT} == {
        ("학생들", Action.NEW),
        ("학생", Action.DELETED),
    }
    report = run(changed, audio_dir, espeak)
    assert espeak.said == ["학생들"]  # one synthesis gives both speeds
    assert (report.new, report.deleted) == (2, 2)
    new = Index.load(audio_dir)
    assert ("1", "학생") not in new.phrases and ("0.75", "학생들") in new.phrases
    assert not (audio_dir / old.phrases["1", "학생"].file).exists()  # pruned
    unchanged = {slot: e for slot, e in old.phrases.items() if slot[1] != "학생"}
    assert {slot: new.phrases[slot] for slot in unchanged} == unchanged
    assert new.dialogues == old.dialogues


def test_a_changed_dialogue_line_remakes_that_line_and_the_dialogue(
    small: CourseClips, audio_dir: Path, espeak: CountingVoice
) -> None:
    track = small.dialogues[0]
    first = track.lines[0]
    lines = ("안녕하세요? 저는 이민지예요.", *track.lines[1:])
    changed = CourseClips(
        small.course,
        (*(p for p in small.phrases if p.text != first), Phrase(lines[0], lines[0])),
        (DialogueTrack(track.unit, lines),),
    )
    report = run(changed, audio_dir, espeak)
    assert espeak.said == [lines[0]]
    assert (report.new, report.deleted) == (4, 2)  # the line and the dialogue, at both speeds
    index = Index.load(audio_dir)
    assert index.dialogues["1", track.unit].lines == lines
    assert len(files(audio_dir)) == 30 + 1  # clips + index.json, old ones pruned


def test_deleted_items_are_pruned(
    small: CourseClips, audio_dir: Path, espeak: CountingVoice
) -> None:
    old = Index.load(audio_dir)
    fewer = CourseClips(small.course, tuple(p for p in small.phrases if p.text != "나라"), ())
    report = run(fewer, audio_dir, espeak)
    assert espeak.said == []
    assert report.deleted == 2 + 2  # 나라 and the whole dialogue, at both speeds
    index = Index.load(audio_dir)
    assert ("1", "나라") not in index.phrases and not index.dialogues
    assert not (audio_dir / old.phrases["0.75", "나라"].file).exists()
    assert set(files(audio_dir)) == {INDEX_NAME, *(e.file for e in index.phrases.values())}


def test_a_dry_run_plan_changes_nothing(small: CourseClips, audio_dir: Path) -> None:
    before = files(audio_dir)
    fewer = CourseClips(small.course, small.phrases[1:], small.dialogues)
    plan = make_plan(needs_of([fewer]), audio_dir, "espeak")
    assert plan.counts() == {"new": 0, "kept": 28, "upgrade": 0, "deleted": 2}
    assert "deleted  phrase" in plan.describe()
    assert files(audio_dir) == before


def test_a_missing_file_is_made_again(
    small: CourseClips, audio_dir: Path, espeak: CountingVoice
) -> None:
    entry = Index.load(audio_dir).phrases[speed_label(SLOW), "이름"]
    (audio_dir / entry.file).unlink()
    run(small, audio_dir, espeak)
    assert espeak.said == ["이름"]
    assert (audio_dir / entry.file).is_file()


def test_a_run_for_one_course_keeps_the_clips_of_others(
    small: CourseClips, audio_dir: Path, espeak: CountingVoice
) -> None:
    other = CourseClips("hangul", (Phrase("학생", "학생"), Phrase("아이", "아이")), ())
    needs = needs_of([other], scope=["hangul"])
    plan = make_plan(needs, audio_dir, "espeak")
    assert plan.counts() == {"new": 2, "kept": 2, "upgrade": 0, "deleted": 0}
    from app.media.build import build

    build(plan, needs, audio_dir, espeak, jobs=1)
    index = Index.load(audio_dir)
    assert index.phrases["1", "학생"].courses == ("hangul", "level1")
    assert index.phrases["1", "아이"].courses == ("hangul",)
    assert len(index.phrases) == 28 + 2 and len(index.dialogues) == 2


def test_an_interrupted_run_keeps_what_it_made(small: CourseClips, tmp_path: Path) -> None:
    class Failing(CountingVoice):
        def synthesize(self, text: str, out: Path) -> None:
            if len(self.said) >= 3:
                raise KeyboardInterrupt
            super().synthesize(text, out)

    audio_dir = tmp_path / "audio"
    first = Failing(EspeakVoice())
    with pytest.raises(KeyboardInterrupt):
        run(small, audio_dir, first)
    assert 0 < len(Index.load(audio_dir).phrases) < 28  # saved on the way out
    again = CountingVoice(EspeakVoice())
    run(small, audio_dir, again)
    # Every text is said exactly once over both runs: clips made before the stop are kept,
    # from the index or, if the stop came first, adopted by their content address.
    assert sorted(first.said + again.said) == sorted(p.speech for p in small.phrases)
    assert len(Index.load(audio_dir).phrases) == 28


def test_an_online_run_upgrades_espeak_clips_to_gtts(
    small: CourseClips, audio_dir: Path, google: RecordedGoogle
) -> None:
    old = Index.load(audio_dir)
    plan = make_plan(needs_of([small]), audio_dir, "gtts")
    assert plan.counts() == {"new": 0, "kept": 0, "upgrade": 30, "deleted": 0}
    gtts = CountingVoice(GttsVoice(timeout=2.0))
    report = run(small, audio_dir, gtts)
    assert report.upgraded == 30 and report.voices == {"gtts": 30}
    assert len(gtts.said) == 14 and len(google.sent) == 14
    index = Index.load(audio_dir)
    assert {e.voice for e in (*index.phrases.values(), *index.dialogues.values())} == {"gtts"}
    assert not any((audio_dir / e.file).exists() for e in old.phrases.values())  # pruned
    # gTTS clips are kept by a later offline run: never downgraded to espeak.
    espeak = CountingVoice(EspeakVoice())
    assert run(small, audio_dir, espeak).kept == 30 and espeak.said == []


def test_an_unreadable_index_starts_again_and_adopts_the_files(
    small: CourseClips, audio_dir: Path, espeak: CountingVoice
) -> None:
    (audio_dir / INDEX_NAME).write_text("{not json", encoding="utf-8")
    report = run(small, audio_dir, espeak)
    assert espeak.said == []  # the clips are found again by their content address
    assert report.kept == 28 and report.new == 2  # dialogues are re-joined from their lines
    assert report.bytes_written == 0


def test_an_auto_run_that_loses_google_falls_back_per_clip(
    small: CourseClips, tmp_path: Path, offline: int
) -> None:
    audio_dir = tmp_path / "audio"
    gtts = CountingVoice(GttsVoice(timeout=2.0))
    voice = FallbackVoice(gtts, EspeakVoice())  # what choose_voice("auto") gives when online
    report = run(small, audio_dir, voice)
    assert report.new == 30 and report.voices == {"espeak": 30}
    # Then it stops waiting for Google (the second worker may have been trying already).
    assert FallbackVoice.GIVE_UP_AFTER <= len(gtts.said) <= FallbackVoice.GIVE_UP_AFTER + 1
    index = Index.load(audio_dir)
    assert {e.voice for e in index.phrases.values()} == {"espeak"}
    assert all(p.stat().st_size > 0 for p in audio_dir.rglob("*") if p.is_file())
    assert not list(audio_dir.rglob("*.part"))


class Refusing(CountingVoice):
    """A real voice that cannot say one text."""

    def __init__(self, refuse: str, error: type[SynthesisError] = SynthesisError) -> None:
        super().__init__(EspeakVoice())
        self.refuse = refuse
        self.error = error

    def synthesize(self, text: str, out: Path) -> None:
        if text == self.refuse:
            raise self.error(f"cannot say {text!r}")
        super().synthesize(text, out)


def test_a_clip_that_cannot_be_made_is_reported_and_the_rest_is_built(
    small: CourseClips, tmp_path: Path
) -> None:
    audio_dir = tmp_path / "audio"
    line = small.dialogues[0].lines[2]
    report = run(small, audio_dir, Refusing(line))
    assert len(report.failed) == 1 + 2  # the line, and the dialogue at both speeds
    assert line in report.failed[0]
    assert report.new == 26  # everything else
    index = Index.load(audio_dir)
    assert ("1", line) not in index.phrases and not index.dialogues
    # The next run makes only what is missing.
    again = CountingVoice(EspeakVoice())
    assert run(small, audio_dir, again).new == 4 and again.said == [line]


def test_an_unreachable_voice_without_fallback_stops_the_run(
    small: CourseClips, tmp_path: Path
) -> None:
    audio_dir = tmp_path / "audio"
    with pytest.raises(VoiceUnreachable):
        run(small, audio_dir, Refusing(small.phrases[5].speech, VoiceUnreachable))
    assert (audio_dir / INDEX_NAME).is_file()  # what was made before the stop is kept
