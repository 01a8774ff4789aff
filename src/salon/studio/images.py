"""The media library on the writing page: no publication while an image lacks its description
(alt text), and the cover chosen from the library (``salon.media``'s public functions)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from salon import media
from salon.blog.models import BodyFormat

from .checks import Message


def images_have_alt_text(post, data):
    """A publish check (``checks.register_publish_check``): every library image the body shows
    is described, in the Markdown (``![description](…)``) or in the library."""
    if post.body_format != BodyFormat.MARKDOWN:
        return {}
    missing = media.missing_alt_text(post.body)
    if not missing:
        return {}
    text = _(
        "Describe every image before publishing (its alt text, in the Markdown or in the "
        "library): %(images)s."
    ) % {"images": ", ".join(str(image) for image in missing)}
    # Each image links to its page in the media library, where its description is written.
    links = [(str(image), reverse("media:edit", args=[image.pk])) for image in missing]
    return {"body": [Message(text, links)]}


def apply_cover(post, image):
    """The cover chosen from the library, with its description, credit and licence."""
    if image is not None:
        media.set_cover(post, image)
