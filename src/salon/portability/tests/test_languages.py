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


DECLARING = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>Test</title>
	<link>https://test.example</link>
	{language}
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_blog_url>https://test.example</wp:base_blog_url>
	<item>
		<title>{title}</title>
		<content:encoded><![CDATA[{text}]]></content:encoded>
		<wp:post_id>1</wp:post_id>
		<wp:post_date_gmt>2020-03-01 10:00:00</wp:post_date_gmt>
		<wp:status>publish</wp:status>
		<wp:post_type>page</wp:post_type>
	</item>
</channel>
</rss>
"""
# WordPress's theme unit test data: filler text, in none of the configured languages.
LOREM = (
    "Integer posuere erat a ante venenatis dapibus posuere velit aliquet. Aenean lacinia "
    "bibendum nulla sed consectetur. Etiam porta sem malesuada magna mollis euismod. Fusce "
    "dapibus, tellus ac cursus commodo, tortor mauris condimentum nibh, ut fermentum massa "
    "justo sit amet risus."
)
FRENCH = (
    "Les trains de nuit reviennent en Europe et je compte bien en profiter cet été pour "
    "aller jusqu'à Vienne avec les enfants."
)


def import_declaring(import_file, tmp_path, language, title, text):
    path = tmp_path / "declaring.wxr"
    path.write_text(
        DECLARING.format(
            language=f"<language>{language}</language>" if language else "", title=title, text=text
        )
    )
    import_file(path)
    from salon.blog.models import Page

    return Page.objects.get(title=title).language


def test_the_declared_language_stands_when_detection_is_not_confident(import_file, tmp_path):
    """A Lorem ipsum page of an English export: closer to French than to English, but in
    neither; the channel's <language> stands."""
    assert import_declaring(import_file, tmp_path, "en-US", "Page A", LOREM) == "en"


def test_confident_detection_overrides_the_declared_language(import_file, tmp_path):
    assert import_declaring(import_file, tmp_path, "en-US", "Trains de nuit", FRENCH) == "fr"


def test_detection_decides_when_the_file_declares_nothing(import_file, tmp_path, settings):
    settings.SALON_LANGUAGES = ["en", "fr"]  # English first: French is detected, not a fallback
    assert import_declaring(import_file, tmp_path, "", "Trains de nuit", FRENCH) == "fr"
