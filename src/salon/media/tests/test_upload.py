"""Uploading images: renditions without metadata, and every bad file refused with its reason,
leaving nothing behind."""

import io
import struct
import zlib

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image as PILImage

from salon.media import library
from salon.media.models import Image
from salon.media.processing import RefusedImage

from .conftest import GPS_IFD, jpeg_with_gps, png_bytes, upload_file

pytestmark = pytest.mark.django_db
UPLOAD = "/media-library/upload/"


def stored_files(media_root):
    return sorted(p for p in media_root.rglob("*") if p.is_file())


def test_a_jpeg_with_a_location_is_stored_turned_upright_without_any_metadata(
    author_client, media_root
):
    """The GPS location, the camera and the orientation tag are gone from every file stored;
    the orientation was applied to the pixels (300 × 200 turned a quarter: 200 × 300)."""
    response = author_client.post(
        UPLOAD, {"file": upload_file(jpeg_with_gps())}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 201, response.content
    answer = response.json()
    image = Image.objects.get(pk=answer["id"])
    assert (image.width, image.height) == (200, 300)
    assert answer["markdown"] == f"![]({image.url})"
    assert answer["missing_alt_text"] is True
    files = stored_files(media_root)
    assert {f.name for f in files} == {"original.jpg", "w200.webp", "w200.jpg"}
    for path in files:
        with PILImage.open(path) as stored:
            assert stored.size == (200, 300)
            exif = stored.getexif()
            assert not exif.get_ifd(GPS_IFD)
            assert ORIENTATION_TAG not in exif and 0x010F not in exif
            # Upright: the blue quarter painted top-left is now top-right.
            assert stored.convert("RGB").getpixel((180, 20))[2] > 150
        assert b"SpyCam" not in path.read_bytes()


ORIENTATION_TAG = 0x0112


def test_widths_are_the_configured_ones_never_upscaled(settings, media_root):
    settings.SALON_MEDIA_WIDTHS = [480, 960, 1600]
    image = library.store_upload(upload_file(png_bytes((1200, 800)), "wide.png", "image/png"))
    assert sorted({r["width"] for r in image.renditions}) == [480, 960, 1200]
    # Transparency is kept: PNG beside WebP, no JPEG.
    assert {r["format"] for r in image.renditions} == {"webp", "png"}
    assert image.original.endswith("original.png")
    heights = {r["width"]: r["height"] for r in image.renditions}
    assert heights == {480: 320, 960: 640, 1200: 800}


def test_an_opaque_png_gets_webp_and_jpeg(media_root):
    image = library.store_upload(
        upload_file(png_bytes((2000, 500), mode="RGB"), "band.png", "image/png")
    )
    assert {r["format"] for r in image.renditions} == {"webp", "jpeg"}
    assert max(r["width"] for r in image.renditions) == 1600


def huge_png(width, height):
    """A few hundred bytes claiming ``width`` × ``height`` pixels (a decompression bomb)."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 4096))
        + chunk(b"IEND", b"")
    )


def truncated_jpeg():
    buffer = io.BytesIO()
    PILImage.effect_noise((400, 400), 60).convert("RGB").save(buffer, "JPEG")
    data = buffer.getvalue()
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"", "empty.jpg", "The submitted file is empty."),
        (b"GIF89 is not what this is", "notes.jpg", "not an image Salon accepts"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "logo.svg", "SVG drawings"),
        (huge_png(8000, 8000), "big.png", "8000 × 8000 pixels; the most accepted is 50"),
        (huge_png(100_000, 100_000), "bomb.png", "more pixels than the most accepted"),
        (png_bytes((40, 40)), "photo.jpg", "named .jpg but holds a PNG image"),
        (truncated_jpeg(), "cut.jpg", "damaged or cut short"),
    ],
    ids=["empty", "garbage", "svg", "huge", "bomb", "wrong-extension", "truncated"],
)
def test_bad_files_are_refused_with_their_reason_and_nothing_is_stored(
    author_client, media_root, data, name, message
):
    response = author_client.post(
        UPLOAD, {"file": upload_file(data, name)}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(settings, media_root):
    settings.SALON_MEDIA_MAX_BYTES = 1000
    with pytest.raises(RefusedImage, match="the largest accepted is"):
        library.store_upload(upload_file(jpeg_with_gps()))
    assert stored_files(media_root) == []


def test_two_uploads_of_one_file_never_share_a_name(author_client):
    data = jpeg_with_gps()
    first, second = (
        author_client.post(UPLOAD, {"file": upload_file(data)}, HTTP_ACCEPT="application/json")
        for _ in range(2)
    )
    one, two = Image.objects.get(pk=first.json()["id"]), Image.objects.get(pk=second.json()["id"])
    assert one.folder != two.folder and one.url != two.url


def test_the_endpoint_is_the_authors_alone(client, db, django_user_model):
    data = jpeg_with_gps()
    anonymous = client.post(UPLOAD, {"file": upload_file(data)}, HTTP_ACCEPT="application/json")
    assert anonymous.status_code == 403
    reader = django_user_model.objects.create_user("reader", password="pw")
    client.force_login(reader)
    assert client.post(UPLOAD, {"file": upload_file(data)}).status_code == 403
    assert not Image.objects.exists()


def test_the_endpoint_wants_the_csrf_token_and_is_never_cached(author):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(author)
    refused = browser.post(UPLOAD, {"file": upload_file(jpeg_with_gps())})
    assert refused.status_code == 403 and not Image.objects.exists()
    page = browser.get(reverse("media:library"))
    token = page.cookies["csrftoken"].value
    accepted = browser.post(
        UPLOAD,
        {"file": upload_file(jpeg_with_gps())},
        HTTP_X_CSRFTOKEN=token,
        HTTP_ACCEPT="application/json",
    )
    assert accepted.status_code == 201
    for response in (page, accepted):
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives


def test_the_librarys_plain_form_leads_to_the_images_page(author_client):
    response = author_client.post(UPLOAD, {"file": upload_file(jpeg_with_gps())})
    image = Image.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/media-library/{image.pk}/"
    refused = author_client.post(UPLOAD, {"file": upload_file(b"nope", "x.png")})
    assert refused.status_code == 400
    assert "not an image Salon accepts" in refused.content.decode()


def test_deleting_an_image_removes_its_files(media_root, django_capture_on_commit_callbacks):
    image = library.store_upload(upload_file(jpeg_with_gps()))
    assert stored_files(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert stored_files(media_root) == []


def test_a_png_keeps_no_text_chunks_nor_exif(media_root):
    """PNG carries metadata too (text chunks, an eXIf chunk): none of it is stored."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "48.85, 2.35")
    info.add_text("Author", "Someone private")
    exif = PILImage.Exif()
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (48.0, 51.0, 24.0)})
    buffer = io.BytesIO()
    PILImage.new("RGB", (100, 80), (5, 5, 5)).save(buffer, "PNG", pnginfo=info, exif=exif)
    assert b"Someone private" in buffer.getvalue()
    library.store_upload(upload_file(buffer.getvalue(), "map.png", "image/png"))
    for path in stored_files(media_root):
        data = path.read_bytes()
        assert b"Someone private" not in data and b"48.85" not in data
        with PILImage.open(path) as stored:
            assert not stored.getexif().get_ifd(GPS_IFD)
            assert not getattr(stored, "text", {})


