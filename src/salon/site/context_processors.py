from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from salon import languages
from salon.blog.descriptions import site_description
from salon.blog.models import Page

from .icon import icon_links


def _menu_pages(interface_language):
    """Top-level published pages; of a page and its translations, the one in the reader's
    interface language when there is one."""
    chosen = {}
    for page in Page.objects.published().filter(show_in_menu=True, parent=None):
        current = chosen.get(page.translation_key)
        if current is None or (
            page.language == interface_language and current.language != interface_language
        ):
            chosen[page.translation_key] = page
    return list(chosen.values())


def site(request):
    return {
        "SITE_NAME": settings.SALON_SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        # The river links name each language in itself: a reader looks for their own.
        "CONTENT_LANGUAGES": [
            (code, languages.native_language_name(code)) for code in languages.content_languages()
        ],
        "SITE_ICONS": icon_links(),
        # Lazy: a view's own meta_description usually wins.
        "SITE_DESCRIPTION": SimpleLazyObject(site_description),
        # Lazy: pages that never show the menu (admin, errors) never query it.
        "menu_pages": SimpleLazyObject(lambda: _menu_pages(get_language())),
    }
