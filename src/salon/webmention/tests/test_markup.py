"""Salon's own pages read as microformats2 (parsed with mf2py, never string-matched)."""

from datetime import timedelta

import mf2py
import pytest
from django.conf import settings
from django.utils import timezone
from lxml import html

from salon.blog.tests.factories import PageFactory, PostFactory
from salon.webmention.models import ReplyContext

pytestmark = pytest.mark.django_db

BASE = "http://testserver"


def mf2(response, path):
    return mf2py.parse(doc=response.content.decode(), url=BASE + path, html_parser="lxml")


def items_of(parsed, kind):
    return [item for item in parsed["items"] if kind in item["type"]]


def test_post_page_is_a_complete_h_entry(client):
    """A post is an h-entry with name, content, summary, dates, url, uid, categories, author."""
    post = PostFactory(
        title="Été à Montréal",
        body="Il fait *chaud*.",
        tags=["voyage", "été"],
        summaries={"en": "Summer in Montreal."},
    )
    path = post.get_absolute_url()
    parsed = mf2(client.get(path), path)
    [entry] = items_of(parsed, "h-entry")
    props = entry["properties"]
    assert props["name"] == ["Été à Montréal"]  # without the [fr] marker
    assert props["content"][0]["html"].strip() == "<p>Il fait <em>chaud</em>.</p>"
    assert props["content"][0]["lang"] == "fr"
    assert [s.replace("[en]", "").strip() for s in props["summary"]] == ["Summer in Montreal."]
    assert props["url"][0] == BASE + path
    assert props["uid"] == [BASE + path]
    assert props["published"][0].startswith(post.published_at.strftime("%Y-%m-%d"))
    assert props["updated"][0].startswith(post.updated_at.strftime("%Y-%m-%d"))
    assert sorted(props["category"]) == ["voyage", "été"]
    [author] = props["author"]
    assert author["type"] == ["h-card"]
    assert author["properties"]["name"] == [settings.SALON_AUTHOR_NAME]
    assert author["properties"]["url"] == [settings.SITE_URL + "/"]
    assert entry["lang"] == "fr"


def test_summary_in_another_language_carries_its_lang(client):
    """The p-summary in the other language is marked with that language."""
    post = PostFactory(language="fr", summaries={"en": "Summer in Montreal."})
    response = client.get(post.get_absolute_url())
    tree = html.fromstring(response.content.decode())
    [summary] = tree.find_class("p-summary")
    assert summary.get("lang") == "en"
    assert tree.find_class("h-entry")[0].get("lang") == "fr"


def test_river_is_an_h_feed_of_h_entries(client):
    """The home river is an h-feed whose children are the posts' h-entries."""
    posts = [PostFactory(title=f"Billet {n}") for n in range(3)]
    parsed = mf2(client.get("/"), "/")
    [feed] = items_of(parsed, "h-feed")
    entries = [child for child in feed["children"] if "h-entry" in child["type"]]
    assert [e["properties"]["name"][0] for e in entries] == [p.title for p in posts]
    assert all(e["properties"]["author"][0]["type"] == ["h-card"] for e in entries)


def test_home_page_has_a_representative_h_card(client, settings):
    """The author's h-card on the home page has url = uid = the page (representative h-card),
    with the photo and the author's own site as rel=me when configured."""
    settings.SALON_AUTHOR_NAME = "Camille Martin"
    settings.SALON_AUTHOR_PHOTO = "https://example.org/camille.jpg"
    settings.SALON_AUTHOR_URL = "https://camille.example.org/"
    settings.SITE_URL = BASE
    parsed = mf2(client.get("/"), "/")
    cards = items_of(parsed, "h-card")
    representative = [
        card
        for card in cards
        if BASE + "/" in card["properties"].get("uid", [])
        and BASE + "/" in card["properties"].get("url", [])
    ]
    assert len(representative) == 1
    props = representative[0]["properties"]
    assert props["name"] == ["Camille Martin"]
    assert "https://camille.example.org/" in props["url"]
    assert "https://camille.example.org/" in parsed["rels"]["me"]
    photo = props["photo"][0]
    assert (
        photo["value"] if isinstance(photo, dict) else photo
    ) == "https://example.org/camille.jpg"


