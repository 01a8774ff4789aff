"""The media library's settings, read where they are used (tests override them).

Each is set from an environment variable in ``salon/settings.py`` (its one default) and listed
in the README. The constants below are not settings.
"""

from django.conf import settings

# What a reader's screen gives an image of the post's column (salon.css: --measure, 40rem, less
# the padding of main).
SIZES = "(min-width: 42rem) 38rem, calc(100vw - 2rem)"
# An embed's page and oEmbed answer, and its thumbnail: limits of each fetch.
PAGE_MAX_BYTES = 5_000_000  # video sites' pages run to megabytes
OEMBED_MAX_BYTES = 500_000
THUMBNAIL_MAX_BYTES = 8_000_000
FETCH_TIMEOUT = 10


def widths():
    return settings.SALON_MEDIA_WIDTHS


def max_bytes():
    return settings.SALON_MEDIA_MAX_BYTES


def max_pixels():
    return settings.SALON_MEDIA_MAX_PIXELS
