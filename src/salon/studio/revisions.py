"""A post's revisions, kept with django-reversion: a post and its summaries, as they were.

A revision is kept when the author publishes, updates, schedules, unpublishes, restores or asks
for one (the "Keep a revision" button, Ctrl+S), and by autosave when the last one is older than
``REVISION_EVERY``; before the writing page first changes a post, its state until then is kept,
so the admin's or an import's version can be brought back too. A revision identical to the one
before is not kept (``ignore_duplicates``).
"""

from datetime import timedelta

import reversion
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from salon import languages
from salon.blog.models import Post, PostSummary, Tag

from .forms import TEXT_FIELDS, summary_field

REVISION_EVERY = timedelta(minutes=5)


def register():
    """Called once from ``StudioConfig.ready()``."""
    if not reversion.is_registered(PostSummary):
        reversion.register(PostSummary)
    if not reversion.is_registered(Post):
        reversion.register(Post, follow=("summaries",), ignore_duplicates=True)


# What kept each revision (its comment), as the list says it.
OCCASIONS = {
    "before": _("Before the writing page changed it"),
    "autosave": _("While writing"),
    "revision": _("Kept on request"),
    "publish": _("Published"),
    "schedule": _("Scheduled"),
    "update": _("Updated"),
    "draft": _("Back to draft"),
    "overwrite": _("Applied over a change made elsewhere"),
    "before restore": _("Before a restore"),
    "restore": _("Restored"),
}


def occasion(version):
    return OCCASIONS.get(version.revision.comment, version.revision.comment)


def versions_of(post):
    """The post's versions, newest first."""
    return Version.objects.get_for_object(post).select_related("revision")


def keep(post, user=None, comment=""):
    """Keep the post (and its summaries) as they are now."""
    with reversion.create_revision(manage_manually=True):
        reversion.add_to_revision(post)
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        reversion.set_comment(comment)


def keep_baseline(post, user=None):
    """Before the writing page first changes a post with no revision: keep it as it is."""
    if not versions_of(post).exists():
        keep(post, user, comment="before")


def due(post):
    """Whether autosave should keep a revision now."""
    last = versions_of(post).first()
    return last is None or last.revision.date_created < timezone.now() - REVISION_EVERY


def data_of(version):
    """The writing page's fields as they were in ``version``: exactly the stored text."""
    fields = version.field_dict
    data = {}
    for name in TEXT_FIELDS:
        value = fields.get(name)
        if name == "series":
            value = fields.get("series_id")
        if isinstance(value, bool):
            value = "on" if value else ""
        data[name] = "" if value is None else str(value)
    tag_ids = fields.get("tags") or []
    names = dict(Tag.objects.filter(pk__in=tag_ids).values_list("pk", "name"))
    data["tags"] = ", ".join(names[pk] for pk in tag_ids if pk in names)
    key = fields.get("translation_key")
    other = (
        Post.objects.filter(translation_key=key).exclude(pk=version.object_id).first()
        if key
        else None
    )
    data["translation_of"] = str(other.pk) if other else ""
    data["language_locked"] = "on"
    for code in languages.content_languages():
        data[summary_field(code)] = ""
    for summary in summaries_of(version):
        data[summary_field(summary["language"])] = summary["text"]
    return data


def summaries_of(version):
    """The summaries kept with ``version`` (``{"language", "text"}`` each)."""
    return [
        {"language": other.field_dict["language"], "text": other.field_dict["text"]}
        for other in version.revision.version_set.all()
        if other.content_type.model_class() is PostSummary
    ]


def size(version):
    """(words, characters) of the body of ``version``."""
    body = version.field_dict.get("body") or ""
    return len(body.split()), len(body)
