"""The blog has an icon: every page links it and /favicon.ico answers an image, Salon's own
by default or the one SALON_SITE_ICON names (an address or a file)."""

import io

import lxml.html
import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from PIL import Image

from salon.blog.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def linked_icons(client, url):
    response = client.get(url)
    document = lxml.html.fromstring(response.content)
    return [
        (link.get("href"), link.get("type")) for link in document.xpath('//head/link[@rel="icon"]')
    ]


def page_urls():
    post = PostFactory(title="Le vélo en hiver")
    return ["/", "/fr/", post.get_absolute_url(), "/search/?q=vélo", "/nowhere/"]


def test_favicon_ico_is_salons_icon_by_default(client):
    """Browsers ask for /favicon.ico on every visit: it is an ICO with the usual sizes."""
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    icon = Image.open(io.BytesIO(response.content))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32)} <= set(icon.info["sizes"])


def test_every_page_links_the_icon_and_each_link_answers_an_image(client):
    for url in page_urls():
        icons = linked_icons(client, url)
        assert icons, f"{url} links no icon"
        for href, declared_type in icons:
            response = client.get(href)
            assert response.status_code == 200, href
            content_type = response["Content-Type"].split(";")[0]
            assert content_type.startswith("image/"), (href, content_type)
            if declared_type:
                assert declared_type == content_type


def test_an_icon_file_is_served_at_favicon_ico_and_linked(client, tmp_path):
    path = tmp_path / "me.png"
    Image.new("RGB", (64, 64), "teal").save(path)
    with override_settings(SALON_SITE_ICON=str(path)):
        response = client.get("/favicon.ico")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content) == path.read_bytes()
        for url in page_urls():
            assert linked_icons(client, url) == [("/favicon.ico", "image/png")], url


def test_an_icon_address_is_linked_and_favicon_ico_redirects_to_it(client):
    address = "https://cdn.example.org/camille/icon.svg"
    with override_settings(SALON_SITE_ICON=address):
        response = client.get("/favicon.ico")
        assert response.status_code == 302 and response["Location"] == address
        assert linked_icons(client, "/") == [(address, "image/svg+xml")]


@pytest.mark.parametrize(
    "name, message",
    [
        ("missing.png", "SALON_SITE_ICON names no file"),
        ("notes.txt", "SALON_SITE_ICON is not an image"),
    ],
)
def test_a_wrong_icon_file_is_refused_by_the_checks(tmp_path, name, message):
    path = tmp_path / name
    if name.endswith(".txt"):
        path.write_text("not an image")
    with override_settings(SALON_SITE_ICON=str(path)), pytest.raises(SystemCheckError) as error:
        call_command("check")
    assert message in str(error.value) and str(path) in str(error.value)
