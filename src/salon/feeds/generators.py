"""The three feed formats, as Django feed generators.

Django's ``Rss201rev2Feed`` and ``Atom1Feed`` write the common elements; Salon's subclasses add
what a bilingual blog needs on every item: its language (``xml:lang`` on the item or entry, and
``dc:language`` in RSS), the full content (``content:encoded``, Atom ``content``), the summary
with its own language, the updated date, the author without e-mail, and the thread a comment
answers (Atom threading, RFC 4685). Django has no JSON Feed generator, so ``JSONFeed`` is one,
fed by the same ``Feed`` hooks (https://www.jsonfeed.org/version/1.1/).

Extra item keys (from ``item_extra_kwargs``): ``language``, ``content_html``,
``summary_language`` (the language of ``description``; ``None`` when it holds several),
``summary_text`` (plain text), ``summaries`` (``[(language, text)]``), ``image``,
``in_reply_to`` (``{"ref": id, "href": url}``), ``replies`` (a post's comment feeds,
``{"rss": url, "atom": url}``: ``wfw:commentRss`` in RSS, ``link rel="replies"`` in Atom).
An item made from an ``entries.Entry`` (``entry``) keeps its XML on the record, per format: the
record is itself kept per post version (``salon.core.fragments``), so a feed whose items are all
kept writes each item's XML as it was made, not element by element.
Extra feed keys: ``fallback_updated`` (the date of an empty feed, so that its body, hence its
ETag, does not change from one second to the next), ``category_scheme`` (Atom categories).
"""

import datetime
import json
from io import StringIO

from django.utils.feedgenerator import (
    Atom1Feed,
    Rss201rev2Feed,
    SyndicationFeed,
    rfc2822_date,
    rfc3339_date,
)
from django.utils.xmlutils import SimplerXMLGenerator

from .html import xml_safe

DC_NS = "http://purl.org/dc/elements/1.1/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
THREAD_NS = "http://purl.org/syndication/thread/1.0"
WFW_NS = "http://wellformedweb.org/CommentAPI/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _lang(value):
    """``xml:lang`` attributes for a language; ``""`` says "unknown" rather than inheriting."""
    return {} if value is None else {"xml:lang": value}


class _SalonFeedMixin:
    # The element an item is written as (None: the format keeps no item markup).
    item_element = None

    def _markup_key(self):
        """Under what an item's XML is kept on its entry: the format, and the one feed-level
        value an item's XML shows (Atom's category scheme, the same for every feed)."""
        if self.item_element is None:
            return None
        return (type(self).__name__, self.feed.get("category_scheme"))

    def add_item(self, entry=None, **kwargs):
        key = self._markup_key()
        markup = entry.markup.get(key) if entry is not None and key is not None else None
        if markup is not None:
            # The dates stay: the feed's own date is the latest of its items'.
            self.items.append(
                {
                    "pubdate": kwargs["pubdate"],
                    "updateddate": kwargs["updateddate"],
                    "markup": markup,
                }
            )
            return
        # Every text goes through xml_safe: a stray control character in an imported post
        # would otherwise make the whole XML document unreadable (or Django refuse to write it).
        cleaned = {
            key: (xml_safe(value) if isinstance(value, str) else value)
            for key, value in kwargs.items()
        }
        cleaned["categories"] = [xml_safe(c) for c in kwargs.get("categories") or ()]
        cleaned["summaries"] = [
            (code, xml_safe(text)) for code, text in kwargs.get("summaries") or ()
        ]
        super().add_item(**cleaned)
        if entry is not None and key is not None and (kwargs["pubdate"] or kwargs["updateddate"]):
            # (An item without dates shows the feed's date in Atom: it is made for each feed.)
            self.items[-1]["entry"] = entry

    def write_items(self, handler):
        for item in self.items:
            markup = item.get("markup")
            if markup is None:
                buffer = StringIO()
                writer = SimplerXMLGenerator(buffer, "utf-8", short_empty_elements=True)
                writer.startElement(self.item_element, self.item_attributes(item))
                self.add_item_elements(writer, item)
                writer.endElement(self.item_element)
                markup = buffer.getvalue()
                if "entry" in item:
                    item["entry"].markup[self._markup_key()] = markup
            # The item's XML as the same generator wrote it: ``ignorableWhitespace`` is the
            # SAX call that writes text as it is (after closing any pending start tag).
            handler.ignorableWhitespace(markup)

    def latest_post_date(self):
        dates = [
            item[key] for item in self.items for key in ("updateddate", "pubdate") if item.get(key)
        ]
        if dates:
            return max(dates)
        return self.feed.get("fallback_updated") or EPOCH


