"""Feeds per language, per tag and per series, in every format."""

import pytest
from django.test import override_settings

from .helpers import all_urls, make_post, parse, parse_json, xml_urls


def titles(parsed):
    return [entry.title for entry in parsed.entries]


@pytest.mark.parametrize(
    "url",
    [
        *all_urls("/fr/feed/"),
        *all_urls("/en/feed/"),
        *all_urls("/tag/ville/feed/"),
        *all_urls("/series/marches/feed/"),
    ],
)
def test_every_scoped_feed_answers_in_every_format(client, blog, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] in {
        "application/rss+xml",
        "application/atom+xml",
        "application/feed+json",
    }


@pytest.mark.parametrize("url", xml_urls("/fr/feed/"))
def test_language_feed_speaks_its_language(client, blog, url):
    """/fr/feed/ is the French river as a feed: its language is French, its own texts are in
    French, and it lists every public post."""
    parsed = parse(client, url)
    assert parsed.feed.language == "fr"
    # In French, a language's name in a sentence is in lower case: "pour qui lit en français".
    assert "pour qui lit en français" in parsed.feed.title
    assert titles(parsed) == ["Le vélo en hiver", "Sourdough notes", "Walk 2", "Marche 1"]


@pytest.mark.parametrize(
    "code,own,other",
    [("fr", "Le vélo en hiver", "Sourdough notes"), ("en", "Sourdough notes", "Le vélo en hiver")],
)
def test_language_feed_bridges_other_languages_with_their_summary(client, blog, code, own, other):
    """In a language's feed, a post in another language is summarised in the reader's language
    (as on the language river), and its content keeps its own language."""
    for url in xml_urls(f"/{code}/feed/"):
        entries = {entry.title: entry for entry in parse(client, url).entries}
        assert entries[other].summary_detail.language == code
        assert entries[other].content[0].language != code
        assert entries[own].content[0].language == code


@pytest.mark.parametrize(
    "url",
    ["/de/feed/", "/de/feed/atom/", "/xx/feed/json/", "/tag/nope/feed/", "/series/nope/feed/atom/"],
)
def test_unknown_language_tag_or_series_is_a_404(client, blog, url):
    assert client.get(url).status_code == 404


@override_settings(SALON_LANGUAGES=["fr", "en", "de"])
def test_each_configured_language_has_its_feed(client, blog):
    make_post("Fahrrad", "de", days_ago=0)
    parsed = parse(client, "/de/feed/")
    assert parsed.feed.language == "de"
    assert parsed.entries[0].title == "Fahrrad"
    assert parse_json(client, "/de/feed/json/")["language"] == "de"


@pytest.mark.parametrize("url", xml_urls("/tag/ville/feed/"))
def test_tag_feed_lists_the_tags_public_posts(client, blog, url):
    """Drafts and scheduled posts carrying the tag stay out."""
    parsed = parse(client, url)
    assert titles(parsed) == ["Le vélo en hiver", "Marche 1"]
    assert "ville" in parsed.feed.title
    assert parsed.feed.link.endswith("/tag/ville/")


@pytest.mark.parametrize("url", xml_urls("/series/marches/feed/"))
def test_series_feed_lists_the_series(client, blog, url):
    parsed = parse(client, url)
    assert titles(parsed) == ["Walk 2", "Marche 1"]
    assert "Marches" in parsed.feed.title
    assert parsed.feed.link.endswith("/series/marches/")


def test_a_page_with_a_language_code_slug_keeps_its_feed_address_free(client, blog):
    """/<code>/feed/ only matches configured languages: any other /<x>/feed/ is left to the
    rest of the site (here nothing, so a 404 rather than a feed)."""
    assert client.get("/about/feed/").status_code == 404


@pytest.mark.parametrize(
    "url,language", [("/en/feed/atom/", "en"), ("/fr/feed/json/", "fr"), ("/feed/", "fr")]
)
def test_feed_says_its_language_whatever_the_readers_interface(client, blog, url, language):
    """The feed's texts and Content-Language follow the feed, not Accept-Language, so one URL
    always gives the same body (and ETag)."""
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert english["Content-Language"] == french["Content-Language"] == language
    assert english.content == french.content
