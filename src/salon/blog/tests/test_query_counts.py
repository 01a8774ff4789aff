"""Pages cost a constant number of SQL queries, whatever the number of posts."""

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from salon.blog.models import Series, Status, Tag
from salon.core import fragments

from .factories import PostFactory, SeriesFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rendered_every_time(settings):
    """What a page costs to render is measured here, so no page is kept: a kept page costs no
    query at all (the page cache's own tests check that), and the posts added between two
    visits are never committed, so the blog's posts_changed, which purges, is not sent."""
    settings.SALON_PAGE_CACHE_SECONDS = 0


def make_posts(count):
    tags = [TagFactory(name="shared"), TagFactory(name="other")]
    series = SeriesFactory(title="Long series")
    posts = []
    for n in range(count):
        posts.append(
            PostFactory(
                language="fr" if n % 3 else "en",
                tags=tags,
                summaries={"en" if n % 3 else "fr": f"Summary {n}"},
                series=series if n % 2 else None,
                series_position=n if n % 2 else None,
            )
        )
    PostFactory(status=Status.DRAFT)
    return posts


def queries_for(client, url):
    # The worst case: every fragment (post cards, similar lists…) rendered anew.
    fragments.forget()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "url_of",
    [
        lambda posts: "/",
        lambda posts: "/en/",
        lambda posts: "/fr/",
        lambda posts: "/tag/shared/",
        lambda posts: posts[5].get_absolute_url(),
        lambda posts: posts[6].get_absolute_url(),
    ],
    ids=["home", "english river", "french river", "tag", "post", "post in a series"],
)
def test_query_count_does_not_grow_with_posts(client, url_of):
    posts = make_posts(10)
    few = queries_for(client, url_of(posts))
    make_posts(190)
    many = queries_for(client, url_of(posts))
    assert few == many, f"{few} queries with 10 posts, {many} with 200"


@pytest.mark.parametrize("url", ["/", "/fr/"], ids=["home", "french river"])
def test_a_river_page_reads_an_index_in_order_instead_of_sorting_the_blog(client, url):
    """The page's queries walk a river index and stop after a page: none sorts the public
    posts (a sort reads every one of them, whatever the page shows). SQLite's plans are stable
    without statistics; PostgreSQL's depend on them, so the check runs on SQLite."""
    if connection.vendor != "sqlite":
        pytest.skip("query plans are checked on SQLite")
    make_posts(30)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    river = [
        q["sql"]
        for q in context.captured_queries
        if 'FROM "blog_post"' in q["sql"] and "ORDER BY" in q["sql"]
    ]
    assert river, "no river query seen"
    with connection.cursor() as cursor:
        for sql in river:
            # The captured SQL has its parameters inlined; plan it as the page did.
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plan = " | ".join(row[-1] for row in cursor.fetchall())
            assert "river_idx" in plan and "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize(
    "url",
    ["/", "/fr/", "/tag/shared/", "/series/long-series/", "/feed/", "/fr/feed/atom/", "post"],
)
def test_a_page_whose_list_and_cards_are_kept_reads_nothing_until_the_posts_change(client, url):
    """Which posts a river or feed page lists is kept per generation, like its cards (and the
    tag or series it is about, and a post's page its post): a second visit makes no query at
    all, and a post saved (its posts_changed sent after the commit, as every save does) shows
    at the next visit."""
    posts = make_posts(12)
    post_page = url == "post"
    url = posts[5].get_absolute_url() if post_page else url
    fragments.forget()
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    assert not context.captured_queries, [q["sql"] for q in context.captured_queries]
    with TestCase.captureOnCommitCallbacks(execute=True):
        if post_page:
            posts[5].title = "Tout juste écrit"
            posts[5].save()
        else:
            PostFactory(
                title="Tout juste écrit",
                language="fr",
                tags=list(Tag.objects.all()),
                published_at=timezone.now(),
                series=Series.objects.get(),
                series_position=0,
            )
    assert "Tout juste écrit" in client.get(url).content.decode()
