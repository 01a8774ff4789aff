"""Where the generation lives: one short value every process reads at every hit.

It is kept in the shared cache, so an edit made through one app server is seen through every
other at once. Through Django's cache API a read costs far more than the value: on Redis,
Django's backend builds a client and borrows a pooled connection for each call, then unpickles
the answer (about 95 µs of CPU a read on the bench machine, a fifth of a whole kept-page hit
under gunicorn, bench/README.md). So on Redis the generation is read and written by a client of
its own, one kept connection per thread, as plain text under the cache's own key (its prefix
and version, so ``cache.clear()`` removes it like any entry).

Even so, a read was a round trip (about 33 µs of this process's CPU, and Redis's own), paid by
every hit for a value that changes only when the author edits. So each connection asks Redis to
track what it reads (``CLIENT TRACKING``, RESP3): Redis then sends it a notice on the same
connection when that key changes (a write, an eviction, a flush). A read whose connection holds
no notice is answered from the value read last, after a look at the socket (about 5 µs, no
round trip). A writer waits until Redis has answered one more command: Redis writes a change's
notices in the same pass as its answer to the writer, so once ``set()`` returns, every reader's
next look finds the notice. Where tracking is refused (RESP2 asked in the URL, a server before
Redis 6, an ACL without ``CLIENT``), every read is a round trip, as before. Other caches
(files, memory) go through Django's API, whose reads cost little there.
"""

import os
import re
import threading
import time

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed
from django.dispatch import receiver

# How long a tracked value is trusted without asking Redis again. Its notices make this wait
# needless; it only bounds the harm of one lost on a connection that died without a word.
TRUSTED_FOR = 1.0


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


class _Link:
    """One thread's connection to Redis, and the value last read through it while tracked."""

    def __init__(self, url):
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        self.value, self.read_at, self.tracked = None, 0.0, False
        self.lost = (redis.RedisError, OSError)
        # One retry at once, on a new connection: a kept connection may have been closed
        # meanwhile (Redis restarted, an idle timeout), where a pool would open another. RESP3
        # unless the URL says otherwise: tracking notices come on the connection itself.
        self.client = redis.Redis.from_url(
            url, protocol=3, single_connection_client=True, retry=Retry(NoBackoff(), 1)
        )
        self.connection = self.client.connection
        self.connection.register_connect_callback(self._connected)
        self._connected(self.connection)  # the client connected as it was made

    def _connected(self, connection):
        # A new connection: Redis forgot what the old one tracked, and any notice it had sent
        # there is lost. Read again, and ask for tracking anew.
        import redis

        self.value, self.tracked = None, False
        if str(connection.get_protocol()) != "3":
            return
        try:
            connection.send_command("CLIENT", "TRACKING", "ON")
            connection.read_response()
        except redis.ResponseError:  # refused: read at every hit
            return
        self.tracked = True

    def unchanged(self):
        """Whether the value last read still holds: tracked, read lately, and no notice (or
        anything else) waiting on the connection."""
        if self.value is None or not self.tracked or time.monotonic() - self.read_at > TRUSTED_FOR:
            return False
        try:
            return not self.connection.can_read(timeout=0)
        except self.lost:  # closed by the server: the read below opens another
            return False


class RedisCell:
    """A text value in Redis under ``key``, through one kept connection per thread."""

    def __init__(self, url, key):
        self.url, self.key, self.local = url, key, threading.local()
        self.packed_get = None  # the same bytes on every connection

    def link(self):
        # Keyed by process too: a thread of a forked worker must not share its parent's socket.
        pid = os.getpid()
        kept = getattr(self.local, "link", None)
        if kept is None or kept[0] != pid:
            kept = (pid, _Link(self.url))
            self.local.link = kept
            self.packed_get = kept[1].connection.pack_command("GET", self.key)
        return kept[1]

    def get(self):
        link = self.link()
        if link.unchanged():
            return link.value
        # The command sent as it is, once packed: the client's own call (argument encoding,
        # command dispatch) adds half again to the CPU of this round trip. Notices waiting on
        # the connection are read on the way (they came before this answer).
        connection = link.connection

        def read():
            connection.send_packed_command(self.packed_get, check_health=False)
            return connection.read_response()

        raw = connection.retry.call_with_retry(read, lambda error: connection.disconnect())
        value = None if raw is None else raw.decode()
        link.value, link.read_at = value, time.monotonic()
        return value

    def add(self, value):
        link = self.link()
        link.client.set(self.key, value, nx=True)
        link.value = None

    def set(self, value):
        link = self.link()
        link.client.set(self.key, value)
        # Our own write's notice came (and was read) before Redis's answer, and Redis stopped
        # tracking the key for this connection: the next read asks again, which tracks it anew.
        link.value = None
        # Redis answers this only after the pass that sent every reader its notice.
        link.client.ping()


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
