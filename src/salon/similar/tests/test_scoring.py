"""What makes two posts similar: their words in each language space, their tags, their titles;
summaries bridge languages; drafts and translations are never listed."""

import pytest
from django.test import override_settings

from salon.blog.models import Status
from salon.blog.tests.factories import PostFactory
from salon.similar.index import explain, rebuild, similar_posts

from .conftest import listed

pytestmark = pytest.mark.django_db

BREAD_FR = "Le levain nourrit la pâte du pain; la farine, l'eau et le sel suffisent au boulanger."
BREAD_EN = "Sourdough starter feeds the bread dough; flour, water and salt are all a baker needs."
TRAINS_FR = "Le train de nuit traverse les Alpes; les voyageurs dorment dans les couchettes."
TRAINS_EN = "The night train crosses the Alps while travellers sleep in their bunks."
CHESS_EN = "Opening theory in chess: the queen's gambit, the sicilian defence and endgames."


def test_summary_bridges_languages():
    """A French post with an English summary is found from an English post on the same
    subject (and the reverse), though they share no word in any one language's text."""
    bread_fr = PostFactory(
        title="Mon levain",
        language="fr",
        body=BREAD_FR,
        summaries={"en": "My sourdough starter and the bread it makes."},
    )
    bread_en = PostFactory(
        title="Baking bread",
        language="en",
        body=BREAD_EN,
        summaries={"fr": "Faire son pain au levain à la maison."},
    )
    PostFactory(
        title="Train de nuit",
        language="fr",
        body=TRAINS_FR,
        summaries={"en": "A night train through the Alps."},
    )
    PostFactory(title="Chess openings", language="en", body=CHESS_EN)
    rebuild()
    assert listed(bread_en)[0] == "Mon levain"
    assert listed(bread_fr)[0] == "Baking bread"


def test_without_summary_no_bridge():
    """Without summaries, posts in two languages about the same thing have nothing in common
    for the index (no translation is attempted), so they are not listed."""
    bread_fr = PostFactory(title="Mon levain", language="fr", body=BREAD_FR)
    PostFactory(title="Baking bread", language="en", body=BREAD_EN)
    rebuild()
    assert listed(bread_fr) == []


def test_shared_summaries_do_not_make_posts_alike():
    """Two posts that share only a boilerplate summary ("my weekly column, republished") are
    not similar: a summary meets other posts' own text, never their summaries."""
    boilerplate = {"en": "I write a weekly column for a magazine and republish it here."}
    one = PostFactory(title="Le train", language="fr", body=TRAINS_FR, summaries=boilerplate)
    PostFactory(title="Le pain", language="fr", body=BREAD_FR, summaries=boilerplate)
    rebuild()
    assert listed(one) == []


def test_tags_bring_posts_together():
    """Posts sharing a tag are similar even when their words differ, and a shared tag ranks
    a post above one that shares nothing."""
    tagged = PostFactory(title="Le train", language="fr", body=TRAINS_FR, tags=["voyage"])
    PostFactory(title="Le pain", language="fr", body=BREAD_FR, tags=["voyage"])
    PostFactory(title="Échecs", language="fr", body="Ouverture, défense sicilienne, finale.")
    rebuild()
    assert listed(tagged) == ["Le pain"]


def test_title_words_weigh_more_than_body_words():
    """A word in the title says more about a post than the same word in its body: of two
    posts each sharing one word with a third, the one sharing a title word comes first."""
    common = "Texte de remplissage sans rapport avec le sujet, écrit pour allonger le billet."
    origin = PostFactory(title="Vélo et montagne", language="fr", body=common + " vélo montagne")
    PostFactory(title="Le vélo", language="fr", body=common)
    PostFactory(title="Une balade", language="fr", body=common + " montagne")
    rebuild()
    assert listed(origin)[0] == "Le vélo"


def test_only_published_and_scheduled_posts_are_indexed():
    """Drafts are neither given a list nor listed; scheduled posts are indexed (so they
    appear when their time comes) but not shown before."""
    from datetime import timedelta

    from django.utils import timezone

    post = PostFactory(title="Pain", language="fr", body=BREAD_FR)
    PostFactory(title="Brouillon", language="fr", body=BREAD_FR, status=Status.DRAFT)
    PostFactory(
        title="Programmé",
        language="fr",
        body=BREAD_FR,
        status=Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=2),
    )
    rebuild()
    assert listed(post) == ["Programmé"]
    assert similar_posts(post, "fr") == []


def test_translations_are_not_listed():
    """A post's translations are shown as such ("Also in"); they are not similar posts."""
    original = PostFactory(
        title="Le pain", language="fr", body=BREAD_FR, summaries={"en": "Bread with sourdough."}
    )
    PostFactory(
        title="Bread", language="en", body=BREAD_EN, translation_key=original.translation_key
    )
    rebuild()
    assert listed(original) == []


@override_settings(SALON_SIMILAR_POSTS=2, SALON_SIMILAR_SPARE=0)
def test_number_shown_is_configurable():
    """``SALON_SIMILAR_POSTS`` posts at most are listed, most similar first."""
    post = PostFactory(title="Pain", language="fr", body=BREAD_FR, tags=["cuisine"])
    for n in range(4):
        PostFactory(
            title=f"Pain {n}", language="fr", body=BREAD_FR[: 40 + n * 10], tags=["cuisine"]
        )
    rebuild()
    found = similar_posts(post, "fr")
    assert len(found) == 2
    assert found[0].similar_score >= found[1].similar_score


def test_scores_are_explained_by_shared_terms():
    """Each score is the sum of the contributions of the terms two posts share."""
    post = PostFactory(title="Pain au levain", language="fr", body=BREAD_FR, tags=["cuisine"])
    PostFactory(title="Levain", language="fr", body=BREAD_FR[:60], tags=["cuisine"])
    rebuild()
    [(similar, score, shared)] = explain(post)
    assert similar.title == "Levain"
    assert sum(weight for _, weight in shared) == pytest.approx(score)
    assert "fr:levain" in dict(shared)
