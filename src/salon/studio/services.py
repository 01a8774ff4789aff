"""What the writing page does to posts: the working copy, applying it, publication states.

Views call these and tell the author the result; ``tasks.py`` enqueues the scheduled
publication these functions return. Every change to a post goes through ``Post.save()``, so the
blog's ``posts_changed`` event follows as for any other edit.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salon import languages
from salon.blog.models import Post, PostSummary, Status, Tag

from . import checks, images, revisions
from .forms import EditorForm, data_keys, summary_field
from .models import Draft


@dataclass
class Result:
    """What a save did: the working copy's version, whether the post holds the typed fields,
    errors by field, and a conflict message when nothing was written."""

    draft: Draft | None = None
    applied: bool = False
    errors: dict = field(default_factory=dict)
    conflict: str = ""

    @property
    def ok(self):
        return not self.conflict and not self.errors


def data_from_post(post):
    """The writing page's fields for ``post`` as it is stored."""
    data = {name: "" for name in data_keys()}
    for name in data_keys():
        if hasattr(post, name) and name not in ("tags", "series"):
            value = getattr(post, name)
            data[name] = ("on" if value else "") if isinstance(value, bool) else str(value or "")
    data["series"] = str(post.series_id or "")
    data["series_position"] = str(post.series_position or "")
    if post.pk:
        data["tags"] = ", ".join(post.tags.values_list("name", flat=True))
        for summary in post.summaries.all():
            data[summary_field(summary.language)] = summary.text
        other = (
            Post.objects.filter(translation_key=post.translation_key).exclude(pk=post.pk).first()
        )
        data["translation_of"] = str(other.pk) if other else ""
        data["language_locked"] = "on"
    return data


def clean_data(raw):
    """Only the writing page's fields, as strings (a browser posts nothing else)."""
    return {name: str(raw.get(name, "")) for name in data_keys()}


def working_copy(post, refresh=True):
    """The post's working copy, made when missing. With ``refresh`` (opening the page), one
    that holds nothing newer than the post is read again from a post changed elsewhere (the
    admin, the scheduler) since; a save does not, so it finds the change and says so."""
    draft = Draft.objects.filter(post=post).first()
    if draft is None:
        draft = Draft.objects.create(
            post=post, data=data_from_post(post), post_updated_at=post.updated_at
        )
    elif refresh and draft.applied and draft.post_updated_at != post.updated_at:
        draft.data = data_from_post(post)
        draft.post_updated_at = post.updated_at
        draft.version += 1
        draft.save()
    return draft


def changed_elsewhere(draft):
    return draft.post_updated_at != draft.post.updated_at


def create_post(raw, user=None):
    """A new draft from the first save of ``/write/``."""
    data = clean_data(raw)
    language = data["language"]
    if not languages.is_content_language(language):
        language = languages.detect_language(
            f"{data['title']}\n{data['body']}", default=languages.content_languages()[0]
        )
    title = " ".join(data["title"].split()) or _("Untitled")
    post = Post.objects.create(
        title=title[:300], language=language, status=Status.DRAFT, body=data["body"]
    )
    Draft.objects.create(post=post, data=data, post_updated_at=post.updated_at, applied=False)
    return post


def save(post, raw, version, action="autosave", user=None, schedule_at=None):
    """Save the typed fields as the working copy (version ``version`` must be the current one),
    then, for a draft or an explicit action, apply them to the post.

    Actions: ``autosave``, ``revision`` (also keep a revision), ``publish``, ``schedule`` (with
    ``schedule_at``), ``update`` (a public post takes the typed fields), ``draft`` (unpublish, or
    back to draft), ``overwrite`` (apply over a post changed elsewhere).

    One transaction holds the working copy's row from the version check to the post's update,
    so two saves apply in the order they were checked; the working copy is written even when
    applying fails (in its own savepoint), since what was typed must not be lost."""
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(post=post)
        if draft.version != version:
            return Result(
                draft=draft,
                conflict=_(
                    "This post was saved from another tab or window at %(time)s: nothing was "
                    "overwritten. Reload the page to see that version; what you typed here "
                    "stays in this browser and is offered back."
                )
                % {"time": timezone.localtime(draft.saved_at).strftime("%H:%M:%S")},
            )
        draft.data = clean_data(raw)
        draft.version += 1
        draft.saved_at = timezone.now()
        draft.applied = False
        draft.save()
        post.refresh_from_db()
        draft.post = post
        if action in ("autosave", "revision") and post.status != Status.DRAFT:
            return Result(draft=draft)  # a public post waits for "Update"
        if changed_elsewhere(draft) and action != "overwrite":
            return Result(
                draft=draft,
                conflict=_(
                    "This post was changed elsewhere (the admin, the scheduler) since you "
                    "opened it: what you typed is saved here but not applied. Apply it anyway, "
                    "or discard it to see the post as it is now."
                ),
            )
        return apply_safely(draft, action, user=user, schedule_at=schedule_at)


