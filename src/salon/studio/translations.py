"""The "Translation of" field: a post named by its id or its address (a plain text field that
works without JavaScript), and the search-as-you-type that suggests posts by title in the other
languages. No list of every post: the writing page's weight does not grow with the blog."""

from urllib.parse import urlsplit

from django import forms
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

from salon import languages
from salon.blog.models import Post

SUGGESTIONS = 10


def find_post(text):
    """The post ``text`` names: its id, its writing page (``/write/<id>/``) or its public
    address (absolute or a path). ``None`` when it names none."""
    text = (text or "").strip()
    if text.isdigit():
        return Post.objects.filter(pk=int(text)).first()
    path = urlsplit(text).path or "/"
    if not path.startswith("/"):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name == "studio:edit":
        return Post.objects.filter(pk=match.kwargs["pk"]).first()
    if match.view_name != "blog:post":
        return None
    for post in Post.objects.filter(slug=match.kwargs["slug"]).exclude(published_at=None):
        if post.get_absolute_url() == path:
            return post
    return None


class TranslationField(forms.CharField):
    """A post given by its id or address; cleans to the ``Post`` (or ``None`` when empty)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("label", _("Translation of"))
        kwargs.setdefault(
            "help_text",
            _(
                "The same text in another language: type a few words of its title, or paste "
                "its address or number. Both will link to each other."
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        post = find_post(text)
        if post is None:
            raise forms.ValidationError(
                _(
                    "No post has this address or number: “%(text)s”. Choose one of the "
                    "suggestions, or paste its address."
                ),
                params={"text": text[:80]},
            )
        return post


def suggestions(query, language="", exclude=None):
    """Posts whose title holds ``query``, in another language than ``language``, newest first."""
    query = " ".join((query or "").split())
    if len(query) < 2:
        return []
    posts = Post.objects.filter(title__icontains=query).only("pk", "title", "language", "status")
    if language:
        posts = posts.exclude(language=language)
    if exclude:
        posts = posts.exclude(pk=exclude)
    posts = posts.order_by("-updated_at", "-pk")[:SUGGESTIONS]
    return [
        {
            "id": post.pk,
            "title": post.title,
            "language": post.language,
            "label": f"{post.title} ({languages.language_name(post.language)}"
            f"{'' if post.status == 'published' else ', ' + str(post.get_status_display())})",
        }
        for post in posts
    ]