class RssFeed(_SalonFeedMixin, Rss201rev2Feed):
    """RSS 2.0 with Dublin Core (creator, language), content:encoded and atom:updated."""

    item_element = "item"

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:dc": DC_NS,
            "xmlns:content": CONTENT_NS,
            "xmlns:wfw": WFW_NS,
        }

    def item_attributes(self, item):
        return _lang(item.get("language"))

    def add_item_elements(self, handler, item):
        handler.addQuickElement("title", item["title"])
        handler.addQuickElement("link", item["link"])
        if item["description"] is not None:
            handler.addQuickElement(
                "description", item["description"], _lang(item.get("summary_language"))
            )
        if item["author_name"]:
            # RSS's own <author> must be an e-mail address; Salon never publishes one.
            handler.addQuickElement("dc:creator", item["author_name"])
        if item["pubdate"] is not None:
            handler.addQuickElement("pubDate", rfc2822_date(item["pubdate"]))
        if item["updateddate"] is not None:
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))
        if item["comments"] is not None:
            handler.addQuickElement("comments", item["comments"])
        if item["unique_id"] is not None:
            attrs = {}
            if isinstance(item.get("unique_id_is_permalink"), bool):
                attrs["isPermaLink"] = str(item["unique_id_is_permalink"]).lower()
            handler.addQuickElement("guid", item["unique_id"], attrs)
        for category in item["categories"]:
            handler.addQuickElement("category", category)
        if item.get("language"):
            handler.addQuickElement("dc:language", item["language"])
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])
        if item.get("replies"):
            handler.addQuickElement("wfw:commentRss", item["replies"]["rss"])


class AtomFeed(_SalonFeedMixin, Atom1Feed):
    """Atom 1.0 with ``xml:lang`` on entries, full content, and RFC 4685 threading."""

    item_element = "entry"

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:thr": THREAD_NS}

    def item_attributes(self, item):
        return _lang(item.get("language"))

    def add_item_elements(self, handler, item):
        handler.addQuickElement("title", item["title"])
        handler.addQuickElement("link", "", {"href": item["link"], "rel": "alternate"})
        if item.get("replies"):
            handler.addQuickElement(
                "link",
                "",
                {"href": item["replies"]["atom"], "rel": "replies", "type": "application/atom+xml"},
            )
        if item["pubdate"] is not None:
            handler.addQuickElement("published", rfc3339_date(item["pubdate"]))
        # <updated> is required on every entry.
        updated = item["updateddate"] or item["pubdate"] or self.latest_post_date()
        handler.addQuickElement("updated", rfc3339_date(updated))
        if item["author_name"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", item["author_name"])
            if item["author_link"]:
                handler.addQuickElement("uri", item["author_link"])
            handler.endElement("author")
        handler.addQuickElement("id", item["unique_id"] or item["link"])
        if item["description"] is not None:
            handler.addQuickElement(
                "summary",
                item["description"],
                {"type": "html", **_lang(item.get("summary_language"))},
            )
        if item.get("content_html") is not None:
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        scheme = self.feed.get("category_scheme")
        for category in item["categories"]:
            attrs = {"term": category, "label": category}
            if scheme:
                attrs["scheme"] = scheme
            handler.addQuickElement("category", "", attrs)
        in_reply_to = item.get("in_reply_to")
        if in_reply_to:
            handler.addQuickElement(
                "thr:in-reply-to",
                "",
                {"ref": in_reply_to["ref"], "href": in_reply_to["href"], "type": "text/html"},
            )


class JSONFeed(_SalonFeedMixin, SyndicationFeed):
    """JSON Feed 1.1, written from the same item dictionaries as the XML formats."""

    content_type = "application/feed+json; charset=utf-8"

    def _authors(self, name, link):
        if not name:
            return None
        author = {"name": name}
        if link:
            author["url"] = link
        return [author]

    def _item(self, item):
        extension = {}
        if item.get("summaries"):
            extension["summaries"] = [
                {"language": code, "text": text} for code, text in item["summaries"]
            ]
        if item.get("in_reply_to"):
            extension["in_reply_to"] = {
                "id": item["in_reply_to"]["ref"],
                "url": item["in_reply_to"]["href"],
            }
        data = {
            "id": item["unique_id"] or item["link"],
            "url": item["link"],
            "title": item["title"],
            # content_html (or content_text) is required: an empty body is still present.
            "content_html": item.get("content_html") or "",
            "summary": item.get("summary_text"),
            "image": item.get("image"),
            "date_published": item["pubdate"] and rfc3339_date(item["pubdate"]),
            "date_modified": item["updateddate"] and rfc3339_date(item["updateddate"]),
            "authors": self._authors(item["author_name"], item["author_link"]),
            "tags": list(item["categories"]) or None,
            "language": item.get("language") or None,
            # Extensions are objects whose key starts with an underscore (spec, "Extensions").
            "_salon": extension or None,
        }
        return {key: value for key, value in data.items() if value is not None}

    def as_dict(self):
        feed = self.feed
        data = {
            "version": JSON_FEED_VERSION,
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "language": feed["language"],
            "authors": self._authors(feed["author_name"], feed["author_link"]),
        }
        data = {key: value for key, value in data.items() if value is not None}
        data["items"] = [self._item(item) for item in self.items]
        return data

    def write(self, outfile, encoding):
        outfile.write(json.dumps(self.as_dict(), ensure_ascii=False, indent=1))
