"""The feeds of all posts, in RSS 2.0 and Atom, read back with feedparser."""

import pytest
from django.conf import settings
from django.test import override_settings

from salon.blog.models import Post

from .helpers import make_post, parse, parse_json, xml_urls

XML_FEEDS = xml_urls("/feed/")


def entries_by_title(parsed):
    return {entry.title: entry for entry in parsed.entries}


@pytest.mark.parametrize("url", XML_FEEDS)
def test_every_item_has_the_expected_fields(client, blog, url):
    """Each item has a title, link, id, updated date, summary, full content, author and tags."""
    parsed = parse(client, url)
    assert parsed.feed.language == "fr"  # the blog's first content language
    assert parsed.feed.title == settings.SALON_SITE_NAME
    assert parsed.entries
    for entry in parsed.entries:
        assert entry.title and entry.id
        assert entry.link.startswith(settings.SITE_URL + "/")
        assert entry.updated_parsed and entry.published_parsed
        assert entry.summary
        assert entry.content[0].value
        assert entry.author == settings.SALON_AUTHOR_NAME
    velo = entries_by_title(parsed)["Le vélo en hiver"]
    assert sorted(tag.term for tag in velo.tags) == ["ville", "vélo"]
    assert "<em>gants</em>" in velo.content[0].value


@pytest.mark.parametrize("url", XML_FEEDS)
def test_only_public_posts_newest_first(client, blog, url):
    """Drafts and posts scheduled for later stay out; the newest post comes first."""
    titles = [entry.title for entry in parse(client, url).entries]
    assert titles == ["Le vélo en hiver", "Sourdough notes", "Walk 2", "Marche 1"]


@pytest.mark.parametrize("url", XML_FEEDS)
def test_items_carry_their_own_language(client, blog, url):
    """A French post's content is marked French and an English post's English, whatever the
    feed's language (xml:lang on the item/entry, dc:language in RSS)."""
    entries = entries_by_title(parse(client, url))
    assert entries["Le vélo en hiver"].content[0].language == "fr"
    assert entries["Sourdough notes"].content[0].language == "en"
    if url == "/feed/":
        assert entries["Le vélo en hiver"].language == "fr"
        assert entries["Sourdough notes"].language == "en"


@pytest.mark.parametrize("url", XML_FEEDS)
def test_summary_is_the_other_language_summary_with_its_language(client, blog, url):
    """The item's summary is its summary in the other language, marked with that language."""
    entries = entries_by_title(parse(client, url))
    velo, bread = entries["Le vélo en hiver"], entries["Sourdough notes"]
    assert velo.summary_detail.language == "en"
    assert velo.summary == "Cycling through a dark, wet winter."
    assert bread.summary_detail.language == "fr"
    assert bread.summary == "Carnet de levain d'une cuisine partagée."


@pytest.mark.parametrize("url", XML_FEEDS)
def test_without_a_summary_an_excerpt_in_the_posts_language(client, blog, url):
    """A post with no summary gets a plain-text excerpt of its body, in its own language."""
    entry = entries_by_title(parse(client, url))["Marche 1"]
    assert entry.summary == "Un texte."
    assert entry.summary_detail.language == "fr"


@override_settings(SALON_LANGUAGES=["fr", "en", "de"])
@pytest.mark.parametrize("url", XML_FEEDS)
def test_several_summaries_each_keep_their_language(client, db, url):
    """With three languages, a post's two summaries are both given, each with its lang."""
    make_post("Trois langues", "fr", summaries={"de": "Drei Sprachen.", "en": "Three languages."})
    entry = parse(client, url).entries[0]
    from lxml import html

    paragraphs = html.fragment_fromstring(entry.summary, create_parent="div").findall("p")
    assert [(p.get("lang"), p.text) for p in paragraphs] == [
        ("en", "Three languages."),
        ("de", "Drei Sprachen."),
    ]


def test_ids_are_stable_and_the_same_in_every_format(client, blog):
    """An item keeps its id when its title, slug or date change, and RSS, Atom and JSON Feed
    give the same id."""
    ids = {
        "rss": [e.id for e in parse(client, "/feed/").entries],
        "atom": [e.id for e in parse(client, "/feed/atom/").entries],
        "json": [item["id"] for item in parse_json(client, "/feed/json/")["items"]],
    }
    assert ids["rss"] == ids["atom"] == ids["json"]
    assert len(set(ids["rss"])) == len(ids["rss"])
    assert all(i.startswith("tag:") for i in ids["rss"])
    post = Post.objects.get(pk=blog["velo"].pk)
    post.title, post.slug = "Le vélo en plein hiver", "velo-plein-hiver"
    post.published_at = post.published_at.replace(hour=(post.published_at.hour + 1) % 24)
    post.save()
    assert [e.id for e in parse(client, "/feed/").entries] == ids["rss"]


@override_settings(SALON_AUTHOR_EMAIL="author-secret@example.org", SALON_AUTHOR_NAME="Camille")
@pytest.mark.parametrize("url", [*XML_FEEDS, "/feed/json/"])
def test_author_is_named_and_never_by_e_mail(client, blog, url):
    """Items name the author; the author's e-mail address never appears in a feed."""
    response = client.get(url)
    assert b"author-secret@example.org" not in response.content
    if url != "/feed/json/":
        assert {entry.author for entry in parse(client, url).entries} == {"Camille"}


@override_settings(SALON_FEED_ITEMS=2)
def test_feed_length_is_a_setting(client, blog):
    """SALON_FEED_ITEMS caps the number of items."""
    assert len(parse(client, "/feed/").entries) == 2
    assert len(parse_json(client, "/feed/json/")["items"]) == 2


@pytest.mark.parametrize("url", XML_FEEDS)
def test_control_characters_do_not_break_the_feed(client, db, url):
    """An imported text holding characters XML forbids still gives a well-formed feed."""
    make_post(
        "Bell\x07 title",
        "en",
        body="Form\x0cfeed <b>bold</b>",
        body_format="html",
        summaries={"fr": "Résumé\x0b."},
    )
    entry = parse(client, url).entries[0]
    assert entry.title == "Bell title"
    assert "<b>bold</b>" in entry.content[0].value
