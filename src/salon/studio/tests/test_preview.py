"""The live preview: the server's own renderer, the river card readers of the other language
see, word count and reading time, the language detected as the author types, and a warning for
a summary that is not in its readers' language."""

import lxml.html

from salon.blog.models import Series
from salon.blog.rendering import render_body

from .conftest import form_data


def preview(client, **fields):
    response = client.post("/write/preview/", form_data(**fields), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def test_the_body_is_rendered_by_the_sites_renderer(author):
    body = "# Titre\n\nDu *Markdown* avec un [lien](https://example.org) et <abbr>HTML</abbr>."
    assert preview(author, body=body)["body_html"] == render_body(body)


def test_words_and_reading_time(author):
    shown = preview(author, body="un deux trois " * 100)
    assert shown["words"] == 300
    assert shown["minutes"] == 2
    assert preview(author, body="")["minutes"] == 0


def test_the_card_readers_of_the_other_language_see(author, db):
    series = Series.objects.create(title="Hiver", planned_length=10)
    shown = preview(
        author,
        title="Le vélo en hiver",
        body="Il fait nuit à dix-sept heures.",
        summary_en="Cycling through a dark winter.",
        tags="vélo",
        series=str(series.pk),
        series_position="3",
    )
    assert set(shown["cards"]) == {"en"}
    card = lxml.html.fragment_fromstring(shown["cards"]["en"], create_parent="div")
    article = card.find(".//article")
    assert article.get("lang") == "fr"
    assert "post-compact" in article.get("class")  # the other-language card of a river
    summary = card.find(".//p[@class='p-summary summary']")
    assert summary.text == "Cycling through a dark winter." and summary.get("lang") == "en"
    assert "Le vélo en hiver" in card.text_content()
    text = " ".join(card.text_content().split())
    assert "Hiver, 3/10" in text and "vélo" in text


def test_the_language_is_detected_as_the_author_types(author):
    english = "The evenings are long in winter, and I ride home under the street lights."
    assert preview(author, language="fr", body=english)["detected"] == "en"
    assert preview(author, language="fr", body="court")["detected"] == "fr"  # too little to say


def test_a_summary_in_the_posts_own_language_is_flagged(author):
    shown = preview(
        author,
        language="fr",
        body="Il fait nuit à dix-sept heures et je roule quand même.",
        summary_en="Il fait nuit tôt et je roule quand même avec mes gants.",
    )
    assert "readers of English" in shown["warnings"]["en"]
    fine = preview(
        author,
        language="fr",
        body="Il fait nuit à dix-sept heures.",
        summary_en="It gets dark early and I ride anyway, gloves on.",
    )
    assert fine["warnings"] == {}


def test_the_editor_page_shows_them_too(author, draft):
    draft.body = "Une phrase de six mots ici."
    draft.save()
    page = lxml.html.fromstring(author.get(f"/write/{draft.pk}/").content)
    assert page.get_element_by_id("studio-words").text == "6"
    assert page.get_element_by_id("studio-preview-body").text_content().strip() == (
        "Une phrase de six mots ici."
    )
    assert page.cssselect("[data-card-for=en] article")
    assert page.get_element_by_id("id_body").get("lang") == "fr"


def test_an_imported_html_body_is_shown_as_the_site_shows_it(author, db):
    from salon.blog.models import Post

    html = "<p>Importé de WordPress</p>\n\n    <pre>  indenté</pre>"
    post = Post.objects.create(title="Ancien", language="fr", body=html, body_format="html")
    response = author.post(
        "/write/preview/", {**form_data(post), "post": post.pk}, HTTP_ACCEPT="application/json"
    )
    assert response.json()["body_html"] == html
    page = author.get(f"/write/{post.pk}/").content.decode()
    assert "Text (HTML, as imported)" in page
