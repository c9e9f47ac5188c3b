"""Alembic environment for the platform server: runs on the connection sync.server.db hands over."""

from __future__ import annotations

from alembic import context

from sync.server.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when someone runs the alembic CLI
    raise SystemExit("run migrations with `python -m sync.server migrate`")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
