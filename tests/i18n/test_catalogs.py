"""Every UI message used in the code is translated in every catalog, placeholders intact."""

import re
import string

import pytest
from babel.messages.pofile import read_po

from app.i18n.catalog import LANGUAGES, UnknownLanguage, catalog_path, load_translator
from scripts.i18n import extract

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
    assert vi._("Score: {percent}%", percent=80) == "Điểm: 80%"
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
        UnknownLanguage, match="unknown language 'xx'; choose one of: ko, en, vi, zh-Hans"
    ):
        load_translator("xx")