def apply_safely(draft, action, user=None, schedule_at=None):
    """``apply`` in a savepoint: a clash the form could not foresee (two tags or slugs made at
    once) is reported, and leaves the post and the working copy as they were."""
    try:
        with transaction.atomic():
            return apply(draft, action, user=user, schedule_at=schedule_at)
    except IntegrityError:
        draft.refresh_from_db()
        return Result(
            draft=draft,
            errors={
                "__all__": [
                    _("Another change was made at the same moment: nothing was applied. Try again.")
                ]
            },
        )


STATUS_AFTER = {
    "publish": Status.PUBLISHED,
    "schedule": Status.SCHEDULED,
    "draft": Status.DRAFT,
}


def apply(draft, action, user=None, schedule_at=None):
    """Write the working copy to its post when valid (nothing written otherwise)."""
    post = draft.post
    status = STATUS_AFTER.get(action, post.status)
    publishing = status != Status.DRAFT
    form = EditorForm(draft.data, instance=post, publishing=publishing)
    valid = form.is_valid()
    errors = dict(form.errors)
    if valid and publishing:
        errors.update(checks.run(form.instance, draft.data))
    if not valid or errors:
        return Result(draft=draft, errors={k: [str(m) for m in v] for k, v in errors.items()})
    with transaction.atomic():
        stored = Post.objects.get(pk=post.pk)
        revisions.keep_baseline(stored, user)
        post = form.save(commit=False)
        if not draft.data.get("slug"):
            # A draft's address follows its title until it is published; then it stays.
            post.slug = "" if status == Status.DRAFT else stored.slug
        images.apply_cover(post, form.cleaned_data.get("cover_from_library"))
        if action == "publish" and post.status != Status.PUBLISHED:
            post.published_at = timezone.now()
        if action == "schedule":
            post.published_at = schedule_at
        post.status = status
        post.save()
        post.tags.set(_tags(form.cleaned_data["tags"]))
        _save_summaries(post, form.summaries())
        if action != "autosave" or revisions.due(post):
            revisions.keep(post, user, comment=action)
        if status != Status.DRAFT:
            draft.data["slug"] = post.slug  # a public post keeps its address
        draft.applied = True
        draft.post_updated_at = post.updated_at
        draft.save()
    return Result(draft=draft, applied=True)


def _tags(names):
    tags = []
    for name in names:
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
        tags.append(tag)
    return tags


def _save_summaries(post, texts):
    for summary in post.summaries.all():
        if summary.language not in texts or not texts[summary.language]:
            summary.delete()
    for code, text in texts.items():
        if text:
            PostSummary.objects.update_or_create(post=post, language=code, defaults={"text": text})


def discard(post):
    """Forget the working copy's unapplied fields: the post as stored comes back."""
    Draft.objects.filter(post=post).update(applied=True, post_updated_at=None)


def restore(post, version, user=None):
    """Bring ``version``'s fields back into the working copy (and the post, for a draft); the
    state before is kept as a revision first, so a restore can itself be undone."""
    draft = working_copy(post)
    if post.status == Status.DRAFT or draft.applied:
        revisions.keep(post, user, comment="before restore")
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        draft.data = revisions.data_of(version)
        draft.version += 1
        draft.saved_at = timezone.now()
        draft.applied = False
        draft.post_updated_at = post.updated_at
        draft.save()
        if post.status != Status.DRAFT:
            return Result(draft=draft)
        draft.post = post
        return apply_safely(draft, "restore", user=user)


def publish_due():
    """Publish the scheduled posts whose time has come (the worker runs it at their time):
    each is saved, so ``posts_changed`` tells caches, feeds and indexes now. Returns their ids."""
    now = timezone.now()
    done = []
    for post in Post.objects.filter(status=Status.SCHEDULED, published_at__lte=now):
        with transaction.atomic():
            draft = Draft.objects.filter(post=post).first()
            in_step = draft is not None and draft.post_updated_at == post.updated_at
            post.status = Status.PUBLISHED
            post.save()
            if in_step:
                Draft.objects.filter(pk=draft.pk).update(post_updated_at=post.updated_at)
        done.append(post.pk)
    return done
