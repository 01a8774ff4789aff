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
        post=post,
        author_name="Ann",
        content="Hello",
        content_html="<p>Hello</p>",
        language="en",
        state="approved",
    )
    Response.objects.create(
        post=post,
        author_name="Held",
        content="Wait",
        content_html="<p>Wait</p>",
        language="en",
        state="pending",
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


def _faces(client, post):
    html = client.get(post.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    parsed = mf2py.parse(doc=html, url="http://testserver" + post.get_absolute_url())
    [entry] = [item for item in parsed["items"] if "h-entry" in item["type"]]
    return entry["properties"]


def test_likes_and_reposts_keep_the_response_url_apart_from_the_authors_card(client):
    """A like or repost is an h-cite of the post whose ``url`` is the response itself and whose
    ``author`` is an h-card with the author's own name, url and photo."""
    post = PostFactory(title="Le vélo en hiver", language="fr")
    Response.objects.create(
        post=post,
        kind="like",
        origin="webmention",
        state="approved",
        author_name="Ann Lee",
        author_url="https://ann.example/",
        author_photo="https://ann.example/me.jpg",
        source_url="https://ann.example/likes/1",
    )
    Response.objects.create(
        post=post,
        kind="repost",
        origin="webmention",
        state="approved",
        author_name="Bo",
        author_url="https://bo.example/",
        source_url="https://bo.example/reposts/7",
    )
    properties = _faces(client, post)
    [like] = properties["like"]
    assert "h-cite" in like["type"] and like["properties"]["url"] == ["https://ann.example/likes/1"]
    [author] = like["properties"]["author"]
    assert author["type"] == ["h-card"]
    assert author["properties"]["name"] == ["Ann Lee"]
    assert author["properties"]["url"] == ["https://ann.example/"]
    assert [
        photo["value"] if isinstance(photo, dict) else photo
        for photo in author["properties"]["photo"]
    ] == ["https://ann.example/me.jpg"]
    [repost] = properties["repost"]
    assert repost["properties"]["url"] == ["https://bo.example/reposts/7"]
    [author] = repost["properties"]["author"]
    assert (author["properties"]["name"], author["properties"]["url"]) == (
        ["Bo"],
        ["https://bo.example/"],
    )


def test_a_like_without_the_authors_website_names_no_url_for_the_author(client):
    """The face then links to the response, which stays the cite's url and never the card's."""
    post = PostFactory(title="Le vélo en hiver", language="fr")
    Response.objects.create(
        post=post,
        kind="like",
        origin="webmention",
        state="approved",
        author_name="Cy",
        source_url="https://cy.example/l/3",
    )
    [like] = _faces(client, post)["like"]
    assert like["properties"]["url"] == ["https://cy.example/l/3"]
    [author] = like["properties"]["author"]
    assert author["properties"]["name"] == ["Cy"] and "url" not in author["properties"]
