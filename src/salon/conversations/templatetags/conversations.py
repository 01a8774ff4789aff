"""``{% conversation post %}``: the responses under a post and the comment form.

{% load conversations %}
{% conversation post %}
"""

from urllib.parse import urlsplit

from django import template

from salon.core import identity

from .. import conf
from ..forms import CommentForm
from ..thread import conversation_for

register = template.Library()


@register.filter
def safe_url(value):
    """The URL when it is an http(s) address, else an empty string (no javascript: links)."""
    value = (value or "").strip()
    try:
        scheme = urlsplit(value).scheme.lower()
    except ValueError:
        return ""
    return value if scheme in {"http", "https"} else ""


def _confirmation_notice(request):
    wanted = request.GET.get("confirm", "") if request is not None else ""
    if not wanted:
        return ""
    return "sent" if wanted == "sent" else "queued"  # an older link (confirm=1): not known


@register.inclusion_tag("conversations/thread.html", takes_context=True)
def conversation(context, post):
    request = context.get("request")
    conversation = conversation_for(post, comments_open=post.comments_open)
    reply_to = None
    if request is not None:
        try:
            wanted = int(request.GET.get("replyto", ""))
        except ValueError:
            wanted = None
        for item in conversation.thread:
            if item.response.pk == wanted and item.can_reply:
                reply_to = item.response
    initial = {"parent": reply_to.pk if reply_to else None}
    user = getattr(request, "user", None)
    if user is not None and user.is_staff:
        # The author answering on the page signs as the blog's author, not with a login name.
        author = identity.author()
        initial.update(name=author.name, email=author.email or user.email, url=author.url)
    form = CommentForm(post=post, initial=initial)
    notice = request.GET.get("comment") if request is not None else None
    return {
        "post": post,
        "conversation": conversation,
        "form": form,
        "reply_to": reply_to,
        "notice": notice if notice in {"held", "published"} else None,
        # "sent" once the mail left, "queued" while it is on its way (see views.post_comment).
        "confirmation": _confirmation_notice(request),
        "csrf_token": context.get("csrf_token"),
        "request": request,
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
        "max_depth": conf.max_depth(),
    }
