from django.urls import path

from . import views

app_name = "media"

urlpatterns = [
    path("media-library/", views.library_page, name="library"),
    path("media-library/upload/", views.upload, name="upload"),
    path("media-library/missing-alt/", views.missing_alt, name="missing_alt"),
    path("media-library/<int:pk>/", views.edit, name="edit"),
]
