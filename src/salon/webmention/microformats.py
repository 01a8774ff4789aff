"""Reading microformats2 (mf2py) from a fetched page: the entry, its kind, author and text.

- ``entry_for(parsed, source_url, target)``: the h-entry that speaks about the target;
- ``kind_of(entry, target)``: reply, like, repost, bookmark or mention;
- ``author_of(entry, parsed)``: the author's name, URL and photo (the entry's ``author``, else
  the feed's, else the page's representative h-card);
- ``cite_of(parsed, url)``: title, author, excerpt and language of a page, for reply contexts,
  with the page's HTML metadata (``<title>``, Open Graph, ``description``) as a fallback.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from urllib.parse import urlsplit

import mf2py
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import Truncator

from .documents import same_url

# Property -> kind, in order of precedence.
KIND_PROPERTIES = [
    ("in-reply-to", "reply"),
    ("repost-of", "repost"),
    ("like-of", "like"),
    ("bookmark-of", "bookmark"),
]


def parse(document, url):
    """mf2py's parse of a document we already hold (mf2py never fetches anything here):
    ``documents.parse_document``'s tree, which mf2py reads without parsing again (and without
    changing it), or text."""
    return mf2py.parse(doc=document, url=url, html_parser="lxml", metaformats=False)


def _types(item):
    return item.get("type", []) if isinstance(item, dict) else []


def _walk(items):
    """Every item and nested child or property value that is an item, depth first."""
    for item in items:
        if not isinstance(item, dict) or "type" not in item:
            continue
        yield item
        yield from _walk(item.get("children", []))
        for values in item.get("properties", {}).values():
            yield from _walk(v for v in values if isinstance(v, dict))


def urls_of(value):
    """The URLs a property value stands for: a string, or an embedded item's ``url``s."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        urls = []
        for url in value.get("properties", {}).get("url", []):
            urls.extend(urls_of(url) if isinstance(url, dict) else [url])
        if isinstance(value.get("value"), str):
            urls.append(value["value"])
        return urls
    return []


def text_of(value):
    """A property value as plain text."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if isinstance(value.get("value"), str):
            return value["value"]
        names = value.get("properties", {}).get("name", [])
        if names:
            return text_of(names[0])
    return ""


def first(item, name, default=""):
    values = item.get("properties", {}).get(name, []) if isinstance(item, dict) else []
    return values[0] if values else default


def _entries(parsed):
    return [item for item in _walk(parsed.get("items", [])) if "h-entry" in _types(item)]


def _refers_to(entry, target):
    for prop, _kind in KIND_PROPERTIES:
        for value in entry.get("properties", {}).get(prop, []):
            if any(same_url(url, target) for url in urls_of(value)):
                return True
    return False


def entry_for(parsed, source_url, target):
    """The h-entry that responds to ``target``; else the one at ``source_url``; else the first
    top-level h-entry; None when the page has none."""
    entries = _entries(parsed)
    for entry in entries:
        if _refers_to(entry, target):
            return entry
    for entry in entries:
        if any(same_url(url, source_url) for url in entry.get("properties", {}).get("url", [])):
            return entry
    for item in parsed.get("items", []):
        if "h-entry" in _types(item):
            return item
    return None


def kind_of(entry, target):
    if entry is None:
        return "mention"
    for prop, kind in KIND_PROPERTIES:
        for value in entry.get("properties", {}).get(prop, []):
            if any(same_url(url, target) for url in urls_of(value)):
                return kind
    return "mention"


@dataclass
class Card:
    name: str = ""
    url: str = ""
    photo: str = ""

    def __bool__(self):
        return bool(self.name or self.url)


def _photo(value):
    if isinstance(value, dict):
        return value.get("value", "") if isinstance(value.get("value"), str) else ""
    return value if isinstance(value, str) else ""


def card_from(value):
    """A ``Card`` from an ``author`` value: an h-card, a URL or a name."""
    if isinstance(value, dict) and "h-card" in _types(value):
        urls = urls_of(value)
        return Card(
            name=text_of(first(value, "name")) or (urls[0] if urls else ""),
            url=urls[0] if urls else "",
            photo=_photo(first(value, "photo")),
        )
    text = text_of(value).strip()
    if text.startswith(("http://", "https://")):
        return Card(name=urlsplit(text).hostname or text, url=text)
    return Card(name=text)


def _representative_card(parsed, page_url):
    """The page's representative h-card (microformats wiki), simplified: an h-card whose
    ``url`` and ``uid`` are the page, else one whose ``url`` is also a ``rel=me`` link, else the
    only h-card whose ``url`` is the page."""
    cards = [item for item in parsed.get("items", []) if "h-card" in _types(item)]
    rel_me = parsed.get("rels", {}).get("me", [])
    for card in cards:
        urls = urls_of(card)
        uids = [text_of(uid) for uid in card.get("properties", {}).get("uid", [])]
        if any(same_url(u, page_url) for u in urls) and any(same_url(u, page_url) for u in uids):
            return card
    for card in cards:
        if any(same_url(u, me) for u in urls_of(card) for me in rel_me):
            return card
    matching = [c for c in cards if any(same_url(u, page_url) for u in urls_of(c))]
    if len(matching) == 1:
        return matching[0]
    return None


def _feed_of(parsed, entry):
    for item in _walk(parsed.get("items", [])):
        if "h-feed" in _types(item) and entry in item.get("children", []):
            return item
    return None


def author_of(entry, parsed, page_url):
    """The entry's author (authorship, simplified): the entry's ``author``; else its feed's;
    else the page's representative h-card; else the only top-level h-card."""
    if entry is not None:
        author = first(entry, "author", None)
        if author is not None:
            card = card_from(author)
            if card:
                return card
        feed = _feed_of(parsed, entry)
        if feed is not None and first(feed, "author", None) is not None:
            card = card_from(first(feed, "author"))
            if card:
                return card
    origin = f"{urlsplit(page_url).scheme}://{urlsplit(page_url).netloc}/"
    card = _representative_card(parsed, page_url) or _representative_card(parsed, origin)
    if card is not None:
        return card_from(card)
    cards = [item for item in parsed.get("items", []) if "h-card" in _types(item)]
    if len(cards) == 1:
        return card_from(cards[0])
    return Card()


