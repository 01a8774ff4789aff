"""Visibility crosses the doors: WordPress's private posts stay private (published for the
author alone, not drafts), exports say so, and the JSON export round-trips it."""

import json

import pytest
from django.core.management import call_command
from lxml import etree

from salon.blog.models import Post, Status, Visibility
from salon.blog.tests.factories import PostFactory

WP = "http://wordpress.org/export/1.2/"


@pytest.mark.django_db
def test_exports_keep_visibility_and_json_round_trips_it(tmp_path):
    private = PostFactory(title="Privé", visibility=Visibility.PRIVATE)
    unlisted = PostFactory(title="Non listé", visibility=Visibility.UNLISTED)
    wxr = tmp_path / "blog.xml"
    call_command("export-wxr", "--output", str(wxr), verbosity=0)
    statuses = {
        item.findtext("title"): item.findtext(f"{{{WP}}}status")
        for item in etree.parse(str(wxr)).iter("item")
    }
    assert statuses["Privé"] == "private" and statuses["Non listé"] == "publish"

    exported = tmp_path / "blog.json"
    call_command("export-json", "--output", str(exported), verbosity=0)
    shown = {p["title"]: p["visibility"] for p in json.loads(exported.read_text())["posts"]}
    assert shown == {"Privé": "private", "Non listé": "unlisted"}

    Post.objects.all().delete()
    call_command("import-json", str(exported), verbosity=0)
    assert Post.objects.get(title="Privé").visibility == Visibility.PRIVATE
    assert Post.objects.get(title="Non listé").visibility == Visibility.UNLISTED

    Post.objects.all().delete()
    call_command("import-wxr", str(wxr), verbosity=0)
    imported = Post.objects.get(title="Privé")
    assert (imported.status, imported.visibility) == (Status.PUBLISHED, Visibility.PRIVATE)
    assert private.pk and unlisted.pk
