"""Translation overlays: one language's translations of one lesson file, kept beside it.

    lessons/<course>/i18n/<lang>/<file>.yaml

    lang: th
    provenance: authored        # default for every entry (authored or machine)
    review: unreviewed          # default for every entry (unreviewed or reviewed)
    translator: who wrote them  # free text, shown in `stats`
    texts:
      dialogue.lines[d01]:      # the text's path, as the loader names it in error messages
        en: Hello! I'm Kim Minji.   # the English source this translation was made from
        text: สวัสดีค่ะ …
        provenance: machine     # optional, per entry

A translation written inline in the lesson file wins over an overlay. An overlay entry whose
English source no longer matches the lesson (the lesson was edited) is stale: it is not shown
(the learner sees English instead) and `app.cli validate` reports it, as it does an entry whose
path names no text. Overlays are read with the C YAML parser: there are many of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from app.content.errors import ContentError
from app.domain.text import Provenance, Review, Translation

OVERLAY_DIR = "i18n"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Report = Callable[[yaml.Node | None, str, str], None]


@dataclass(frozen=True)
class Entry:
    source: str  # the English text translated
    translation: Translation
    line: int


@dataclass
class Overlay:
    """One language's translations of one lesson file."""

    path: Path
    lang: str
    entries: dict[str, Entry] = field(default_factory=dict)
    issues: list[ContentError] = field(default_factory=list)
    used: set[str] = field(default_factory=set)

    def lookup(self, key: str, english: str | None) -> Translation | None:
        """The translation for the text at `key` whose English source is `english`."""
        entry = self.entries.get(key)
        if entry is None:
            return None
        self.used.add(key)
        if english is None or entry.source != english:
            self.issues.append(
                ContentError(
                    self.path,
                    entry.line,
                    key,
                    f"stale: translated from {entry.source!r}, the lesson now says {english!r}",
                )
            )
            return None
        return entry.translation

    def unused(self) -> list[ContentError]:
        return [
            ContentError(self.path, e.line, k, "no such text in the lesson file")
            for k, e in self.entries.items()
            if k not in self.used
        ]


def overlay_path(course_dir: Path, lang: str, stem: str) -> Path:
    return course_dir / OVERLAY_DIR / lang / f"{stem}.yaml"


def overlays_for(course_dir: Path, stem: str, langs: Iterable[str]) -> list[Overlay]:
    """The overlays of lesson file `stem` in every language folder that has one."""
    root = course_dir / OVERLAY_DIR
    if not root.is_dir():
        return []
    found = []
    for lang in sorted(langs):
        path = root / lang / f"{stem}.yaml"
        if path.is_file():
            found.append(read_overlay(path, lang))
    return found


def _scalar(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.ScalarNode) and node.tag != "tag:yaml.org,2002:null":
        return str(node.value).strip() or None
    return None


def read_overlay(path: Path, lang: str) -> Overlay:
    overlay = Overlay(path, lang)

    def issue(node: yaml.Node | None, key: str, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        overlay.issues.append(ContentError(path, line, key, message))

    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        overlay.issues.append(ContentError(path, line, "", f"cannot be read: {exc}"))
        return overlay
    if not isinstance(root, yaml.MappingNode):
        issue(root, "", "must be a YAML mapping (key: value)")
        return overlay
    top = {str(k.value): v for k, v in root.value}
    keys = {str(k.value): k for k, _ in root.value}
    for key in top.keys() - {"lang", "provenance", "review", "translator", "texts"}:
        issue(keys[key], key, "unknown key")
    if "lang" not in top or _scalar(top["lang"]) != lang:
        issue(top.get("lang", root), "lang", f"must be {lang} (the folder's language)")
    defaults = _defaults(top, issue)
    texts = top.get("texts")
    if not isinstance(texts, yaml.MappingNode):
        issue(texts or root, "texts", "must be a mapping of text paths")
        return overlay
    for key_node, value in texts.value:
        key = str(key_node.value)
        if key in overlay.entries:
            issue(key_node, key, "appears twice")
            continue
        entry = _entry(value, key, defaults, issue)
        if entry is not None:
            overlay.entries[key] = entry
    return overlay


def _defaults(top: Mapping[str, yaml.Node], report: Report) -> tuple[Provenance, Review]:
    provenance, review = Provenance.AUTHORED, Review.UNREVIEWED
    if "provenance" in top:
        try:
            provenance = Provenance(_scalar(top["provenance"]) or "")
        except ValueError:
            report(top["provenance"], "provenance", "must be authored or machine")
    if "review" in top:
        try:
            review = Review(_scalar(top["review"]) or "")
        except ValueError:
            report(top["review"], "review", "must be unreviewed or reviewed")
    return provenance, review


def _entry(
    node: yaml.Node, key: str, defaults: tuple[Provenance, Review], report: Report
) -> Entry | None:
    if not isinstance(node, yaml.MappingNode):
        report(node, key, "must be a mapping with en: and text:")
        return None
    fields = {str(k.value): v for k, v in node.value}
    for name in fields.keys() - {"ko", "en", "text", "provenance", "review"}:
        report(node, f"{key}.{name}", "unknown key")
    source = _scalar(fields["en"]) if "en" in fields else None
    text = _scalar(fields["text"]) if "text" in fields else None
    if source is None:
        report(node, f"{key}.en", "missing: the English source this translates")
    if text is None:
        report(node, f"{key}.text", "missing or empty")
    provenance, review = defaults
    try:
        if "provenance" in fields:
            provenance = Provenance(_scalar(fields["provenance"]) or "")
        if "review" in fields:
            review = Review(_scalar(fields["review"]) or "")
    except ValueError:
        report(node, key, "provenance/review value not recognised")
        return None
    if source is None or text is None:
        return None
    return Entry(source, Translation(text, provenance, review), node.start_mark.line + 1)


@dataclass(frozen=True)
class NewEntry:
    key: str
    ko: str | None
    en: str
    text: str
    provenance: Provenance


def add_entries(
    course_dir: Path, lang: str, stem: str, entries: Iterable[NewEntry], translator: str
) -> Path:
    """Add translations to an overlay (creating it); existing entries are never replaced.

    Written atomically (a temporary file renamed over the old one), so an interrupted run
    leaves the previous file whole.
    """
    path = overlay_path(course_dir, lang, stem)
    entries = list(entries)
    kinds = {e.provenance for e in entries}
    first = kinds.pop().value if len(kinds) == 1 else "authored"
    data: dict[str, object] = {"lang": lang, "provenance": first, "review": "unreviewed"}
    texts: dict[str, dict[str, str]] = {}
    if path.is_file():
        loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
        data.update({k: v for k, v in loaded.items() if k != "texts"})
        texts = dict(loaded.get("texts") or {})
    data.setdefault("translator", translator)
    default = Provenance(str(data.get("provenance", "authored")))
    for new in entries:
        if new.key in texts:
            continue
        item: dict[str, str] = {}
        if new.ko:
            item["ko"] = new.ko
        item["en"] = new.en
        item["text"] = new.text
        if new.provenance is not default:
            item["provenance"] = new.provenance.value
        texts[new.key] = item
    data["texts"] = texts
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".yaml.tmp")
    temporary.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8"
    )
    temporary.replace(path)
    return path
