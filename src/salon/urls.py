from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    re_path(
        r"^%s(?P<path>.*)$" % settings.MEDIA_URL.lstrip("/"),
        serve, {"document_root": settings.MEDIA_ROOT},
    ),
    path("", include("salon.conversations.urls")),
    path("", include("salon.feeds.urls")),
    path("", include("salon.reader.urls")),
    path("search/", include("salon.search.urls")),
    path("", include("salon.webmention.urls")),
    # The blog comes last: its /<slug>/ pattern answers for pages and language rivers.
    path("", include("salon.blog.urls")),
]
