from django.urls import path

from . import views
from .desk import views as desk

app_name = "conversations"

urlpatterns = [
    path("comments/post/<int:post_id>/", views.post_comment, name="post_comment"),
    path("comments/shown/", views.form_stamp, name="form_stamp"),
    path("comments/moderate/<str:token>/", views.moderate, name="moderate"),
    path("comments/confirm/<str:token>/", views.confirm, name="confirm"),
    path("comments/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("desk/", desk.desk, name="desk"),
    path("desk/act/", desk.act, name="desk_act"),
    path("desk/<int:pk>/answer/", desk.answer, name="desk_answer"),
]
