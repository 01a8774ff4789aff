"""`salon backup` snapshots the running site (database and media); `salon restore` brings it
back. Runs on SQLite (online backup API) and PostgreSQL (pg_dump / pg_restore)."""

import json
import shutil

import pytest
from django.core.management import CommandError
from django.db import connection
from django.test import Client

from salon.blog.demo import load_demo
from salon.blog.models import Page, Post
from salon.conversations.models import Response, State

# The backup is read by another process (pg_dump) or another connection: the data must be
# committed, so these tests use real transactions.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "covers").mkdir(parents=True)
    (settings.MEDIA_ROOT / "covers" / "photo.jpg").write_bytes(b"\xff\xd8 a photo")
    return settings.MEDIA_ROOT


def needs_tools():
    if connection.vendor == "postgresql" and not (
        shutil.which("pg_dump") and shutil.which("pg_restore")
    ):
        pytest.skip("pg_dump and pg_restore are not installed")


def test_backup_then_restore_finds_every_post_and_comment(run_command, tmp_path, media):
    needs_tools()
    load_demo()
    for post in Post.objects.all()[:3]:
        first = Response.objects.create(
            post=post, author_name="Sam", content=f"On {post.slug}", state=State.APPROVED
        )
        Response.objects.create(post=post, parent=first, author_name="Léa", content="Reply")
    posts = set(Post.objects.values_list("slug", "title", "language"))
    pages = set(Page.objects.values_list("slug", flat=True))
    responses = set(
        Response.objects.values_list("post__slug", "author_name", "content", "parent__content")
    )
    backup = tmp_path / "backup"
    output = run_command("backup", "-o", backup)
    assert f"{len(posts)} posts" in output
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"] == connection.vendor
    assert manifest["counts"] == {
        "posts": len(posts),
        "pages": len(pages),
        "responses": len(responses),
    }
    assert (backup / "media" / "covers" / "photo.jpg").read_bytes() == b"\xff\xd8 a photo"

    Response.objects.all().delete()
    Post.objects.all().delete()
    Page.objects.all().delete()
    (media / "covers" / "photo.jpg").unlink()
    emptied_home = Client().get("/").content.decode()  # kept by the page cache

    run_command("restore", backup, "--noinput")
    home = Client().get("/").content.decode()
    assert home != emptied_home and Post.objects.published().first().title in home
    assert set(Post.objects.values_list("slug", "title", "language")) == posts
    assert set(Page.objects.values_list("slug", flat=True)) == pages
    assert (
        set(Response.objects.values_list("post__slug", "author_name", "content", "parent__content"))
        == responses
    )
    assert (media / "covers" / "photo.jpg").read_bytes() == b"\xff\xd8 a photo"


def test_backup_refuses_a_folder_in_use(run_command, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "something").write_text("x")
    with pytest.raises(CommandError, match="is not empty"):
        run_command("backup", "-o", tmp_path / "full")


def test_restore_refuses_what_is_not_a_backup(run_command, tmp_path):
    load_demo()
    count = Post.objects.count()
    with pytest.raises(CommandError, match="is not a Salon backup"):
        run_command("restore", tmp_path, "--noinput")
    (tmp_path / "manifest.json").write_text(
        json.dumps(
            {
                "format": "salon-backup",
                "version": 1,
                "database": "sqlite",
                "database_file": "missing.sqlite3",
            }
        )
    )
    with pytest.raises(CommandError, match="incomplete"):
        run_command("restore", tmp_path, "--noinput")
    assert Post.objects.count() == count


def test_restore_refuses_a_backup_of_the_other_engine(run_command, tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    (tmp_path / "db").write_text("x")
    (tmp_path / "manifest.json").write_text(
        json.dumps(
            {
                "format": "salon-backup",
                "version": 1,
                "database": other,
                "database_file": "db",
                "created_at": "2026-01-01",
                "counts": {},
            }
        )
    )
    with pytest.raises(CommandError, match=f"comes from {other}"):
        run_command("restore", tmp_path, "--noinput")
