"""What public pages say on the wire: validators and 304s, caching headers, Vary, gzip (the
same bytes for everyone where nobody's secret is in the page, padded where one is)."""

import gzip

import pytest
from django.test import Client

from salon.blog.tests.factories import PostFactory
from salon.pagecache.middleware import HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[600, 0], ids=["cache-on", "cache-off"])
def cache_seconds(request, settings):
    settings.SALON_PAGE_CACHE_SECONDS = request.param
    return request.param


@pytest.fixture
def post():
    return PostFactory(title="Marcher en ville", language="fr", body="On pense en marchant. " * 40)


@pytest.fixture
def protected():
    """A post behind a password: its page holds a form with a CSRF token, made per visitor."""
    return PostFactory(title="Carnet", language="fr", body="Pour les amis.", password="sesame")


@pytest.mark.parametrize("path", ["/", "/fr/", "post", "/feed/"])
def test_every_public_page_has_a_validator_and_answers_304(cache_seconds, post, path):
    path = post.get_absolute_url() if path == "post" else path
    client = Client()
    first = client.get(path)
    etag = first["ETag"]
    assert etag
    assert "stale-while-revalidate" in first["Cache-Control"] or path == "/feed/"
    for _ in range(2):  # rendered (cache off, or first visit) and kept alike
        again = client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
    changed = Client().get(path, headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200 and changed["ETag"] == etag


def test_public_pages_vary_on_what_chooses_their_language_and_encoding(cache_seconds, post):
    response = Client().get("/fr/")
    vary = {name.strip().lower() for name in response["Vary"].split(",")}
    assert {"accept-language", "cookie", "accept-encoding"} <= vary
    assert "public" in response["Cache-Control"]
    french = Client().get("/fr/", headers={"Accept-Language": "fr"})
    assert french["Content-Language"] == "fr" and response["Content-Language"] == "en"


def test_a_page_without_secrets_is_compressed_once_for_everyone(settings, post):
    settings.SALON_PAGE_CACHE_SECONDS = 600
    plain = Client().get("/").content
    first = Client().get("/", headers={"Accept-Encoding": "gzip, br"})
    second = Client().get("/", headers={"Accept-Encoding": "gzip"})
    assert first["Content-Encoding"] == "gzip" and second[HEADER] == "hit"
    assert gzip.decompress(first.content) == plain
    assert second.content == first.content  # compressed when kept, the same bytes
    assert len(first.content) < len(plain) / 2
    assert first["ETag"].startswith("W/")


def test_a_page_with_a_form_is_compressed_per_visitor_with_padding(cache_seconds, protected):
    bodies = []
    for _ in range(3):
        response = Client().get(protected.get_absolute_url(), headers={"Accept-Encoding": "gzip"})
        assert response["Content-Encoding"] == "gzip"
        page = gzip.decompress(response.content)
        token = response.cookies["csrftoken"].value if "csrftoken" in response.cookies else None
        assert b'name="csrfmiddlewaretoken"' in page and token
        bodies.append(response.content)
    # Each visitor's own token, and a random length added to the gzip header (BREACH).
    assert len(set(bodies)) == 3
    assert len({len(body) for body in bodies}) > 1


def test_a_copy_of_a_page_with_a_form_is_current_only_with_its_cookie(settings, protected):
    settings.SALON_PAGE_CACHE_SECONDS = 600
    client = Client()
    url = protected.get_absolute_url()
    first = client.get(url)
    etag = first["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    # A reader whose cookies were cleared: their copy's token is no longer theirs.
    stranger = Client().get(url, headers={"If-None-Match": etag})
    assert stranger.status_code == 200


def test_json_and_html_readers_are_kept_apart(settings, post):
    settings.SALON_PAGE_CACHE_SECONDS = 600
    Client().get("/", headers={"Accept": "application/activity+json"})
    html = Client().get("/", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert html[HEADER] == "miss"
    assert Client().get("/")[HEADER] == "hit"  # every HTML reader shares the entry


@pytest.mark.parametrize("path", ["/", "post"])
def test_public_pages_carry_no_token_and_set_no_cookie(settings, post, path):
    """Not even a post's, with its comment form (see salon.conversations.views._forged)."""
    settings.SALON_PAGE_CACHE_SECONDS = 600
    for _ in range(2):
        response = Client().get(post.get_absolute_url() if path == "post" else path)
        assert b"csrfmiddlewaretoken" not in response.content
        assert not response.cookies
    # The language switcher in every page's header still works, token-free.
    switcher = Client(enforce_csrf_checks=True)
    switched = switcher.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert switched.status_code == 302
    assert '<html lang="fr">' in switcher.get("/").content.decode()


def test_a_page_the_same_for_everyone_is_answered_before_the_middleware_stack(
    settings, post, protected
):
    settings.SALON_PAGE_CACHE_SECONDS = 600
    first = Client().get("/fr/")
    hit = Client().get("/fr/", headers={"Accept-Encoding": "gzip"})
    assert hit[HEADER] == "hit"
    assert not hasattr(hit.wsgi_request, "user")  # the authentication middleware never ran
    # …with the headers the whole stack gave the page when it was rendered.
    for name in ("X-Content-Type-Options", "Referrer-Policy", "Link", "Content-Language"):
        assert hit[name] == first[name], name
    assert gzip.decompress(hit.content) == first.content
    assert hit["ETag"] == "W/" + first["ETag"]
    # A post's page, comment form included, is the same for everyone too.
    Client().get(post.get_absolute_url())
    early = Client().get(post.get_absolute_url())
    assert early[HEADER] == "hit" and not hasattr(early.wsgi_request, "user")
    # A page with a CSRF token (a protected post's form) goes through the stack.
    Client().get(protected.get_absolute_url())
    kept = Client().get(protected.get_absolute_url())
    assert kept[HEADER] == "hit" and hasattr(kept.wsgi_request, "user")
