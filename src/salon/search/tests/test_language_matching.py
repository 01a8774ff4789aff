"""A word finds its other forms in French and English: plurals, accents, and (through
summaries) the other language."""

import pytest

from .conftest import hit_titles, nothing_found, page


@pytest.fixture
def posts(indexed):
    return {
        "transformation": indexed(
            "Une transformation lente",
            "Le blog change de forme : une transformation sans fracas.",
        ),
        "numerique": indexed(
            "Le numérique au quotidien", "Ce que le numérique fait à nos journées."
        ),
        "organisation": indexed(
            "How an organisation learns",
            "Every organisation keeps a memory of its mistakes.",
            language="en",
        ),
        "bread": indexed(
            "Du pain au levain",
            "Farine, eau, sel et patience.",
            summaries={"en": "Baking sourdough bread at home, slowly."},
        ),
    }


def search(client, query, **params):
    return page(client.get("/search/", {"q": query, **params}))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("transformations", "Une transformation lente"),
        ("numerique", "Le numérique au quotidien"),
        ("NUMÉRIQUES", "Le numérique au quotidien"),
        ("organisations", "How an organisation learns"),
    ],
)
def test_a_word_finds_its_other_forms(client, posts, query, expected):
    """Plural, accents and case do not matter: ``transformations`` finds ``transformation``,
    ``numerique`` finds ``numérique``, ``organisations`` finds ``organisation``."""
    assert hit_titles(search(client, query)) == [expected]


def test_french_words_find_english_posts_and_the_reverse(client, posts):
    """A query is read in every configured language: ``organisations`` (French plural)
    finds an English post, and an English word finds a French post through its English
    summary, the bridge between languages."""
    assert hit_titles(search(client, "organisations")) == ["How an organisation learns"]
    assert hit_titles(search(client, "sourdough")) == ["Du pain au levain"]


def test_every_word_must_match(client, posts):
    """Several words narrow the search: a post must hold all of them (in any form)."""
    assert hit_titles(search(client, "numérique quotidien")) == ["Le numérique au quotidien"]
    assert nothing_found(search(client, "numérique sourdough"))


def test_function_words_are_left_out(client, posts):
    """Very common words (``le``, ``the``) are not searched for, so they neither block nor
    widen a search; a query made only of them says there is nothing to search for."""
    assert hit_titles(search(client, "le numérique")) == ["Le numérique au quotidien"]
    assert hit_titles(search(client, "the organisation")) == ["How an organisation learns"]
    document = search(client, "the le les")
    assert hit_titles(document) == []
    assert nothing_found(document)


def test_elisions_are_split(client, indexed):
    """``l'organisation`` is the word ``organisation`` (straight or curly apostrophe)."""
    indexed("Billet", "Tout dépend de l’organisation du travail.")
    assert hit_titles(search(client, "organisation")) == ["Billet"]
    assert hit_titles(search(client, "l'organisations")) == ["Billet"]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_index_terms_are_the_shared_analysis(language):
    """The index holds exactly what ``salon.languages.analysis.analyse`` makes of a text (the
    analysis similar posts use too), word by word cache or not."""
    from salon.languages.analysis import analyse
    from salon.search.text import terms

    text = (
        "Les transformations numériques de l’organisation, d'autres en 2024 : 42 œuvres. "
        "The company's organisations aren't simple; jusqu'à lorsqu'on foo_bar."
    )
    assert terms(text, language).split() == analyse(text.replace("_", " "), language)
