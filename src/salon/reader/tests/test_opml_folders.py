"""OPML folders are the reader's categories: an import keeps them (a folder inside a folder
too), the reader groups its sites by them, and an export writes them back as nested outlines.
Every outline an import does not follow is reported with its title and why."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree, html

from salon.reader.models import Subscription

pytestmark = pytest.mark.django_db

NESTED = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Mes flux</title></head><body>
  <outline text="Amis">
    <outline type="rss" text="Léa" xmlUrl="https://lea.example/rss.xml"/>
    <outline text="Loin">
      <outline type="rss" text="Sam" xmlUrl="https://sam.example/feed.atom"/>
    </outline>
  </outline>
  <outline title="Tech">
    <outline type="rss" text="Kim" xmlUrl="https://kim.example/feed.json"/>
    <outline type="rss" text="Léa encore" xmlUrl="https://lea.example/rss.xml"/>
    <outline type="link" text="Un site sans flux" htmlUrl="https://nofeed.example/"/>
  </outline>
  <outline type="rss" text="Sans dossier" xmlUrl="https://loose.example/feed"/>
  <outline type="rss" text="Old friend" xmlUrl="https://old.example/feed"/>
</body></opml>""".encode()


def upload(client, content):
    return client.post(
        "/reader/subscriptions/import/",
        {"file": SimpleUploadedFile("feeds.opml", content, "text/x-opml")},
        follow=True,
    )


def messages(response):
    return [
        li.text_content()
        for li in html.fromstring(response.content).xpath("//ul[@class='reader-messages']/li")
    ]


def categories():
    return dict(Subscription.objects.values_list("feed_url", "category"))


def test_import_keeps_folders_as_categories_and_reports_what_it_skipped(staff_client, follow):
    follow("https://old.example/feed", title="Old friend")
    response = upload(staff_client, NESTED)
    assert categories() == {
        "https://lea.example/rss.xml": "Amis",
        "https://sam.example/feed.atom": "Amis / Loin",
        "https://kim.example/feed.json": "Tech",
        "https://loose.example/feed": "",
        "https://old.example/feed": "",  # already followed: left as it was
    }
    imported, *skipped = messages(response)
    assert imported.startswith("Imported 4 new feeds")
    assert skipped == [
        "Skipped: “Léa encore” (listed twice in the file).",
        "Skipped: “Un site sans flux” (no xmlUrl).",
        "Skipped: “Old friend” (already followed).",
    ]


def test_the_report_speaks_french(staff_client, follow):
    follow("https://old.example/feed", title="Old friend")
    staff_client.cookies["django_language"] = "fr"
    response = upload(staff_client, NESTED)
    assert "Ignoré : « Un site sans flux » (pas de xmlUrl)." in messages(response)


def test_the_reader_groups_sites_by_category(staff_client):
    upload(staff_client, NESTED)
    page = html.fromstring(staff_client.get("/reader/").content)
    aside = page.cssselect(".reader-sites")[0]
    groups = {
        group.cssselect(".reader-category-name")[0].text_content(): [
            a.text_content() for a in group.cssselect("ul a")
        ]
        for group in aside.cssselect("li.reader-category")
    }
    assert groups == {"Amis": ["Léa"], "Amis / Loin": ["Sam"], "Tech": ["Kim"]}
    top = [a.text_content() for a in aside.xpath("./ul/li[not(@class='reader-category')]/a")]
    assert top == ["All sites", "Old friend", "Sans dossier"]


def test_export_writes_categories_as_nested_outlines_and_reads_them_back(staff_client):
    upload(staff_client, NESTED)
    before = categories()
    root = etree.fromstring(staff_client.get("/reader/subscriptions.opml").content)
    body = root.find("body")
    [friends] = body.xpath("outline[@text='Amis']")
    assert friends.get("xmlUrl") is None
    assert friends.xpath("outline/@xmlUrl") == ["https://lea.example/rss.xml"]
    assert friends.xpath("outline[@text='Loin']/outline/@xmlUrl") == [
        "https://sam.example/feed.atom"
    ]
    assert body.xpath("outline[@text='Tech']/outline/@xmlUrl") == ["https://kim.example/feed.json"]
    assert set(body.xpath("outline[@xmlUrl]/@xmlUrl")) == {
        "https://loose.example/feed",
        "https://old.example/feed",
    }
    exported = etree.tostring(root)
    Subscription.objects.all().delete()
    upload(staff_client, exported)
    assert categories() == before
