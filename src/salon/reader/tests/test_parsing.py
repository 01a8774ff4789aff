"""Feed documents become plain records: each format, its languages, dates and links."""

from datetime import UTC, datetime

import pytest

from salon.reader.parsing import parse_feed
from salon.reader.problems import ErrorCode, FeedProblem

from .server import sample


def test_rss_items_carry_the_channel_language_tags_dates_and_absolute_links():
    """RSS: the channel's <language> applies to its items; relative links become absolute."""
    feed = parse_feed(sample("rss.xml"), "application/rss+xml", "https://lea.example/rss.xml")
    assert (feed.kind, feed.title, feed.language) == ("rss", "Carnets de Léa", "fr")
    first = feed.entries[0]
    assert first.url == "https://lea.example/2024/03/03/boulangerie/"
    assert first.language == "fr"
    assert first.tags == ["back2blog", "quartier"]
    assert first.published_at == datetime(2024, 3, 3, 9, tzinfo=UTC)
    assert 'href="https://lea.example/photos/"' in first.content_html


def test_feed_content_is_sanitised():
    """Scripts in a feed never reach the reader page."""
    feed = parse_feed(sample("rss.xml"), "application/rss+xml", "https://lea.example/rss.xml")
    assert "<script" not in feed.entries[0].content_html
    assert "alert" not in feed.entries[0].content_html


def test_atom_entry_language_overrides_the_feed_language():
    """Atom: xml:lang on an entry wins over the feed's; an entry with only <updated> is dated."""
    feed = parse_feed(sample("atom.xml"), "application/atom+xml", "https://sam.example/feed.atom")
    assert feed.kind == "atom"
    languages = [entry.language for entry in feed.entries]
    assert languages == ["en", "fr"]
    assert feed.entries[1].date == datetime(2024, 3, 1, 10, tzinfo=UTC)
    assert feed.entries[0].author == "Sam"


def test_json_feed_items_with_language_tags_and_untitled_text():
    """JSON Feed 1.1: item language over feed language, content_text kept, links absolute."""
    feed = parse_feed(sample("feed.json"), "application/feed+json", "https://kim.example/feed.json")
    assert (feed.kind, feed.language) == ("json", "fr-CA")
    second, first = feed.entries
    assert second.tags == ["back2blog"] and second.language == "fr-CA"
    assert 'href="https://kim.example/lien"' in second.content_html
    assert first.title == "" and first.language == "en"
    assert "en texte brut" in first.summary_text
    assert second.published_at == datetime(2024, 3, 2, 13, tzinfo=UTC)


@pytest.mark.parametrize(
    "content, content_type, code",
    [
        (sample("page.html"), "text/html", ErrorCode.HTML),
        (sample("malformed.xml"), "application/rss+xml", ErrorCode.MALFORMED),
        (b"", "application/rss+xml", ErrorCode.NOT_A_FEED),
        (b'{"version": "1"}', "application/json", ErrorCode.NOT_A_FEED),
        (
            b'{"version": "https://jsonfeed.org/version/1.1", "items": 3}',
            "application/json",
            ErrorCode.MALFORMED,
        ),
        (b"{not json", "application/feed+json", ErrorCode.MALFORMED),
        (
            b"<?xml version='1.0'?><catalog><book/></catalog>",
            "application/xml",
            ErrorCode.NOT_A_FEED,
        ),
    ],
    ids=[
        "html",
        "malformed-xml",
        "empty",
        "json-not-feed",
        "json-items-not-list",
        "broken-json",
        "other-xml",
    ],
)
def test_what_is_not_a_feed_is_named(content, content_type, code):
    """Each way a document can fail to be a feed has its own code."""
    with pytest.raises(FeedProblem) as caught:
        parse_feed(content, content_type, "https://example.org/feed")
    assert caught.value.code == code


def test_hostile_markup_is_neutralised_in_every_field():
    """Scripts, event handlers and javascript: links are removed from titles and content."""
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
    <entry><id>x</id><title type="html">&lt;script&gt;alert(1)&lt;/script&gt;Hi &lt;b&gt;there&lt;/b&gt;</title>
    <link href="javascript:alert(1)"/>
    <content type="html">&lt;p onclick="x()"&gt;ok&lt;img src="/a.png" onerror="x()"&gt;&lt;a href="javascript:alert(1)"&gt;l&lt;/a&gt;&lt;/p&gt;</content>
    </entry></feed>"""
    entry = parse_feed(atom, "application/atom+xml", "https://h.example/feed").entries[0]
    assert entry.title == "Hi there"
    assert entry.url == ""
    for needle in ("onclick", "onerror", "javascript:", "<script"):
        assert needle not in entry.content_html
    assert 'src="https://h.example/a.png"' in entry.content_html
