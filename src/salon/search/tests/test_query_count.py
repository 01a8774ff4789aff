"""The search page costs the same number of queries however many posts match."""

import io

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salon.blog.models import Post, PostSummary, Series, Status, Tag
from salon.core import fragments

from .conftest import hit_titles, page


def count_queries(client, url):
    fragments.forget()  # the page rendered in full, nothing kept from the visit before
    with CaptureQueriesContext(connection) as queries:
        document = page(client.get(url))
    return len(queries), document


def add_posts(first, count):
    """Posts with tags, summaries and a series, written in bulk, then indexed."""
    series = Series.objects.get_or_create(title="Soupes de saison", slug="soupes")[0]
    kitchen = Tag.objects.get_or_create(name="cuisine")[0]
    posts = Post.objects.bulk_create(
        Post(
            title=f"Soupe {i}",
            slug=f"soupe-{i}",
            language="fr",
            body="Une soupe.",
            body_html="<p>Une soupe.</p>",
            status=Status.PUBLISHED,
            series=series,
            series_position=i + 1,
        )
        for i in range(first, first + count)
    )
    PostSummary.objects.bulk_create(
        PostSummary(post=post, language="en", text="Soup.") for post in posts
    )
    tags = Tag.objects.bulk_create(
        Tag(name=f"t{i}", slug=f"t{i}") for i in range(first, first + count)
    )
    Post.tags.through.objects.bulk_create(
        Post.tags.through(post=post, tag=tag)
        for post, own in zip(posts, tags, strict=True)
        for tag in (kitchen, own)
    )
    call_command("search", "rebuild", stdout=io.StringIO())


def test_query_count_does_not_grow_with_hits(client, settings, db):
    """One hit or a full page of hits (each with tags, summaries, a series), one query count."""
    settings.SALON_POSTS_PER_PAGE = 10
    add_posts(0, 1)
    few, document = count_queries(client, "/search/?q=soupe")
    assert len(hit_titles(document)) == 1
    add_posts(1, 24)
    many, document = count_queries(client, "/search/?q=soupe&tag=cuisine&lang=fr")
    assert len(hit_titles(document)) == 10
    assert many == few
    last_page, document = count_queries(client, "/search/?q=soupe&page=3")
    assert len(hit_titles(document)) == 5
    assert last_page == few


def test_the_same_search_again_reads_nothing_until_the_posts_change(client, settings, db):
    """A page of results is kept per generation, like a river's list: the same search again
    makes no query, and a post published (indexed after its commit) is found at once."""
    from django.test import TestCase

    from salon.blog.tests.factories import PostFactory

    settings.SALON_PAGE_CACHE_SECONDS = 0  # the whole page is not kept: its render is measured
    add_posts(0, 3)
    fragments.forget()
    url = "/search/?q=soupe"
    first = hit_titles(page(client.get(url)))
    assert len(first) == 3
    with CaptureQueriesContext(connection) as queries:
        again = page(client.get(url))
    assert not queries.captured_queries, [query["sql"] for query in queries.captured_queries]
    assert hit_titles(again) == first
    with TestCase.captureOnCommitCallbacks(execute=True):
        PostFactory(title="Soupe du soir", language="fr", body="Une soupe.")
    assert "Soupe du soir" in hit_titles(page(client.get(url)))
