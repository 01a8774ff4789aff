"""Searching: parse the query, ask the backend for one page of hits, load those posts and
cut their snippets, in a constant number of queries whatever the size of the blog."""

from dataclasses import dataclass, field

from django.utils import timezone

from salon.blog.models import Post

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

    @property
    def num_pages(self):
        return max(1, -(-self.total // self.per_page))


def search(text, language=None, tag=None, year=None, page=1, per_page=10, reader_language=None):
    """One page of the posts matching ``text``, best first.

    ``reader_language`` is the reader's interface language: a hit in another language carries
    its summary in that one. A page past the last one gives the last page.
    """
    parsed = parse_query(text)
    result = ResultPage(parsed=parsed, page=max(1, page), per_page=per_page)
    if not parsed:
        return result
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
        result.hits = _hits(rows, parsed, reader_language)
    return result


def _hits(rows, parsed, reader_language):
    posts = (
        Post.objects.select_related("series", "search_document")
        .prefetch_related("tags", "summaries")
        # Of the long texts, only the plain-text body is read (for the snippet).
        .defer(*_UNUSED_FIELDS)
        .in_bulk([post_id for post_id, _ in rows])
    )
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
