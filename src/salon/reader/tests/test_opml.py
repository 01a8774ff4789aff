"""OPML export and import of followed feeds: a round trip, and every way a file can be wrong."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree, html

from salon.reader.models import Subscription

from .server import sample

pytestmark = pytest.mark.django_db


def _upload(client, content, name="feeds.opml"):
    return client.post(
        "/reader/subscriptions/import/", {"file": SimpleUploadedFile(name, content, "text/x-opml")}
    )


def _errors(response):
    return [
        e.text_content()
        for e in html.fromstring(response.content).xpath("//ul[@class='errorlist']/li")
    ]


def test_export_lists_followed_feeds_only(staff_client, follow):
    """The exported file is OPML 2.0 with one outline per followed feed."""
    follow(
        "https://lea.example/rss.xml",
        title="Carnets de Léa",
        site_url="https://lea.example/",
        language="fr",
    )
    follow("https://challenge-only.example/feed", followed=False)
    response = staff_client.get("/reader/subscriptions.opml")
    assert response["Content-Type"].startswith("text/x-opml")
    root = etree.fromstring(response.content)
    assert root.tag == "opml" and root.get("version") == "2.0"
    outlines = root.findall("body/outline")
    assert [
        (o.get("xmlUrl"), o.get("text"), o.get("htmlUrl"), o.get("language")) for o in outlines
    ] == [("https://lea.example/rss.xml", "Carnets de Léa", "https://lea.example/", "fr")]


def _messages(response):
    return [
        li.text_content()
        for li in html.fromstring(response.content).xpath("//ul[@class='reader-messages']/li")
    ]


def test_import_follows_every_feed_once(staff_client, django_capture_on_commit_callbacks):
    """Nested outlines count, duplicates and non-web addresses are skipped (and said)."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = staff_client.post(
            "/reader/subscriptions/import/",
            {"file": SimpleUploadedFile("feeds.opml", sample("subscriptions.opml"))},
            follow=True,
        )
    assert sorted(Subscription.objects.values_list("feed_url", flat=True)) == [
        "https://kim.example/feed.json",
        "https://lea.example/rss.xml",
        "https://sam.example/feed.atom",
    ]
    assert Subscription.objects.get(feed_url="https://sam.example/feed.atom").title == "Sam writes"
    assert len(callbacks) == 1  # one refresh task for the new feeds
    imported, *skipped = _messages(response)
    assert imported.startswith("Imported 3 new feeds")
    assert skipped == [
        "Skipped: “Duplicate of Léa” (listed twice in the file).",
        "Skipped: “Not a web address” (not a web address: javascript:alert(1)).",
    ]
    response = staff_client.post(
        "/reader/subscriptions/import/",
        {"file": SimpleUploadedFile("feeds.opml", sample("subscriptions.opml"))},
        follow=True,
    )
    assert Subscription.objects.count() == 3
    assert "3 already followed" in _messages(response)[0]


def test_round_trip(staff_client, follow):
    """What Salon exports, Salon imports again."""
    follow("https://a.example/feed", title="A")
    follow("https://b.example/feed", title="B")
    exported = staff_client.get("/reader/subscriptions.opml").content
    Subscription.objects.all().delete()
    _upload(staff_client, exported)
    assert sorted(Subscription.objects.values_list("title", flat=True)) == ["A", "B"]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "The submitted file is empty."),
        (b"   ", "not valid XML"),
        (b"<opml><body><outline", "not valid XML"),
        (b"<?xml version='1.0'?><rss version='2.0'><channel/></rss>", "starts with <rss>"),
        (b"<opml version='2.0'><head/></opml>", "has no <body>"),
        (b"<opml version='2.0'><body><outline text='folder'/></body></opml>", "lists no feeds"),
    ],
    ids=["empty", "blank", "truncated", "rss", "no-body", "no-feeds"],
)
def test_a_file_that_is_not_a_list_of_feeds_is_refused(staff_client, content, message):
    """A precise message, status 400, and nothing written."""
    response = _upload(staff_client, content)
    assert response.status_code == 400
    assert any(message in error for error in _errors(response)), _errors(response)
    assert not Subscription.objects.exists()


def test_entities_are_never_resolved(staff_client):
    """An external entity in the file is not read (no XXE)."""
    _upload(staff_client, sample("xxe.opml"))
    for subscription in Subscription.objects.all():
        assert "root:" not in subscription.title


def test_a_huge_file_is_refused(staff_client):
    response = _upload(staff_client, b"<opml>" + b" " * (2 * 1024 * 1024 + 1) + b"</opml>")
    assert response.status_code == 400
    assert any("too large" in error for error in _errors(response))
    assert staff_client.post("/reader/subscriptions/import/", {}).status_code == 400
