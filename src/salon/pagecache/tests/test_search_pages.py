"""Search results are kept like pages: one entry per query and filters, served without the
database, and never stale: the index changing (after the blog's event, in a task) purges them."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from salon.blog.tests.factories import PostFactory
from salon.pagecache.middleware import HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.SALON_PAGE_CACHE_SECONDS = 600


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def search(query):
    response = Client().get("/search/", {"q": query})
    assert response.status_code == 200
    return response


def test_a_search_is_kept_and_served_again_without_the_database(committed):
    with committed():
        PostFactory(title="Le jardin en hiver", language="fr", body="Un jardin sous la neige.")
    assert search("jardin")[HEADER] == "miss"
    with CaptureQueriesContext(connection) as queries:
        again = search("jardin")
    assert again[HEADER] == "hit" and len(queries) == 0
    assert "en hiver" in again.content.decode()
    # The same search with its parameters in another order or an empty filter: one entry.
    assert Client().get("/search/?tag=&q=jardin")[HEADER] == "hit"
    # Another query, another entry.
    assert search("neige")[HEADER] == "miss"


def test_a_new_post_is_found_at_once(committed):
    with committed():
        PostFactory(title="Le jardin en hiver", language="fr", body="Un jardin sous la neige.")
    assert "au printemps" not in search("jardin").content.decode()
    with committed():
        PostFactory(title="Le jardin au printemps", language="fr", body="Le jardin fleurit.")
    found = search("jardin")
    assert found[HEADER] == "miss"
    assert "au printemps" in found.content.decode()


def test_a_purge_before_the_index_changed_is_not_enough(committed):
    """The index is written by a task after the blog's event: results kept in between (from
    the old index) are purged again when the task has written it."""
    from salon.search import index_post

    post = PostFactory(title="Le verger", language="fr", body="Des pommes.")
    search("verger")  # kept, from whatever the index held then
    post.title = "Le verger en fleurs"
    post.save()  # outside a committed block: the blog's event (and its purge) waits
    stale = search("verger")
    assert stale[HEADER] == "hit"
    with committed():  # only the index's own signal: the blog's event was not committed
        index_post(post.pk)  # what the worker's task does
    assert "en fleurs" in search("verger").content.decode()


def test_odd_query_strings_are_not_kept():
    for query in ("q=a&q=b", "q=a&utm_source=x", "page=x&q=a", "q=" + "a" * 400):
        assert HEADER not in Client().get(f"/search/?{query}")
