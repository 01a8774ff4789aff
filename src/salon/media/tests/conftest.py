import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from .provider import Provider

GPS_IFD = 0x8825
ORIENTATION = 0x0112


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores its files in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def author(db):
    return get_user_model().objects.create_user(
        "author", "author@example.org", "pw", is_staff=True, is_superuser=True
    )


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


@pytest.fixture
def provider(tmp_path):
    server = Provider(tmp_path)
    yield server
    server.stop()


def jpeg_with_gps(size=(300, 200), orientation=6):
    """A JPEG telling where it was taken (GPS) and that it must be turned (orientation 6:
    90° clockwise), with a camera's make."""
    exif = PILImage.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "SpyCam"  # Make
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)})
    image = PILImage.new("RGB", size, (180, 40, 40))
    image.paste((20, 20, 200), (0, 0, size[0] // 2, size[1] // 2))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def png_bytes(size=(1200, 800), mode="RGBA"):
    buffer = io.BytesIO()
    PILImage.new(mode, size, (10, 120, 60, 128) if mode == "RGBA" else (10, 120, 60)).save(
        buffer, "PNG"
    )
    return buffer.getvalue()


def upload_file(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)
