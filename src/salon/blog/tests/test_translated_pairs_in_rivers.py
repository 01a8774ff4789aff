"""A text and its translation in the rivers: a language river shows the pair once, as the
version in its language, whose card links the other; the home river shows both, each in its
language, each linking the other."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salon.blog.models import Status
from salon.core import fragments

from .factories import PostFactory

pytestmark = pytest.mark.django_db


def make_pair(title_fr="Le vélo en hiver", title_en="Cycling in winter", en_status=None):
    french = PostFactory(title=title_fr, language="fr", summaries={"en": "A summary."})
    english = PostFactory(
        title=title_en,
        language="en",
        translation_key=french.translation_key,
        status=en_status or Status.PUBLISHED,
    )
    return french, english


def cards(tree):
    return {
        article.cssselect(".post-title a")[0].text_content(): article
        for article in tree.cssselect("article.h-entry")
    }


def also_in(card):
    return [
        (a.text_content(), a.get("href"), a.get("hreflang"))
        for a in card.cssselect(".translations a")
    ]


@pytest.mark.parametrize(
    "river,shown,hidden,link",
    [
        ("/en/", "Cycling in winter", "Le vélo en hiver", "Also in French"),
        ("/fr/", "Le vélo en hiver", "Cycling in winter", "Also in English"),
    ],
)
def test_language_river_shows_a_translated_text_once_as_its_translation(
    client, parse, river, shown, hidden, link
):
    french, english = make_pair()
    PostFactory(title="Autre billet", language="fr")
    other = {"Cycling in winter": french, "Le vélo en hiver": english}[shown]
    found = cards(parse(client.get(river, HTTP_ACCEPT_LANGUAGE="en")))
    assert hidden not in found
    assert "Autre billet" in found, "untranslated texts still come"
    card = found[shown]
    assert "post-compact" not in card.get("class"), "shown in full, in the river's language"
    assert also_in(card) == [(link, other.get_absolute_url(), other.language)]


def test_the_link_to_the_other_version_names_its_language_in_the_interface_language(client, parse):
    make_pair()
    card = cards(parse(client.get("/en/", HTTP_ACCEPT_LANGUAGE="fr")))["Cycling in winter"]
    [(text, _href, _lang)] = also_in(card)
    assert text == "Aussi en français"
    assert card.cssselect(".translations")[0].get("lang") == "fr"


def test_an_unpublished_translation_does_not_hide_the_original(client, parse):
    """Until the English version is public, English readers follow the French text through
    its summary, as any other French post."""
    make_pair(en_status=Status.DRAFT)
    found = cards(parse(client.get("/en/")))
    assert "Cycling in winter" not in found
    card = found["Le vélo en hiver"]
    assert "post-compact" in card.get("class")
    assert also_in(card) == [], "no link to a draft"


def test_home_river_shows_both_versions_each_linking_the_other(client, parse):
    french, english = make_pair()
    found = cards(parse(client.get("/")))
    assert also_in(found["Le vélo en hiver"]) == [
        ("Also in English", english.get_absolute_url(), "en")
    ]
    assert also_in(found["Cycling in winter"]) == [
        ("Also in French", french.get_absolute_url(), "fr")
    ]
    assert found["Le vélo en hiver"].get("lang") == "fr"
    assert found["Cycling in winter"].get("lang") == "en"


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url", ["/", "/en/", "/fr/"])
def test_pairs_cost_no_query_per_post(client, url, django_assert_num_queries, settings):
    settings.SALON_PAGE_CACHE_SECONDS = 0  # the rendering is measured, not a kept page
    for n in range(3):
        make_pair(f"Billet {n}", f"Post {n}")
    fragments.forget()  # every card rendered: the cost measured is the worst case
    few = count_queries(client, url)
    for n in range(3, 40):
        make_pair(f"Billet {n}", f"Post {n}")
    fragments.forget()
    with django_assert_num_queries(few):
        client.get(url)
