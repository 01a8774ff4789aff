"""Comment feeds: all comments, and one per post under its permalink."""

import pytest
from django.conf import settings

from salon.blog.models import Status
from salon.conversations.models import Kind, State

from .helpers import all_urls, make_comment, make_post, parse, parse_json, xml_urls


@pytest.fixture
def talk(blog):
    velo, bread = blog["velo"], blog["bread"]
    first = make_comment(
        velo,
        "Ada",
        text="Très juste, merci.",
        language="fr",
        minutes_ago=50,
        author_email="ada-secret@example.org",
        author_url="https://ada.example/",
        ip_address="192.0.2.7",
    )
    reply = make_comment(
        velo,
        "Bob",
        text="I agree with Ada entirely.",
        language="en",
        kind=Kind.REPLY,
        parent=first,
        minutes_ago=40,
        author_email="bob-secret@example.org",
    )
    other = make_comment(
        bread, "Chloé", text="Quelle belle idée de levain partagé.", language="fr", minutes_ago=30
    )
    # None of these belong in a feed:
    make_comment(velo, "Pending", text="Pas encore vu.", state=State.PENDING)
    make_comment(velo, "Spammer", text="Buy now.", state=State.SPAM)
    make_comment(velo, "Liker", text="", kind=Kind.LIKE)
    draft = make_post("Brouillon", status=Status.DRAFT)
    make_comment(draft, "Early", text="Sur un brouillon.")
    locked = make_post("Verrouillé", password="sésame")
    make_comment(locked, "Insider", text="Secret discussion.")
    return {"first": first, "reply": reply, "other": other, "locked": locked, **blog}


def authors(parsed):
    return [entry.author for entry in parsed.entries]


@pytest.mark.parametrize("url", xml_urls("/comments/feed/"))
def test_all_comments_feed_lists_approved_comments_and_replies(client, talk, url):
    """Newest first; pending, spam, likes, comments on drafts and on protected posts are out."""
    parsed = parse(client, url)
    assert authors(parsed) == ["Chloé", "Bob", "Ada"]
    for entry in parsed.entries:
        assert entry.title and entry.id and entry.updated_parsed and entry.summary
        assert entry.content[0].value


@pytest.mark.parametrize("url", xml_urls("/comments/feed/"))
def test_each_comment_has_its_language(client, talk, url):
    entries = {entry.author: entry for entry in parse(client, url).entries}
    assert entries["Ada"].content[0].language == "fr"
    assert entries["Bob"].content[0].language == "en"
    if url == "/comments/feed/":
        assert entries["Bob"].language == "en"


@pytest.mark.parametrize("url", xml_urls("/comments/feed/"))
def test_comment_items_link_to_the_comment_and_name_its_author(client, talk, url):
    entries = {entry.author: entry for entry in parse(client, url).entries}
    ada = entries["Ada"]
    permalink = settings.SITE_URL + talk["velo"].get_absolute_url()
    assert ada.link == f"{permalink}#response-{talk['first'].pk}"
    assert "Très juste, merci." in ada.content[0].value
    if url.endswith("atom/"):
        assert ada.author_detail.href == "https://ada.example/"


@pytest.mark.parametrize("url", [*all_urls("/comments/feed/"), "PER-POST"])
def test_commenters_e_mail_and_ip_never_appear(client, talk, url):
    if url == "PER-POST":
        url = talk["velo"].get_absolute_url() + "feed/atom/"
    body = client.get(url).content
    for secret in (b"ada-secret@example.org", b"bob-secret@example.org", b"192.0.2.7"):
        assert secret not in body


@pytest.mark.parametrize("fmt", ["", "atom/"])
def test_post_comment_feed_lists_that_posts_comments(client, talk, fmt):
    """<permalink>feed/ lists the post's approved comments only."""
    url = talk["velo"].get_absolute_url() + "feed/" + fmt
    parsed = parse(client, url)
    assert authors(parsed) == ["Bob", "Ada"]
    assert parsed.feed.language == "fr"  # the post's language
    assert "Le vélo en hiver" in parsed.feed.title


