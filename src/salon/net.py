"""Salon's one outbound HTTP client.

Webmention, the feed reader and (later) federation fetch through ``fetch()`` and nothing else,
so every outbound request gets the same protections:

- a timeout on each network step and an overall deadline;
- a cap on the body size, enforced while streaming (a 2 GB answer costs at most the cap);
- redirects followed by hand, at most ``max_redirects``, each hop checked like the first;
- the server-side request forgery guard: the host name is resolved *here*, every address is
  checked (loopback, private, link-local, multicast, reserved and unspecified ranges are refused
  unless ``SALON_NET_ALLOW_LOOPBACK`` / ``SALON_NET_ALLOW_PRIVATE`` allow them), and the
  connection is made to the checked address itself, so a second DNS answer cannot sneak in
  (TLS still verifies the certificate against the host name).
"""

import functools
import ipaddress
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
from django.conf import settings

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 1_000_000
DEFAULT_MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}


class FetchError(Exception):
    """A request that could not be made or completed; ``reason`` says why in plain words."""

    def __init__(self, reason, url=None):
        super().__init__(reason)
        self.reason = reason
        self.url = url


class BlockedAddress(FetchError):
    pass


class TooLarge(FetchError):
    pass


class TooManyRedirects(FetchError):
    pass


@dataclass
class FetchResult:
    url: str  # the final URL, after redirects
    status_code: int
    headers: httpx.Headers
    content: bytes
    redirects: list = field(default_factory=list)  # [(status, url)] of each hop followed
    encoding: str | None = None

    @property
    def text(self):
        return self.content.decode(self.encoding or "utf-8", errors="replace")

    @property
    def content_type(self):
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    @property
    def permanent_redirect(self):
        """The URL a permanent redirect (301/308) pointed to, when the first hop was one."""
        if self.redirects and self.redirects[0][0] in (301, 308):
            return self.redirects[0][1]
        return None


@functools.lru_cache(maxsize=1)
def _ssl_context():
    """One TLS context for every request: building one loads the CA bundle (about 0.1 s)."""
    return httpx.create_ssl_context()


def user_agent():
    return f"Salon/0.1 (+{settings.SITE_URL})"


def _address_allowed(address):
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return settings.SALON_NET_ALLOW_LOOPBACK
    if ip.is_multicast or ip.is_unspecified or ip.is_reserved:
        return False
    if ip.is_private or ip.is_link_local or not ip.is_global:
        return settings.SALON_NET_ALLOW_PRIVATE
    return True


def resolve_checked(host, port):
    """Resolve ``host`` and return an address that may be contacted, or raise BlockedAddress."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc.strerror}") from exc
    addresses = [info[4][0] for info in infos]
    refused = [a for a in addresses if not _address_allowed(a)]
    if refused:
        # One bad address is enough to refuse: a name resolving to both a public and a
        # private address is a classic rebinding trick.
        raise BlockedAddress(f"{host} resolves to a non-public address ({refused[0]})")
    return addresses[0]


def _checked_request_target(url):
    """(URL to connect to, Host header, SNI host name) for a URL, after the address check."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"unsupported URL scheme {parts.scheme!r}", url)
    host = parts.hostname
    if not host:
        raise FetchError("the URL has no host", url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = resolve_checked(host, port)
    netloc_address = f"[{address}]" if ":" in address else address
    if parts.port:
        netloc_address += f":{parts.port}"
    connect_url = urlunsplit((parts.scheme, netloc_address, parts.path or "/", parts.query, ""))
    host_header = parts.netloc.rsplit("@", 1)[-1]
    return connect_url, host_header, host


def fetch(
    url,
    *,
    method="GET",
    headers=None,
    data=None,
    content=None,
    timeout=DEFAULT_TIMEOUT,
    max_bytes=DEFAULT_MAX_BYTES,
    max_redirects=DEFAULT_MAX_REDIRECTS,
    follow_redirects=True,
):
    """Make one guarded request and return a FetchResult; raise FetchError on any failure.

    Non-2xx statuses are returned, not raised: callers decide what a 404 or a 410 means.
    ``data`` is a form; ``content`` raw bytes (a JSON body, an ActivityPub delivery).
    """
    deadline = time.monotonic() + timeout * 2
    request_headers = {"User-Agent": user_agent()}
    request_headers.update(headers or {})
    redirects = []
    current_url = url
    current_method, current_data, current_content = method, data, content
    # trust_env=False: no proxy from the environment (the connection goes to the address the
    # guard checked) and no per-request scan of the environment and ~/.netrc.
    with httpx.Client(
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        verify=_ssl_context(),
        trust_env=False,
    ) as client:
        while True:
            connect_url, host_header, sni_host = _checked_request_target(current_url)
            hop_headers = dict(request_headers, Host=host_header)
            try:
                request = client.build_request(
                    current_method,
                    connect_url,
                    headers=hop_headers,
                    data=current_data,
                    content=current_content,
                    extensions={"sni_hostname": sni_host},
                )
                response = client.send(request, stream=True)
            except httpx.TimeoutException as exc:
                raise FetchError(f"timed out after {timeout:g} s", current_url) from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"request failed: {exc}", current_url) from exc
            try:
                if follow_redirects and response.status_code in REDIRECT_STATUSES:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchError("redirect without a Location header", current_url)
                    if len(redirects) >= max_redirects:
                        raise TooManyRedirects(f"more than {max_redirects} redirects", current_url)
                    current_url = urljoin(current_url, location.strip())
                    redirects.append((response.status_code, current_url))
                    if response.status_code == 303 or (
                        response.status_code in (301, 302) and current_method == "POST"
                    ):
                        current_method, current_data, current_content = "GET", None, None
                    continue
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise TooLarge(
                        f"the response is {int(declared):,} bytes, over the {max_bytes:,}-byte limit",
                        current_url,
                    )
                body = bytearray()
                try:
                    for chunk in response.iter_bytes():
                        body.extend(chunk)
                        if len(body) > max_bytes:
                            raise TooLarge(
                                f"the response is over the {max_bytes:,}-byte limit", current_url
                            )
                        if time.monotonic() > deadline:
                            raise FetchError(
                                f"the response took longer than {timeout * 2:g} s", current_url
                            )
                except httpx.TimeoutException as exc:
                    raise FetchError(f"timed out after {timeout:g} s", current_url) from exc
                except httpx.HTTPError as exc:
                    raise FetchError(f"reading the response failed: {exc}", current_url) from exc
                return FetchResult(
                    url=current_url,
                    status_code=response.status_code,
                    headers=response.headers,
                    content=bytes(body),
                    redirects=redirects,
                    encoding=response.charset_encoding,
                )
            finally:
                response.close()
