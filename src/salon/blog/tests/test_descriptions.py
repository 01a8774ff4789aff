"""Every page has exactly one meta description, in the page's language (or marked with its own):
the site's for rivers, a sentence for tags, series, search and the 404 page, and for posts and
pages their summary in the reader's language, else their first sentences."""

import lxml.html
import pytest
from django.test import override_settings

from salon.blog.tests.factories import PageFactory, PostFactory, SeriesFactory
from salon.site.tests.test_settings import salon_python

pytestmark = pytest.mark.django_db

VELO = (
    "Il fait nuit à dix-sept heures et la chaussée brille. Pourtant le vélo reste le moyen le "
    "plus rapide de traverser la ville. Quelques conseils appris à mes dépens : des gants "
    "vraiment chauds, une lumière de plus que nécessaire, et de la patience aux carrefours."
)


def description(client, url, language):
    """(text, language) of the page's only meta description; its language is its own lang
    attribute, else the page's."""
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    document = lxml.html.fromstring(response.content)
    assert document.get("lang") == language, url
    metas = document.xpath('//meta[@name="description"]')
    assert len(metas) == 1, f"{url}: {len(metas)} meta descriptions"
    text = metas[0].get("content", "").strip()
    assert text, f"{url}: empty meta description"
    return text, metas[0].get("lang") or document.get("lang")


@pytest.fixture
def blog():
    series = SeriesFactory(
        title="#back2blog",
        slug="back2blog",
        description="Ten posts in ten days to get back into the habit of writing on this blog.",
    )
    velo = PostFactory(title="Le vélo en hiver", language="fr", body=VELO, tags=["ville"])
    bread = PostFactory(
        title="Sourdough notes",
        language="en",
        series=series,
        series_position=1,
        body="Our building has a shared kitchen. Since spring it has had a shared starter.",
        summaries={"fr": "Un levain partagé dans une cuisine commune."},
    )
    about = PageFactory(title="About", slug="about", language="en", body="I write about bread.")
    about.summaries.create(language="fr", text="Qui écrit ici, et comment me joindre.")
    return {"velo": velo, "bread": bread, "about": about}


EXPECTED = {
    "en": {
        "river": "Salon: a blog written in French and English, and the conversations around its "
        "posts.",
        "tag": "Posts tagged “ville”.",
        "series": "Ten posts in ten days to get back into the habit of writing on this blog.",
        "search": "Search the posts of this blog in every language it is written in.",
        "404": "There is nothing at this address. It may have moved, or the link may be mistyped.",
        "bread": (
            "Our building has a shared kitchen. Since spring it has had a shared starter.",
            "en",
        ),
        "about": ("I write about bread.", "en"),
    },
    "fr": {
        "river": "Salon : un blog écrit en plusieurs langues (français et anglais), et les "
        "conversations autour de ses billets.",
        "tag": "Billets avec le mot-clé « ville ».",
        "series": "Les billets de la série « #back2blog », dans l’ordre de lecture.",
        "search": "Chercher dans les billets de ce blog, dans toutes les langues où il est écrit.",
        "404": "Il n'y a rien à cette adresse. La page a peut-être changé de place, ou le lien "
        "contient une faute de frappe.",
        "bread": ("Un levain partagé dans une cuisine commune.", "fr"),
        "about": ("Qui écrit ici, et comment me joindre.", "fr"),
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_page_type_has_one_description_in_the_page_language(client, blog, language):
    expected = EXPECTED[language]
    year = blog["velo"].published_at.year
    for url in ["/", "/fr/", "/en/", f"/{year}/"]:
        assert description(client, url, language) == (expected["river"], language), url
    assert description(client, "/tag/ville/", language) == (expected["tag"], language)
    assert description(client, "/series/back2blog/", language) == (expected["series"], language)
    assert description(client, "/search/?q=vélo", language) == (expected["search"], language)
    assert description(client, "/nowhere/", language) == (expected["404"], language)
    bread = description(client, blog["bread"].get_absolute_url(), language)
    assert bread == expected["bread"]
    about = description(client, blog["about"].get_absolute_url(), language)
    assert about == expected["about"]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_post_without_summary_is_described_by_its_first_sentences_marked_with_its_language(
    client, blog, language
):
    """Whole sentences up to about 160 characters, plain text; on an English page the French
    sentences carry lang="fr"."""
    text, text_language = description(client, blog["velo"].get_absolute_url(), language)
    assert text_language == "fr"
    assert text == (
        "Il fait nuit à dix-sept heures et la chaussée brille. Pourtant le vélo "
        "reste le moyen le plus rapide de traverser la ville."
    )
    assert len(text) <= 160


def test_a_long_first_sentence_is_cut_at_a_word(client):
    body = "Une phrase " + " ".join(["interminable"] * 40) + ", qui ne finit jamais."
    post = PostFactory(body=f"<p>{body}</p>", body_format="html")
    text, _ = description(client, post.get_absolute_url(), "fr")
    assert len(text) <= 160 and text.endswith("interminable…")
    assert "<" not in text


def test_a_protected_post_keeps_its_text_out_of_its_description(client):
    post = PostFactory(body="Le secret est sous le pot de fleurs.", password="levain")
    text, _ = description(client, post.get_absolute_url(), "fr")
    assert "secret" not in text


def test_the_site_description_is_set_once_or_per_language(client):
    PostFactory()
    with override_settings(
        SALON_SITE_DESCRIPTION="Bread, bicycles, languages.",
        SALON_SITE_DESCRIPTIONS={"fr": "Du pain, des vélos, des langues.", "en": ""},
    ):
        assert description(client, "/", "en") == ("Bread, bicycles, languages.", "en")
        assert description(client, "/", "fr") == ("Du pain, des vélos, des langues.", "fr")


def test_the_site_descriptions_are_read_from_the_environment(tmp_path):
    out = salon_python(
        tmp_path,
        "from django.conf import settings; "
        "print(settings.SALON_SITE_DESCRIPTION, '|', settings.SALON_SITE_DESCRIPTIONS['fr'])",
        SALON_SITE_DESCRIPTION="Bread.",
        SALON_SITE_DESCRIPTION_FR="Du pain.",
    )
    assert out == "Bread. | Du pain."
