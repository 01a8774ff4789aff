from django.urls import path, re_path

from . import views

app_name = "blog"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    re_path(r"^(?P<year>\d{4})/$", views.ArchiveView.as_view(), name="year"),
    re_path(
        r"^(?P<year>\d{4})/(?P<month>\d{2})/$",
        views.ArchiveView.as_view(),
        name="month",
    ),
    re_path(
        r"^(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2})/$",
        views.ArchiveView.as_view(),
        name="day",
    ),
    re_path(
        r"^(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2})/(?P<slug>[-\w]+)/$",
        views.post_detail,
        name="post",
    ),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("series/<slug:slug>/", views.SeriesView.as_view(), name="series"),
    # Last: a configured language code is that language's river, anything else a page.
    path("<slug:slug>/", views.dispatch_slug, name="page"),
]
