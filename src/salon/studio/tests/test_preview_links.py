"""A secret preview link: a draft for whoever holds it, until it expires or is revoked; never
indexed, never kept by a cache, never leaking its address as a referrer."""

from datetime import timedelta

import lxml.html
import pytest
from django.utils import timezone

from salon.pagecache.middleware import HEADER
from salon.studio.models import PreviewLink


@pytest.fixture
def link(author, draft):
    response = author.post(f"/write/{draft.pk}/links/", {"days": "7"})
    assert response.status_code == 302
    return PreviewLink.objects.get(post=draft)


def test_the_author_makes_a_link_that_lasts_as_chosen(link, author, draft):
    assert timedelta(days=6, hours=23) < link.expires_at - timezone.now() <= timedelta(days=7)
    page = lxml.html.fromstring(author.get(f"/write/{draft.pk}/").content)
    shown = page.cssselect(".studio-link-url")[0].get("value")
    assert shown.endswith(f"/preview/{link.token}/")
    assert len(link.token) >= 32


def test_a_stranger_opens_the_draft(link, client, settings):
    settings.SALON_PAGE_CACHE_SECONDS = 600
    client.logout()
    response = client.get(f"/preview/{link.token}/")
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    assert page.cssselect("h1.post-title")[0].text.strip() == "Un brouillon"
    assert page.cssselect("meta[name=robots]")[0].get("content") == "noindex, nofollow"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert HEADER not in response  # the page cache neither served nor kept it
    assert HEADER not in client.get(f"/preview/{link.token}/")
    assert client.get("/").get(HEADER) == "miss"  # (the page cache is on for blog pages)


def test_a_revoked_link_stops(link, author, client):
    response = author.post(f"/write/{link.post_id}/links/{link.pk}/revoke/")
    assert response.status_code == 302
    client.logout()
    assert client.get(f"/preview/{link.token}/").status_code == 404


def test_an_expired_or_unknown_link_does_not_open(link, client):
    PreviewLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())
    client.logout()
    assert client.get(f"/preview/{link.token}/").status_code == 404
    assert client.get("/preview/guessed-token/").status_code == 404


def test_only_the_author_makes_or_revokes_links(link, client, draft):
    client.logout()
    assert client.post(f"/write/{draft.pk}/links/", {"days": "7"}).status_code == 403
    assert client.post(f"/write/{draft.pk}/links/{link.pk}/revoke/").status_code == 403
    link.refresh_from_db()
    assert link.revoked_at is None and PreviewLink.objects.count() == 1


def test_a_bad_lifetime_is_refused(author, draft):
    author.post(f"/write/{draft.pk}/links/", {"days": "3650"})
    assert not PreviewLink.objects.exists()
