"""A post's language comes from, in order: a title marker, a language taxonomy (Polylang,
WPML), a category named after a language, then detection (or --default-language)."""

import pytest

from salon.blog.models import Post

pytestmark = pytest.mark.django_db


def languages_by_title():
    return {p.title: p.language for p in Post.objects.all()}


def test_each_rule_in_its_order(import_file):
    import_file("languages.wxr")
    assert languages_by_title() == {
        "Night trains": "en",  # the marker beats the Polylang term saying fr (and French text)
        "Trains de nuit (Polylang)": "en",  # the Polylang term beats the “Français” category
        "Trains de nuit (WPML)": "en",  # WPML's language beats the category
        "Trains de nuit (catégorie)": "en",  # the “English” category beats detection
        "Trains de nuit": "fr",  # detected
    } | {"Night trains": "en"}
    assert Post.objects.filter(title="Night trains").count() == 2


def test_detection_is_limited_to_configured_languages(import_file, settings):
    settings.SALON_LANGUAGES = ["fr", "de"]
    import_file("languages.wxr")
    assert set(Post.objects.values_list("language", flat=True)) <= {"fr", "de"}


def test_default_language_overrides_detection_only(import_file):
    import_file("languages.wxr", "--default-language", "en")
    found = languages_by_title()
    assert found["Trains de nuit"] == "en"
    assert found["Trains de nuit (Polylang)"] == "en"


def test_an_unknown_default_language_is_refused(import_file):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="not one of this blog's languages"):
        import_file("languages.wxr", "--default-language", "xx")
    assert not Post.objects.exists()


def test_polylang_translations_share_a_translation_key(import_file):
    import_file("polylang.wxr")
    french = Post.objects.get(title="Trains de nuit")
    english = Post.objects.get(title="Night trains")
    assert (french.language, english.language) == ("fr", "en")
    assert french.translation_key == english.translation_key
    assert list(french.get_translations()) == [english]
