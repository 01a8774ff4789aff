"""From any address to the feeds it offers.

The address may be a feed itself, or a page announcing its feeds with
``<link rel="alternate" type="application/rss+xml|application/atom+xml|application/feed+json">``.
A page that announces none gets a short list of usual feed locations tried. Each candidate is
fetched and parsed, so what the author is shown is a feed that works, with its latest titles.
"""

from dataclasses import asdict, dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from .fetching import fetch_document, http_problem, settled_url
from .parsing import FEED_CONTENT_TYPES, ParsedFeed, looks_like_html, parse_feed
from .problems import ErrorCode, FeedProblem

MAX_CANDIDATES = 5
# Tried, in this order, only when a page announces no feed.
USUAL_LOCATIONS = ["/feed/", "/feed.xml", "/atom.xml", "/rss.xml", "/index.xml", "/feed.json"]


@dataclass
class FoundFeed:
    url: str
    title: str
    kind: str
    site_url: str
    language: str
    latest: list = field(default_factory=list)  # [{"title", "url", "language"}] of a few entries

    def as_dict(self):
        return asdict(self)


def _found(url, feed: ParsedFeed, page_url=""):
    latest = [
        {
            "title": entry.title or entry.summary_text[:80],
            "url": entry.url,
            "language": entry.language,
        }
        for entry in feed.entries[:3]
    ]
    return FoundFeed(
        url=url,
        title=feed.title,
        kind=feed.kind,
        site_url=feed.site_url or page_url,
        language=feed.language,
        latest=latest,
    )


def feed_links(content, page_url):
    """Feed addresses a page announces, in page order, made absolute (``<base href>`` honoured)."""
    try:
        document = lxml_html.document_fromstring(content)
    except (etree.ParserError, ValueError):
        return []
    base = page_url
    for base_element in document.iter("base"):
        if base_element.get("href"):
            base = urljoin(page_url, base_element.get("href").strip())
            break
    found = []
    for link in document.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = FEED_CONTENT_TYPES.get((link.get("type") or "").split(";")[0].strip().lower())
        href = (link.get("href") or "").strip()
        if "alternate" not in rel or not kind or not href:
            continue
        url = urljoin(base, href)
        if urlsplit(url).scheme in ("http", "https") and url not in found:
            found.append(url)
    return found


def _try_feed(url):
    """The feed at ``url`` (following permanent moves), or raise ``FeedProblem``."""
    result = fetch_document(url)
    if result.status_code >= 400:
        raise http_problem(result.status_code)
    feed = parse_feed(result.content, result.content_type, result.url)
    return settled_url(url, result.redirects), feed


def discover(url):
    """The feeds found from ``url``: a list of ``FoundFeed``; raise ``FeedProblem`` if none."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FeedProblem(ErrorCode.INVALID_URL, url)
    result = fetch_document(url)
    if result.status_code >= 400:
        raise http_problem(result.status_code)
    page_url = settled_url(url, result.redirects)
    if not looks_like_html(result.content, result.content_type):
        # Perhaps the address is a feed itself.
        feed = parse_feed(result.content, result.content_type, result.url)
        return [_found(page_url, feed)]
    candidates = feed_links(result.content, result.url)
    announced = bool(candidates)
    if not candidates:
        root = f"{urlsplit(result.url).scheme}://{urlsplit(result.url).netloc}"
        candidates = [urljoin(root, path) for path in USUAL_LOCATIONS]
    found, problems = [], []
    for candidate in candidates[:MAX_CANDIDATES] if announced else candidates:
        try:
            feed_url, feed = _try_feed(candidate)
        except FeedProblem as problem:
            problems.append(f"{candidate}: {problem.detail or problem.code}")
            continue
        if any(existing.url == feed_url for existing in found):
            continue
        found.append(_found(feed_url, feed, page_url))
        if not announced or len(found) >= MAX_CANDIDATES:
            break  # a guessed location that works is enough
    if not found:
        if announced:
            raise FeedProblem(
                ErrorCode.NO_FEED,
                "the page announces feeds that cannot be read: " + "; ".join(problems)[:800],
            )
        raise FeedProblem(
            ErrorCode.NO_FEED,
            "the page announces no RSS, Atom or JSON Feed and none is at the usual places",
        )
    return found
