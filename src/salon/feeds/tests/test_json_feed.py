"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/): the required fields and the types
the spec gives, plus Salon's language fields."""

from datetime import datetime

import pytest
from django.conf import settings

from .helpers import make_comment, parse_json

JSON_FEEDS = [
    "/feed/json/",
    "/fr/feed/json/",
    "/tag/ville/feed/json/",
    "/series/marches/feed/json/",
    "/comments/feed/json/",
]


def rfc3339(value):
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def check_top_level(feed, url):
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(feed["title"], str) and feed["title"]
    assert isinstance(feed["items"], list)
    assert feed["home_page_url"].startswith(settings.SITE_URL + "/")
    assert feed["feed_url"] == settings.SITE_URL + url
    assert feed["language"] in settings.SALON_LANGUAGES
    for author in feed.get("authors", []):
        assert set(author) <= {"name", "url", "avatar"}
    # Anything that is not in the spec must be an extension, whose name starts with "_".
    spec = {
        "version",
        "title",
        "home_page_url",
        "feed_url",
        "description",
        "user_comment",
        "next_url",
        "icon",
        "favicon",
        "authors",
        "language",
        "expired",
        "hubs",
        "items",
    }
    assert all(key in spec or key.startswith("_") for key in feed)


def check_item(item):
    assert isinstance(item["id"], str) and item["id"]
    assert isinstance(item.get("content_html", item.get("content_text")), str)
    for key in ("date_published", "date_modified"):
        assert rfc3339(item[key]).tzinfo is not None
    assert item["url"].startswith(settings.SITE_URL + "/")
    assert isinstance(item.get("tags", []), list)
    assert all(isinstance(tag, str) for tag in item.get("tags", []))
    assert all(isinstance(author["name"], str) for author in item["authors"])
    spec = {
        "id",
        "url",
        "external_url",
        "title",
        "content_html",
        "content_text",
        "summary",
        "image",
        "banner_image",
        "date_published",
        "date_modified",
        "authors",
        "tags",
        "language",
        "attachments",
    }
    assert all(key in spec or key.startswith("_") for key in item)


@pytest.mark.parametrize("url", JSON_FEEDS)
def test_json_feeds_follow_the_spec(client, blog, url):
    make_comment(blog["velo"], "Ada", text="Bravo.")
    feed = parse_json(client, url)
    check_top_level(feed, url)
    assert feed["items"]
    for item in feed["items"]:
        check_item(item)


def test_json_items_carry_language_summary_and_tags(client, blog):
    items = {item["title"]: item for item in parse_json(client, "/feed/json/")["items"]}
    velo = items["Le vélo en hiver"]
    assert velo["language"] == "fr"
    assert velo["summary"] == "Cycling through a dark, wet winter."
    assert velo["_salon"]["summaries"] == [
        {"language": "en", "text": "Cycling through a dark, wet winter."}
    ]
    assert velo["tags"] == ["ville", "vélo"]
    assert "<em>gants</em>" in velo["content_html"]
    assert items["Sourdough notes"]["language"] == "en"


def test_empty_feed_is_still_valid(client, db):
    feed = parse_json(client, "/feed/json/")
    check_top_level(feed, "/feed/json/")
    assert feed["items"] == []
