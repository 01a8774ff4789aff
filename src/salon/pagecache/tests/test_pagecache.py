"""Whole pages for anonymous readers: served again without the database, never stale, with
each visitor's own CSRF token and comment-form time, and never for someone with a session."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html

from salon.blog.models import Status
from salon.blog.tests.factories import PageFactory, PostFactory
from salon.conversations import services
from salon.conversations.models import Response
from salon.pagecache.middleware import HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.SALON_PAGE_CACHE_SECONDS = 600
    settings.SALON_COMMENTS_MIN_SECONDS = 2
    settings.SALON_COMMENTS_RATE_LIMIT = "off"  # (the root conftest empties the cache)


@pytest.fixture
def post():
    return PostFactory(title="Marcher en ville", language="fr", body="On pense en marchant.")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` commits what the block writes, as a request does: the blog's
    ``posts_changed`` event (which purges) is sent after the commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def visit(client, path, **headers):
    response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    return response


def titles(response):
    return [t.strip() for t in html.fromstring(response.content).xpath("//h1//text()|//h2//text()")]


def test_a_second_visit_is_served_from_the_cache_without_the_database(client, post):
    first = visit(client, post.get_absolute_url())
    assert first[HEADER] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = Client().get(post.get_absolute_url())
    assert second[HEADER] == "hit" and len(queries) == 0
    assert second.content.replace(b" ", b"")[:500] == first.content.replace(b" ", b"")[:500]
    assert "Marcher en ville" in second.content.decode()
    # The middlewares around the cache still speak: the Webmention endpoint is announced.
    assert 'rel="webmention"' in second["Link"]


@pytest.mark.parametrize("path", ["/", "/fr/", "/tag/marche/", "/2026/", "/?page=1"])
def test_every_blog_page_is_kept(client, post, path):
    post.tags.set([])
    PostFactory(
        title="Autre", tags=["marche"], published_at=timezone.now().replace(year=2026, month=1)
    )
    client.get(path)
    assert Client().get(path)[HEADER] == "hit"


def test_an_edit_shows_at_once(client, post, committed):
    visit(client, "/")
    visit(client, post.get_absolute_url())
    with committed():
        post.title = "Marcher à la campagne"
        post.save()
    for path in ("/", post.get_absolute_url()):
        page = visit(Client(), path)
        assert page[HEADER] == "miss"
        assert "Marcher à la campagne" in page.content.decode()


def test_an_approved_comment_and_an_unpublished_post_show_at_once(client, post, committed):
    visit(client, post.get_absolute_url())
    response = Response.objects.create(
        post=post, author_name="Ada", author_email="a@b.org", content="Held for now."
    )
    services.approve(response)
    assert "Held for now." in visit(Client(), post.get_absolute_url()).content.decode()

    with committed():
        post.status = Status.DRAFT
        post.save()
    assert Client().get(post.get_absolute_url()).status_code == 404
    assert "Marcher en ville" not in visit(Client(), "/").content.decode()


def test_each_interface_language_has_its_own_page(client, post):
    english = visit(client, "/", **{"Accept-Language": "en"})
    french = visit(Client(), "/", **{"Accept-Language": "fr"})
    assert html.fromstring(english.content).get("lang") == "en"
    assert html.fromstring(french.content).get("lang") == "fr"
    again = visit(Client(), "/", **{"Accept-Language": "fr"})
    assert again[HEADER] == "hit" and html.fromstring(again.content).get("lang") == "fr"


def form_fields(response):
    form = html.fromstring(response.content).cssselect("form.comment-form")[0]
    return {field.get("name"): field.get("value") or "" for field in form.cssselect("input")}


def test_a_kept_post_page_is_the_same_for_every_reader(post):
    """Nothing of a reader's own is kept: no CSRF token, no signed time (the page's script asks
    for it when the reader starts on the form), no cookie."""
    first = visit(Client(), post.get_absolute_url())
    reader = Client(enforce_csrf_checks=True)
    page = visit(reader, post.get_absolute_url())
    assert page[HEADER] == "hit" and page.content == first.content
    fields = form_fields(page)
    assert "csrfmiddlewaretoken" not in fields and fields["shown"] == ""
    assert not page.cookies


def test_a_comment_sent_from_a_kept_page_is_accepted_and_a_hasty_one_is_spam(post, settings):
    settings.SALON_COMMENTS_MIN_SECONDS = 0.5
    visit(Client(), post.get_absolute_url())
    reader = Client(enforce_csrf_checks=True)
    page = visit(reader, post.get_absolute_url())
    assert page[HEADER] == "hit"
    fields = form_fields(page)
    fields.update(name="Ada", email="ada@example.org", text="Une réponse réfléchie.")
    fields["shown"] = reader.get("/comments/shown/").json()["shown"]  # what the script does
    origin = {"Origin": "http://testserver"}
    with TestCase.captureOnCommitCallbacks(execute=True):
        hasty = reader.post(f"/comments/post/{post.pk}/", fields, headers=origin)
    assert hasty.status_code == 303  # sent at once after the time was asked for: a robot
    assert Response.objects.get().state == "spam"
    time.sleep(0.6)
    fields.update(email="ada.lovelace@example.org", text="Une autre réponse, pesée.")
    with TestCase.captureOnCommitCallbacks(execute=True):
        sent = reader.post(f"/comments/post/{post.pk}/", fields, headers=origin)
    assert sent.status_code == 303
    assert Response.objects.latest("pk").state in ("pending", "approved")


def test_someone_with_a_session_gets_the_page_made_for_them(post, client):
    visit(client, post.get_absolute_url())
    author = Client()
    author.force_login(get_user_model().objects.create_superuser("boss", "b@example.org", "pw"))
    page = visit(author, post.get_absolute_url())
    assert HEADER not in page


def test_an_unlocked_protected_post_is_not_served_from_the_cache(client):
    secret = PostFactory(title="Billet protégé", body="Le texte caché.", password="sesame")
    locked = visit(client, secret.get_absolute_url())
    assert "Le texte caché." not in locked.content.decode()
    reader = Client()
    assert "Le texte caché." not in visit(reader, secret.get_absolute_url()).content.decode()
    form = html.fromstring(visit(reader, secret.get_absolute_url()).content)
    token = form.cssselect("form input[name=csrfmiddlewaretoken]")[0].get("value")
    unlocked = reader.post(
        secret.get_absolute_url(), {"post_password": "sesame", "csrfmiddlewaretoken": token}
    )
    assert unlocked.status_code == 302
    assert "Le texte caché." in visit(reader, secret.get_absolute_url()).content.decode()


def test_other_query_strings_and_methods_are_not_kept(client, post):
    for _ in range(2):
        page = visit(client, post.get_absolute_url() + "?comment=held")
        assert HEADER not in page
    visit(client, "/")
    head = client.head("/")
    assert head.status_code == 200 and head[HEADER] == "hit"


def test_a_scheduled_post_appears_on_time(client):
    PostFactory(title="Déjà là")
    due = timezone.now() + timedelta(seconds=2)
    PostFactory(title="Bientôt là", status=Status.SCHEDULED, published_at=due)
    assert "Bientôt là" not in visit(client, "/").content.decode()
    assert Client().get("/")[HEADER] == "hit"
    # The page is kept until the post's time (rounded up to the next second), no longer.
    time.sleep(max(0, (due - timezone.now()).total_seconds()) + 1.1)
    page = visit(Client(), "/")
    assert page[HEADER] == "miss" and "Bientôt là" in page.content.decode()


def test_a_menu_page_edit_shows_on_every_page(client, post, committed):
    menu = PageFactory(title="À propos", language="fr")
    visit(client, post.get_absolute_url())
    with committed():
        menu.title = "Qui écrit ici"
        menu.save()
    assert "Qui écrit ici" in visit(Client(), post.get_absolute_url()).content.decode()


def test_an_import_shows_at_once(client, django_capture_on_commit_callbacks):
    from pathlib import Path

    from salon.portability.writer import import_wxr

    visit(client, "/")
    fixture = Path(__file__).resolve().parents[2] / "portability/tests/fixtures/blog.wxr"
    with django_capture_on_commit_callbacks(execute=True):
        import_wxr(fixture)
    page = visit(Client(), "/")
    assert page[HEADER] == "miss"
    assert len(html.fromstring(page.content).cssselect("article")) > 0


@pytest.mark.parametrize(
    "signal_path",
    [
        "salon.similar.signals.lists_changed",
        "salon.conversations.signals.response_withdrawn",
    ],
)
def test_the_apps_signals_make_pages_stale(client, post, signal_path):
    from importlib import import_module

    module, name = signal_path.rsplit(".", 1)
    visit(client, post.get_absolute_url())
    getattr(import_module(module), name).send(sender=None, post_ids=[post.pk], response=None)
    assert Client().get(post.get_absolute_url())[HEADER] == "miss"


def test_the_cache_can_be_switched_off(client, post, settings):
    settings.SALON_PAGE_CACHE_SECONDS = 0
    visit(client, "/")
    assert HEADER not in visit(Client(), "/")


def test_feeds_are_kept_and_answer_conditional_requests(client, post, committed):
    first = client.get("/feed/")
    assert first.status_code == 200 and first[HEADER] == "miss"
    kept = Client().get("/feed/")
    assert kept[HEADER] == "hit" and kept.content == first.content
    assert kept["ETag"] == first["ETag"] and kept["Content-Language"] == first["Content-Language"]
    with CaptureQueriesContext(connection) as queries:
        unchanged = Client().get("/feed/", headers={"If-None-Match": first["ETag"]})
    assert unchanged.status_code == 304 and len(queries) == 0

    with committed():
        PostFactory(title="Un billet tout neuf")
    changed = Client().get("/feed/", headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and "Un billet tout neuf" in changed.content.decode()


def test_a_held_comment_leaves_kept_pages_alone_and_its_approval_does_not(client, post):
    """Most new comments wait for moderation and every spam is hidden: they change nothing a
    reader sees, so they keep the pages; publishing or withdrawing one does not."""
    visit(client, post.get_absolute_url())
    held = Response.objects.create(
        post=post, author_name="Ada", author_email="a@b.org", content="Waiting for the author."
    )
    assert Client().get(post.get_absolute_url())[HEADER] == "hit"
    services.approve(held)
    assert "Waiting for the author." in visit(Client(), post.get_absolute_url()).content.decode()
    services.mark_spam(held)
    page = visit(Client(), post.get_absolute_url())
    assert page[HEADER] == "miss" and "Waiting for the author." not in page.content.decode()
