"""Every UI message used in the code is translated in every catalog, placeholders intact."""

import re
import string
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from babel.plural import to_gettext

from app.i18n.catalog import LANGUAGES, UnknownLanguage, catalog_path, load_translator
from scripts.i18n import extract, plural_forms, update

TEMPLATE = extract()
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_the_extractor_finds_the_messages_of_the_views() -> None:
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in TEMPLATE if m.id}
    assert {"Check", "Correct!", "Right answer:", "{done} of {n} unit completed"} <= ids


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_catalog_is_complete_and_placeholders_match(lang: str) -> None:
    with catalog_path(lang).open("rb") as handle:
        catalog = read_po(handle)
    for message in TEMPLATE:
        if not message.id:
            continue
        found = catalog.get(message.id)
        assert found is not None, f"{lang}: missing {message.id!r}"
        assert not found.fuzzy, f"{lang}: fuzzy {message.id!r}"
        strings = [found.string] if isinstance(found.string, str) else list(found.string)
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        wanted = {name for i in ids for name in PLACEHOLDER.findall(i)}
        for text in strings:
            assert text, f"{lang}: empty translation of {message.id!r}"
            names = {f[1] for f in string.Formatter().parse(text) if f[1]}
            assert names <= wanted, f"{lang}: {message.id!r} uses unknown {names - wanted}"
            if len(ids) == 1:
                assert names == wanted, f"{lang}: {message.id!r} drops {wanted - names}"


def test_lookups_plurals_and_fallback() -> None:
    vi = load_translator("vi")
    assert vi._("Check") == "Kiểm tra"
    assert vi._("Score: {percent}", percent=vi.percent(0.8)) == "Điểm: 80%"
    en = load_translator("en")
    assert (
        en.ngettext("{done} of {n} unit completed", "{done} of {n} units completed", 1, done=0)
        == "0 of 1 unit completed"
    )
    assert (
        en.ngettext("{done} of {n} unit completed", "{done} of {n} units completed", 12, done=3)
        == "3 of 12 units completed"
    )
    assert load_translator("zh-Hans")._("a message nobody wrote") == "a message nobody wrote"


def test_an_unknown_language_is_a_clear_error() -> None:
    with pytest.raises(
        UnknownLanguage, match="unknown language 'xx'; choose one of: ko, en, vi, zh-Hans, th, "
    ):
        load_translator("xx")


def test_a_new_catalog_gets_the_plural_rule_of_its_language(tmp_path: Path) -> None:
    assert plural_forms("ja") == "nplurals=1; plural=0;"
    assert plural_forms("ru").startswith("nplurals=3;")
    # Tajik is missing from gettext's table in Babel: the CLDR rule itself is used.
    assert plural_forms("tg") == to_gettext(Locale.parse("tg").plural_form).strip()
    update(TEMPLATE, ["en", "tg", "ur"], root=tmp_path)
    for lang in ("tg", "ur"):
        with catalog_path(lang, tmp_path).open("rb") as handle:
            catalog = read_po(handle)
        assert catalog.plural_forms == plural_forms(lang)
        # New messages stay empty for translators (English is filled only in English).
        assert catalog["Check"].string == ""
    translator = load_translator("tg", tmp_path)
    assert [translator.plural(n) for n in (0, 1, 2)] == [0, 0, 1]
    assert load_translator("en", tmp_path)._("Check") == "Check"


def test_a_percent_message_keeps_its_translation_when_the_sign_moves_into_the_value(
    tmp_path: Path,
) -> None:
    path = catalog_path("vi", tmp_path)
    path.parent.mkdir(parents=True)
    old = Catalog(locale="vi")
    old.add("Score: {percent}%", "Điểm: {percent}%")
    old.add(
        "Best score {best}% · {learned}% of its words learned", "Cao nhất {best} % · {learned}%"
    )
    with path.open("wb") as handle:
        write_po(handle, old)
    update(TEMPLATE, ["vi"], root=tmp_path)
    vi = load_translator("vi", tmp_path)
    assert vi._("Score: {percent}", percent="80%") == "Điểm: 80%"
    assert vi._("Best score {best} · {learned} of its words learned", best="1", learned="2") == (
        "Cao nhất 1 · 2"
    )