def test_a_phone_cameras_multi_picture_jpeg_is_a_jpeg(media_root):
    """Phones write MPO files (a JPEG with a second picture inside), named .jpg."""
    buffer = io.BytesIO()
    first, second = PILImage.new("RGB", (320, 240), (1, 2, 3)), PILImage.new("RGB", (80, 60))
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    assert PILImage.open(io.BytesIO(buffer.getvalue())).format == "MPO"
    image = library.store_upload(upload_file(buffer.getvalue(), "IMG_0001.JPG"))
    assert (image.width, image.height) == (320, 240)
    assert image.original.endswith("original.jpg")


SAMPLES = [jpeg_with_gps((60, 40)), png_bytes((50, 30))]


@hypothesis_settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    sample=st.sampled_from(SAMPLES),
    damage=st.lists(st.tuples(st.integers(0, 4000), st.integers(0, 255)), max_size=8),
    cut=st.integers(0, 4000),
)
def test_a_damaged_file_is_stored_whole_or_refused_never_an_error(media_root, sample, damage, cut):
    """Whatever bytes arrive, the answer is an image or a RefusedImage, and a refusal leaves
    no file behind."""
    data = bytearray(sample[: max(cut, 1)] if cut < len(sample) else sample)
    for position, value in damage:
        data[position % len(data)] = value
    before = set(stored_files(media_root))
    try:
        with transaction.atomic():
            image = library.store_upload(upload_file(bytes(data), "pasted"))
    except RefusedImage:
        assert set(stored_files(media_root)) == before
    else:
        assert image.width > 0 and image.renditions
