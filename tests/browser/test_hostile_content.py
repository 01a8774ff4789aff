"""Hostile content from every channel a post has, in a real browser: more than sixty XSS
payloads (the comments' list and the bodies' own: mXSS, srcset, Markdown links, embeds) as a
post's Markdown body, as imported HTML, as its title and summary, and in a third party's
WordPress export, as comments and Webmentions under a post, and typed in the search box. Not
one runs: no dialog, no call to alert, no request leaving the site, no handler or script URL
left in the page."""

from urllib.parse import urlencode

import pytest
from django.core.management import call_command

from salon.blog.models import Post
from salon.blog.tests.factories import PostFactory
from salon.blog.tests.test_sanitising import payloads
from salon.conversations.models import Origin, Response, State
from salon.portability.tests.hostile import hostile_wxr

from .hostile import Watcher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_payload_runs_from_any_post_channel(live_server, page_in, settings, tmp_path):
    settings.SALON_PAGE_CACHE_SECONDS = 0
    settings.SALON_POSTS_PER_PAGE = 1000  # every body and summary on one river page
    hostile = payloads()
    assert len(hostile) >= 60
    for number, payload in enumerate(hostile):
        for body_format in ("markdown", "html"):
            PostFactory(
                title=f"{payload} {number}"[:300],
                language="fr",
                body=f"Avant.\n\n{payload}\n\nAprès.",
                body_format=body_format,
                summaries={"en": payload},
            )
    wxr = tmp_path / "hostile.wxr"
    wxr.write_text(hostile_wxr(hostile), encoding="utf-8")
    call_command("import-wxr", str(wxr), stdout=open("/dev/null", "w"))
    imported = Post.objects.filter(title__startswith="Hostile")
    assert imported.count() == len(hostile)
    # The French river shows the French posts in full, the English one their titles and
    # summaries and the imported (English) posts in full; each imported post's page its comment.
    urls = [("French river", "/fr/"), ("English river", "/en/"), ("home", "/")]
    urls += [(f"imported {p.title}", p.get_absolute_url()) for p in imported]
    # Every payload as a comment, a reply and a Webmention under one post.
    conversed = PostFactory(title="Conversation", language="en", body="Talk to me.")
    for number, payload in enumerate(hostile):
        for kind, origin in (("comment", Origin.COMMENT_FORM), ("reply", Origin.WEBMENTION)):
            Response.objects.create(
                post=conversed,
                kind=kind,
                origin=origin,
                state=State.APPROVED,
                author_name=payload[:200],
                author_url=payload[:500],
                content=payload,
                source_url=f"https://mention.example/{number}" if kind == "reply" else "",
            )
    urls.append(("conversation", conversed.get_absolute_url()))
    # And typed in the search box (every fourth: the box shows each query the same way).
    urls += [
        (f"search #{n}", "/search/?" + urlencode({"q": p}))
        for n, p in enumerate(hostile)
        if n % 4 == 0
    ]

    watcher = Watcher(page_in(locale="en-GB"), live_server.url)
    ran = {}
    for label, url in urls:
        seen = watcher.visit(live_server.url + url)
        if seen["ran"] or seen["live"] or seen["escaped"]:
            ran[label] = seen
    assert ran == {}, f"{len(ran)} of {len(urls)} pages ran or kept live content"
