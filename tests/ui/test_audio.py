"""Play buttons, play-all and the speed switch, with clips really built by espeak-ng.

The player is the one fake: it stands for the Flutter client, which cannot run here
(the browser test plays real clips)."""

import shutil
from pathlib import Path

import pytest

from app.media.library import AudioLibrary
from app.ui.controller import Screen, Section
from app.ui.shell import AppConfig, make_controller, render
from tests.ui.tree import answer_current, find, press, texts


class RecordingPlayer:
    def __init__(self) -> None:
        self.played: list[str] = []
        self.stopped = 0

    def play(self, src: str) -> None:
        self.played.append(src)

    def stop(self) -> None:
        self.stopped += 1


@pytest.fixture
def setup(unit1_lessons: Path, built: Path, tmp_path: Path):
    assets = tmp_path / "assets"
    shutil.copytree(built, assets / "audio")
    config = AppConfig(unit1_lessons, tmp_path / "data", language="en", assets_dir=assets)
    ctl = make_controller(config)
    player = RecordingPlayer()
    ctl.player = player
    ctl.open_unit("level1", "u01")
    return ctl, player, config


def test_built_lines_play_and_missing_clips_say_why(setup) -> None:
    ctl, player, _ = setup
    tree = render(ctl)
    assert not find(tree, "play-d01").disabled
    press(tree, "play-d01")
    assert player.played == [ctl.clip("안녕하세요? 저는 김민지예요. 한국어 선생님이에요.")]
    assert player.played[0].startswith("audio/") and player.played[0].endswith(".mp3")
    ctl.open_section(Section.VOCABULARY)
    vocab = render(ctl)
    assert not find(vocab, "play-v14").disabled  # 학생 was built
    missing = find(vocab, "play-v01")  # 안녕하세요 was not
    assert missing.disabled
    assert (
        find(vocab, "audio-missing").value == "Some audio of this unit is not on this device yet."
    )


def test_play_all_walks_the_dialogue_highlighting_each_line(setup) -> None:
    ctl, player, _ = setup
    press(render(ctl), "play-dialogue")
    assert ctl.state.playing_line == "d01"
    assert find(render(ctl), "playing-d01") is not None
    assert find(render(ctl), "play-dialogue").content == "Stop"
    for expected in ["d02", "d03", "d04", "d05", "d06", "d07", "d08", "d09", "d10"]:
        ctl.clip_finished()  # what the player reports when a clip ends
        assert ctl.state.playing_line == expected
    ctl.clip_finished()
    assert ctl.state.playing_line is None and len(player.played) == 10
    assert find(render(ctl), "play-dialogue").content == "Play the whole dialogue"


def test_slow_speed_plays_the_slow_clip_and_is_remembered(setup) -> None:
    ctl, player, config = setup
    line = "저는 베트남 사람이에요."
    press(render(ctl), "toggle-speed")
    press(render(ctl), "play-d04")
    library = AudioLibrary(config.assets_dir / "audio", config.assets_dir)
    assert player.played == [library.clip(line, slow=True)] != [library.clip(line)]
    assert make_controller(config).state.slow is True


def test_leaving_the_unit_stops_play_all(setup) -> None:
    ctl, _, _ = setup
    ctl.play_dialogue()
    ctl.start_exercises()
    ctl.clip_finished()
    assert ctl.state.screen is Screen.EXERCISE and ctl.state.playing_line is None


def go_to(ctl, exercise_id: str) -> None:
    """Start Unit 1's exercises and answer rightly up to `exercise_id`."""
    ctl.start_exercises()
    while ctl.state.session.current.id != exercise_id:
        answer_current(ctl, right=True)
        ctl.next()


def test_listen_plays_the_word_and_hides_it(setup) -> None:
    ctl, player, _ = setup
    go_to(ctl, "e16")
    tree = render(ctl)
    assert "학생" not in texts(tree)  # she must hear it, not read it
    press(tree, "play-cue")
    assert player.played == [ctl.clip("학생")]
    press(render(ctl), "choice-0")  # "student"
    assert ctl.state.session.last.correct


def test_dictation_plays_the_sentence_and_shows_its_meaning_after(setup) -> None:
    ctl, player, _ = setup
    go_to(ctl, "e17")
    tree = render(ctl)
    assert "I'm Vietnamese." not in texts(tree) and "저는 베트남 사람이에요." not in texts(tree)
    press(tree, "play-cue")
    assert player.played == [ctl.clip("저는 베트남 사람이에요.")]
    ctl.type_text("저는 베트남 사람이에요")
    ctl.check()
    assert ctl.state.session.last.correct and "I'm Vietnamese." in texts(render(ctl))


def test_without_the_clip_listening_becomes_reading_and_says_so(
    unit1_lessons: Path, tmp_path: Path
) -> None:
    config = AppConfig(unit1_lessons, tmp_path / "data", language="en", audio_dir=tmp_path / "none")
    ctl = make_controller(config)
    ctl.open_unit("level1", "u01")
    go_to(ctl, "e16")
    tree = render(ctl)
    assert find(tree, "no-audio").value.startswith("No audio on this device yet")
    assert "학생" in texts(tree)
