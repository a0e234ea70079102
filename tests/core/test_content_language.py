"""The language of a piece of content: detection on short texts, the checked codes,
the names shown, and the `lang` attribute (ideas/core/languages.py)."""

import pytest

from ideas.core import languages
from ideas.core.errors import Invalid


@pytest.mark.parametrize("text,expected", [
    # titles and sentences as members write them (the demo's and others)
    ("Samovysychací šuplík na prací prostředek", "cs"),
    ("Tichá myčka", "cs"),
    ("Dvojitá vrstva bitumenové izolace", "cs"),
    ("Ochranný kryt na anténu", "cs"),
    ("Nechci drhnout těsnění každý týden, ať se o to pračka postará sama.", "cs"),
    ("Odour sensor that schedules the cleaning cycle itself", "en"),
    ("Quiet dishwasher", "en"),
    ("Two roof antennas, a carriage apart", "en"),
    ("Тёплый обдув уплотнителя после стирки", "ru"),
    ("Страховка поездки по подписке", "ru"),
    ("门封使用含银离子抗菌涂层", "zh"),
    ("排水泵悬浮安装，切断振动传递", "zh"),
    # the neighbours are not taken for Czech or Russian
    ("Chcela by som, aby práčka po praní sama vyvetrala bubon.", "sk"),
    ("Aplikácia, ktorá stráži spotrebu vody", "sk"),
    ("Pralka powinna sama suszyć uszczelkę po każdym praniu", "pl"),
    ("Гарна ідея, але це буде дорого.", "uk"),
    ("Die Waschmaschine soll die Dichtung nach jedem Waschgang trocknen", "de"),
])
def test_detection_on_short_texts(text, expected):
    assert languages.detect(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "123 456", "!!! ???", None])
def test_nothing_to_go_by_is_undetermined(text):
    assert languages.detect(text) == languages.UNKNOWN


def test_a_long_text_is_read_from_its_beginning():
    czech = "Šuplík na prášek má ve dně drážky a mírný sklon, aby z něj vytekla voda. "
    assert languages.detect(czech * 200 + "This is English at the very end. " * 50) == "cs"


def test_resolve_detects_or_checks_the_choice():
    assert languages.resolve(languages.AUTO, "Tichá myčka") == "cs"
    assert languages.resolve(None, "Quiet dishwasher") == "en"
    assert languages.resolve("ru", "Quiet dishwasher") == "ru"  # the author's choice stands
    assert languages.resolve("und", "Quiet dishwasher") == "und"
    for bad in ("xx", "EN", "english", "cs-CZ", "<b>"):
        with pytest.raises(Invalid) as refused:
            languages.resolve(bad, "Quiet dishwasher")
        assert refused.value.field == "language"


def test_names_in_the_language_itself_and_in_the_readers():
    assert [languages.native_name(c) for c in languages.COMMUNITY] == ["English", "Čeština", "Русский", "中文"]
    assert languages.local_name("cs", "en") == "Czech"
    assert languages.local_name("zh", "cs") == "čínština"
    assert languages.local_name("cs", "ru") == "чешский"


@pytest.mark.parametrize("code,locale,attr", [
    ("cs", "en", ' lang="cs"'),
    ("cs", "cs", ""),
    ("zh", "zh", ""),
    ("en", "zh", ' lang="en"'),
    ("sk", "cs", ' lang="sk"'),
    ("und", "en", ' lang=""'),  # HTML's "unknown language"
    (None, "en", ""),  # not recorded: nothing claimed
    ("xx", "en", ""),  # never an invented code
])
def test_lang_attribute_only_where_the_content_differs(code, locale, attr):
    assert str(languages.lang_attr(code, locale)) == attr


def test_badge_names_the_language_for_screen_readers(app):
    html = str(languages.badge("cs", "en"))
    assert '<span aria-hidden="true" lang="cs">Čeština</span>' in html
    assert '<span class="visually-hidden">Language: Czech</span>' in html


def test_filter_options_most_first_and_the_selected_kept():
    options = languages.filter_options({"en": 3, "cs": 5, "zh": 1}, None)
    assert [(o.code, o.count) for o in options] == [("cs", 5), ("en", 3), ("zh", 1)]
    assert not any(o.selected for o in options)
    kept = languages.filter_options({"en": 3, "cs": 5}, "ru")
    assert [(o.code, o.count, o.selected) for o in kept][-1] == ("ru", 0, True)
    assert languages.filter_options({"en": 3}, None) == []  # nothing to choose between
