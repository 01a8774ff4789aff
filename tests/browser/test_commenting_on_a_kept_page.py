"""A reader comments from a post page served by the page cache, in a real browser: the form's
CSRF token and "shown at" time are the reader's own, so the comment goes through."""

import time

import pytest

from salon.blog.tests.factories import PostFactory
from salon.conversations.models import Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_comments_from_a_kept_page(live_server, page_in, settings):
    settings.SALON_PAGE_CACHE_SECONDS = 600
    settings.SALON_COMMENTS_MODERATION = "none"
    settings.SALON_COMMENTS_RATE_LIMIT = "off"
    settings.SALON_COMMENTS_MIN_SECONDS = 1
    post = PostFactory(
        title="Le vélo en hiver", language="fr", body="Il fait nuit à dix-sept heures."
    )
    url = live_server.url + post.get_absolute_url()

    first = page_in(locale="fr-FR")
    assert first.goto(url).headers.get("x-salon-page-cache") == "miss"

    page = page_in(locale="fr-FR")
    assert page.goto(url).headers.get("x-salon-page-cache") == "hit"
    form = page.locator("form.comment-form")
    form.locator("[name=name]").fill("Ada")
    form.locator("[name=email]").fill("ada@example.org")
    form.locator("[name=text]").fill("Je roule aussi l’hiver, avec des gants.")
    time.sleep(1.2)  # a person takes longer than the minimum delay to write
    form.get_by_role("button").click()
    page.wait_for_load_state()

    assert Response.objects.get().state == "approved"
    assert page.locator(".conversation", has_text="avec des gants").count() == 1
