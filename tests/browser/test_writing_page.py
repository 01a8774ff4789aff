"""The writing page in a real browser, against a Salon served by its own process: nothing typed
is lost when the server dies or the tab closes, revisions come back exactly, and a secret
preview link works for a stranger until it is revoked."""

import base64
import io
import re

import pytest
from PIL import Image as PILImage

from .salon_process import PASSWORD, USERNAME, SalonProcess

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def salon_server(chromium):
    server = SalonProcess().prepare().start()
    yield server
    server.stop()


@pytest.fixture
def author_page(chromium, salon_server):
    """A page in a fresh browser context, signed in as the author."""
    contexts = []

    def _page():
        context = chromium.new_context(locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{salon_server.url}/admin/login/?next=/write/")
        page.fill("#id_username", USERNAME)
        page.fill("#id_password", PASSWORD)
        page.click("[type=submit]")
        page.wait_for_url(f"{salon_server.url}/write/")
        return page

    yield _page
    for context in contexts:
        context.close()


def wait_saved(page):
    page.wait_for_function(
        "document.getElementById('studio-status').textContent.startsWith('Saved')",
        timeout=15000,
    )


def new_post(page, title, body):
    page.fill("#id_title", title)
    page.click("#id_body")
    page.keyboard.type(body)
    wait_saved(page)
    page.wait_for_url(re.compile(r".*/write/\d+/$"))
    return page.url


def test_nothing_typed_is_lost_when_the_server_is_killed(author_page, salon_server):
    page = author_page()
    body = "Il pleuvait sur le canal.\nLes péniches dormaient, et moi je"
    url = new_post(page, "Ce que le serveur oublie", body)

    salon_server.kill()
    salon_server.start()
    page.goto(url)

    assert page.input_value("#id_title") == "Ce que le serveur oublie"
    assert page.input_value("#id_body") == body
    assert page.locator("#studio-local").is_hidden()  # nothing to bring back: all was saved


def test_a_tab_closed_mid_sentence_offers_its_copy_back(author_page, salon_server):
    page = author_page()
    url = new_post(page, "Une phrase coupée", "Le début est enregistré.")
    context = page.context

    salon_server.kill()  # the server cannot be reached: nothing more reaches it
    page.click("#id_body")
    page.keyboard.press("End")
    page.keyboard.type(" Puis la suite, au milieu d'une phr")
    page.close()
    salon_server.start()

    again = context.new_page()
    again.goto(url)
    assert again.input_value("#id_body") == "Le début est enregistré."
    offer = again.locator("#studio-local")
    offer.wait_for(state="visible")
    again.click("#studio-local-restore")
    assert again.input_value("#id_body") == (
        "Le début est enregistré. Puis la suite, au milieu d'une phr"
    )
    wait_saved(again)


def test_restoring_a_revision_brings_the_earlier_text_back_exactly(author_page):
    page = author_page()
    earlier = "Première version.\n\n  Deux espaces devant, une tabulation\tici, et « guillemets »  "
    url = new_post(page, "Versions", "x")
    page.fill("#id_body", earlier)
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "document.getElementById('studio-status').textContent.includes('revision')"
    )
    page.fill("#id_body", "Tout autre chose.")
    wait_saved(page)

    page.goto(url + "revisions/")
    page.click("text=Compare >> nth=0")
    page.click("text=Restore this revision")
    page.wait_for_url(re.compile(r".*/write/\d+/$"))
    assert page.input_value("#id_body") == earlier


def test_a_preview_link_opens_for_a_stranger_until_it_is_revoked(
    author_page, chromium, salon_server
):
    page = author_page()
    page.goto(new_post(page, "Brouillon à montrer", "Lis-moi avant tout le monde."))
    with page.expect_navigation():
        page.click("text=Make a preview link")
    link = page.input_value(".studio-link-url")

    stranger = chromium.new_context(locale="en-GB").new_page()
    try:
        response = stranger.goto(link)
        assert response.status == 200
        assert "no-store" in response.headers["cache-control"]
        assert stranger.locator("h1").inner_text().startswith("Brouillon à montrer")

        with page.expect_navigation():
            page.click("button:has-text('Revoke')")
        assert "revoked" in page.locator(".studio-messages").inner_text()
        assert stranger.goto(link).status == 404
    finally:
        stranger.context.close()