def test_reply_post_has_u_in_reply_to_h_cite(client):
    """A reply post's h-entry has in-reply-to: an h-cite with the original's title, author,
    excerpt and URL; in rivers, the plain link."""
    original = "https://elsewhere.example/2024/05/notes"
    post = PostFactory(title="Réponse", in_reply_to_url=original)
    ReplyContext.objects.create(
        post=post,
        url=original,
        title="Notes on walking",
        author_name="Sam Lee",
        author_url="https://elsewhere.example/",
        excerpt="Walking is thinking.",
        language="en",
        fetched_at=timezone.now(),
    )
    path = post.get_absolute_url()
    response = client.get(path)
    parsed = mf2(response, path)
    [entry] = items_of(parsed, "h-entry")
    [cite] = entry["properties"]["in-reply-to"]
    assert cite["type"] == ["h-cite"]
    assert cite["properties"]["url"] == [original]
    assert cite["properties"]["name"] == ["Notes on walking"]
    assert cite["properties"]["author"][0]["properties"]["name"] == ["Sam Lee"]
    assert cite["properties"]["content"] == ["Walking is thinking."]
    assert cite["lang"] == "en"

    river = mf2(client.get("/"), "/")
    [feed] = items_of(river, "h-feed")
    [river_entry] = [c for c in feed["children"] if c["properties"]["name"] == ["Réponse"]]
    assert river_entry["properties"]["in-reply-to"] == [original]


def test_reply_post_without_context_yet_still_links_the_original(client):
    """Before the original was read, the post still says what it replies to (u-in-reply-to)."""
    original = "https://elsewhere.example/a-post"
    post = PostFactory(in_reply_to_url=original, published_at=timezone.now() - timedelta(days=9))
    path = post.get_absolute_url()
    [entry] = items_of(mf2(client.get(path), path), "h-entry")
    cite = entry["properties"]["in-reply-to"][0]
    assert cite["properties"]["url"] == [original]


def test_page_name_leaves_out_the_language_marker(client):
    page = PageFactory(title="About", slug="about")
    parsed = mf2(client.get("/about/"), "/about/")
    [entry] = items_of(parsed, "h-entry")
    assert entry["properties"]["name"] == [page.title]


def test_every_html_page_advertises_the_endpoint(client):
    """The Link header and a <link rel="webmention"> name the same absolute endpoint."""
    post = PostFactory()
    endpoint = settings.SITE_URL + "/webmention/"
    for path in ["/", post.get_absolute_url()]:
        response = client.get(path)
        assert f'<{endpoint}>; rel="webmention"' in response["Link"]
        parsed = mf2(response, path)
        assert parsed["rels"]["webmention"] == [endpoint]


def test_received_responses_are_h_cites_with_their_author(client):
    """A verified reply shows (through the conversations thread) as an h-cite whose author is
    an h-card with the sender's name, site and photo, and whose URL is the source."""
    from salon.conversations.models import Kind, Origin, Response, State

    post = PostFactory()
    Response.objects.create(
        post=post,
        kind=Kind.REPLY,
        origin=Origin.WEBMENTION,
        state=State.APPROVED,
        author_name="Sam Lee",
        author_url="https://sam.example/",
        author_photo="https://sam.example/me.jpg",
        source_url="https://sam.example/reply",
        content="<p>Bien vu.</p>",
        content_html="<p>Bien vu.</p>",
        language="fr",
    )
    path = post.get_absolute_url()
    parsed = mf2(client.get(path), path)

    def cites(items):
        for item in items:
            if isinstance(item, dict) and "type" in item:
                if "h-cite" in item["type"]:
                    yield item
                yield from cites(item.get("children", []))
                for values in item.get("properties", {}).values():
                    yield from cites(values)

    [cite] = [
        c
        for c in cites(parsed["items"])
        if "https://sam.example/reply" in c["properties"].get("url", [])
    ]
    author = cite["properties"]["author"][0]
    assert author["type"] == ["h-card"]
    assert author["properties"]["name"] == ["Sam Lee"]
    assert author["properties"]["url"] == ["https://sam.example/"]
