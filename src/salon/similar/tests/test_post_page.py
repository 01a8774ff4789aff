"""The list at the end of a post page: readable by people and by tools, in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salon.blog.models import Post
from salon.blog.tests.factories import PostFactory
from salon.core import fragments
from salon.similar.index import rebuild

pytestmark = pytest.mark.django_db

BREAD_FR = "Le levain nourrit la pâte du pain; la farine, l'eau et le sel suffisent au boulanger."
BREAD_EN = "Sourdough starter feeds the bread dough; flour, water and salt are all a baker needs."


@pytest.fixture
def bread():
    """An English post and two French posts on the same subject, one French unrelated."""
    english = PostFactory(
        title="Baking bread",
        language="en",
        body=BREAD_EN,
        tags=["bread"],
        summaries={"fr": "Faire son pain au levain."},
    )
    close = PostFactory(
        title="Mon levain",
        language="fr",
        body=BREAD_FR,
        tags=["bread"],
        summaries={"en": "My sourdough starter and the bread it makes."},
    )
    far = PostFactory(
        title="Le pain du dimanche",
        language="fr",
        body=BREAD_FR[:50],
        summaries={"en": "Sunday bread."},
    )
    PostFactory(title="Échecs", language="fr", body="Ouverture sicilienne et finales de tours.")
    rebuild()
    return english, close, far


def similar_list(page):
    [element] = page.cssselect(".similar-posts")
    return element


def test_list_links_to_permalinks_most_similar_first(client, parse, bread):
    """The element with class ``similar-posts`` holds links to the similar posts'
    permalinks, most similar first, each with its language marker."""
    english, close, far = bread
    page = parse(client.get(english.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
    items = similar_list(page).cssselect("li")
    assert [item.cssselect("a")[0].get("href") for item in items] == [
        close.get_absolute_url(),
        far.get_absolute_url(),
    ]
    assert [item.cssselect(".language-marker")[0].text_content() for item in items] == [
        "[fr]",
        "[fr]",
    ]


def test_hit_in_another_language_shows_its_summary_in_the_page_language(client, parse, bread):
    """A French post listed on a page read in English shows its English summary, marked
    ``lang="en"``; its title carries ``lang="fr"``."""
    english, close, _ = bread
    page = parse(client.get(english.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
    first = similar_list(page).cssselect("li")[0]
    link = first.cssselect("a")[0]
    assert link.get("lang") == "fr"
    [summary] = first.cssselect(".summary")
    assert summary.get("lang") == "en"
    assert summary.text_content() == "My sourdough starter and the bread it makes."


def test_hit_in_the_page_language_shows_no_summary(client, parse, bread):
    """Read in French, the same French hits need no summary."""
    english, _, _ = bread
    page = parse(client.get(english.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr"))
    assert similar_list(page).cssselect(".summary") == []


def test_heading_is_translated(client, parse, bread):
    """The list's heading speaks the interface language."""
    english, _, _ = bread
    page = parse(client.get(english.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr"))
    assert page.cssselect(".similar h2")[0].text_content() == "Billets similaires"


def test_no_list_when_nothing_is_similar(client, parse):
    """A post with nothing similar has no list at all (no empty heading)."""
    post = PostFactory(title="Seul", language="fr", body="Rien à voir.")
    rebuild()
    page = parse(client.get(post.get_absolute_url()))
    assert page.cssselect(".similar-posts") == []


def test_a_deleted_post_is_never_shown(client, parse, bread):
    """Between a deletion and the index update, the list simply leaves the post out."""
    english, close, far = bread
    Post.objects.filter(pk=close.pk).delete()
    page = parse(client.get(english.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
    hrefs = [a.get("href") for a in similar_list(page).cssselect("a")]
    assert hrefs == [far.get_absolute_url()]


def queries_for(client, url):
    fragments.forget()  # the list read and rendered, not kept from the visit before
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_query_count_does_not_grow_with_posts(client, settings):
    """The page reads its list in one query, however many posts and similar posts."""
    settings.SALON_PAGE_CACHE_SECONDS = 0  # the rendering is measured, not a kept page
    posts = [
        PostFactory(
            title=f"Pain {n}",
            language="fr" if n % 3 else "en",
            body=BREAD_FR if n % 3 else BREAD_EN,
            tags=["bread"],
            summaries={"en" if n % 3 else "fr": f"Bread, again ({n})."},
        )
        for n in range(4)
    ]
    rebuild()
    few = queries_for(client, posts[1].get_absolute_url())
    for n in range(4, 40):
        PostFactory(
            title=f"Pain {n}",
            language="fr" if n % 3 else "en",
            body=BREAD_FR if n % 3 else BREAD_EN,
            tags=["bread"],
            summaries={"en" if n % 3 else "fr": f"Bread, again ({n})."},
        )
    rebuild()
    many = queries_for(client, posts[1].get_absolute_url())
    assert few == many


def test_list_adds_no_microformats_entries(client, bread):
    """The list is navigation, not content: parsed with mf2py, the page's only h-entry is the
    post itself (Webmention receivers read the first h-entry of the page)."""
    import mf2py

    english, _, _ = bread
    response = client.get(english.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    parsed = mf2py.parse(doc=response.content.decode(), url="http://127.0.0.1/")
    entries = [item for item in parsed["items"] if "h-entry" in item["type"]]
    assert [entry["properties"]["name"][0].split(" [")[0] for entry in entries] == ["Baking bread"]
