"""The search page: ranked hits with highlighted, escaped snippets; filters by language, tag
and year; pagination; labels and summaries in the reader's interface language; and a search
box on every page."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from .conftest import hit_titles, nothing_found, page, status_text


def get(client, language="en", **params):
    return page(client.get("/search/", params, HTTP_ACCEPT_LANGUAGE=language))


def test_a_title_hit_ranks_above_a_body_hit(client, indexed):
    """A post whose title holds the word comes before one that only mentions it, even when
    the latter is newer."""
    indexed("Le vélo en hiver", "Rouler quand il gèle.", when=timezone.now() - timedelta(days=5))
    indexed("Notes du mardi", "Courses, lessive, et un mot sur le vélo.")
    assert hit_titles(get(client, q="vélo")) == ["Le vélo en hiver", "Notes du mardi"]


def test_hits_are_marked_in_titles_and_snippets(client, indexed):
    """Every form of the searched word is marked, in the title and in the snippet."""
    indexed("Transformations", "Une transformation, puis une autre : tout se transforme.")
    document = get(client, q="transformation")
    marked = [mark.text for mark in document.cssselect(".search-result mark")]
    assert marked == ["Transformations", "transformation", "transforme"]
    snippet = document.cssselect(".search-result .snippet")[0]
    assert snippet.get("lang") == "fr"


def test_snippets_are_cut_around_the_hits(client, indexed):
    """In a long post the snippet shows the passage holding the word, not the beginning."""
    filler = " ".join(["Rien à signaler ce jour-là."] * 80)
    indexed("Journal", f"{filler} Puis vint la tempête sur le port. {filler}")
    snippet = get(client, q="tempête").cssselect(".search-result .snippet")[0]
    text = snippet.text_content()
    assert "tempête" in text
    assert text.startswith("…") and text.endswith("…")
    assert len(text) < 400


def test_snippets_are_escaped(client, indexed):
    """Text that looks like markup is shown as text: only <mark> is ever added."""
    indexed(
        "<img src=x onerror=alert(1)> Balises",
        "Écrire &lt;script&gt;alert(1)&lt;/script&gt; dans un billet sur les balises.",
    )
    document = get(client, q="balises")
    result = document.cssselect(".search-result")[0]
    assert not result.xpath(".//script | .//img")
    title = result.cssselect(".post-title a")[0]
    snippet = result.cssselect(".snippet")[0]
    assert {element.tag for element in title.iterdescendants()} == {"mark"}
    assert {element.tag for element in snippet.iterdescendants()} == {"mark"}
    assert "<script>alert(1)</script>" in snippet.text_content()
    assert "<img src=x onerror=alert(1)>" in title.text_content()


def test_filters_by_language_tag_and_year(client, indexed):
    """Language, tag and year narrow the hits, and the filter form keeps their values."""
    indexed("Marché du samedi", "Le marché.", tags=["ville"], when=2021)
    indexed("Market day", "The market, le marché.", language="en", tags=["ville"], when=2023)
    indexed("Autre marché", "Un marché.", tags=["campagne"], when=2023)
    assert len(hit_titles(get(client, q="marché"))) == 3
    assert hit_titles(get(client, q="marché", lang="en")) == ["Market day"]
    assert sorted(hit_titles(get(client, q="marché", tag="ville"))) == [
        "Marché du samedi",
        "Market day",
    ]
    document = get(client, q="marché", year="2023", tag="campagne")
    assert hit_titles(document) == ["Autre marché"]
    assert document.cssselect("#search-year option[selected]")[0].get("value") == "2023"
    assert document.cssselect("#search-tag option[selected]")[0].get("value") == "campagne"
    assert document.cssselect("#search-lang option[selected]") == []
    assert nothing_found(get(client, q="marché", year="2021", lang="en"))


@override_settings(SALON_POSTS_PER_PAGE=2)
def test_results_are_paginated(client, indexed):
    """Hits come a page at a time, each once, with links that keep the query and filters; a
    page past the last one shows the last one."""
    for day in range(5):
        indexed(f"Pluie {day}", "Il pleut.", when=timezone.now() - timedelta(days=day + 1))
    first = get(client, q="pluie", lang="fr")
    assert "5" in status_text(first)
    assert first.cssselect("ol.search-results")[0].get("start") == "1"
    next_link = first.cssselect(".pagination a[rel=next]")[0].get("href")
    assert "q=pluie" in next_link and "lang=fr" in next_link and "page=2" in next_link
    second = page(client.get("/search/" + next_link))
    assert second.cssselect("ol.search-results")[0].get("start") == "3"
    third = get(client, q="pluie", lang="fr", page="3")
    pages = [hit_titles(first), hit_titles(second), hit_titles(third)]
    assert [len(titles) for titles in pages] == [2, 2, 1]
    assert sorted(sum(pages, [])) == [f"Pluie {day}" for day in range(5)]
    assert hit_titles(get(client, q="pluie", lang="fr", page="99")) == pages[2]
    assert not third.cssselect(".pagination a[rel=next]")


def test_labels_follow_the_interface_language(client, indexed):
    """The page speaks the reader's interface language."""
    indexed("Le vélo", "Du vélo.")
    english = get(client, "en", q="vélo")
    french = get(client, "fr", q="vélo")
    assert english.cssselect("h1")[0].text == "Search"
    assert french.cssselect("h1")[0].text == "Recherche"
    assert "1 post found" in status_text(english)
    assert "1 billet trouvé" in status_text(french)


