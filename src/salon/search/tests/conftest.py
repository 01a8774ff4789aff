"""Posts are created the way the admin creates them (save, then summaries and tags), inside a
commit capture that runs the on-commit callbacks, so the index is filled by the very signals
and tasks that fill it in production (tasks run at once in tests)."""

from datetime import datetime, timedelta

import lxml.html
import pytest
from django.utils import timezone

from salon.blog.models import Post, PostSummary, Status, Tag
from salon.search import index_post


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """``with committing():`` runs what would happen at commit (the index tasks)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _create(title, body="", language="fr", summaries=None, tags=(), when=None, **fields):
    fields.setdefault("status", Status.PUBLISHED)
    if when is None:
        when = timezone.now() - timedelta(days=1)
    elif not isinstance(when, datetime):
        when = timezone.make_aware(datetime(when, 6, 15, 12))
    post = Post.objects.create(
        title=title, body=body, language=language, published_at=when, **fields
    )
    for code, text in (summaries or {}).items():
        PostSummary.objects.create(post=post, language=code, text=text)
    if tags:
        post.tags.set([Tag.objects.get_or_create(name=name)[0] for name in tags])
    return post


@pytest.fixture
def publish(db, committing):
    """Publish a post the way the admin does: its index entry comes from the signals and the
    task run at commit (with every other app's on-commit work, as in production)."""

    def make(*args, **kwargs):
        with committing():
            return _create(*args, **kwargs)

    return make


@pytest.fixture
def indexed(db):
    """Create a post and index it directly (``salon.search.index_post``), skipping the
    on-commit work of every app: for tests about searching rather than about indexing."""

    def make(*args, **kwargs):
        post = _create(*args, **kwargs)
        index_post(post.pk)
        return post

    return make


def page(response):
    """The parsed HTML of a response that must have succeeded."""
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode())


def hit_titles(document):
    return [
        element.text_content().strip()
        for element in document.cssselect(".search-results .search-result .post-title a")
    ]


def status_text(document):
    return " ".join(p.text_content() for p in document.cssselect(".search-status")).strip()


def nothing_found(document):
    return bool(document.cssselect(".search-status.nothing-found"))
