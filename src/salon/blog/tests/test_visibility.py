"""Visibility: an unlisted post opens by its link and is found nowhere else; a private post is
for the signed-in author alone. Every list readers see leaves both out."""

import feedparser
import pytest
from django.core.management import call_command
from django.test import TestCase

from salon.blog.models import Post, Visibility
from salon.similar.index import rebuild, similar_posts

from .factories import PostFactory, TagFactory

WORDS = "Le jardin partagé du quartier fleurit encore en novembre, entre les tomates."


@pytest.fixture
def posts(db):
    tag = TagFactory(name="jardin")
    with TestCase.captureOnCommitCallbacks(execute=True):
        shown = PostFactory(title="Un billet public", body=WORDS, tags=[tag])
        unlisted = PostFactory(
            title="Un billet non listé", body=WORDS, tags=[tag], visibility=Visibility.UNLISTED
        )
        private = PostFactory(
            title="Un billet privé", body=WORDS, tags=[tag], visibility=Visibility.PRIVATE
        )
    return shown, unlisted, private


def listed_everywhere(client, post):
    """Where the title of ``post`` shows in the lists readers browse."""
    local = post.published_at
    places = {
        "home": "/",
        "river": "/fr/",
        "tag": "/tag/jardin/",
        "archive": f"/{local.year:04d}/",
        "search": "/search/?q=jardin",
    }
    found = [
        name for name, path in places.items() if post.title in client.get(path).content.decode()
    ]
    feed = feedparser.parse(client.get("/feed/").content)
    if any(entry.title == post.title for entry in feed.entries):
        found.append("feed")
    if post.get_absolute_url() in client.get("/sitemap.xml").content.decode():
        found.append("sitemap")
    return found


@pytest.mark.django_db
def test_a_public_post_is_listed_everywhere(client, posts):
    shown, _unlisted, _private = posts
    assert listed_everywhere(client, shown) == [
        "home",
        "river",
        "tag",
        "archive",
        "search",
        "feed",
        "sitemap",
    ]


@pytest.mark.django_db
def test_an_unlisted_post_opens_by_its_link_and_is_found_nowhere_else(client, posts):
    shown, unlisted, _private = posts
    page = client.get(unlisted.get_absolute_url())
    assert page.status_code == 200
    assert '<meta name="robots" content="noindex">' in page.content.decode()
    assert listed_everywhere(client, unlisted) == []
    assert unlisted in Post.objects.published() and unlisted not in Post.objects.listed()
    rebuild()
    assert unlisted.pk not in [hit.pk for hit in similar_posts(shown, "fr")]


@pytest.mark.django_db
def test_a_private_post_is_for_the_author_alone(client, admin_client, posts):
    _shown, _unlisted, private = posts
    assert client.get(private.get_absolute_url()).status_code == 404
    assert listed_everywhere(client, private) == []
    assert private not in Post.objects.published()
    page = admin_client.get(private.get_absolute_url())
    assert page.status_code == 200 and "only you can see this post" in page.content.decode()


@pytest.mark.django_db
def test_making_a_post_unlisted_takes_it_out_of_search_and_lists(client, posts):
    shown, _unlisted, _private = posts
    with TestCase.captureOnCommitCallbacks(execute=True):
        shown.visibility = Visibility.UNLISTED
        shown.save()
    assert listed_everywhere(client, shown) == []
    call_command("search", "rebuild", verbosity=0)
    assert shown.title not in client.get("/search/?q=jardin").content.decode()


@pytest.mark.django_db
def test_the_author_sets_visibility_and_password_in_the_admin(client, admin_client, posts):
    shown, _unlisted, _private = posts
    form = admin_client.get(f"/admin/blog/post/{shown.pk}/change/").content.decode()
    assert 'name="visibility"' in form and 'name="password"' in form
    Post.objects.filter(pk=shown.pk).update(password="sésame")
    page = client.get(shown.get_absolute_url()).content.decode()
    assert 'name="post_password"' in page and WORDS not in page
