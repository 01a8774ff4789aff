"""The author's answer (``services.answer``): signed with the public name, threaded, published
at once, announced to subscribers, and handed to the door it answers."""

import pytest

from salon.conversations import services, signals
from salon.conversations.models import Origin, Response, State

from .test_mail import subscribe_and_confirm


@pytest.mark.django_db
def test_the_answer_is_signed_with_the_public_name_and_threaded(post, settings, committing):
    settings.SALON_AUTHOR_NAME = "Camille Durand"
    settings.SALON_AUTHOR_PHOTO = "https://blog.example/camille.jpg"
    reader = Response.objects.create(
        post=post, author_name="Ada", content="A question?", state=State.APPROVED
    )
    heard = []

    def listener(sender, response, parent, **kwargs):
        heard.append((response.pk, parent.pk))

    signals.author_answered.connect(listener)
    try:
        with committing():
            reply = services.answer(reader, "Merci pour la question, voici la réponse.")
            assert heard == [], "the doors hear of it only after the commit"
    finally:
        signals.author_answered.disconnect(listener)

    reply.refresh_from_db()
    assert heard == [(reply.pk, reader.pk)]
    assert (reply.author_name, reply.author_photo) == (
        "Camille Durand",
        settings.SALON_AUTHOR_PHOTO,
    )
    assert reply.by_author and reply.origin == Origin.AUTHOR and reply.state == State.APPROVED
    assert reply.parent_id == reader.pk and reply.post_id == post.pk
    assert reply.language == "fr", "detected from the text when not given"
    assert services.answer(reader, "Short.", language="en").language == "en"


@pytest.mark.django_db
def test_the_answer_reaches_the_threads_subscribers(post, send_comment, smtp, settings, committing):
    settings.SALON_AUTHOR_EMAIL = ""
    settings.SALON_COMMENTS_MODERATION = "none"
    comment = subscribe_and_confirm(send_comment, post, smtp, "alice@example.org", "replies", "en")
    before = len(smtp.envelopes)
    with committing():
        services.answer(comment, "Thank you, Alice.")
    (mail,) = smtp.wait_for(before + 1)[before:]
    assert mail["To"] == "alice@example.org"
    assert "Thank you, Alice." in mail.get_body(("plain",)).get_content()
