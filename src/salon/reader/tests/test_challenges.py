"""Group challenges: participants found by discovery, their tagged posts within the dates, the
count against the goal, one river with its RSS and Atom feeds, an OPML file, and the author's
own posts taking part like anyone else's."""

from datetime import UTC, date, datetime

import feedparser
import pytest
from lxml import etree, html

from salon.blog.models import Status
from salon.blog.tests.factories import PostFactory
from salon.reader.models import Challenge, Participant, Subscription

from .server import FeedServer, sample

pytestmark = pytest.mark.django_db

SAM_PAGE = b"""<!DOCTYPE html><html lang="en"><head><title>Sam</title>
<link rel="alternate" type="application/atom+xml" href="/sam/feed.atom"></head><body></body></html>"""


@pytest.fixture
def blogs(feed_server):
    feed_server.serve("/lea/", sample("page.html"), content_type="text/html")
    feed_server.serve("/rss.xml", sample("rss.xml"))
    feed_server.serve("/atom.xml", sample("atom.xml"), content_type="application/atom+xml")
    feed_server.serve("/feed.json", sample("feed.json"), content_type="application/feed+json")
    feed_server.serve("/sam/", SAM_PAGE, content_type="text/html")
    feed_server.serve("/sam/feed.atom", sample("atom.xml"), content_type="application/atom+xml")
    # A blog of its own host, with no feed anywhere (the usual places are tried too).
    elsewhere = FeedServer().start()
    elsewhere.serve("/nobody/", sample("nofeed.html"), content_type="text/html")
    feed_server.nobody_url = elsewhere.url("/nobody/")
    yield feed_server
    elsewhere.stop()


@pytest.fixture
def challenge(blogs, django_capture_on_commit_callbacks):
    """#back2blog, 1-10 March 2024, goal 10; Léa (RSS), Sam (Atom), and a blog with no feed."""
    challenge = Challenge.objects.create(
        name="Back to blogging",
        language="en",
        tag="#back2blog",
        starts_on=date(2024, 3, 1),
        ends_on=date(2024, 3, 10),
        goal=10,
        description="Ten posts in ten days.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        for name, url in [
            ("Léa", blogs.url("/lea/")),
            ("Sam", blogs.url("/sam/")),
            ("Nobody", blogs.nobody_url),
        ]:
            Participant.objects.create(challenge=challenge, name=name, blog_url=url)
    return challenge


@pytest.fixture
def own_posts():
    """The author's posts: two take part (tag; #hashtag in the text), three do not."""
    at = lambda day, hour=12: datetime(2024, 3, day, hour, tzinfo=UTC)  # noqa: E731
    PostFactory(title="Mon premier billet du défi", published_at=at(2), tags=["back2blog"])
    PostFactory(
        title="Walking again",
        language="en",
        published_at=at(5),
        body="Day five of #back2blog, on foot.",
    )
    PostFactory(
        title="Before the challenge",
        published_at=datetime(2024, 2, 28, tzinfo=UTC),
        tags=["back2blog"],
    )
    PostFactory(title="Draft", status=Status.DRAFT, published_at=at(4), tags=["back2blog"])
    PostFactory(title="Other subject", published_at=at(6), tags=["cuisine"])


def _standings(response):
    tree = html.fromstring(response.content)
    return {
        item.xpath("string(.//h3/a)"): item.xpath("string(.//span[@class='score'])")
        for item in tree.xpath("//li[contains(@class,'participant')]")
    }


def test_participants_feeds_are_found_and_followed_quietly(challenge, blogs, staff_client):
    """Discovery finds each blog's feed; the feeds are read but stay out of the reader."""
    lea, nobody, sam = challenge.participants.order_by("name")
    assert lea.feed_url == blogs.url("/rss.xml")
    assert sam.subscription.feed_url == blogs.url("/sam/feed.atom")
    assert not Subscription.objects.filter(followed=True).exists()
    assert lea.subscription.entries.count() == 3
    assert nobody.subscription is None and nobody.discovery_error == "no_feed"
    river = html.fromstring(staff_client.get("/reader/?show=all").content)
    assert not river.xpath("//article[contains(@class,'reader-entry')]")


def test_the_page_counts_each_participant_against_the_goal(challenge, own_posts, client):
    """The author's own posts count like a participant's; tags, hashtags and dates decide."""
    response = client.get("/challenges/back-to-blogging/")
    assert response.status_code == 200
    assert _standings(response) == {"Salon": "2/10", "Léa": "3/10", "Nobody": "0/10", "Sam": "1/10"}
    tree = html.fromstring(response.content)
    author = tree.xpath("//li[contains(@class,'participant')]")[0]
    assert [a.text_content() for a in author.xpath(".//ul/li/a")] == [
        "Walking again",
        "Mon premier billet du défi",
    ]
    assert "cannot be read" in tree.xpath("//li[contains(@class,'participant')]")[2].text_content()


