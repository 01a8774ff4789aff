from django.urls import path

from . import feeds
from .views import challenges, reader

app_name = "reader"

urlpatterns = [
    # The private reader (staff only).
    path("reader/", reader.river, name="river"),
    path("reader/site/<int:pk>/", reader.river, name="site"),
    path("reader/entries/<int:pk>/read/", reader.mark_entry, name="mark_entry"),
    path("reader/read-all/", reader.mark_all_read, name="mark_all_read"),
    path("reader/subscriptions/", reader.subscriptions, name="subscriptions"),
    path("reader/subscriptions/<int:pk>/", reader.subscription_action, name="subscription"),
    path("reader/subscriptions.opml", reader.export_opml, name="export_opml"),
    path("reader/subscriptions/import/", reader.import_opml, name="import_opml"),
    path("reader/follow/", reader.follow, name="follow"),
    path("reader/follow/<int:pk>/", reader.discovery, name="discovery"),
    path("reader/follow/<int:pk>/subscribe/", reader.subscribe, name="subscribe"),
    # Group challenges (public).
    path("challenges/", challenges.challenge_list, name="challenges"),
    path("challenges/<slug:slug>/", challenges.challenge_detail, name="challenge"),
    path("challenges/<slug:slug>/feed/", feeds.ChallengeRssFeed(), name="challenge_rss"),
    path("challenges/<slug:slug>/feed/atom/", feeds.ChallengeAtomFeed(), name="challenge_atom"),
    path(
        "challenges/<slug:slug>/participants.opml",
        challenges.participants_opml,
        name="challenge_opml",
    ),
]
