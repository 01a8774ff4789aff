"""The author's account and its defences: sign-in throttling and lock-out (django-axes, the
client's address from ``salon.core.client_ip``), the mail telling the author about a lock-out,
second factors (TOTP with recovery codes, passkeys) set up at ``/account/`` and required by
``StaffSecondFactorMiddleware`` for the admin and every staff page once set up."""
