"""A received reply is dated when its source says it was written (its ``dt-published``), in
the thread and in the comment feeds, when that date is believable; otherwise, and when the
source gives none, it is dated when it was received."""

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import feedparser
import pytest
from django.conf import settings
from django.utils import timezone
from lxml import html

from salon.blog.tests.factories import PostFactory
from salon.conversations.models import Response
from salon.feeds.feeds import post_feed_urls
from salon.webmention.models import ReceivedWebmention

from .test_verification import deliver

pytestmark = pytest.mark.django_db

POST_DATE = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _published_at_once(settings):
    settings.SALON_COMMENTS_MODERATION = "none"


@pytest.fixture
def post():
    return PostFactory(title="Cible", published_at=POST_DATE)


def reply_page(target, published=None):
    """A reply on another site; ``published`` is the text of its dt-published, if any."""
    time = (
        f'<time class="dt-published" datetime="{published}">{published}</time>'
        if published is not None
        else ""
    )
    return (
        '<!DOCTYPE html><html lang="en"><body><article class="h-entry">'
        '<a class="p-author h-card" href="https://sam.example/">Sam Lee</a>'
        f'<a class="u-in-reply-to" href="{target}">in reply to</a>{time}'
        '<div class="e-content">I read this and I reply from my own site.</div>'
        "</article></body></html>"
    )


def receive(client, django_capture_on_commit_callbacks, site, post, published, path="/reply"):
    target = settings.SITE_URL + post.get_absolute_url()
    source = site.page(path, reply_page(target, published))
    row = deliver(client, django_capture_on_commit_callbacks, source, target)
    return row, Response.objects.get(source_url=source)


def thread_date(client, post, response):
    page = html.fromstring(client.get(post.get_absolute_url()).content)
    value = page.cssselect(f"#response-{response.pk} time.dt-published")[0].get("datetime")
    return datetime.fromisoformat(value)


def feed_dates(client, post):
    """The reply's date in each comment feed (site-wide and the post's), RSS, Atom and JSON."""
    dates = {}
    for url in ["/comments/feed/", "/comments/feed/atom/", *post_feed_urls(post).values()]:
        path = urlsplit(url).path
        content = client.get(path).content
        if path.endswith("/json/"):
            items = json.loads(content)["items"]
            assert len(items) == 1, path
            dates[path] = datetime.fromisoformat(items[0]["date_published"])
            continue
        parsed = feedparser.parse(content)
        assert not parsed.bozo and len(parsed.entries) == 1, path
        dates[path] = datetime(*parsed.entries[0].published_parsed[:6], tzinfo=UTC)
    return dates


def test_reply_is_dated_by_its_sources_dt_published(
    client, django_capture_on_commit_callbacks, site, post
):
    """The thread and every comment feed show the source's date, not the arrival time; the
    received time stays on the Webmention."""
    row, response = receive(
        client, django_capture_on_commit_callbacks, site, post, "2026-03-02T18:30:00+01:00"
    )
    written = datetime(2026, 3, 2, 17, 30, tzinfo=UTC)
    assert response.created_at == written
    assert thread_date(client, post, response) == written
    dates = feed_dates(client, post)
    assert len(dates) == 5 and set(dates.values()) == {written}, dates
    assert timezone.now() - row.received_at < timedelta(minutes=1)


def test_a_date_without_offset_is_read_as_utc(
    client, django_capture_on_commit_callbacks, site, post
):
    _, response = receive(
        client, django_capture_on_commit_callbacks, site, post, "2026-03-04 08:15:00"
    )
    assert response.created_at == datetime(2026, 3, 4, 8, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    "published",
    [
        None,  # no date at all
        "not a date",
        "2026-13-45T10:00:00Z",  # looks like a date, is not one
        "2999-01-01T00:00:00Z",  # in the future, beyond a clock's skew
        "2026-02-20T00:00:00Z",  # days before the post it answers
    ],
)
def test_a_missing_or_unbelievable_date_falls_back_to_the_received_time(
    client, django_capture_on_commit_callbacks, site, post, published
):
    row, response = receive(client, django_capture_on_commit_callbacks, site, post, published)
    assert response.created_at == ReceivedWebmention.objects.get(pk=row.pk).received_at
    assert timezone.now() - response.created_at < timedelta(minutes=1)
    assert abs(thread_date(client, post, response) - response.created_at) < timedelta(seconds=1)
    for path, date in feed_dates(client, post).items():
        assert abs(date - response.created_at) < timedelta(seconds=1), path


def test_a_date_a_few_minutes_ahead_is_believed_as_now(
    client, django_capture_on_commit_callbacks, site, post
):
    """A writer's clock a little fast is common: the reply is dated now, not refused a date."""
    ahead = (timezone.now() + timedelta(minutes=3)).isoformat()
    _, response = receive(client, django_capture_on_commit_callbacks, site, post, ahead)
    assert timezone.now() - timedelta(minutes=1) < response.created_at <= timezone.now()


def test_an_edited_date_at_the_source_moves_the_reply(
    client, django_capture_on_commit_callbacks, site, post
):
    receive(client, django_capture_on_commit_callbacks, site, post, "2026-03-02T10:00:00Z")
    _, response = receive(
        client, django_capture_on_commit_callbacks, site, post, "2026-03-03T10:00:00Z"
    )
    assert response.created_at == datetime(2026, 3, 3, 10, 0, tzinfo=UTC)
    assert Response.objects.count() == 1
