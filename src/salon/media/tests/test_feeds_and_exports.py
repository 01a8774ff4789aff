"""Feeds and exports carry a library image with its credit and licence."""

import json

import lxml.html
import pytest
from django.core.management import call_command

from salon.blog.tests.factories import PostFactory
from salon.media import library

from .conftest import png_bytes, upload_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def credited(settings):
    settings.SALON_MEDIA_WIDTHS = [480, 960]
    image = library.store_upload(upload_file(png_bytes((1000, 500), mode="RGB"), "pont.png"))
    image.alt_text = "Un pont de pierre"
    image.credit = "Photo : Léon Blum"
    image.source_url = "https://commons.example.org/pont"
    image.licence = "cc-by-4.0"
    image.save()
    return image


def fragment(html):
    return lxml.html.fragment_fromstring(html, create_parent="div")


def test_feeds_carry_the_figure_with_its_credit_and_licence(client, settings, credited):
    PostFactory(title="Le pont", body=f"Voici.\n\n![]({credited.url})\n")
    for path in ("/feed/", "/feed/atom/"):
        # Read raw: feedparser's sanitiser drops srcset, which a feed reader may use.
        document = lxml.etree.fromstring(client.get(path).content)
        html = next(e.text for e in document.iter() if e.text and "<figure" in e.text)
        figure = fragment(html).cssselect("figure")[0]
        img = figure.cssselect("img")[0]
        assert img.get("src").startswith(f"{settings.SITE_URL}/media/images/{credited.key}/")
        assert all(c.startswith(settings.SITE_URL) for c in img.get("srcset").split(", "))
        assert (img.get("width"), img.get("alt")) == ("960", "Un pont de pierre")
        assert "<source" not in html and "</source>" not in html
        caption = figure.cssselect("figcaption")[0]
        assert caption.cssselect(".media-credit")[0].text_content() == "Photo : Léon Blum"
        licence = caption.cssselect("a[rel=license]")[0]
        assert licence.get("href") == "https://creativecommons.org/licenses/by/4.0/"
    item = json.loads(client.get("/feed/json/").content)["items"][0]
    assert "Photo : Léon Blum" in item["content_html"] and 'rel="license"' in item["content_html"]


def test_the_json_export_lists_each_image_with_its_caption(tmp_path, settings, credited):
    post = PostFactory(body=f"![Le pont, vu du quai]({credited.url})\n\nEt ![]({credited.url})")
    call_command("export-json", "-o", str(tmp_path / "site.json"))
    exported = json.loads((tmp_path / "site.json").read_text())["posts"][0]
    assert exported["id"] == post.pk
    [image] = exported["images"]
    assert image["url"] == f"{settings.SITE_URL}/media/images/{credited.key}/original.jpg"
    assert {r["width"] for r in image["renditions"]} == {480, 960}
    assert image["alt"] == "Le pont, vu du quai"
    assert (image["credit"], image["source_url"]) == (
        "Photo : Léon Blum",
        "https://commons.example.org/pont",
    )
    assert (image["licence"], image["licence_url"]) == (
        "CC BY 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    )
    assert "Photo : Léon Blum" in exported["body_html"]


def test_the_wxr_export_carries_the_caption_in_the_body(tmp_path, settings, credited):
    PostFactory(body=f"![]({credited.url})")
    call_command("export-wxr", "-o", str(tmp_path / "site.xml"))
    document = lxml.etree.parse(str(tmp_path / "site.xml"))
    content = document.find(".//{http://purl.org/rss/1.0/modules/content/}encoded").text
    caption = fragment(content).cssselect("figcaption")[0]
    assert caption.cssselect(".media-credit a")[0].get("href") == "https://commons.example.org/pont"
    assert caption.cssselect("a[rel=license]")[0].text_content() == "CC BY 4.0"
    img = fragment(content).cssselect("figure img")[0]
    prefix = f"{settings.SITE_URL}/media/images/{credited.key}/"
    assert img.get("src").startswith(prefix)
    assert [c.split()[0][: len(prefix)] for c in img.get("srcset").split(", ")] == [prefix] * 2