def test_a_reply_says_what_it_answers(client, talk):
    """JSON Feed (and Atom, through RFC 4685 thr:in-reply-to) point a reply to its parent."""
    items = parse_json(client, talk["velo"].get_absolute_url() + "feed/json/")["items"]
    by_author = {item["authors"][0]["name"]: item for item in items}
    assert by_author["Bob"]["_salon"]["in_reply_to"]["id"] == by_author["Ada"]["id"]
    assert by_author["Ada"]["_salon"]["in_reply_to"]["url"].endswith(
        talk["velo"].get_absolute_url()
    )
    from lxml import etree

    atom = etree.fromstring(client.get(talk["velo"].get_absolute_url() + "feed/atom/").content)
    ns = {"a": "http://www.w3.org/2005/Atom", "thr": "http://purl.org/syndication/thread/1.0"}
    refs = atom.xpath("//a:entry[a:author/a:name='Bob']/thr:in-reply-to/@ref", namespaces=ns)
    assert refs == [by_author["Ada"]["id"]]


def test_protected_posts_comment_feed_exists_but_lists_nothing(client, talk):
    url = talk["locked"].get_absolute_url() + "feed/"
    parsed = parse(client, url)
    assert parsed.entries == []
    assert b"Secret discussion" not in client.get(url + "atom/").content


def test_post_comment_feed_of_a_redated_post_redirects(client, talk):
    """Right slug, wrong date: the feed moved with the post (301), like the post's page."""
    post = talk["velo"]
    wrong = "/2001/01/01/" + post.slug + "/feed/atom/"
    response = client.get(wrong)
    assert response.status_code == 301
    assert response["Location"] == post.get_absolute_url() + "feed/atom/"


def test_post_comment_feed_of_a_missing_or_draft_post_is_a_404(client, talk):
    assert client.get("/2026/01/01/nothing-here/feed/").status_code == 404
    draft = talk["draft"]
    assert client.get(draft.get_absolute_url() + "feed/json/").status_code == 404


def test_comment_without_language_says_unknown_rather_than_inheriting(client, blog):
    """A comment whose language is unknown is marked xml:lang="" (no language), not
    silently given the feed's language."""
    from salon.conversations.models import Response

    comment = make_comment(blog["bread"], "Dan", text="👍👍", language="")
    Response.objects.filter(pk=comment.pk).update(language="")
    entry = parse(client, "/comments/feed/atom/").entries[0]
    assert entry.content[0].language in ("", None)
    assert "language" not in parse_json(client, "/comments/feed/json/")["items"][0]


def test_post_items_point_to_their_comment_feed(client, talk):
    """A post's item links its comment feed (Atom rel="replies", RSS wfw:commentRss), which
    answers; a protected post's item does not."""
    permalink = settings.SITE_URL + talk["velo"].get_absolute_url()
    atom = {e.title: e for e in parse(client, "/feed/atom/").entries}
    replies = [link.href for link in atom["Le vélo en hiver"].links if link.rel == "replies"]
    assert replies == [f"{permalink}feed/atom/"]
    assert not [link for link in atom["Verrouillé"].links if link.rel == "replies"]
    rss = {e.title: e for e in parse(client, "/feed/").entries}
    assert rss["Le vélo en hiver"].wfw_commentrss == f"{permalink}feed/"
    assert "wfw_commentrss" not in rss["Verrouillé"]
    assert authors(parse(client, replies[0].removeprefix(settings.SITE_URL))) == ["Bob", "Ada"]


@pytest.mark.parametrize("date", ["2026/13/45", "0000/00/00", "9999/12/31"])
def test_impossible_dates_never_give_a_500(client, talk, date):
    """An impossible or wrong date in a post's feed address redirects to the real one when
    the slug exists, and is a 404 otherwise."""
    response = client.get(f"/{date}/{talk['velo'].slug}/feed/json/")
    assert response.status_code == 301
    assert response["Location"] == talk["velo"].get_absolute_url() + "feed/json/"
    assert client.get(f"/{date}/no-such-post/feed/").status_code == 404
