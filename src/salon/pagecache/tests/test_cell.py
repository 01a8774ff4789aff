"""The generation's cell (salon.pagecache.cell): on Redis, read and written by a kept connection
per thread as plain text under the cache's own key (its prefix and version), so that every
process agrees on it; a forked worker never shares its parent's socket; replicas are never
asked."""

import os
import secrets
import threading

import pytest
from django.core.cache import cache
from django.test import Client

from salon.blog.tests.factories import PostFactory
from salon.pagecache import store
from salon.pagecache.cell import CacheCell, RedisCell, cell, primary_url
from salon.pagecache.middleware import HEADER
from salon.testing import require

REDIS = "redis://127.0.0.1:6379/0"
REPLICA = "redis://127.0.0.1:6379/1"

pytestmark = pytest.mark.django_db


def redis_client(url=REDIS):
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.RedisError:
        require(False, "no Redis at 127.0.0.1:6379", "start Redis to run the Redis cell tests")
    return client


@pytest.fixture
def on_redis(settings):
    """The default cache on Redis under a prefix of its own (its keys removed at the end)."""
    client = redis_client()
    prefix = f"salon-cell-{secrets.token_hex(4)}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": prefix,
        }
    }
    yield client
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_the_file_cache_keeps_it_through_django(settings, tmp_path):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    assert isinstance(cell(store.GENERATION_KEY), CacheCell)
    before = store.generation()
    assert cache.get(store.GENERATION_KEY) == before
    store.purge()
    assert store.generation() != before


def test_on_redis_it_is_plain_text_under_the_cache_key(on_redis):
    kept = cell(store.GENERATION_KEY)
    assert isinstance(kept, RedisCell)
    first = store.generation()
    raw_key = cache.make_key(store.GENERATION_KEY)
    assert on_redis.get(raw_key) == first.encode()

    store.purge()
    second = store.generation()
    assert second != first and on_redis.get(raw_key) == second.encode()

    # Another process's change (here, another client) is seen at the next read.
    on_redis.set(raw_key, "elsewhere")
    assert store.generation() == "elsewhere"

    # Evicted (or the cache emptied): a new generation, never an old one.
    on_redis.delete(raw_key)
    assert store.generation() not in (first, second, "elsewhere")


def test_a_kept_page_on_redis_is_served_again_and_never_after_an_edit(
    on_redis, settings, django_capture_on_commit_callbacks
):
    settings.SALON_PAGE_CACHE_SECONDS = 600
    with django_capture_on_commit_callbacks(execute=True):
        post = PostFactory(title="Marcher en ville", language="fr", body="On pense.")
    path = post.get_absolute_url()
    assert Client().get(path)[HEADER] == "miss"
    assert Client().get(path)[HEADER] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        post.title = "Marcher à la campagne"
        post.save()
    again = Client().get(path)
    assert again[HEADER] == "miss" and "Marcher à la campagne" in again.content.decode()


def connection_id():
    return cell(store.GENERATION_KEY).client().client_id()


def test_each_thread_has_its_own_connection(on_redis):
    store.generation()
    ids = []
    threads = [threading.Thread(target=lambda: ids.append(connection_id())) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({connection_id(), *ids}) == 4
    assert connection_id() == connection_id()  # and keeps it


def test_a_lost_connection_is_opened_again(on_redis):
    before = store.generation()
    on_redis.client_kill_filter(_id=connection_id())  # Redis restarted, or a proxy hung up
    assert store.generation() == before
    on_redis.client_kill_filter(_id=connection_id())
    store.purge()  # a write too
    assert store.generation() != before


def test_a_forked_child_opens_its_own_connection(on_redis):
    parent = connection_id()
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the child: report its connection, then leave at once
        try:
            os.write(write, str(connection_id()).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        reported = pipe.read()
    os.waitpid(child, 0)
    assert reported and int(reported) != parent
    assert connection_id() == parent and store.generation()  # the parent's still answers


def test_with_replicas_it_is_read_and_written_on_the_primary(on_redis, settings):
    replica = redis_client(REPLICA)
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": f"{REDIS},{REPLICA}"}}
    raw_key = cache.make_key(store.GENERATION_KEY)
    store.purge()
    assert on_redis.get(raw_key) == store.generation().encode()
    assert replica.get(raw_key) is None


@pytest.mark.parametrize(
    "location",
    [
        "redis://a:6379/0,redis://b:6379/0",
        "redis://a:6379/0;redis://b:6379/0",
        ["redis://a:6379/0", "redis://b:6379/0"],
        "redis://a:6379/0",
    ],
)
def test_the_primary_is_the_first_server(location):
    assert primary_url(location) == "redis://a:6379/0"
