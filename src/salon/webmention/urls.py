from django.urls import path

from . import views

app_name = "webmention"

urlpatterns = [
    path("webmention/", views.endpoint, name="endpoint"),
    path("webmention/<uuid:token>/", views.status, name="status"),
    path("my-conversations/", views.my_conversations, name="conversations"),
]
