"""Every page of the writing room: the signed-in author's only, private (never cached),
CSRF-protected, in French and English, with no inline script; the author bar on every page of
the site for the author alone, which the page cache never keeps."""

import lxml.html
import pytest
from django.test import Client

from salon.blog.models import Post, Status
from salon.pagecache.middleware import HEADER
from salon.studio.models import PreviewLink

from .conftest import form_data, opened


@pytest.fixture
def pages(draft):
    return ["/write/", f"/write/{draft.pk}/", f"/write/{draft.pk}/revisions/"]


def cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


def test_strangers_are_sent_to_sign_in(client, pages, django_user_model):
    urls = pages
    reader = django_user_model.objects.create_user("reader", password="pw")
    for who in (None, reader):
        if who:
            client.force_login(who)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith("/admin/login/?next=")
            assert {"private", "no-store"} <= cache_control(response)


def test_a_save_after_the_session_ended_is_refused_and_says_why(client, draft):
    response = client.post(
        f"/write/{draft.pk}/save/",
        {**form_data(draft), "version": 1},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 403
    assert "kept in this browser" in response.json()["message"]
    draft.refresh_from_db()
    assert draft.body == "Premier jet."


def test_every_studio_page_is_private(author, pages, draft):
    urls = pages
    for url in urls:
        response = author.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= cache_control(response), url
    version = opened(author, draft)
    saved = author.post(
        f"/write/{draft.pk}/save/",
        {**form_data(draft), "version": version},
        HTTP_ACCEPT="application/json",
    )
    assert {"private", "no-store"} <= cache_control(saved)
    shown = author.post("/write/preview/", form_data(), HTTP_ACCEPT="application/json")
    assert {"private", "no-store"} <= cache_control(shown)


def test_saves_need_the_csrf_token(django_user_model, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(django_user_model.objects.create_user("w", password="pw", is_staff=True))
    version = opened(client, draft)
    for url in (f"/write/{draft.pk}/save/", "/write/preview/", f"/write/{draft.pk}/links/"):
        response = client.post(url, {**form_data(draft, body="Forgé."), "version": version})
        assert response.status_code == 403, url
    draft.refresh_from_db()
    assert draft.body == "Premier jet."
    assert not PreviewLink.objects.exists()


def test_no_inline_script(author, draft):
    for url in ("/write/", f"/write/{draft.pk}/"):
        page = lxml.html.fromstring(author.get(url).content)
        for script in page.iter("script"):
            assert script.get("src") or script.get("type") == "application/json", url


def test_the_page_speaks_french(author, draft):
    page = author.get(f"/write/{draft.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Publier maintenant" in page
    assert "Résumé d’une ligne pour qui lit en anglais" in page


def test_the_author_bar_is_for_the_author_and_never_kept(author, client, settings):
    settings.SALON_PAGE_CACHE_SECONDS = 600
    post = Post.objects.create(title="Publié", language="fr", status=Status.PUBLISHED)
    reader = Client()

    mine = author.get(post.get_absolute_url())
    bar = lxml.html.fromstring(mine.content).cssselect("nav.author-bar a")
    assert [a.get("href") for a in bar][:2] == ["/write/", f"/write/{post.pk}/"]
    assert HEADER not in mine  # rendered for the author, not kept

    first = reader.get(post.get_absolute_url())
    assert first[HEADER] == "miss"  # nothing the author saw was kept
    assert not lxml.html.fromstring(first.content).cssselect("nav.author-bar")
    second = reader.get(post.get_absolute_url())
    assert second[HEADER] == "hit"
    assert not lxml.html.fromstring(second.content).cssselect("nav.author-bar")
    assert HEADER not in author.get(post.get_absolute_url())


def test_the_admins_post_page_links_to_the_writing_page(author, draft):
    page = author.get(f"/admin/blog/post/{draft.pk}/change/").content.decode()
    assert f'href="/write/{draft.pk}/"' in page


def test_other_apps_plug_into_the_editor(author, draft):
    """The media library's way in: an upload address on the body, a script, a cover panel."""
    from salon.studio import extensions

    extension = extensions.EditorExtension(
        upload_url_name="studio:preview",  # any URL name: here one that exists
        scripts=("studio/editor.js",),
        cover_template="studio/includes/field.html",
    )
    extensions.extend_editor(extension)
    try:
        page = lxml.html.fromstring(author.get(f"/write/{draft.pk}/").content)
    finally:
        extensions.editor_extensions.remove(extension)
    assert page.get_element_by_id("id_body").get("data-media-upload-url") == "/write/preview/"
    scripts = [s.get("src") for s in page.iter("script") if s.get("src")]
    assert scripts.count("/static/studio/editor.js") == 2
    assert "/static/media/paste-upload.js" in scripts
    assert page.cssselect("[data-cover-slot] .studio-field")
    plain = lxml.html.fromstring(author.get(f"/write/{draft.pk}/").content)
    upload = plain.get_element_by_id("id_body").get("data-media-upload-url")
    assert upload == "/media-library/upload/"  # the media library's, by default


def test_the_author_bar_leads_to_the_desk(author):
    bar = lxml.html.fromstring(author.get("/").content).cssselect("nav.author-bar a")
    assert "/desk/" in [a.get("href") for a in bar]
