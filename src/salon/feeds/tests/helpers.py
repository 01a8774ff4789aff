"""Helpers the feed tests share: making posts and comments, fetching and parsing feeds."""

import json
from datetime import timedelta

import feedparser
from django.utils import timezone

from salon.blog.models import Post, PostSummary, Status, Tag
from salon.conversations.models import Kind, Response, State

FORMAT_SUFFIXES = {"rss": "", "atom": "atom/", "json": "json/"}


def make_post(
    title,
    language="fr",
    *,
    days_ago=1,
    body="Un texte.",
    summaries=None,
    tags=(),
    series=None,
    position=None,
    status=Status.PUBLISHED,
    **fields,
):
    post = Post.objects.create(
        title=title,
        language=language,
        body=body,
        status=status,
        published_at=timezone.now() - timedelta(days=days_ago),
        series=series,
        series_position=position,
        **fields,
    )
    for code, text in (summaries or {}).items():
        PostSummary.objects.create(post=post, language=code, text=text)
    for name in tags:
        tag, _ = Tag.objects.get_or_create(name=name)
        post.tags.add(tag)
    return post


def make_comment(
    post,
    name="Ada",
    *,
    text="Merci pour ce billet.",
    language="fr",
    state=State.APPROVED,
    kind=Kind.COMMENT,
    parent=None,
    minutes_ago=5,
    **fields,
):
    return Response.objects.create(
        post=post,
        author_name=name,
        content=text,
        language=language,
        state=state,
        kind=kind,
        parent=parent,
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
        **fields,
    )


def fetch(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return response


def parse(client, url):
    """A feed parsed by feedparser; a malformed feed (bozo) fails the test at once."""
    response = fetch(client, url)
    # Raw content, as sent: feedparser would otherwise resolve relative links itself and drop
    # attributes it does not know (srcset), hiding what the feed really says.
    parsed = feedparser.parse(response.content, resolve_relative_uris=False, sanitize_html=False)
    assert not parsed.bozo, (url, parsed.get("bozo_exception"))
    return parsed


def parse_json(client, url):
    response = fetch(client, url)
    assert response["Content-Type"].startswith("application/feed+json")
    return json.loads(response.content)


def xml_urls(base):
    """The RSS and Atom addresses of a feed whose RSS lives at ``base``."""
    return [base, base + "atom/"]


def all_urls(base):
    return [base + suffix for suffix in FORMAT_SUFFIXES.values()]
