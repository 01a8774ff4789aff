"""The writing page: ``/write/`` (a new post), ``/write/<id>/``, its saves and live preview."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salon import languages
from salon.blog.models import Post, Status

from .. import extensions, rendering, revisions, services
from ..forms import (
    EditorForm,
    PreviewLinkForm,
    ScheduleForm,
    data_keys,
    local_input,
    summary_field,
)
from .access import author_only, wants_json

ACTIONS = {"autosave", "revision", "publish", "schedule", "update", "draft", "overwrite"}


def _new_data():
    data = {name: "" for name in data_keys()}
    data.update(language=languages.content_languages()[0], comments_open="on", visibility="public")
    return data


@author_only
def edit(request, pk=None):
    post = draft = None
    if pk is None:
        data, version = _new_data(), 0
    else:
        post = get_object_or_404(Post.objects.select_related("series"), pk=pk)
        draft = services.working_copy(post)
        data, version = draft.data, draft.version
    form = EditorForm(initial=data, instance=post or Post())
    shown = rendering.preview(data, post, request)
    other_languages = [
        (
            code,
            languages.language_name(code),
            form[summary_field(code)],
            shown["warnings"].get(code, ""),
            shown["cards"].get(code, ""),
        )
        for code in languages.content_languages()
    ]
    published_at = post.published_at if post is not None else None
    context = {
        "post": post,
        "form": form,
        "data": data,
        "version": version,
        "save_url": reverse("studio:save", args=[post.pk]) if post else reverse("studio:create"),
        "preview": shown,
        "summaries": other_languages,
        "unapplied": draft is not None and not draft.applied,
        "changed_elsewhere": draft is not None
        and not draft.applied
        and services.changed_elsewhere(draft),
        "schedule_form": ScheduleForm(
            initial={
                "publish_at": local_input(published_at)
                if post is not None and post.status == Status.SCHEDULED
                else ""
            }
        ),
        "time_zone": timezone.get_current_timezone_name(),
        "link_form": PreviewLinkForm(),
        "links": list(post.preview_links.active()) if post else [],
        "revision_count": revisions.versions_of(post).count() if post else 0,
        "storage_key": f"salon-studio:{post.pk if post else 'new'}",
    }
    context.update(extensions.page_context())
    return render(request, "studio/editor.html", context)


def _version(request):
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _message(action, post):
    if action == "publish":
        return _("Published.")
    if action == "schedule":
        return _("Scheduled: it appears on %(date)s (%(zone)s).") % {
            "date": formats.date_format(timezone.localtime(post.published_at), "DATETIME_FORMAT"),
            "zone": timezone.get_current_timezone_name(),
        }
    if action in ("update", "overwrite") and post.status != Status.DRAFT:
        return _("The post is updated.")
    if action == "draft":
        return _("The post is a draft again: readers no longer see it.")
    if action == "revision" and post.status == Status.DRAFT:
        return _("Saved, and a revision is kept.")
    if post.status != Status.DRAFT:
        return _("Saved at %(time)s; readers see it once you update the post.") % {
            "time": timezone.localtime().strftime("%H:%M:%S")
        }
    return _("Saved at %(time)s.") % {"time": timezone.localtime().strftime("%H:%M:%S")}


@require_POST
@author_only
def save(request, pk=None):
    action = request.POST.get("action") or "autosave"
    if action not in ACTIONS:
        return JsonResponse({"ok": False, "message": _("Unknown action.")}, status=400)
    if pk is None:
        post = services.create_post(request.POST, request.user)
        version = services.working_copy(post).version
    else:
        post = get_object_or_404(Post, pk=pk)
        services.working_copy(post, refresh=False)
        version = _version(request)
        if version is None:
            return JsonResponse(
                {"ok": False, "message": _("The save names no version of the post.")}, status=400
            )
    schedule_at, extra = None, {}
    if action == "schedule":
        schedule = ScheduleForm(request.POST)
        if schedule.is_valid():
            schedule_at = schedule.cleaned_data["publish_at"]
        else:
            extra = {name: list(errors) for name, errors in schedule.errors.items()}
            action = "autosave"
    # Saving a scheduled post sends posts_changed: receivers.py has the worker publish it then.
    result = services.save(post, request.POST, version, action, request.user, schedule_at)
    post = result.draft.post
    errors = {**result.errors, **extra}
    if result.conflict:
        message = result.conflict
    elif errors:
        message = _("Saved, but not applied: correct what is marked.")
    else:
        message = _message(action, post)
    if not wants_json(request):
        level = messages.ERROR if (result.conflict or errors) else messages.SUCCESS
        messages.add_message(request, level, message)
        for name, texts in errors.items():
            for text in texts:
                messages.error(request, f"{name}: {text}" if name != "__all__" else text)
        return redirect("studio:edit", pk=post.pk)
    return JsonResponse(
        {
            "ok": result.ok and not extra,
            "saved": not result.conflict,
            "conflict": bool(result.conflict),
            "applied": result.applied,
            "message": message,
            "errors": errors,
            "version": result.draft.version,
            "status": post.status,
            "post_id": post.pk,
            "edit_url": reverse("studio:edit", args=[post.pk]),
            "save_url": reverse("studio:save", args=[post.pk]),
            "reload": action not in ("autosave", "revision") and result.ok,
        },
        status=409 if result.conflict else 200,
    )


@require_POST
@author_only
def preview(request):
    post = None
    if request.POST.get("post", "").isdigit():
        post = Post.objects.filter(pk=int(request.POST["post"])).first()
    return JsonResponse(rendering.preview(request.POST, post, request))


@require_POST
@author_only
def discard(request, pk):
    post = get_object_or_404(Post, pk=pk)
    services.discard(post)
    messages.success(
        request, _("Your unapplied changes are discarded: this is the post as stored.")
    )
    return redirect("studio:edit", pk=post.pk)
