"""A language's feed is its river as a feed: a text translated into that language comes once,
as the translation; the all-posts feed keeps both versions."""

import pytest

from .helpers import make_post, parse, xml_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(db):
    french = make_post("Le vélo en hiver", "fr", days_ago=2, summaries={"en": "Cycling."})
    english = make_post(
        "Cycling in winter", "en", days_ago=1, translation_key=french.translation_key
    )
    make_post("Autre billet", "fr", days_ago=3)
    return french, english


@pytest.mark.parametrize(
    "code,titles",
    [
        ("en", ["Cycling in winter", "Autre billet"]),
        ("fr", ["Le vélo en hiver", "Autre billet"]),
    ],
)
def test_language_feed_carries_a_translated_text_once(client, pair, code, titles):
    for url in xml_urls(f"/{code}/feed/"):
        assert [entry.title for entry in parse(client, url).entries] == titles


def test_all_posts_feed_keeps_both_versions(client, pair):
    titles = [entry.title for entry in parse(client, "/feed/").entries]
    assert titles == ["Cycling in winter", "Le vélo en hiver", "Autre billet"]
