"""Enclosures (podcast audio, attached images and videos) survive a feed's reading: RSS
``<enclosure>``, Atom ``<link rel="enclosure">`` and JSON Feed ``attachments`` are kept with
their type and size, and the reader page plays audio and video with the browser's own player,
shows images and links every file. Only http(s) addresses: a hostile feed's others are dropped."""

import json

import pytest
from lxml import html

from salon.reader.models import Entry

pytestmark = pytest.mark.django_db

PODCAST_RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
  <title>Le podcast du quartier</title><link>https://podcast.example/</link><language>fr</language>
  <item>
    <title>\xc3\x89pisode 12 : le march\xc3\xa9</title><guid>tag:podcast.example,2026:12</guid>
    <link>https://podcast.example/12</link>
    <description>On parle du march\xc3\xa9 du samedi.</description>
    <enclosure url="/media/episode-12.mp3" length="24986239" type="audio/mpeg"/>
  </item>
  <item>
    <title>Un pi\xc3\xa8ge</title><guid>tag:podcast.example,2026:trap</guid><link>https://podcast.example/trap</link>
    <description>Une pi\xc3\xa8ce jointe hostile.</description>
    <enclosure url="javascript:alert(document.cookie)" length="1" type="audio/mpeg"/>
    <enclosure url="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==" type="text/html"/>
  </item>
</channel></rss>"""

GALLERY_ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Sam's pictures</title><id>tag:sam.example,2026:feed</id>
  <updated>2026-03-01T10:00:00Z</updated>
  <entry>
    <id>tag:sam.example,2026:1</id><title>Harbour at dawn</title>
    <link href="https://sam.example/1"/>
    <link rel="enclosure" href="https://sam.example/harbour.jpg" type="image/jpeg"
          length="381000" title="The harbour at dawn"/>
    <link rel="enclosure" href="https://sam.example/harbour.webm" type="video/webm"/>
    <link rel="enclosure" href="javascript:alert(1)" type="image/png"/>
    <updated>2026-03-01T10:00:00Z</updated><summary>Early light on the boats.</summary>
  </entry>
</feed>"""

JSON_FEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Notes",
        "items": [
            {
                "id": "n1",
                "url": "https://notes.example/1",
                "content_text": "Listen.",
                "attachments": [
                    {
                        "url": "https://notes.example/talk.ogg",
                        "mime_type": "audio/ogg",
                        "size_in_bytes": 5000,
                        "title": "The talk",
                    },
                    {"url": "vbscript:msgbox(1)", "mime_type": "audio/ogg"},
                ],
            }
        ],
    }
).encode()


@pytest.fixture
def feeds(feed_server, follow, refresh_all):
    feed_server.serve("/podcast.xml", PODCAST_RSS)
    feed_server.serve("/pictures.xml", GALLERY_ATOM, content_type="application/atom+xml")
    feed_server.serve("/notes.json", JSON_FEED, content_type="application/feed+json")
    for path in ("/podcast.xml", "/pictures.xml", "/notes.json"):
        follow(feed_server.url(path))
    refresh_all()
    return feed_server


def article(staff_client, guid):
    entry = Entry.objects.get(guid=guid)
    page = html.fromstring(staff_client.get("/reader/?show=all").content)
    return page.cssselect(f"#entry-{entry.pk}")[0]


def test_rss_enclosures_are_kept_with_type_and_size(feeds):
    [audio] = Entry.objects.get(guid="tag:podcast.example,2026:12").enclosures
    assert audio == {
        "url": feeds.url("/media/episode-12.mp3"),
        "type": "audio/mpeg",
        "length": 24986239,
        "title": "",
    }


def test_atom_and_json_feed_enclosures_are_kept(feeds):
    image, video = Entry.objects.get(guid="tag:sam.example,2026:1").enclosures
    assert (image["url"], image["type"], image["length"], image["title"]) == (
        "https://sam.example/harbour.jpg",
        "image/jpeg",
        381000,
        "The harbour at dawn",
    )
    assert (video["url"], video["type"], video["length"]) == (
        "https://sam.example/harbour.webm",
        "video/webm",
        None,
    )
    [talk] = Entry.objects.get(guid="n1").enclosures
    assert (talk["url"], talk["type"], talk["length"]) == (
        "https://notes.example/talk.ogg",
        "audio/ogg",
        5000,
    )


def test_audio_plays_in_the_page_and_is_linked(staff_client, feeds):
    entry = article(staff_client, "tag:podcast.example,2026:12")
    [player] = entry.cssselect(".reader-enclosures audio")
    url = feeds.url("/media/episode-12.mp3")
    assert (player.get("src"), player.get("preload")) == (url, "none")
    assert player.get("controls") is not None
    [link] = entry.cssselect(".reader-enclosures a")
    assert (link.get("href"), link.text_content()) == (url, "episode-12.mp3")
    assert "audio/mpeg" in entry.cssselect(".reader-enclosures small")[0].text_content()


def test_images_show_with_their_title_as_alt_and_videos_play(staff_client, feeds):
    entry = article(staff_client, "tag:sam.example,2026:1")
    [image] = entry.cssselect(".reader-enclosures img")
    assert (image.get("src"), image.get("alt"), image.get("lang")) == (
        "https://sam.example/harbour.jpg",
        "The harbour at dawn",
        "en",
    )
    [video] = entry.cssselect(".reader-enclosures video")
    assert video.get("src") == "https://sam.example/harbour.webm"
    assert video.get("controls") is not None and video.get("preload") == "none"
    assert len(entry.cssselect(".reader-enclosures a")) == 2


def test_enclosures_that_are_not_web_addresses_are_dropped(staff_client, feeds):
    assert Entry.objects.get(guid="tag:podcast.example,2026:trap").enclosures == []
    page = staff_client.get("/reader/?show=all").content.decode()
    for scheme in ("javascript:", "data:", "vbscript:"):
        assert scheme not in page
    assert not article(staff_client, "tag:podcast.example,2026:trap").cssselect(
        ".reader-enclosures"
    )


def test_a_stored_hostile_address_is_not_shown_either(staff_client, feeds):
    """Rows written before this check (or by hand) are checked again when shown."""
    Entry.objects.filter(guid="tag:podcast.example,2026:12").update(
        enclosures=[
            {"url": "javascript:alert(1)", "type": "audio/mpeg", "length": 1, "title": "x"},
            "not a dict",
        ]
    )
    assert not article(staff_client, "tag:podcast.example,2026:12").cssselect(".reader-enclosures")
