"""Library images in a post: figures with srcset, sizes, dimensions and a credit caption, kept
current when the library's details change; what the studio asks of the library."""

import lxml.html
import pytest
from django.urls import reverse

from salon import media
from salon.blog.models import Post
from salon.blog.signals import posts_changed
from salon.blog.tests.factories import PostFactory
from salon.media import library
from salon.media.models import Image

from .conftest import jpeg_with_gps, png_bytes, upload_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(settings):
    settings.SALON_MEDIA_WIDTHS = [480, 960, 1600]
    image = library.store_upload(upload_file(png_bytes((2000, 1000), mode="RGB"), "quai.png"))
    image.alt_text = "Le quai sous la pluie"
    image.credit = "Photo : Jeanne Martin"
    image.source_url = "https://photos.example.org/quai"
    image.licence = "cc-by-sa-4.0"
    image.save()
    return image


def body_of(client, post):
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    return lxml.html.fromstring(response.content).cssselect(".post-body")[0]


def test_an_image_alone_in_a_paragraph_is_a_figure_with_every_width_and_its_credit(
    client, photo, media_root
):
    post = PostFactory(body=f'Avant.\n\n![]({photo.url} "Le soir")\n\nAprès.')
    figure = body_of(client, post).cssselect("figure.media-figure")[0]
    # (lxml's HTML parser nests the img in the void <source>: descendants, not children.)
    source = figure.cssselect("picture source")[0]
    img = figure.cssselect("picture img")[0]
    assert source.get("type") == "image/webp"
    assert [c.split()[1] for c in source.get("srcset").split(", ")] == ["480w", "960w", "1600w"]
    assert [c.split()[1] for c in img.get("srcset").split(", ")] == ["480w", "960w", "1600w"]
    assert img.get("sizes") and img.get("sizes") == source.get("sizes")
    assert (img.get("width"), img.get("height")) == ("1600", "800")
    assert img.get("loading") == "lazy" and img.get("decoding") == "async"
    # An empty description in the body takes the library's.
    assert img.get("alt") == "Le quai sous la pluie"
    for candidate in img.get("srcset").split(", ") + source.get("srcset").split(", "):
        assert (media_root / candidate.split()[0].removeprefix("/media/")).is_file()
    caption = figure.cssselect("figcaption")[0]
    assert caption.cssselect(".media-caption")[0].text_content() == "Le soir"
    credit = caption.cssselect(".media-credit a")[0]
    assert credit.text_content() == "Photo : Jeanne Martin"
    assert credit.get("href") == "https://photos.example.org/quai"
    licence = caption.cssselect("a[rel=license]")[0]
    assert licence.get("href") == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert licence.text_content() == "CC BY-SA 4.0"


def test_the_bodys_own_description_wins_and_an_image_in_text_stays_inline(client, photo):
    post = PostFactory(body=f"Voyez ![le quai mouillé]({photo.url}) ici.")
    body = body_of(client, post)
    assert not body.cssselect("figure")
    img = body.cssselect("p > picture img")[0]
    assert img.get("alt") == "le quai mouillé" and img.get("srcset")


def test_the_sites_own_absolute_address_is_recognised(client, settings, photo):
    post = PostFactory(body=f"![]({settings.SITE_URL}{photo.url})")
    assert body_of(client, post).cssselect("figure.media-figure picture img")[0].get("srcset")


def test_an_address_that_is_not_the_librarys_stays_a_plain_image(client, photo):
    post = PostFactory(body="![chat](https://example.org/chat.jpg)")
    img = body_of(client, post).cssselect("img")[0]
    assert img.get("src") == "https://example.org/chat.jpg" and img.get("srcset") is None


def test_an_image_without_credit_or_licence_has_no_caption(client):
    image = library.store_upload(upload_file(jpeg_with_gps()))
    post = PostFactory(body=f"![Un toit]({image.url})")
    figure = body_of(client, post).cssselect("figure")[0]
    assert not figure.cssselect("figcaption")


def test_a_licence_outside_the_list_is_shown_as_written(client, photo):
    photo.licence, photo.licence_text, photo.licence_url = "other", "Tous droits réservés", ""
    photo.save()
    post = PostFactory(body=f"![]({photo.url})")
    caption = body_of(client, post).cssselect("figcaption")[0]
    assert caption.cssselect(".media-licence")[0].text_content() == "Tous droits réservés"
    assert not caption.cssselect("a[rel=license]")


