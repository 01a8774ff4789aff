from django import template
from django.utils.translation import get_language

from salon.similar.index import similar_posts as find_similar_posts

register = template.Library()


@register.inclusion_tag("similar/similar_posts.html", takes_context=True)
def similar_posts(context, post):
    """``{% similar_posts post %}``: the list of posts most like ``post`` (one query).

    The page's language is the reader's interface language; a hit in another language shows
    its summary in the page's language when it has one.
    """
    language = context.get("river_language") or context.get("LANGUAGE_CODE") or get_language()
    return {
        "hits": find_similar_posts(post, language),
        "page_language": language,
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE") or get_language(),
    }
