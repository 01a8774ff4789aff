"""A reader follows a mostly French blog in English, in a real browser."""

import pytest

from salon.blog.tests.factories import PostFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_english_reader_follows_a_french_post_through_its_summary(live_server, page_in):
    post = PostFactory(
        title="Le vélo en hiver",
        language="fr",
        body="Il fait nuit à dix-sept heures, et pourtant le vélo reste le plus rapide.",
        summaries={"en": "Cycling through the winter, and why it is still the fastest way."},
    )
    PostFactory(
        title="Sourdough notes",
        language="en",
        body="A shared starter.",
        summaries={"fr": "Un levain partagé."},
    )

    page = page_in(locale="fr-FR")
    page.goto(live_server.url + "/")
    assert page.get_attribute("html", "lang") == "fr", "a French browser gets the French interface"
    assert page.locator(".site-nav").get_by_text("Tous les billets").is_visible()

    # Switch the interface to English.
    page.locator(".language-switcher button[value=en]").click()
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator(".site-nav").get_by_text("All posts").is_visible()

    # The English river: the French post appears through its English summary.
    page.goto(live_server.url + "/en/")
    french = page.locator("article", has_text="Le vélo en hiver")
    assert french.get_attribute("lang") == "fr"
    assert "post-compact" in french.get_attribute("class")
    summary = french.locator(".p-summary")
    assert summary.get_attribute("lang") == "en"
    assert summary.inner_text().startswith("Cycling through the winter")
    assert french.locator(".language-marker").first.inner_text() == "[fr]"
    assert french.locator(".e-content").count() == 0

    # Follow it: the post page marks each language.
    french.get_by_role("link", name="Le vélo en hiver").click()
    page.wait_for_url(f"**{post.get_absolute_url()}")
    assert page.get_attribute("html", "lang") == "en"
    article = page.locator("article.h-entry")
    assert article.get_attribute("lang") == "fr"
    assert article.locator(".p-summary").get_attribute("lang") == "en"
    assert page.locator("h1.p-name .language-marker").inner_text() == "[fr]"
    assert article.locator(".e-content").inner_text().startswith("Il fait nuit")
    # Interface text inside the French article is marked as English.
    assert article.locator(".post-meta").get_attribute("lang") == "en"
