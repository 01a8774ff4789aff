"""Publishing, editing, unpublishing and deleting a post update the lists it belongs to,
through a background task run after the commit, without recomputing the whole index."""

import random

import pytest
from django.test import override_settings

from salon.blog.models import Post, PostSummary, Status, Tag
from salon.blog.tests.factories import PostFactory
from salon.similar.index import rebuild, refresh_post
from salon.similar.models import Document, IndexState, SimilarPost, Term
from salon.similar.vectors import ENTRY, FLOOR, unpack

from .conftest import listed

pytestmark = pytest.mark.django_db

BREAD = "Le levain nourrit la pâte du pain; farine, eau et sel suffisent au boulanger."
TRAINS = "Le train de nuit traverse les Alpes; les voyageurs dorment dans les couchettes."


def test_publishing_a_post_adds_it_to_the_lists_it_belongs_to(committed):
    """A newly published post gets its own list and enters the lists of related posts."""
    with committed():
        bread = PostFactory(title="Pain", language="fr", body=BREAD)
        PostFactory(title="Train", language="fr", body=TRAINS)
    with committed():
        new = PostFactory(title="Pain de mie", language="fr", body=BREAD + " Mie.")
    assert listed(bread) == ["Pain de mie"]
    assert listed(new) == ["Pain"]


def test_editing_a_post_moves_it_between_lists(committed):
    """A post rewritten about another subject leaves its old neighbours' lists and joins
    its new ones."""
    with committed():
        bread = PostFactory(title="Pain", language="fr", body=BREAD)
        trains = PostFactory(title="Train", language="fr", body=TRAINS)
        moving = PostFactory(title="Billet", language="fr", body=BREAD)
    assert listed(bread) == ["Billet"]
    with committed():
        moving.body = TRAINS
        moving.save()
    assert listed(bread) == []
    assert listed(trains) == ["Billet"]
    assert listed(moving) == ["Train"]


def test_unpublishing_removes_the_post_everywhere(committed):
    """A post back to draft leaves every list and loses its own."""
    with committed():
        bread = PostFactory(title="Pain", language="fr", body=BREAD)
        other = PostFactory(title="Pain bis", language="fr", body=BREAD)
    with committed():
        other.status = Status.DRAFT
        other.save()
    assert listed(bread) == []
    assert listed(other) == []
    assert not Document.objects.filter(post=other).exists()


@override_settings(SALON_SIMILAR_POSTS=1, SALON_SIMILAR_SPARE=0)
def test_deleting_a_post_refills_the_lists_it_left(committed):
    """When a listed post is deleted, the lists it was in are refilled with the next best
    posts (here a list of one with no spare, so it must be recomputed)."""
    with committed():
        bread = PostFactory(title="Pain", language="fr", body=BREAD, tags=["cuisine"])
        best = PostFactory(title="Pain bis", language="fr", body=BREAD, tags=["cuisine"])
        PostFactory(title="Cuisine", language="fr", body="Une soupe.", tags=["cuisine"])
    assert listed(bread) == ["Pain bis"]
    with committed():
        best.delete()
    assert listed(bread) == ["Cuisine"]
    assert not SimilarPost.objects.filter(post_id=best.pk).exists()


def test_tag_changes_update_the_lists(committed):
    """Adding a tag (from either side) or deleting it changes which posts are alike."""
    with committed():
        bread = PostFactory(title="Pain", language="fr", body=BREAD)
        trains = PostFactory(title="Train", language="fr", body=TRAINS)
    assert listed(bread) == []
    tag = Tag.objects.create(name="voyage")
    with committed():
        bread.tags.add(tag)
        tag.posts.add(trains)
    assert listed(bread) == ["Train"]
    with committed():
        tag.delete()
    assert listed(bread) == []


def test_a_new_summary_bridges_languages(committed):
    """Adding an English summary to a French post makes it comparable to English posts."""
    with committed():
        french = PostFactory(title="Pain", language="fr", body=BREAD)
        english = PostFactory(
            title="Bread", language="en", body="Sourdough starter feeds the bread dough."
        )
    assert listed(english) == []
    with committed():
        PostSummary.objects.create(post=french, language="en", text="Sourdough bread.")
    assert listed(english) == ["Pain"]


