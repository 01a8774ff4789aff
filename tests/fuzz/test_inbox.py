"""The ActivityPub inbox takes anything a stranger posts: unsigned, badly signed, not JSON,
JSON of any shape. The answer is a clear 4xx (or the 202 of a stored activity), never a server
error, and a refusal stores nothing."""

import json

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from salon.conversations.models import Response
from salon.federation.models import Activity

from .strategies import headers

pytestmark = pytest.mark.django_db

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["type", "id", "actor", "object", "to", "cc", "content", "inReplyTo"])
            | st.text(max_size=10),
            children,
            max_size=6,
        )
    ),
    max_leaves=20,
)
bodies = st.one_of(
    json_values.map(json.dumps),
    st.text(max_size=200),
    st.sampled_from(["", "{", "null", '{"type": "Create", "object": {"type": "Note"}}']),
)
signatures = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_SIGNATURE": st.text(max_size=200),
        "HTTP_SIGNATURE_INPUT": st.text(max_size=100),
        "HTTP_DIGEST": st.text(max_size=80),
        "HTTP_CONTENT_DIGEST": st.text(max_size=80),
        "HTTP_DATE": st.sampled_from(["", "Mon, 07 Dec 2026 07:00:00 GMT", "yesterday"]),
    },
)


@given(
    body=bodies,
    content_type=st.sampled_from(
        ["application/activity+json", 'application/ld+json; profile="x"', "text/plain", ""]
    ),
    signed=signatures,
    extra=headers,
)
def test_the_inbox_refuses_garbage_whole(count_case, body, content_type, signed, extra):
    count_case()
    before = (Activity.objects.count(), Response.objects.count())
    answer = Client(raise_request_exception=True).post(
        "/ap/actor/inbox", body, content_type=content_type, **signed, **extra
    )
    assert answer.status_code < 500, (body, answer.status_code)
    if answer.status_code >= 400:
        assert (Activity.objects.count(), Response.objects.count()) == before
