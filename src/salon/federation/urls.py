from django.urls import path

from . import views

app_name = "federation"

urlpatterns = [
    path(".well-known/webfinger", views.webfinger, name="webfinger"),
    path(".well-known/nodeinfo", views.nodeinfo_index, name="nodeinfo_index"),
    path("nodeinfo/2.1", views.nodeinfo, name="nodeinfo"),
    path("ap/actor", views.actor, name="actor"),
    path("ap/actor/inbox", views.inbox_view, name="actor_inbox"),
    path("ap/actor/outbox", views.outbox, name="outbox"),
    path("ap/actor/followers", views.followers, name="followers"),
    path("ap/actor/following", views.following, name="following"),
    path("ap/actor/featured", views.featured, name="featured"),
    path("ap/instance", views.instance, name="instance"),
    path("ap/inbox", views.inbox_view, name="shared_inbox"),
    path("ap/posts/<int:post_id>/replies", views.replies, name="replies"),
    path("ap/activities/<str:uid>", views.activity, name="activity"),
    path("ap/answers/<int:pk>", views.answer, name="answer"),
]