def test_refreshing_after_a_rebuild_changes_nothing():
    """The update of one post computes exactly what the rebuild computed (same weights,
    same scores), so the two paths never disagree for the same document frequencies."""
    rng = random.Random(5)
    words = [f"{stem}{n}" for stem in ("pain", "train", "vélo", "lac") for n in range(15)]
    for n in range(15):
        PostFactory(
            title=f"Billet {n}",
            language="fr",
            body=" ".join(rng.choice(words) for _ in range(rng.randint(10, 40))),
            tags=[f"t{n % 4}"],
            summaries={"en": f"Bread and trains {n % 3}"},
        )
    rebuild()
    before = sorted(SimilarPost.objects.values_list("post_id", "similar_id", "score"))
    for post in Post.objects.all():
        refresh_post(post.pk)
    after = sorted(SimilarPost.objects.values_list("post_id", "similar_id", "score"))
    assert [row[:2] for row in after] == [row[:2] for row in before]
    for (_, _, one), (_, _, two) in zip(before, after, strict=True):
        assert one == pytest.approx(two, abs=1e-6)


@override_settings(SALON_SIMILAR_POSTS=3, SALON_SIMILAR_SPARE=1)
def test_lists_stay_exact_through_many_edits(committed):
    """After any sequence of edits, each list shown is exactly the best posts by the stored
    vectors (recomputed here pair by pair from the vectors, which also checks that the
    posting lists follow them), the lists' floors are mirrored exactly, and document
    frequencies match what a rebuild counts."""
    rng = random.Random(11)
    vocabulary = (BREAD + " " + TRAINS + " vélo montagne rivière lac forêt neige").split()

    def text():
        return " ".join(rng.choice(vocabulary) for _ in range(rng.randint(5, 25)))

    with committed():
        posts = [
            PostFactory(
                title=f"Billet {n}", language="fr", body=text(), tags=[f"t{rng.randint(0, 5)}"]
            )
            for n in range(15)
        ]
    for _ in range(20):
        post = rng.choice(posts)
        with committed():
            action = rng.random()
            if action < 0.6:
                post.body = text()
                post.save()
            elif action < 0.8:
                post.status = (
                    Status.DRAFT if post.status == Status.PUBLISHED else (Status.PUBLISHED)
                )
                post.save()
            else:
                post.tags.set([Tag.objects.get_or_create(name=f"t{rng.randint(0, 5)}")[0]])
    shown = 3
    vectors = {
        document.post_id: {
            int(entry["term"]): float(entry["weight"]) for entry in unpack(document.vector, ENTRY)
        }
        for document in Document.objects.all()
    }

    def score(one, two):
        return sum(
            abs(weight) * abs(two[term])
            for term, weight in one.items()
            if term in two and not (weight < 0 and two[term] < 0)
        )

    for post_id, vector in vectors.items():
        scores = [
            (-score(vector, other_vector), other)
            for other, other_vector in vectors.items()
            if other != post_id
        ]
        exact = sorted(item for item in scores if -item[0] >= 0.03)[:shown]
        stored = sorted(
            (-score, other)
            for other, score in SimilarPost.objects.filter(post_id=post_id).values_list(
                "similar_id", "score"
            )
        )[:shown]
        assert [other for _, other in stored] == [other for _, other in exact]
        assert [-score for score, _ in stored] == pytest.approx([-score for score, _ in exact])
    mirror = {
        int(row["post"]): float(row["floor"]) for row in unpack(IndexState.get().floors, FLOOR)
    }
    assert mirror == pytest.approx(
        {
            post_id: -1.0 if complete else floor
            for post_id, complete, floor in Document.objects.values_list(
                "post_id", "complete", "floor"
            )
        }
    )
    counted = dict(Term.objects.filter(df__gt=0).values_list("key", "df"))
    rebuild()
    assert counted == dict(Term.objects.filter(df__gt=0).values_list("key", "df"))


@override_settings(SALON_SIMILAR_REBUILD_GROWTH=0.25)
def test_a_growing_blog_gets_a_full_rebuild(committed):
    """Once the blog has grown by a quarter since the last rebuild (and has 20 posts), the
    next update asks for a rebuild, so that idf never drifts far."""
    with committed():
        for n in range(21):
            PostFactory(title=f"Billet {n}", language="fr", body=BREAD)
    state = IndexState.get()
    assert state.rebuilt_at is not None
    assert state.posts_at_rebuild >= 20
