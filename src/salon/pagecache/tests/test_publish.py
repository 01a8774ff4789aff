"""Static publishing: kept pages the same for everyone are also written as files, atomically,
and leave the front server's view at the moment what they show changes."""

import gzip
import os

import pytest
from django.test import Client

from salon.blog.tests.factories import PostFactory
from salon.pagecache import publish, store
from salon.pagecache.responses import Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(settings, tmp_path):
    settings.SALON_PAGE_CACHE_SECONDS = 600
    settings.SALON_STATIC_PUBLISH_DIR = str(tmp_path / "published")
    return tmp_path / "published"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def served(root, *parts):
    """The file nginx would serve (through the ``current`` link), or None."""
    path = root.joinpath("current", "testserver", *parts)
    return path.read_bytes() if path.exists() else None


def test_a_kept_page_is_published_with_its_gzip_copy(published):
    PostFactory(title="Marcher en ville", language="fr")
    page = Client().get("/").content
    assert served(published, "en", "index.html") == page
    assert gzip.decompress(served(published, "en", "index.html.gz")) == page
    Client().get("/", headers={"Accept-Language": "fr"})
    assert b'<html lang="fr">' in served(published, "fr", "index.html")
    Client().get("/feed/")
    assert b"<rss" in served(published, "en", "feed", "index.rss")
    files = [path for path in published.rglob("*") if path.is_file() and path.name != ".lock"]
    assert all(oct(path.stat().st_mode)[-3:] == "644" for path in files)
    assert not [path for path in files if path.name.startswith(".tmp-")]


def test_pages_made_per_visitor_are_not_published(published):
    protected = PostFactory(title="Carnet", language="fr", password="sesame")
    Client().get(protected.get_absolute_url())  # its form: a CSRF token per visitor
    path = protected.get_absolute_url().strip("/").split("/")
    assert served(published, "en", *path, "index.html") is None


def test_a_search_or_a_next_page_is_published_under_its_query_string(published, committed):
    with committed():  # indexed for search once committed
        for number in range(25):
            PostFactory(title=f"Marcher en ville {number}", language="fr")
    for address in ("/?page=2", "/search/?q=ville", "/search/?q=%C3%A9t%C3%A9&page=1"):
        page = Client().get(address).content
        path, query = address.split("?")
        assert served(published, "en", *path.strip("/").split("/"), f"index.{query}.html") == page
    assert b"Marcher en" in served(published, "en", "search", "index.q=ville.html")
    assert served(published, "en", "search", "index.q=ville.html.gz")


@pytest.mark.parametrize(
    "query",
    ["q=a/b", "q=../../etc", "q=<x>", "q=ville&utm_source=boost", "page=x"],
)
def test_a_query_string_that_cannot_be_one_file_name_is_not_published(published, query):
    Client().get(f"/search/?{query}")
    files = [path.name for path in published.rglob("*") if path.is_file()]
    assert not [name for name in files if name.startswith("index")], files


def test_a_post_page_with_its_comment_form_is_published(published):
    post = PostFactory(title="Marcher en ville", language="fr")
    page = Client().get(post.get_absolute_url())
    file = served(published, "en", *post.get_absolute_url().strip("/").split("/"), "index.html")
    assert file == page.content and b'class="comment-form"' in file


def test_a_change_takes_every_published_page_away_at_once(published, committed):
    post = PostFactory(title="Marcher en ville", language="fr")
    Client().get("/")
    Client().get("/fr/")
    assert served(published, "en", "index.html")
    with committed():
        post.title = "Marcher à la campagne"
        post.save()
    assert served(published, "en", "index.html") is None
    assert served(published, "en", "fr", "index.html") is None
    Client().get("/")
    assert "Marcher à la campagne" in served(published, "en", "index.html").decode()


def test_a_page_rendered_before_a_purge_is_not_published_after_it(published, rf):
    PostFactory(title="Marcher en ville", language="fr")
    before = store.generation()
    response = Client().get("/fr/")  # published under the current generation
    store.purge()  # meanwhile, an edit
    request = rf.get("/")
    request.LANGUAGE_CODE = "en"
    page = Page.of(response)
    assert not publish.page_kept(request, page, before, store.generation)
    assert served(published, "en", "index.html") is None
    assert os.readlink(published / "current") == os.path.join("gens", store.generation())
