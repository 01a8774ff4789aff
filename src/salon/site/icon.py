"""The blog's icon: Salon's own by default, or the one ``SALON_SITE_ICON`` names.

``SALON_SITE_ICON`` is either an address (``https://…``, or one under this site's ``/static/`` or
``/media/``), linked from every page and where ``/favicon.ico`` redirects, or the path of an image
file on this machine, which ``/favicon.ico`` serves. Without it, pages link Salon's SVG icon and
``/favicon.ico`` answers the same drawing as an ICO, drawn here once per process with Pillow
(so no binary file is kept in the sources).
"""

import io
import mimetypes
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from PIL import Image, ImageDraw

IMAGE_TYPES = {
    ".ico": "image/vnd.microsoft.icon",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".gif": "image/gif",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}


def configured_icon():
    """("default", None), ("url", address) or ("file", Path) from SALON_SITE_ICON."""
    value = settings.SALON_SITE_ICON.strip()
    if not value:
        return "default", None
    if value.startswith(("http://", "https://", *site_prefixes())):
        return "url", value
    return "file", Path(value)


def site_prefixes():
    """Where an address on this site may point: its static files and its media."""
    return tuple("/" + prefix.lstrip("/") for prefix in (settings.STATIC_URL, settings.MEDIA_URL))


def image_type(name):
    suffix = Path(name.split("?", 1)[0]).suffix.lower()
    return IMAGE_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or ""


def icon_links():
    """The <link rel="icon"> of every page: a list of {href, type, sizes}."""
    kind, value = configured_icon()
    if kind == "url":
        return [{"href": value, "type": image_type(value), "sizes": ""}]
    if kind == "file":
        return [{"href": reverse("favicon"), "type": image_type(value.name), "sizes": ""}]
    return [
        {"href": reverse("favicon"), "type": "", "sizes": "32x32"},
        {"href": static("salon/icon.svg"), "type": "image/svg+xml", "sizes": "any"},
    ]


def draw_icon(size):
    """Salon's icon (the shapes of static/salon/icon.svg), drawn at four times the size and
    scaled down for smooth edges."""
    scale = size * 4 / 64
    image = Image.new("RGBA", (size * 4, size * 4), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)

    def box(x0, y0, x1, y1):
        return [round(v * scale) for v in (x0, y0, x1, y1)]

    def points(*xy):
        return [(round(x * scale), round(y * scale)) for x, y in xy]

    draw.rounded_rectangle(box(0, 0, 64, 64), radius=round(14 * scale), fill="#9c3d1d")
    draw.rounded_rectangle(box(6, 10, 44, 36), radius=round(7 * scale), fill="#fffdf8")
    draw.polygon(points((13, 34), (13, 45), (24, 34)), fill="#fffdf8")
    draw.rounded_rectangle(box(20.5, 26.5, 59.5, 53.5), radius=round(8.5 * scale), fill="#9c3d1d")
    draw.rounded_rectangle(box(22, 28, 58, 52), radius=round(7 * scale), fill="#f0a37f")
    draw.polygon(points((50, 50), (50, 60), (40, 50)), fill="#f0a37f")
    return image.resize((size, size), Image.LANCZOS)


@lru_cache(maxsize=1)
def default_ico():
    """Salon's icon as an ICO holding 16, 32 and 48 pixel images."""
    buffer = io.BytesIO()
    draw_icon(48).save(buffer, "ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    return buffer.getvalue()
