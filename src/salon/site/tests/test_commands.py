"""`salon bootstrap` and `salon load-demo`: a fresh site gets demo content and one admin login."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from salon.blog.models import Page, Post, PostSummary, Series
from salon.conversations.models import Response

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_bootstrap_loads_the_demo_and_prints_the_admin_login_once(client):
    first = run("bootstrap")
    assert "password:" in first
    password = first.split("password:")[1].split()[0]
    # The sign-in throttle (django-axes) counts attempts by request: the login is given one.
    assert client.login(request=RequestFactory().get("/"), username="admin", password=password)
    assert Post.objects.count() >= 6
    second = run("bootstrap")
    assert "password" not in second, "the login is printed only once"
    assert get_user_model().objects.count() == 1
    assert Post.objects.count() == Post.objects.values("slug").distinct().count()


def test_demo_shows_every_feature():
    """Both languages, summaries, a series, a republished column, a translation pair, tags,
    pages in both languages."""
    run("bootstrap")
    public = Post.objects.published()
    assert {"fr", "en"} <= set(public.values_list("language", flat=True))
    assert PostSummary.objects.filter(language="en").exists()
    assert PostSummary.objects.filter(language="fr").exists()
    assert Series.objects.get(slug="back2blog").posts.count() >= 3
    assert public.exclude(source_url="").exists()
    keys = list(public.values_list("translation_key", flat=True))
    assert any(keys.count(key) == 2 for key in keys), "a translation pair"
    assert public.filter(tags__isnull=False).exists()
    assert set(Page.objects.values_list("language", flat=True)) == {"fr", "en"}
    # Conversations in both languages, a thread, a like, and one comment to moderate.
    shown = Response.objects.approved()
    assert {"fr", "en"} <= set(shown.values_list("language", flat=True))
    assert shown.filter(parent__isnull=False).exists()
    assert shown.filter(kind="like", origin="webmention").exists()
    assert Response.objects.pending().count() == 1
    french_under_english = shown.filter(language="fr", post__language="en")
    assert french_under_english.exists(), "a French comment under an English post"


def test_bootstrap_leaves_an_existing_blog_alone():
    Post.objects.create(title="Mine", language="fr", status="published")
    run("bootstrap", "--no-demo")
    run("bootstrap")
    assert list(Post.objects.values_list("title", flat=True)) == ["Mine"]


def test_load_demo_refuses_to_mix_with_existing_posts():
    Post.objects.create(title="Mine", language="fr")
    with pytest.raises(CommandError, match="already has posts"):
        run("load-demo")


def test_demo_pages_render(client):
    run("bootstrap")
    for url in ["/", "/fr/", "/en/", "/about/", "/a-propos/", "/series/back2blog/"]:
        assert client.get(url).status_code == 200, url
    for post in Post.objects.published():
        assert client.get(post.get_absolute_url()).status_code == 200, post
    velo = client.get(Post.objects.get(title="Le vélo en hiver").get_absolute_url())
    assert "garde-boue" in velo.content.decode() and "Hamburg" in velo.content.decode()


def test_demo_has_pictures_with_alt_text_credit_and_licence(client):
    """The demo shows covers and a figure drawn by Salon itself: each described, credited and
    licensed, small, and served."""
    run("bootstrap")
    covered = Post.objects.published().exclude(cover_image="")
    assert covered.count() >= 2
    for post in covered:
        assert post.cover_alt and post.cover_credit and post.cover_licence, post
        assert post.cover_image.size < 50_000
        assert client.get(post.cover_url).status_code == 200
        page = client.get(post.get_absolute_url()).content.decode()
        assert f'src="{post.cover_url}"' in page and post.cover_licence in page
    figure = Post.objects.get(title="Sourdough notes from a shared kitchen")
    assert "<figure>" in figure.body_html and "<figcaption>" in figure.body_html
