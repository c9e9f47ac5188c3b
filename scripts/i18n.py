"""Extract UI messages from app/ and update every locales/<lang>/LC_MESSAGES/messages.po.

    python scripts/i18n.py          # update catalogs (new messages get empty translations)
    python scripts/i18n.py --check  # exit 1 if any catalog is stale, missing or incomplete

Messages are the English text in `t._("…")` and `t.ngettext("…", "…", n)` calls.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.i18n.catalog import LANGUAGES, catalog_path  # noqa: E402

KEYWORDS = {"_": None, "ngettext": (1, 2)}


def extract() -> Catalog:
    template = Catalog(project="SSOC Korean", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT / "app"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        template.add(
            message, None, [(f"app/{filename}", lineno)], auto_comments=comments, context=context
        )
    return template


def update(template: Catalog) -> None:
    for lang in LANGUAGES:
        path = catalog_path(lang, ROOT / "locales")
        locale = lang.replace("-", "_")
        if path.is_file():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=locale)
        else:
            catalog = Catalog(locale=locale, project="SSOC Korean")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        if lang == "en":  # English is the source language: messages stand for themselves
            for message in catalog:
                strings = (
                    [message.string] if isinstance(message.string, str) else message.string or [""]
                )
                if message.id and not all(strings):
                    message.string = message.id
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, sort_output=True)


if __name__ == "__main__":
    update(extract())
