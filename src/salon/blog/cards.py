"""A post's card (its title, meta, summary and body as rivers, tag pages, series and archives
show it), rendered once per post version, interface language and river language.

The card is the same for every reader (no form, no token, nothing of the signed-in author):
it is kept as a fragment (``salon.pagecache.fragments``) under the post's id and
``updated_at``, the interface language and the river's language, and every change to what it
shows (the post, its tags, summaries, series, translations, reply context: the blog's
``posts_changed`` event and the page cache's other receivers) retires it. A river page whose
cards are all kept reads only its page of posts: the tags, summaries and other versions are
read, in one query each, for the cards it has to render.

Which posts a river page lists is kept too, per generation, as object caches keep query
results (WordPress's ``WP_Query`` does since 6.1, under its ``last_changed`` key): their ids
and versions, under the page's path and number. A river page whose list and cards are both kept
reads no row at all; the generation changes with every change to the posts and when a
scheduled post becomes public, so the list is never older than what the query would read.
"""

from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from salon.core import fragments

from .models import Post

TEMPLATE = "blog/includes/post_card.html"


def attach_other_versions(posts):
    """Give each post ``other_versions``: its public translations, by language, so its card
    links them. One query for all the posts, whatever their number; unordered in SQL (sorted
    here) so it reads the translation-key index and sorts nothing."""
    posts = list(posts)
    keys = {post.translation_key for post in posts}
    by_key = {}
    if keys:
        others = (
            Post.objects.listed()
            .filter(translation_key__in=keys)
            .only("title", "slug", "language", "published_at", "translation_key")
            .order_by()
        )
        for other in others:
            by_key.setdefault(other.translation_key, []).append(other)
    for post in posts:
        post.other_versions = sorted(
            (other for other in by_key.get(post.translation_key, []) if other.pk != post.pk),
            key=lambda other: other.language,
        )
    return posts


def _key(post, language, river_language):
    return _card_key(post.pk, post.updated_at.isoformat(), language, river_language)


def _card_key(pk, version, language, river_language):
    return ("card", pk, version, language, river_language or "")


class Listed:
    """One post of a river page as the page shows it: its id and its card."""

    __slots__ = ("pk", "card")

    def __init__(self, pk, card):
        self.pk, self.card = pk, card


def page_of_cards(request, key, posts, language, river_language=None):
    """The cards of one river page, in order. ``posts`` (the page's queryset slice) is read
    only when the list of the page is not kept under ``key`` (a tuple naming the river and
    page) for this generation; when it is kept, only the posts whose card is not are read."""
    list_key = ("river-page", *key)
    rows = fragments.get(request, list_key)
    read = {}
    if rows is None:
        read = {post.pk: post for post in posts}
        rows = fragments.put(
            request, list_key, [(post.pk, post.updated_at.isoformat()) for post in read.values()]
        )
    listed, missing = [], {}
    for pk, version in rows:
        kept = fragments.get(request, _card_key(pk, version, language, river_language))
        listed.append(Listed(pk, None if kept is None else mark_safe(kept)))
        if kept is None:
            missing[pk] = listed[-1]
    if missing:
        fresh = [read[pk] for pk in missing if pk in read]
        if len(fresh) < len(missing):
            # Unordered: the page keeps its own order; by primary key, nothing to sort.
            fresh += (
                Post.objects.select_related("series")
                .filter(pk__in=[pk for pk in missing if pk not in read])
                .order_by()
            )
        for post in attach_cards(request, fresh, language, river_language):
            missing[post.pk].card = post.card
        # (A post deleted since the list was read is left out.)
        listed = [item for item in listed if item.card is not None]
    return listed


def attach_cards(request, posts, language, river_language=None):
    """Give each post ``card``: its card's HTML for this interface language and river."""
    posts = list(posts)
    missing = []
    for post in posts:
        kept = fragments.get(request, _key(post, language, river_language))
        post.card = None if kept is None else mark_safe(kept)
        if kept is None:
            missing.append(post)
    if missing:
        prefetch_related_objects(missing, "tags", "summaries")
        attach_other_versions(missing)
        for post in missing:
            html = render_to_string(
                TEMPLATE,
                {"post": post, "river_language": river_language, "LANGUAGE_CODE": language},
            )
            post.card = mark_safe(
                fragments.put(request, _key(post, language, river_language), html)
            )
    return posts
