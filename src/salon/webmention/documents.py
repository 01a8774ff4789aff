"""Reading fetched documents: is it HTML, what does it link to, comparing URLs.

lxml parses HTML the way browsers do for our purposes: comments become comment nodes and text
inside ``<code>`` stays text, so neither can be mistaken for a link.

A fetched page (a Webmention's source, a reply's original) is parsed once, by
``parse_document``, into a BeautifulSoup tree built by lxml: the link check, mf2py and the
page's metadata all read that one tree. Salon's own HTML (a post's body, for sending) is parsed
by ``parse_html_bytes`` into an lxml tree; ``html_links`` reads either.
"""

import json
from urllib.parse import urljoin, urlsplit, urlunsplit

import lxml.html
from bs4 import BeautifulSoup
from lxml import etree

HTML_TYPES = {"text/html", "application/xhtml+xml"}
JSON_TYPES = {"application/json", "application/ld+json", "application/activity+json"}

# Elements whose URL attribute counts as "linking to" a target (W3C Webmention, 3.2.2).
_LINKING = {
    "a": "href",
    "area": "href",
    "img": "src",
    "video": "src",
    "audio": "src",
    "source": "src",
    "iframe": "src",
    "blockquote": "cite",
    "q": "cite",
    "ins": "cite",
    "del": "cite",
}
_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_html(result):
    return result.content_type in HTML_TYPES


def parse_html(result):
    """The lxml tree of a fetched HTML document, or None when there is nothing to parse."""
    return parse_html_bytes(result.content, result.encoding)


def parse_html_bytes(content, encoding=None):
    if not content or not content.strip():
        return None
    parser = lxml.html.HTMLParser(encoding=encoding) if encoding else None
    try:
        return lxml.html.document_fromstring(content, parser=parser)
    except (etree.ParserError, ValueError, LookupError):
        try:
            return lxml.html.document_fromstring(content.decode("utf-8", "replace"))
        except (etree.ParserError, ValueError):
            return None


def parse_document(result):
    """The one parse of a fetched HTML document: a BeautifulSoup tree built by lxml (the tree
    mf2py reads), or None when there is nothing to parse."""
    text = result.text
    if not text or not text.strip():
        return None
    return BeautifulSoup(text, features="lxml")


def normalise_url(url):
    """A URL in a form where equal addresses compare equal: lower-case scheme and host,
    default port dropped, empty path as ``/``, fragment dropped; the query is kept."""
    try:
        parts = urlsplit((url or "").strip())
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return (url or "").strip()
    netloc = host
    if ":" in host:
        netloc = f"[{host}]"
    if port and port != _DEFAULT_PORTS.get(scheme):
        netloc += f":{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def same_url(a, b):
    return bool(a) and bool(b) and normalise_url(a) == normalise_url(b)


def html_links(tree, base_url):
    """Every URL the document links to (``<a href>``, ``<img src>``…), absolute, in order."""
    urls = []
    if tree is None:
        return urls
    if isinstance(tree, BeautifulSoup):
        elements = ((element.name, element) for element in tree.find_all(list(_LINKING)))
    else:
        elements = ((element.tag, element) for element in tree.iter(*_LINKING))
    for tag, element in elements:
        value = element.get(_LINKING[tag])
        if value is None:
            continue
        value = value.strip()
        if not value:
            continue
        try:
            urls.append(urljoin(base_url, value))
        except ValueError:
            continue
    return urls


def _json_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def links_to(result, target, tree=None):
    """Whether a fetched document links to ``target`` (W3C Webmention, 3.2.2 Verification).

    HTML must hold an element linking to it; JSON a string value equal to it; plain text the
    URL itself. Other types are never considered to link to anything. ``tree`` is the
    document's ``parse_document`` when the caller has it already.
    """
    content_type = result.content_type
    if content_type in HTML_TYPES:
        tree = tree if tree is not None else parse_document(result)
        return any(same_url(url, target) for url in html_links(tree, result.url))
    if content_type in JSON_TYPES:
        try:
            data = json.loads(result.content)
        except ValueError:
            return False
        return any(same_url(value, target) for value in _json_strings(data))
    if content_type == "text/plain":
        return target in result.text
    return False


def is_readable(result):
    return result.content_type in HTML_TYPES | JSON_TYPES | {"text/plain"}
