"""Whatever is typed or sent, the search page answers: sensible hits or a friendly
"nothing found", never an error."""

import pytest

from .conftest import hit_titles, nothing_found, page


@pytest.fixture
def posts(indexed):
    indexed("Le manifeste", "Un manifeste pour le web : les marchés sont des conversations.")
    indexed("Near the river", "A walk near the river, and a note on markets.", language="en")


def get(client, query_string):
    return page(client.get("/search/?" + query_string))


def test_an_empty_query_asks_for_words(client, posts):
    """An empty (or blank) query asks for words instead of listing anything."""
    for query_string in ("q=", "q=+++", "q=%09%0A"):
        document = get(client, query_string)
        assert hit_titles(document) == []
        assert nothing_found(document), query_string


def test_a_very_long_query_is_cut(client, posts):
    """A 10,000-character query is searched by its first words and says so."""
    document = get(client, "q=" + "manifeste+" + "x" * 10_000)
    assert nothing_found(document) or hit_titles(document) == ["Le manifeste"]
    long_words = "+".join(["manifeste"] + [f"mot{i}" for i in range(3000)])[:10_000]
    document = get(client, "q=" + long_words)
    assert document.cssselect(".notice")
    assert nothing_found(document)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"manifeste', ["Le manifeste"]),
        ('manifeste"', ["Le manifeste"]),
        ('"le manifeste"', ["Le manifeste"]),
        ("manif*", []),
        ("*", []),
        ("manifeste*", ["Le manifeste"]),
        ("-manifeste", ["Le manifeste"]),
        ("manifeste AND conversations", ["Le manifeste"]),
        ("manifeste OR river", []),
        ("NOT manifeste", ["Le manifeste"]),
        ("NEAR(manifeste conversations)", []),
        ("near river", ["Near the river"]),
        ("river NEAR", ["Near the river"]),
        ("title:manifeste", []),
        ("manifeste^2 {body}", []),
        ("'; DROP TABLE search_fts; --", []),
        ("('", []),
        ("&|!:*<->", []),
    ],
)
def test_search_syntax_is_plain_words(client, posts, query, expected):
    """FTS operators and stray quotes are punctuation or plain words: they never break the
    query and never act as operators (``AND`` is a common word, ``near`` an ordinary one)."""
    from urllib.parse import urlencode

    document = get(client, urlencode({"q": query}))
    assert hit_titles(document) == expected
    if not expected:
        assert nothing_found(document)


@pytest.mark.parametrize(
    "raw", ["%FF%FE", "%C3%28", "manifeste%FF", "%ED%A0%80", "%00", "%F0%9F%98"]
)
def test_invalid_utf8_is_not_an_error(client, posts, raw):
    """Bytes that are not UTF-8 (or a NUL) in the query string are replaced, not fatal."""
    document = get(client, "q=" + raw)
    if raw.startswith("manifeste"):
        assert hit_titles(document) == ["Le manifeste"]
    else:
        assert nothing_found(document)


@pytest.mark.parametrize(
    "query_string",
    [
        "q=manifeste&lang=xx",
        "q=manifeste&lang=%FF",
        "q=manifeste&tag=nope",
        "q=manifeste&year=abcd",
        "q=manifeste&year=99999999999999999999",
        "q=manifeste&page=abc",
        "q=manifeste&page=-3",
        "q=manifeste&page=99999999999999999999",
        "q=manifeste&q=river",
    ],
)
def test_invalid_filters_are_reported_and_ignored(client, posts, query_string):
    """An unknown language, tag, year or page is not a reason to fail: the search runs
    without it (and says so for the filters)."""
    document = get(client, query_string)
    assert hit_titles(document) == ["Le manifeste"] or hit_titles(document) == ["Near the river"]
    if any(name in query_string for name in ("lang=", "tag=", "year=")):
        assert document.cssselect(".search-errors li")


def test_only_reading_methods_are_answered(client, posts):
    """Searching changes nothing: GET and HEAD are answered, other methods refused (405)."""
    assert client.head("/search/?q=manifeste").status_code == 200
    assert client.post("/search/?q=manifeste").status_code == 405
