"""Id stability: every published item id stays, and keeps meaning the same kind of thing.

`lessons/ids.lock` lists every id ever published (`course/unit/item kind korean`). A learner's
progress and review cards hang on these ids, so validation fails when one disappears (mark it
`retired` in the lock if it truly must go), when an id comes back as another kind of item, or
when a new id has not been registered yet (`python -m app.cli ids --update`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from app.domain.course import Course

RETIRED = "retired"


@dataclass(frozen=True)
class IdEntry:
    path: str  # course/unit/item (or course/unit for a unit)
    kind: str
    korean: str
    retired: bool = False

    def line(self) -> str:
        fields = [self.path, self.kind, self.korean.replace("\t", " ").replace("\n", " ")]
        if self.retired:
            fields.append(RETIRED)
        return "\t".join(fields)


def current_ids(courses: Iterable[Course]) -> dict[str, IdEntry]:
    """Every id the loaded content uses, with its kind and Korean."""
    return {entry.path: entry for course in courses for entry in _entries(course)}


def _entries(course: Course) -> Iterator[IdEntry]:
    for unit in course.units:
        ref = unit.ref
        yield IdEntry(str(ref), "unit", unit.title.ko or "")
        for letter in unit.letters:
            yield IdEntry(ref.item(letter.id), "letter", letter.char)
        if unit.dialogue is not None:
            for line in unit.dialogue.lines:
                yield IdEntry(ref.item(line.id), "line", line.text.ko or "")
        for item in unit.vocabulary:
            yield IdEntry(ref.item(item.id), "vocabulary", item.ko)
        for point in unit.grammar:
            yield IdEntry(ref.item(point.id), "grammar", point.pattern)
        if unit.pronunciation is not None:
            p = unit.pronunciation
            yield IdEntry(ref.item(p.id), "pronunciation", p.title.ko or "")
        if unit.culture is not None:
            yield IdEntry(ref.item(unit.culture.id), "culture", unit.culture.title.ko or "")
        for fact in unit.facts:
            yield IdEntry(ref.item(fact.id), "fact", fact.text.ko or "")
        for exercise in unit.exercises:
            yield IdEntry(ref.item(exercise.id), "exercise", exercise.type.value)


def read_lock(path: Path) -> dict[str, IdEntry]:
    """The published ids; an absent lock is an empty one."""
    entries: dict[str, IdEntry] = {}
    if not path.is_file():
        return entries
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        fields = raw.split("\t")
        if len(fields) not in (3, 4) or (len(fields) == 4 and fields[3] != RETIRED):
            raise ValueError(f"{path}:{number}: expected 'path<TAB>kind<TAB>korean[<TAB>retired]'")
        entries[fields[0]] = IdEntry(fields[0], fields[1], fields[2], len(fields) == 4)
    return entries


def problems(lock: dict[str, IdEntry], current: dict[str, IdEntry], lock_path: Path) -> list[str]:
    """What breaks id stability, each naming the id."""
    found: list[str] = []
    for path, published in sorted(lock.items()):
        now = current.get(path)
        if now is None and not published.retired:
            found.append(
                f"{lock_path}: {path} ({published.kind} '{published.korean}') was published and "
                f"is gone; restore it, or mark it '{RETIRED}' in the lock if it must go"
            )
        elif now is not None and published.retired:
            found.append(f"{lock_path}: {path} was retired and must not be reused")
        elif now is not None and now.kind != published.kind:
            found.append(
                f"{lock_path}: {path} was a {published.kind} and is now a {now.kind}; "
                "give the new item a new id"
            )
    new = sorted(set(current) - set(lock))
    if new:
        listed = ", ".join(new[:5]) + (f" and {len(new) - 5} more" if len(new) > 5 else "")
        found.append(
            f"{lock_path}: {len(new)} new id(s) not registered ({listed}); "
            "run `python -m app.cli ids --update`"
        )
    return found


def updated_lock(lock: dict[str, IdEntry], current: dict[str, IdEntry]) -> list[IdEntry]:
    """The lock with new ids added and Korean refreshed; nothing is ever removed."""
    merged = dict(lock)
    for path, entry in current.items():
        old = merged.get(path)
        if old is None or (not old.retired and old.kind == entry.kind):
            merged[path] = entry
    return [merged[path] for path in sorted(merged)]


def write_lock(path: Path, entries: Iterable[IdEntry]) -> None:
    header = "# Every published id: path, kind, Korean [retired]. Never delete a line.\n"
    path.write_text(header + "".join(e.line() + "\n" for e in entries), encoding="utf-8")
