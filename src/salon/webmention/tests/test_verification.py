"""Verification (the background task): the source is fetched from a real server on 127.0.0.1,
must link to the target, is classified from its microformats, and its response is created,
updated or removed; an unchanged source changes nothing."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from salon.blog.tests.factories import PostFactory
from salon.conversations.models import Kind, Origin, Response, State
from salon.webmention.models import Reason, ReceivedState, ReceivedWebmention

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    return PostFactory(title="Cible", published_at=timezone.now() - timedelta(days=3))


def target_of(post):
    return settings.SITE_URL + post.get_absolute_url()


def entry(
    target,
    prop=None,
    content="Bien vu, je réponds depuis chez moi.",
    author=None,
    lang="fr",
    extra="",
):
    """A source page: an h-entry by an h-card author, linking to the target via ``prop``."""
    author = (
        author
        if author is not None
        else (
            '<span class="p-author h-card"><img class="u-photo" src="https://sam.example/me.jpg" alt="">'
            '<a class="p-name u-url" href="https://sam.example/">Sam Lee</a></span>'
        )
    )
    link = (
        f'<a class="u-{prop}" href="{target}">the post</a>'
        if prop
        else f'<a href="{target}">the post</a>'
    )
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><title>Source</title></head><body>'
        f'<article class="h-entry">{author}<p>{link}</p>'
        f'<div class="e-content">{content}</div>{extra}</article></body></html>'
    )


def deliver(client, django_capture_on_commit_callbacks, source, target):
    """POST the Webmention; the verification task runs when the request's transaction commits."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/webmention/", {"source": source, "target": target})
    assert response.status_code == 201, response.content
    return ReceivedWebmention.objects.get(source=source)


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    return lambda source, target: deliver(
        client, django_capture_on_commit_callbacks, source, target
    )


@pytest.mark.parametrize(
    "prop,kind",
    [
        ("in-reply-to", Kind.REPLY),
        ("like-of", Kind.LIKE),
        ("repost-of", Kind.REPOST),
        ("bookmark-of", Kind.BOOKMARK),
        (None, Kind.MENTION),
    ],
)
def test_source_is_classified_from_its_microformats(site, send, post, prop, kind):
    target = target_of(post)
    source = site.page(f"/{kind}", entry(target, prop))
    row = send(source, target)
    assert row.state == ReceivedState.VERIFIED
    response = Response.objects.get()
    assert (response.kind, response.origin, response.post) == (kind, Origin.WEBMENTION, post)
    assert response.source_url == source
    assert row.response == response


def test_in_reply_to_an_h_cite_counts_as_reply(site, send, post):
    target = target_of(post)
    cite = (
        f'<div class="u-in-reply-to h-cite"><a class="u-url p-name" href="{target}">Cible</a></div>'
    )
    source = site.page("/cite", entry(target, None, extra=cite))
    send(source, target)
    assert Response.objects.get().kind == Kind.REPLY


def test_reply_keeps_author_card_and_sanitised_content_and_language(site, send, post):
    target = target_of(post)
    content = (
        "<p>Bien vu, je réponds <strong>depuis chez moi</strong>.</p>"
        '<script>alert(1)</script><img src=x onerror="alert(2)">'
    )
    source = site.page("/reply", entry(target, "in-reply-to", content=content))
    send(source, target)
    response = Response.objects.get()
    assert response.author_name == "Sam Lee"
    assert response.author_url == "https://sam.example/"
    assert response.author_photo == "https://sam.example/me.jpg"
    assert "<strong>depuis chez moi</strong>" in response.content_html
    assert "script" not in response.content_html and "onerror" not in response.content_html
    assert response.language == "fr"


def test_author_falls_back_to_the_pages_h_card_then_to_the_host(site, send, post):
    target = target_of(post)
    card = f'<div class="h-card"><a class="u-url u-uid p-name" href="{site.url("/")}">Ada</a></div>'
    html = entry(target, "in-reply-to", author="").replace("<body>", "<body>" + card)
    send(site.page("/", html), target)
    assert Response.objects.get(source_url=site.url("/")).author_name == "Ada"
    send(site.page("/anon", entry(target, "in-reply-to", author="")), target)
    assert Response.objects.get(source_url=site.url("/anon")).author_name == "127.0.0.1"


