"""Every change to what the blog shows reaches every app that keeps something derived from
posts, through the blog's one ``posts_changed`` event sent after the commit: the search index
(the post's row written again, or removed), the similar posts (the post's vector and list
written again, or removed) and the page cache (a new generation: every kept page is stale).
One test per kind of change; one transaction sends one event; a rollback sends none."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks.signals import task_enqueued

from salon.blog.models import Post, PostSummary, Series, Status, Tag
from salon.blog.signals import posts_changed
from salon.federation.models import Activity, FederatedPost
from salon.pagecache.store import generation
from salon.search import search
from salon.search.models import SearchDocument
from salon.similar.models import Document

from .factories import PageFactory, PostFactory, SeriesFactory, TagFactory

pytestmark = pytest.mark.django_db


def search_row(post):
    return SearchDocument.objects.filter(post_id=post.pk).first()


def similar_row(post):
    return Document.objects.filter(post_id=post.pk).first()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` commits what the block writes (its on-commit work runs, tasks
    included: they run at once in tests)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def reaches_all_three(committed):
    """``with reaches_all_three(post, ...):`` commits the block, then checks that each post's
    search row and similar-posts vector were written again (or are gone, with
    ``removed=True``) and that the kept pages are stale."""

    @contextmanager
    def check(*posts, removed=False):
        before, started = generation(), timezone.now()
        with committed():
            yield
        assert generation() != before, "the page cache did not hear of it"
        for post in posts:
            if removed:
                assert search_row(post) is None, "still in the search index"
                assert similar_row(post) is None, "still in the similar-posts index"
            else:
                assert search_row(post).indexed_at >= started, "search did not re-index it"
                assert similar_row(post).indexed_at >= started, "similar did not refresh it"

    return check


@pytest.fixture
def post(committed):
    """A published post with a tag and a summary, indexed by both indexes."""
    with committed():
        post = PostFactory(
            title="Marcher en ville",
            body="On pense en marchant.",
            tags=["marche"],
            summaries={"en": "Walking in town."},
        )
    assert search_row(post) and similar_row(post)
    return post


def test_an_edit(post, reaches_all_three):
    with reaches_all_three(post):
        post.title = "Marcher à la campagne"
        post.save()
    assert "campagn" in search_row(post).title_terms


def test_a_summary_added_edited_and_removed(post, reaches_all_three):
    with reaches_all_three(post):
        summary = PostSummary.objects.create(post=post, language="de", text="Stadtspaziergang.")
    with reaches_all_three(post):
        summary.text = "Spaziergang im Wald."
        summary.save()
    assert "wald" in search_row(post).summary_terms
    with reaches_all_three(post):
        summary.delete()
    assert "wald" not in search_row(post).summary_terms


def test_a_tag_added_and_removed_from_the_posts_side(post, reaches_all_three):
    tag = TagFactory(name="jardin")
    with reaches_all_three(post):
        post.tags.add(tag)
    assert "jardin" in search_row(post).tag_terms
    with reaches_all_three(post):
        post.tags.remove(tag)
    with reaches_all_three(post):
        post.tags.clear()
    assert search_row(post).tag_terms == ""


def test_a_tag_added_and_removed_from_the_tags_side(post, reaches_all_three):
    tag = TagFactory(name="jardin")
    with reaches_all_three(post):
        tag.posts.add(post)
    assert "jardin" in search_row(post).tag_terms
    with reaches_all_three(post):
        tag.posts.remove(post)
    assert "jardin" not in search_row(post).tag_terms
    tag.posts.add(post)
    with reaches_all_three(post):
        tag.posts.clear()
    assert "jardin" not in search_row(post).tag_terms


def test_a_tag_renamed(post, reaches_all_three):
    """The drift this event ended: a rename used to re-index search but not similar posts."""
    tag = Tag.objects.get(name="marche")
    with reaches_all_three(post):
        tag.name = "promenade"
        tag.save()
    assert [hit.post for hit in search("promenade").hits] == [post]


def test_a_tag_deleted(post, reaches_all_three):
    with reaches_all_three(post):
        Tag.objects.get(name="marche").delete()
    assert search_row(post).tag_terms == ""


def test_a_series_joined_renamed_and_deleted(post, reaches_all_three):
    series = SeriesFactory(title="Marches")
    with reaches_all_three(post):
        post.series, post.series_position = series, 1
        post.save()
    with reaches_all_three(post):
        series.title = "Longues marches"
        series.save()
    with reaches_all_three(post):
        series.delete()  # empties the post's series field, without a signal for the post
    post.refresh_from_db()
    assert post.series is None


def test_a_cover_changed(post, reaches_all_three):
    with reaches_all_three(post):
        post.cover_image_url = "https://images.example/walk.jpg"
        post.cover_alt = "A street at dawn"
        post.save()


def test_unpublishing(post, reaches_all_three):
    with reaches_all_three(post, removed=True):
        post.status = Status.DRAFT
        post.save()


def test_a_post_deleted(post, reaches_all_three):
    with reaches_all_three(post, removed=True):
        post.delete()


def test_a_page_edit_reaches_the_page_cache(committed):
    """Pages are not indexed: the event carries them in ``page_ids``, for the page cache."""
    received = []
    with committed():
        page = PageFactory(title="À propos")
    before = generation()
    posts_changed.connect(
        lambda sender, **kwargs: received.append(kwargs), weak=False, dispatch_uid="test-page"
    )
    try:
        with committed():
            page.title = "Qui écrit ici"
            page.save()
    finally:
        posts_changed.disconnect(dispatch_uid="test-page")
    assert received == [
        {"signal": posts_changed, "post_ids": frozenset(), "page_ids": frozenset({page.pk})}
    ]
    assert generation() != before


def test_a_wordpress_import(reaches_all_three):
    from pathlib import Path

    from salon.portability.writer import import_wxr

    fixture = Path(__file__).resolve().parents[2] / "portability/tests/fixtures/blog.wxr"
    with reaches_all_three():
        import_wxr(fixture)
    imported = list(Post.objects.filter(status=Status.PUBLISHED))
    assert imported
    for post in imported:
        assert search_row(post) and similar_row(post), post


def test_a_json_import(post, committed, reaches_all_three, tmp_path):
    """A fresh import (posts saved one by one), then a re-import whose only change is a date
    written beside ``save()``."""
    from salon.portability.export_json import export_json
    from salon.portability.import_json import import_json

    path = tmp_path / "export.json"
    with path.open("w", encoding="utf-8") as out:
        export_json(out)
    with committed():
        Post.objects.all().delete()
    with reaches_all_three():
        import_json(path)
    imported = Post.objects.get()
    assert search_row(imported) and similar_row(imported)

    Post.objects.filter(pk=imported.pk).update(updated_at=timezone.now() - timedelta(days=9))
    with reaches_all_three(imported):
        import_json(path)


def test_one_transaction_sends_one_event(committed):
    """A hundred saves of twenty posts in one transaction: one event with the twenty ids, one
    search task and one similar-posts task."""
    events, tasks = [], []
    posts_changed.connect(
        lambda sender, **kwargs: events.append(kwargs), weak=False, dispatch_uid="test-one-event"
    )
    task_enqueued.connect(
        lambda sender, task_result, **kwargs: tasks.append(task_result.task.name),
        weak=False,
        dispatch_uid="test-one-event",
    )
    try:
        with committed():
            posts = [PostFactory() for _ in range(20)]
            for _ in range(4):
                for post in posts:
                    post.save()
    finally:
        posts_changed.disconnect(dispatch_uid="test-one-event")
        task_enqueued.disconnect(dispatch_uid="test-one-event")
    assert len(events) == 1
    assert events[0]["post_ids"] == {post.pk for post in posts}
    assert tasks.count("index_posts") == 1 and tasks.count("refresh_posts") == 1


def test_a_rolled_back_change_sends_nothing(post, committed):
    events = []
    posts_changed.connect(
        lambda sender, **kwargs: events.append(kwargs), weak=False, dispatch_uid="test-rollback"
    )
    try:
        with committed():
            with pytest.raises(RuntimeError), transaction.atomic():
                post.title = "Jamais enregistré"
                post.save()
                raise RuntimeError("rolled back")
    finally:
        posts_changed.disconnect(dispatch_uid="test-rollback")
    assert events == []


def test_series_and_tags_without_posts_still_reach_the_page_cache(committed):
    """A new tag or an empty series changes no post, but lists of tags or series may show it."""
    before = generation()
    with committed():
        Series.objects.create(title="Bientôt")
    assert generation() != before
    before = generation()
    with committed():
        Tag.objects.create(name="nouveau")
    assert generation() != before


def test_federation_hears_it_too(committed):
    """Federation follows posts through the same event: a listed post gets its Create (the
    ``FederatedPost`` row), an edit readers see its Update, unpublishing its Delete."""
    with committed():
        post = PostFactory(title="Pain", published_at=timezone.now())
    assert FederatedPost.objects.get(post_id=post.pk).state == "created"
    with committed():
        post.title = "Pain de seigle"
        post.save()
    with committed():
        post.status = Status.DRAFT
        post.save()
    assert FederatedPost.objects.get(post_id=post.pk).state == "deleted"
    assert list(Activity.objects.order_by("created_at", "pk").values_list("kind", flat=True)) == [
        "Create",
        "Update",
        "Delete",
    ]
