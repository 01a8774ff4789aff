"""The writing page without reloads: a new post gets its address and its panels after the first
save, the refusal to publish links to each undescribed image, and "Translation of" suggests
posts by title as the author types; on a phone, in French, from the keyboard."""

import re

import pytest

from .salon_process import PASSWORD, USERNAME, SalonProcess
from .test_writing_page import PASTE_PNG, png_base64, wait_saved

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def salon_server(chromium):
    server = SalonProcess().prepare().start()
    yield server
    server.stop()


def signed_in(chromium, server, locale="en-GB", viewport=None):
    options = {"locale": locale}
    if viewport:
        options["viewport"] = viewport
    page = chromium.new_context(**options).new_page()
    page.goto(f"{server.url}/admin/login/?next=/write/")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server.url}/write/")
    return page


def saved_fr(page):
    page.wait_for_function(
        "() => document.getElementById('studio-status').textContent.startsWith('Enregistré')",
        timeout=15000,
    )


def test_a_new_post_moves_to_its_address_and_shows_its_panels(chromium, salon_server):
    page = signed_in(chromium, salon_server)
    try:
        page.evaluate("window.notReloaded = true")
        assert page.locator("text=Make a preview link").count() == 0
        page.fill("#id_title", "Sans recharger")
        page.click("#id_body")
        page.keyboard.type("Le premier enregistrement suffit.")
        wait_saved(page)
        page.wait_for_url(re.compile(r".*/write/\d+/$"))
        post_id = re.search(r"/write/(\d+)/$", page.url)[1]
        assert page.evaluate("window.notReloaded === true")  # the same page, no reload
        revisions = page.locator("#studio-history a")
        assert revisions.first.get_attribute("href") == f"/write/{post_id}/revisions/"
        with page.expect_navigation():
            page.click("text=Make a preview link")
        assert f"/write/{post_id}/" in page.url
        assert "/preview/" in page.input_value(".studio-link-url")
    finally:
        page.context.close()


def test_the_refusal_to_publish_links_to_the_image_to_describe(chromium, salon_server):
    page = signed_in(chromium, salon_server)
    try:
        page.fill("#id_title", "Une image sans mots")
        page.click("#id_body")
        page.keyboard.type("Voici :")
        wait_saved(page)
        page.evaluate(PASTE_PNG, [png_base64()])
        page.wait_for_function(
            "() => document.getElementById('id_body').value.includes('/media/images/')"
        )
        wait_saved(page)
        page.click("button[value=publish]")
        link = page.locator("[data-error-for=body] a")
        link.first.wait_for()
        assert re.fullmatch(r"/media-library/\d+/", link.first.get_attribute("href"))
        link.first.click()
        page.wait_for_url(re.compile(r".*/media-library/\d+/$"))
        assert page.locator("#id_alt_text").is_visible()
    finally:
        page.context.close()


def test_translation_suggestions_on_a_phone_in_french_with_the_keyboard(chromium, salon_server):
    english = signed_in(chromium, salon_server)
    try:
        english.fill("#id_title", "Winter evenings by bike")
        english.click("#id_body")
        english.keyboard.type("The evenings are long in winter, and I ride home under the lights.")
        wait_saved(english)
        with english.expect_navigation():
            english.click("button[value=publish]")
        english_id = re.search(r"/write/(\d+)/", english.url)[1]
    finally:
        english.context.close()

    page = signed_in(chromium, salon_server, "fr-FR", {"width": 390, "height": 844})
    try:
        assert page.locator("label[for=id_translation_of]").inner_text().startswith("Traduction")
        page.focus("#id_title")
        page.keyboard.type("Les soirs d’hiver à vélo")
        saved_fr(page)
        for _ in range(80):  # from the title, Tab by Tab, to "Translation of"
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "id_translation_of":
                break
        assert page.evaluate("document.activeElement.id") == "id_translation_of"
        page.keyboard.type("winter")
        option = page.locator("#studio-translation-options option")
        option.first.wait_for(state="attached")
        assert option.first.get_attribute("value") == english_id
        assert "Winter evenings by bike" in option.first.inner_text()
        page.keyboard.press("Control+a")
        page.keyboard.type(english_id)  # what choosing the suggestion writes in the field
        note = page.locator("#studio-translation-current [lang=en]")
        assert note.inner_text() == "Winter evenings by bike"
        saved_fr(page)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.reload()
        assert page.locator("#studio-translation-current a[lang=en]").inner_text() == (
            "Winter evenings by bike"
        )
        # The panels a post needs an address for are reachable from the keyboard too.
        for _ in range(120):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.textContent.trim()") == (
                "Créer un lien d’aperçu"
            ):
                break
        assert page.evaluate("document.activeElement.tagName") == "BUTTON"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        page.context.close()
