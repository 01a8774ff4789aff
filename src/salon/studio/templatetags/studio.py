from django import template
from django.conf import settings
from django.urls import reverse

from salon.blog.models import Post

from .. import bar

register = template.Library()


@register.inclusion_tag("studio/includes/author_bar.html", takes_context=True)
def author_bar(context):
    """The signed-in author's bar (write, edit this post, admin); empty for everyone else, so
    the pages kept for anonymous readers never hold it (a signed-in author's pages are never
    kept: see salon.pagecache). A visitor without a session cookie is not even looked up."""
    request = context.get("request")
    show = False
    if request is not None and settings.SESSION_COOKIE_NAME in request.COOKIES:
        user = getattr(request, "user", None)
        show = bool(user is not None and user.is_active and user.is_staff)
    post = context.get("post")
    match = getattr(request, "resolver_match", None)
    if match is not None and match.namespace == "studio":
        post = None  # the writing page itself, or its revisions
    return {
        "show": show,
        "post": post if show and isinstance(post, Post) and post.pk else None,
        "links": [(reverse(name), label) for name, label in bar.links] if show else [],
        "request": request,
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
    }
