"""The one place the address of the person sending a request is read (rate limits, the address
kept with a comment or a Webmention).

Behind a reverse proxy every request arrives from the proxy; the proxy says whom it talked to in
``X-Forwarded-For``. That header is only believed when the direct peer is one of
``SALON_TRUSTED_PROXIES`` (IP addresses or networks, comma-separated): anyone else could write
it. The address kept is the right-most one in the chain that is not a trusted proxy, since every
proxy appends the address it saw, and what lies left of the first untrusted hop is whatever that
client chose to send.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(trusted):
    return tuple(ipaddress.ip_network(item, strict=False) for item in trusted)


def trusted_networks():
    """``SALON_TRUSTED_PROXIES`` as networks (the setting is checked by ``salon check``)."""
    return _networks(tuple(settings.SALON_TRUSTED_PROXIES))


def _address(value):
    """``value`` as an IP address, or None. A port some proxies add ("203.0.113.7:4711",
    "[2001:db8::1]:80") is dropped."""
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address, networks):
    return any(address.version == network.version and address in network for network in networks)


def client_ip(request):
    """The sender's IP address as a string, or None when the request carries none usable.

    The direct peer (``REMOTE_ADDR``) unless it is a trusted proxy; then ``X-Forwarded-For``
    read from the right, skipping trusted proxies. An entry that is no address stops the walk:
    the last trusted hop before it is kept (it answered for that entry).
    """
    peer = _address(request.META.get("REMOTE_ADDR"))
    if peer is None:
        return None
    networks = trusted_networks()
    if not networks or not _trusted(peer, networks):
        return str(peer)
    chain = request.META.get("HTTP_X_FORWARDED_FOR", "")
    client = peer
    for entry in reversed([item for item in chain.split(",") if item.strip()]):
        address = _address(entry)
        if address is None:
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)
