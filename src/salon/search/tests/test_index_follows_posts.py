"""The index follows the blog: publishing, editing, unpublishing and deleting a post, and
changing its summaries or tags, show in the next search without any manual step."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks.signals import task_enqueued

from salon.blog.models import Post, PostSummary, Status, Tag
from salon.search import search
from salon.search.models import SearchDocument


def titles(query, **filters):
    return [hit.post.title for hit in search(query, **filters).hits]


def test_a_published_post_is_found(publish):
    """Publishing a post indexes it (title, body, summaries and tags)."""
    publish(
        "Lettre au voisin",
        "Cher voisin, ta haie déborde.",
        summaries={"en": "A hedge."},
        tags=["quartier"],
    )
    for word in ("lettre", "haie", "hedge", "quartier"):
        assert titles(word) == ["Lettre au voisin"], word


def test_one_save_is_one_task(publish):
    """Saving a post with its summaries and tags (as the admin does, in one transaction)
    schedules one indexing task for it, not one per signal."""
    enqueued = []

    def record(sender, task_result, **kwargs):
        if task_result.task.name == "index_posts":
            enqueued.append(task_result.args)

    task_enqueued.connect(record)
    try:
        publish("Un billet", "Du texte.", summaries={"en": "Some text."}, tags=["a", "b"])
    finally:
        task_enqueued.disconnect(record)
    assert len(enqueued) == 1


def test_a_draft_is_not_found(publish):
    """Drafts stay out of the index."""
    publish("Brouillon secret", "Pas encore prêt.", status=Status.DRAFT)
    assert titles("brouillon") == []
    assert not SearchDocument.objects.exists()


def test_an_edit_is_followed(publish, committing):
    """Editing the title or body replaces the old words by the new ones."""
    post = publish("Ancien titre", "Un corps de texte.")
    with committing():
        post.title = "Nouveau titre"
        post.body = "Une tout autre histoire."
        post.save()
    assert titles("ancien") == []
    assert titles("histoire") == ["Nouveau titre"]


def test_unpublishing_removes_the_post(publish, committing):
    """A post turned back into a draft disappears from the results."""
    post = publish("Billet retiré", "Un texte.")
    with committing():
        post.status = Status.DRAFT
        post.save()
    assert titles("retiré") == []
    assert not SearchDocument.objects.filter(post=post).exists()


def test_deleting_removes_the_post(publish, committing):
    """A deleted post disappears from the index and the results."""
    post = publish("Billet supprimé", "Un texte.")
    with committing():
        post.delete()
    assert titles("supprimé") == []
    assert not SearchDocument.objects.exists()


def test_a_scheduled_post_appears_when_its_time_comes(publish):
    """A scheduled post is indexed in advance but found only from its publication date."""
    post = publish(
        "Billet programmé",
        "Bientôt.",
        status=Status.SCHEDULED,
        when=timezone.now() + timedelta(hours=1),
    )
    assert titles("programmé") == []
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    SearchDocument.objects.filter(post=post).update(
        published_at=timezone.now() - timedelta(minutes=1)
    )
    assert titles("programmé") == ["Billet programmé"]


def test_summaries_are_followed(publish, committing):
    """Adding, editing and deleting a summary changes what finds the post."""
    post = publish("Du pain", "Farine et eau.")
    with committing():
        summary = PostSummary.objects.create(post=post, language="en", text="Sourdough bread.")
    assert titles("sourdough") == ["Du pain"]
    with committing():
        summary.text = "Rye loaves."
        summary.save()
    assert titles("sourdough") == []
    assert titles("loaves") == ["Du pain"]
    with committing():
        summary.delete()
    assert titles("loaves") == []


def test_tags_are_followed(publish, committing):
    """Adding, removing, renaming and deleting tags, from either side, is followed."""
    post = publish("Un billet", "Du texte.")
    tag = Tag.objects.create(name="jardinage")
    with committing():
        post.tags.add(tag)
    assert titles("jardinage") == ["Un billet"]
    with committing():
        post.tags.remove(tag)
    assert titles("jardinage") == []
    with committing():
        tag.posts.add(post)
    assert titles("jardinage") == ["Un billet"]
    with committing():
        tag.name = "potager"
        tag.save()
    assert titles("jardinage") == []
    assert titles("potager") == ["Un billet"]
    with committing():
        tag.posts.clear()
    assert titles("potager") == []
    with committing():
        post.tags.add(tag)
    with committing():
        tag.delete()
    assert titles("potager") == []
    assert titles("billet") == ["Un billet"]


def test_a_protected_post_does_not_leak_its_body(publish):
    """A password-protected post is found by its title, never by its body."""
    publish("Billet protégé", "Le code du coffre est girafe.", password="sésame")
    assert titles("girafe") == []
    assert titles("protégé") == ["Billet protégé"]


def test_rebuild_restores_the_index(publish):
    """``salon search rebuild`` indexes every post again, whatever the index held."""
    publish("Premier", "Alpha.")
    publish("Second", "Beta.")
    publish("Brouillon", "Gamma.", status=Status.DRAFT)
    SearchDocument.objects.all().delete()
    assert titles("alpha") == []
    out = io.StringIO()
    call_command("search", "rebuild", stdout=out)
    assert "Indexed 2 posts" in out.getvalue()
    assert titles("alpha") == ["Premier"]
    assert titles("beta") == ["Second"]
    assert titles("gamma") == []
    assert SearchDocument.objects.count() == 2


@pytest.mark.django_db
def test_the_engine_index_exists():
    """The migrations built the engine's index: on SQLite the FTS5 table and the three
    triggers that keep it in step (a table remade by a later migration would lose them)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search_fts%'"
            )
            assert len(cursor.fetchall()) == 3
            cursor.execute("SELECT count(*) FROM search_fts")
        else:
            cursor.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = 'search_searchdocument'::regclass"
                " AND attname = 'search_vector'"
            )
            assert cursor.fetchall() == [("search_vector",)]


def term_rows(post):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT term, score, language, year FROM search_term WHERE post_id = %s", [post.pk]
        )
        return {term: (score, language, year) for term, score, language, year in cursor}


def vector_terms(post):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT u.lexeme FROM search_searchdocument d, unnest(d.search_vector) u"
            " WHERE d.post_id = %s",
            [post.pk],
        )
        return {lexeme for (lexeme,) in cursor}


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the term index is PostgreSQL's (FTS5 on SQLite)"
)
def test_postgresql_term_rows_follow_the_document(publish, committing):
    """One row per term of the post's vector, written by the trigger on every change of the
    document; a word in the title scores above the same word in the body."""
    post = publish("Jardin d'hiver", "Le potager dort sous la neige.", summaries={"en": "Snow."})
    rows = term_rows(post)
    assert set(rows) == vector_terms(post) and {"jardin", "potag", "snow"} <= set(rows)
    assert {(language, year) for _s, language, year in rows.values()} == {
        ("fr", timezone.localtime(post.published_at).year)
    }
    assert rows["jardin"][0] > rows["potag"][0] > 0
    with committing():
        post.title = "Serre d'hiver"
        post.save()
    rows = term_rows(post)
    assert "jardin" not in rows and "serr" in rows and set(rows) == vector_terms(post)
    with committing():
        post.delete()
    assert term_rows(post) == {}
    other = publish("Jardin d'été", "Les tomates.")
    assert term_rows(other)
    with connection.cursor() as cursor:  # what Django's flush does between tests
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own deferred checks
        cursor.execute("TRUNCATE search_searchdocument")
        cursor.execute("SELECT count(*) FROM search_term")
        assert cursor.fetchone() == (0,)
