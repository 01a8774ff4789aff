"""Language markers, detection and per-language analysis: the rules other apps rely on."""

import pytest
from django.core.checks import run_checks
from django.test import override_settings

from salon import languages
from salon.languages.analysis import analyse, fold_accents


def test_trailing_marker_is_split_off_the_title():
    assert languages.split_title_marker("Pourquoi j'écris [fr]") == ("Pourquoi j'écris", "fr")
    assert languages.split_title_marker("Post title [EN] ") == ("Post title", "en")


def test_unconfigured_or_absent_marker_leaves_the_title_alone():
    assert languages.split_title_marker("Quoted as written [sic]") == (
        "Quoted as written [sic]",
        None,
    )
    assert languages.split_title_marker("Ein Titel [de]") == ("Ein Titel [de]", None)
    assert languages.split_title_marker("No marker") == ("No marker", None)


def test_leading_marker_of_a_summary():
    assert languages.split_leading_marker("[en] About the web") == ("en", "About the web")
    assert languages.split_leading_marker("Plain text") == (None, "Plain text")


def test_detection_is_limited_to_configured_languages():
    assert (
        languages.detect_language("Le vélo reste le moyen le plus rapide de traverser la ville.")
        == "fr"
    )
    assert (
        languages.detect_language("The starter survives because many people care a little.") == "en"
    )
    assert languages.detect_language("", default="fr") == "fr"


@override_settings(SALON_LANGUAGES=["en"])
def test_a_single_language_blog_needs_no_detection():
    assert languages.detect_language("Bonjour tout le monde") == "en"


@override_settings(SALON_LANGUAGES=["fr", "xx"])
def test_unknown_configured_language_is_a_system_check_error():
    ids = {message.id for message in run_checks()}
    assert "salon.E002" in ids


@pytest.mark.parametrize(
    ("a", "b", "language"),
    [
        ("transformations", "transformation", "fr"),
        ("numerique", "numérique", "fr"),
        ("organisations", "organisation", "fr"),
        ("l'organisation", "organisation", "fr"),
        ("transformations", "transformation", "en"),
    ],
)
def test_analysis_makes_variants_meet(a, b, language):
    assert analyse(a, language) == analyse(b, language) != []


def test_analysis_drops_stop_words_and_folds_accents():
    assert analyse("Les enjeux de la transformation", "fr") == ["enjeux", "transform"]
    assert fold_accents("Œuvre à Noël") == "Oeuvre a Noel"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("plain words", "plain words"),
        ("Été, œuvres et Ærø", "Ete, oeuvres et Aerø"),  # ø has no accent to drop: kept
        ("e\u0301te\u0301", "ete"),  # accents typed as combining marks
        ("ﬁn ½ Ｎｏ²", "fin 1⁄2 No2"),  # compatibility forms are spelled out
        ("Straße İstanbul", "Straße Istanbul"),
        ("Ἀθῆναι, Москва́", "Αθηναι, Москва"),
    ],
)
def test_fold_accents_in_every_script(text, folded):
    """Folding drops combining marks and spells out compatibility forms and ligatures in
    every script, whether the text is ASCII, Latin with accents or anything else."""
    assert fold_accents(text) == folded


LOREM = (
    "Integer posuere erat a ante venenatis dapibus posuere velit aliquet. Aenean lacinia "
    "bibendum nulla sed consectetur. Etiam porta sem malesuada magna mollis euismod. Fusce "
    "dapibus, tellus ac cursus commodo, tortor mauris condimentum nibh, ut fermentum massa "
    "justo sit amet risus."
)


def test_with_min_confidence_text_in_no_configured_language_keeps_the_default():
    """Filler text is Latin first: detection is not confident, the given language stands."""
    assert languages.detect_language(LOREM, default="en", min_confidence=0.5) == "en"
    assert (
        languages.detect_language(
            "Le vélo reste le moyen le plus rapide de traverser la ville.",
            default="en",
            min_confidence=0.5,
        )
        == "fr"
    )


def test_without_min_confidence_detection_always_picks_a_configured_language():
    """Other callers (comments, Webmentions) keep the most likely configured language."""
    assert languages.detect_language(LOREM, default="en") == "fr"  # closer to it than to "en"
