"""The media library on the writing page: publishing waits until every image is described;
the cover is chosen from the library with its description, credit and licence."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from salon import media
from salon.blog.models import Status

from .conftest import opened, save


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()


def stored(alt_text="", credit=""):
    buffer = io.BytesIO()
    PILImage.new("RGB", (800, 600), (200, 120, 30)).save(buffer, "JPEG")
    upload = SimpleUploadedFile("velo.jpg", buffer.getvalue(), content_type="image/jpeg")
    image = media.store_upload(upload)
    image.alt_text, image.credit = alt_text, credit
    image.save()
    return image


def test_an_undescribed_image_blocks_publishing(author, draft):
    image = stored()
    version = opened(author, draft)
    body = f"Mon vélo :\n\n{image.markdown()}\n"
    answer = save(author, draft, version, "publish", body=body).json()
    assert not answer["ok"]
    assert "Describe every image" in answer["errors"]["body"][0]
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    # A draft is still saved with it: only publishing waits.
    answer = save(author, draft, answer["version"], body=body).json()
    assert answer["ok"]

    image.alt_text = "Un vélo rouge contre un mur"
    image.save()
    answer = save(author, draft, answer["version"], "publish", body=body).json()
    assert answer["ok"], answer
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED


def test_the_cover_comes_from_the_library(author, draft):
    image = stored(alt_text="Un vélo sous la neige", credit="Ada")
    version = opened(author, draft)
    answer = save(author, draft, version, cover_from_library=str(image.pk)).json()
    assert answer["ok"], answer
    draft.refresh_from_db()
    assert draft.cover_url and draft.cover_alt == "Un vélo sous la neige"
    assert draft.cover_credit == "Ada"
