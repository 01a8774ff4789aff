"""Scanners send garbage to every address: whatever the path, query and headers, the answer is
a page or a clear refusal (4xx, a redirect), never a server error or an exception."""

import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from .strategies import headers, paths, queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.SALON_PAGE_CACHE_SECONDS = 0
    settings.SALON_COMMENTS_RATE_LIMIT = "off"
    settings.SALON_WEBMENTION_RATE_LIMIT = "off"
    call_command("load-demo", stdout=open("/dev/null", "w"))


def answer(client, method, path, query, extra):
    call = getattr(client, method)
    if method == "post":
        return call(path, query, **extra)
    return call(path, query, **extra)


@given(
    method=st.sampled_from(["get", "get", "get", "head", "post", "options"]),
    path=paths(),
    query=queries,
    extra=headers,
)
def test_no_address_answers_with_a_server_error(demo, count_case, method, path, query, extra):
    count_case()
    client = Client(raise_request_exception=True)
    response = answer(client, method, path, query, extra)
    assert response.status_code < 500, (method, path, query, extra, response.status_code)


@given(query=queries, extra=headers, path=st.sampled_from(["/search/", "/fr/", "/", "/feed/"]))
def test_the_search_box_and_rivers_take_any_query(demo, count_case, query, extra, path):
    count_case()
    response = Client(raise_request_exception=True).get(path, query, **extra)
    assert response.status_code < 500, (path, query, extra)


@given(data=st.data(), query=queries, extra=headers)
def test_real_addresses_with_garbage_around_them(demo, count_case, data, query, extra):
    from salon.blog.models import Page, Post, Series, Tag

    count_case()
    real = [p.get_absolute_url() for p in Post.objects.all()[:10]]
    real += [p.get_absolute_url() for p in Page.objects.all()[:3]]
    real += [t.get_absolute_url() for t in Tag.objects.all()[:3]]
    real += [s.get_absolute_url() for s in Series.objects.all()[:2]]
    path = data.draw(st.sampled_from(real)) + data.draw(
        st.sampled_from(["", "feed/", "feed/atom/", "feed/json/", "x/", "%00/", "..%2f"])
    )
    method = data.draw(st.sampled_from(["get", "head", "post"]))
    response = getattr(Client(raise_request_exception=True), method)(path, query, **extra)
    assert response.status_code < 500, (method, path, query, extra)
