"""Start SSOC Korean: `python -m app` (desktop window) or `python -m app --web` (browser)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.i18n.catalog import LANGUAGES
from app.paths import ASSETS_DIR, LESSONS_DIR, data_dir


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m app", description=__doc__)
    parser.add_argument("--web", action="store_true", help="serve the app to a browser")
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on with --web (default 127.0.0.1, this computer only)",
    )
    parser.add_argument("--port", type=int, default=8550, help="port for --web (default 8550)")
    parser.add_argument("--lang", help=f"interface language: {', '.join(LANGUAGES)}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="where progress is kept (default: the per-user data folder)",
    )
    parser.add_argument("--lessons", type=Path, default=LESSONS_DIR, help=argparse.SUPPRESS)
    # The folder the app serves (fonts, built audio in audio/); tests point it elsewhere.
    parser.add_argument("--assets", type=Path, default=ASSETS_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.lang is not None and args.lang not in LANGUAGES:
        parser.error(f"unknown language '{args.lang}'; choose one of: {', '.join(LANGUAGES)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    import flet as ft

    from app.ui.shell import AppConfig, build_main

    config = AppConfig(
        lessons_dir=args.lessons,
        data_dir=args.data_dir or data_dir(),
        language=args.lang,
        assets_dir=args.assets,
    )
    view = ft.AppView.WEB_BROWSER if args.web else ft.AppView.FLET_APP
    if args.web:
        print(f"SSOC Korean: open http://{args.host}:{args.port}/ in a browser", flush=True)
    ft.run(
        build_main(config),
        view=view,
        host=args.host,
        port=args.port if args.web else 0,
        assets_dir=str(args.assets),
        no_cdn=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
