from django.urls import path

from .views import editor, history, previews

app_name = "studio"

urlpatterns = [
    path("write/", editor.edit, name="new"),
    path("write/save/", editor.save, name="create"),
    path("write/preview/", editor.preview, name="preview"),
    path("write/<int:pk>/", editor.edit, name="edit"),
    path("write/<int:pk>/save/", editor.save, name="save"),
    path("write/<int:pk>/discard/", editor.discard, name="discard"),
    path("write/<int:pk>/revisions/", history.revision_list, name="revisions"),
    path("write/<int:pk>/revisions/<int:version_id>/", history.revision_detail, name="revision"),
    path("write/<int:pk>/revisions/<int:version_id>/restore/", history.restore, name="restore"),
    path("write/<int:pk>/links/", previews.create_link, name="create_link"),
    path("write/<int:pk>/links/<int:link_id>/revoke/", previews.revoke_link, name="revoke_link"),
    path("preview/<str:token>/", previews.shared_preview, name="shared_preview"),
]
