"""How languages are named: in the interface language inside sentences and labels, in their
own language only where a language names itself."""

from django.test import override_settings
from django.utils import translation

from salon import languages


def test_a_language_in_a_sentence_is_named_in_the_interface_language():
    """English writes language names with a capital, French in lower case inside a sentence."""
    with translation.override("en"):
        assert languages.language_name("fr") == "French"
        assert languages.language_name("en") == "English"
    with translation.override("fr"):
        assert languages.language_name("en") == "anglais"
        assert languages.language_name("fr") == "français"


def test_an_unconfigured_or_unknown_language_is_named_too():
    with translation.override("fr"):
        assert languages.language_name("de") == "allemand"
    assert languages.language_name("xx") == "xx"


def test_a_language_names_itself_with_a_capital():
    for interface in ("en", "fr"):
        with translation.override(interface):
            assert languages.native_language_name("fr") == "Français"
            assert languages.native_language_name("en") == "English"


@override_settings(SALON_LANGUAGES=["fr", "en"])
def test_form_choices_are_labels_in_the_interface_language():
    with translation.override("fr"):
        assert languages.language_choices() == [("fr", "Français"), ("en", "Anglais")]
    with translation.override("en"):
        assert languages.language_choices() == [("fr", "French"), ("en", "English")]
