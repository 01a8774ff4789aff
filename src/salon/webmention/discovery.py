"""Webmention endpoint discovery, as the W3C Recommendation (section 3.1.2) describes it.

1. Fetch the target, following redirects; relative URLs resolve against the *final* URL.
2. The first HTTP ``Link`` header value whose ``rel`` holds the token ``webmention`` wins.
3. Otherwise, in an HTML document, the first ``<link>`` or ``<a>`` element, in document order,
   with a ``rel`` holding that token and an ``href`` attribute (an empty ``href`` is the page
   itself). Comments and escaped markup are not elements, so they never count.
4. The endpoint keeps its query string; ``rel`` values are whitespace-separated tokens,
   compared without regard to case.
"""

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from salon import net

from . import conf, documents

_LINK_PARAM = re.compile(
    r"""\s*;\s*(?P<name>[^\s=;,]+)\s*(?:=\s*(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<token>[^;,\s]*)))?"""
)


def parse_link_header(value):
    """``[(url, {param: value})]`` from one ``Link`` header value (RFC 8288).

    A comma inside a quoted parameter does not split links; parameter names are lower-cased.
    """
    links = []
    position, length = 0, len(value or "")
    while position < length:
        start = value.find("<", position)
        if start == -1:
            break
        end = value.find(">", start)
        if end == -1:
            break
        url = value[start + 1 : end].strip()
        position = end + 1
        params = {}
        while True:
            match = _LINK_PARAM.match(value, position)
            if not match:
                break
            name = match.group("name").lower()
            quoted = match.group("quoted")
            param = (
                re.sub(r"\\(.)", r"\1", quoted)
                if quoted is not None
                else (match.group("token") or "")
            )
            params.setdefault(name, param)
            position = match.end()
        links.append((url, params))
        comma = value.find(",", position)
        if comma == -1:
            break
        position = comma + 1
    return links


def has_rel(rel_value, token="webmention"):
    return token in (rel_value or "").lower().split()


def endpoint_from_headers(headers, base_url):
    for value in headers.get_list("link"):
        for url, params in parse_link_header(value):
            if has_rel(params.get("rel")):
                return urljoin(base_url, url)
    return None


def endpoint_from_html(tree, base_url):
    if tree is None:
        return None
    for element in tree.iter("link", "a"):
        if has_rel(element.get("rel")) and element.get("href") is not None:
            return urljoin(base_url, element.get("href").strip())
    return None


@dataclass
class Discovery:
    endpoint: str | None
    final_url: str
    status_code: int


def discover(target):
    """Find the Webmention endpoint of ``target``; raise ``net.FetchError`` if it cannot be
    fetched. ``Discovery.endpoint`` is None when the target advertises none."""
    result = net.fetch(
        target,
        headers={"Accept": "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"},
        timeout=conf.FETCH_TIMEOUT,
        max_bytes=conf.FETCH_MAX_BYTES,
        max_redirects=conf.FETCH_MAX_REDIRECTS,
    )
    endpoint = endpoint_from_headers(result.headers, result.url)
    if endpoint is None and documents.is_html(result):
        endpoint = endpoint_from_html(documents.parse_html(result), result.url)
    return Discovery(endpoint=endpoint, final_url=result.url, status_code=result.status_code)