@pytest.fixture
def heard():
    """The post ids each ``posts_changed`` carried during the test."""
    events = []

    def listen(sender, post_ids, **kwargs):
        events.append(post_ids)

    posts_changed.connect(listen, dispatch_uid="media-test")
    yield events
    posts_changed.disconnect(dispatch_uid="media-test")


def test_editing_an_image_renders_again_the_posts_showing_it(
    author_client, photo, heard, django_capture_on_commit_callbacks
):
    post = PostFactory(body=f"![]({photo.url})")
    page = author_client.get(reverse("media:edit", args=[photo.pk]))
    assert page.status_code == 200 and post.title in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(
            reverse("media:edit", args=[photo.pk]),
            {
                "alt_text": "Le quai, le soir",
                "credit": "Jeanne M.",
                "source_url": "",
                "licence": "cc-by-4.0",
                "licence_text": "",
                "licence_url": "",
            },
        )
    assert response.status_code == 302
    html = Post.objects.get(pk=post.pk).body_html
    figure = lxml.html.fragment_fromstring(html, create_parent="div").cssselect("figure")[0]
    assert figure.cssselect("img")[0].get("alt") == "Le quai, le soir"
    assert figure.cssselect(".media-credit")[0].text_content() == "Jeanne M."
    assert figure.cssselect("a[rel=license]")[0].get("href").endswith("/licenses/by/4.0/")
    # Search, similar posts and the page cache hear of it.
    assert frozenset({post.pk}) in heard


def test_another_licence_must_be_named(author_client, photo):
    response = author_client.post(
        reverse("media:edit", args=[photo.pk]),
        {"alt_text": "x", "licence": "other", "licence_text": ""},
    )
    assert response.status_code == 400
    assert "Name the licence" in response.content.decode()
    assert Image.objects.get(pk=photo.pk).licence == "cc-by-sa-4.0"


def test_the_library_pages_are_the_authors_alone(client, photo):
    for url in (reverse("media:library"), reverse("media:edit", args=[photo.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_library_lists_the_images_without_a_description(author_client, photo):
    bare = library.store_upload(upload_file(jpeg_with_gps(), "bare.jpg"))
    listing = author_client.get(reverse("media:library") + "?missing=alt").content.decode()
    assert bare.markdown() in listing and photo.markdown() not in listing


def test_missing_alt_text_names_the_images_described_nowhere(photo):
    bare = library.store_upload(upload_file(jpeg_with_gps(), "bare.jpg"))
    described_here = library.store_upload(upload_file(jpeg_with_gps(), "here.jpg"))
    body = (
        f"![]({photo.url})\n\n![]({bare.url})\n\n![Un toit]({described_here.url})\n\n"
        f"Encore ![]({bare.url})."
    )
    assert media.missing_alt_text(body) == [bare]
    assert media.missing_alt_text("Rien à voir ![x](https://example.org/a.png)") == []


def test_the_missing_alt_endpoint_answers_for_a_body(author_client, photo):
    bare = library.store_upload(upload_file(jpeg_with_gps(), "bare.jpg"))
    answer = author_client.post(
        reverse("media:missing_alt"), {"body": f"![]({bare.url}) ![]({photo.url})"}
    ).json()
    assert [item["id"] for item in answer["missing"]] == [bare.pk]
    assert answer["missing"][0]["edit_url"] == reverse("media:edit", args=[bare.pk])


def test_a_library_image_becomes_the_cover_with_its_credit_and_licence(photo, media_root):
    post = PostFactory(body="Texte.")
    media.set_cover(post, photo)
    post.save()
    post.refresh_from_db()
    assert post.cover_url.startswith(f"/media/images/{photo.key}/w1600.")
    assert (post.cover_alt, post.cover_credit) == ("Le quai sous la pluie", "Photo : Jeanne Martin")
    assert (post.cover_licence, post.cover_licence_url) == (
        "CC BY-SA 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    )
    assert (media_root / post.cover_image.name).is_file()


def test_the_cover_field_offers_the_library(photo):
    field = media.ImageChoiceField()
    assert field.clean(str(photo.pk)) == photo
    assert "Le quai sous la pluie" in dict(field.choices)[field.prepare_value(photo)]


def test_the_admins_post_form_takes_pasted_images(author_client):
    """Until the writing page, the admin's body textarea uploads what is pasted into it."""
    page = lxml.html.fromstring(author_client.get(reverse("admin:blog_post_add")).content)
    body = page.cssselect("textarea[name=body]")[0]
    assert body.get("data-media-upload-url") == reverse("media:upload")
    assert any(s.get("src", "").endswith("media/paste-upload.js") for s in page.iter("script"))
