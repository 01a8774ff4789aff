"""``{% conversation post %}``: the responses under a post and the comment form.

{% load conversations %}
{% conversation post %}
"""

from urllib.parse import urlsplit

from django import template
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from salon.core import fragments, identity

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


@register.simple_tag
def comment_form_script():
    """The comment form's script (it asks for the form's signed time), for the ``<head>`` of a
    page that shows the form."""
    return format_html('<script src="{}" defer></script>', static("conversations/comment-form.js"))


@register.simple_tag(takes_context=True)
def conversation(context, post):
    """The responses under ``post`` and the comment form. What every reader sees alike (no
    reply chosen, no notice, not signed in) is rendered once per post, interface language and
    generation (``salon.core.fragments``). It holds nothing of the reader's own: a reader's
    form has no CSRF token (``views.post_comment`` checks where it was sent from) and asks for
    its signed "shown at" time when the reader starts on it, so the whole post page is the same
    for everyone, to be kept and published as a file."""
    request = context.get("request")
    shared = (
        request is not None
        and not any(name in request.GET for name in ("replyto", "comment", "confirm"))
        and not getattr(getattr(request, "user", None), "is_authenticated", False)
    )
    if not shared:
        return render_to_string("conversations/thread.html", _thread_context(context, post))
    key = ("conversation", post.pk, post.comments_open, context.get("LANGUAGE_CODE"))
    return mark_safe(
        fragments.fragment(
            request,
            key,
            lambda: render_to_string(
                "conversations/thread.html",
                _thread_context(context, post, shown="", request=None),
            ),
        )
    )


def _thread_context(context, post, shown=None, request=False):
    if request is False:
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
    if shown is not None:
        initial["shown"] = shown
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
