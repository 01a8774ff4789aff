"""A feed costs a constant number of queries, whatever the number of items."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salon.blog.models import Post, Series
from salon.conversations.models import Kind

from .helpers import make_comment, make_post

URLS = [
    "/feed/",
    "/feed/atom/",
    "/feed/json/",
    "/fr/feed/",
    "/tag/commun/feed/",
    "/series/suite/feed/atom/",
    "/comments/feed/",
    "POST/feed/json/",
]


def populate(count):
    Post.objects.all().delete()  # responses go with their posts
    series = Series.objects.get_or_create(title="Suite", slug="suite")[0]
    posts = []
    for number in range(count):
        post = make_post(
            f"Billet {number}",
            "fr" if number % 2 else "en",
            days_ago=number + 1,
            summaries={"en": f"Summary {number}"} if number % 2 else {"fr": f"Résumé {number}"},
            tags=["commun", f"tag-{number}"],
            series=series,
            position=number + 1,
        )
        posts.append(post)
    target = posts[0]
    parent = None
    for number in range(count):
        parent = make_comment(
            target,
            f"Lecteur {number}",
            text=f"Commentaire {number}",
            kind=Kind.REPLY if parent else Kind.COMMENT,
            parent=parent,
            minutes_ago=count - number,
        )
    return target


def queries_for(client, target):
    counts = {}
    for url in URLS:
        url = url.replace("POST/", target.get_absolute_url())
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts[url.replace(target.get_absolute_url(), "POST/")] = len(captured)
    return counts


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_items(client):
    few = queries_for(client, populate(2))
    many = queries_for(client, populate(25))
    assert few == many
    assert max(few.values()) <= 4, few
