"""Command line: `python -m app.cli validate|stats`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.content.loader import load_library
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.cli", description=__doc__)
    parser.add_argument("--lessons", default=str(LESSONS_DIR), help="lessons folder")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", help="check every course file; exit 1 naming each problem")
    args = parser.parse_args(argv)
    return {"validate": cmd_validate}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
