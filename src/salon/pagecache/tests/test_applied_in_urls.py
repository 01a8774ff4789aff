"""The page cache is applied in the project's URLconf (``salon/urls.py``): the blog and the
feeds know nothing of it, and every one of their views is still kept."""

import ast
from pathlib import Path

from django.urls import get_resolver

from salon import blog, feeds, urls
from salon.pagecache import store

URLCONF_SOURCE = Path(urls.__file__).read_text()


def imports_pagecache(text):
    for node in ast.walk(ast.parse(text)):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        if any(name.startswith("salon.pagecache") for name in names):
            return True
    return False


def views_of(namespace):
    resolver = next(
        pattern
        for pattern in get_resolver().url_patterns
        if getattr(pattern, "namespace", None) == namespace
    )
    return [pattern.callback for pattern in resolver.url_patterns]


def test_the_blog_and_the_feeds_do_not_mention_the_page_cache():
    for app in (blog, feeds):
        folder = Path(app.__file__).parent
        mentions = [
            str(source.relative_to(folder))
            for source in folder.rglob("*.py")
            if "tests" not in source.parts and imports_pagecache(source.read_text())
        ]
        assert not mentions, f"{app.__name__} knows the page cache: {mentions}"
    assert imports_pagecache(URLCONF_SOURCE)


def test_every_blog_page_feed_and_search_view_is_marked_for_the_cache():
    for namespace in ("blog", "feeds", "search"):
        callbacks = views_of(namespace)
        assert callbacks
        assert all(getattr(view, store.MARK, False) for view in callbacks), namespace
    # Search pages are kept with their query and filters; the blog's with a page number only.
    assert getattr(views_of("search")[0], store.MARK) >= {"q", "lang", "tag", "year", "page"}
    assert getattr(views_of("blog")[0], store.MARK) == {"page"}


def test_other_apps_views_are_not_marked():
    for namespace in ("webmention",):
        assert not any(getattr(view, store.MARK, False) for view in views_of(namespace))
