"""A post's page: permalink, language markup, series, republication, translation, cover."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from salon.blog.models import BodyFormat, Status

from .factories import PostFactory, SeriesFactory

pytestmark = pytest.mark.django_db


def at(year, month, day, hour=12):
    return timezone.make_aware(datetime(year, month, day, hour))


def test_permalink_is_wordpress_date_scheme(client, parse):
    post = PostFactory(title="Été à Montréal", published_at=at(2024, 7, 14))
    assert post.slug == "ete-a-montreal"
    assert post.get_absolute_url() == "/2024/07/14/ete-a-montreal/"
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    tree = parse(response)
    article = tree.cssselect("article.h-entry")[0]
    assert article.get("lang") == "fr"
    assert tree.cssselect("h1.p-name .language-marker")[0].text_content() == "[fr]"


def test_wrong_date_redirects_and_impossible_dates_or_unknown_slugs_are_404(client):
    post = PostFactory(title="Moved", published_at=at(2024, 7, 14))
    response = client.get("/2024/07/15/moved/")
    assert response.status_code == 301
    assert response["Location"] == post.get_absolute_url()
    assert client.get("/2024/02/30/moved/").status_code == 404
    assert client.get("/2024/13/01/moved/").status_code == 404
    assert client.get("/0000/01/01/moved/").status_code == 404
    assert client.get("/2024/07/14/no-such-post/").status_code == 404


def test_drafts_are_hidden_from_readers_but_shown_to_staff(client, admin_client):
    draft = PostFactory(title="Brouillon", status=Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    response = admin_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert b"Not public" in response.content


def test_markdown_is_rendered_and_imported_html_kept(client, parse):
    md = PostFactory(body="## Heading\n\nSome *emphasis*.")
    html = PostFactory(
        body="<p>Imported <b>HTML</b></p>\n\n*not markdown*", body_format=BodyFormat.HTML
    )
    tree = parse(client.get(md.get_absolute_url()))
    assert tree.cssselect(".e-content h2")[0].text == "Heading"
    assert tree.cssselect(".e-content em")[0].text == "emphasis"
    tree = parse(client.get(html.get_absolute_url()))
    assert tree.cssselect(".e-content b")[0].text == "HTML"
    assert "*not markdown*" in tree.cssselect(".e-content")[0].text_content()


def test_summaries_carry_their_language(client, parse):
    post = PostFactory(language="fr", summaries={"en": "An English summary."})
    tree = parse(client.get(post.get_absolute_url()))
    summary = tree.cssselect(".p-summary")[0]
    assert summary.get("lang") == "en"
    assert "An English summary." in summary.text_content()


def test_series_position_and_neighbours(client, parse):
    series = SeriesFactory(title="#back2blog", planned_length=10)
    first = PostFactory(
        title="One",
        series=series,
        series_position=1,
        published_at=timezone.now() - timedelta(days=3),
    )
    second = PostFactory(
        title="Two",
        series=series,
        series_position=2,
        published_at=timezone.now() - timedelta(days=2),
    )
    third = PostFactory(
        title="Three",
        series=series,
        series_position=3,
        published_at=timezone.now() - timedelta(days=1),
    )
    tree = parse(client.get(second.get_absolute_url()))
    assert (
        " ".join(tree.cssselect(".series-position")[0].text_content().split()) == "#back2blog, 2/10"
    )
    # Said once, as a link to the series (the post's meta line leaves it out on its own page).
    assert tree.cssselect(".series-position a")[0].get("href") == series.get_absolute_url()
    assert "#back2blog" not in tree.cssselect("article header .post-meta")[0].text_content()
    assert tree.cssselect(".series-nav a[rel=prev]")[0].get("href") == first.get_absolute_url()
    assert tree.cssselect(".series-nav a[rel=next]")[0].get("href") == third.get_absolute_url()
    series_page = parse(client.get(series.get_absolute_url()))
    assert [a.text for a in series_page.cssselect("article .post-title a")] == [
        "One",
        "Two",
        "Three",
    ]


def test_series_total_counts_posts_when_no_plan(client, parse):
    series = SeriesFactory(title="Open series")
    PostFactory(series=series, series_position=1)
    post = PostFactory(series=series, series_position=2)
    tree = parse(client.get(post.get_absolute_url()))
    assert tree.cssselect(".series-position")[0].text_content().strip().endswith("2/2")


def test_republished_column_names_its_source_and_can_point_canonical_to_it(
    client, parse, django_capture_on_commit_callbacks
):
    post = PostFactory(source_name="La Revue", source_url="https://example.org/original")
    tree = parse(client.get(post.get_absolute_url()))
    source = tree.cssselect(".republished a")[0]
    assert source.get("href") == "https://example.org/original"
    assert source.text == "La Revue"
    assert tree.cssselect("link[rel=canonical]")[0].get("href").endswith(post.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):  # a committed edit, as in the admin
        post.canonical_to_source = True
        post.save()
    tree = parse(client.get(post.get_absolute_url()))
    assert tree.cssselect("link[rel=canonical]")[0].get("href") == "https://example.org/original"


def test_translations_link_each_other_with_hreflang(client, parse):
    french = PostFactory(title="Pourquoi deux langues", language="fr")
    english = PostFactory(
        title="Why two languages", language="en", translation_key=french.translation_key
    )
    tree = parse(client.get(french.get_absolute_url()))
    alternates = {
        link.get("hreflang"): link.get("href")
        for link in tree.cssselect("link[rel=alternate][hreflang]")
    }
    assert alternates["en"].endswith(english.get_absolute_url())
    assert alternates["fr"].endswith(french.get_absolute_url())
    visible = tree.cssselect(".translations a")[0]
    assert visible.get("hreflang") == "en"
    assert visible.cssselect("span")[0].get("lang") == "en"


def test_cover_image_shows_credit_and_licence(client, parse):
    post = PostFactory(
        cover_image_url="https://example.org/photo.jpg",
        cover_alt="A bridge",
        cover_credit="Camille D.",
        cover_licence="CC BY-SA 4.0",
        cover_licence_url="https://creativecommons.org/licenses/by-sa/4.0/",
    )
    tree = parse(client.get(post.get_absolute_url()))
    image = tree.cssselect("figure.cover img")[0]
    assert image.get("src") == "https://example.org/photo.jpg"
    assert image.get("alt") == "A bridge"
    assert "Camille D." in tree.cssselect("figure.cover .credit")[0].text_content()
    licence = tree.cssselect("figure.cover a[rel=license]")[0]
    assert licence.text == "CC BY-SA 4.0"


def test_password_protected_post_asks_for_its_password(client, parse):
    post = PostFactory(title="Secret", body="Hidden words.", password="sesame")
    response = client.get(post.get_absolute_url())
    assert b"Hidden words." not in response.content
    assert parse(response).cssselect("form.password-form input[name=post_password]")
    home = client.get("/")
    assert b"Hidden words." not in home.content
    wrong = client.post(post.get_absolute_url(), {"post_password": "nope"})
    assert wrong.status_code == 403
    assert b"Hidden words." not in wrong.content
    right = client.post(post.get_absolute_url(), {"post_password": "sesame"})
    assert right.status_code == 302
    assert b"Hidden words." in client.get(post.get_absolute_url()).content
