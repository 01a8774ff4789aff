"""Feeds are discoverable: every page's <head> links the site's feeds in the three formats,
and pages that have feeds of their own (language river, tag, series, post) link those too."""

from urllib.parse import urlsplit

import pytest
from lxml import html

from .helpers import parse

TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+json"}


def feed_links(client, url, **headers):
    response = client.get(url, **headers)
    page = html.fromstring(response.content)
    # Feeds only: the ActivityPub alternate (federation's, tested there) is not a feed.
    links = [
        link
        for link in page.xpath('//head/link[@rel="alternate"][@type]')
        if link.get("type") in TYPES
    ]
    return response, [
        (link.get("type"), urlsplit(link.get("href")).path, link.get("title"), link.get("hreflang"))
        for link in links
    ]


def paths(links):
    return {path for _, path, _, _ in links}


@pytest.mark.parametrize("url", ["/", "/2026/", "/a-page-that-does-not-exist/"])
def test_every_page_links_the_main_feeds(client, blog, url):
    _, links = feed_links(client, url)
    assert {(kind, path) for kind, path, _, _ in links} >= {
        ("application/rss+xml", "/feed/"),
        ("application/atom+xml", "/feed/atom/"),
        ("application/feed+json", "/feed/json/"),
    }
    assert all(title for _, _, title, _ in links)


def test_advertised_feeds_are_real_feeds(client, blog):
    """Every link a page advertises leads to a feed that parses."""
    for page in ("/", "/fr/", "/tag/ville/", "/series/marches/", blog["velo"].get_absolute_url()):
        _, links = feed_links(client, page)
        for kind, path, _, _ in links:
            assert kind in TYPES
            if kind == "application/feed+json":
                assert client.get(path)["Content-Type"].startswith(kind)
            else:
                parse(client, path)


def test_language_river_links_its_language_feeds(client, blog):
    _, links = feed_links(client, "/en/")
    own = [link for link in links if link[1].startswith("/en/feed/")]
    assert {path for _, path, _, _ in own} == {"/en/feed/", "/en/feed/atom/", "/en/feed/json/"}
    assert {hreflang for *_, hreflang in own} == {"en"}


def test_tag_and_series_pages_link_their_feeds(client, blog):
    assert {"/tag/ville/feed/", "/tag/ville/feed/atom/", "/tag/ville/feed/json/"} <= paths(
        feed_links(client, "/tag/ville/")[1]
    )
    assert {"/series/marches/feed/", "/series/marches/feed/json/"} <= paths(
        feed_links(client, "/series/marches/")[1]
    )


def test_post_page_links_its_comment_feeds(client, blog):
    permalink = blog["velo"].get_absolute_url()
    assert {f"{permalink}feed/", f"{permalink}feed/atom/", f"{permalink}feed/json/"} <= paths(
        feed_links(client, permalink)[1]
    )


def test_protected_post_does_not_advertise_comment_feeds(client, db):
    from .helpers import make_post

    post = make_post("Fermé", password="clé")
    response, links = feed_links(client, post.get_absolute_url())
    assert response.status_code == 200
    assert paths(links) == {"/feed/", "/feed/atom/", "/feed/json/"}


def test_link_titles_follow_the_interface_language(client, blog):
    _, links = feed_links(client, "/", HTTP_ACCEPT_LANGUAGE="fr")
    titles = {title for _, _, title, _ in links}
    assert any("tous les billets" in title for title in titles), titles


@pytest.mark.parametrize("language", ["en", "fr"])
def test_home_page_advertises_the_site_wide_comment_feeds(client, blog, settings, language):
    """The feeds of all comments are linked from the home page, in every format, with a title
    in the interface language; other pages do not repeat them."""
    _, links = feed_links(client, "/", HTTP_ACCEPT_LANGUAGE=language)
    comments = [link for link in links if link[1].startswith("/comments/feed/")]
    assert {(kind, path) for kind, path, _, _ in comments} == {
        ("application/rss+xml", "/comments/feed/"),
        ("application/atom+xml", "/comments/feed/atom/"),
        ("application/feed+json", "/comments/feed/json/"),
    }
    word = {"en": "all comments", "fr": "tous les commentaires"}[language]
    assert all(
        title.startswith(f"{settings.SALON_SITE_NAME}") and word in title
        for _, _, title, _ in comments
    )
    for kind, path, _, _ in comments:
        if kind != "application/feed+json":
            parse(client, path)
    assert not [
        link for link in feed_links(client, "/tag/ville/")[1] if link[1].startswith("/comments/")
    ]
