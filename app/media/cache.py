"""Content-addressed audio clips, their index, and the plan that brings them up to date."""

# A clip's file name is a hash of what was said, by which voice, at which speed, in which format
# version, so a clip is made once and a second run over unchanged content makes nothing.
# <audio_dir>/index.json maps every needed clip (normalised Korean text + speed) to its file and
# the voice that made it; a plan is the set difference between what is needed and that index.

from __future__ import annotations

import hashlib
import json
import logging
import os
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from app.media.clips import SPEEDS, CourseClips, DialogueTrack, Phrase
from app.media.spec import EXTENSION, PAUSE_MS

log = logging.getLogger(__name__)

FORMAT_VERSION = 1  # bump when processing changes: every key changes, so every clip is remade
INDEX_NAME = "index.json"
PREFERRED_VOICE = "gtts"  # clips by any other voice are upgraded when this voice is chosen

Kind = Literal["phrase", "dialogue"]


def speed_label(speed: float) -> str:
    """How a speed is written in the index: "1", "0.75"."""
    return f"{speed:g}"


def _speed_of(label: str) -> float:
    try:
        return float(label)
    except ValueError:
        return 0.0


def clip_key(speech: str, voice: str, speed: float) -> str:
    """sha256 of (text NFC, voice name, speed, FORMAT_VERSION)."""
    text = unicodedata.normalize("NFC", speech)
    payload = json.dumps([text, voice, speed_label(speed), FORMAT_VERSION], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def dialogue_key(line_keys: Sequence[str], pause_ms: int = PAUSE_MS) -> str:
    """A whole dialogue's key: its lines' keys (text, voice, speed each), the pause, the format."""
    payload = json.dumps(["dialogue", list(line_keys), pause_ms, FORMAT_VERSION])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def clip_file(key: str) -> str:
    """Where a clip lives, relative to the audio dir: two-letter fan-out keeps folders small."""
    return f"{key[:2]}/{key}.{EXTENSION}"


@dataclass(frozen=True)
class Entry:
    """One clip in the index: its file, the voice that made it, and what it was made from."""

    file: str  # relative to the audio dir, "ab/ab12….mp3"
    voice: str  # "gtts", "espeak"; a dialogue of mixed voices: "espeak+gtts"
    key: str
    speech: str = ""  # phrases: what the voice said
    courses: tuple[str, ...] = ()  # phrases: the courses that need it
    lines: tuple[str, ...] = ()  # dialogues: the line texts, in order

    def as_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"file": self.file, "voice": self.voice, "key": self.key}
        if self.speech:
            found["speech"] = self.speech
        if self.courses:
            found["courses"] = list(self.courses)
        if self.lines:
            found["lines"] = list(self.lines)
        return found

    @staticmethod
    def from_json(raw: dict[str, Any]) -> Entry:
        return Entry(
            file=str(raw["file"]),
            voice=str(raw["voice"]),
            key=str(raw["key"]),
            speech=str(raw.get("speech", "")),
            courses=tuple(str(c) for c in raw.get("courses", ())),
            lines=tuple(str(line) for line in raw.get("lines", ())),
        )


# An index slot: (speed label, text) for phrases, (speed label, unit ref) for dialogues.
Slot = tuple[str, str]


