"""The private reader, for staff only: the river of followed sites, following, OPML.

No view fetches anything: discovery and refreshes are tasks, and pages read what they stored.
"""

from datetime import timedelta
from urllib.parse import unquote, urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from salon import languages

from .. import opml, parsing, schedule
from ..forms import FollowForm, OPMLImportForm
from ..models import Discovery, DiscoveryState, Entry, Subscription, SubscriptionState
from ..tasks import can_schedule, discover_later, ensure_scheduled, refresh_later

ENTRIES_PER_PAGE = 40


def _next_url(request, fallback):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _positive_int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def reply_url(entry):
    """The admin's "add post" form, prefilled as a reply to ``entry``."""
    params = {"in_reply_to_url": entry.url}
    if entry.display_title:
        params["title"] = _("Re: %(title)s") % {"title": entry.display_title}
    language = (entry.language or "").split("-")[0].lower()
    if languages.is_content_language(language):
        params["language"] = language
    return reverse("admin:blog_post_add") + "?" + urlencode(params)


def shown_enclosures(entry):
    """The entry's attached files as the page shows them: audio and video get a native player,
    images an ``<img>``, every file a link. Only http(s) addresses, checked again here (the
    parser keeps no other, but a page never trusts stored feed data to have been cleaned)."""
    shown = []
    for item in entry.enclosures if isinstance(entry.enclosures, list) else []:
        if not isinstance(item, dict):
            continue
        url = parsing.absolute_http_url(item.get("url"), "")
        if not url:
            continue
        media_type = item.get("type") or ""
        kind = media_type.split("/")[0] if media_type.split("/")[0] in MEDIA_KINDS else "file"
        name = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1] or urlsplit(url).netloc
        length = item.get("length")
        shown.append(
            {
                "url": url,
                "type": media_type,
                "kind": kind,
                "title": item.get("title") or "",
                "name": unquote(name),
                "length": length if isinstance(length, int) else None,
            }
        )
    return shown


MEDIA_KINDS = {"audio", "video", "image"}


def group_by_category(sites):
    """``[(category, [sites])]``: the sites without a category first, then each category in
    alphabetical order (a folder inside another sorts under it: "Tech / Python")."""
    groups = {}
    for site in sites:
        groups.setdefault(site.category, []).append(site)
    return sorted(groups.items(), key=lambda group: (group[0] != "", group[0].casefold()))


def _refresh_soon(subscription_ids):
    ids = list(subscription_ids)
    if ids:
        refresh_later(ids)


@staff_member_required
@require_GET
def river(request, pk=None):
    """Newest entries first (by when Salon first saw them), from all followed sites or one."""
    ensure_scheduled()
    site = get_object_or_404(Subscription, pk=pk) if pk is not None else None
    show = "all" if request.GET.get("show") == "all" else "unread"
    entries = Entry.objects.river()
    entries = (
        entries.filter(subscription=site) if site else entries.filter(subscription__followed=True)
    )
    if show == "unread":
        entries = entries.unread()
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    for entry in page.object_list:
        entry.reply_url = reply_url(entry) if entry.url else ""
        # "Read here" only when the full text says more than the excerpt shown.
        entry.has_more = len(entry.content_html) > len(entry.summary_text) + 40
        entry.attachments = shown_enclosures(entry)
    sites = (
        Subscription.objects.followed()
        .annotate(unread=Count("entries", filter=Q(entries__is_read=False)))
        .order_by("title", "feed_url")
    )
    categories = group_by_category(sites)
    context = {
        "site": site,
        "show": show,
        "page_obj": page,
        "entries": page.object_list,
        "sites": sites,
        "categories": categories,
        "up_to": entries.aggregate(last=Max("id"))["last"],
        "total_unread": Entry.objects.filter(subscription__followed=True, is_read=False).count(),
    }
    return render(request, "reader/river.html", context)


@staff_member_required
@require_POST
def mark_entry(request, pk):
    """Mark one entry read (``read=1``) or unread (``read=0``)."""
    entry = get_object_or_404(Entry, pk=pk)
    entry.is_read = request.POST.get("read", "1") != "0"
    entry.save(update_fields=["is_read"])
    fallback = reverse("reader:river")
    return HttpResponseRedirect(_next_url(request, fallback))


