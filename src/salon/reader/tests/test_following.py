"""Following a site by pasting any address: discovery shows what it found, then subscribes."""

import pytest
from lxml import html

from salon.reader.models import Discovery, Subscription

from . import builders
from .server import sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def blog(feed_server):
    """A blog whose home page announces RSS, Atom and JSON Feed."""
    feed_server.serve("/", sample("page.html"), content_type="text/html; charset=utf-8")
    feed_server.serve("/rss.xml", sample("rss.xml"))
    feed_server.serve("/atom.xml", sample("atom.xml"), content_type="application/atom+xml")
    feed_server.serve("/feed.json", sample("feed.json"), content_type="application/feed+json")
    return feed_server


def _paste(client, url, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reader/follow/", {"url": url})
    assert response.status_code == 302, response.content
    return client.get(response["Location"])


def test_a_page_shows_the_feeds_it_announces(
    staff_client, blog, django_capture_on_commit_callbacks
):
    """The three announced feeds are listed with title, format and latest entries."""
    page = _paste(staff_client, blog.url("/"), django_capture_on_commit_callbacks)
    tree = html.fromstring(page.content)
    found = tree.xpath("//li[@class='found-feed']")
    assert [item.xpath("string(.//h3/span)") for item in found] == [
        "Carnets de Léa",
        "Sam writes",
        "Notes de Kim",
    ]
    assert [item.xpath("string(.//h3/small)") for item in found] == [
        "(RSS)",
        "(Atom)",
        "(JSON Feed)",
    ]
    latest = found[0].xpath(".//ul/li")
    assert latest[0].get("lang") == "fr"
    assert latest[0].text_content() == "Jour 3 : la boulangerie"
    assert not Subscription.objects.exists()  # nothing followed before the author chooses


def test_following_a_found_feed_subscribes_and_reads_it(
    staff_client, blog, django_capture_on_commit_callbacks
):
    page = _paste(staff_client, blog.url("/"), django_capture_on_commit_callbacks)
    discovery = Discovery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/reader/follow/{discovery.pk}/subscribe/", {"feed": "1"})
    sub = Subscription.objects.get()
    assert response["Location"] == f"/reader/site/{sub.pk}/"
    assert (sub.feed_url, sub.title, sub.followed) == (blog.url("/atom.xml"), "Sam writes", True)
    assert sub.entries.count() == 2
    page = _paste(staff_client, blog.url("/"), django_capture_on_commit_callbacks)
    assert "You already follow this feed." in page.content.decode()


def test_a_feed_address_is_found_as_itself(staff_client, blog, django_capture_on_commit_callbacks):
    page = _paste(staff_client, blog.url("/feed.json"), django_capture_on_commit_callbacks)
    feeds = Discovery.objects.get().feeds
    assert [(feed["url"], feed["kind"]) for feed in feeds] == [(blog.url("/feed.json"), "json")]
    assert page.status_code == 200


def test_a_page_without_feed_links_is_tried_at_the_usual_places(
    staff_client, feed_server, django_capture_on_commit_callbacks
):
    feed_server.serve("/", sample("nofeed.html"), content_type="text/html")
    feed_server.serve("/index.xml", builders.rss([builders.item(1, days_ago=1)]))
    _paste(staff_client, feed_server.url("/"), django_capture_on_commit_callbacks)
    assert [feed["url"] for feed in Discovery.objects.get().feeds] == [
        feed_server.url("/index.xml")
    ]


def test_nothing_found_says_why(staff_client, feed_server, django_capture_on_commit_callbacks):
    """A page with no feed anywhere, or an address that fails, gives a precise message."""
    feed_server.serve("/", sample("nofeed.html"), content_type="text/html")
    feed_server.never_answer("/slow/")
    page = _paste(staff_client, feed_server.url("/"), django_capture_on_commit_callbacks)
    assert page.status_code == 200
    assert "No feed was found at this address." in page.content.decode()
    page = _paste(staff_client, feed_server.url("/slow/"), django_capture_on_commit_callbacks)
    assert "The server did not answer in time." in page.content.decode()
    page = _paste(staff_client, feed_server.url("/missing/"), django_capture_on_commit_callbacks)
    assert "HTTP 404" in page.content.decode()


def test_a_discovery_in_progress_refreshes_itself(staff_client):
    discovery = Discovery.objects.create(url="https://example.org/")
    page = html.fromstring(staff_client.get(f"/reader/follow/{discovery.pk}/").content)
    assert page.xpath("//meta[@http-equiv='refresh']/@content") == ["2"]


@pytest.mark.parametrize(
    "value",
    [
        "",
        "not an address",
        "javascript:alert(1)",
        "ftp://example.org/feed",
        "http://" + "a" * 1100 + ".org/",
    ],
)
def test_what_is_not_a_web_address_is_refused(staff_client, value):
    """The form refuses it with a message; nothing is looked up."""
    response = staff_client.post("/reader/follow/", {"url": value})
    assert response.status_code == 400
    assert html.fromstring(response.content).xpath("//ul[@class='errorlist']")
    assert not Discovery.objects.exists()


def test_choosing_a_feed_that_was_not_found_is_refused(staff_client):
    discovery = Discovery.objects.create(url="https://example.org/", state="done", feeds=[])
    for value in ["0", "-1", "x", ""]:
        response = staff_client.post(f"/reader/follow/{discovery.pk}/subscribe/", {"feed": value})
        assert response.status_code == 302
    assert not Subscription.objects.exists()
    assert staff_client.post("/reader/follow/999/subscribe/", {"feed": "0"}).status_code == 404
