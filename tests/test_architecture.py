"""Fences between layers, checked on the source (DESIGN.md section 2)."""

import ast
import sys
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
FRAMEWORKS = {
    "flet",
    "flet_audio",
    "flet_charts",
    "sqlalchemy",
    "alembic",
    "httpx",
    "requests",
    "gtts",
    "pydub",
    "argostranslate",
    "fastapi",
    "uvicorn",
    "yaml",
    "babel",
    "platformdirs",
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def layer_files(layer: str) -> list[Path]:
    return sorted((APP / layer).rglob("*.py"))


@pytest.mark.parametrize("path", layer_files("domain"), ids=lambda p: p.name)
def test_domain_imports_only_stdlib_fsrs_and_itself(path: Path) -> None:
    for module in imported_modules(path):
        top = module.split(".")[0]
        allowed = top in sys.stdlib_module_names or top == "fsrs" or module.startswith("app.domain")
        assert allowed, f"{path.relative_to(APP.parent)} imports {module}"


@pytest.mark.parametrize("path", layer_files("ui"), ids=lambda p: p.name)
def test_ui_does_no_sql_or_http(path: Path) -> None:
    for module in imported_modules(path):
        assert module.split(".")[0] not in {"sqlalchemy", "alembic", "httpx", "requests"}, (
            f"{path.relative_to(APP.parent)} imports {module}"
        )


def test_the_check_itself_catches_a_framework_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import flet as ft\nfrom sqlalchemy.orm import Session\n")
    assert {"flet", "sqlalchemy.orm"} <= imported_modules(bad)