@staff_member_required
@require_POST
def mark_all_read(request):
    """Mark read every entry shown up to the page's newest (later arrivals stay unread)."""
    up_to = _positive_int(request.POST.get("up_to"))
    fallback = reverse("reader:river")
    if up_to is None:
        messages.error(request, _("Nothing to mark as read."))
        return HttpResponseRedirect(_next_url(request, fallback))
    entries = Entry.objects.filter(id__lte=up_to, is_read=False)
    site_id = _positive_int(request.POST.get("site"))
    if site_id:
        entries = entries.filter(subscription_id=site_id)
    else:
        entries = entries.filter(subscription__followed=True)
    count = entries.update(is_read=True)
    messages.success(
        request,
        ngettext("%(count)d entry marked as read.", "%(count)d entries marked as read.", count)
        % {"count": count},
    )
    return HttpResponseRedirect(_next_url(request, fallback))


@staff_member_required
@require_GET
def subscriptions(request):
    return _subscriptions_page(request, FollowForm(), OPMLImportForm())


def _subscriptions_page(request, follow_form, import_form, status=200):
    context = {
        "follow_form": follow_form,
        "import_form": import_form,
        "followed": Subscription.objects.followed().order_by("title", "feed_url"),
        "challenge_only": Subscription.objects.filter(followed=False)
        .prefetch_related("participants__challenge")
        .order_by("title", "feed_url"),
        "schedule": schedule.status(),
        "scheduled": can_schedule(),
    }
    return render(request, "reader/subscriptions.html", context, status=status)


@staff_member_required
@require_POST
def follow(request):
    """Start discovery for a pasted address; the next page shows what was found."""
    form = FollowForm(request.POST)
    if not form.is_valid():
        return _subscriptions_page(request, form, OPMLImportForm(), status=400)
    discovery = Discovery.objects.create(url=form.cleaned_data["url"])
    Discovery.objects.filter(created_at__lt=timezone.now() - timedelta(days=2)).delete()
    discover_later(discovery.pk)
    return redirect("reader:discovery", pk=discovery.pk)


@staff_member_required
@require_GET
def discovery(request, pk):
    found = get_object_or_404(Discovery, pk=pk)
    followed = set(
        Subscription.objects.filter(
            feed_url__in=[feed.get("url", "") for feed in found.feeds], followed=True
        ).values_list("feed_url", flat=True)
    )
    feeds = [
        dict(feed, index=index, followed=feed.get("url") in followed)
        for index, feed in enumerate(found.feeds)
    ]
    return render(
        request,
        "reader/discovery.html",
        {
            "discovery": found,
            "feeds": feeds,
            "pending": found.state == DiscoveryState.PENDING,
            "follow_form": FollowForm(initial={"url": found.url}),
        },
    )


@staff_member_required
@require_POST
def subscribe(request, pk):
    """Follow one of the feeds a discovery found."""
    found = get_object_or_404(Discovery, pk=pk, state=DiscoveryState.DONE)
    index = request.POST.get("feed", "")
    if not index.isdigit() or int(index) >= len(found.feeds):
        messages.error(request, _("Choose one of the feeds found."))
        return redirect("reader:discovery", pk=found.pk)
    feed = found.feeds[int(index)]
    with transaction.atomic():
        subscription, created = Subscription.objects.get_or_create(
            feed_url=feed["url"],
            defaults={
                "title": (feed.get("title") or "")[:300],
                "site_url": (feed.get("site_url") or "")[:1000],
                "kind": feed.get("kind") or "",
            },
        )
        if not subscription.followed:
            subscription.followed = True
            subscription.save(update_fields=["followed"])
        if created or subscription.last_success_at is None:
            _refresh_soon([subscription.pk])
    ensure_scheduled()
    if created:
        messages.success(
            request,
            _("You now follow “%(title)s”. Its newest entries appear as soon as it has been read.")
            % {"title": subscription.display_title},
        )
    else:
        messages.info(request, _("You follow “%(title)s”.") % {"title": subscription.display_title})
    return redirect(subscription.get_absolute_url())


