"""`salon check` (and every start) refuses a trusted-proxy list it cannot read."""

from django.core import checks

from .proxies import trusted_networks


@checks.register()
def check_trusted_proxies(app_configs=None, **kwargs):
    """SALON_TRUSTED_PROXIES lists IP addresses or networks (CIDR), comma-separated."""
    try:
        trusted_networks()
    except ValueError as error:
        return [
            checks.Error(
                f"SALON_TRUSTED_PROXIES must list IP addresses or networks: {error}.",
                hint="For example: 127.0.0.1,10.0.0.0/8",
                id="salon.E020",
            )
        ]
    return []
