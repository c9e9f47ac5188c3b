"""Read lessons/<course>/ into domain objects, checking every rule in lessons/SCHEMA.md.

A course with any error is not returned at all: the learner never sees half a course.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from app.content.errors import ContentError
from app.content.overlay import Overlay, overlays_for
from app.content.yaml_lines import LineDict, LineList, YamlSyntaxError, load_yaml
from app.domain.course import (
    Course,
    CourseId,
    CourseKind,
    CultureNote,
    Dialogue,
    DialogueLine,
    Fact,
    GrammarPoint,
    Letter,
    LevelMap,
    Pronunciation,
    Speaker,
    Unit,
    UnitId,
    UnitRef,
    VocabItem,
)
from app.domain.exercises import (
    ArrangeExercise,
    Choice,
    ChoiceExercise,
    Exercise,
    ExerciseType,
    MatchExercise,
    TypeExercise,
)
from app.domain.grading import compact
from app.domain.text import Provenance, Review, Text, Translation

REQUIRED_LANGS = ("en", "vi", "zh-Hans")
# Every language the product targets (the languages issue); translations may be in any of them.
KNOWN_LANGS = frozenset(
    [
        "en",
        "zh-Hans",
        "vi",
        "th",
        "fil",
        "id",
        "ms",
        "my",
        "km",
        "hi",
        "uz",
        "tg",
        "tk",
        "ja",
        "mn",
        "ru",
        "lo",
        "ne",
        "bn",
        "ur",
    ]
)
ALIASES = {"id-ID": "id"}  # Indonesian, where "id" already names the item
POS = frozenset(
    [
        "noun",
        "verb",
        "adjective",
        "adverb",
        "particle",
        "pronoun",
        "number",
        "counter",
        "determiner",
        "expression",
        "interjection",
    ]
)
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
GAP = "＿＿"


class CourseInvalid(Exception):
    """A course that cannot be loaded, with every problem found in it."""

    def __init__(self, course_dir: Path, errors: list[ContentError]) -> None:
        self.course_dir = course_dir
        self.errors = errors
        listed = "\n".join(f"  {e}" for e in errors[:50])
        more = f"\n  … and {len(errors) - 50} more" if len(errors) > 50 else ""
        super().__init__(f"{course_dir}: {len(errors)} problem(s)\n{listed}{more}")


@dataclass(frozen=True)
class Library:
    """Every course that loaded, and every course that did not (with why)."""

    courses: tuple[Course, ...]
    failures: tuple[CourseInvalid, ...]
    # Stale or misplaced translation-overlay entries: reported by `validate`, never fatal.
    overlay_issues: tuple[ContentError, ...] = ()

    def course(self, course_id: str) -> Course:
        for course in self.courses:
            if course.id == course_id:
                return course
        raise KeyError(course_id)


def load_library(root: Path, replacements: Mapping[str, Path] | None = None) -> Library:
    """Load every course folder under `root` (a folder with a course.yaml).

    `replacements` maps a course id to another folder to load it from instead (an installed
    course pack); a course found only there is added.
    """
    courses: list[Course] = []
    failures: list[CourseInvalid] = []
    issues: list[ContentError] = []
    if not root.is_dir():
        error = ContentError(root, 0, "", "lessons folder not found")
        return Library((), (CourseInvalid(root, [error]),))
    found = {p.name: p for p in root.iterdir() if (p / "course.yaml").is_file()}
    found.update({k: v for k, v in (replacements or {}).items() if (v / "course.yaml").is_file()})
    for _, course_dir in sorted(found.items()):
        try:
            courses.append(load_course(course_dir, issues))
        except CourseInvalid as exc:
            failures.append(exc)
    courses.sort(key=lambda c: (c.order, c.id))
    return Library(tuple(courses), tuple(failures), tuple(issues))


def load_course(course_dir: Path, overlay_issues: list[ContentError] | None = None) -> Course:
    """Load one course; raise CourseInvalid listing every problem if anything is wrong.

    Translation overlays (lessons/<course>/i18n/<lang>/) are merged in; their problems go to
    `overlay_issues` when given.
    """
    return _read_course(course_dir, overlay_issues)[1]


def course_texts(course_dir: Path) -> dict[str, list[tuple[str, Text]]]:
    """Every learner-facing text of a course by lesson file stem, as (path, Text) in order.

    What `app.cli translate` walks to find the strings a language lacks.
    """
    return _read_course(course_dir, None)[0].recorded_by_file


def _read_course(
    course_dir: Path, overlay_issues: list[ContentError] | None
) -> tuple[_Reader, Course]:
    """Read a course and its overlays; CourseInvalid if anything in it is wrong."""
    reader = _Reader(course_dir / "course.yaml", overlays_for(course_dir, "course", KNOWN_LANGS))
    raw = reader.file()
    course = reader.course(raw, course_dir) if raw is not None else None
    if overlay_issues is not None:
        overlay_issues.extend(reader.overlay_issues)
    if reader.errors or course is None:
        raise CourseInvalid(course_dir, reader.errors)
    return reader, course


class _Reader:
    """Walks raw YAML, building domain objects and collecting errors instead of stopping."""

    def __init__(self, path: Path, overlays: Iterable[Overlay] = ()) -> None:
        self.path = path
        self.errors: list[ContentError] = []
        self.provenance = Provenance.AUTHORED
        self.review = Review.UNREVIEWED
        self.overlays = list(overlays)
        self.recorded: list[tuple[str, Text]] = []
        self.recorded_by_file: dict[str, list[tuple[str, Text]]] = {}
        self.overlay_issues: list[ContentError] = []

    def finish_overlays(self) -> None:
        """Collect the overlays' problems once every text of the file has been read."""
        for overlay in self.overlays:
            self.overlay_issues.extend(overlay.issues)
            self.overlay_issues.extend(overlay.unused())

    # -- error helpers ---------------------------------------------------------------------

    def error(self, line: int, key: str, message: str) -> None:
        self.errors.append(ContentError(self.path, line, key, message))

    def file(self) -> LineDict | None:
        if not self.path.is_file():
            self.error(0, "", "file not found")
            return None
        try:
            raw = load_yaml(self.path)
        except YamlSyntaxError as exc:
            self.error(exc.line, "", exc.message)
            return None
        if not isinstance(raw, LineDict):
            self.error(1, "", "the file must be a YAML mapping (key: value)")
            return None
        for key, line in raw.duplicates:
            self.error(line, key, "key appears twice")
        return raw

    def keys(self, node: LineDict, where: str, allowed: Iterable[str]) -> None:
        allowed = set(allowed)
        for key in node:
            if key not in allowed:
                hint = " (a comma inside an unquoted flow value?)" if " " in key else ""
                self.error(node.line_of(key), _join(where, key), f"unknown key{hint}")
        for key, line in getattr(node, "duplicates", []):
            self.error(line, _join(where, key), "key appears twice")

    def need(self, node: LineDict, key: str, where: str) -> Any:
        if key not in node or node[key] is None:
            self.error(node.line, _join(where, key), "missing")
            return None
        return node[key]

    def string(self, node: LineDict, key: str, where: str) -> str | None:
        value = self.need(node, key, where)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(node.line_of(key), _join(where, key), "must be text")
            return None
        text = str(value).strip()
        if not text:
            self.error(node.line_of(key), _join(where, key), "is empty")
            return None
        return text

    def slug(self, node: LineDict, key: str, where: str) -> str | None:
        value = self.string(node, key, where)
        if value is not None and not ID.match(value):
            self.error(node.line_of(key), _join(where, key), f"'{value}' is not a valid id")
            return None
        return value

    def mapping(self, value: Any, line: int, where: str) -> LineDict | None:
        if not isinstance(value, LineDict):
            self.error(line, where, "must be a mapping (key: value)")
            return None
        return value

    def sequence(self, value: Any, line: int, where: str) -> LineList | None:
        if not isinstance(value, LineList):
            self.error(line, where, "must be a list")
            return None
        return value

    def items(
        self, node: LineDict, key: str, where: str, *, by_id: bool = False
    ) -> Iterator[tuple[LineDict, str]]:
        """The mappings of a list under `key`, each with its path for messages.

        With `by_id` (lists whose items carry an `id`), the path names the item by its id,
        `vocabulary[v03]`, so it stays put when items are added or moved: translation
        overlays are keyed by these paths.
        """
        value = node.get(key)
        if value is None:
            return
        seq = self.sequence(value, node.line_of(key), _join(where, key))
        if seq is None:
            return
        for index, item in enumerate(seq):
            name = item.get("id") if by_id and isinstance(item, LineDict) else None
            label = name if isinstance(name, str) and ID.match(name) else str(index)
            path = f"{_join(where, key)}[{label}]"
            found = self.mapping(item, seq.line_of(index), path)
            if found is not None:
                yield found, path

    def count(self, found: int, low: int, high: int | None, line: int, where: str) -> None:
        if found < low or (high is not None and found > high):
            wanted = f"{low}-{high}" if high is not None else f"at least {low}"
            self.error(line, where, f"has {found}, needs {wanted}")

    # -- texts -----------------------------------------------------------------------------

    def file_defaults(self, node: LineDict, where: str = "") -> None:
        provenance = node.get("provenance", "authored")
        review = node.get("review", "unreviewed")
        try:
            self.provenance = Provenance(provenance)
        except ValueError:
            self.error(node.line_of("provenance"), "provenance", "must be authored or machine")
        try:
            self.review = Review(review)
        except ValueError:
            self.error(node.line_of("review"), "review", "must be unreviewed or reviewed")

    def translation(self, value: Any, line: int, where: str) -> Translation | None:
        if isinstance(value, LineDict):
            self.keys(value, where, ("text", "provenance", "review"))
            text = self.string(value, "text", where)
            try:
                provenance = Provenance(value.get("provenance", self.provenance))
                review = Review(value.get("review", self.review))
            except ValueError:
                self.error(line, where, "provenance/review value not recognised")
                return None
            return Translation(text, provenance, review) if text else None
        if isinstance(value, str) and value.strip():
            return Translation(value.strip(), self.provenance, self.review)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.error(line, where, "is empty")
            return None
        if isinstance(value, bool | int | float):
            return Translation(str(value), self.provenance, self.review)
        self.error(line, where, "must be text")
        return None

    def text_from(
        self, node: LineDict, where: str, *, korean: bool = True, extra: Iterable[str] = ()
    ) -> Text:
        """A Text whose languages are keys of `node` (other keys in `extra` are skipped)."""
        extra = set(extra)
        # Where "id" is the item's id it cannot also be Indonesian; there, Indonesian is "id-ID".
        langs = {ALIASES.get(key, key): key for key in node if key not in extra}
        self.keys(node, where, {"ko", *KNOWN_LANGS, *ALIASES, *extra})
        ko = self.string(node, "ko", where) if korean else None
        if not korean and "ko" in node and "ko" not in extra:
            self.error(node.line_of("ko"), _join(where, "ko"), "a gloss has no Korean source")
        translations: dict[str, Translation] = {}
        for lang in REQUIRED_LANGS:
            if lang not in node:
                self.error(node.line, _join(where, lang), "translation missing")
        for lang in sorted(KNOWN_LANGS & set(langs)):
            key = langs[lang]
            found = self.translation(node[key], node.line_of(key), _join(where, key))
            if found is not None:
                translations[lang] = found
        english = translations.get("en")
        for overlay in self.overlays:
            if overlay.lang in translations:
                continue
            merged = overlay.lookup(where, english.text if english else None)
            if merged is not None:
                translations[overlay.lang] = merged
        text = Text(ko, translations)
        self.recorded.append((where, text))
        return text

    def text(self, node: LineDict, key: str, where: str, *, korean: bool = True) -> Text | None:
        value = self.need(node, key, where)
        if value is None:
            return None
        found = self.mapping(value, node.line_of(key), _join(where, key))
        return None if found is None else self.text_from(found, _join(where, key), korean=korean)

    def texts(self, node: LineDict, key: str, where: str) -> tuple[Text, ...]:
        return tuple(self.text_from(item, path) for item, path in self.items(node, key, where))

    # -- course ----------------------------------------------------------------------------

    def course(self, raw: LineDict, course_dir: Path) -> Course | None:
        self.keys(
            raw,
            "",
            (
                [
                    "id",
                    "kind",
                    "order",
                    "provenance",
                    "review",
                    "title",
                    "description",
                    "levels",
                    "units",
                ]
            ),
        )
        self.file_defaults(raw)
        course_id = self.slug(raw, "id", "")
        if course_id is not None and course_id != course_dir.name:
            self.error(raw.line_of("id"), "id", f"'{course_id}' differs from folder name")
        kind = None
        kind_raw = self.string(raw, "kind", "")
        if kind_raw is not None:
            try:
                kind = CourseKind(kind_raw)
            except ValueError:
                self.error(raw.line_of("kind"), "kind", "must be hangul, sejong or life")
        order = raw.get("order")
        if not isinstance(order, int) or isinstance(order, bool):
            self.error(raw.line_of("order"), "order", "must be a whole number")
            order = 0
        title = self.text(raw, "title", "")
        description = self.text(raw, "description", "")
        levels = None
        if "levels" in raw:
            levels = self.levels(raw["levels"], raw.line_of("levels"))
        elif kind in (CourseKind.HANGUL, CourseKind.SEJONG):
            self.error(raw.line, "levels", "missing (needed for hangul and sejong courses)")
        unit_ids = self.unit_list(raw)
        units: list[Unit] = []
        taught: dict[str, VocabItem] = {}
        for number, unit_id in enumerate(unit_ids, start=1):
            unit_reader = _Reader(
                course_dir / f"{unit_id}.yaml", overlays_for(course_dir, unit_id, KNOWN_LANGS)
            )
            unit_raw = unit_reader.file()
            if unit_raw is not None and course_id is not None and kind is not None:
                ref = UnitRef(CourseId(course_id), UnitId(unit_id))
                unit = unit_reader.unit(unit_raw, ref, number, kind, taught)
                if unit is not None:
                    units.append(unit)
                    taught.update({f"{unit_id}/{v.id}": v for v in unit.vocabulary})
            self.errors.extend(unit_reader.errors)
            unit_reader.finish_overlays()
            self.overlay_issues.extend(unit_reader.overlay_issues)
            self.recorded_by_file[unit_id] = unit_reader.recorded
        self.finish_overlays()
        self.recorded_by_file = {"course": self.recorded, **self.recorded_by_file}
        if self.errors or course_id is None or kind is None or title is None:
            return None
        return Course(
            id=CourseId(course_id),
            kind=kind,
            order=order,
            title=title,
            description=description or Text(),
            levels=levels,
            units=tuple(units),
        )

    def levels(self, value: Any, line: int) -> LevelMap | None:
        node = self.mapping(value, line, "levels")
        if node is None:
            return None
        self.keys(node, "levels", ("cefr", "hours", "ksi", "kiip"))
        cefr = self.string(node, "cefr", "levels")
        hours = node.get("hours")
        if not isinstance(hours, int) or isinstance(hours, bool) or hours <= 0:
            self.error(node.line_of("hours"), "levels.hours", "must be a whole number above 0")
            hours = 0
        ksi = self.text(node, "ksi", "levels")
        kiip = self.text(node, "kiip", "levels")
        if cefr is None or ksi is None or kiip is None:
            return None
        return LevelMap(cefr, hours, ksi, kiip)

    def unit_list(self, raw: LineDict) -> list[str]:
        value = self.need(raw, "units", "")
        seq = self.sequence(value, raw.line_of("units"), "units") if value is not None else None
        if seq is None:
            return []
        ids: list[str] = []
        for index, item in enumerate(seq):
            if not isinstance(item, str) or not ID.match(item):
                self.error(seq.line_of(index), f"units[{index}]", f"'{item}' is not a valid id")
            elif item in ids:
                self.error(seq.line_of(index), f"units[{index}]", f"'{item}' is listed twice")
            else:
                ids.append(item)
        if not ids:
            self.error(raw.line_of("units"), "units", "lists no units")
        return ids

    # -- unit ------------------------------------------------------------------------------

    def unit(
        self,
        raw: LineDict,
        ref: UnitRef,
        number: int,
        kind: CourseKind,
        earlier: dict[str, VocabItem],
    ) -> Unit | None:
        self.keys(
            raw,
            "",
            (
                [
                    "id",
                    "provenance",
                    "review",
                    "title",
                    "goals",
                    "letters",
                    "dialogue",
                    "vocabulary",
                    "grammar",
                    "pronunciation",
                    "culture",
                    "facts",
                    "exercises",
                ]
            ),
        )
        self.file_defaults(raw)
        unit_id = self.slug(raw, "id", "")
        if unit_id is not None and unit_id != ref.unit:
            self.error(raw.line_of("id"), "id", f"'{unit_id}' differs from the file name")
        title = self.text(raw, "title", "")
        goals = self.texts(raw, "goals", "")
        self.count(len(goals), 1, 4, raw.line_of("goals"), "goals")
        self.seen: dict[str, int] = {}
        self.unit_id = ref.unit
        letters = tuple(self.letter(n, p) for n, p in self.items(raw, "letters", "", by_id=True))
        dialogue = (
            self.dialogue(raw["dialogue"], raw.line_of("dialogue")) if "dialogue" in raw else None
        )
        vocabulary = tuple(
            self.vocab(n, p) for n, p in self.items(raw, "vocabulary", "", by_id=True)
        )
        grammar = tuple(self.grammar(n, p) for n, p in self.items(raw, "grammar", "", by_id=True))
        pronunciation = self.pronunciation(raw)
        culture = self.culture(raw)
        facts = tuple(self.fact(n, p) for n, p in self.items(raw, "facts", "", by_id=True))
        self.sizes(raw, kind, letters, dialogue, vocabulary, grammar, facts)
        # A bare id names this unit's vocabulary; "u01/v03" names an earlier unit's.
        known = dict(earlier)
        known.update({v.id: v for v in vocabulary if v is not None})
        exercises = tuple(
            self.exercise(n, p, known) for n, p in self.items(raw, "exercises", "", by_id=True)
        )
        minimum = 12 if kind is CourseKind.SEJONG else 8
        self.count(len(exercises), minimum, None, raw.line_of("exercises"), "exercises")
        if self.errors or title is None:
            return None
        return Unit(
            ref=ref,
            number=number,
            title=title,
            goals=goals,
            letters=_present(letters),
            dialogue=dialogue,
            vocabulary=_present(vocabulary),
            grammar=_present(grammar),
            pronunciation=pronunciation,
            culture=culture,
            facts=_present(facts),
            exercises=_present(exercises),
        )

    def sizes(
        self,
        raw: LineDict,
        kind: CourseKind,
        letters: tuple[Letter | None, ...],
        dialogue: Dialogue | None,
        vocabulary: tuple[VocabItem | None, ...],
        grammar: tuple[GrammarPoint | None, ...],
        facts: tuple[Fact | None, ...],
    ) -> None:
        if kind is CourseKind.SEJONG:
            for key in ("dialogue", "vocabulary", "grammar", "pronunciation", "culture"):
                if key not in raw:
                    self.error(raw.line, key, "missing (every Sejong unit has one)")
            if dialogue is not None:
                self.count(len(dialogue.lines), 6, 12, raw.line_of("dialogue"), "dialogue.lines")
            self.count(len(vocabulary), 15, 25, raw.line_of("vocabulary"), "vocabulary")
            self.count(len(grammar), 2, 2, raw.line_of("grammar"), "grammar")
        if kind is CourseKind.LIFE:
            self.count(len(facts), 3, None, raw.line_of("facts"), "facts")
        if kind is not CourseKind.HANGUL and letters:
            self.error(raw.line_of("letters"), "letters", "only Hangul lessons have letters")

    def claim(self, item_id: str | None, line: int, where: str) -> None:
        if item_id is None:
            return
        if item_id in self.seen:
            self.error(line, where, f"id '{item_id}' already used on line {self.seen[item_id]}")
        else:
            self.seen[item_id] = line

    def letter(self, node: LineDict, where: str) -> Letter | None:
        self.keys(node, where, ["id", "char", "name", "roman", "sound", "shape", "examples"])
        letter_id = self.slug(node, "id", where)
        self.claim(letter_id, node.line, where)
        char = self.string(node, "char", where)
        name = self.string(node, "name", where)
        roman = self.string(node, "roman", where)
        sound = self.text(node, "sound", where, korean=False)
        shape = self.text(node, "shape", where, korean=False)
        examples = self.texts(node, "examples", where)
        self.count(len(examples), 1, 3, node.line_of("examples"), _join(where, "examples"))
        if None in (letter_id, char, name, roman, sound, shape):
            return None
        return Letter(letter_id, char, name, roman, sound, shape, examples)  # type: ignore[arg-type]

    def dialogue(self, value: Any, line: int) -> Dialogue | None:
        node = self.mapping(value, line, "dialogue")
        if node is None:
            return None
        self.keys(node, "dialogue", ("setting", "speakers", "lines"))
        setting = self.text(node, "setting", "dialogue")
        speakers: dict[str, Speaker] = {}
        for item, path in self.items(node, "speakers", "dialogue", by_id=True):
            self.keys(item, path, ("id", "name", "roman"))
            sid, name, roman = (self.string(item, k, path) for k in ("id", "name", "roman"))
            if sid and name and roman:
                if sid in speakers:
                    self.error(item.line, path, f"speaker '{sid}' listed twice")
                speakers[sid] = Speaker(sid, name, roman)
        lines: list[DialogueLine] = []
        for item, path in self.items(node, "lines", "dialogue", by_id=True):
            line_id = self.slug(item, "id", path)
            self.claim(line_id, item.line, path)
            speaker_id = self.string(item, "speaker", path)
            text = self.text_from(item, path, extra=("id", "speaker"))
            speaker = speakers.get(speaker_id or "")
            if speaker_id is not None and speaker is None:
                self.error(
                    item.line_of("speaker"), _join(path, "speaker"), f"no speaker '{speaker_id}'"
                )
            if line_id and speaker:
                lines.append(DialogueLine(line_id, speaker, text))
        if setting is None:
            return None
        return Dialogue(setting, tuple(speakers.values()), tuple(lines))

    def vocab(self, node: LineDict, where: str) -> VocabItem | None:
        vocab_id = self.slug(node, "id", where)
        self.claim(vocab_id, node.line, where)
        ko = self.string(node, "ko", where)
        pos = self.string(node, "pos", where)
        if pos is not None and pos not in POS:
            self.error(
                node.line_of("pos"), _join(where, "pos"), f"'{pos}' is not one of {sorted(POS)}"
            )
        meaning = self.text_from(node, where, korean=False, extra=("id", "ko", "pos", "example"))
        example = self.text(node, "example", where)
        if None in (vocab_id, ko, pos, example):
            return None
        return VocabItem(vocab_id, ko, pos, meaning, example)  # type: ignore[arg-type]

    def grammar(self, node: LineDict, where: str) -> GrammarPoint | None:
        self.keys(node, where, ["id", "pattern", "explanation", "examples", "mistakes"])
        grammar_id = self.slug(node, "id", where)
        self.claim(grammar_id, node.line, where)
        pattern = self.string(node, "pattern", where)
        explanation = self.text(node, "explanation", where)
        examples = self.texts(node, "examples", where)
        mistakes = self.texts(node, "mistakes", where)
        self.count(len(examples), 3, None, node.line_of("examples"), _join(where, "examples"))
        self.count(len(mistakes), 1, None, node.line_of("mistakes"), _join(where, "mistakes"))
        if None in (grammar_id, pattern, explanation):
            return None
        return GrammarPoint(grammar_id, pattern, explanation, examples, mistakes)  # type: ignore[arg-type]

    def pronunciation(self, raw: LineDict) -> Pronunciation | None:
        if "pronunciation" not in raw:
            return None
        node = self.mapping(raw["pronunciation"], raw.line_of("pronunciation"), "pronunciation")
        if node is None:
            return None
        where = "pronunciation"
        self.keys(node, where, ("id", "title", "explanation", "examples"))
        item_id = self.slug(node, "id", where)
        self.claim(item_id, node.line, where)
        title = self.text(node, "title", where)
        explanation = self.text(node, "explanation", where)
        examples = self.texts(node, "examples", where)
        self.count(len(examples), 1, None, node.line_of("examples"), _join(where, "examples"))
        if None in (item_id, title, explanation):
            return None
        return Pronunciation(item_id, title, explanation, examples)  # type: ignore[arg-type]

    def culture(self, raw: LineDict) -> CultureNote | None:
        if "culture" not in raw:
            return None
        node = self.mapping(raw["culture"], raw.line_of("culture"), "culture")
        if node is None:
            return None
        self.keys(node, "culture", ("id", "title", "body"))
        item_id = self.slug(node, "id", "culture")
        self.claim(item_id, node.line, "culture")
        title = self.text(node, "title", "culture")
        body = self.text(node, "body", "culture")
        if None in (item_id, title, body):
            return None
        return CultureNote(item_id, title, body)  # type: ignore[arg-type]

    def fact(self, node: LineDict, where: str) -> Fact | None:
        fact_id = self.slug(node, "id", where)
        self.claim(fact_id, node.line, where)
        text = self.text_from(node, where, extra=("id", "checked", "source"))
        checked = node.get("checked")
        if not isinstance(checked, date):
            self.error(
                node.line_of("checked"), _join(where, "checked"), "must be a date like 2026-11-28"
            )
        source = self.string(node, "source", where)
        if fact_id is None or not isinstance(checked, date) or source is None:
            return None
        return Fact(fact_id, text, checked, source)

    # -- exercises -------------------------------------------------------------------------

    def exercise(self, node: LineDict, where: str, vocab: dict[str, VocabItem]) -> Exercise | None:
        ex_id = self.slug(node, "id", where)
        self.claim(ex_id, node.line, where)
        kind_raw = self.string(node, "type", where)
        try:
            kind = ExerciseType(kind_raw) if kind_raw is not None else None
        except ValueError:
            self.error(
                node.line_of("type"), _join(where, "type"), f"unknown exercise type '{kind_raw}'"
            )
            return None
        if ex_id is None or kind is None:
            return None
        if kind in (ExerciseType.MEANING, ExerciseType.KOREAN, ExerciseType.LISTEN):
            return self.word_exercise(node, where, ex_id, kind, vocab)
        if kind is ExerciseType.ARRANGE:
            return self.arrange(node, where, ex_id)
        if kind in (ExerciseType.TYPE, ExerciseType.DICTATION):
            self.keys(node, where, ("id", "type", "ko", "also", *KNOWN_LANGS, *ALIASES))
            target = self.text_from(node, where, extra=("id", "type", "also"))
            accepted = self.accepted(node, where, target)
            return TypeExercise(ex_id, target, accepted, kind) if target.ko else None
        if kind is ExerciseType.FILL:
            return self.fill(node, where, ex_id)
        if kind is ExerciseType.MATCH:
            return self.match(node, where, ex_id, vocab)
        return self.pick(node, where, ex_id, kind)

    def word_exercise(
        self,
        node: LineDict,
        where: str,
        ex_id: str,
        kind: ExerciseType,
        vocab: dict[str, VocabItem],
    ) -> ChoiceExercise | None:
        self.keys(node, where, ("id", "type", "word", "distractors"))
        word_id = self.string(node, "word", where)
        distractor_ids = self.strings(node, "distractors", where)
        self.count(
            len(distractor_ids), 2, 4, node.line_of("distractors"), _join(where, "distractors")
        )
        items: list[VocabItem] = []
        for key, ref in [("word", word_id), *(("distractors", d) for d in distractor_ids)]:
            if ref is None:
                continue
            found = vocab.get(ref)
            if found is None:
                earlier = sorted(k for k in vocab if k.endswith(f"/{ref}"))
                hint = f" (did you mean {', '.join(earlier[:3])}?)" if earlier else ""
                self.error(
                    node.line_of(key),
                    _join(where, key),
                    f"'{ref}' is not vocabulary taught in this unit or an earlier one{hint}",
                )
            else:
                items.append(found)
        if len(items) != 1 + len(distractor_ids) or word_id is None:
            return None
        # Where the word is taught, within the course ("u01/v03"), so review cards find it.
        word_path = word_id if "/" in word_id else f"{self.unit_id}/{word_id}"
        if kind in (ExerciseType.MEANING, ExerciseType.LISTEN):
            for lang in REQUIRED_LANGS:
                labels = [compact(v.meaning.in_lang(lang)) for v in items]
                if len(set(labels)) != len(labels):
                    self.error(node.line, where, f"two choices have the same meaning in {lang}")
            return ChoiceExercise(
                ex_id, kind, Text(items[0].ko), tuple(v.meaning for v in items), 0, word_path
            )
        words = [compact(v.ko) for v in items]
        if len(set(words)) != len(words):
            self.error(node.line, where, "two choices are the same Korean word")
        choices: tuple[Choice, ...] = tuple(v.ko for v in items)
        return ChoiceExercise(ex_id, kind, items[0].meaning, choices, 0, word_path)

    def match(
        self, node: LineDict, where: str, ex_id: str, vocab: dict[str, VocabItem]
    ) -> MatchExercise | None:
        self.keys(node, where, ("id", "type", "words"))
        ids = self.strings(node, "words", where)
        self.count(len(ids), 3, 6, node.line_of("words"), _join(where, "words"))
        items = []
        for index, ref in enumerate(ids):
            found = vocab.get(ref)
            if found is None:
                self.error(
                    node.line_of("words"),
                    f"{_join(where, 'words')}[{index}]",
                    f"'{ref}' is not vocabulary taught in this unit or an earlier one",
                )
            else:
                items.append(found)
        if len(items) != len(ids) or not items:
            return None
        for lang in REQUIRED_LANGS:  # each meaning must point to one word only
            labels = [compact(v.meaning.in_lang(lang)) for v in items]
            if len(set(labels)) != len(labels):
                self.error(node.line, where, f"two words have the same meaning in {lang}")
        if len({compact(v.ko) for v in items}) != len(items):
            self.error(node.line, where, "a word is listed twice")
        return MatchExercise(ex_id, tuple((v.ko, v.meaning) for v in items))

    def strings(self, node: LineDict, key: str, where: str) -> list[str]:
        value = self.need(node, key, where)
        if value is None:
            return []
        seq = self.sequence(value, node.line_of(key), _join(where, key))
        if seq is None:
            return []
        found: list[str] = []
        for index, item in enumerate(seq):
            if isinstance(item, bool) or not isinstance(item, str | int) or not str(item).strip():
                self.error(
                    seq.line_of(index),
                    f"{_join(where, key)}[{index}]",
                    "must be non-empty text (quote it?)",
                )
            else:
                found.append(str(item).strip())
        return found

    def accepted(self, node: LineDict, where: str, target: Text) -> tuple[str, ...]:
        also = self.strings(node, "also", where) if "also" in node else []
        return tuple(a for a in (target.ko, *also) if a)

    def arrange(self, node: LineDict, where: str, ex_id: str) -> ArrangeExercise | None:
        self.keys(node, where, ("id", "type", "ko", "distractors", "also", *KNOWN_LANGS, *ALIASES))
        target = self.text_from(node, where, extra=("id", "type", "distractors", "also"))
        if not target.ko:
            return None
        words = target.ko.split()
        if len(words) < 2:
            self.error(
                node.line_of("ko"), _join(where, "ko"), "needs at least two words to arrange"
            )
        extra = self.strings(node, "distractors", where) if "distractors" in node else []
        for index, tile in enumerate(extra):
            if tile in words:
                self.error(
                    node.line_of("distractors"),
                    f"{_join(where, 'distractors')}[{index}]",
                    f"'{tile}' is also a word of the answer",
                )
        accepted = self.accepted(node, where, target)
        return ArrangeExercise(ex_id, target, (*words, *extra), accepted)

    def fill(self, node: LineDict, where: str, ex_id: str) -> ChoiceExercise | None:
        self.keys(node, where, ("id", "type", "ko", "blank", "choices", *KNOWN_LANGS, *ALIASES))
        target = self.text_from(node, where, extra=("id", "type", "blank", "choices"))
        blank = self.string(node, "blank", where)
        choices = self.choices(node, where)
        if not target.ko or blank is None or not choices:
            return None
        if target.ko.count(blank) != 1:
            self.error(
                node.line_of("blank"),
                _join(where, "blank"),
                f"'{blank}' must occur exactly once in '{target.ko}'"
                f" (found {target.ko.count(blank)})",
            )
            return None
        if blank not in choices:
            self.error(
                node.line_of("choices"),
                _join(where, "choices"),
                f"does not include the blank '{blank}'",
            )
            return None
        cue = Text(target.ko.replace(blank, GAP, 1), target.translations)
        return ChoiceExercise(ex_id, ExerciseType.FILL, cue, tuple(choices), choices.index(blank))

    def pick(
        self, node: LineDict, where: str, ex_id: str, kind: ExerciseType
    ) -> ChoiceExercise | None:
        if kind is ExerciseType.REPLY:
            self.keys(node, where, ("id", "type", "line", "choices", "answer"))
            cue = self.text(node, "line", where)
        else:
            self.keys(node, where, ("id", "type", "ko", "choices", "answer"))
            ko = self.string(node, "ko", where)
            cue = Text(ko) if ko else None
        choices = self.choices(node, where)
        answer = self.string(node, "answer", where)
        if cue is None or answer is None or not choices:
            return None
        if answer not in choices:
            self.error(
                node.line_of("answer"),
                _join(where, "answer"),
                f"'{answer}' is not one of the choices",
            )
            return None
        return ChoiceExercise(ex_id, kind, cue, tuple(choices), choices.index(answer))

    def choices(self, node: LineDict, where: str) -> list[str]:
        choices = self.strings(node, "choices", where)
        self.count(len(choices), 2, 6, node.line_of("choices"), _join(where, "choices"))
        if len({compact(c) for c in choices}) != len(choices):
            self.error(node.line_of("choices"), _join(where, "choices"), "two choices are the same")
        return choices


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _present(items: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(item for item in items if item is not None)
