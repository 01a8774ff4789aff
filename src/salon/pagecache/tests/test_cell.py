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
from salon.pagecache import cell as cell_module
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

    # Another process's change (here, another client) is seen at the next read, once Redis
    # has answered the writer's next command (as the cell's own writes wait for).
    on_redis.set(raw_key, "elsewhere")
    on_redis.ping()
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
    return cell(store.GENERATION_KEY).link().client.client_id()


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


def marked(link):
    """The link's connection id, after it ran a command of its own (ECHO)."""
    connection_id = link.client.client_id()
    link.client.echo("the last command")
    return connection_id


def last_command(client, connection_id):
    """What Redis says a connection ran last, and whether it tracks reads for it."""
    (info,) = client.client_list(client_id=[connection_id])
    return info["cmd"], "t" in info["flags"]


def test_reads_ask_redis_only_after_a_change(on_redis):
    first = store.generation()
    link = cell(store.GENERATION_KEY).link()
    link_id = marked(link)
    for _ in range(20):
        assert store.generation() == first
    assert last_command(on_redis, link_id) == ("echo", True)  # none of them went to Redis

    on_redis.set(cache.make_key(store.GENERATION_KEY), "elsewhere")
    on_redis.ping()  # Redis has sent its notices by the time it answers anything else
    assert store.generation() == "elsewhere"
    assert last_command(on_redis, link_id) == ("get", True)


def test_a_purge_in_another_thread_is_seen_by_the_next_read(on_redis):
    before = store.generation()
    assert store.generation() == before  # kept by this thread's link
    purger = threading.Thread(target=store.purge)  # its own connection, as another process
    purger.start()
    purger.join()
    assert store.generation() != before


def test_a_value_is_trusted_for_a_moment_only(on_redis, monkeypatch):
    store.generation()
    link = cell(store.GENERATION_KEY).link()
    monkeypatch.setattr(cell_module, "TRUSTED_FOR", 0.0)
    link_id = marked(link)
    store.generation()
    assert last_command(on_redis, link_id) == ("get", True)


@pytest.fixture
def untracked_user(on_redis):
    """A Redis user who may not ask for tracking (as some hosted Redis services)."""
    name = f"salon-cell-{secrets.token_hex(4)}"
    on_redis.acl_setuser(
        name, enabled=True, nopass=True, keys=["*"], commands=["+@all", "-client|tracking"]
    )
    yield name
    on_redis.acl_deluser(name)


@pytest.mark.parametrize("refused_by", ["RESP2", "ACL"])
def test_where_tracking_is_refused_every_read_asks_redis(on_redis, settings, request, refused_by):
    if refused_by == "RESP2":
        location = f"{REDIS}?protocol=2"
    else:
        location = REDIS.replace(
            "redis://", f"redis://{request.getfixturevalue('untracked_user')}@"
        )
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": location}}
    first = store.generation()
    link = cell(store.GENERATION_KEY).link()
    assert not link.tracked
    link_id = marked(link)
    assert store.generation() == first
    assert last_command(on_redis, link_id) == ("get", False)
    on_redis.set(cache.make_key(store.GENERATION_KEY), "elsewhere")
    assert store.generation() == "elsewhere"


def test_a_lost_connection_is_opened_again(on_redis):
    before = store.generation()
    on_redis.client_kill_filter(_id=connection_id())  # Redis restarted, or a proxy hung up
    assert store.generation() == before
    (info,) = on_redis.client_list(client_id=[connection_id()])
    assert "t" in info["flags"]  # tracked again, on the new connection
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
