"""The blog's fediverse presence in its pages.

- ``{% activitypub_link %}``: ``<link rel="alternate" type="application/activity+json">`` to
  the post's ActivityPub object on a federated post's page, to the author's actor elsewhere;
- ``{% fediverse_handle %}``: "Follow on the fediverse: @user@host" with a Copy button (a
  small static script, never inline; the button shows only where the clipboard works).
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


@register.inclusion_tag("federation/includes/handle.html")
def fediverse_handle():
    return {"handle": conf.handle_text()}
