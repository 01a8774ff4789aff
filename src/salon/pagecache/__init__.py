"""Whole pages kept for anonymous readers, purged whenever what they show changes.

A reader without a session (no sign-in, no unlocked post) gets the blog's pages from the cache
(the file cache in the data folder, or Redis): a page is rendered once per interface language
and then served without touching the database. Exactness comes from a *generation*: every
change to what public pages show (a post, page, summary, tag, series, an approved response, a
reply context, the similar lists, an import) replaces it, and the key of every page contains
it, so a change makes every page render again at the next visit. A scheduled post appears on
time: no page is kept past the next publication date.

A page with a CSRF token (a protected post's password form) gets the visitor's own token (and
its cookie) at each hit. Every other page, a post's with its comment form included, is the same
for every reader: answered before the middleware stack (``early.py``) and publishable as a file.

Public API:

- ``cached_for_readers(view, params=("page",))``: mark a view whose GET answers may be kept
  (for addresses whose query string holds only ``params``);
- ``cached_urls(urlconf, params=("page",))``: mark every view of a URLconf (``salon/urls.py``
  does, for the blog's and the feeds' pages and for search, which thus know nothing of the
  cache);
- ``purge()``: make every kept page stale (used by the receivers; callable by anyone).
"""

from importlib import import_module

from django.urls import URLResolver

from .store import PAGE_PARAMS, cached_for_readers, purge

__all__ = ["cached_for_readers", "cached_urls", "purge"]


def cached_urls(urlconf, params=PAGE_PARAMS):
    """Mark every view of ``urlconf`` (a URLconf module or its dotted name) as
    ``cached_for_readers`` does, and return the module, for ``include()``."""
    module = import_module(urlconf) if isinstance(urlconf, str) else urlconf
    _mark(module.urlpatterns, params)
    return module


def _mark(patterns, params):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _mark(pattern.url_patterns, params)
        else:
            cached_for_readers(pattern.callback, params)
