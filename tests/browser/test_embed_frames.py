"""The CSP lets the media app's click-to-load players in, and nothing else: a checked embed
loads its frame without a violation; a figure an import smuggled in, pointing the same script
at another site, is refused by the browser (frame-src)."""

import pytest

from salon.blog.tests.factories import PostFactory
from salon.media.models import Embed

from .hostile import Watcher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIGURE = (
    '<figure class="media-embed" data-embed-src="{src}" data-embed-width="560" '
    'data-embed-height="315" data-embed-label="Load {name}" data-embed-title="{name}">'
    '<a class="media-embed-preview" href="https://example.org/{name}">'
    '<span class="media-embed-title">{name}</span></a>'
    '<figcaption><span class="media-embed-provider">{name}</span></figcaption></figure>'
)


def test_only_checked_players_may_be_framed(live_server, page_in, settings):
    settings.SALON_PAGE_CACHE_SECONDS = 0
    Embed.objects.create(
        url="https://video.example/watch/1",
        state=Embed.State.FOUND,
        iframe_src="https://player.example/embed/1",
    )
    post = PostFactory(
        language="en",
        body_format="html",
        body=FIGURE.format(src="https://player.example/embed/1", name="checked")
        + FIGURE.format(src="https://evil.example/phish", name="smuggled"),
    )
    watcher = Watcher(page_in(locale="en-GB"), live_server.url)
    seen = watcher.visit(live_server.url + post.get_absolute_url(), interact=False)
    assert "frame-src https://player.example" in watcher.policy
    assert seen["violations"] == []
    page = watcher.page
    page.get_by_role("button", name="Load checked").click()
    page.wait_for_selector("iframe[src^='https://player.example/']", state="attached")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__salonViolations") == []
    page.get_by_role("button", name="Load smuggled").click()
    page.wait_for_function("() => window.__salonViolations.length > 0")
    violations = page.evaluate("window.__salonViolations")
    assert len(violations) == 1 and violations[0].startswith("frame-src https://evil.example")
