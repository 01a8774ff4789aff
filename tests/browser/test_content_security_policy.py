"""Every kind of page carries the Content-Security-Policy and breaks none of it: loaded in
Chromium with the policy on, not one `securitypolicyviolation` event fires (an inline script,
style or handler left in a template, a frame, a plugin would each raise one).

To cover a new kind of page, add a line to PUBLIC_PAGES or STAFF_PAGES: a name and a function
of the demo site's objects giving its path."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from salon.blog.models import Page, Post, Series, Tag

from .hostile import Watcher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REQUIRED = (
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "script-src 'self'",
)


def commented_post():
    return Post.objects.published().filter(responses__state="approved").distinct().first()


PUBLIC_PAGES = [
    ("home", lambda: "/"),
    ("home, page 2", lambda: "/?page=2"),
    ("language river", lambda: "/fr/"),
    ("post with comments", lambda: commented_post().get_absolute_url()),
    ("tag", lambda: Tag.objects.first().get_absolute_url()),
    ("series", lambda: Series.objects.first().get_absolute_url()),
    ("archive", lambda: f"/{Post.objects.published().first().published_at.year}/"),
    ("page", lambda: Page.objects.published().first().get_absolute_url()),
    ("search", lambda: "/search/?q=v%C3%A9lo"),
    ("challenges", lambda: "/challenges/"),
    ("404", lambda: "/no/such/page/"),
    ("admin login", lambda: "/admin/login/"),
]
STAFF_PAGES = [
    ("writing page", lambda: "/write/"),
    ("writing page, a post", lambda: f"/write/{Post.objects.first().pk}/"),
    ("reader", lambda: "/reader/"),
    ("desk", lambda: "/desk/"),
    ("media library", lambda: "/media-library/"),
    ("my conversations", lambda: "/my-conversations/"),
    ("admin index", lambda: "/admin/"),
    ("admin images", lambda: "/admin/media/image/"),
    ("admin embeds", lambda: "/admin/media/embed/"),
    ("admin post", lambda: f"/admin/blog/post/{Post.objects.first().pk}/change/"),
    ("account", lambda: "/account/"),
    ("passkeys", lambda: "/account/passkeys/"),
    ("authenticator app", lambda: "/account/authenticator/"),
]
STATUS = {"404": 404}


@pytest.fixture
def demo_site(settings):
    settings.SALON_PAGE_CACHE_SECONDS = 0
    settings.SALON_POSTS_PER_PAGE = 3
    call_command("load-demo", stdout=open("/dev/null", "w"))
    get_user_model().objects.create_superuser("author", "a@example.org", "a long password 1")


@pytest.mark.parametrize("locale", ["en-GB", "fr-FR"])
def test_no_public_page_breaks_the_policy(live_server, page_in, demo_site, locale):
    watcher = Watcher(page_in(locale=locale), live_server.url)
    broken = {}
    for name, path in PUBLIC_PAGES:
        seen = watcher.visit(live_server.url + path(), expect_status=STATUS.get(name, 200))
        for directive in REQUIRED:
            assert directive in watcher.policy, (name, watcher.policy)
        if seen["violations"]:
            broken[name] = seen["violations"]
    assert broken == {}


def test_the_comment_form_and_its_errors_break_nothing(live_server, page_in, demo_site):
    watcher = Watcher(page_in(locale="en-GB"), live_server.url)
    seen = watcher.visit(live_server.url + commented_post().get_absolute_url())
    assert seen["violations"] == []
    form = watcher.page.locator("form.comment-form")
    form.locator("[name=name]").fill("Ada")
    form.locator("[name=email]").fill("ada@nowhere")
    form.locator("[name=text]").fill("A comment.")
    with watcher.page.expect_navigation():
        form.locator("button[type=submit], input[type=submit]").first.click()
    assert watcher.page.locator(".comment-refused, .errorlist").count() >= 1
    assert watcher.page.evaluate("window.__salonViolations") == []


def test_no_staff_page_breaks_the_policy(live_server, page_in, demo_site):
    watcher = Watcher(page_in(locale="en-GB"), live_server.url)
    page = watcher.page
    watcher.visit(live_server.url + "/admin/login/")
    page.fill("#id_username", "author")
    page.fill("#id_password", "a long password 1")
    with page.expect_navigation():
        page.click("input[type=submit]")
    broken = {}
    for name, path in STAFF_PAGES:
        seen = watcher.visit(live_server.url + path())
        assert "frame-ancestors 'none'" in watcher.policy
        if seen["violations"]:
            broken[name] = seen["violations"]
    assert broken == {}
