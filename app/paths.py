"""Where the app finds its bundled files and keeps the learner's data."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ROOT = Path(__file__).resolve().parent.parent
LESSONS_DIR = ROOT / "lessons"
LOCALES_DIR = ROOT / "locales"
ASSETS_DIR = ROOT / "assets"


def data_dir() -> Path:
    """The per-user data folder (SSOC_DATA_DIR overrides it, e.g. for a portable install)."""
    override = os.environ.get("SSOC_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir("ssoc-korean", "SSOC"))
