"""Command line: `python -m app.cli validate` and `python -m app.cli stats [--json]`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.content.loader import KNOWN_LANGS, REQUIRED_LANGS, load_library
from app.content.stats import collect
from app.paths import LESSONS_DIR


def cmd_validate(args: argparse.Namespace) -> int:
    library = load_library(Path(args.lessons))
    for failure in library.failures:
        print(failure, file=sys.stderr)
    units = sum(len(c.units) for c in library.courses)
    if library.failures:
        problems = sum(len(f.errors) for f in library.failures)
        print(
            f"invalid: {problems} problem(s) in {len(library.failures)} course(s)", file=sys.stderr
        )
        return 1
    print(f"ok: {len(library.courses)} course(s), {units} unit(s)")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    library = load_library(Path(args.lessons))
    for failure in library.failures:
        print(
            f"not counted: {failure.course_dir.name} ({len(failure.errors)} problems; "
            "run validate)",
            file=sys.stderr,
        )
    langs = [*REQUIRED_LANGS, *sorted(KNOWN_LANGS - set(REQUIRED_LANGS))]
    stats = collect(library.courses, langs).as_dict()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
        return 0 if not library.failures else 1
    units = stats["units"]
    assert isinstance(units, dict)
    print(f"courses          {stats['courses']}")
    print(
        f"units            {stats['units_total']}  "
        + "  ".join(f"{kind}: {n}" for kind, n in sorted(units.items()))
    )
    for key in ("dialogue_lines", "vocabulary", "grammar_points", "letters", "facts"):
        print(f"{key.replace('_', ' '):<16} {stats[key]}")
    exercises = stats["exercises"]
    assert isinstance(exercises, dict)
    print(
        f"exercises        {stats['exercises_total']}  "
        + "  ".join(f"{kind}: {n}" for kind, n in exercises.items())
    )
    print("translations     lang   texts  authored  machine  coverage")
    translations = stats["translations"]
    assert isinstance(translations, dict)
    for lang in langs:
        row = translations[lang]
        print(
            f"                 {lang:<7}{row['texts']:>5}  {row['authored']:>8}  "
            f"{row['machine']:>7}  {row['percent']:>7}%"
        )
    return 0 if not library.failures else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.cli", description=__doc__)
    parser.add_argument("--lessons", default=str(LESSONS_DIR), help="lessons folder")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", help="check every course file; exit 1 naming each problem")
    stats = sub.add_parser("stats", help="count courses, units, items, exercises, translations")
    stats.add_argument("--json", action="store_true", help="print the counts as JSON")
    args = parser.parse_args(argv)
    return {"validate": cmd_validate, "stats": cmd_stats}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