def test_source_without_a_link_to_the_target_is_rejected(site, send, post):
    target = target_of(post)
    source = site.page("/nolink", entry(target_of(PostFactory()), "in-reply-to"))
    row = send(source, target)
    assert (row.state, row.reason) == (ReceivedState.REJECTED, Reason.NO_LINK)
    assert not Response.objects.exists()


def test_link_only_in_a_comment_or_as_text_does_not_count(site, send, post):
    target = target_of(post)
    body = (
        f"<html><body><!-- <a href='{target}'>x</a> --><p>{target}</p>"
        f'<code>&lt;a href="{target}"&gt;</code></body></html>'
    )
    row = send(site.page("/sneaky", body), target)
    assert row.reason == Reason.NO_LINK


@pytest.mark.parametrize(
    "content_type,body,ok",
    [
        ("text/plain", "I liked {target} a lot.", True),
        ("application/json", '{{"object": {{"inReplyTo": "{target}"}}}}', True),
        ("application/json", '{{"object": "https://elsewhere.example/"}}', False),
        ("image/png", "{target}", False),
    ],
)
def test_non_html_sources(site, send, post, content_type, body, ok):
    """Plain text and JSON may mention the target (a mention by the host); other types never."""
    target = target_of(post)
    row = send(site.page("/doc", body.format(target=target), content_type=content_type), target)
    assert (row.state == ReceivedState.VERIFIED) is ok
    if ok:
        response = Response.objects.get()
        assert (response.kind, response.author_name) == (Kind.MENTION, "127.0.0.1")


def test_unknown_domain_waits_for_moderation_known_domain_is_published(site, send, post):
    """A first Webmention from a domain is held; once one was approved, the next is shown."""
    target = target_of(post)
    send(site.page("/one", entry(target, "in-reply-to")), target)
    first = Response.objects.get()
    assert first.state == State.PENDING
    from salon.conversations import services

    services.approve(first)
    send(site.page("/two", entry(target, "in-reply-to")), target)
    assert Response.objects.get(source_url=site.url("/two")).state == State.APPROVED


def test_same_unchanged_source_creates_nothing_new(site, send, post):
    target = target_of(post)
    source = site.page("/same", entry(target, "in-reply-to"))
    send(source, target)
    response = Response.objects.get()
    before = (response.updated_at, response.content_html)
    row = send(source, target)
    assert row.state == ReceivedState.VERIFIED
    assert Response.objects.count() == 1 and ReceivedWebmention.objects.count() == 1
    response.refresh_from_db()
    assert (response.updated_at, response.content_html) == before


def test_changed_source_updates_the_response(site, send, post):
    target = target_of(post)
    source = site.page("/edit", entry(target, "in-reply-to", content="Première version."))
    send(source, target)
    site.page("/edit", entry(target, "like-of", content="Seconde version."))
    send(source, target)
    response = Response.objects.get()
    assert response.kind == Kind.LIKE
    site.page("/edit", entry(target, "in-reply-to", content="Troisième version, corrigée."))
    send(source, target)
    response.refresh_from_db()
    assert response.kind == Kind.REPLY and "Troisième version" in response.content_html


@pytest.mark.parametrize("status", [410, 404])
def test_source_gone_removes_the_response(site, send, post, status):
    target = target_of(post)
    source = site.page("/bye", entry(target, "in-reply-to"))
    send(source, target)
    assert Response.objects.count() == 1
    site.page("/bye", "Gone", status=status, content_type="text/plain")
    row = send(source, target)
    assert (row.state, row.reason) == (ReceivedState.REMOVED, Reason.GONE)
    assert not Response.objects.exists()


def test_source_no_longer_linking_removes_the_response(site, send, post):
    target = target_of(post)
    source = site.page("/unlink", entry(target, "in-reply-to"))
    send(source, target)
    site.page("/unlink", entry("https://elsewhere.example/", "in-reply-to"))
    row = send(source, target)
    assert (row.state, row.reason) == (ReceivedState.REMOVED, Reason.NO_LINK)
    assert not Response.objects.exists()


def test_temporary_error_keeps_an_existing_response(site, send, post):
    target = target_of(post)
    source = site.page("/flaky", entry(target, "in-reply-to"))
    send(source, target)
    site.page("/flaky", "oops", status=503, content_type="text/plain")
    row = send(source, target)
    assert Response.objects.count() == 1
    assert "503" in row.detail


