"""The comment form: what is accepted, and every way input can be wrong (one test each).

A refusal is HTTP 400 with a message in the reader's language and the reader's text kept in
the form; a robot sign stores the comment as spam and answers like a held comment.
"""

import pytest

from salon.blog.tests.factories import PostFactory
from salon.conversations import services
from salon.conversations.models import Response, State

pytestmark = pytest.mark.django_db


def approved(post, **fields):
    values = {
        "post": post,
        "author_name": "Bob",
        "author_email": "bob@example.org",
        "content": "First!",
        "state": State.APPROVED,
    }
    values.update(fields)
    return Response.objects.create(**values)


def refused(response, parse, status=400):
    """The refusal page: its error messages and the form's field values."""
    assert response.status_code == status, response.status_code
    tree = parse(response)
    form = tree.cssselect("form.comment-form")[0]
    errors = " ".join(e.text_content() for e in tree.cssselect(".errorlist"))
    values = {i.get("name"): i.get("value") for i in form.cssselect("input")}
    # Browsers drop the newline right after <textarea>; lxml keeps it.
    values["text"] = form.cssselect("textarea[name=text]")[0].text_content().removeprefix("\n")
    return errors, values


def test_a_comment_is_stored_and_the_reader_sent_back_to_the_post(post, send_comment):
    response = send_comment(post)
    stored = Response.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"{post.get_absolute_url()}?comment=held#respond"
    assert (stored.author_name, stored.kind, stored.origin, stored.state) == (
        "Ada Lovelace",
        "comment",
        "form",
        State.PENDING,
    )
    assert stored.ip_address == "127.0.0.1"


def test_a_known_commenter_lands_on_the_published_comment(post, send_comment):
    approved(post, author_email="ada@example.org", content="Earlier")
    response = send_comment(post)
    stored = Response.objects.latest("pk")
    assert stored.state == State.APPROVED
    assert response["Location"].endswith(f"#response-{stored.pk}")


def test_the_post_page_thanks_a_held_commenter(client, post, send_comment, parse):
    location = send_comment(post)["Location"]
    page = parse(client.get(location))
    assert "approved" in page.cssselect("#respond .notice")[0].text_content()


def test_a_reply_is_threaded_under_its_parent(post, send_comment):
    parent = approved(post)
    send_comment(post, parent=parent.pk)
    assert Response.objects.latest("pk").parent_id == parent.pk


def test_json_clients_get_201_with_the_new_response(post, send_comment):
    response = send_comment(post, headers={"Accept": "application/json"})
    assert response.status_code == 201
    assert response.json()["state"] == "pending"
    assert response.json()["id"] == Response.objects.get().pk


def test_oversized_comment_is_refused_in_french_and_kept(post, send_comment, parse):
    text = "é" * 10_001
    errors, values = refused(
        send_comment(post, text=text, headers={"Accept-Language": "fr"}), parse
    )
    assert "trop long" in errors
    assert values["text"] == text and values["name"] == "Ada Lovelace"
    assert not Response.objects.exists()


def test_a_busy_database_answers_503_with_the_comment_kept(post, send_comment, parse, monkeypatch):
    """SQLite has one writer; a large import holds it longer than a comment waits (20 s). The
    reader is told, in their language, and keeps the text: never a 500."""
    from django.db import OperationalError

    def locked(response):
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "submit_response", locked)
    answer = send_comment(
        post, text="Un avis qui ne doit pas se perdre.", headers={"Accept-Language": "fr"}
    )
    assert answer.status_code == 503 and answer["Retry-After"] == "60"
    errors, values = refused(answer, parse, status=503)
    assert "occupé" in errors
    assert values["text"] == "Un avis qui ne doit pas se perdre."
    assert not Response.objects.exists()


def test_invalid_email_is_refused_and_kept(post, send_comment, parse):
    errors, values = refused(
        send_comment(post, email="ada@", headers={"Accept-Language": "fr"}), parse
    )
    assert "adresse de courriel valide" in errors
    assert values["email"] == "ada@" and values["text"].startswith("A thoughtful")


def test_a_reply_to_another_posts_comment_is_refused(post, send_comment, parse):
    elsewhere = approved(PostFactory())
    errors, values = refused(
        send_comment(post, parent=elsewhere.pk, headers={"Accept-Language": "en"}), parse
    )
    assert "belongs to another post" in errors
    assert values["parent"] == str(elsewhere.pk)


def test_a_reply_to_an_unpublished_comment_is_refused(post, send_comment, parse):
    held = approved(post, state=State.PENDING)
    errors, _values = refused(send_comment(post, parent=held.pk), parse)
    assert "not published" in errors


