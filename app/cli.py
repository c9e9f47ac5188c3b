"""Command line: `python -m app.cli validate`, `ids [--update]`, `stats [--json]`, `audio`,
`export`, `translate`, `models`, `pack`, `pack-key`."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from app.content.ids import current_ids, problems, read_lock, updated_lock, write_lock
from app.content.loader import KNOWN_LANGS, REQUIRED_LANGS, load_library
from app.content.stats import collect
from app.paths import ASSETS_DIR, LESSONS_DIR, data_dir


def cmd_validate(args: argparse.Namespace) -> int:
    lessons = Path(args.lessons)
    library = load_library(lessons)
    for failure in library.failures:
        print(failure, file=sys.stderr)
    lock_path = lessons / "ids.lock"
    try:
        unstable = problems(read_lock(lock_path), current_ids(library.courses), lock_path)
    except ValueError as exc:
        unstable = [str(exc)]
    for problem in unstable:
        print(problem, file=sys.stderr)
    for issue in library.overlay_issues:
        print(issue, file=sys.stderr)
    units = sum(len(c.units) for c in library.courses)
    if library.failures or unstable or library.overlay_issues:
        count = (
            sum(len(f.errors) for f in library.failures)
            + len(unstable)
            + len(library.overlay_issues)
        )
        print(f"invalid: {count} problem(s)", file=sys.stderr)
        return 1
    print(f"ok: {len(library.courses)} course(s), {units} unit(s), ids stable")
    return 0


def cmd_ids(args: argparse.Namespace) -> int:
    lessons = Path(args.lessons)
    library = load_library(lessons)
    if library.failures:
        print("fix the lessons first (python -m app.cli validate)", file=sys.stderr)
        return 1
    lock_path = lessons / "ids.lock"
    lock = read_lock(lock_path)
    current = current_ids(library.courses)
    if args.update:
        entries = updated_lock(lock, current)
        write_lock(lock_path, entries)
        print(f"{lock_path}: {len(entries)} ids ({len(set(current) - set(lock))} new)")
        return 0
    found = problems(lock, current, lock_path)
    print("\n".join(found) if found else f"ids stable: {len(current)} in use")
    return 1 if found else 0


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


def cmd_audio(args: argparse.Namespace) -> int:
    # Imported here: validate and stats must not need pydub, gTTS or ffmpeg.
    from app.media.build import build
    from app.media.cache import make_plan, needs_of
    from app.media.clips import course_clips
    from app.media.process import AudioError
    from app.media.progress import ProgressBar
    from app.media.tts import SynthesisError, choose_voice

    logging.basicConfig(level=logging.WARNING, format="audio: %(message)s")
    library = load_library(Path(args.lessons))
    if args.course:
        if args.course not in {c.id for c in library.courses}:
            names = {f.course_dir.name for f in library.failures}
            why = "is invalid (run validate)" if args.course in names else "does not exist"
            print(f"audio: course '{args.course}' {why}", file=sys.stderr)
            return 1
        courses = [library.course(args.course)]
    else:
        if library.failures:
            # Building from a half-loaded library would prune the audio of the broken courses.
            for invalid in library.failures:
                print(
                    f"audio: {invalid.course_dir.name} is invalid (run validate)", file=sys.stderr
                )
            return 1
        courses = list(library.courses)
    needs = needs_of([course_clips(c) for c in courses], [args.course] if args.course else None)
    out = Path(args.out)
    try:
        voice = choose_voice(args.voice)
        plan = make_plan(needs, out, voice.name)
        if args.dry_run:
            try:
                print(plan.describe(), flush=True)
            except BrokenPipeError:  # `audio --dry-run | head`: the reader has seen enough
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
        counts = plan.counts()
        print(f"audio: {', '.join(f'{n} {a}' for a, n in counts.items())} (voice {voice.name})")
        report = build(plan, needs, out, voice, jobs=args.jobs, progress=ProgressBar("audio"))
    except (SynthesisError, AudioError) as exc:
        print(f"audio: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("audio: stopped; clips made so far are kept", file=sys.stderr)
        return 130
    for problem in report.failed:
        print(f"audio: not made: {problem}", file=sys.stderr)
    print(f"audio: {report.summary()}")
    return 1 if report.failed else 0


def cmd_export(args: argparse.Namespace) -> int:
    # Imported here: the other commands must not need genanki or the store.
    from app.export import export_anki, export_csv, export_review_log_csv
    from app.media.library import AudioLibrary
    from app.store.db import DB_NAME, StoreError, open_database
    from app.store.repository import SqlStore

    if not (args.anki or args.csv or args.log):
        print("export: nothing to write; give --anki, --csv and/or --log", file=sys.stderr)
        return 2
    db_path = (args.data_dir or data_dir()) / DB_NAME
    # Checked first: opening a missing store would create an empty one and export nothing.
    if not db_path.is_file():
        print(f"export: no progress file at {db_path} (use --data-dir)", file=sys.stderr)
        return 1
    library = load_library(Path(args.lessons))
    for invalid in library.failures:
        print(
            f"export: course {invalid.course_dir.name} is invalid (run validate): its words go "
            "to the CSV without their text and are left out of the Anki deck",
            file=sys.stderr,
        )
    try:
        database = open_database(db_path)
    except StoreError as exc:
        print(f"export: cannot open the progress file: {exc}", file=sys.stderr)
        return 1
    store = SqlStore(database)
    try:
        if args.csv is not None:
            print(f"export: {args.csv}: {export_csv(library, store, args.csv)} words")
        if args.log is not None:
            print(f"export: {args.log}: {export_review_log_csv(store, args.log)} reviews")
        if args.anki is not None:
            audio = AudioLibrary(args.audio)
            notes = export_anki(library, store, args.anki, args.lang, audio)
            print(f"export: {args.anki}: {notes} notes")
    except OSError as exc:
        print(f"export: cannot write: {exc}", file=sys.stderr)
        return 1
    finally:
        database.engine.dispose()
    return 0


def cmd_translate(args: argparse.Namespace) -> int:
    from app.content.loader import CourseInvalid
    from app.content.translate import TranslateError, export_todo, import_todo
    from app.domain.text import Provenance

    lessons = Path(args.lessons)
    courses = (
        [args.course]
        if args.course
        else sorted(p.name for p in lessons.iterdir() if (p / "course.yaml").is_file())
    )
    if args.course and not (lessons / args.course / "course.yaml").is_file():
        print(f"translate: no course '{args.course}' in {lessons}", file=sys.stderr)
        return 2
    if (args.export or args.import_) and len(courses) != 1:
        print("translate: --export and --import work on one --course", file=sys.stderr)
        return 2
    try:
        if args.export:
            count = export_todo(lessons / courses[0], args.to, args.export)
            print(f"translate: {args.export}: {count} texts to translate into {args.to}")
            return 0
        if args.import_:
            report = import_todo(
                lessons / courses[0],
                args.to,
                args.import_,
                args.translator,
                Provenance(args.provenance),
            )
            for problem in report.problems:
                print(problem, file=sys.stderr)
            if report.problems:
                print(
                    f"translate: nothing imported ({len(report.problems)} problems)",
                    file=sys.stderr,
                )
                return 1
            print(
                f"translate: {report.added} added, {report.skipped_empty} left empty, "
                f"{report.already} already translated"
            )
            return 0
        return _machine_translate(lessons, courses, args)
    except TranslateError as exc:
        print(f"translate: {exc}", file=sys.stderr)
        return 2
    except CourseInvalid as exc:
        print(
            f"translate: fix the lessons first (python -m app.cli validate)\n{exc}", file=sys.stderr
        )
        return 1


def _machine_translate(lessons: Path, courses: list[str], args: argparse.Namespace) -> int:
    """Fill every missing text with on-device machine translation (see app/mt)."""
    # Imported here: the other commands must not load the translation engine.
    from app.content.translate import fill
    from app.media.progress import ProgressBar
    from app.mt import engine_for, needed_model_message

    engine = engine_for(args.models_dir)
    route = engine.route("en", args.to)
    if route is None:
        print(f"translate: {needed_model_message('en', args.to)}", file=sys.stderr)
        print(f"translate: models folder: {engine.models_dir}", file=sys.stderr)
        return 1
    print(f"translate: {route.describe()}", flush=True)
    translator = "Argos Translate (" + ", ".join(step.name for step in route.steps) + ")"
    translated, failed, files = 0, [], []
    try:
        for course in courses:
            progress = ProgressBar(f"translate {course}")
            report = fill(lessons / course, args.to, engine, translator, progress)
            translated += report.translated
            failed += [f"{course}/{problem}" for problem in report.failed]
            files += report.files
    except KeyboardInterrupt:
        print("translate: stopped; finished files are kept (run again to go on)", file=sys.stderr)
        return 130
    for problem in failed[:20]:
        print(f"translate: not translated: {problem}", file=sys.stderr)
    if len(failed) > 20:
        print(f"translate: ... and {len(failed) - 20} more", file=sys.stderr)
    print(f"translate: {translated} translated, {len(failed)} failed, {len(files)} files written")
    return 1 if failed else 0


def cmd_models(args: argparse.Namespace) -> int:
    """List, install (from a file) or remove offline translation models."""
    from app.mt import MachineTranslationError, engine_for

    engine = engine_for(args.models_dir)
    try:
        if args.action == "install":
            print(f"models: installed {engine.install(args.file).describe()}")
        elif args.action == "remove":
            print(f"models: removed {engine.remove(args.name).describe()}")
        else:
            models = engine.installed()
            print(f"models: {len(models)} installed in {engine.models_dir}")
            for model in models:
                print(
                    f"  {model.name:<30} {model.source}→{model.target:<8} "
                    f"version {model.version or '?':<6} {model.size / 1024**2:7.1f} MB"
                )
            pairs = engine.available_pairs()
            if pairs:
                print("  can translate: " + ", ".join(f"{s}→{t}" for s, t in pairs))
    except MachineTranslationError as exc:
        print(f"models: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_pack(args: argparse.Namespace) -> int:
    """Build a signed course pack (lessons, translations, audio) for the platform server."""
    from app.content.loader import CourseInvalid, load_course
    from app.packs import build_pack, course_files, load_private

    lessons = Path(args.lessons)
    if not (lessons / args.course / "course.yaml").is_file():
        print(f"pack: no course '{args.course}' in {lessons}", file=sys.stderr)
        return 2
    try:
        load_course(lessons / args.course)
    except CourseInvalid as exc:
        print(f"pack: the course is invalid; nothing written\n{exc}", file=sys.stderr)
        return 1
    try:
        key = load_private(args.key)
    except (OSError, ValueError) as exc:
        print(f"pack: cannot read the signing key {args.key}: {exc}", file=sys.stderr)
        return 2
    audio = None if args.no_audio else args.audio
    files = course_files(lessons, audio, args.course)
    out = args.out / f"{args.course}-{args.version}.zip"
    manifest = build_pack(args.course, args.version, files, key, out)
    clips = sum(
        1 for name in manifest.files if name.startswith("audio/") and name != "audio/index.json"
    )
    print(f"pack: {out}: {len(manifest.files)} files ({clips} audio clips), signed")
    return 0


def cmd_pack_key(args: argparse.Namespace) -> int:
    from app.packs import new_key

    private, public = new_key(args.out, args.name)
    print(f"pack-key: secret signing key {private} (keep it off the app and out of git)")
    print(f"pack-key: public key {public}: copy it to assets/pack-keys/ to trust its packs")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.cli", description=__doc__)
    parser.add_argument("--lessons", default=str(LESSONS_DIR), help="lessons folder")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", help="check every course file; exit 1 naming each problem")
    stats = sub.add_parser("stats", help="count courses, units, items, exercises, translations")
    stats.add_argument("--json", action="store_true", help="print the counts as JSON")
    ids = sub.add_parser("ids", help="check that published ids are stable; --update registers new")
    ids.add_argument("--update", action="store_true", help="add new ids to lessons/ids.lock")
    audio = sub.add_parser("audio", help="build the audio clips (normal and slow) of the courses")
    audio.add_argument("--course", help="only this course (others' clips are left as they are)")
    audio.add_argument(
        "--voice",
        choices=("auto", "gtts", "espeak"),
        default="auto",
        help="auto: gTTS when Google is reachable (espeak-ng per clip if it fails), else espeak-ng",
    )
    audio.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    audio.add_argument("--out", default=str(ASSETS_DIR / "audio"), help="audio folder")
    audio.add_argument("--jobs", type=int, default=None, help="parallel workers (default: CPUs)")
    export = sub.add_parser("export", help="export studied words and reviews (Anki deck, CSV)")
    export.add_argument("--anki", type=Path, help="Anki package to write (.apkg)")
    export.add_argument("--csv", type=Path, help="words with their card states (CSV)")
    export.add_argument("--log", type=Path, help="every review (CSV)")
    export.add_argument(
        "--lang",
        choices=sorted(KNOWN_LANGS),
        default="en",
        help="language of the meanings in the Anki deck (English where missing)",
    )
    export.add_argument(
        "--data-dir", type=Path, help="where progress is kept (default: the per-user data folder)"
    )
    export.add_argument(
        "--audio", type=Path, default=ASSETS_DIR / "audio", help="audio folder for the deck's clips"
    )
    translate = sub.add_parser(
        "translate",
        help="fill missing translations: by machine (Argos, offline), or --export/--import a "
        "to-do file for a translator",
    )
    translate.add_argument(
        "--to", required=True, choices=sorted(KNOWN_LANGS - {"en"}), help="language to fill"
    )
    translate.add_argument("--course", help="only this course (default: every course)")
    translate.add_argument("--export", type=Path, help="write the missing texts to this file")
    translate.add_argument(
        "--import", dest="import_", type=Path, help="merge a filled-in to-do file (authored)"
    )
    translate.add_argument(
        "--provenance",
        choices=("authored", "machine"),
        default="authored",
        help="with --import: authored (a person translated) or machine (a service or model did)",
    )
    translate.add_argument(
        "--translator", default="", help="who translated (recorded in the overlay files)"
    )
    translate.add_argument(
        "--models-dir",
        type=Path,
        help="machine translation models (default: translation-models in the data folder)",
    )
    models = sub.add_parser("models", help="offline translation models: list, install, remove")
    models.add_argument("--models-dir", type=Path, help="models folder (default: data folder's)")
    model_actions = models.add_subparsers(dest="action")
    model_actions.add_parser("list", help="installed models and the pairs they translate")
    install = model_actions.add_parser("install", help="install an .argosmodel file (no network)")
    install.add_argument("file", type=Path)
    remove = model_actions.add_parser("remove", help="remove an installed model by name")
    remove.add_argument("name")
    pack = sub.add_parser("pack", help="build a signed course pack for the platform server")
    pack.add_argument("--course", required=True)
    pack.add_argument("--version", type=int, required=True, help="a whole number, above the last")
    pack.add_argument("--key", type=Path, required=True, help="Ed25519 signing key (PEM)")
    pack.add_argument("--out", type=Path, default=Path("dist"), help="folder for the .zip")
    pack.add_argument("--audio", type=Path, default=ASSETS_DIR / "audio", help="built clips")
    pack.add_argument("--no-audio", action="store_true", help="lessons only")
    pack_key = sub.add_parser("pack-key", help="make a new pack signing key pair")
    pack_key.add_argument("--out", type=Path, required=True)
    pack_key.add_argument("--name", default="city")
    args = parser.parse_args(argv)
    commands = {
        "validate": cmd_validate,
        "stats": cmd_stats,
        "ids": cmd_ids,
        "audio": cmd_audio,
        "export": cmd_export,
        "translate": cmd_translate,
        "models": cmd_models,
        "pack": cmd_pack,
        "pack-key": cmd_pack_key,
    }
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
