"""The comment form and the Webmention endpoint take anything: each answer is an acceptance
(with exactly one new row) or a clear refusal (with none), never a server error and never a
half-written response."""

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from salon.blog.tests.factories import PostFactory
from salon.conversations import tokens
from salon.conversations.models import Response, Subscriber, Subscription
from salon.webmention.models import ReceivedWebmention

from .strategies import headers

pytestmark = pytest.mark.django_db

text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "<script>alert(1)</script>",
            "a" * 6000,
            "\x00\x01",
            "ada@example.org",
            "https://example.org/",
            "javascript:alert(1)",
            "0",
            "-1",
            "99999999999999999999",
            "\u202e",
        ]
    ),
)


@pytest.fixture
def open_posts(settings):
    settings.SALON_COMMENTS_MIN_SECONDS = 0
    settings.SALON_COMMENTS_RATE_LIMIT = "off"
    settings.SALON_WEBMENTION_RATE_LIMIT = "off"
    settings.SALON_COMMENTS_MODERATION = "first-time"
    first = PostFactory(title="Open", language="en", body="Hello.")
    return [first, PostFactory(title="Autre", language="fr", body="Salut.")]


def counts():
    return (
        Response.objects.count(),
        Subscriber.objects.count(),
        Subscription.objects.count(),
        ReceivedWebmention.objects.count(),
    )


FIELDS = {
    "name": text,
    "email": st.one_of(text, st.emails().map(str)),
    "url": text,
    "text": text,
    "parent": st.one_of(text, st.integers(-3, 10**6).map(str)),
    "notify": st.sampled_from(["", "on", "1", "yes", "x"]),
    "notify_scope": st.one_of(text, st.sampled_from(["all", "replies"])),
    "shown": text,
    "homepage": st.sampled_from(["", "filled by a bot"]),
}


@st.composite
def comment_fields(draw):
    """A well-formed comment with some fields replaced by garbage, some removed."""
    fields = {
        "name": "Ada",
        "email": f"ada{draw(st.integers(0, 10**6))}@example.org",
        "url": "",
        "text": draw(st.text(min_size=1, max_size=200)),
        "shown": tokens.form_timestamp(),
        "homepage": "",
    }
    for name in draw(st.lists(st.sampled_from(sorted(FIELDS)), max_size=4, unique=True)):
        if draw(st.booleans()):
            fields[name] = draw(FIELDS[name])
        else:
            fields.pop(name, None)
    return fields


@given(data=st.data(), fields=comment_fields(), extra=headers)
def test_the_comment_form_accepts_or_refuses_whole(open_posts, count_case, data, fields, extra):
    count_case()
    post_id = data.draw(st.sampled_from([p.pk for p in open_posts] + [0, 10**9]))
    before = counts()
    answer = Client(raise_request_exception=True).post(
        f"/comments/post/{post_id}/", fields, **extra
    )
    after = counts()
    assert answer.status_code < 500, (fields, answer.status_code)
    if answer.status_code in (302, 303):
        assert after[0] in (before[0], before[0] + 1), "at most one response per submission"
    else:
        assert after == before, f"a refusal ({answer.status_code}) wrote something"


def test_the_comment_the_fuzzing_starts_from_is_accepted(open_posts):
    """The generator mutates a comment that goes through: both outcomes are reached."""
    fields = {
        "name": "Ada",
        "email": "ada@example.org",
        "url": "",
        "text": "A comment.",
        "shown": tokens.form_timestamp(),
        "homepage": "",
    }
    answer = Client().post(f"/comments/post/{open_posts[0].pk}/", fields)
    assert answer.status_code == 303
    assert Response.objects.count() == 1


url = st.one_of(
    text,
    st.sampled_from(
        [
            "http://127.0.0.1/",
            "http://localhost:1/x",
            "http://[::1]/",
            "http://10.0.0.1/",
            "https://example.org/",
            "ftp://example.org/",
            "https://testserver/",
            "http://testserver/2024/01/02/nope/",
            "//example.org",
            "https://exa mple.org/",
            "https://xn--/",
            "https://" + "a" * 3000 + ".org/",
        ]
    ),
)


@given(data=st.data(), source=url, target=url, extra=headers)
def test_the_webmention_endpoint_accepts_or_refuses_whole(
    open_posts, count_case, data, source, target, extra
):
    count_case()
    if data.draw(st.booleans()):
        target = "http://testserver" + data.draw(st.sampled_from(open_posts)).get_absolute_url()
    before = counts()
    body = data.draw(
        st.sampled_from(
            [{"source": source, "target": target}, {"source": source}, {"target": target}, {}]
        )
    )
    answer = Client(raise_request_exception=True).post("/webmention/", body, **extra)
    after = counts()
    assert answer.status_code < 500, (body, answer.status_code)
    if answer.status_code in (201, 202):
        assert after[3] in (before[3], before[3] + 1)
    else:
        assert after == before, f"a refusal ({answer.status_code}) wrote something"
