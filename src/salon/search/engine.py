"""Searching: parse the query, ask the backend for one page of hits, load those posts and
cut their snippets, in a constant number of queries whatever the size of the blog.

A page of results for a search page (``request`` given) is kept per generation
(``salon.core.fragments``), like a river's list: the same search again reads nothing until
something public changes. So is a post as a hit shows it (its tags, summaries, series and
plain-text body, read in three queries): a new search whose posts are kept runs its query only.
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.utils import timezone

from salon.blog.models import Post
from salon.core import fragments

from .backends import Filters, get_backend
from .highlight import Highlighter
from .query import parse_query

_UNUSED_FIELDS = (
    "body",
    "body_html",
    *(
        f"search_document__{name}"
        for name in (
            "title_terms",
            "tag_terms",
            "summary_terms",
            "body_terms",
            "filter_terms",
        )
    ),
)


@dataclass
class Hit:
    post: Post
    score: float
    title_html: str = ""
    # The snippet and the language of the text it was cut from (the body's or a summary's).
    snippet_html: str = ""
    snippet_language: str = ""
    # The post's summary in the reader's language, when the post is in another one.
    summary_html: str = ""
    summary_language: str = ""


@dataclass
class ResultPage:
    parsed: object
    hits: list = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 10
    # The hits' HTML, made once by the search page for a kept result (see views.search_view).
    hits_html: str | None = None

    @property
    def num_pages(self):
        return max(1, -(-self.total // self.per_page))


def search(
    text,
    language=None,
    tag=None,
    year=None,
    page=1,
    per_page=10,
    reader_language=None,
    request=None,
):
    """One page of the posts matching ``text``, best first.

    ``reader_language`` is the reader's interface language: a hit in another language carries
    its summary in that one. A page past the last one gives the last page. ``request`` (when
    searching for a page) holds the generation its kept posts are read under.
    """
    # Read before the rows are (a post kept under it is never newer than the generation).
    reading = request if request is not None else SimpleNamespace()
    fragments.generation(reading)
    parsed = parse_query(text)
    result = ResultPage(parsed=parsed, page=max(1, page), per_page=per_page)
    if not parsed:
        return result
    if request is None:
        return _run(result, language, tag, year, reader_language, reading)
    # A page of results is kept per generation, as a river's list is: the same search again
    # (a word a boosted post made everyone look for) runs no query until something changes.
    key = ("search-result", parsed, language or None, tag or None, year or None)
    key += (result.page, per_page, reader_language)
    return fragments.fragment(
        reading, key, lambda: _run(result, language, tag, year, reader_language, reading)
    )


def _run(result, language, tag, year, reader_language, reading):
    parsed, per_page = result.parsed, result.per_page
    backend = get_backend()
    filters = Filters(
        now=timezone.now(), language=language or None, tag=tag or None, year=year or None
    )
    rows, total = backend.search(parsed, filters, per_page, (result.page - 1) * per_page)
    if not rows and result.page > 1:
        total = backend.count(parsed, filters)
        if total:
            result.page = -(-total // per_page)
            rows, total = backend.search(parsed, filters, per_page, (result.page - 1) * per_page)
    result.total = total
    if rows:
        result.hits = _hits(rows, parsed, reader_language, reading)
    return result


def _posts(post_ids, reading):
    """``{id: post}`` with what a hit shows, kept or read (three queries for those not kept)."""
    posts = {}
    for post_id in post_ids:
        kept = fragments.get(reading, ("search-post", post_id))
        if kept is not None:
            posts[post_id] = kept
    missing = [post_id for post_id in post_ids if post_id not in posts]
    if missing:
        read = (
            Post.objects.select_related("series", "search_document")
            .prefetch_related("tags", "summaries")
            # Of the long texts, only the plain-text body is read (for the snippet).
            .defer(*_UNUSED_FIELDS)
            .in_bulk(missing)
        )
        for post_id, post in read.items():
            posts[post_id] = fragments.put(reading, ("search-post", post_id), post)
    return posts


def _hits(rows, parsed, reader_language, reading):
    posts = _posts([post_id for post_id, _ in rows], reading)
    highlighter = Highlighter(parsed)
    hits = []
    for post_id, score in rows:
        post = posts.get(post_id)
        if post is None:  # deleted between the two queries
            continue
        hit = Hit(post=post, score=score)
        hit.title_html = highlighter.mark(post.title, post.language)
        summaries = sorted(post.summaries.all(), key=lambda s: s.language != reader_language)
        reader_summary = None
        if reader_language and post.language != reader_language:
            reader_summary = next((s for s in summaries if s.language == reader_language), None)
        # The snippet: from the body where the words are, else from a summary holding them
        # (other than the one shown below), else the beginning of the body or of a summary.
        document = getattr(post, "search_document", None)
        body = document.body_text if document is not None else ""
        candidates = [(body, post.language)] + [
            (summary.text, summary.language)
            for summary in summaries
            if summary is not reader_summary
        ]
        fallback = None
        for text, text_language in candidates:
            html, found = highlighter.snippet(text, text_language)
            if found:
                hit.snippet_html, hit.snippet_language = html, text_language
                break
            if fallback is None and html:
                fallback = (html, text_language)
        else:
            if fallback is not None:
                hit.snippet_html, hit.snippet_language = fallback
        if reader_summary is not None:
            hit.summary_html = highlighter.mark(reader_summary.text, reader_summary.language)
            hit.summary_language = reader_summary.language
        hits.append(hit)
    return hits
