"""Every answer carries the Content-Security-Policy; frames are refused until an app declares
their origins, for every page or one response."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from salon.core import csp

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


@pytest.mark.parametrize("path", ["/", "/fr/", "/feed/", "/robots.txt", "/no/such/page/"])
def test_every_answer_carries_the_policy(client, path, monkeypatch):
    found = directives(client.get(path))
    assert found["script-src"] == ["'self'"], "no inline script, no nonce unless one is used"
    assert found["object-src"] == ["'none'"]
    assert found["base-uri"] == ["'self'"]
    assert found["frame-ancestors"] == ["'none'"]
    assert found["form-action"] == ["'self'"]
    assert found["frame-src"] == ["'none'"]


def middleware_answer(response):
    request = RequestFactory().get("/")
    middleware = csp.ContentSecurityPolicyMiddleware(lambda r: response)
    return middleware(request)


def test_an_app_declares_the_origins_of_its_frames(monkeypatch):
    monkeypatch.setattr(csp, "_frame_origins", set())
    csp.allow_frames_from("https://www.youtube-nocookie.com/", "https://player.vimeo.com")
    found = directives(middleware_answer(HttpResponse()))
    assert found["frame-src"] == ["https://player.vimeo.com", "https://www.youtube-nocookie.com"]


def test_one_response_may_allow_a_frame(monkeypatch):
    monkeypatch.setattr(csp, "_frame_origins", set())
    allowed = directives(middleware_answer(csp.allow_frames(HttpResponse(), "https://a.example")))
    assert allowed["frame-src"] == ["https://a.example"]
    assert directives(middleware_answer(HttpResponse()))["frame-src"] == ["'none'"]


@pytest.mark.parametrize("origin", ["http://a.example", "https://a.example; script-src *", "*"])
def test_only_plain_https_origins_are_accepted(origin):
    with pytest.raises(ValueError):
        csp.allow_frames_from(origin)


def test_a_nonce_is_in_the_policy_only_when_a_page_used_it():
    request = RequestFactory().get("/")

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    middleware = csp.ContentSecurityPolicyMiddleware(view)
    middleware.process_request(request)
    response = middleware.process_response(request, view(request))
    assert f"'nonce-{request._csp_nonce}'" in directives(response)["script-src"]


def test_a_page_served_by_the_page_cache_carries_the_policy(client, settings):
    from salon.blog.tests.factories import PostFactory

    settings.SALON_PAGE_CACHE_SECONDS = 600
    post = PostFactory()
    first = client.get(post.get_absolute_url())
    second = client.get(post.get_absolute_url())
    assert (first["X-Salon-Page-Cache"], second["X-Salon-Page-Cache"]) == ("miss", "hit")
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "nonce" not in second["Content-Security-Policy"], "public pages use no nonce"


def test_frame_origins_from_a_source_on_pages_that_need_them(monkeypatch):
    monkeypatch.setattr(csp, "_frame_origins", set())
    monkeypatch.setattr(csp, "_frame_sources", [])
    calls = []

    def source():
        calls.append(1)
        return ["https://player.example", "javascript:alert(1)", "http://plain.example"]

    csp.allow_frames_from_source(source, marker=b"data-embed-src")
    assert directives(middleware_answer(HttpResponse("<p>no embed</p>")))["frame-src"] == ["'none'"]
    assert calls == [], "a page without embeds asks nothing"
    embedded = HttpResponse('<figure data-embed-src="https://player.example/1"></figure>')
    assert directives(middleware_answer(embedded))["frame-src"] == ["https://player.example"]
    middleware_answer(HttpResponse('<figure data-embed-src="x"></figure>'))
    assert len(calls) == 1, "kept in the cache"
    csp.frame_origins_changed()
    middleware_answer(HttpResponse('<figure data-embed-src="x"></figure>'))
    assert len(calls) == 2, "read again once they changed"


def test_a_failing_source_fails_no_page(monkeypatch):
    monkeypatch.setattr(csp, "_frame_origins", set())
    monkeypatch.setattr(csp, "_frame_sources", [])

    def broken():
        raise RuntimeError("database gone")

    csp.allow_frames_from_source(broken, marker=b"data-embed-src")
    answer = middleware_answer(HttpResponse('<figure data-embed-src="x"></figure>'))
    assert directives(answer)["frame-src"] == ["'none'"]
