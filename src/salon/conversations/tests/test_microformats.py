"""Responses are part of the post's h-entry: other sites reading the page with a microformats
parser find each approved response as a `comment` of the post, with its author and language."""

import mf2py
import pytest

from salon.blog.tests.factories import PostFactory
from salon.conversations.models import Response

pytestmark = pytest.mark.django_db


def test_approved_responses_parse_as_comments_of_the_post(client):
    post = PostFactory(title="Le vélo en hiver", language="fr")
    Response.objects.create(
        post=post, author_name="Ann", content="Hello", content_html="<p>Hello</p>",
        language="en", state="approved",
    )
    Response.objects.create(
        post=post, author_name="Held", content="Wait", content_html="<p>Wait</p>",
        language="en", state="pending",
    )
    html = client.get(post.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    parsed = mf2py.parse(doc=html, url="http://testserver" + post.get_absolute_url())
    entries = [item for item in parsed["items"] if "h-entry" in item["type"]]
    assert len(entries) == 1
    comments = entries[0]["properties"]["comment"]
    assert len(comments) == 1
    author = comments[0]["properties"]["author"][0]
    assert author["properties"]["name"] == ["Ann"]
    content = [c for c in comments[0]["properties"]["content"] if isinstance(c, dict)][0]
    assert content["lang"] == "en"
    # The thread's interface text is marked with the interface language, not the post's.
    assert 'class="conversation" id="responses" aria-labelledby="responses-title" lang="en"' in html
