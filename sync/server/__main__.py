"""The platform server and its administration.

    python -m sync.server                      # migrate (SQLite only) and serve on 127.0.0.1:8600
    python -m sync.server serve --host 0.0.0.0 --port 8600 --workers 3
    python -m sync.server migrate              # upgrade the schema (run once per deployment)
    python -m sync.server user NAME --role tutor   # asks for the password (or SSOC_PASSWORD)
    python -m sync.server class "Siheung Tuesday class"
    python -m sync.server member CLASS_ID NAME --role learner
    python -m sync.server publish PACK.zip     # publish a course pack (see `app.cli pack`)
    python -m sync.server assign --class CLASS_ID --course level1 --unit u03 [--due 2026-12-24]

Configuration comes from the environment: DATABASE_URL (default sqlite:///ssoc-server.db;
postgresql://… for the city), SSOC_PACKS_DIR, SSOC_ACCESS_TTL, SSOC_RATE_PER_MINUTE,
SSOC_MAX_BODY, SSOC_OPEN_REGISTRATION=0 to close self-registration.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from sync.server.app import Settings
from sync.server.db import make_engine, migrate, sessions
from sync.server.store import AccountError, add_member, create_class, create_user


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sync.server", description=__doc__.split("\n")[0]
    )
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="serve the API (the default command)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8600)
    serve.add_argument("--workers", type=int, default=1)
    sub.add_parser("migrate", help="upgrade the database schema")
    user = sub.add_parser("user", help="create an account")
    user.add_argument("username")
    user.add_argument("--role", choices=("learner", "tutor", "admin"), default="learner")
    school_class = sub.add_parser("class", help="create a class; prints its id")
    school_class.add_argument("name")
    member = sub.add_parser("member", help="add a user to a class")
    member.add_argument("class_id")
    member.add_argument("username")
    member.add_argument("--role", choices=("learner", "tutor"), default="learner")
    publish = sub.add_parser("publish", help="publish a signed course pack")
    publish.add_argument("pack", type=Path)
    assign = sub.add_parser("assign", help="give a class a unit, as its tutor would; prints its id")
    assign.add_argument("--class", dest="class_id", required=True)
    assign.add_argument("--course", required=True)
    assign.add_argument("--unit", required=True)
    assign.add_argument("--due", type=date.fromisoformat, help="YYYY-MM-DD")
    assign.add_argument("--note", default="")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    command = args.command or "serve"
    engine = make_engine(settings.database_url)
    if command == "migrate" or (command == "serve" and settings.database_url.startswith("sqlite")):
        migrate(engine)
        if command == "migrate":
            print(f"migrated: {engine.url.render_as_string(hide_password=True)}")
            return 0
    if command == "serve":
        import uvicorn

        engine.dispose()
        uvicorn.run(
            "sync.server.asgi:app",
            host=args.host if args.command else "127.0.0.1",
            port=args.port if args.command else 8600,
            workers=args.workers if args.command else 1,
            log_level="warning",
            access_log=False,
        )
        return 0
    factory = sessions(engine)
    try:
        with factory.begin() as session:
            if command == "user":
                password = os.environ.get("SSOC_PASSWORD") or getpass.getpass("password: ")
                created = create_user(session, args.username, password, args.role)
                print(f"user {created.username} ({created.role}): {created.id}")
            elif command == "class":
                print(create_class(session, args.name).id)
            elif command == "member":
                add_member(session, args.class_id, args.username, args.role)
                print(f"{args.username} is a {args.role} of {args.class_id}")
            elif command == "publish":
                from sync.server.packs import PackRejected, publish_pack

                try:
                    info = publish_pack(args.pack, settings.packs_dir)
                except PackRejected as exc:
                    print(f"publish: {exc}", file=sys.stderr)
                    return 1
                print(f"published {info.course} v{info.version}: {info.file}")
            elif command == "assign":
                return _assign(session, args)
    except AccountError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


def _assign(session: Session, args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from sync.protocol import AssignmentIn
    from sync.server.assignments import create_assignment
    from sync.server.models import SchoolClass

    try:
        body = AssignmentIn(course_id=args.course, unit_id=args.unit, due=args.due, note=args.note)
    except ValidationError as exc:
        for problem in exc.errors():
            print(f"assign: {problem['loc'][0]}: {problem['msg']}", file=sys.stderr)
        return 1
    school_class = session.get(SchoolClass, args.class_id)
    if school_class is None:
        print(f"assign: no class '{args.class_id}'", file=sys.stderr)
        return 1
    print(create_assignment(session, school_class, body, created_by=None).id)
    return 0


if __name__ == "__main__":
    sys.exit(main())
