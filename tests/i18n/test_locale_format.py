"""Numbers, percentages and dates are written as each language writes them (Babel, CLDR)."""

from datetime import date

import pytest
from babel import Locale

from app.i18n.catalog import FSI, LANGUAGES, PDI, Translator, babel_id, load_translator

DAY = date(2026, 3, 14)


def translator(lang: str) -> Translator:
    """Formatting needs only the locale: no catalog, so this runs before one exists."""
    return Translator(lang, locale=Locale.parse(babel_id(lang)))


@pytest.mark.parametrize(
    ("lang", "number", "percent", "day"),
    [
        ("en", "1,234,567", "80%", "Mar 14, 2026"),
        ("ko", "1,234,567", "80%", "2026. 3. 14."),
        ("vi", "1.234.567", "80%", "14 thg 3, 2026"),
        ("ru", "1\xa0234\xa0567", "80\xa0%", "14 мар. 2026\u202fг."),
        ("tk", "1\xa0234\xa0567", "80\xa0%", "14 mart 2026"),
        ("bn", "১২,৩৪,৫৬৭", "৮০%", "১৪ মার্চ, ২০২৬"),  # Bengali digits, Indian grouping
        ("my", "၁,၂၃၄,၅၆၇", "၈၀%", "၂၀၂၆ မတ် ၁၄"),  # Burmese digits
        ("ne", "१२,३४,५६७", "८०%", "२०२६ मार्च १४"),  # Devanagari digits
        ("hi", "12,34,567", "80%", "14 मार्च 2026"),  # Hindi: Latin digits (CLDR default)
        ("ur", "1,234,567", "80%", "14 مارچ، 2026"),
        ("zh-Hans", "1,234,567", "80%", "2026年3月14日"),
    ],
)
def test_numbers_percentages_and_dates(lang: str, number: str, percent: str, day: str) -> None:
    t = translator(lang)
    assert t.number(1234567) == number
    assert t.percent(0.8) == percent
    assert t.date(DAY) == day


def test_whole_numbers_in_messages_are_formatted_for_the_locale() -> None:
    bn = translator("bn")
    assert bn._("{done} of {target}", done=3, target=1500) == "৩ of ১,৫০০"
    assert bn.ngettext("{n} day in a row", "{n} days in a row", 12) == "১২ days in a row"
    assert bn._("{flag}", flag=True) == "True"  # not a number to show
    en = translator("en")
    assert en._("Unit {number}: {title}", number=12, title="Food") == "Unit 12: Food"


def test_values_inside_a_right_to_left_sentence_keep_their_own_direction() -> None:
    ur = translator("ur")
    assert ur.rtl
    assert ur._("{course} · {n}", course="Korean Level 1", n=3) == f"{FSI}Korean Level 1{PDI} · 3"
    assert translator("en")._("{course}", course="Korean Level 1") == "Korean Level 1"


def test_language_names_in_the_interface_language() -> None:
    assert translator("en").language_name("th") == "Thai"
    assert translator("ko").language_name("ur") == "우르두어"
    assert translator("ja").language_name("ko") == "韓国語"
    assert {translator("ru").language_name(code) for code in LANGUAGES} >= {"тайский", "урду"}


def test_a_real_catalog_formats_too() -> None:
    vi = load_translator("vi")
    assert vi._("Score: {percent}", percent=vi.percent(0.935)) == "Điểm: 94%"
    assert vi.ngettext("{n} day in a row", "{n} days in a row", 1234) == "1.234 ngày liên tiếp"
