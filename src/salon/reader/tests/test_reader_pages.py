"""The private reader page: staff only, newest first, read/unread, reply, languages marked,
and no bad query string or form ever gives a 500."""

from urllib.parse import parse_qs, urlsplit

import pytest
from lxml import html

from salon.reader.models import Entry

from . import builders
from .server import sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sites(feed_server, follow, refresh_all):
    feed_server.serve("/rss.xml", sample("rss.xml"))
    feed_server.serve("/atom.xml", sample("atom.xml"), content_type="application/atom+xml")
    lea = follow(feed_server.url("/rss.xml"))
    sam = follow(feed_server.url("/atom.xml"))
    refresh_all()
    return lea, sam


def _entries(response):
    return html.fromstring(response.content).xpath("//article[contains(@class,'reader-entry')]")


def test_the_reader_is_for_staff_only(client, django_user_model, two_sites):
    """Anonymous visitors and non-staff users are sent to log in; nothing is shown."""
    for url in [
        "/reader/",
        "/reader/subscriptions/",
        "/reader/subscriptions.opml",
        f"/reader/site/{two_sites[0].pk}/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    reader = django_user_model.objects.create_user("reader", password="pw")
    client.force_login(reader)
    assert client.get("/reader/").status_code == 302
    assert client.post(f"/reader/entries/{Entry.objects.first().pk}/read/").status_code == 302
    assert Entry.objects.filter(is_read=True).count() == 0


def test_river_shows_every_followed_site_with_languages_marked(staff_client, two_sites):
    """All sites together; each entry's text carries its language."""
    response = staff_client.get("/reader/")
    assert response.status_code == 200
    articles = _entries(response)
    assert len(articles) == 5
    languages = {
        article.xpath(".//h2/a")[0].text_content(): article.xpath(".//h2/a/@lang")[0]
        for article in articles
    }
    assert languages["Jour 3 : la boulangerie"] == "fr"
    assert languages["Day two: walking"] == "en"
    assert languages["Premier jour"] == "fr"
    excerpt = articles[0].xpath(".//p[@class='reader-entry-excerpt']")[0]
    assert excerpt.get("lang") in {"fr", "en"}


def test_river_per_site_shows_its_status(staff_client, two_sites):
    lea, _sam = two_sites
    response = staff_client.get(f"/reader/site/{lea.pk}/")
    titles = [a.xpath(".//h2/a")[0].text_content() for a in _entries(response)]
    assert titles == ["Jour 3 : la boulangerie", "Jour 2 : le marché", "Jour 1 : on recommence"]
    page = html.fromstring(response.content)
    assert page.xpath("//h1/span[@lang='fr']")[0].text_content() == "Carnets de Léa"
    assert page.xpath("//span[contains(@class,'state-ok')]")


def test_reply_starts_a_reply_post_in_the_admin(staff_client, two_sites):
    """The reply button opens the admin's new post form with the entry's address and title;
    the admin form shows them pre-filled."""
    response = staff_client.get("/reader/")
    article = next(
        a for a in _entries(response) if a.xpath(".//h2/a")[0].text_content() == "Day two: walking"
    )
    link = article.xpath(".//a[contains(@class,'reply')]/@href")[0]
    parts = urlsplit(link)
    assert parts.path == "/admin/blog/post/add/"
    params = parse_qs(parts.query)
    assert params["in_reply_to_url"] == ["https://sam.example/day-two"]
    assert params["title"] == ["Re: Day two: walking"]
    assert params["language"] == ["en"]
    form = html.fromstring(staff_client.get(link).content)
    assert form.xpath("//input[@name='in_reply_to_url']/@value") == ["https://sam.example/day-two"]
    assert form.xpath("//input[@name='title']/@value") == ["Re: Day two: walking"]


def test_mark_read_and_unread(staff_client, two_sites):
    """Read entries leave the unread river and come back when marked unread."""
    entry = Entry.objects.get(guid="lea-3")
    response = staff_client.post(
        f"/reader/entries/{entry.pk}/read/", {"read": "1", "next": "/reader/"}
    )
    assert response.status_code == 302 and response["Location"] == "/reader/"
    titles = [a.xpath(".//h2/a")[0].text_content() for a in _entries(staff_client.get("/reader/"))]
    assert "Jour 3 : la boulangerie" not in titles
    assert len(_entries(staff_client.get("/reader/?show=all"))) == 5
    staff_client.post(f"/reader/entries/{entry.pk}/read/", {"read": "0"})
    entry.refresh_from_db()
    assert not entry.is_read


def test_mark_all_read_spares_entries_that_arrived_after_the_page(
    staff_client, two_sites, feed_server, follow, refresh_all
):
    """ "Mark all as read" covers what the page showed; a newer entry stays unread."""
    page = html.fromstring(staff_client.get("/reader/").content)
    up_to = page.xpath("//input[@name='up_to']/@value")[0]
    feed_server.serve("/late.xml", builders.rss([builders.item(1, days_ago=0)]))
    follow(feed_server.url("/late.xml"))
    refresh_all()
    staff_client.post("/reader/read-all/", {"up_to": up_to})
    assert list(Entry.objects.unread().values_list("title", flat=True)) == ["Post 1"]


@pytest.mark.parametrize(
    "url",
    [
        "/reader/?page=abc",
        "/reader/?page=999",
        "/reader/?page=-1",
        "/reader/?show=%00",
        "/reader/?show=all&page=0",
    ],
)
def test_odd_query_strings_never_fail(staff_client, two_sites, url):
    assert staff_client.get(url).status_code == 200


def test_bad_forms_never_fail(staff_client, two_sites):
    """Missing or wrong values get a message; foreign `next` addresses are ignored."""
    response = staff_client.post("/reader/read-all/", {"up_to": "abc"})
    assert response.status_code == 302
    response = staff_client.post(
        "/reader/read-all/", {"up_to": "5", "site": "x", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/reader/"
    assert staff_client.get("/reader/site/999999/").status_code == 404
    assert staff_client.post("/reader/entries/999999/read/").status_code == 404
    assert staff_client.get("/reader/read-all/").status_code == 405
    sub = two_sites[0]
    response = staff_client.post(f"/reader/subscriptions/{sub.pk}/", {"action": "explode"})
    assert response.status_code == 302


def test_unfollow_and_check_again(staff_client, two_sites, feed_server):
    """Unfollowing removes a site and its entries; a gone feed can be checked again."""
    lea, sam = two_sites
    staff_client.post(f"/reader/subscriptions/{lea.pk}/", {"action": "unfollow"})
    assert not Entry.objects.filter(subscription_id=lea.pk).exists()
    feed_server.serve("/atom.xml", b"", status=410)
    from django.core.management import call_command

    call_command("refresh-feeds", "--all")
    sam.refresh_from_db()
    assert sam.is_gone
    feed_server.serve("/atom.xml", sample("atom.xml"), content_type="application/atom+xml")
    staff_client.post(f"/reader/subscriptions/{sam.pk}/", {"action": "resume"})
    call_command("refresh-feeds")
    sam.refresh_from_db()
    assert sam.state == "ok"


def test_the_reader_speaks_french_and_marks_english_details(
    staff_client, feed_server, follow, refresh_all, settings
):
    """In French, the interface is French; a feed's technical error detail (English) carries
    lang="en", and the entry texts keep their own language."""
    feed_server.serve("/missing.xml", b"no", status=404, content_type="text/plain")
    follow(feed_server.url("/missing.xml"))
    refresh_all()
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = html.fromstring(staff_client.get("/reader/subscriptions/").content)
    assert page.xpath("string(//h1)") == "Sites suivis"
    error = page.xpath("//p[@class='feed-error']")[0]
    assert error.xpath("string(strong)") == "Le serveur a répondu par une erreur."
    assert error.xpath("span[@class='detail']/@lang") == ["en"]
    assert "HTTP 404" in error.xpath("string(span[@class='detail'])")