def test_source_over_one_megabyte_is_refused(site, send, post):
    target = target_of(post)
    padding = "<p>" + "x" * 1_100_000 + "</p>"
    row = send(site.page("/huge", entry(target, "in-reply-to", extra=padding)), target)
    assert (row.state, row.reason) == (ReceivedState.REJECTED, Reason.FETCH_FAILED)
    assert "limit" in row.detail


def test_more_than_five_redirects_is_refused(site, send, post):
    target = target_of(post)
    for n in range(6):
        site.page(f"/hop{n}", "", status=302, headers=[("Location", f"/hop{n + 1}")])
    site.page("/hop6", entry(target, "in-reply-to"))
    row = send(site.url("/hop0"), target)
    assert (row.state, row.reason) == (ReceivedState.REJECTED, Reason.FETCH_FAILED)
    assert "redirects" in row.detail
    # Five are fine.
    row = send(site.url("/hop1"), target)
    assert row.state == ReceivedState.VERIFIED


def test_status_page_reports_verification(client, site, send, post):
    target = target_of(post)
    row = send(site.page("/st", entry(target, "like-of")), target)
    page = client.get(f"/webmention/{row.token}/").content.decode()
    from lxml import html

    tree = html.fromstring(page)
    assert tree.cssselect(".state")[0].get("data-state") == "verified"
    assert tree.cssselect(".kind")[0].get("data-kind") == "like"


def test_page_without_microformats_is_a_mention_named_by_its_title(site, send, post):
    """No h-entry: a mention by the host, its text the page's title."""
    target = target_of(post)
    page = (
        f"<html><head><title>Weekly links</title></head><body>"
        f"<a href='{target}'>a good read</a></body></html>"
    )
    row = send(site.page("/links", page), target)
    assert row.state == ReceivedState.VERIFIED
    response = Response.objects.get()
    assert (response.kind, response.author_name) == (Kind.MENTION, "127.0.0.1")
    assert "Weekly links" in response.content_html


def test_the_source_is_parsed_once(site, send, post, monkeypatch):
    """The link check, mf2py and the page's metadata read one tree: verifying a reply, or a
    page without microformats (which falls back to its <title>), parses the source once. The
    parsers are watched, not replaced: each call still parses."""
    import bs4
    import lxml.html

    parses = []
    soup_init = bs4.BeautifulSoup.__init__
    lxml_parse = lxml.html.document_fromstring

    def watched_soup(self, *args, **kwargs):
        parses.append("BeautifulSoup")
        soup_init(self, *args, **kwargs)

    def watched_lxml(*args, **kwargs):
        parses.append("lxml")
        return lxml_parse(*args, **kwargs)

    monkeypatch.setattr(bs4.BeautifulSoup, "__init__", watched_soup)
    monkeypatch.setattr(lxml.html, "document_fromstring", watched_lxml)
    target = target_of(post)
    send(site.page("/reply-once", entry(target, "in-reply-to")), target)
    assert len(parses) == 1, parses
    parses.clear()
    page = (
        f"<html><head><title>Weekly links</title></head><body>"
        f"<a href='{target}'>a good read</a></body></html>"
    )
    row = send(site.page("/links-once", page), target)
    assert row.state == ReceivedState.VERIFIED
    assert "Weekly links" in row.response.content_html
    assert len(parses) == 1, parses


def test_the_source_content_is_cleaned_once(site, send, post, monkeypatch):
    """A reply's e-content goes through the sanitiser once: the verification cleans it and
    ``Response.save()`` recognises the HTML it just cleaned instead of cleaning it again. The
    sanitiser is watched, not replaced, and what is shown is still clean."""
    from salon.conversations import text

    passes = []
    paragraphs_only = text._paragraphs_only

    def watched(html):
        passes.append(html)
        return paragraphs_only(html)

    monkeypatch.setattr(text, "_paragraphs_only", watched)
    target = target_of(post)
    content = (
        "<p>Réponse <em>riche</em> et <a href='https://sam.example/'>un lien</a>.</p>"
        "<script>alert(1)</script>"
    )
    send(site.page("/reply-cleaned-once", entry(target, "in-reply-to", content=content)), target)
    response = Response.objects.get()
    assert "<em>riche</em>" in response.content_html
    assert "script" not in response.content_html
    assert len(passes) == 1, passes
