"""Where the generation lives: one short value every process reads at every hit.

It is kept in the shared cache, so an edit made through one app server is seen through every
other at once. Through Django's cache API a read costs far more than the value: on Redis,
Django's backend builds a client and borrows a pooled connection for each call, then unpickles
the answer (about 95 µs of CPU a read on the bench machine, a fifth of a whole kept-page hit
under gunicorn, bench/README.md). So on Redis the generation is read and written by a client of
its own, one kept connection per thread, as plain text under the cache's own key (its prefix
and version, so ``cache.clear()`` removes it like any entry): about 33 µs. Other caches (files,
memory) go through Django's API, whose reads cost little there.
"""

import os
import re
import threading

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed
from django.dispatch import receiver


class CacheCell:
    """A value kept through Django's cache API, with no expiry."""

    def __init__(self, key):
        self.key = key

    def get(self):
        return cache.get(self.key)

    def add(self, value):
        cache.add(self.key, value, None)

    def set(self, value):
        cache.set(self.key, value, None)


class RedisCell:
    """A text value in Redis under ``key``, through one kept connection per thread."""

    def __init__(self, url, key):
        self.url, self.key, self.local = url, key, threading.local()
        self.packed_get = None  # the same bytes on every connection

    def client(self):
        # Keyed by process too: a thread of a forked worker must not share its parent's socket.
        pid = os.getpid()
        kept = getattr(self.local, "client", None)
        if kept is None or kept[0] != pid:
            import redis
            from redis.backoff import NoBackoff
            from redis.retry import Retry

            # One retry at once, on a new connection: a kept connection may have been closed
            # meanwhile (Redis restarted, an idle timeout), where a pool would open another.
            client = redis.Redis.from_url(
                self.url, single_connection_client=True, retry=Retry(NoBackoff(), 1)
            )
            kept = (pid, client)
            self.local.client = kept
            self.packed_get = client.connection.pack_command("GET", self.key)
        return kept[1]

    def get(self):
        # The command sent as it is, once packed: the client's own call (argument encoding,
        # command dispatch) adds half again to the CPU of this round trip, paid by every hit.
        connection = self.client().connection

        def read():
            connection.send_packed_command(self.packed_get, check_health=False)
            return connection.read_response()

        value = connection.retry.call_with_retry(read, lambda error: connection.disconnect())
        return None if value is None else value.decode()

    def add(self, value):
        self.client().set(self.key, value, nx=True)

    def set(self, value):
        self.client().set(self.key, value)


def primary_url(location):
    """The server Django's Redis backend writes to: the first of ``LOCATION`` (a list, or a
    string of URLs separated by commas or semicolons). The others are read replicas, which may
    lag behind a change: the generation is always read where it is written."""
    servers = location if isinstance(location, list | tuple) else re.split("[;,]", location)
    return servers[0]


_cells = {}


def cell(key):
    """The cell holding ``key`` in the default cache."""
    found = _cells.get(key)
    if found is None:
        if isinstance(caches[DEFAULT_CACHE_ALIAS], RedisCache):
            location = settings.CACHES[DEFAULT_CACHE_ALIAS]["LOCATION"]
            found = RedisCell(primary_url(location), cache.make_key(key))
        else:
            found = CacheCell(key)
        _cells[key] = found
    return found


@receiver(setting_changed)
def _forget_cells(setting, **kwargs):
    if setting == "CACHES":
        _cells.clear()
