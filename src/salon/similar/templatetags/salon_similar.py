from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from salon.core import fragments
from salon.similar.index import similar_posts as find_similar_posts

register = template.Library()


@register.simple_tag(takes_context=True)
def similar_posts(context, post):
    """``{% similar_posts post %}``: the list of posts most like ``post`` (one query), kept
    ready to show (``salon.core.fragments``) until the lists or the posts change.

    The page's language is the reader's interface language; a hit in another language shows
    its summary in the page's language when it has one.
    """
    interface = context.get("LANGUAGE_CODE") or get_language()
    language = context.get("river_language") or interface

    def render():
        return render_to_string(
            "similar/similar_posts.html",
            {
                "hits": find_similar_posts(post, language),
                "page_language": language,
                "LANGUAGE_CODE": interface,
            },
        )

    if post is None or post.pk is None:
        return ""
    key = ("similar", post.pk, language, interface)
    return mark_safe(fragments.fragment(context.get("request"), key, render))
