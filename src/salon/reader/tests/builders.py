"""Feed documents built on the fly, for feeds that change between two refreshes."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape


def item(
    n,
    days_ago=None,
    title=None,
    guid=None,
    link=None,
    categories=(),
    text=None,
    base="https://friend.example/",
):
    """One RSS item as a dict; ``days_ago=None`` gives an undated item."""
    return {
        "guid": guid if guid is not None else f"{base}posts/{n}",
        "link": link if link is not None else f"{base}posts/{n}/",
        "title": title if title is not None else f"Post {n}",
        "date": None if days_ago is None else datetime.now(UTC) - timedelta(days=days_ago),
        "categories": list(categories),
        "text": text if text is not None else f"The text of post {n}.",
    }


def rss(items, title="A friend's blog", language="fr", link="https://friend.example/"):
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0"><channel>',
        f"<title>{escape(title)}</title><link>{escape(link)}</link>",
        f"<description>Posts</description><language>{language}</language>",
    ]
    for entry in items:
        parts.append("<item>")
        if entry.get("title"):
            parts.append(f"<title>{escape(entry['title'])}</title>")
        if entry.get("link"):
            parts.append(f"<link>{escape(entry['link'])}</link>")
        if entry.get("guid"):
            parts.append(f'<guid isPermaLink="false">{escape(entry["guid"])}</guid>')
        if entry.get("date"):
            parts.append(f"<pubDate>{format_datetime(entry['date'])}</pubDate>")
        for category in entry.get("categories", []):
            parts.append(f"<category>{escape(category)}</category>")
        parts.append(f"<description>{escape(entry.get('text') or '')}</description>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")
