"""The receiving endpoint checks requests as the W3C Recommendation asks, answers at once
(201 + a status page) and never fetches anything in the request."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from lxml import html

from salon.blog.models import Status
from salon.blog.tests.factories import PageFactory, PostFactory
from salon.webmention.models import ReceivedState, ReceivedWebmention

pytestmark = pytest.mark.django_db

ENDPOINT = "/webmention/"
SOURCE = "https://elsewhere.example/2024/reply"


@pytest.fixture
def post():
    return PostFactory(title="Cible", published_at=timezone.now() - timedelta(days=3))


def target_of(post):
    return settings.SITE_URL + post.get_absolute_url()


def send(client, **form):
    return client.post(ENDPOINT, form, HTTP_ACCEPT_LANGUAGE="en")


def refused(response):
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert not ReceivedWebmention.objects.exists()
    return response.content.decode()


def test_missing_source(client, post):
    assert "source field is missing" in refused(send(client, target=target_of(post)))


def test_missing_target(client, post):
    assert "target field is missing" in refused(send(client, source=SOURCE))


@pytest.mark.parametrize(
    "bad",
    [
        "not a url",
        "//elsewhere.example/x",
        "http://",
        "http://exa mple.org/",
        "http://example.org:99999/",
    ],
)
def test_malformed_source(client, post, bad):
    message = refused(send(client, source=bad, target=target_of(post)))
    assert "source" in message and ("valid URL" in message or "absolute URL" in message)


@pytest.mark.parametrize("scheme", ["ftp", "javascript", "file", "gopher"])
def test_unsupported_scheme(client, post, scheme):
    message = refused(
        send(client, source=f"{scheme}://elsewhere.example/x", target=target_of(post))
    )
    assert f"“{scheme}”" in message and "only http and https" in message


def test_source_equal_to_target(client, post):
    target = target_of(post)
    assert "are the same URL" in refused(send(client, source=target, target=target))


def test_target_on_another_site(client, post):
    message = refused(
        send(client, source=SOURCE, target="https://other.example" + post.get_absolute_url())
    )
    assert "not on this site" in message


def test_target_that_is_not_a_post(client, post):
    PageFactory(slug="about")
    for path in ["/", "/about/", "/2024/", "/tag/x/"]:
        message = refused(send(client, source=SOURCE, target=settings.SITE_URL + path))
        assert "not a post of this site" in message


def test_target_post_that_does_not_exist_or_is_not_public(client, post):
    missing = settings.SITE_URL + "/2024/01/01/nothing-here/"
    assert "no post at the target" in refused(send(client, source=SOURCE, target=missing))
    draft = PostFactory(status=Status.DRAFT)
    assert "no post at the target" in refused(send(client, source=SOURCE, target=target_of(draft)))


def test_target_post_with_closed_comments(client):
    closed = PostFactory(comments_open=False)
    assert "does not accept responses" in refused(
        send(client, source=SOURCE, target=target_of(closed))
    )


def test_refusals_are_translated(client, post):
    response = client.post(ENDPOINT, {"target": target_of(post)}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert "source" in response.content.decode() and "manquant" in response.content.decode()


def test_valid_request_answers_201_with_a_status_page_without_fetching(client, post):
    """Accepted: 201, Location names a status page; the source (an address nobody answers
    at) is not fetched in the request: the row waits for its task."""
    response = send(client, source=SOURCE, target=target_of(post))
    assert response.status_code == 201
    row = ReceivedWebmention.objects.get()
    assert row.state == ReceivedState.PENDING
    assert row.post == post and row.source == SOURCE and row.source_host == "elsewhere.example"
    location = response["Location"]
    assert location == f"{settings.SITE_URL}/webmention/{row.token}/"
    status_page = client.get(location.removeprefix(settings.SITE_URL), HTTP_ACCEPT_LANGUAGE="en")
    tree = html.fromstring(status_page.content.decode())
    assert tree.cssselect(".state")[0].get("data-state") == "pending"
    assert tree.cssselect("a.source")[0].get("href") == SOURCE


def test_same_source_twice_keeps_one_row_and_one_status_page(client, post):
    first = send(client, source=SOURCE, target=target_of(post))
    second = send(client, source=SOURCE, target=target_of(post))
    assert first["Location"] == second["Location"]
    assert ReceivedWebmention.objects.count() == 1


def test_endpoint_is_rate_limited_per_source_host(client, post, settings):
    """Past the limit a source host gets 429 with Retry-After; other hosts are not affected."""
    settings.SALON_WEBMENTION_RATE_LIMIT = "3/60"
    target = target_of(post)
    for n in range(3):
        assert send(client, source=f"https://busy.example/{n}", target=target).status_code == 201
    response = send(client, source="https://busy.example/4", target=target)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "Too many Webmentions from busy.example" in response.content.decode()
    assert send(client, source="https://calm.example/1", target=target).status_code == 201


def test_get_shows_a_form_and_other_methods_are_refused(client):
    response = client.get(ENDPOINT)
    assert response.status_code == 200
    tree = html.fromstring(response.content.decode())
    assert {i.get("name") for i in tree.cssselect("form input")} >= {"source", "target"}
    assert client.put(ENDPOINT).status_code == 405


def test_unknown_status_page_is_404(client):
    assert client.get("/webmention/00000000-0000-0000-0000-000000000000/").status_code == 404
