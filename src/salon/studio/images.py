"""The media library on the writing page: no publication while an image lacks its description
(alt text), and the cover chosen from the library (``salon.media``'s public functions)."""

from django.utils.translation import gettext as _

from salon import media
from salon.blog.models import BodyFormat


def images_have_alt_text(post, data):
    """A publish check (``checks.register_publish_check``): every library image the body shows
    is described, in the Markdown (``![description](…)``) or in the library."""
    if post.body_format != BodyFormat.MARKDOWN:
        return {}
    missing = media.missing_alt_text(post.body)
    if not missing:
        return {}
    return {
        "body": [
            _(
                "Describe every image before publishing (its alt text, in the Markdown or in "
                "the library): %(images)s."
            )
            % {"images": ", ".join(str(image) for image in missing)}
        ]
    }


def apply_cover(post, image):
    """The cover chosen from the library, with its description, credit and licence."""
    if image is not None:
        media.set_cover(post, image)
