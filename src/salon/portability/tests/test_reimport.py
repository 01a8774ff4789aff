"""Re-importing updates what the first import created; --dry-run writes nothing."""

import pytest

from salon.blog.models import Page, Post, PostSummary, Redirect, Tag
from salon.conversations.models import Response
from salon.portability.models import ImportedItem

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Post, Page, PostSummary, Tag, Redirect, Response, ImportedItem)
    }


def test_reimport_updates_and_never_duplicates(import_file):
    import_file("blog.wxr")
    before = counts()
    winter = Post.objects.get(slug="le-velo-en-hiver")
    winter.title = "Edited in Salon"
    winter.save()
    Response.objects.filter(author_name="Sam").update(content="edited")
    output = import_file("blog.wxr")
    assert counts() == before
    winter.refresh_from_db()
    assert winter.title == "Le vélo en hiver"
    assert not Response.objects.filter(content="edited").exists()
    assert "0 new, 4 updated" in output


def test_dry_run_reports_and_writes_nothing(import_file):
    Post.objects.create(title="Déjà là", language="fr", body="texte")
    before = counts()
    output = import_file("blog.wxr", "--dry-run")
    assert counts() == before
    assert "Dry run" in output and "nothing was written" in output
    lines = {
        line.split("│")[1].strip(): line.split("│")[2].strip()
        for line in output.splitlines()
        if line.count("│") >= 3
    }
    assert lines["posts"] == "4" and lines["comments"] == "5" and lines["pages"] == "2"
