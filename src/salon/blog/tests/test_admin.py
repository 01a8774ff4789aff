"""Writing in the admin: summaries inline, language per post, slugs, preview, clear errors."""

import pytest
from django.utils import timezone

from salon.blog.models import Post

from .factories import PostFactory

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/blog/post/add/"


def post_form(**overrides):
    # Five minutes ago, date and time alike (a date from now and a time from then made a
    # moment in the future during the first five minutes of each day).
    earlier = timezone.localtime() - timezone.timedelta(minutes=5)
    data = {
        "title": "Été à Montréal",
        "slug": "",
        "language": "fr",
        "body_format": "markdown",
        "body": "Un *texte*.",
        "status": "published",
        "visibility": "public",
        "published_at_0": earlier.strftime("%Y-%m-%d"),
        "published_at_1": earlier.strftime("%H:%M:%S"),
        "comments_open": "on",
        "summaries-TOTAL_FORMS": "1",
        "summaries-INITIAL_FORMS": "0",
        "summaries-MIN_NUM_FORMS": "0",
        "summaries-MAX_NUM_FORMS": "1000",
        "summaries-0-language": "en",
        "summaries-0-text": "Summer in Montreal.",
    }
    data.update(overrides)
    return data


def test_add_post_with_summary_and_generated_slug(admin_client):
    response = admin_client.post(ADD_URL, post_form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    post = Post.objects.get()
    assert post.slug == "ete-a-montreal"
    assert post.language == "fr"
    assert [(s.language, s.text) for s in post.summaries.all()] == [("en", "Summer in Montreal.")]


def test_language_is_a_choice_of_configured_languages(admin_client):
    response = admin_client.post(ADD_URL, post_form(language="de"))
    assert response.status_code == 200
    assert "language" in response.context["adminform"].form.errors
    assert not Post.objects.exists()


def test_summary_in_the_posts_own_language_is_refused_clearly(admin_client):
    response = admin_client.post(ADD_URL, post_form(**{"summaries-0-language": "fr"}))
    assert response.status_code == 200
    errors = str(response.context["inline_admin_formsets"][0].formset.errors)
    assert "another language" in errors
    assert not Post.objects.exists()


def test_future_date_needs_scheduled_status(admin_client):
    later = timezone.localtime() + timezone.timedelta(days=3)
    data = post_form(published_at_0=later.strftime("%Y-%m-%d"))
    response = admin_client.post(ADD_URL, data)
    assert "Scheduled" in str(response.context["adminform"].form.errors["status"])
    data["status"] = "scheduled"
    assert admin_client.post(ADD_URL, data).status_code == 302


def test_translation_of_links_two_posts(admin_client):
    english = PostFactory(title="Why two languages", language="en")
    response = admin_client.post(
        ADD_URL, post_form(translation_of=english.pk, **{"summaries-TOTAL_FORMS": "0"})
    )
    assert response.status_code == 302
    french = Post.objects.get(language="fr")
    assert french.translation_key == english.translation_key
    assert list(french.get_translations()) == [english]


def test_translation_in_the_same_language_is_refused(admin_client):
    other = PostFactory(language="fr")
    response = admin_client.post(ADD_URL, post_form(translation_of=other.pk))
    assert "translation_of" in response.context["adminform"].form.errors


def test_series_position_without_series_is_explained(admin_client):
    response = admin_client.post(ADD_URL, post_form(series_position="3"))
    assert "series" in response.context["adminform"].form.errors


def test_markdown_preview_renders_like_the_site(admin_client, client):
    response = admin_client.post("/admin/blog/post/preview/", {"body": "# Title\n\n*hi*"})
    assert response.json()["html"] == "<h1>Title</h1>\n<p><em>hi</em></p>\n"
    # Readers cannot use it.
    assert client.post("/admin/blog/post/preview/", {"body": "x"}).status_code == 302


def test_change_form_loads_with_preview_script(admin_client):
    post = PostFactory()
    response = admin_client.get(f"/admin/blog/post/{post.pk}/change/")
    assert response.status_code == 200
    assert b"admin_preview.js" in response.content
