"""The blog's fediverse presence in its pages.

- ``{% activitypub_link %}``: ``<link rel="alternate" type="application/activity+json">`` to
  the post's ActivityPub object on a federated post's page, to the author's actor elsewhere;
- ``{% fediverse_handle %}``: "Follow on the fediverse: @user@host"; on the home page and the
  actor's page with a Copy button (a small static script: every other page stays without any
  script, as the blog's pages are).
"""

from django import template
from django.utils.html import format_html

from .. import conf, objects

register = template.Library()


@register.simple_tag(takes_context=True)
def activitypub_link(context):
    post = context.get("post")
    href = objects.actor_id()
    if post is not None and getattr(post, "is_listed", False) and not getattr(post, "password", ""):
        href = objects.post_id(post)
    return format_html('<link rel="alternate" type="{}" href="{}">', conf.AP_CONTENT_TYPE, href)


COPY_BUTTON_VIEWS = {"blog:home", "federation:actor"}


@register.inclusion_tag("federation/includes/handle.html", takes_context=True)
def fediverse_handle(context):
    match = getattr(context.get("request"), "resolver_match", None)
    return {
        "handle": conf.handle_text(),
        "copy_button": match is not None and match.view_name in COPY_BUTTON_VIEWS,
    }
