from django.urls import path

from . import views

app_name = "conversations"

urlpatterns = [
    path("comments/post/<int:post_id>/", views.post_comment, name="post_comment"),
    path("comments/moderate/<str:token>/", views.moderate, name="moderate"),
    path("comments/confirm/<str:token>/", views.confirm, name="confirm"),
    path("comments/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
