"""The ground floor every app may use, and which uses no other Salon app: rate limits, the
busy-database check, private files, the author's identity, the client's IP address.

What needs the other apps (setup commands, the site context, the favicon) lives in
``salon.site``, the roof.
"""

from .proxies import client_ip

__all__ = ["client_ip"]
