"""Where a comment comes from, on a post page the same for every reader.

A reader's form carries no CSRF token and no signed time of its own (the page is kept whole
and published as a file): the browser's ``Origin`` (or ``Referer``) must name this site, and
the page's script asks for the time when the reader starts on the form. A reader whose browser
ran no script sends the comment once more from a page that carries one. A signed-in author's
form keeps Django's CSRF token.
"""

import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from salon.conversations import tokens
from salon.conversations.models import Check, Response, State

from .conftest import comment_data
from .test_form import refused

pytestmark = pytest.mark.django_db

HERE = "http://testserver"


def strict():
    """A client whose requests go through the checks, as a browser's do."""
    return Client(enforce_csrf_checks=True)


def page_form(response, parse):
    form = parse(response).cssselect("form.comment-form")[0]
    fields = {
        field.get("name"): field.get("value") or ""
        for field in form.cssselect("input")
        if field.get("type") not in ("checkbox", "radio")
    }
    return form, fields


def test_a_readers_form_holds_nothing_of_their_own(post, parse):
    reader = strict()
    page = reader.get(post.get_absolute_url())
    form, fields = page_form(page, parse)
    assert "csrfmiddlewaretoken" not in fields
    assert fields["shown"] == ""
    assert not page.cookies  # no CSRF cookie either
    assert form.get("data-shown-url") == "/comments/shown/"
    assert parse(page).cssselect('script[src*="comment-form"]')


def test_the_script_gets_a_fresh_time_that_no_cache_keeps(client):
    answer = client.get("/comments/shown/")
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"]
    age, again = tokens.read_form_timestamp(answer.json()["shown"])
    assert 0 <= age < 5 and not again


@pytest.mark.parametrize("header", ["Origin", "Referer"])
def test_a_comment_sent_from_the_page_is_accepted(post, parse, header):
    reader = strict()
    form, fields = page_form(reader.get(post.get_absolute_url()), parse)
    fields.update(
        name="Grace",
        email="grace@example.org",
        text="Hello from the real form.",
        shown=reader.get(form.get("data-shown-url")).json()["shown"],
    )
    origin = HERE if header == "Origin" else HERE + post.get_absolute_url()
    sent = reader.post(form.get("action"), fields, headers={header: origin})
    assert sent.status_code == 303
    assert Response.objects.get().author_name == "Grace"


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://elsewhere.example"},
        {"Origin": "null"},
        {"Referer": "https://elsewhere.example/page"},
        {},
    ],
)
def test_a_comment_sent_from_elsewhere_is_refused_with_the_text_kept(post, parse, headers):
    page = strict().post(
        f"/comments/post/{post.pk}/",
        comment_data(),
        headers={"Accept-Language": "fr", **headers},
    )
    errors, values = refused(page, parse)
    assert "envoyez-le à nouveau depuis cette page" in errors
    assert values["text"].startswith("A thoughtful")
    assert "csrfmiddlewaretoken" not in values
    assert not Response.objects.exists()


def test_a_signed_in_authors_form_keeps_the_csrf_token(post, parse):
    author = strict()
    author.force_login(get_user_model().objects.create_superuser("author", "a@example.org", "p"))
    form, fields = page_form(author.get(post.get_absolute_url()), parse)
    assert fields["csrfmiddlewaretoken"] and fields["shown"]
    # Same origin is not enough for a session: the token is required…
    without = dict(fields, csrfmiddlewaretoken="", text="Forged in my name.")
    refusal = author.post(form.get("action"), without, headers={"Origin": HERE})
    errors, _values = refused(refusal, parse)
    assert "too old" in errors and not Response.objects.exists()
    # …and with it the comment goes through.
    fields.update(name="Author", email="a@example.org", text="An answer of mine.")
    assert author.post(form.get("action"), fields, headers={"Origin": HERE}).status_code == 303
    assert Response.objects.get().content == "An answer of mine."


def test_without_the_script_the_comment_is_sent_once_more(post, parse, settings):
    """No time came with the comment: it is not spam, nor stored yet; the reader gets it back
    with a time and sends it again. Pressing the button takes a person more than a second."""
    settings.SALON_COMMENTS_MIN_SECONDS = 5
    settings.SALON_COMMENTS_MODERATION = "none"
    reader = strict()
    first = reader.post(
        f"/comments/post/{post.pk}/",
        comment_data(shown=""),
        headers={"Origin": HERE, "Accept-Language": "fr"},
    )
    messages, values = refused(first, parse, status=200)
    assert "envoyer votre commentaire une nouvelle fois" in messages
    assert parse(first).cssselect("h1")[0].text_content() == "Encore une étape"
    assert values["text"].startswith("A thoughtful") and not Response.objects.exists()
    age, again = tokens.read_form_timestamp(values["shown"])
    assert again and age < 5

    form = parse(first).cssselect("form.comment-form")[0]
    assert values["name"] == "Ada Lovelace" and values["email"] == "ada@example.org"
    values = {name: value or "" for name, value in values.items()}
    time.sleep(1.05)
    sent = reader.post(form.get("action"), values, headers={"Origin": HERE})
    assert sent.status_code == 303
    assert Response.objects.get().state == State.APPROVED


def test_a_robot_sending_the_page_back_at_once_is_caught(post, parse, send_comment, settings):
    settings.SALON_COMMENTS_MIN_SECONDS = 5
    first = send_comment(post, shown="")
    _messages, values = refused(first, parse, status=200)
    send_comment(post, shown=values["shown"])
    robot = Response.objects.get()
    assert robot.state == State.SPAM and robot.checks == Check.TOO_FAST


def test_an_api_client_without_a_time_is_given_one(post, send_comment):
    answer = send_comment(post, shown="", headers={"Accept": "application/json"})
    assert answer.status_code == 400
    assert "shown" in answer.json()["errors"]
    assert tokens.read_form_timestamp(answer.json()["shown"])[0] < 5
    assert not Response.objects.exists()
