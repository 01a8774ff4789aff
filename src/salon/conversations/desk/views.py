"""The desk's pages: the list (GET), moderation (POST, one response or many), answers (POST).

Signed-in staff only; never kept by a cache (``private, no-store``); every change is a POST
with Django's CSRF check. Each page works without JavaScript; ``desk.js`` only spares a reload.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from salon.blog.models import Post
from salon.core import identity

from .. import services
from ..models import Response, State
from ..views import HttpResponseSeeOther, _wants_json
from . import listing
from .forms import ACTIONS, AnswerForm, FilterForm, safe_next


def private(view):
    """Staff only, and never stored by a browser or a proxy."""
    return staff_member_required(cache_control(private=True, no_store=True)(view))


def desk_url(**query):
    query = {key: value for key, value in query.items() if value}
    url = reverse("conversations:desk")
    return f"{url}?{urlencode(query)}" if query else url


@private
@require_GET
def desk(request):
    """Every reader's response, newest first, filtered (waiting, all, spam; a post; a door)."""
    filters = FilterForm(request.GET)
    filters.is_valid()
    show = filters.value("show", listing.SHOW_ALL)
    post_id = filters.value("post")
    door = filters.value("door")
    page = Paginator(listing.responses(show, post_id, door), listing.PER_PAGE).get_page(
        request.GET.get("page")
    )
    focus = None
    focus_id = filters.value("focus")
    if focus_id:
        found = listing.readers_responses().select_related("post", "parent").filter(pk=focus_id)
        focus = next(iter(listing.items(found)), None)
    counts = listing.counts(post_id, door)
    tabs = [(value, label, counts[value]) for value, label in filters.fields["show"].choices]
    context = {
        "page_obj": page,
        "items": listing.items(
            page.object_list, listing.previous_sitting(request.session, timezone.now())
        ),
        "show": show,
        "tabs": tabs,
        "door": door,
        "doors": filters.fields["door"].choices,
        "post_filter": Post.objects.filter(pk=post_id).first() if post_id else None,
        "focus": focus,
        "focus_action": filters.value("do"),  # None: the mail's link to the desk itself
        "focus_done": focus is not None
        and focus.response.state == _TARGETS.get(filters.value("do")),
        "actions": dict(ACTIONS),
        "author": identity.author(),
        "here": request.get_full_path(),
        "query": {"show": show, "post": post_id or "", "door": door or ""},
        "answer_form": AnswerForm(),
    }
    return render(request, "conversations/desk/desk.html", context)


_DONE = {
    "approve": lambda n: ngettext(
        "%(count)d response approved.", "%(count)d responses approved.", n
    ),
    "hold": lambda n: ngettext(
        "%(count)d response sent back to the queue.",
        "%(count)d responses sent back to the queue.",
        n,
    ),
    "spam": lambda n: ngettext(
        "%(count)d response marked as spam.", "%(count)d responses marked as spam.", n
    ),
    "delete": lambda n: ngettext("%(count)d response deleted.", "%(count)d responses deleted.", n),
}
_TARGETS = {"approve": State.APPROVED, "hold": State.PENDING, "spam": State.SPAM}
_SERVICES = {"approve": services.approve, "hold": services.hold, "spam": services.mark_spam}


def _refuse(request, message, back):
    if _wants_json(request):
        return JsonResponse({"error": message}, status=400)
    messages.error(request, message)
    return HttpResponseSeeOther(back)


@private
@require_POST
def act(request):
    """Approve, hold, mark as spam or delete the responses whose ids are sent (``ids``, one or
    many), through the moderation services: follow-ups and page-cache purges follow."""
    back = safe_next(request, request.POST.get("next"), reverse("conversations:desk"))
    action = request.POST.get("action", "")
    if action not in _DONE:
        return _refuse(request, _("Choose what to do with the selected responses."), back)
    ids = {int(value) for value in request.POST.getlist("ids") if value.isdigit()}
    if not ids:
        return _refuse(request, _("Select at least one response."), back)
    done = []
    with transaction.atomic():
        for response in Response.objects.select_related("post").filter(pk__in=ids):
            if action == "delete":
                services.delete(response)
                done.append({"id": response.pk, "state": "deleted"})
            else:
                _SERVICES[action](response)
                done.append({"id": response.pk, "state": response.state})
    message = _DONE[action](len(done)) % {"count": len(done)}
    if _wants_json(request):
        labels = dict(State.choices)
        for row in done:
            row["label"] = str(labels.get(row["state"], _("Deleted")))
        return JsonResponse({"action": action, "done": done, "message": message})
    messages.success(request, message)
    return HttpResponseSeeOther(back)


@private
@require_http_methods(["GET", "POST"])
def answer(request, pk):
    """Answer a response: published at once under the author's public name, threaded under it.

    GET shows the response with the form (the admin's "Reply" and the desk without its inline
    form lead here); POST publishes through ``services.answer``. A held response is approved
    first: answering it is accepting it.
    """
    parent = get_object_or_404(listing.readers_responses().select_related("post", "parent"), pk=pk)
    item = listing.items([parent])[0]
    back = safe_next(
        request, request.POST.get("next") or request.GET.get("next"), desk_url(focus=pk)
    )
    form = AnswerForm(request.POST if request.method == "POST" else None, prefix_id=pk)
    status = 200
    if request.method == "POST":
        if not item.can_answer:
            form.add_error(None, _("Spam, likes, reposts and mentions cannot be answered."))
        if form.is_valid():
            with transaction.atomic():
                if parent.state != State.APPROVED:
                    services.approve(parent)
                reply = services.answer(
                    parent,
                    form.cleaned_data["text"],
                    language=form.cleaned_data["language"] or None,
                )
            messages.success(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Your answer is published."),
                    reply.get_absolute_url(),
                    _("See it on the post"),
                ),
            )
            return HttpResponseSeeOther(back.split("#")[0] + f"#response-{parent.pk}")
        status = 400
    return render(
        request,
        "conversations/desk/answer.html",
        {"item": item, "form": form, "next": back, "author": identity.author()},
        status=status,
    )