def declared_language(entry, parsed=None):
    """The language the page declares for the entry (``lang`` attribute), primary subtag."""
    lang = ""
    if entry is not None:
        content = first(entry, "content", None)
        if isinstance(content, dict):
            lang = content.get("lang") or ""
        lang = lang or entry.get("lang") or ""
    return lang.split("-")[0].lower()


def content_of(entry):
    """``(html, text)`` of the entry's content, else its summary, else its name."""
    if entry is None:
        return "", ""
    content = first(entry, "content", None)
    if isinstance(content, dict):
        return content.get("html", ""), content.get("value", "")
    if isinstance(content, str) and content:
        return "", content
    summary = text_of(first(entry, "summary"))
    if summary:
        return "", summary
    return "", text_of(first(entry, "name"))


def published_of(entry):
    """The entry's ``dt-published`` as an aware datetime, or None when it cannot be read.

    A date and time without an offset is read as UTC and a bare date as midnight UTC: mf2
    allows both, and the caller decides whether the result is believable."""
    value = text_of(first(entry, "published")).strip() if entry is not None else ""
    if not value:
        return None
    try:
        parsed = parse_datetime(value.replace(" ", "T", 1))
        if parsed is None and (day := parse_date(value)) is not None:
            parsed = datetime.combine(day, time())
    except ValueError:
        return None
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


@dataclass
class Cite:
    """What a reply shows of the post it answers."""

    url: str
    title: str = ""
    author: Card = field(default_factory=Card)
    excerpt: str = ""
    language: str = ""
    published: object = None


EXCERPT_CHARS = 280


def cite_of(parsed, url, tree=None):
    """Title, author and excerpt of the page at ``url``: its h-entry first, then its metadata
    (read from ``tree``, the page's ``documents.parse_document``)."""
    entry = entry_for(parsed, url, url)
    cite = Cite(url=url)
    if entry is not None:
        name = text_of(first(entry, "name")).strip()
        html, text = content_of(entry)
        summary = text_of(first(entry, "summary")).strip()
        excerpt = summary or text.strip()
        # An implied name of a note is its whole text: not a title.
        if name and " ".join(name.split()) != " ".join(text.split()):
            cite.title = name
        cite.excerpt = excerpt
        cite.author = author_of(entry, parsed, url)
        cite.language = declared_language(entry)
        cite.published = published_of(entry)
    if tree is not None:
        _fill_from_metadata(cite, tree)
    cite.title = Truncator(" ".join(cite.title.split())).chars(300)
    cite.excerpt = Truncator(" ".join(cite.excerpt.split())).chars(EXCERPT_CHARS)
    return cite


def _meta(tree, attribute, name):
    for element in tree.find_all("meta"):
        if (element.get(attribute) or "").strip().lower() == name and element.get("content"):
            return element.get("content").strip()
    return ""


def _fill_from_metadata(cite, tree):
    if not cite.title:
        cite.title = _meta(tree, "property", "og:title") or _meta(tree, "name", "twitter:title")
        if not cite.title:
            title = tree.find("title")
            cite.title = (title.get_text() if title is not None else "") or ""
    if not cite.excerpt:
        cite.excerpt = (
            _meta(tree, "property", "og:description")
            or _meta(tree, "name", "description")
            or _meta(tree, "name", "twitter:description")
        )
    if not cite.author:
        name = _meta(tree, "name", "author") or _meta(tree, "property", "article:author")
        if name.startswith(("http://", "https://")):
            cite.author = Card(name=urlsplit(name).hostname or name, url=name)
        elif name:
            cite.author = Card(name=name)
        elif site := _meta(tree, "property", "og:site_name"):
            cite.author = Card(name=site)
    if not cite.language:
        html = tree.find("html")
        if html is not None:
            cite.language = (html.get("lang") or "").split("-")[0].lower()
