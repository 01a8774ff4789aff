from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from django.views.static import serve

from salon.blog.sitemaps import SITEMAPS
from salon.pagecache import cached_urls
from salon.site.views import favicon, robots_txt

SEARCH_PARAMS = ("q", "lang", "tag", "year", "page")

urlpatterns = [
    path("admin/", admin.site.urls),
    # The interface language switcher, in every page's header, needs no CSRF token: forging it
    # could only change someone's interface language. A token would make every page differ per
    # visitor: no page compressed once for all, published as a file, or served without a cookie.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon, name="favicon"),
    re_path(
        rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
        serve,
        {"document_root": settings.MEDIA_ROOT},
    ),
    # The blog's pages and every feed are kept for anonymous readers (salon.pagecache).
    path("", include(cached_urls("salon.feeds.urls"))),
    # Passkey ceremonies (django-otp-webauthn's views, whose templates name them otp_webauthn:…)
    path("account/webauthn/", include("django_otp_webauthn.urls", namespace="otp_webauthn")),
    path("account/", include("salon.accounts.urls")),
    # Search results are kept too, one entry per query and filters (the index changing purges
    # them).
    path("search/", include(cached_urls("salon.search.urls", params=SEARCH_PARAMS))),
    path("", include("salon.conversations.urls")),
    path("", include("salon.webmention.urls")),
    path("", include("salon.reader.urls")),
    path("", include("salon.federation.urls")),
    path("", include("salon.media.urls")),
    path("", include("salon.studio.urls")),
    # The blog comes last: its /<slug>/ pattern answers for pages and language rivers.
    path("", include(cached_urls("salon.blog.urls"))),
]
