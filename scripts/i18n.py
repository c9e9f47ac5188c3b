"""Extract UI messages from app/ and update every locales/<lang>/LC_MESSAGES/messages.po.

    python scripts/i18n.py          # update every catalog (new messages get empty translations)
    python scripts/i18n.py ko vi    # update only these catalogs (BCP 47 tags)

Messages are the English text in `t._("…")` and `t.ngettext("…", "…", n)` calls. A catalog that
does not exist yet is created with the language's CLDR plural rule in its Plural-Forms header.
"""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.plurals import PLURALS
from babel.messages.pofile import read_po, write_po
from babel.plural import to_gettext

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.i18n.catalog import LANGUAGES, babel_id, catalog_path  # noqa: E402

KEYWORDS = {"_": None, "ngettext": (1, 2)}

# Messages whose id changed when percentages became locale-formatted ({percent} now carries its
# own % sign, placed by Babel): a catalog that still has the old id keeps its translation, with
# the % next to the placeholder removed.
RENAMED = {
    "Score: {percent}": "Score: {percent}%",
    "Completed · best score {percent}": "Completed · best score {percent}%",
    "You remembered {percent} of your reviews in the last 30 days.": (
        "You remembered {percent}% of your reviews in the last 30 days."
    ),
    "Best score {best} · {learned} of its words learned": (
        "Best score {best}% · {learned}% of its words learned"
    ),
}
_PERCENT_BESIDE = re.compile(r"(\{\w+\})\s?[%٪]|[%٪]\s?(\{\w+\})")


def extract() -> Catalog:
    template = Catalog(project="SSOC Korean", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT / "app"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        template.add(
            message, None, [(f"app/{filename}", lineno)], auto_comments=comments, context=context
        )
    return template


def plural_forms(lang: str) -> str:
    """The Plural-Forms header: gettext's table in Babel, else the CLDR rule itself."""
    locale = Locale.parse(babel_id(lang))
    if str(locale) in PLURALS or locale.language in PLURALS:
        return Catalog(locale=locale).plural_forms
    return to_gettext(locale.plural_form).strip()


def new_catalog(lang: str) -> Catalog:
    catalog = Catalog(locale=babel_id(lang), project="SSOC Korean")
    catalog.mime_headers = [("Plural-Forms", plural_forms(lang))]
    return catalog


def _carry_renamed(catalog: Catalog) -> None:
    for new, old in RENAMED.items():
        before = catalog.get(old)
        if new in catalog or before is None or not isinstance(before.string, str):
            continue
        if before.string and not before.fuzzy:
            text = _PERCENT_BESIDE.sub(lambda m: m.group(1) or m.group(2), before.string)
            catalog.add(new, text)


def update(
    template: Catalog, langs: list[str] | None = None, root: Path = ROOT / "locales"
) -> None:
    for lang in langs or list(LANGUAGES):
        path = catalog_path(lang, root)
        if path.is_file():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=babel_id(lang))
        else:
            catalog = new_catalog(lang)
        _carry_renamed(catalog)
        # A copy: update() adopts the template's new messages, and filling English below
        # must not fill the next catalog's messages too.
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True)
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
    wanted = sys.argv[1:]
    unknown = [lang for lang in wanted if lang not in LANGUAGES]
    if unknown:
        sys.exit(f"unknown language(s): {', '.join(unknown)}; choose from {', '.join(LANGUAGES)}")
    update(extract(), wanted or None)
