"""What machines read and what readers see agree: a summary's ``[en]`` marker is for the eye,
outside the microformats ``p-summary`` (its language is in ``lang``); the cover's credit is
marked with the language it is written in, the post's, and only its label with the interface's."""

import mf2py
import pytest

from .factories import PostFactory

pytestmark = pytest.mark.django_db


def entries(response):
    parsed = mf2py.parse(doc=response.content.decode(), url="http://testserver/")
    found = []

    def walk(items):
        for item in items:
            if "h-entry" in item["type"]:
                found.append(item)
            walk(item.get("children", []))

    walk(parsed["items"])
    return found


def effective_lang(element):
    return element.xpath("ancestor-or-self::*[@lang][1]/@lang")[0]


@pytest.mark.parametrize("where", ["home river", "french river", "post page"])
def test_summary_property_has_no_marker_and_readers_still_see_it(client, parse, where):
    post = PostFactory(title="Le vélo", language="fr", summaries={"en": "Cycling in winter."})
    url = {"home river": "/", "french river": "/fr/", "post page": post.get_absolute_url()}
    response = client.get(url[where])
    [entry] = [e for e in entries(response) if e["properties"]["name"][0].startswith("Le vélo")]
    assert entry["properties"]["summary"] == ["Cycling in winter."]

    tree = parse(response)
    [summary] = tree.cssselect("article .p-summary")
    assert summary.get("lang") == "en"
    marker = summary.getparent().cssselect(".language-marker")[0]
    assert marker.text_content() == "[en]"
    assert summary not in marker.iterancestors() and marker not in summary.iterdescendants()


@pytest.mark.parametrize("interface", ["en", "fr"])
def test_cover_credit_is_in_the_posts_language_and_its_label_in_the_interfaces(
    client, parse, interface
):
    post = PostFactory(
        language="fr",
        cover_image_url="https://example.org/velo.jpg",
        cover_alt="Un vélo sous la neige",
        cover_credit="Photo de Camille D., prise au marché",
        cover_licence="CC BY-SA 4.0",
    )
    tree = parse(client.get(post.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=interface))
    [caption] = tree.cssselect("figure.cover figcaption")
    credit = caption.cssselect(".credit")[0]
    [label] = credit.xpath("*[1]")
    assert label.text.strip() == {"en": "Image:", "fr": "Image :"}[interface]
    assert effective_lang(label) == interface
    # The credit's own text (after the label) and the licence are the post's language.
    assert label.tail.strip() == "Photo de Camille D., prise au marché"
    assert effective_lang(credit) == "fr"
    assert effective_lang(caption.cssselect(".licence")[0]) == "fr"
    assert effective_lang(tree.cssselect("figure.cover img")[0]) == "fr"
