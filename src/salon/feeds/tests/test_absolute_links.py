"""Items carry full content whose links and images are absolute (a feed is read elsewhere)."""

import pytest
from django.conf import settings
from lxml import html

from .helpers import make_post, parse, parse_json


def links_of(fragment):
    root = html.fragment_fromstring(fragment, create_parent="div")
    urls = []
    for element in root.iter():
        for attribute in ("href", "src"):
            if element.get(attribute):
                urls.append(element.get(attribute))
        if element.get("srcset"):
            urls.extend(part.split()[0] for part in element.get("srcset").split(","))
    return urls


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_relative_links_become_absolute(client, blog, url):
    """href, src and srcset are resolved against the post's address on SITE_URL."""
    entry = next(e for e in parse(client, url).entries if e.title == "Le vélo en hiver")
    permalink = settings.SITE_URL + blog["velo"].get_absolute_url()
    assert sorted(links_of(entry.content[0].value)) == sorted(
        [
            f"{settings.SITE_URL}/tag/velo/",
            f"{permalink}#note",
            f"{settings.SITE_URL}/media/velo.jpg",
            f"{settings.SITE_URL}/media/velo-2x.jpg",
        ]
    )


def test_json_feed_content_is_absolute_too(client, blog):
    item = next(
        i for i in parse_json(client, "/feed/json/")["items"] if i["title"] == "Le vélo en hiver"
    )
    assert all(link.startswith(settings.SITE_URL + "/") for link in links_of(item["content_html"]))


def test_cover_image_is_in_the_content_and_the_json_image(client, db):
    """A post's cover shows in its content (with its alt text) and as JSON Feed's image."""
    make_post("Couverture", cover_image_url="/media/covers/pont.jpg", cover_alt="Un pont")
    entry = parse(client, "/feed/atom/").entries[0]
    image = html.fragment_fromstring(entry.content[0].value, create_parent="div").find(".//img")
    assert image.get("src") == f"{settings.SITE_URL}/media/covers/pont.jpg"
    assert image.get("alt") == "Un pont"
    item = parse_json(client, "/feed/json/")["items"][0]
    assert item["image"] == f"{settings.SITE_URL}/media/covers/pont.jpg"


def test_absolute_and_mail_links_are_left_alone(client, db):
    make_post("Liens", body='[ailleurs](https://example.org/a) et <a href="mailto:a@b.c">mail</a>')
    entry = parse(client, "/feed/").entries[0]
    assert links_of(entry.content[0].value) == ["https://example.org/a", "mailto:a@b.c"]
