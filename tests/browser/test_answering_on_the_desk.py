"""On the desk, the author answers a reader's comment in a real browser, with the keyboard
only and on a phone-sized screen; the public post page shows the answer signed with the
author's public name (SALON_AUTHOR_NAME), never the login name."""

import pytest
from django.contrib.auth import get_user_model

from salon.blog.tests.factories import PostFactory
from salon.conversations.models import Response, State

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_author_answers_a_readers_comment_on_the_desk(live_server, page_in, settings):
    settings.SALON_AUTHOR_NAME = "Camille Martin"
    settings.SALON_AUTHOR_EMAIL = ""
    settings.SALON_PAGE_CACHE_SECONDS = 0
    get_user_model().objects.create_superuser("admin", "admin@example.org", "a long password")
    post = PostFactory(title="Le vélo en hiver", language="fr", body="Il fait nuit tôt.")
    comment = Response.objects.create(
        post=post,
        author_name="Ada",
        content="Do you ride with studded tyres?",
        language="en",
        state=State.APPROVED,
    )
    held = Response.objects.create(
        post=post, author_name="Bob", content="A held question.", state=State.PENDING
    )

    page = page_in(locale="en-GB")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(f"{live_server.url}/admin/login/?next=/desk/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "a long password")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/desk/")
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], "nothing wider than the phone's screen"

    # Approve the held one with its inline button: the script spares the reload.
    item = page.locator(f"#response-{held.pk}")
    page.evaluate("window.sameDocument = true")
    item.locator("button.action-approve").click()
    page.locator(f"#response-{held.pk}[data-state=approved]").wait_for()
    assert "1 response approved." in page.locator(".desk-messages").inner_text()
    assert page.evaluate("window.sameDocument === true"), "no reload"
    assert item.locator(".desk-state").inner_text() == "Approved"
    held.refresh_from_db()
    assert held.state == State.APPROVED

    # Answer Ada with the keyboard only: open the form, type, Ctrl+Enter publishes.
    answer = page.locator(f"#response-{comment.pk} .desk-answer")
    answer.locator("summary").focus()
    page.keyboard.press("Enter")
    textarea = answer.locator("textarea[name=text]")
    textarea.focus()
    page.keyboard.type("Yes, all winter long. Thank you for asking!")
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    assert "Your answer is published." in page.locator(".desk-messages").inner_text()

    reply = Response.objects.get(by_author=True)
    assert reply.parent_id == comment.pk

    reader = page_in(locale="en-GB")
    reader.goto(live_server.url + post.get_absolute_url())
    shown = reader.locator(f"#response-{reply.pk}")
    assert "Yes, all winter long." in shown.inner_text()
    assert shown.locator(".p-author .p-name").first.inner_text() == "Camille Martin"
    assert "admin" not in shown.inner_text()
