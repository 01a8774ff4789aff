"""The post's change page shows, per link, whether a Webmention was sent and the answer."""

from datetime import timedelta

import pytest
from django.utils import timezone
from lxml import html

from salon.blog.tests.factories import PostFactory
from salon.webmention.models import SentState, SentWebmention

pytestmark = pytest.mark.django_db


def test_change_page_lists_each_link_with_its_delivery(admin_client):
    post = PostFactory(published_at=timezone.now() - timedelta(days=5))
    SentWebmention.objects.create(
        post=post,
        source="http://s/1",
        target="https://a.example/post",
        state=SentState.SENT,
        status_code=201,
        location="https://a.example/wm/42",
        answer="Created",
        attempts=1,
        last_attempt_at=timezone.now(),
    )
    SentWebmention.objects.create(
        post=post,
        source="http://s/1",
        target="https://b.example/",
        state=SentState.RETRYING,
        status_code=503,
        attempts=2,
        error="the endpoint answered HTTP 503",
        next_attempt_at=timezone.now() + timedelta(minutes=5),
    )
    SentWebmention.objects.create(
        post=post,
        source="http://s/1",
        target="https://c.example/",
        in_post=False,
        state=SentState.NO_ENDPOINT,
    )
    response = admin_client.get(f"/admin/blog/post/{post.pk}/change/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    tree = html.fromstring(response.content.decode())
    rows = {
        tr.get("data-target"): tr for tr in tree.cssselect("table.webmentions-sent tr[data-target]")
    }
    assert set(rows) == {"https://a.example/post", "https://b.example/", "https://c.example/"}
    sent = rows["https://a.example/post"]
    assert sent.get("data-state") == "sent"
    assert "HTTP 201" in sent.text_content()
    assert sent.cssselect("a[href='https://a.example/wm/42']")
    retrying = rows["https://b.example/"]
    assert "HTTP 503" in retrying.text_content() and "next attempt" in retrying.text_content()
    assert "removed from the post" in rows["https://c.example/"].text_content()


def test_post_admin_has_the_in_reply_to_field_and_webmention_actions(admin_client):
    """Webmention's extension of the post admin adds "In reply to" and two actions."""
    PostFactory()
    response = admin_client.get("/admin/blog/post/add/")
    tree = html.fromstring(response.content.decode())
    assert tree.cssselect("input[name='in_reply_to_url']")
    actions = [
        o.get("value")
        for o in html.fromstring(admin_client.get("/admin/blog/post/").content.decode()).cssselect(
            "select[name='action'] option"
        )
    ]
    assert "send_webmentions_now" in actions and "refresh_reply_context" in actions


def test_a_saved_reply_shows_its_field_and_its_reply_context_panel(admin_client):
    """Through blog.admin's extension point (no re-registration): the change page of a reply
    has the "In reply to" field with its value, the panel of the context as read, and the panel
    of deliveries."""
    from salon.webmention.models import ReplyContext

    post = PostFactory(in_reply_to_url="https://elsewhere.example/a-post")
    ReplyContext.objects.update_or_create(
        post=post,
        defaults={
            "url": post.in_reply_to_url,
            "title": "A post elsewhere",
            "author_name": "Someone",
            "error": "",
            "fetched_at": timezone.now(),
        },
    )
    response = admin_client.get(f"/admin/blog/post/{post.pk}/change/", HTTP_ACCEPT_LANGUAGE="en")
    tree = html.fromstring(response.content.decode())
    field = tree.cssselect("input[name='in_reply_to_url']")
    assert field and field[0].get("value") == "https://elsewhere.example/a-post"
    panels = {
        row.cssselect("label")[0].text_content().strip().rstrip(":"): row
        for row in tree.cssselect("fieldset .form-row")
        if row.cssselect("div.readonly")
    }
    assert {"In reply to (as read)", "Webmentions sent"} <= set(panels)
    assert "A post elsewhere" in panels["In reply to (as read)"].text_content()


def test_no_app_replaces_another_apps_registered_admin():
    """The post admin is extended through blog.admin.extend_post_admin, never by reaching into
    the admin site's registry."""
    from pathlib import Path

    import salon

    root = Path(salon.__file__).parent
    reaching = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts and "_registry[" in path.read_text()
    ]
    assert not reaching
