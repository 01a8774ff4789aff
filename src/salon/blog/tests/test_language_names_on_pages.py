"""Pages name languages in the reader's interface language, in every sentence and label; the
links to the language rivers keep each language's own name (a reader looks for their own)."""

import pytest

from .factories import PostFactory

pytestmark = pytest.mark.django_db


def feed_titles(tree, hreflang):
    return [
        link.get("title") for link in tree.cssselect(f"link[rel=alternate][hreflang={hreflang}]")
    ]


@pytest.mark.parametrize(
    "interface,river,title",
    [
        ("en", "fr", "Posts for readers of French"),
        ("en", "en", "Posts for readers of English"),
        ("fr", "en", "Les billets pour qui lit en anglais"),
        ("fr", "fr", "Les billets pour qui lit en français"),
    ],
)
def test_a_language_river_names_its_language_in_the_interface_language(
    client, parse, interface, river, title
):
    tree = parse(client.get(f"/{river}/", HTTP_ACCEPT_LANGUAGE=interface))
    assert tree.cssselect("h1")[0].text_content().strip() == title
    assert tree.findtext(".//title").startswith(title)
    # The river's own feeds, advertised in the head, say the same.
    [rss, *_] = feed_titles(tree, river)
    assert title.split()[-1] in rss, rss


@pytest.mark.parametrize("interface", ["en", "fr"])
def test_river_links_name_each_language_in_itself(client, parse, interface):
    tree = parse(client.get("/", HTTP_ACCEPT_LANGUAGE=interface))
    links = {a.get("hreflang"): a for a in tree.cssselect(".site-nav a[hreflang]")}
    assert (links["fr"].text, links["fr"].get("lang")) == ("Français", "fr")
    assert (links["en"].text, links["en"].get("lang")) == ("English", "en")


@pytest.mark.parametrize("interface,name", [("en", "French"), ("fr", "Français")])
def test_a_language_marker_is_explained_in_the_interface_language(client, parse, interface, name):
    """The ``[fr]`` marker's tooltip names the language for the reader, and says in which
    language it does so (the marker sits inside the post's own language)."""
    post = PostFactory(language="fr")
    for url in ("/", post.get_absolute_url()):
        tree = parse(client.get(url, HTTP_ACCEPT_LANGUAGE=interface))
        marker = tree.cssselect("article .post-title .language-marker")[0]
        assert (marker.text, marker.get("title"), marker.get("lang")) == ("[fr]", name, interface)
