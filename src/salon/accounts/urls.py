from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("authenticator/", views.authenticator, name="authenticator"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("passkeys/", views.passkeys, name="passkeys"),
    path(
        "remove/<str:kind>/<int:pk>/",
        views.remove,
        name="remove",
    ),
    path("verify/", views.verify, name="verify"),
    path("sign-out/", views.sign_out, name="sign_out"),
]
