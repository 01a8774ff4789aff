"""The blog's fediverse handle has a Copy button that puts it in the clipboard."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_copy_button_copies_the_handle(live_server, chromium, settings):
    settings.SALON_FEDIVERSE_HANDLE = "plume@blog.example"
    context = chromium.new_context(locale="en-GB")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        button = page.locator("button.copy-handle")
        assert button.is_visible()
        assert page.locator("#fediverse-handle").inner_text() == "@plume@blog.example"
        button.click()
        page.wait_for_function(
            "document.querySelector('button.copy-handle').textContent === 'Copied'"
        )
        assert page.evaluate("navigator.clipboard.readText()") == "@plume@blog.example"
    finally:
        context.close()
