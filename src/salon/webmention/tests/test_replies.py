"""Reply posts: the original's context is read (microformats first, HTML metadata otherwise)
and shown; the private "my conversations" page follows every reply, newest activity first."""

from datetime import UTC, datetime, timedelta

import mf2py
import pytest
from django.utils import timezone
from lxml import html

from salon.blog.tests.factories import PostFactory
from salon.conversations.models import Kind, Origin, Response, State
from salon.webmention.models import ReplyContext

pytestmark = pytest.mark.django_db

ORIGINAL_MF2 = """<!DOCTYPE html><html lang="en"><head><title>Site title — Notes</title></head>
<body><article class="h-entry">
  <h1 class="p-name">Notes on walking</h1>
  <span class="p-author h-card"><a class="u-url p-name" href="https://sam.example/">Sam Lee</a>
    <img class="u-photo" src="https://sam.example/me.jpg" alt=""></span>
  <time class="dt-published" datetime="2024-05-02T10:00:00+02:00">2 May</time>
  <div class="e-content"><p>Walking is a way of thinking. {filler}</p></div>
</article></body></html>"""

ORIGINAL_META = """<!DOCTYPE html><html lang="de"><head><title>Über das Gehen</title>
<meta name="description" content="Gehen ist eine Art zu denken.">
<meta name="author" content="Kim Berg"></head><body><p>Text</p></body></html>"""


@pytest.fixture
def write_reply(django_capture_on_commit_callbacks):
    def _write(url, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return PostFactory(
                in_reply_to_url=url, published_at=timezone.now() - timedelta(minutes=5), **fields
            )

    return _write


def test_context_is_read_from_the_originals_microformats(site, write_reply):
    url = site.page("/notes", ORIGINAL_MF2.format(filler="word " * 200))
    post = write_reply(url)
    context = ReplyContext.objects.get(post=post)
    assert context.title == "Notes on walking"
    assert (context.author_name, context.author_url) == ("Sam Lee", "https://sam.example/")
    assert context.author_photo == "https://sam.example/me.jpg"
    assert context.excerpt.startswith("Walking is a way of thinking.")
    assert len(context.excerpt) <= 280
    assert context.language == "en"
    assert context.published == datetime(2024, 5, 2, 8, 0, tzinfo=UTC)
    assert context.error == ""


def test_context_falls_back_to_html_metadata(site, write_reply):
    post = write_reply(site.page("/meta", ORIGINAL_META))
    context = ReplyContext.objects.get(post=post)
    assert (context.title, context.author_name, context.language) == (
        "Über das Gehen",
        "Kim Berg",
        "de",
    )
    assert context.excerpt == "Gehen ist eine Art zu denken."


def test_unreachable_original_keeps_the_error_and_the_link(client, site, write_reply):
    post = write_reply(site.url("/missing"))
    context = ReplyContext.objects.get(post=post)
    assert context.error == "HTTP 404" and context.title == ""
    path = post.get_absolute_url()
    parsed = mf2py.parse(doc=client.get(path).content.decode(), url="http://testserver" + path)
    entry = [i for i in parsed["items"] if "h-entry" in i["type"]][0]
    assert entry["properties"]["in-reply-to"][0]["properties"]["url"] == [site.url("/missing")]


def test_changing_the_original_reads_the_new_one(
    site, write_reply, django_capture_on_commit_callbacks
):
    post = write_reply(site.page("/meta", ORIGINAL_META))
    other = site.page("/notes", ORIGINAL_MF2.format(filler=""))
    with django_capture_on_commit_callbacks(execute=True):
        post.in_reply_to_url = other
        post.save()
    context = ReplyContext.objects.get(post=post)
    assert (context.url, context.title) == (other, "Notes on walking")
    with django_capture_on_commit_callbacks(execute=True):
        post.in_reply_to_url = ""
        post.save()
    assert not ReplyContext.objects.filter(post=post).exists()


def test_the_context_shows_on_the_post_page_in_its_language(client, site, write_reply):
    post = write_reply(site.page("/meta", ORIGINAL_META))
    tree = html.fromstring(client.get(post.get_absolute_url()).content.decode())
    [cite] = tree.cssselect(".u-in-reply-to.h-cite")
    assert cite.get("lang") == "de"
    assert cite.cssselect(".p-name")[0].text_content() == "Über das Gehen"
    assert cite.cssselect(".p-author")[0].text_content() == "Kim Berg"


def test_conversations_page_is_for_staff_only(client, django_user_model):
    response = client.get("/my-conversations/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    user = django_user_model.objects.create_user("reader", password="x" * 12)
    client.force_login(user)
    assert client.get("/my-conversations/").status_code == 302


def test_conversations_lists_replies_with_their_responses_newest_activity_first(admin_client):
    old_reply = PostFactory(
        title="Old reply",
        in_reply_to_url="https://a.example/1",
        published_at=timezone.now() - timedelta(days=30),
    )
    new_reply = PostFactory(
        title="New reply",
        in_reply_to_url="https://b.example/2",
        published_at=timezone.now() - timedelta(days=10),
    )
    quiet_reply = PostFactory(
        title="Quiet reply",
        in_reply_to_url="https://c.example/3",
        published_at=timezone.now() - timedelta(days=20),
    )
    PostFactory(title="Not a reply")
    ReplyContext.objects.create(
        post=new_reply, url="https://b.example/2", title="Their post", language="en"
    )
    # The old reply got an answer yesterday: it is now the most recent conversation.
    Response.objects.create(
        post=old_reply,
        kind=Kind.REPLY,
        origin=Origin.WEBMENTION,
        state=State.APPROVED,
        author_name="Ada",
        source_url="https://a.example/answer",
        content="Thanks!",
        created_at=timezone.now() - timedelta(days=1),
    )
    Response.objects.create(
        post=new_reply,
        kind=Kind.LIKE,
        origin=Origin.WEBMENTION,
        state=State.PENDING,
        author_name="Bo",
        source_url="https://b.example/like",
        created_at=timezone.now() - timedelta(days=9),
    )
    for post in (old_reply, new_reply, quiet_reply):
        type(post).objects.filter(pk=post.pk).update(updated_at=post.published_at)
    response = admin_client.get("/my-conversations/")
    tree = html.fromstring(response.content.decode())
    titles = [a.text_content() for a in tree.cssselect("article.conversation h2 a")]
    assert titles == ["Old reply", "New reply", "Quiet reply"]
    first, second, third = tree.cssselect("article.conversation")
    assert [li.get("data-kind") for li in first.cssselect("li.response")] == ["reply"]
    assert [li.get("data-state") for li in second.cssselect("li.response")] == ["pending"]
    assert second.cssselect(".in-reply-to a")[0].get("lang") == "en"
    assert third.cssselect("li.response") == []
