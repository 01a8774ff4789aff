"""Following another running Salon: a real instance (bootstrapped with its demo blog, its own
data dir and SQLite database) served by `salon runserver` on a free port in a subprocess."""

from datetime import timedelta

import httpx
import pytest
from django.core.management import call_command
from django.utils import timezone
from lxml import html

from salon import testing
from salon.reader.models import Challenge, Discovery, Participant, SubscriptionState

from .live import start_in_background

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def other_salon():
    """The base URL of another Salon instance, with the demo blog (see live.py)."""
    instance = start_in_background().wait()
    testing.require(
        not instance.problem,
        f"the other Salon could not run from this working tree ({instance.problem})",
        "it is started with the `salon` command beside this Python: install the project in "
        "the virtualenv (pip install -e .) to run this test",
    )
    yield instance.base
    instance.stop()


def _home_titles(base):
    """The post titles the other Salon shows on its home page."""
    page = html.fromstring(httpx.get(base + "/", timeout=10).content)
    return {
        a.text_content().strip()
        for a in page.xpath(
            "//article[contains(@class,'h-entry')]//h2[contains(@class,'post-title')]/a"
        )
    }


def test_its_home_page_announces_feeds_that_discovery_finds(
    other_salon, staff_client, django_capture_on_commit_callbacks
):
    page = html.fromstring(httpx.get(other_salon + "/", timeout=10).content)
    assert page.xpath("//link[@rel='alternate'][contains(@type,'xml') or contains(@type,'json')]")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post("/reader/follow/", {"url": other_salon + "/"})
    found = Discovery.objects.get()
    assert found.state == "done", (found.error_code, found.error)
    urls = [feed["url"] for feed in found.feeds]
    assert other_salon + "/feed/atom/" in urls
    assert all(feed["title"] for feed in found.feeds)


def test_following_its_atom_feed(other_salon, follow):
    """Its Atom feed is read: the home page's posts are there, each with its language, and
    a second refresh costs a 304 when the feed offers validators."""
    probe = httpx.get(other_salon + "/feed/atom/", timeout=10)
    assert probe.status_code == 200
    sub = follow(other_salon + "/feed/atom/")
    call_command("refresh-feeds", "--all")
    sub.refresh_from_db()
    assert sub.state == SubscriptionState.OK, (sub.last_error_code, sub.last_error)
    assert sub.kind == "atom"
    titles = set(sub.entries.values_list("title", flat=True))
    assert _home_titles(other_salon) <= titles
    languages = set(sub.entries.values_list("language", flat=True))
    assert {"fr", "en"} <= languages and languages <= {"fr", "en"}
    count = sub.entries.count()
    call_command("refresh-feeds", "--all")
    sub.refresh_from_db()
    assert sub.entries.count() == count
    if probe.headers.get("etag") or probe.headers.get("last-modified"):
        assert sub.etag or sub.last_modified


def test_it_takes_part_in_a_challenge(other_salon, client, django_capture_on_commit_callbacks):
    """Its #back2blog posts count on our challenge page, as many as its own tag page lists."""
    today = timezone.localdate()
    challenge = Challenge.objects.create(
        name="Back to blogging",
        language="en",
        tag="back2blog",
        starts_on=today - timedelta(days=60),
        ends_on=today,
        goal=10,
        author_takes_part=False,
    )
    with django_capture_on_commit_callbacks(execute=True):
        participant = Participant.objects.create(
            challenge=challenge, name="Other Salon", blog_url=other_salon + "/"
        )
    participant.refresh_from_db()
    assert participant.subscription is not None, (
        participant.discovery_error,
        participant.discovery_detail,
    )
    tag_page = html.fromstring(httpx.get(other_salon + "/tag/back2blog/", timeout=10).content)
    expected = len(tag_page.xpath("//article[contains(@class,'h-entry')]"))
    assert expected >= 3
    page = html.fromstring(client.get(challenge.get_absolute_url()).content)
    assert page.xpath("string(//li[contains(@class,'participant')]//span[@class='score'])") == (
        f"{expected}/10"
    )