def test_the_river_is_newest_first_with_languages(challenge, own_posts, client):
    tree = html.fromstring(client.get("/challenges/back-to-blogging/").content)
    posts = tree.xpath("//section[@class='challenge-river']//article//h3/a")
    assert [(a.text_content(), a.get("lang")) for a in posts] == [
        ("Walking again", "en"),
        ("Day two: walking", "en"),
        ("Jour 3 : la boulangerie", "fr"),
        ("Mon premier billet du défi", "fr"),
        ("Jour 2 : le marché", "fr"),
        ("Jour 1 : on recommence", "fr"),
    ]
    assert tree.xpath("//h1/@lang") == ["en"]


def test_the_river_has_rss_and_atom_feeds(challenge, own_posts, client):
    """Both parse without errors, each item with its author and language."""
    page = html.fromstring(client.get("/challenges/back-to-blogging/").content)
    links = page.xpath("//head/link[@rel='alternate'][contains(@href,'/challenges/')]/@href")
    assert links == [
        "/challenges/back-to-blogging/feed/",
        "/challenges/back-to-blogging/feed/atom/",
    ]
    for url in links:
        parsed = feedparser.parse(client.get(url).content)
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert len(parsed.entries) == 6
        first = parsed.entries[0]
        assert first.title == "Walking again" and first.author == "Salon"
        assert first.link.endswith("/walking-again/")
        assert parsed.entries[1].link == "https://sam.example/day-two"
    atom = etree.fromstring(client.get(links[1]).content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    languages = [
        entry.get("{http://www.w3.org/XML/1998/namespace}lang")
        for entry in atom.findall("a:entry", ns)
    ]
    assert languages == ["en", "en", "fr", "fr", "fr", "fr"]
    rss = etree.fromstring(client.get(links[0]).content)
    assert rss.xpath(
        "//item[1]/dc:language/text()", namespaces={"dc": "http://purl.org/dc/elements/1.1/"}
    ) == ["en"]


def test_the_participants_opml(challenge, own_posts, client, blogs, settings):
    """One outline per participant, the author first with this blog's own feed when served."""
    from salon.reader.challenges import site_feed_url

    response = client.get("/challenges/back-to-blogging/participants.opml")
    outlines = etree.fromstring(response.content).findall("body/outline")
    assert [(o.get("text"), o.get("htmlUrl"), o.get("xmlUrl")) for o in outlines] == [
        ("Salon", settings.SITE_URL + "/", site_feed_url()),
        ("Léa", blogs.url("/lea/"), blogs.url("/rss.xml")),
        ("Nobody", blogs.nobody_url, None),
        ("Sam", blogs.url("/sam/"), blogs.url("/sam/feed.atom")),
    ]


def test_a_participant_whose_feed_moves_keeps_counting(challenge, blogs, client):
    """A 301 on a participant's feed updates both the feed and the participant."""
    from django.core.management import call_command

    blogs.serve("/moved.xml", sample("rss.xml"))
    blogs.redirect("/rss.xml", "/moved.xml", status=301)
    call_command("refresh-feeds", "--all")
    lea = challenge.participants.get(name="Léa")
    assert lea.feed_url == blogs.url("/moved.xml")
    assert _standings(client.get("/challenges/back-to-blogging/"))["Léa"] == "3/10"


def test_the_challenge_pages_never_fail(client, challenge):
    """Unknown challenges are 404; an empty challenge and the list answer."""
    Challenge.objects.create(
        name="Empty",
        language="fr",
        tag="vide",
        starts_on=date(2024, 1, 1),
        ends_on=date(2024, 1, 2),
    )
    assert client.get("/challenges/nope/").status_code == 404
    assert client.get("/challenges/nope/feed/").status_code == 404
    assert client.get("/challenges/nope/participants.opml").status_code == 404
    for url in [
        "/challenges/",
        "/challenges/empty/",
        "/challenges/empty/feed/",
        "/challenges/empty/feed/atom/",
        "/challenges/empty/participants.opml",
    ]:
        assert client.get(url).status_code == 200, url


def test_the_author_creates_a_challenge_in_the_admin(
    staff_client, blogs, django_capture_on_commit_callbacks
):
    """Name, tag, dates and participants (name and blog address) in one form."""
    data = {
        "name": "Dix jours",
        "slug": "dix-jours",
        "language": "fr",
        "description": "",
        "tag": "back2blog",
        "starts_on": "2024-03-01",
        "ends_on": "2024-03-10",
        "goal": "10",
        "author_takes_part": "on",
        "participants-TOTAL_FORMS": "1",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
        "participants-0-name": "Sam",
        "participants-0-blog_url": blogs.url("/sam/"),
        "participants-0-feed_url": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post("/admin/reader/challenge/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    sam = Participant.objects.get()
    assert sam.subscription.feed_url == blogs.url("/sam/feed.atom")
    page = staff_client.get(f"/admin/reader/challenge/{sam.challenge_id}/change/")
    assert page.status_code == 200
    data["ends_on"] = "2024-02-01"
    response = staff_client.post("/admin/reader/challenge/add/", dict(data, slug="autre"))
    assert response.status_code == 200
    assert "The last day cannot come before the first." in response.content.decode()
