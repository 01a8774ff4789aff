"""Every public page and feed costs the same number of queries with N posts and comments as
with 3N: rendered from nothing (every fragment forgotten) and rendered again (the post cards,
similar lists, conversation and navigation kept as fragments, see salon.core.fragments)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salon.blog.models import Page, Post, PostSummary, Series, Status, Tag
from salon.conversations.models import Response, State
from salon.core import fragments
from salon.search.indexing import rebuild

pytestmark = pytest.mark.django_db

# Every post on one day (a day archive grows too), far from midnight in every time zone used.
DAY = datetime(2025, 6, 15, 12, tzinfo=UTC)

PAGES = [
    "/",
    "/fr/",
    "/en/",
    "POST",
    "/tag/commun/",
    "/series/suite/",
    "/2025/",
    "/2025/06/",
    "/2025/06/15/",
    "/a-propos/",
    "/search/?q=billet",
    "/sitemap.xml",
]
FEEDS = [
    f"{base}feed/{suffix}"
    for base in ("/", "/fr/", "/en/", "/comments/", "/tag/commun/", "/series/suite/", "POST")
    for suffix in ("", "atom/", "json/")
]


@pytest.fixture(autouse=True)
def rendered_every_time(settings):
    settings.SALON_PAGE_CACHE_SECONDS = 0


def grow(target, posts, comments):
    """Add posts (on DAY, tagged, in the series, with a summary) and comments on the target."""
    tag = Tag.objects.get_or_create(name="commun")[0]
    series = Series.objects.get_or_create(title="Suite", slug="suite")[0]
    start = Post.objects.count()
    for number in range(start, start + posts):
        language = "fr" if number % 3 else "en"
        post = Post.objects.create(
            title=f"Billet {number}",
            language=language,
            body=f"Un billet numéro {number}, sur le pain et la ville.",
            status=Status.PUBLISHED,
            published_at=DAY - timedelta(minutes=number + 1),
            series=series,
            series_position=number + 1,
        )
        PostSummary.objects.create(
            post=post, language="en" if language == "fr" else "fr", text=f"Summary {number}"
        )
        post.tags.add(tag)
    target = target or Post.objects.order_by("published_at").first()
    for number in range(comments):
        Response.objects.create(
            post=target,
            author_name=f"Lectrice {number}",
            content=f"Commentaire {number}",
            language="fr",
            state=State.APPROVED,
        )
    rebuild()
    return target


def counts(client, target):
    found = {}
    for url in PAGES + FEEDS:
        address = url.replace("POST", target.get_absolute_url())
        with CaptureQueriesContext(connection) as captured:
            response = client.get(address)
        assert response.status_code == 200, (address, response.status_code)
        found[url] = len(captured)
    return found


def test_no_page_or_feed_makes_more_queries_when_the_blog_grows(client):
    Page.objects.create(
        title="À propos",
        slug="a-propos",
        language="fr",
        body="Qui écrit ici.",
        status=Status.PUBLISHED,
        published_at=DAY,
        show_in_menu=True,
    )
    target = grow(None, posts=10, comments=5)
    fragments.forget()
    cold_few = counts(client, target)
    warm_few = counts(client, target)
    grow(target, posts=20, comments=10)
    fragments.forget()
    cold_many = counts(client, target)
    warm_many = counts(client, target)
    assert cold_few == cold_many
    assert warm_few == warm_many
    # Kept fragments save queries, never add any.
    assert all(warm_few[url] <= cold_few[url] for url in cold_few), (warm_few, cold_few)