@pytest.mark.parametrize("interface", ["en", "fr"])
def test_a_hit_in_another_language_shows_its_summary_in_the_readers(client, indexed, interface):
    """A hit written in another language than the interface shows its summary in the
    interface language, marked with its ``lang``; a hit in the interface language does not."""
    indexed(
        "Du pain au levain", "Farine et patience.", summaries={"en": "Sourdough bread at home."}
    )
    indexed(
        "Bread notes",
        "On bread and patience.",
        language="en",
        summaries={"fr": "Notes sur le pain."},
    )
    document = get(client, interface, q="bread")
    results = {
        result.cssselect(".post-title a")[0].text_content(): result
        for result in document.cssselect(".search-result")
    }
    assert set(results) == {"Du pain au levain", "Bread notes"}
    for title, result in results.items():
        summaries = result.cssselect(".summary")
        if result.get("lang") == interface:
            assert summaries == [], title
        else:
            assert [s.get("lang") for s in summaries] == [interface], title


def test_every_page_has_a_search_box(client, indexed):
    """The header of every page holds a search form pointing at /search/."""
    post = indexed("Un billet", "Du texte.")
    for url in ("/", post.get_absolute_url(), "/search/"):
        document = page(client.get(url))
        forms = document.xpath("//header//form[@role='search']")
        assert len(forms) == 1, url
        assert forms[0].get("action") == "/search/"
        assert forms[0].xpath(".//input[@name='q']")


def test_tag_filters_keep_similar_slugs_apart(client, indexed):
    """Tags whose slugs differ only by punctuation (``small-web``, ``smallweb``) or case
    filter apart."""
    from salon.blog.models import Tag

    Tag.objects.create(name="Small web", slug="small-web")
    Tag.objects.create(name="Smallweb", slug="smallweb")
    Tag.objects.create(name="X", slug="x-2d")
    indexed("Un web à taille humaine", "Le web.", tags=["Small web"])
    indexed("Un autre web", "Le web.", tags=["Smallweb"])
    indexed("Encore le web", "Le web.", tags=["X"])
    assert hit_titles(get(client, q="web", tag="small-web")) == ["Un web à taille humaine"]
    assert hit_titles(get(client, q="web", tag="smallweb")) == ["Un autre web"]
    assert hit_titles(get(client, q="web", tag="x-2d")) == ["Encore le web"]