@dataclass
class Index:
    """What is built: every phrase and dialogue clip at every speed."""

    phrases: dict[Slot, Entry] = field(default_factory=dict)
    dialogues: dict[Slot, Entry] = field(default_factory=dict)

    def table(self, kind: Kind) -> dict[Slot, Entry]:
        return self.phrases if kind == "phrase" else self.dialogues

    def files(self) -> set[str]:
        return {e.file for e in (*self.phrases.values(), *self.dialogues.values())}

    def as_json(self) -> dict[str, Any]:
        def nest(table: dict[Slot, Entry]) -> dict[str, dict[str, Any]]:
            out: dict[str, dict[str, Any]] = {}
            for (speed, name), entry in sorted(table.items()):
                out.setdefault(speed, {})[name] = entry.as_json()
            return out

        return {
            "format": FORMAT_VERSION,
            "extension": EXTENSION,
            "phrases": nest(self.phrases),
            "dialogues": nest(self.dialogues),
        }

    @staticmethod
    def from_json(raw: dict[str, Any]) -> Index:
        def flat(section: Any) -> dict[Slot, Entry]:
            if not isinstance(section, dict):
                return {}
            return {
                (speed, name): Entry.from_json(entry)
                for speed, entries in section.items()
                for name, entry in entries.items()
            }

        return Index(flat(raw.get("phrases")), flat(raw.get("dialogues")))

    @staticmethod
    def load(audio_dir: Path) -> Index:
        """The index in `audio_dir`; empty if there is none or it cannot be read."""
        path = audio_dir / INDEX_NAME
        if not path.is_file():
            return Index()
        try:
            return Index.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            # Clips are rebuilt or re-adopted from their files; a broken index costs time only.
            log.warning("%s is unreadable (%s); starting a new index", path, exc)
            return Index()

    def save(self, audio_dir: Path) -> bool:
        """Write the index atomically; False if it was already up to date."""
        path = audio_dir / INDEX_NAME
        text = json.dumps(self.as_json(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            return False
        audio_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{INDEX_NAME}.{os.getpid()}.part")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        return True


@dataclass(frozen=True)
class Needs:
    """Every clip the courses in scope need, with the courses that need each phrase."""

    phrases: dict[str, Phrase]
    courses_of: dict[str, frozenset[str]]
    dialogues: dict[str, DialogueTrack]
    scope: frozenset[str] | None  # the courses this run covers; None: all of them


def needs_of(clips: Iterable[CourseClips], scope: Iterable[str] | None = None) -> Needs:
    """Gather what these courses need; with `scope` the index keeps other courses' clips."""
    phrases: dict[str, Phrase] = {}
    courses_of: dict[str, set[str]] = {}
    dialogues: dict[str, DialogueTrack] = {}
    for course in clips:
        for found in course.phrases:
            phrases.setdefault(found.text, found)  # the first course decides what is said
            courses_of.setdefault(found.text, set()).add(course.course)
        dialogues.update((track.unit, track) for track in course.dialogues)
    frozen = {text: frozenset(courses) for text, courses in courses_of.items()}
    return Needs(phrases, frozen, dialogues, None if scope is None else frozenset(scope))


class Action(StrEnum):
    NEW = "new"
    KEPT = "kept"
    UPGRADE = "upgrade"
    DELETED = "deleted"


@dataclass(frozen=True)
class Item:
    """One clip and what this run does with it."""

    kind: Kind
    name: str  # the text of a phrase, the unit ref of a dialogue
    speed: float
    action: Action
    voice: str = ""  # the voice that made the existing clip, if any

    def __str__(self) -> str:
        made = f" ({self.voice})" if self.voice else ""
        return f"{self.action:<8} {self.kind:<8} x{speed_label(self.speed):<5}{self.name}{made}"


@dataclass
class Plan:
    """What a run will make, keep and delete, and the index it starts from."""

    items: list[Item]
    index: Index  # kept and out-of-scope entries; new and upgraded ones are filled in by a build
    voice: str

    def of(self, action: Action) -> list[Item]:
        return [item for item in self.items if item.action is action]

    def counts(self) -> dict[str, int]:
        return {action.value: len(self.of(action)) for action in Action}

    @property
    def to_make(self) -> list[Item]:
        return [i for i in self.items if i.action in (Action.NEW, Action.UPGRADE)]

    def describe(self, limit: int | None = None) -> str:
        """The plan for people: counts, then the clips of each kind of change (`limit` each)."""
        counts = self.counts()
        lines = [
            f"plan with voice {self.voice}: "
            + ", ".join(f"{counts[a.value]} {a.value}" for a in Action)
        ]
        for action in (Action.NEW, Action.UPGRADE, Action.DELETED):
            items = self.of(action)
            lines.extend(f"  {item}" for item in items[:limit])
            if limit is not None and len(items) > limit:
                lines.append(f"  … and {len(items) - limit} more {action.value}")
        return "\n".join(lines)


def _valid(entry: Entry, audio_dir: Path) -> bool:
    return entry.file == clip_file(entry.key) and (audio_dir / entry.file).is_file()


def _upgrade(entry: Entry, voice: str) -> bool:
    return voice == PREFERRED_VOICE and entry.voice != PREFERRED_VOICE


def make_plan(needs: Needs, audio_dir: Path, voice: str, index: Index | None = None) -> Plan:
    """Compare what is needed with the index: new, kept, upgrade and deleted clips."""
    old = Index.load(audio_dir) if index is None else index
    start = Index()
    items = _plan_phrases(needs, audio_dir, voice, old, start)
    items += _plan_dialogues(needs, audio_dir, voice, old, start, items)
    return Plan(items, start, voice)


_LABELS = {speed_label(speed): speed for speed in SPEEDS}


def _in_scope(needs: Needs, courses: Iterable[str]) -> set[str]:
    return set(courses) if needs.scope is None else set(courses) & needs.scope


def _plan_phrases(
    needs: Needs, audio_dir: Path, voice: str, old: Index, start: Index
) -> list[Item]:
    """Plan the phrases, keyed by (speed, text); fills `start` with what stays."""
    items: list[Item] = []
    for (label, text), entry in old.phrases.items():
        wanted = needs.phrases.get(text) if label in _LABELS else None
        outside = set(entry.courses) - _in_scope(needs, entry.courses)
        courses = tuple(sorted(outside | set(needs.courses_of.get(text, ()))))
        if wanted is None:
            if not courses or label not in _LABELS:
                items.append(Item("phrase", text, _speed_of(label), Action.DELETED, entry.voice))
            else:  # needed only by a course outside this run: leave it as it is
                start.phrases[label, text] = entry
            continue
        speed = _LABELS[label]
        if (
            entry.speech == wanted.speech
            and entry.key == clip_key(entry.speech, entry.voice, speed)
            and _valid(entry, audio_dir)
        ):
            start.phrases[label, text] = replace(entry, courses=courses)
            action = Action.UPGRADE if _upgrade(entry, voice) else Action.KEPT
            items.append(Item("phrase", text, speed, action, entry.voice))
        else:
            items.append(Item("phrase", text, speed, Action.NEW))
    for text, wanted in needs.phrases.items():
        for speed in SPEEDS:
            label = speed_label(speed)
            if (label, text) in old.phrases:
                continue  # planned above
            key = clip_key(wanted.speech, voice, speed)
            courses = tuple(sorted(needs.courses_of[text]))
            adopted = Entry(clip_file(key), voice, key, wanted.speech, courses)
            if _valid(adopted, audio_dir):
                # Made by a run that stopped before saving the index, or under another text.
                start.phrases[label, text] = adopted
                items.append(Item("phrase", text, speed, Action.KEPT, voice))
            else:
                items.append(Item("phrase", text, speed, Action.NEW))
    return items


def _plan_dialogues(
    needs: Needs, audio_dir: Path, voice: str, old: Index, start: Index, phrases: list[Item]
) -> list[Item]:
    """Plan the whole dialogues, keyed by (speed, unit ref): kept only if every line is kept."""
    items: list[Item] = []
    line_action = {(i.name, i.speed): i.action for i in phrases}
    for (label, unit), entry in old.dialogues.items():
        track = needs.dialogues.get(unit) if label in _LABELS else None
        if track is None:
            if label not in _LABELS or _in_scope(needs, [unit.split("/")[0]]):
                items.append(Item("dialogue", unit, _speed_of(label), Action.DELETED, entry.voice))
            else:  # a course outside this run
                start.dialogues[label, unit] = entry
            continue
        speed = _LABELS[label]
        actions = {line_action.get((line, speed), Action.NEW) for line in track.lines}
        lines = [start.phrases.get((label, line)) for line in track.lines]
        keys = [line.key for line in lines if line is not None]
        if (
            entry.lines == track.lines
            and actions <= {Action.KEPT, Action.UPGRADE}
            and len(keys) == len(track.lines)
            and entry.key == dialogue_key(keys)
            and _valid(entry, audio_dir)
        ):
            start.dialogues[label, unit] = entry
            upgrade = Action.UPGRADE in actions or _upgrade(entry, voice)
            action = Action.UPGRADE if upgrade else Action.KEPT
            items.append(Item("dialogue", unit, speed, action, entry.voice))
        else:
            items.append(Item("dialogue", unit, speed, Action.NEW))
    for unit in needs.dialogues:
        for speed in SPEEDS:
            if (speed_label(speed), unit) not in old.dialogues:
                items.append(Item("dialogue", unit, speed, Action.NEW))
    return items
