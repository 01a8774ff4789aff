"""The rivers: all posts, and one per language where other-language posts come as summaries."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from salon.blog.models import Status

from .factories import PostFactory

pytestmark = pytest.mark.django_db


def titles(tree):
    return [a.text_content().strip() for a in tree.cssselect("article .post-title a")]


def test_home_lists_published_posts_newest_first(client, parse):
    PostFactory(title="Older", published_at=timezone.now() - timedelta(days=3))
    PostFactory(title="Newer", published_at=timezone.now() - timedelta(days=1))
    PostFactory(title="A draft", status=Status.DRAFT)
    PostFactory(
        title="Later", status=Status.SCHEDULED, published_at=timezone.now() + timedelta(days=2)
    )
    tree = parse(client.get("/"))
    assert titles(tree) == ["Newer", "Older"]


def test_scheduled_post_appears_when_due(client, parse, django_capture_on_commit_callbacks):
    post = PostFactory(
        title="Due now", status=Status.SCHEDULED, published_at=timezone.now() + timedelta(hours=1)
    )
    assert "Due now" not in titles(parse(client.get("/")))
    with django_capture_on_commit_callbacks(execute=True):  # a committed edit
        post.published_at = timezone.now() - timedelta(seconds=1)
        post.save()
    assert "Due now" in titles(parse(client.get("/")))


@override_settings(SALON_POSTS_PER_PAGE=2)
def test_rivers_are_paginated_and_bad_pages_are_404(client, parse):
    for n in range(5):
        PostFactory(title=f"P{n}")
    assert titles(parse(client.get("/"))) == ["P0", "P1"]
    assert titles(parse(client.get("/?page=3"))) == ["P4"]
    assert client.get("/?page=9").status_code == 404
    assert client.get("/?page=abc").status_code == 404


def test_language_river_shows_other_languages_through_their_summary(client, parse):
    PostFactory(
        title="Le vélo en hiver",
        language="fr",
        body="Texte français complet.",
        summaries={"en": "Cycling through the winter."},
    )
    PostFactory(
        title="Sourdough notes",
        language="en",
        body="Full English text.",
        summaries={"fr": "Carnet de levain."},
    )
    PostFactory(title="Sans résumé", language="fr", body="Pas de résumé ici.")
    tree = parse(client.get("/en/"))

    french = tree.xpath("//article[.//a[text()='Le vélo en hiver']]")[0]
    assert french.get("lang") == "fr"
    assert "post-compact" in french.get("class")
    summary = french.cssselect(".p-summary")[0]
    assert summary.get("lang") == "en"
    assert summary.text_content().strip() == "Cycling through the winter."
    assert not french.cssselect(".e-content"), "the French body is not shown in the English river"
    assert french.cssselect(".language-marker")[0].text_content() == "[fr]"

    english = tree.xpath("//article[.//a[text()='Sourdough notes']]")[0]
    assert english.get("lang") == "en"
    assert english.cssselect(".e-content")[0].text_content().strip() == "Full English text."

    bare = tree.xpath("//article[.//a[text()='Sans résumé']]")[0]
    assert not bare.cssselect(".p-summary"), "no summary in English: title and marker alone"
    assert bare.cssselect(".language-marker")[0].text_content() == "[fr]"


def test_every_configured_language_has_a_river_and_others_do_not(client):
    assert client.get("/fr/").status_code == 200
    assert client.get("/en/").status_code == 200
    assert client.get("/de/").status_code == 404
    with override_settings(SALON_LANGUAGES=["fr", "en", "de"]):
        assert client.get("/de/").status_code == 200


def test_home_shows_summaries_with_their_language(client, parse):
    PostFactory(title="Titre", language="fr", summaries={"en": "In English."})
    tree = parse(client.get("/"))
    article = tree.cssselect("article.h-entry")[0]
    assert article.get("lang") == "fr"
    assert article.cssselect(".p-summary")[0].get("lang") == "en"


def test_tag_page_lists_only_tagged_posts(client, parse):
    PostFactory(title="Tagged", tags=["écriture"])
    PostFactory(title="Untagged")
    response = client.get("/tag/ecriture/")
    assert titles(parse(response)) == ["Tagged"]
    assert client.get("/tag/unknown/").status_code == 404
