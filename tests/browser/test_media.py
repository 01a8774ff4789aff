"""The media library in a real browser: an embed asks nothing of its provider until the reader
clicks, and an image pasted into a textarea with ``data-media-upload-url`` is uploaded."""

import base64
import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from PIL import Image as PILImage

from salon.blog.tests.factories import PostFactory
from salon.media.models import Embed, Image
from salon.media.tests.provider import Provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider(tmp_path):
    server = Provider(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def cleanup():
    """The live server serves MEDIA_ROOT as it was at start-up: files go there, and go away."""
    yield
    for image in Image.objects.all():
        image.delete()
    for embed in Embed.objects.all():
        from salon.media.embeds import _remove_thumbnail

        _remove_thumbnail(embed)


def test_an_embed_loads_nothing_from_the_provider_before_the_click(
    live_server, chromium, provider, cleanup
):
    url = provider.video("talk", title="Rouler l’hiver")
    post = PostFactory(title="Une conférence", body=f"À voir :\n\n{url}\n")
    assert Embed.objects.get(url=url).state == Embed.State.FOUND

    context = chromium.new_context(locale="fr-FR", ignore_https_errors=True)
    try:
        page = context.new_page()
        seen = []
        page.on("request", lambda request: seen.append(request.url))
        page.goto(live_server.url + post.get_absolute_url())
        page.wait_for_load_state("networkidle")
        providers = (provider.site.base, provider.player.base)
        assert seen and not [u for u in seen if u.startswith(providers)]
        preview = page.locator("figure.media-embed")
        assert preview.locator("img").evaluate("img => img.complete && img.naturalWidth") > 0
        button = preview.get_by_role("button", name="Charger depuis TubeLoop")
        assert provider.player.requests == []

        with page.expect_request(lambda r: r.url.startswith(provider.player.base)):
            button.click()
        frame = preview.locator("iframe")
        frame.wait_for()
        assert frame.get_attribute("src") == provider.player.url("/embed/talk")
        assert "allow-scripts" in frame.get_attribute("sandbox")
        page.frame_locator("figure.media-embed iframe").get_by_text("Playing talk").wait_for()
        assert "/embed/talk" in provider.player.requests
    finally:
        context.close()


def png_base64(size=(64, 48)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 120, 30)).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


PASTE = """([data, type]) => {
  const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], "image.png", {type}));
  const area = document.querySelector("textarea[data-media-upload-url]");
  area.focus();
  area.setSelectionRange(area.value.length, area.value.length);
  area.dispatchEvent(new ClipboardEvent("paste", {clipboardData: transfer, bubbles: true,
                                                  cancelable: true}));
}"""


def test_pasting_an_image_into_the_textarea_uploads_it(live_server, chromium, cleanup):
    author = get_user_model().objects.create_user("author", password="pw", is_staff=True)
    client = Client()
    client.force_login(author)
    context = chromium.new_context(locale="en-GB")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    try:
        page = context.new_page()
        page.goto(live_server.url + "/media-library/")
        area = page.locator("textarea[data-media-upload-url]")
        area.fill("A first paragraph.")
        held = []  # the upload is held on its way, to see the placeholder
        page.route("**/media-library/upload/", lambda route: held.append(route))
        page.evaluate(PASTE, [png_base64(), "image/png"])
        page.wait_for_function("() => document.querySelector('textarea').value.includes('…]()')")
        assert area.input_value() == "A first paragraph.\n\n![Uploading image.png (1)…]()"
        while not held:
            page.wait_for_timeout(20)
        held[0].continue_()
        page.unroute("**/media-library/upload/")
        page.wait_for_function(
            "() => document.querySelector('textarea').value.includes('/media/images/')"
        )
        image = Image.objects.get()
        assert area.input_value() == f"A first paragraph.\n\n{image.markdown()}"
        assert page.locator(".media-upload-status").text_content() == "Image uploaded."
        assert (image.width, image.height) == (64, 48)

        # A refusal says why and leaves the text as it was.
        page.evaluate(PASTE, [base64.b64encode(b"not an image").decode(), "image/png"])
        status = page.locator(".media-upload-status")
        status.filter(has_text="not an image Salon accepts").wait_for()
        assert area.input_value() == f"A first paragraph.\n\n{image.markdown()}"
        assert Image.objects.count() == 1
    finally:
        context.close()


DROP = """([data, name]) => {
  const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, {type: "image/png"}));
  const area = document.querySelector("textarea[data-media-upload-url]");
  area.setSelectionRange(0, 0);
  for (const type of ["dragover", "drop"]) {
    area.dispatchEvent(new DragEvent(type, {dataTransfer: transfer, bubbles: true,
                                            cancelable: true}));
  }
}"""


def test_dropping_an_image_on_the_textarea_uploads_it_in_french(live_server, chromium, cleanup):
    author = get_user_model().objects.create_user("autrice", password="pw", is_staff=True)
    client = Client()
    client.force_login(author)
    context = chromium.new_context(locale="fr-FR")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    try:
        page = context.new_page()
        page.goto(live_server.url + "/media-library/")
        area = page.locator("textarea[data-media-upload-url]")
        area.fill("Suite du texte.")
        page.evaluate(DROP, [png_base64((30, 20)), "plan.png"])
        page.wait_for_function(
            "() => document.querySelector('textarea').value.includes('/media/images/')"
        )
        image = Image.objects.get()
        assert image.original_name == "plan.png"
        assert area.input_value() == f"{image.markdown()}\n\nSuite du texte."
        assert page.locator(".media-upload-status").text_content() == "Image envoyée."

        # Other editors call the script's API: a promise of the server's answer.
        answer = page.evaluate(
            """async ([data]) => {
              const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
              const file = new File([bytes], "autre.png", {type: "image/png"});
              return await window.salonMedia.send("/media-library/upload/", file);
            }""",
            [png_base64((12, 10))],
        )
        assert answer["markdown"] == Image.objects.get(original_name="autre.png").markdown()
    finally:
        context.close()


def test_pasting_into_the_admins_post_body_uploads_too(live_server, chromium, cleanup):
    author = get_user_model().objects.create_user(
        "admin-author", password="pw", is_staff=True, is_superuser=True
    )
    client = Client()
    client.force_login(author)
    context = chromium.new_context(locale="en-GB")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    try:
        page = context.new_page()
        page.goto(live_server.url + "/admin/blog/post/add/")
        page.evaluate(PASTE, [png_base64(), "image/png"])
        page.wait_for_function(
            "() => document.querySelector('#id_body').value.includes('/media/images/')"
        )
        assert page.locator("#id_body").input_value() == Image.objects.get().markdown()
    finally:
        context.close()
