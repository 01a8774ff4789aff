from django.urls import path, re_path

from salon.pagecache import cached_for_readers

from . import views

app_name = "blog"

# Every page of the blog is kept for anonymous readers (salon.pagecache).

urlpatterns = [
    path("", cached_for_readers(views.HomeView.as_view()), name="home"),
    re_path(r"^(?P<year>\d{4})/$", cached_for_readers(views.ArchiveView.as_view()), name="year"),
    re_path(
        r"^(?P<year>\d{4})/(?P<month>\d{2})/$",
        cached_for_readers(views.ArchiveView.as_view()),
        name="month",
    ),
    re_path(
        r"^(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2})/$",
        cached_for_readers(views.ArchiveView.as_view()),
        name="day",
    ),
    re_path(
        r"^(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2})/(?P<slug>[-\w]+)/$",
        cached_for_readers(views.post_detail),
        name="post",
    ),
    path("tag/<slug:slug>/", cached_for_readers(views.TagView.as_view()), name="tag"),
    path("series/<slug:slug>/", cached_for_readers(views.SeriesView.as_view()), name="series"),
    # Last: a configured language code is that language's river, anything else a page.
    path("<slug:slug>/", cached_for_readers(views.dispatch_slug), name="page"),
]
