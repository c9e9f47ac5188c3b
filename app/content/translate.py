"""Filling the translations a language lacks: by people (a to-do file) or by a machine.

A course's texts live in its lesson files; other languages' translations live in overlays
(app/content/overlay.py). This module finds what a language lacks and adds it, never touching
a translation that exists:

- `export_todo` writes a fill-in file for a translator: every missing text with its Korean and
  English; `import_todo` merges the filled-in file back as `authored` translations.
- `fill` asks a `MachineTranslator` (Argos, on the device) and writes `machine` translations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import yaml

from app.content.loader import KNOWN_LANGS, course_texts
from app.content.overlay import NewEntry, add_entries
from app.domain.text import FALLBACK_LANG, Provenance, Text


class TranslateError(Exception):
    """Bad input to a translation command, naming what and where."""


class MachineTranslator(Protocol):
    def translate(self, text: str, source: str, target: str) -> str: ...


@dataclass(frozen=True)
class Missing:
    stem: str  # lesson file without .yaml
    key: str  # the text's path in that file
    ko: str | None
    en: str


def missing(course_dir: Path, lang: str) -> Iterator[Missing]:
    """The texts of a course with an English source and no `lang` translation, in file order."""
    if lang not in KNOWN_LANGS or lang == FALLBACK_LANG:
        raise TranslateError(f"cannot translate into '{lang}'; choose one of {_choices()}")
    for stem, texts in course_texts(course_dir).items():
        for key, text in texts:
            english = _english(text)
            if english is not None and lang not in text.translations:
                yield Missing(stem, key, text.ko, english)


def _english(text: Text) -> str | None:
    found = text.translations.get(FALLBACK_LANG)
    return found.text if found is not None else None


def _choices() -> str:
    return ", ".join(sorted(KNOWN_LANGS - {FALLBACK_LANG}))


# -- people ------------------------------------------------------------------------------


def export_todo(course_dir: Path, lang: str, out: Path) -> int:
    """Write the texts `lang` lacks to `out` for a translator; returns how many."""
    files: dict[str, dict[str, dict[str, str]]] = {}
    count = 0
    for item in missing(course_dir, lang):
        entry = {"ko": item.ko} if item.ko else {}
        entry.update({"en": item.en, "text": ""})
        files.setdefault(item.stem, {})[item.key] = entry
        count += 1
    document = {"lang": lang, "course": course_dir.name, "files": files}
    header = (
        f"# {count} texts of {course_dir.name} without a '{lang}' translation.\n"
        "# Fill in each `text:` (leave it empty to skip), then:\n"
        f"#   python -m app.cli translate --to {lang} --course {course_dir.name} "
        f"--import {out.name}\n"
    )
    out.write_text(
        header + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100),
        encoding="utf-8",
    )
    return count


@dataclass
class ImportReport:
    added: int = 0
    skipped_empty: int = 0
    already: int = 0
    problems: list[str] = field(default_factory=list)


def import_todo(
    course_dir: Path,
    lang: str,
    todo: Path,
    translator: str,
    provenance: Provenance = Provenance.AUTHORED,
) -> ImportReport:
    """Merge a filled-in to-do file; checks everything first.

    `provenance` says how the file was filled: `authored` by a person, or `machine` (by an
    online service or a language model) so the app marks those lines.

    Nothing is written if any entry names an unknown text or a changed English source.
    """
    try:
        document = yaml.safe_load(todo.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise TranslateError(f"{todo}: cannot be read: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("files"), dict):
        raise TranslateError(f"{todo}: not a to-do file (no 'files:' mapping)")
    if document.get("lang") != lang:
        raise TranslateError(f"{todo}: is for '{document.get('lang')}', not '{lang}'")
    if document.get("course") != course_dir.name:
        raise TranslateError(f"{todo}: is for course '{document.get('course')}'")
    texts = course_texts(course_dir)
    report = ImportReport()
    plan: dict[str, list[NewEntry]] = {}
    for stem, entries in document["files"].items():
        known = dict(texts.get(str(stem), []))
        if not known:
            report.problems.append(f"{todo}: files.{stem}: no such lesson file")
            continue
        for key, entry in (entries or {}).items():
            where = f"{todo}: files.{stem}.{key}"
            text = known.get(key)
            if text is None:
                report.problems.append(f"{where}: no such text")
                continue
            if not isinstance(entry, dict):
                report.problems.append(f"{where}: must be a mapping with en: and text:")
                continue
            value = str(entry.get("text") or "").strip()
            if not value:
                report.skipped_empty += 1
                continue
            english = _english(text)
            if english is None or entry.get("en") != english:
                report.problems.append(f"{where}: the English source changed; export again")
                continue
            if lang in text.translations:
                report.already += 1
                continue
            plan.setdefault(str(stem), []).append(
                NewEntry(key, text.ko, english, value, provenance)
            )
    if report.problems:
        return report
    for stem, new in plan.items():
        add_entries(course_dir, lang, stem, new, translator)
        report.added += len(new)
    return report


# -- machines ----------------------------------------------------------------------------


@dataclass
class FillReport:
    translated: int = 0
    failed: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def fill(
    course_dir: Path,
    lang: str,
    engine: MachineTranslator,
    translator: str,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> FillReport:
    """Machine-translate every text `lang` lacks (from English) and save them as `machine`.

    Each lesson file's translations are saved as soon as that file is done, so an interrupted
    run keeps what it finished and a second run continues where it stopped.
    """
    todo = list(missing(course_dir, lang))
    report = FillReport()
    by_file: dict[str, list[Missing]] = {}
    for item in todo:
        by_file.setdefault(item.stem, []).append(item)
    done = 0
    progress(0, len(todo))
    for stem, items in by_file.items():
        new: list[NewEntry] = []
        for item in items:
            try:
                result = engine.translate(item.en, FALLBACK_LANG, lang).strip()
            except Exception as exc:  # an engine failure skips one text, never the run
                report.failed.append(f"{stem}: {item.key}: {exc}")
                result = ""
            if result:
                new.append(NewEntry(item.key, item.ko, item.en, result, Provenance.MACHINE))
            done += 1
            progress(done, len(todo))
        if new:
            report.files.append(add_entries(course_dir, lang, stem, new, translator))
            report.translated += len(new)
    return report
