"""Reading an uploaded image safely and writing its renditions with Pillow.

``read_image`` refuses, with a precise message, whatever is not a plain raster image Salon
accepts: not an image at all, a format outside JPEG/PNG/WebP/GIF, a name whose extension says
another format, more pixels than ``SALON_MEDIA_MAX_PIXELS`` (checked from the header, before
anything is decoded: a decompression bomb is refused without being inflated), a damaged file.

``write_renditions`` writes the cleaned full-size copy and the renditions into one new folder:
orientation applied (EXIF ``Orientation``), every piece of metadata left behind (EXIF with its
GPS location, XMP, IPTC, comments; the colour profile is kept, it is not about anyone), widths
from ``SALON_MEDIA_WIDTHS`` never above the image's own, in WebP and JPEG (PNG for an image with
transparency). The uploaded bytes themselves are never stored.
"""

import io
import warnings
from pathlib import PurePath

from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

from . import conf

# Pillow's format name -> (the extensions a file of it may carry, its name for people)
ACCEPTED = {
    "JPEG": ({".jpg", ".jpeg", ".jpe", ".jfif"}, "JPEG"),
    # What many phone cameras write: a JPEG holding a second picture (the first one is taken).
    "MPO": ({".jpg", ".jpeg", ".jpe", ".jfif", ".mpo"}, "JPEG"),
    "PNG": ({".png"}, "PNG"),
    "WEBP": ({".webp"}, "WebP"),
    "GIF": ({".gif"}, "GIF"),
}
# The readers Pillow may try (an MPO file is read by the JPEG one).
OPENERS = ["JPEG", "PNG", "WEBP", "GIF"]
JPEG_QUALITY = 84
WEBP_QUALITY = 80
ORIGINAL_QUALITY = 92


class RefusedImage(ValueError):
    """An upload that is not stored; the message says why, for the author."""


def _format_name(fmt):
    return ACCEPTED.get(fmt, (None, fmt))[1]


def check_size(size):
    """RefusedImage when a file of ``size`` bytes is empty or larger than accepted."""
    if not size:
        raise RefusedImage(_("The file is empty."))
    if size > conf.max_bytes():
        raise RefusedImage(
            _("The file is %(size)s MB; the largest accepted is %(limit)s MB.")
            % {"size": f"{size / 1048576:.1f}", "limit": f"{conf.max_bytes() / 1048576:g}"}
        )


def read_image(data, filename=""):
    """The decoded image (oriented, RGB or RGBA) from uploaded bytes, or RefusedImage."""
    check_size(len(data or b""))
    try:
        image = PILImage.open(io.BytesIO(data), formats=OPENERS)
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise RefusedImage(
            _("The image has more pixels than the most accepted (%(limit)s million).")
            % {"limit": f"{conf.max_pixels() / 1e6:g}"}
        ) from None
    except UnidentifiedImageError:
        if data.lstrip()[:5].lower() in (b"<?xml", b"<svg ") or b"<svg" in data[:512].lower():
            raise RefusedImage(
                _("SVG drawings are not accepted (they can carry scripts): use PNG or WebP.")
            ) from None
        raise RefusedImage(
            _("This file is not an image Salon accepts (JPEG, PNG, WebP or GIF).")
        ) from None
    except Exception as exc:  # noqa: BLE001 - a header cut short raises what it meets
        raise RefusedImage(
            _("The file is damaged or cut short and cannot be read (%(error)s).") % {"error": exc}
        ) from None
    fmt = image.format
    if fmt not in ACCEPTED:
        raise RefusedImage(
            _("This file is not an image Salon accepts (JPEG, PNG, WebP or GIF).")
        ) from None
    extension = PurePath(filename or "").suffix.lower()
    if extension and extension not in ACCEPTED[fmt][0]:
        raise RefusedImage(
            _("“%(name)s” is named %(extension)s but holds a %(format)s image.")
            % {"name": filename, "extension": extension, "format": _format_name(fmt)}
        )
    width, height = image.size
    if width < 1 or height < 1:
        raise RefusedImage(_("The image has no pixels."))
    if width * height > conf.max_pixels():
        raise RefusedImage(
            _(
                "The image is %(width)s × %(height)s pixels; the most accepted is "
                "%(limit)s million pixels."
            )
            % {"width": width, "height": height, "limit": f"{conf.max_pixels() / 1e6:g}"}
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            image.seek(0)  # the first frame of an animation
            image.load()
            oriented = ImageOps.exif_transpose(image)
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning, MemoryError):
        raise RefusedImage(_("The image would take too much memory to open.")) from None
    except Exception as exc:  # noqa: BLE001 - a malformed file makes Pillow raise many kinds
        raise RefusedImage(
            _("The %(format)s image is damaged or cut short and cannot be read (%(error)s).")
            % {"format": _format_name(fmt), "error": exc}
        ) from None
    icc = image.info.get("icc_profile")
    has_alpha = oriented.mode in ("RGBA", "LA", "PA") or (
        oriented.mode == "P" and "transparency" in oriented.info
    )
    clean = oriented.convert("RGBA" if has_alpha else "RGB")
    # A new image holds pixels only: nothing of the file's metadata comes along.
    clean.info = {"icc_profile": icc} if icc else {}
    return clean


def _save(image, fmt, quality):
    out = io.BytesIO()
    icc = image.info.get("icc_profile")
    options = {"icc_profile": icc} if icc else {}
    if fmt == "jpeg":
        image.save(out, "JPEG", quality=quality, optimize=True, progressive=True, **options)
    elif fmt == "webp":
        image.save(out, "WEBP", quality=quality, method=4, **options)
    else:
        image.save(out, "PNG", optimize=True, **options)
    return out.getvalue()


def widths_for(width):
    """The renditions' widths: the configured ones below the image's, then its own."""
    chosen = sorted({w for w in conf.widths() if 0 < w < width})
    if not chosen or chosen[-1] < width:
        chosen.append(min(width, max(conf.widths(), default=width)))
    return sorted(set(chosen))


def renditions(image):
    """``[(name, width, height, format, bytes)]``: the full-size copy, then each rendition."""
    fallback = "png" if image.mode == "RGBA" else "jpeg"
    extension = {"jpeg": "jpg", "png": "png", "webp": "webp"}
    files = [
        (
            f"original.{extension[fallback]}",
            image.width,
            image.height,
            "original",
            _save(image, fallback, ORIGINAL_QUALITY),
        )
    ]
    for width in widths_for(image.width):
        height = max(1, round(image.height * width / image.width))
        resized = image if width == image.width else image.resize((width, height), PILImage.LANCZOS)
        resized.info = image.info
        for fmt, quality in (("webp", WEBP_QUALITY), (fallback, JPEG_QUALITY)):
            data = _save(resized, fmt, quality)
            files.append((f"w{width}.{extension[fmt]}", width, height, fmt, data))
    return files


def thumbnail(data, max_width=960):
    """A JPEG of at most ``max_width`` pixels wide from downloaded bytes (an embed's preview):
    ``(bytes, width, height)``; RefusedImage when they are no acceptable image."""
    image = read_image(data)
    if image.width > max_width:
        height = max(1, round(image.height * max_width / image.width))
        image = image.resize((max_width, height), PILImage.LANCZOS)
    if image.mode == "RGBA":
        flat = PILImage.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    return _save(image, "jpeg", JPEG_QUALITY), image.width, image.height
