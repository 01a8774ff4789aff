"""`salon export-json` writes one documented JSON document of the whole site."""

import json

import pytest

from salon.blog.demo import load_demo
from salon.blog.models import Page, Post, Redirect, Tag
from salon.conversations.models import Response, State

pytestmark = pytest.mark.django_db


def test_the_documented_shape(run_command, tmp_path):
    load_demo()
    post = Post.objects.filter(language="fr").first()
    comment = Response.objects.create(
        post=post, author_name="Sam", content="Bravo", state=State.APPROVED
    )
    Response.objects.create(post=post, parent=comment, author_name="Léa", content="Merci")
    Redirect.objects.create(old_path="/?p=4", post=post)
    run_command("export-json", "-o", tmp_path / "site.json")
    data = json.loads((tmp_path / "site.json").read_text())
    assert (data["format"], data["version"]) == ("salon-export", 2)
    assert set(data) == {
        "format",
        "version",
        "exported_at",
        "site",
        "tags",
        "series",
        "posts",
        "pages",
        "redirects",
        "subscribers",
        "followers",
    }
    assert data["site"]["languages"] == ["fr", "en"]
    assert len(data["posts"]) == Post.objects.count() and len(data["pages"]) == Page.objects.count()
    assert {t["slug"] for t in data["tags"]} == set(Tag.objects.values_list("slug", flat=True))
    exported = next(p for p in data["posts"] if p["id"] == post.pk)
    assert set(exported) >= {
        "title",
        "slug",
        "url",
        "language",
        "status",
        "published_at",
        "summaries",
        "body",
        "body_html",
        "tags",
        "series",
        "responses",
        "translation_key",
    }
    assert exported["language"] == "fr" and exported["url"].endswith(post.get_absolute_url())
    assert exported["summaries"] == {s.language: s.text for s in post.summaries.all()}
    reply = next(r for r in exported["responses"] if r["author"]["name"] == "Léa")
    assert reply["parent"] == comment.pk
    assert {
        "old_path": "/?p=4",
        "target": post.get_absolute_url(),
        "post": post.pk,
        "page": None,
        "new_path": "",
    } in data["redirects"]


def test_an_empty_site_is_still_a_document(run_command, tmp_path):
    run_command("export-json", "-o", tmp_path / "empty.json")
    data = json.loads((tmp_path / "empty.json").read_text())
    assert data["posts"] == [] and data["pages"] == [] and data["redirects"] == []


def test_an_unwritable_output_is_refused(run_command, tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Cannot write"):
        run_command("export-json", "-o", tmp_path / "missing" / "site.json")