def test_shortcuts_and_a_second_tab_on_the_same_draft(author_page):
    page = author_page()
    url = new_post(page, "Deux onglets", "mot")
    page.click("#id_body")
    page.keyboard.press("Control+a")
    page.keyboard.press("Control+b")
    assert page.input_value("#id_body") == "**mot**"
    wait_saved(page)

    other = page.context.new_page()
    other.goto(url)
    other.click("#id_body")
    other.keyboard.press("End")
    other.keyboard.type(" — écrit dans le second onglet")
    wait_saved(other)

    page.click("#id_body")
    page.keyboard.press("End")
    page.keyboard.type(" et dans le premier")
    conflict = page.locator("#studio-conflict")
    conflict.wait_for(state="visible", timeout=15000)
    assert "another tab" in conflict.inner_text()
    other.reload()
    assert other.input_value("#id_body") == "**mot** — écrit dans le second onglet"


def test_language_detection_on_a_phone_with_the_keyboard_only(chromium, salon_server):
    """On a phone-sized screen: one column, nothing wider than the screen; the language follows
    the text until the author picks one; every step is made from the keyboard."""
    context = chromium.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(f"{salon_server.url}/admin/login/?next=/write/")
        page.fill("#id_username", USERNAME)
        page.fill("#id_password", PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{salon_server.url}/write/")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        text = page.locator("#id_body").bounding_box()
        preview = page.locator("#studio-preview-article").bounding_box()
        assert preview["y"] > text["y"] + text["height"] - 1  # the preview under the text

        page.focus("#id_title")
        page.keyboard.type("Winter evenings")
        for _ in range(20):  # Tab through the toolbar to the text
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "id_body":
                break
        assert page.evaluate("document.activeElement.id") == "id_body"
        page.keyboard.type("The evenings are long in winter, and I ride home under the lights.")
        page.wait_for_function("document.getElementById('id_language').value === 'en'")
        assert page.get_attribute("#id_body", "lang") == "en"
        assert page.locator(".studio-summary[data-language=fr]").is_visible()
        assert page.locator(".studio-summary[data-language=en]").is_hidden()

        page.select_option("#id_language", "fr")  # the author decides
        page.keyboard.type(" More English, still.")
        wait_saved(page)
        page.reload()
        assert page.input_value("#id_language") == "fr"
        assert "Chosen by you." in page.inner_text("#studio-language-note")
    finally:
        context.close()


def test_leaving_the_page_saves_what_was_just_typed(author_page, salon_server):
    page = author_page()
    url = new_post(page, "En partant", "Déjà enregistré.")
    page.click("#id_body")
    page.keyboard.press("End")
    page.keyboard.type(" Et ceci, tapé juste avant de partir.")
    page.goto(salon_server.url + "/")  # long before the next autosave
    page.wait_for_timeout(1500)
    page.goto(url)
    assert page.input_value("#id_body") == "Déjà enregistré. Et ceci, tapé juste avant de partir."
    assert page.locator("#studio-local").is_hidden()


PASTE_PNG = """([data]) => {
  const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], "velo.png", {type: "image/png"}));
  const area = document.getElementById("id_body");
  area.focus();
  area.setSelectionRange(area.value.length, area.value.length);
  area.dispatchEvent(new ClipboardEvent("paste", {clipboardData: transfer, bubbles: true,
                                                  cancelable: true}));
}"""


def png_base64(size=(900, 600)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 120, 30)).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def test_a_pasted_image_waits_for_its_description_then_shows_with_srcset_and_credit(
    author_page, salon_server
):
    page = author_page()
    url = new_post(page, "Mon vélo", "Le voici :")
    page.evaluate(PASTE_PNG, [png_base64()])
    page.wait_for_function("document.getElementById('id_body').value.includes('/media/images/')")
    wait_saved(page)

    page.click("button[value=publish]")
    error = page.locator("[data-error-for=body]")
    error.filter(has_text="Describe every image").wait_for()

    page.goto(salon_server.url + "/media-library/?missing=alt")
    page.locator("main a:has(img)").first.click()  # the image waiting for its description
    page.fill("#id_alt_text", "Un vélo rouge contre un mur")
    page.fill("#id_credit", "Ada Photographe")
    with page.expect_navigation():
        page.click("form.media-edit-form button[type=submit]")

    page.goto(url)
    with page.expect_navigation():
        page.click("button[value=publish]")
    page.wait_for_load_state()
    assert "Published" in page.inner_text("#studio-status")
    page.click("text=See it on the site")
    figure = page.locator("article .post-body img[srcset]")
    assert figure.count() == 1
    assert figure.get_attribute("alt") == "Un vélo rouge contre un mur"
    assert figure.get_attribute("width") and figure.get_attribute("sizes")
    assert "Ada Photographe" in page.inner_text("article .post-body figcaption")
