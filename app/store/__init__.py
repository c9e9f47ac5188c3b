"""The learner's local store: one SQLite file, SQLAlchemy 2 models, Alembic migrations."""
