"""A reader comments from a post page served by the page cache, in a real browser. The page is
the same for every reader: the browser's Origin header says where the comment comes from, and
the page's script asks for the form's signed time when the reader starts on the form. Without
scripts, the comment is sent once more from a page that carries a time."""

import time

import pytest

from salon.blog.tests.factories import PostFactory
from salon.conversations.models import Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def post(settings):
    settings.SALON_PAGE_CACHE_SECONDS = 600
    settings.SALON_COMMENTS_MODERATION = "none"
    settings.SALON_COMMENTS_RATE_LIMIT = "off"
    settings.SALON_COMMENTS_MIN_SECONDS = 1
    return PostFactory(
        title="Le vélo en hiver", language="fr", body="Il fait nuit à dix-sept heures."
    )


def fill(form, text):
    form.locator("[name=name]").fill("Ada")
    form.locator("[name=email]").fill("ada@example.org")
    form.locator("[name=text]").fill(text)


def test_a_reader_comments_from_a_kept_page(live_server, page_in, post):
    url = live_server.url + post.get_absolute_url()
    first = page_in(locale="fr-FR")
    assert first.goto(url).headers.get("x-salon-page-cache") == "miss"

    page = page_in(locale="fr-FR")
    assert page.goto(url).headers.get("x-salon-page-cache") == "hit"
    form = page.locator("form.comment-form")
    fill(form, "Je roule aussi l’hiver, avec des gants.")
    shown = form.locator("[name=shown]")
    page.wait_for_function("document.querySelector('form.comment-form [name=shown]').value")
    assert shown.input_value()  # asked for when the reader started on the form
    time.sleep(1.2)  # a person takes longer than the minimum delay to write
    form.get_by_role("button").click()
    page.wait_for_load_state()

    assert Response.objects.get().state == "approved"
    assert page.locator(".conversation", has_text="avec des gants").count() == 1


def test_without_scripts_the_comment_is_sent_once_more(live_server, page_in, post):
    url = live_server.url + post.get_absolute_url()
    page_in(locale="fr-FR").goto(url)
    page = page_in(locale="fr-FR", java_script_enabled=False)
    assert page.goto(url).headers.get("x-salon-page-cache") == "hit"
    form = page.locator("form.comment-form")
    fill(form, "Sans JavaScript, je commente quand même.")
    form.get_by_role("button").click()
    page.wait_for_load_state()

    assert page.locator("h1").inner_text() == "Encore une étape"
    assert not Response.objects.exists()
    again = page.locator("form.comment-form")
    assert again.locator("[name=text]").input_value() == "Sans JavaScript, je commente quand même."
    time.sleep(1.1)  # reading the page and pressing the button
    again.get_by_role("button").click()
    page.wait_for_load_state()

    assert Response.objects.get().state == "approved"
    assert page.locator(".conversation", has_text="je commente quand même").count() == 1
