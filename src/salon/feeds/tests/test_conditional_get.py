"""Conditional GET: every feed sends ETag and Last-Modified, and answers 304 when the reader
already has the current version; any change that shows in the feed changes its ETag."""

from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils.http import http_date

from salon.blog.models import Post, PostSummary, Tag

from .helpers import make_comment, make_post

FEEDS = [
    "/feed/",
    "/feed/atom/",
    "/feed/json/",
    "/en/feed/",
    "/tag/ville/feed/atom/",
    "/series/marches/feed/json/",
    "/comments/feed/",
    "/comments/feed/json/",
]


@pytest.fixture
def blog(blog):
    make_comment(blog["velo"], "Ada", text="Un commentaire.")
    return blog


@pytest.mark.parametrize("url", FEEDS)
def test_same_etag_gets_304(client, blog, url):
    first = client.get(url)
    assert first.status_code == 200
    assert first["ETag"].startswith('"') and first["Last-Modified"]
    again = client.get(url)
    assert again["ETag"] == first["ETag"], "the body must not change between two requests"
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == first["ETag"]


@pytest.mark.parametrize("url", FEEDS)
def test_last_modified_gets_304(client, blog, url):
    first = client.get(url)
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_last_modified_is_the_newest_items_date(client, blog):
    response = client.get("/feed/")
    # Every post of the feed counts: the fixture's posts are saved one after the other, and
    # a later one may fall in the next second.
    newest = max(max(p.updated_at, p.published_at) for p in Post.objects.published())
    assert response["Last-Modified"] == http_date(int(newest.timestamp()))


def test_older_copy_gets_the_feed(client, blog):
    response = client.get("/feed/", HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT")
    assert response.status_code == 200
    assert response.content


def test_a_new_post_changes_etag_and_last_modified(client, blog):
    first = client.get("/feed/")
    # Committed as a real save is: the blog's posts_changed, after the commit, starts a new
    # generation of the kept lists and entries (salon.core.fragments).
    with TestCase.captureOnCommitCallbacks(execute=True):
        post = make_post("Tout neuf", days_ago=0)
    # Last-Modified counts whole seconds: make the change fall in a later one.
    Post.objects.filter(pk=post.pk).update(updated_at=post.updated_at + timedelta(seconds=2))
    after = client.get("/feed/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert client.get("/feed/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200


def test_renaming_a_tag_or_editing_a_summary_changes_the_etag(client, blog):
    """Changes that leave the posts' dates alone still change the ETag (it hashes the body)."""
    # Saved as the admin saves (the blog's posts_changed, after the commit, retires the kept
    # feed entries: salon.core.fragments), not through QuerySet.update(), which tells no one.
    etag = client.get("/feed/")["ETag"]
    tag = Tag.objects.get(name="ville")
    tag.name = "cité"
    with TestCase.captureOnCommitCallbacks(execute=True):
        tag.save()
    assert client.get("/feed/", HTTP_IF_NONE_MATCH=etag).status_code == 200
    etag = client.get("/feed/")["ETag"]
    summary = PostSummary.objects.filter(post=blog["velo"]).first()
    summary.text = "Winter cycling, rewritten."
    with TestCase.captureOnCommitCallbacks(execute=True):
        summary.save()
    assert client.get("/feed/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_new_comment_changes_the_comment_feeds(client, blog):
    url = blog["velo"].get_absolute_url() + "feed/"
    etags = {u: client.get(u)["ETag"] for u in (url, "/comments/feed/atom/")}
    make_comment(blog["velo"], "Ada", text="Nouveau commentaire.")
    for u, etag in etags.items():
        assert client.get(u, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_empty_feed_is_stable_too(client, db):
    """With no item, the feed's date is fixed, so two requests give the same ETag; with
    nothing dated, no Last-Modified is claimed."""
    first = client.get("/comments/feed/atom/")
    assert "Last-Modified" not in first
    assert client.get("/comments/feed/atom/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_feeds_only_answer_get_and_head(client, blog, method):
    assert getattr(client, method)("/feed/").status_code == 405
    assert client.head("/feed/").status_code == 200
