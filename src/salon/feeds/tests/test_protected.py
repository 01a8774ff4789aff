"""A password-protected post never gives its body away through a feed."""

import pytest
from lxml import html

from .helpers import make_post, parse, parse_json

FEEDS = [
    "/feed/",
    "/feed/atom/",
    "/feed/json/",
    "/fr/feed/",
    "/en/feed/atom/",
    "/tag/prive/feed/",
    "/tag/prive/feed/json/",
]


@pytest.fixture
def locked(db):
    return make_post(
        "Journal intime",
        "fr",
        password="sésame",
        tags=["privé"],
        body="Le CORPS-SECRET du billet, à ne jamais montrer.",
        summaries={"en": "A diary entry."},
    )


@pytest.mark.parametrize("url", FEEDS)
def test_body_never_leaks(client, locked, url):
    body = client.get(url).content
    assert b"CORPS-SECRET" not in body
    assert "sésame".encode() not in body


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_title_summary_and_a_notice_are_shown(client, locked, url):
    """The title and the summaries are public (as on the river); the content says, in the
    feed's language (here the blog's first language, French), that the post is protected,
    and links to it."""
    entry = parse(client, url).entries[0]
    assert entry.title == "Journal intime"
    assert entry.summary == "A diary entry."
    notice = html.fragment_fromstring(entry.content[0].value, create_parent="div").find("p")
    assert notice.get("lang") == "fr"
    assert "mot de passe" in notice.text_content()
    assert notice.find("a").get("href").endswith(locked.get_absolute_url())


def test_no_excerpt_either_when_there_is_no_summary(client, db):
    make_post("Sans résumé", password="x", body="CORPS-SECRET ici.")
    item = parse_json(client, "/feed/json/")["items"][0]
    assert "CORPS-SECRET" not in item["summary"] + item["content_html"]
