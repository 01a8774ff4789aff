"""Microformats pieces for the blog's templates: the author's h-card, reply contexts, the
endpoint's address.

- ``{% webmention_endpoint %}``: the absolute URL of the receiving endpoint;
- ``{% author_card %}``: the author's representative h-card (``u-url u-uid`` = the home page);
  ``{% author_card "p-author" %}``: the same card as a post's ``p-author``;
- ``{% reply_context post %}``: the ``u-in-reply-to h-cite`` of a reply post (its original's
  title, author and excerpt when fetched); ``{% reply_context post compact=True %}``: only the
  link, without a query (rivers).
"""

from urllib.parse import urlsplit

from django import template
from django.urls import reverse

from .. import conf

register = template.Library()


@register.simple_tag
def webmention_endpoint():
    return conf.site_url() + reverse("webmention:endpoint")


@register.inclusion_tag("webmention/includes/author_card.html", takes_context=True)
def author_card(context, property_class=""):
    author = conf.author()
    home = conf.home_url()
    return {
        "author": author,
        "home": home,
        "property_class": property_class,
        "representative": not property_class,
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
    }


@register.inclusion_tag("webmention/includes/reply_context.html", takes_context=True)
def reply_context(context, post, compact=False):
    url = getattr(post, "in_reply_to_url", "")
    cite = None
    if url and not compact:
        cite = getattr(post, "reply_context", None)
        if cite is not None and cite.url != url:
            cite = None
    return {
        "url": url,
        "host": (urlsplit(url).hostname or url) if url else "",
        "cite": cite,
        "compact": compact,
        "post": post,
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
    }
