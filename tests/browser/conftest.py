"""Real-browser tests: Playwright driving Debian's chromium (never a downloaded browser)."""

import os
import shutil

import pytest

from salon import testing

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are plain synchronous calls, so Django's async guard can stand down.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium():
    testing.require(
        shutil.which(CHROMIUM),
        f"{CHROMIUM} is not installed",
        "apt-get install chromium to run the browser tests",
        required=bool(os.environ.get("SALON_REQUIRE_BROWSER")),
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page_in(chromium):
    """A new page in a fresh browser context whose preferred language is given."""
    contexts = []

    def _page(locale="en-GB", **options):
        context = chromium.new_context(locale=locale, **options)
        contexts.append(context)
        return context.new_page()

    yield _page
    for context in contexts:
        context.close()
