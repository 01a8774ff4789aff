"""Archives by date, standalone pages and old addresses that keep working."""

from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from salon.blog.models import Redirect

from .factories import PageFactory, PostFactory

pytestmark = pytest.mark.django_db


def at(year, month, day):
    return timezone.make_aware(datetime(year, month, day, 12))


def titles(response, parse):
    return [a.text for a in parse(response).cssselect("article .post-title a")]


def test_year_month_and_day_archives(client, parse):
    PostFactory(title="March", published_at=at(2023, 3, 5))
    PostFactory(title="June", published_at=at(2023, 6, 1))
    PostFactory(title="Next year", published_at=at(2024, 1, 1))
    assert titles(client.get("/2023/"), parse) == ["June", "March"]
    assert titles(client.get("/2023/03/"), parse) == ["March"]
    assert titles(client.get("/2023/03/05/"), parse) == ["March"]
    assert titles(client.get("/2022/"), parse) == []
    for impossible in ["/2023/13/", "/2023/00/", "/2023/02/30/", "/0000/"]:
        assert client.get(impossible).status_code == 404, impossible


def test_page_with_summary_and_translation(client, parse):
    about = PageFactory(title="About", slug="about", language="en")
    PageFactory(
        title="À propos", slug="a-propos", language="fr", translation_key=about.translation_key
    )
    tree = parse(client.get("/about/"))
    assert tree.cssselect("article.h-entry")[0].get("lang") == "en"
    hreflangs = {link.get("hreflang") for link in tree.cssselect("link[rel=alternate][hreflang]")}
    assert hreflangs == {"en", "fr"}
    assert client.get("/no-such-page/").status_code == 404


def test_menu_shows_one_page_per_translation_in_the_interface_language(client, parse):
    about = PageFactory(title="About", slug="about", language="en")
    PageFactory(
        title="À propos", slug="a-propos", language="fr", translation_key=about.translation_key
    )
    menu = [
        a.text for a in parse(client.get("/", HTTP_ACCEPT_LANGUAGE="fr")).cssselect(".site-nav a")
    ]
    assert "À propos" in menu and "About" not in menu
    menu = [
        a.text for a in parse(client.get("/", HTTP_ACCEPT_LANGUAGE="en")).cssselect(".site-nav a")
    ]
    assert "About" in menu and "À propos" not in menu


@pytest.mark.parametrize("slug", ["fr", "en", "tag", "admin", "2024"])
def test_page_slugs_cannot_shadow_salon_addresses(slug):
    page = PageFactory.build(slug=slug)
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "slug" in error.value.message_dict


def test_old_addresses_redirect_permanently(client):
    post = PostFactory(title="Moved here", published_at=at(2020, 5, 4))
    Redirect.objects.create(old_path="/?p=42", post=post)
    Redirect.objects.create(old_path="/archives/old-name/", post=post)
    for old in ["/?p=42", "/archives/old-name/", "/archives/old-name"]:
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == post.get_absolute_url()
    assert client.get("/?p=43").status_code == 200, "an unknown ?p= is just the home page"


def test_an_old_addresss_feed_leads_to_the_feed_of_what_it_became(client):
    """WordPress serves a feed under most addresses; an imported category's or post's old feed
    answers with the feed of the tag or post it became (its comments)."""
    post = PostFactory(title="Moved here", published_at=at(2020, 5, 4))
    Redirect.objects.create(old_path="/2019/05/old-name/", post=post)
    Redirect.objects.create(old_path="/category/marche/", new_path="/tag/marche/")
    for old, new in [
        ("/category/marche/feed/", "/tag/marche/feed/"),
        ("/category/marche/feed/atom/", "/tag/marche/feed/atom/"),
        ("/2019/05/old-name/feed/", post.get_absolute_url() + "feed/"),
        ("/2019/05/old-name/feed/rss2/", post.get_absolute_url() + "feed/"),
    ]:
        response = client.get(old)
        assert response.status_code == 301 and response["Location"] == new, old
    assert client.get(post.get_absolute_url() + "feed/").status_code == 200
    assert client.get("/category/unknown/feed/").status_code == 404


@pytest.mark.parametrize(
    "old, new",
    [
        ("/?feed=rss2", "/feed/"),
        ("/?feed=rss", "/feed/"),
        ("/?feed=atom", "/feed/atom/"),
        ("/?feed=comments-rss2", "/comments/feed/"),
    ],
)
def test_wordpress_feed_addresses_lead_to_the_feeds(client, old, new):
    """A blog with plain permalinks gave its readers /?feed=rss2: they keep their posts."""
    PostFactory(title="Still in the feed")
    response = client.get(old)
    assert response.status_code == 301 and response["Location"] == new
    feed = client.get(new)
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/")
    if "comments" not in new:
        assert "Still in the feed" in feed.content.decode()


def test_sitemap_lists_public_posts_and_pages(client):
    from lxml import etree

    public = PostFactory(title="Public")
    draft = PostFactory(title="Draft", status="draft")
    page = PageFactory(slug="about")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = etree.fromstring(response.content).xpath(
        "//s:loc/text()", namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    )
    assert any(loc.endswith(public.get_absolute_url()) for loc in locations)
    assert any(loc.endswith(page.get_absolute_url()) for loc in locations)
    assert not any(loc.endswith(draft.get_absolute_url()) for loc in locations)
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots
