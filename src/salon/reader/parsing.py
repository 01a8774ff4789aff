"""Feed documents into plain records: RSS and Atom through feedparser, JSON Feed through json.

Nothing here touches the database or the network, so the refresh can parse in worker threads.
``parse_feed()`` returns a ``ParsedFeed`` or raises ``FeedProblem`` with a code from
``ErrorCode`` and a technical detail (in English, shown with ``lang="en"``).
"""

import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import feedparser
import nh3
from django.utils.dateparse import parse_datetime

from .problems import ErrorCode, FeedProblem

MAX_CONTENT_CHARS = 200_000
MAX_EXCERPT_CHARS = 400
MAX_TAGS = 30
MAX_ENCLOSURES = 10
# A media type as RFC 6838 spells it (parameters dropped): anything else is not kept.
_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_WHITESPACE = re.compile(r"\s+")
FEED_CONTENT_TYPES = {
    "application/rss+xml": "rss",
    "application/atom+xml": "atom",
    "application/feed+json": "json",
    "application/json": "json",
    "application/rdf+xml": "rss",
}
# Benign feedparser complaints: the document was read correctly despite them.
_BENIGN_BOZO = (
    feedparser.CharacterEncodingOverride,
    feedparser.NonXMLContentType,
)


@dataclass
class ParsedEntry:
    guid: str
    url: str
    title: str
    author: str
    content_html: str
    summary_text: str
    language: str
    tags: list = field(default_factory=list)
    published_at: datetime | None = None
    updated_at: datetime | None = None
    enclosures: list = field(default_factory=list)  # [{"url", "type", "length", "title"}]

    @property
    def key(self):
        """The deduplication key: the entry's id, else its link, else its text."""
        basis = self.guid or self.url or f"{self.title}\n{self.summary_text}"
        return hashlib.sha256(basis.encode("utf-8", "replace")).hexdigest()

    @property
    def date(self):
        return self.published_at or self.updated_at


@dataclass
class ParsedFeed:
    kind: str
    title: str
    site_url: str
    language: str
    entries: list
    warning: str = ""  # the document had errors but could be read


def clean_language(value):
    value = (value or "").strip().replace("_", "-")
    return value if _LANGUAGE_TAG.match(value) else ""


def plain_text(value):
    """Text without markup or entities, whitespace collapsed."""
    if not value:
        return ""
    text = html.unescape(nh3.clean(value, tags=set()))
    return _WHITESPACE.sub(" ", text).strip()


def excerpt(text, limit=MAX_EXCERPT_CHARS):
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + "…"


def clean_html(value):
    """Sanitised HTML: the default safe tags of nh3, links marked as external and untrusted."""
    if not value:
        return ""
    return nh3.clean(
        value[:MAX_CONTENT_CHARS],
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow ugc",
    )


def absolute_http_url(value, base):
    """An absolute http(s) URL made from ``value`` (relative to ``base``), or ``""``."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        url = urljoin(base or "", value)
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return url[:2000]


def enclosure(url, media_type, length, title, base):
    """One attached file (podcast audio, an image…) as a plain dict, or None when its address
    is not an http(s) URL: a hostile feed's ``javascript:`` or ``data:`` never reaches a page."""
    url = absolute_http_url(url if isinstance(url, str) else "", base)
    if not url:
        return None
    media_type = (media_type if isinstance(media_type, str) else "").split(";")[0]
    media_type = media_type.strip().lower()
    if not _MEDIA_TYPE.match(media_type):
        media_type = ""
    try:
        length = int(str(length).strip())
    except (TypeError, ValueError):
        length = None
    if length is not None and not 0 < length < 2**53:
        length = None
    title = plain_text(title if isinstance(title, str) else "")[:300]
    return {"url": url, "type": media_type, "length": length, "title": title}


def _enclosures(candidates, base):
    """Kept enclosures from ``(url, type, length, title)`` tuples, each address once."""
    kept, seen = [], set()
    for url, media_type, length, title in candidates:
        item = enclosure(url, media_type, length, title, base)
        if item is not None and item["url"] not in seen and len(kept) < MAX_ENCLOSURES:
            seen.add(item["url"])
            kept.append(item)
    return kept


def _sniff(content):
    """``"xml"``, ``"json"``, ``"html"`` or ``""`` from the first bytes of a document."""
    head = content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"{", b"[")):
        return "json"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if head.startswith(b"<"):
        start = head
        if start.startswith(b"<?xml"):
            start = start.split(b"?>", 1)[-1].lstrip()
        while start.startswith(b"<!--"):
            start = start.split(b"-->", 1)[-1].lstrip()
        if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
            return "html"
        return "xml"
    return ""


def looks_like_html(content, content_type):
    sniffed = _sniff(content)
    if sniffed:
        return sniffed == "html"
    return content_type in ("text/html", "application/xhtml+xml")


def parse_feed(content, content_type, url):
    """Parse a fetched document into a ``ParsedFeed``; raise ``FeedProblem`` if it is not one."""
    content_type = (content_type or "").split(";", 1)[0].strip().lower()
    sniffed = _sniff(content)
    if not content.strip():
        raise FeedProblem(ErrorCode.NOT_A_FEED, "the response is empty")
    if sniffed == "json" or (not sniffed and "json" in content_type):
        return parse_json_feed(content, url)
    if sniffed == "html" or (not sniffed and content_type == "text/html"):
        raise FeedProblem(ErrorCode.HTML, f"{content_type or 'no content type'}, an HTML page")
    return parse_xml_feed(content, content_type, url)


def _struct_to_datetime(value):
    if not value:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _xml_language(entry, feed_language):
    for detail in (
        (entry.get("content") or [{}])[0],
        entry.get("summary_detail") or {},
        entry.get("title_detail") or {},
    ):
        language = clean_language(detail.get("language"))
        if language:
            return language
    return feed_language


def _xml_content(entry):
    """The fullest HTML the entry offers (content over summary), sanitised."""
    for item in entry.get("content") or []:
        value = item.get("value") or ""
        if item.get("type") == "text/plain":
            value = "<p>" + html.escape(value) + "</p>"
        if value.strip():
            return clean_html(value)
    summary = entry.get("summary") or ""
    detail = entry.get("summary_detail") or {}
    if detail.get("type") == "text/plain":
        summary = "<p>" + html.escape(summary) + "</p>"
    return clean_html(summary)


def parse_xml_feed(content, content_type, url):
    parsed = feedparser.parse(
        content,
        response_headers={
            "content-location": url,
            "content-type": content_type or "application/xml",
        },
        # nh3 cleans every text below; feedparser's own (pure Python) sanitiser would only
        # double the work.
        sanitize_html=False,
        resolve_relative_uris=True,
    )
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if problem is not None and isinstance(problem, _BENIGN_BOZO):
        problem = None
    if not parsed.version:
        if problem is not None:
            raise FeedProblem(ErrorCode.MALFORMED, _describe(problem))
        raise FeedProblem(ErrorCode.NOT_A_FEED, "neither RSS nor Atom")
    feed = parsed.feed
    feed_language = clean_language(feed.get("language"))
    site_url = absolute_http_url(feed.get("link"), url)
    feed_author = feed.get("author") or ""
    entries = []
    for item in parsed.entries:
        entry_url = absolute_http_url(item.get("link"), url)
        content_html = _xml_content(item)
        tags = []
        for tag in item.get("tags") or []:
            term = (tag.get("term") or tag.get("label") or "").strip()
            if term and len(tags) < MAX_TAGS:
                tags.append(term[:100])
        entry = ParsedEntry(
            guid=(item.get("id") or "").strip()[:2000],
            url=entry_url,
            title=plain_text(item.get("title"))[:500],
            author=plain_text(item.get("author") or feed_author)[:300],
            content_html=content_html,
            summary_text=excerpt(plain_text(item.get("summary")) or plain_text(content_html)),
            language=_xml_language(item, feed_language),
            tags=tags,
            # dict.get: feedparser's own get() maps a missing date to another, with a warning.
            published_at=_struct_to_datetime(
                dict.get(item, "published_parsed") or dict.get(item, "created_parsed")
            ),
            updated_at=_struct_to_datetime(dict.get(item, "updated_parsed")),
            # RSS <enclosure> and Atom <link rel="enclosure">: feedparser lists both (from
            # the entry's links, hence its own get(), not dict.get).
            enclosures=_enclosures(
                (
                    (e.get("href") or e.get("url"), e.get("type"), e.get("length"), e.get("title"))
                    for e in item.get("enclosures") or []
                    if isinstance(e, dict)
                ),
                url,  # a relative address is relative to the document, as any link in it
            ),
        )
        if problem is not None and not (entry.guid or entry.url):
            # A fragment recovered from a broken document, with nothing to identify it.
            continue
        if entry.guid or entry.url or entry.title or entry.summary_text:
            entries.append(entry)
    title = plain_text(feed.get("title"))[:300]
    if problem is not None and not entries:
        # A broken document from which nothing identifiable could be recovered.
        raise FeedProblem(ErrorCode.MALFORMED, _describe(problem))
    kind = "atom" if parsed.version.startswith("atom") else "rss"
    return ParsedFeed(
        kind=kind,
        title=title,
        site_url=site_url,
        language=feed_language,
        entries=entries,
        warning=_describe(problem) if problem is not None else "",
    )


