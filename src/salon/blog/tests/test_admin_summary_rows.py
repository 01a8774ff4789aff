"""The admin's "summaries in other languages" rows propose the languages a summary can be in:
not the text's own (refused anyway), nor one it already has a summary in."""

import pytest
from django.test import override_settings
from lxml import html

from salon.blog.models import Post

from .factories import PageFactory, PostFactory
from .test_admin import ADD_URL, post_form

pytestmark = pytest.mark.django_db


def proposed_languages(admin_client, url):
    """The language selected in each new summary row of the admin form at ``url``."""
    tree = html.fromstring(admin_client.get(url).content.decode())
    rows = []
    for select in tree.cssselect("select[name^='summaries-'][name$='-language']"):
        if "__prefix__" in select.get("name") or select.xpath(
            "ancestor::tr[contains(@class, 'has_original')]"
        ):
            continue  # the "add another" template, or a saved summary
        [selected] = select.cssselect("option[selected]")
        rows.append(selected.get("value"))
    return rows


def change_url(obj):
    return f"/admin/blog/{obj._meta.model_name}/{obj.pk}/change/"


def test_a_new_post_proposes_the_second_configured_language(admin_client):
    """Its own language field proposes the first (fr), so the summary row proposes en."""
    assert proposed_languages(admin_client, ADD_URL) == ["en"]


@pytest.mark.parametrize("language,other", [("fr", "en"), ("en", "fr")])
def test_an_existing_post_proposes_the_other_language(admin_client, language, other):
    post = PostFactory(language=language)
    assert proposed_languages(admin_client, change_url(post)) == [other]


def test_an_existing_page_proposes_the_other_language(admin_client):
    page = PageFactory(language="en")
    assert proposed_languages(admin_client, change_url(page)) == ["fr"]


@override_settings(SALON_LANGUAGES=["fr", "en", "de"])
def test_with_more_languages_rows_propose_the_missing_ones_in_order(admin_client):
    assert proposed_languages(admin_client, ADD_URL) == ["en", "de"]
    english = PostFactory(language="en")
    assert proposed_languages(admin_client, change_url(english)) == ["fr", "de"]
    summarised = PostFactory(language="fr", summaries={"en": "Already summarised."})
    assert proposed_languages(admin_client, change_url(summarised)) == ["de"]


def test_an_unused_row_is_ignored_whatever_language_it_shows(admin_client):
    """The author writes the new post in English and leaves the proposed row (en) empty:
    the post is saved, without a summary and without an error about that row."""
    response = admin_client.post(
        ADD_URL,
        post_form(language="en", **{"summaries-0-language": "en", "summaries-0-text": ""}),
    )
    assert response.status_code == 302
    assert not Post.objects.get().summaries.exists()
