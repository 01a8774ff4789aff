"""Fragments (salon.core.fragments) are exact: a change to what they show is seen at the next
visit, each river and interface language has its own, and nothing one visitor sees that is
theirs (a CSRF token, the form's signed time, a signed-in author's prefilled name) is shown
to another."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, TestCase
from django.utils import timezone

from salon.blog.models import PostSummary, Tag
from salon.blog.tests.factories import PageFactory, PostFactory
from salon.conversations.models import Response, State
from salon.pagecache.store import next_publication

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pages_rendered(settings):
    """The page cache off: the pages are rendered, from their fragments."""
    settings.SALON_PAGE_CACHE_SECONDS = 0


def committed():
    """The block's on-commit work (the blog's posts_changed, the purges) runs at its end."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def test_a_river_card_shows_a_change_to_its_post_at_the_next_visit(client):
    with committed():
        post = PostFactory(title="Le pain", language="fr")
    assert "Le pain" in client.get("/").content.decode()
    with committed():
        post.tags.add(Tag.objects.create(name="levain"))  # no save(): updated_at unchanged
    assert "levain" in client.get("/").content.decode()
    with committed():
        PostSummary.objects.create(post=post, language="en", text="About bread")
    assert "About bread" in client.get("/en/").content.decode()
    with committed():
        post.title = "Le pain au levain"
        post.save()
    assert "Le pain au levain" in client.get("/").content.decode()


def test_each_river_and_interface_language_has_its_own_card(client):
    with committed():
        post = PostFactory(title="Le pain", language="fr", body="Un long texte sur le pain.")
        PostSummary.objects.create(post=post, language="en", text="About bread")
    full = client.get("/fr/").content.decode()
    compact = client.get("/en/").content.decode()
    assert "Un long texte sur le pain." in full and "post-compact" not in full
    assert "post-compact" in compact and "Un long texte sur le pain." not in compact
    english = client.get("/fr/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    french = Client().get("/fr/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert re.search(r'<html lang="en"', english) and re.search(r'<html lang="fr"', french)
    assert "All posts" in english and "Tous les billets" in french


def test_an_approved_comment_is_shown_at_the_next_visit(client):
    with committed():
        post = PostFactory(title="Le pain", language="fr")
    assert "Ada" not in client.get(post.get_absolute_url()).content.decode()
    with committed():
        Response.objects.create(
            post=post, author_name="Ada", content="Merci.", language="fr", state=State.APPROVED
        )
    assert "Ada" in client.get(post.get_absolute_url()).content.decode()


def test_the_kept_comment_form_is_the_same_for_every_reader_and_takes_comments():
    with committed():
        post = PostFactory(title="Le pain", language="fr")
    first, second = Client(), Client()
    page_one = first.get(post.get_absolute_url()).content.decode()
    page_two = second.get(post.get_absolute_url()).content.decode()
    form_one = page_one[page_one.index('class="comment-form"') :]
    assert form_one == page_two[page_two.index('class="comment-form"') :]
    assert "csrfmiddlewaretoken" not in form_one
    assert 'name="shown"' in form_one and 'name="shown" value' not in form_one
    assert not first.cookies
    # A reader's browser says where the comment comes from; the script asked for the time.
    checking = Client(enforce_csrf_checks=True)
    checking.get(post.get_absolute_url())
    response = checking.post(
        f"/comments/post/{post.pk}/",
        {
            "shown": checking.get("/comments/shown/").json()["shown"],
            "name": "Ada",
            "email": "ada@example.org",
            "text": "Merci pour ce billet.",
        },
        headers={"Origin": "http://testserver"},
    )
    assert response.status_code == 303
    assert Response.objects.get().author_name == "Ada"


def test_a_signed_in_author_s_prefilled_form_is_never_shown_to_a_reader(client):
    with committed():
        post = PostFactory(title="Le pain", language="fr")
    user = get_user_model().objects.create_superuser("author", "secret-login@example.org", "pw")
    author = Client()
    author.force_login(user)
    assert "secret-login@example.org" in author.get(post.get_absolute_url()).content.decode()
    reader = client.get(post.get_absolute_url()).content.decode()
    assert "secret-login@example.org" not in reader
    author_again = author.get(post.get_absolute_url()).content.decode()
    assert "secret-login@example.org" in author_again


def test_the_next_scheduled_publication_is_known_so_fragments_end_with_it():
    """No event announces a scheduled post becoming public: every fragment is dropped at the
    moment of the earliest one (salon.core.fragments asks for it once per generation)."""
    assert next_publication() is None
    when = timezone.now() + timedelta(hours=3)
    PostFactory(published_at=when)
    PageFactory(published_at=when + timedelta(hours=1), slug="later")
    PostFactory(published_at=timezone.now() - timedelta(days=1))
    assert abs(next_publication() - when.timestamp()) < 0.01