def _describe(exception):
    text = str(exception) or type(exception).__name__
    return text[:500]


def _json_date(value):
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _json_author(item, fallback=""):
    authors = item.get("authors")
    if isinstance(authors, list):
        for author in authors:
            if isinstance(author, dict) and isinstance(author.get("name"), str):
                return author["name"].strip()[:300]
    author = item.get("author")
    if isinstance(author, dict) and isinstance(author.get("name"), str):
        return author["name"].strip()[:300]
    return fallback


def _text_field(data, name):
    value = data.get(name)
    return value if isinstance(value, str) else ""


def absolutize_links(fragment, base):
    """Make the links and image sources of a sanitised HTML fragment absolute."""
    if not fragment or not base:
        return fragment
    from lxml import html as lxml_html

    try:
        wrapper = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # noqa: BLE001 - lxml raises several types on odd input; keep the text
        return fragment
    wrapper.make_links_absolute(base, resolve_base_href=False, handle_failures="discard")
    inner = (wrapper.text and html.escape(wrapper.text)) or ""
    return inner + "".join(lxml_html.tostring(child, encoding="unicode") for child in wrapper)


def parse_json_feed(content, url):
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise FeedProblem(ErrorCode.MALFORMED, f"invalid JSON: {exc}") from exc
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith(
        "https://jsonfeed.org/version/"
    ):
        raise FeedProblem(ErrorCode.NOT_A_FEED, "JSON without a JSON Feed version")
    items = data.get("items")
    if not isinstance(items, list):
        raise FeedProblem(ErrorCode.MALFORMED, "a JSON Feed needs a list of items")
    feed_language = clean_language(_text_field(data, "language"))
    feed_author = _json_author(data)
    entries = []
    for item in items:
        if not isinstance(item, dict):
            continue
        entry_url = absolute_http_url(
            _text_field(item, "url") or _text_field(item, "external_url"), url
        )
        raw_html = _text_field(item, "content_html")
        if not raw_html and _text_field(item, "content_text"):
            raw_html = "<p>" + html.escape(_text_field(item, "content_text")) + "</p>"
        content_html = absolutize_links(clean_html(raw_html), entry_url or url)
        guid = item.get("id")
        guid = str(guid).strip()[:2000] if isinstance(guid, (str, int)) else ""
        tags = (
            [
                tag.strip()[:100]
                for tag in (item.get("tags") or [])
                if isinstance(tag, str) and tag.strip()
            ][:MAX_TAGS]
            if isinstance(item.get("tags"), list)
            else []
        )
        entry = ParsedEntry(
            guid=guid,
            url=entry_url,
            title=plain_text(_text_field(item, "title"))[:500],
            author=_json_author(item, feed_author),
            content_html=content_html,
            summary_text=excerpt(
                plain_text(_text_field(item, "summary")) or plain_text(content_html)
            ),
            language=clean_language(_text_field(item, "language")) or feed_language,
            tags=tags,
            published_at=_json_date(item.get("date_published")),
            updated_at=_json_date(item.get("date_modified")),
            enclosures=_enclosures(
                (
                    (a.get("url"), a.get("mime_type"), a.get("size_in_bytes"), a.get("title"))
                    for a in item.get("attachments") or []
                    if isinstance(a, dict)
                )
                if isinstance(item.get("attachments"), list)
                else [],
                entry_url or url,
            ),
        )
        if entry.guid or entry.url or entry.title or entry.summary_text:
            entries.append(entry)
    return ParsedFeed(
        kind="json",
        title=plain_text(_text_field(data, "title"))[:300],
        site_url=absolute_http_url(_text_field(data, "home_page_url"), url),
        language=feed_language,
        entries=entries,
    )
