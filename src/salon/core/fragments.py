"""Pieces of pages rendered once and shown again: a post's card in rivers, tag pages and
archives, its similar-posts list, the responses under it, the comment form's HTML.

A fragment is kept in this process's memory (no round trip, no unpickling: a hit costs a
dictionary lookup) under a key made of

- a *generation*, which every change to what public pages show replaces: the page cache's
  (``salon.pagecache`` registers it with ``use_generation()``; it changes with the blog's one
  ``posts_changed`` event, approved responses, reply contexts, similar lists, migrations: see
  ``pagecache/receivers.py``), read once per request *before* the view reads the database
  (the page cache middleware does, in ``process_view``), so a fragment rendered from rows
  read before a change is never kept under a generation that comes after it;
- a fingerprint of the settings the pages show (also the page cache's);
- what the caller names: the fragment's kind, the post's id and ``updated_at``, the interface
  language, the river's language, anything else its HTML depends on.

Only what every reader sees alike goes in a fragment: never a CSRF token, a signed-in
author's bar or a form's values (the comment form is kept with placeholders, filled in for
each request by ``filled()``). Several processes each keep their own copy; the generation,
read from the shared cache, keeps them all exact. The memory is bounded (least recently used
entries go first), and a new generation empties it.
"""

import threading
import time
from collections import OrderedDict

MAX_ENTRIES = 6000
_entries = OrderedDict()
_lock = threading.Lock()
_generation_seen = None
_source = None  # () -> (generation, settings fingerprint), set by use_generation()
_horizon = None  # () -> when (a timestamp) the next scheduled post becomes public, or None
_expires_at = None


def use_generation(source, horizon=None):
    """Have fragments kept under what ``source()`` returns: ``(generation, fingerprint)``,
    two strings that change whenever what public pages show changes. ``horizon()`` tells the
    moment (a Unix time) a scheduled post becomes public, which no event announces: every
    fragment is dropped then (a similar list may show it). Without a source, no fragment is
    kept (each is rendered every time)."""
    global _source, _horizon
    _source, _horizon = source, horizon
    forget()


def begin(request):
    """Read the generation for this request (before the view reads anything)."""
    request._salon_generation = _source() if _source is not None else None
    return request._salon_generation


def generation(request):
    if _source is None:
        return None
    value = getattr(request, "_salon_generation", None) if request is not None else None
    if value is None:
        # Rendered outside a request (a feed built by a command, a test's template): the
        # generation now. Callers that read rows before this point pass ``request``.
        value = _source() if request is None else begin(request)
    return value


def _full_key(request, key):
    current = generation(request)
    return None if current is None else (*current, *key)


def get(request, key):
    """The HTML kept under ``key`` (a tuple) for this generation, or None."""
    full_key = _full_key(request, key)
    if full_key is None:
        return None
    with _lock:
        if _expires_at is not None and time.time() >= _expires_at:
            _clear()
        html = _entries.get(full_key)
        if html is not None:
            _entries.move_to_end(full_key)
        return html


def put(request, key, html):
    """Keep ``html`` under ``key`` for this generation."""
    global _generation_seen, _expires_at
    full_key = _full_key(request, key)
    if full_key is None:
        return html
    with _lock:
        if full_key[0] != _generation_seen:
            # Everything kept under an older generation is stale: free it now.
            _clear()
            _generation_seen = full_key[0]
            _expires_at = _horizon() if _horizon is not None else None
        _entries[full_key] = html
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return html


def fragment(request, key, render):
    """The HTML ``render()`` makes, kept under ``key`` (a tuple) for this generation. None (a
    lookup that found nothing) is not kept: addresses made up by a robot would push out what
    readers ask for."""
    html = get(request, key)
    if html is None:
        html = render()
        if html is not None:
            put(request, key, html)
    return html


def _clear():
    global _generation_seen, _expires_at
    _entries.clear()
    _generation_seen = _expires_at = None


def forget():
    """Drop every kept fragment (tests, settings changes)."""
    with _lock:
        _clear()
