"""Discovery (WebFinger, NodeInfo), the actors, their collections, the inboxes, and the
ActivityPub form of posts and of the author's answers."""

from importlib.metadata import PackageNotFoundError, version

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from salon.blog.models import Post, day_bounds
from salon.conversations.models import Response, State

from . import conf, inbox, objects, tasks
from .models import Activity, FederatedPost, FederatedResponse, Follower
from .negotiation import activity_json, wants_activitypub

JRD = "application/jrd+json"


def _salon_version():
    try:
        return version("salon")
    except PackageNotFoundError:
        return "0"


def webfinger(request):
    resource = request.GET.get("resource", "").strip()
    if not resource:
        return JsonResponse({"error": _("The resource parameter is missing.")}, status=400)
    user, host = conf.handle()
    names = {f"acct:{user}@{host}", objects.actor_id(), conf.site_url() + "/"}
    if resource.lower() not in {n.lower() for n in names}:
        return JsonResponse({"error": _("No such account here.")}, status=404)
    document = {
        "subject": f"acct:{user}@{host}",
        "aliases": [objects.actor_id(), conf.site_url() + "/"],
        "links": [
            {"rel": "self", "type": conf.AP_CONTENT_TYPE, "href": objects.actor_id()},
            {
                "rel": "http://webfinger.net/rel/profile-page",
                "type": "text/html",
                "href": conf.site_url() + "/",
            },
        ],
    }
    photo = conf.author().photo
    if photo:
        document["links"].append({"rel": "http://webfinger.net/rel/avatar", "href": photo})
    response = JsonResponse(document, content_type=JRD)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def nodeinfo_index(request):
    return JsonResponse(
        {
            "links": [
                {
                    "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
                    "href": objects.url("nodeinfo"),
                }
            ]
        }
    )


def nodeinfo(request):
    document = {
        "version": "2.1",
        "software": {
            "name": "salon",
            "version": _salon_version(),
            "homepage": conf.site_url() + "/",
        },
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": ["atom1.0", "rss2.0"]},
        "openRegistrations": False,
        "usage": {
            "users": {"total": 1, "activeHalfyear": 1, "activeMonth": 1},
            "localPosts": Post.objects.listed().count(),
            "localComments": Response.objects.approved().count(),
        },
        "metadata": {"nodeName": conf.author().name},
    }
    return JsonResponse(
        document,
        content_type='application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"',
    )


def actor(request):
    if wants_activitypub(request):
        return activity_json(objects.person())
    response = render(
        request,
        "federation/actor.html",
        {
            "author_name": conf.author().name,
            "handle": conf.handle_text(),
            "followers": Follower.objects.count(),
            "actor_url": objects.actor_id(),
        },
    )
    patch_vary_headers(response, ["Accept"])
    return response


def instance(request):
    return activity_json(objects.application())


@csrf_exempt
def inbox_view(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        received = inbox.accept(request)
    except inbox.Refused as refused:
        response = JsonResponse({"error": refused.message}, status=refused.status)
        if refused.retry_after:
            response["Retry-After"] = str(refused.retry_after)
        return response
    if received is not None:
        tasks.process_later(received.pk)
    return HttpResponse(status=202)


def _collection(name, total, first=None, items=None):
    document = {
        "@context": conf.AS_CONTEXT,
        "id": objects.url(name),
        "type": "OrderedCollection",
        "totalItems": total,
    }
    if first:
        document["first"] = first
    if items is not None:
        document["orderedItems"] = items
    return document


def _create_of(post):
    article = objects.article(post)
    return {
        "id": article["id"] + "#create",
        "type": "Create",
        "actor": objects.actor_id(),
        "published": article["published"],
        "to": article["to"],
        "cc": article["cc"],
        "object": {k: v for k, v in article.items() if k != "@context"},
    }


def outbox(request):
    posts = Post.objects.listed().filter(password="").prefetch_related("tags", "summaries")
    page_number = request.GET.get("page")
    if not page_number:
        return activity_json(
            _collection("outbox", posts.count(), first=objects.url("outbox") + "?page=1")
        )
    if not page_number.isdigit() or int(page_number) < 1:
        raise Http404
    paginator = Paginator(posts.order_by("-published_at", "-id"), conf.OUTBOX_PAGE_SIZE)
    if int(page_number) > max(paginator.num_pages, 1):
        raise Http404
    page = paginator.page(int(page_number))
    document = {
        "@context": objects.CONTEXT,
        "id": objects.url("outbox") + f"?page={page.number}",
        "type": "OrderedCollectionPage",
        "partOf": objects.url("outbox"),
        "totalItems": paginator.count,
        "orderedItems": [_create_of(post) for post in page.object_list],
    }
    if page.has_next():
        document["next"] = objects.url("outbox") + f"?page={page.next_page_number()}"
    if page.has_previous():
        document["prev"] = objects.url("outbox") + f"?page={page.previous_page_number()}"
    return activity_json(document)


def followers(request):
    """The count is public; who follows is not."""
    return activity_json(_collection("followers", Follower.objects.count()))


def following(request):
    return activity_json(_collection("following", 0, items=[]))


def featured(request):
    posts = (
        Post.objects.listed().filter(sticky=True, password="").prefetch_related("tags", "summaries")
    )
    items = [{k: v for k, v in objects.article(p).items() if k != "@context"} for p in posts]
    return activity_json(_collection("featured", len(items), items=items))


def replies(request, post_id):
    post = Post.objects.listed().filter(pk=post_id, password="").first()
    if post is None:
        raise Http404
    links = FederatedResponse.objects.filter(
        response__post=post, response__state=State.APPROVED, response__parent=None
    ).values_list("ap_id", flat=True)
    document = {
        "@context": conf.AS_CONTEXT,
        "id": objects.url("replies", post_id=post.pk),
        "type": "OrderedCollection",
        "totalItems": len(links),
        "orderedItems": list(links),
    }
    return activity_json(document)


def activity(request, uid):
    row = Activity.objects.filter(uid=uid).first()
    if row is None or row.kind not in ("Create", "Update", "Delete", "Move"):
        raise Http404
    return activity_json(dict(row.payload))


def answer(request, pk):
    link = (
        FederatedResponse.objects.select_related("response__post")
        .filter(response_id=pk, outgoing=True)
        .first()
    )
    if link is None or link.response.state != State.APPROVED:
        raise Http404
    parent = (
        FederatedResponse.objects.select_related("actor")
        .filter(response=link.response.parent)
        .first()
    )
    if parent is None or parent.actor is None:
        raise Http404
    if not wants_activitypub(request):
        return redirect(link.response.get_absolute_url())
    return activity_json(objects.answer_note(link.response, parent))


def post_object(request, year, month, day, slug):
    """A post's permalink, asked for by an ActivityPub client (see the middleware)."""
    gone = tombstone_at(request.path)
    bounds = day_bounds(int(year), int(month), int(day))
    post = (
        Post.objects.listed().filter(slug=slug, password="").prefetch_related("tags", "summaries")
    )
    post = post.first() if bounds else None
    if post is None or not bounds[0] <= post.published_at < bounds[1]:
        if gone is not None:
            return gone
        return activity_json({"error": _("No post at this address.")}, status=404)
    return activity_json(objects.article(post))


def tombstone_at(path):
    record = FederatedPost.objects.filter(path=path, state=FederatedPost.DELETED).first()
    if record is None:
        return None
    return activity_json(objects.tombstone(record.ap_id, deleted_at=record.deleted_at), status=410)
