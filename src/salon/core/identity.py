"""Who writes this blog, in public: the one place every signature of the author comes from.

The author's h-card on every page, feeds, and every response the author writes (a reply from the
admin, from the public form while signed in, the demo's answers) are signed with this name and
address, never with the login name of whoever is signed in.
"""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Author:
    name: str
    url: str
    photo: str
    email: str


def author():
    """The author's public name (``SALON_AUTHOR_NAME``, default the site name), address
    (``SALON_AUTHOR_URL``, default the home page), photo and e-mail (``SALON_AUTHOR_EMAIL``,
    never shown)."""
    site_url = settings.SITE_URL.rstrip("/")
    name = settings.SALON_AUTHOR_NAME.strip()
    url = settings.SALON_AUTHOR_URL.strip() or site_url + "/"
    if url.rstrip("/") == site_url:
        url = site_url + "/"
    photo = settings.SALON_AUTHOR_PHOTO.strip()
    email = settings.SALON_AUTHOR_EMAIL.strip()
    return Author(name=name, url=url, photo=photo, email=email)