@staff_member_required
@require_POST
def subscription_action(request, pk):
    """Check now, resume a gone feed, or unfollow."""
    subscription = get_object_or_404(Subscription, pk=pk)
    action = request.POST.get("action")
    title = subscription.display_title
    if action == "refresh":
        if subscription.is_gone:
            messages.error(
                request,
                _("“%(title)s” is gone; use “Check again” to try it once more.") % {"title": title},
            )
        else:
            _refresh_soon([subscription.pk])
            messages.success(request, _("Checking “%(title)s” now.") % {"title": title})
    elif action == "resume":
        Subscription.objects.filter(pk=pk).update(
            state=SubscriptionState.NEW,
            error_count=0,
            next_check_at=timezone.now(),
            etag="",
            last_modified="",
        )
        _refresh_soon([subscription.pk])
        messages.success(request, _("“%(title)s” will be checked again.") % {"title": title})
    elif action == "unfollow":
        if subscription.participants.exists():
            # Still read for a challenge: hide it from the reader, keep its entries.
            subscription.followed = False
            subscription.save(update_fields=["followed"])
        else:
            subscription.delete()
        messages.success(request, _("You no longer follow “%(title)s”.") % {"title": title})
    else:
        messages.error(request, _("Unknown action."))
    return HttpResponseRedirect(_next_url(request, reverse("reader:subscriptions")))


@staff_member_required
@require_GET
def export_opml(request):
    outlines = [
        opml.OutlineRecord.of(sub)
        for sub in Subscription.objects.followed().order_by("category", "title", "feed_url")
    ]
    title = _("Feeds followed by %(site)s") % {"site": settings.SALON_SITE_NAME}
    response = HttpResponse(
        opml.export_opml(outlines, title), content_type="text/x-opml; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="salon-subscriptions.opml"'
    return response


@staff_member_required
@require_POST
def import_opml(request):
    form = OPMLImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _subscriptions_page(request, FollowForm(), form, status=400)
    try:
        parsed = opml.parse_opml(form.cleaned_data["file"].read())
    except opml.OPMLError as exc:
        form.add_error("file", str(exc))
        return _subscriptions_page(request, FollowForm(), form, status=400)
    report = opml.import_records(parsed.records)
    _refresh_soon(sub.pk for sub in report.added + report.refollowed)
    ensure_scheduled()
    messages.success(
        request,
        ngettext(
            "Imported %(added)d new feed (%(refollowed)d followed again, %(already)d already "
            "followed).",
            "Imported %(added)d new feeds (%(refollowed)d followed again, %(already)d already "
            "followed).",
            len(report.added),
        )
        % {
            "added": len(report.added),
            "refollowed": len(report.refollowed),
            "already": len(report.already),
        },
    )
    skipped = parsed.skipped + report.skipped
    for item in skipped[:MAX_SKIPPED_MESSAGES]:
        messages.warning(request, skipped_message(item))
    if len(skipped) > MAX_SKIPPED_MESSAGES:
        rest = len(skipped) - MAX_SKIPPED_MESSAGES
        messages.warning(
            request,
            ngettext(
                "…and %(count)d more outline skipped.",
                "…and %(count)d more outlines skipped.",
                rest,
            )
            % {"count": rest},
        )
    return redirect("reader:subscriptions")


# Each skipped outline is one message; a file of thousands says how many more there were.
MAX_SKIPPED_MESSAGES = 20


def skipped_message(item):
    """What the import page says of one outline it did not follow."""
    title = item.title or item.address or _("(untitled)")
    if item.reason == opml.SkipReason.NO_URL:
        text = _("Skipped: “%(title)s” (no xmlUrl).")
    elif item.reason == opml.SkipReason.BAD_URL:
        text = _("Skipped: “%(title)s” (not a web address: %(address)s).")
    elif item.reason == opml.SkipReason.TWICE:
        text = _("Skipped: “%(title)s” (listed twice in the file).")
    else:
        text = _("Skipped: “%(title)s” (already followed).")
    return text % {"title": title, "address": item.address}
