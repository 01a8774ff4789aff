"""The author's answer to a Webmention goes back through the same door: the answer's place on
the post page is an ``h-entry`` replying to the response's source, and Salon sends that source a
Webmention (a real peer on 127.0.0.1 receives it). Other doors' responses send nothing."""

from datetime import timedelta

import mf2py
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, TestCase
from django.utils import timezone

from salon.blog.tests.factories import PostFactory
from salon.conversations.models import Origin, Response, State
from salon.webmention.models import SentState, SentWebmention
from salon.webmention.tests.conftest import advertising_page

pytestmark = pytest.mark.django_db


class CommittingClient(Client):
    """Requests end as real ones do: what the view put off until the commit runs."""

    def request(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


@pytest.fixture
def author(settings):
    settings.SALON_AUTHOR_NAME = "Camille Martin"
    settings.SALON_AUTHOR_EMAIL = ""
    client = CommittingClient()
    client.force_login(get_user_model().objects.create_superuser("admin", "a@example.org", "pw"))
    return client


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return PostFactory(
            title="A post", language="en", published_at=timezone.now() - timedelta(days=5)
        )


def every_item(parsed):
    """Every microformats item of a page, at any depth (the thread sits inside the post)."""
    stack = list(parsed["items"])
    while stack:
        item = stack.pop()
        yield item
        stack.extend(item.get("children", []))
        for values in item["properties"].values():
            stack.extend(v for v in values if isinstance(v, dict) and "type" in v)


def webmention_reply(post, source):
    return Response.objects.create(
        post=post,
        kind="reply",
        origin=Origin.WEBMENTION,
        author_name="Zoé",
        author_url="https://zoe.example/",
        content="<p>A reply written on my own blog.</p>",
        source_url=source,
        state=State.APPROVED,
    )


def test_an_answer_to_a_webmention_goes_back_to_its_source(site, author, post):
    site.page("/endpoint", "Accepted", status=202, content_type="text/plain")
    source = site.page("/zoe/reply", advertising_page("/endpoint", "My reply to that post."))
    reply = webmention_reply(post, source)

    answer = author.post(f"/desk/{reply.pk}/answer/", {"text": "Thank you, Zoé."})
    assert answer.status_code == 303
    mine = Response.objects.get(by_author=True)
    answer_url = settings.SITE_URL + post.get_absolute_url() + f"#response-{mine.pk}"
    [delivery] = site.posts_to("/endpoint")
    assert delivery.form == {"source": answer_url, "target": source}
    row = SentWebmention.objects.get(author_answer=mine)
    assert (row.state, row.post_id, row.source, row.target) == (
        SentState.SENT,
        post.pk,
        answer_url,
        source,
    )

    # The source names a page where the answer is an h-entry replying to the source.
    page = Client().get(post.get_absolute_url())
    parsed = mf2py.parse(doc=page.content.decode(), url=settings.SITE_URL + post.get_absolute_url())
    [entry] = [
        item
        for item in every_item(parsed)
        if "h-entry" in item["type"] and item["properties"].get("in-reply-to")
    ]
    assert entry["properties"]["in-reply-to"] == [source]
    assert entry["properties"]["url"] == [answer_url]
    assert entry["properties"]["author"][0]["properties"]["name"] == ["Camille Martin"]
    [html] = [c["html"] for c in entry["properties"]["content"] if isinstance(c, dict)]
    assert "Thank you, Zoé." in html

    # Saving the post later resends its own links, never the answer's delivery.
    with TestCase.captureOnCommitCallbacks(execute=True):
        post.title = "A post, edited"
        post.save()
    assert len(site.posts_to("/endpoint")) == 1
    assert SentWebmention.objects.get(author_answer=mine).state == SentState.SENT


def test_an_answer_to_a_comment_sends_no_webmention(site, author, post):
    comment = Response.objects.create(
        post=post,
        author_name="Ada",
        content="From the form.",
        author_url=site.page("/ada", advertising_page("/endpoint")),
        state=State.APPROVED,
    )
    author.post(f"/desk/{comment.pk}/answer/", {"text": "Thanks."})
    assert Response.objects.filter(by_author=True).exists()
    assert not SentWebmention.objects.exists()
    assert site.requests == []
    page = mf2py.parse(doc=Client().get(post.get_absolute_url()).content.decode())
    assert not [i for i in every_item(page) if i["properties"].get("in-reply-to")]
    assert [i for i in every_item(page) if "h-entry" in i["type"] and i is not page["items"][0]]


def test_a_source_without_an_endpoint_is_noted_and_not_retried(site, author, post):
    source = site.page("/zoe/plain", "<html><body>No endpoint here.</body></html>")
    reply = webmention_reply(post, source)
    author.post(f"/desk/{reply.pk}/answer/", {"text": "Thank you."})
    row = SentWebmention.objects.get()
    assert row.state == SentState.NO_ENDPOINT and row.author_answer.parent == reply


def test_deleting_the_answer_tells_its_source_once_more(site, author, post):
    """The source re-reads the page and finds the answer gone; the delivery row stays (its
    history), no longer tied to an answer, and saving the post does not send it again."""
    site.page("/endpoint", "Accepted", status=202, content_type="text/plain")
    source = site.page("/zoe/reply", advertising_page("/endpoint", "My reply."))
    reply = webmention_reply(post, source)
    author.post(f"/desk/{reply.pk}/answer/", {"text": "Thank you, Zoé."})
    mine = Response.objects.get(by_author=True)
    [first] = site.posts_to("/endpoint")

    author.post("/desk/act/", {"ids": mine.pk, "action": "delete"})
    assert not Response.objects.filter(by_author=True).exists()
    [_, last] = site.posts_to("/endpoint")
    assert last.form == first.form
    row = SentWebmention.objects.get()
    assert row.author_answer is None and row.for_answer and row.state == SentState.SENT

    with TestCase.captureOnCommitCallbacks(execute=True):
        post.title = "A post, edited"
        post.save()
    assert len(site.posts_to("/endpoint")) == 2
