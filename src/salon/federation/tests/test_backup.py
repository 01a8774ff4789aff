"""Followers, keys and federation state travel with `salon backup` / `salon restore` (the
whole database is copied), and the JSON export lists the followers."""

import io
import json
import shutil

import pytest
from django.core.management import call_command
from django.db import connection

from salon.federation.models import (
    Block,
    BlockKind,
    FederatedPost,
    Follower,
    LocalKey,
    RemoteActor,
)

pytestmark = pytest.mark.django_db(transaction=True)


def make_state():
    actor = RemoteActor.objects.create(
        url="https://social.example/users/ann",
        username="ann",
        name="Ann",
        domain="social.example",
        inbox="https://social.example/users/ann/inbox",
        shared_inbox="https://social.example/inbox",
    )
    Follower.objects.create(actor=actor, follow_id="https://social.example/f/1")
    Block.objects.create(kind=BlockKind.DOMAIN, value="spam.example")
    FederatedPost.objects.create(
        post_id=7, ap_id="https://blog.example/x/", path="/x/", state="deleted"
    )


def test_backup_and_restore_keep_keys_followers_and_state(tmp_path, settings):
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    make_state()
    pems = dict(LocalKey.objects.values_list("actor", "private_pem"))
    assert set(pems) == {"author", "instance"}
    call_command("backup", "-o", str(tmp_path / "backup"), stdout=io.StringIO())
    for model in (Follower, RemoteActor, Block, FederatedPost, LocalKey):
        model.objects.all().delete()
    call_command("restore", str(tmp_path / "backup"), "--noinput", stdout=io.StringIO())
    assert dict(LocalKey.objects.values_list("actor", "private_pem")) == pems
    assert Follower.objects.get().actor.handle == "@ann@social.example"
    assert Block.objects.get().value == "spam.example"
    assert FederatedPost.objects.get().state == "deleted"


def test_the_json_export_lists_followers(tmp_path):
    make_state()
    out = tmp_path / "export.json"
    call_command("export-json", "-o", str(out), stdout=io.StringIO())
    followers = json.loads(out.read_text())["followers"]
    assert followers == [
        {
            "actor": "https://social.example/users/ann",
            "handle": "@ann@social.example",
            "name": "Ann",
            "server": "social.example",
            "inbox": "https://social.example/users/ann/inbox",
            "shared_inbox": "https://social.example/inbox",
            "since": followers[0]["since"],
        }
    ]
