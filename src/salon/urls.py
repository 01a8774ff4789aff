from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.static import serve

from salon.blog.sitemaps import SITEMAPS
from salon.pagecache import cached_urls
from salon.site.views import favicon, robots_txt

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
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
    path("search/", include("salon.search.urls")),
    path("", include("salon.conversations.urls")),
    path("", include("salon.webmention.urls")),
    path("", include("salon.reader.urls")),
    path("", include("salon.federation.urls")),
    path("", include("salon.media.urls")),
    path("", include("salon.studio.urls")),
    # The blog comes last: its /<slug>/ pattern answers for pages and language rivers.
    path("", include(cached_urls("salon.blog.urls"))),
]