def test_a_reply_deeper_than_allowed_is_refused(post, send_comment, parse, settings):
    settings.SALON_COMMENTS_MAX_DEPTH = 3
    top = approved(post)
    middle = approved(post, parent=top, content="2")
    deepest = approved(post, parent=middle, content="3")
    assert send_comment(post, parent=middle.pk).status_code == 303
    errors, _values = refused(
        send_comment(post, parent=deepest.pk, text="Too deep", headers={"Accept-Language": "fr"}),
        parse,
    )
    assert "trop profonde" in errors


def test_comments_closed_is_refused(send_comment, parse):
    closed = PostFactory(comments_open=False)
    errors, values = refused(send_comment(closed, headers={"Accept-Language": "fr"}), parse)
    assert "fermés" in errors
    assert values["text"].startswith("A thoughtful")
    assert not Response.objects.exists()


def test_the_same_comment_twice_is_refused(post, send_comment, parse):
    send_comment(post)
    errors, _values = refused(
        send_comment(post, text="  a THOUGHTFUL comment about this post. "), parse
    )
    assert "already sent" in errors
    assert Response.objects.count() == 1


def test_a_filled_honeypot_is_kept_as_spam_and_answered_like_a_held_comment(post, send_comment):
    response = send_comment(post, homepage="http://cheap-pills.example/")
    assert response.status_code == 303 and "comment=held" in response["Location"]
    assert Response.objects.get().state == State.SPAM


def test_a_form_sent_too_fast_is_kept_as_spam(post, send_comment, settings):
    settings.SALON_COMMENTS_MIN_SECONDS = 5
    send_comment(post)
    assert Response.objects.get().state == State.SPAM


def test_a_forged_form_timestamp_is_kept_as_spam(post, send_comment):
    send_comment(post, shown="1700000000")
    assert Response.objects.get().state == State.SPAM


def test_rate_limit_answers_429_with_a_readable_page(post, send_comment, parse, settings):
    settings.SALON_COMMENTS_RATE_LIMIT = "2/60"
    for n in range(2):
        assert send_comment(post, text=f"Comment {n}").status_code == 303
    limited = send_comment(post, text="One too many", headers={"Accept-Language": "fr"})
    assert limited.status_code == 429
    assert limited["Retry-After"] == "60"
    assert "60 secondes" in parse(limited).cssselect("[role=alert]")[0].text_content()
    assert Response.objects.count() == 2


def test_rate_limit_off_lets_everything_through(post, send_comment, settings):
    settings.SALON_COMMENTS_RATE_LIMIT = "off"
    for n in range(8):
        assert send_comment(post, text=f"Comment {n}").status_code == 303


def test_no_comment_on_a_draft_or_a_missing_post(send_comment):
    draft = PostFactory(status="draft")
    assert send_comment(draft).status_code == 404
    assert not Response.objects.exists()


def test_get_is_not_allowed(client, post):
    assert client.get(f"/comments/post/{post.pk}/").status_code == 405


def test_garbage_fields_never_give_a_500(post, send_comment):
    for fields in [
        {"parent": "abc"},
        {"parent": "-1"},
        {"parent": "99999999999999999999"},
        {"notify": "on", "notify_scope": "everything"},
        {"name": "   "},
        {"text": ""},
        {"url": "javascript:alert(1)"},
        {"email": "a" * 300 + "@x.y"},
    ]:
        assert send_comment(post, **fields).status_code == 400, fields
    assert not Response.objects.exists()


def test_services_are_used_by_the_form(post, send_comment, settings):
    """The form obeys the moderation mode like any other door."""
    settings.SALON_COMMENTS_MODERATION = "none"
    send_comment(post)
    assert Response.objects.get().state == State.APPROVED
    assert services.is_known_author("ada@example.org")


def test_behind_a_trusted_proxy_each_reader_has_their_own_limit_and_address(
    post, send_comment, settings
):
    """Through a trusted proxy (SALON_TRUSTED_PROXIES) the rate limit counts readers, not the
    proxy, and a comment keeps its reader's address; from anyone else X-Forwarded-For is
    ignored, so writing it cannot dodge the limit."""
    from django.test import Client

    settings.SALON_COMMENTS_RATE_LIMIT = "1/60"
    settings.SALON_TRUSTED_PROXIES = ["10.0.0.1"]
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    for reader in ("198.51.100.1", "198.51.100.2"):
        sent = send_comment(
            post, http_client=proxy, text=f"From {reader}", headers={"X-Forwarded-For": reader}
        )
        assert sent.status_code == 303
    assert sorted(Response.objects.values_list("ip_address", flat=True)) == [
        "198.51.100.1",
        "198.51.100.2",
    ]
    spoofer = Client(REMOTE_ADDR="203.0.113.9")
    for n, spoof in enumerate(("198.51.100.3", "198.51.100.4")):
        sent = send_comment(
            post, http_client=spoofer, text=f"Spoof {n}", headers={"X-Forwarded-For": spoof}
        )
        assert sent.status_code == (303 if n == 0 else 429)
    assert Response.objects.get(content="Spoof 0").ip_address == "203.0.113.9"
