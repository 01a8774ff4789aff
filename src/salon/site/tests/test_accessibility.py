"""What a screen reader announces: landmarks named apart, and the interface-language buttons
inside a named group, in both interface languages."""

import lxml.html
import pytest

from salon.blog.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

NAMES = {
    "en": {"site": "Site search", "refine": "Refine the search", "group": "Interface language"},
    "fr": {
        "site": "Recherche sur le site",
        "refine": "Affiner la recherche",
        "group": "Langue de l'interface",
    },
}


def page(client, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    document = lxml.html.fromstring(response.content)
    assert document.get("lang") == language
    return document


def accessible_name(element):
    """The name from aria-labelledby or aria-label (the only ways these landmarks are named)."""
    if element.get("aria-labelledby"):
        ids = element.get("aria-labelledby").split()
        root = element.getroottree()
        return " ".join(root.xpath(f'//*[@id="{i}"]')[0].text_content().strip() for i in ids)
    return (element.get("aria-label") or "").strip()


def search_landmarks(document):
    return document.xpath('//*[@role="search"] | //search')


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_search_page_names_its_two_search_landmarks_apart(client, language):
    """axe's landmark-unique: the header's search and the page's own form are both search
    landmarks, so each has its own name in the interface language."""
    PostFactory(title="Le vélo en hiver", body="Rouler quand il gèle.")
    document = page(client, "/search/?q=vélo", language)
    names = sorted(accessible_name(element) for element in search_landmarks(document))
    assert names == sorted([NAMES[language]["site"], NAMES[language]["refine"]])


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_page_names_the_header_search(client, language):
    PostFactory()
    document = page(client, "/", language)
    landmarks = search_landmarks(document)
    assert [accessible_name(element) for element in landmarks] == [NAMES[language]["site"]]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_interface_language_buttons_are_a_named_group(client, language):
    """A screen reader says "Interface language, group" before "Français, toggle button"."""
    document = page(client, "/", language)
    buttons = document.xpath('//button[@name="language"]')
    assert len(buttons) == 2
    groups = {button.xpath('ancestor::*[@role="group"]')[-1] for button in buttons}
    assert len(groups) == 1, "both buttons are in one group"
    (group,) = groups
    assert accessible_name(group) == NAMES[language]["group"]
    pressed = [button.get("value") for button in buttons if button.get("aria-pressed") == "true"]
    assert pressed == [language]
