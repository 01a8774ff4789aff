"""The comment form's target and the pages behind the links sent by mail."""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core import signing
from django.db import OperationalError, transaction
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from salon.blog.models import Post
from salon.core import client_ip
from salon.core.middleware import database_busy

from . import conf, mail, services, tasks, tokens
from .forms import CommentForm
from .models import MailState, OutgoingMail, Response, Scope, State, Subscriber, Subscription


class HttpResponseSeeOther(HttpResponseRedirect):
    """Post/Redirect/Get: after a POST, "see the post page", fetched with GET."""

    status_code = 303


class _CsrfCheck(CsrfViewMiddleware):
    """Django's CSRF check, answering with the reason instead of a 403 page, so the comment
    view can give its own 400 page with the reader's text kept."""

    def _reject(self, request, reason):
        return reason


def _forged(request):
    """Why the comment cannot be taken as sent from this blog's own page, or None.

    A signed-in author's form carries Django's CSRF token, checked as Django does. A reader's
    comes from a page the same for every reader (kept whole, published as a file for the front
    server), which cannot hold a token of theirs: their browser's ``Origin`` header, or its
    ``Referer`` when it sends no ``Origin``, must name this site (the check OWASP's CSRF sheet
    describes). A reader has no session another site could use; what is checked is that
    another site's page did not send a comment in their name.
    """
    if request.user.is_authenticated:
        return _CsrfCheck(lambda request: None).process_view(request, None, (), {})
    if getattr(request, "_dont_enforce_csrf_checks", False):  # Django's test client, as Django
        return None
    origin = request.headers.get("Origin")
    if origin is None:
        referer = urlsplit(request.headers.get("Referer", ""))
        origin = f"{referer.scheme}://{referer.netloc}" if referer.netloc else None
    if origin is None:
        return "neither Origin nor Referer"
    if origin in {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}:
        return None
    return f"sent from {origin}"


def _wants_json(request):
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def _unlocked(request, post):
    return (
        not post.password
        or request.user.is_staff
        or (post.pk in request.session.get("unlocked_posts", []))
    )


def _not_from_here(request):
    if request.user.is_authenticated:
        return _(
            "Your comment could not be accepted because the page was too old or your browser "
            "refused its cookie. It is kept below: please send it again."
        )
    return _(
        "Your comment could not be accepted because your browser did not say it was sent from "
        "this blog's page. It is kept below: please send it again from here."
    )


def _refuse(request, post, form, status=400, messages=(), again=False):
    """The reader's comment back, with what is wrong, in their language."""
    if _wants_json(request):
        errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
        if messages:
            errors.setdefault("__all__", []).extend(str(m) for m in messages)
        return JsonResponse({"errors": errors}, status=status)
    if request.user.is_authenticated:
        get_token(request)  # a fresh CSRF cookie when it was missing
    if not form.data.get("shown"):
        # This page is the reader's own: it carries the time the post's page could not.
        form.data = form.data.copy()
        form.data["shown"] = tokens.form_timestamp(again=True)
    return render(
        request,
        "conversations/comment_refused.html",
        {
            "post": post,
            "form": form,
            "extra_messages": messages,
            "again": again,
            "max_depth": conf.max_depth(),
        },
        status=status,
    )


def _send_again(request, post, form):
    """The comment back, once, to be sent again from a page that carries the form's signed time.

    The post's page is the same for every reader and carries none; its script asks for one when
    the reader starts on the form, and this reader's browser ran no script. Pressing the button
    is all that is left to do: a robot that sends this page back at once is caught by the
    shorter delay of an "again" time (``conf.min_seconds_again``)."""
    message = _("To tell people from robots, please send your comment once more.")
    if _wants_json(request):
        return JsonResponse(
            {"errors": {"shown": [message]}, "shown": tokens.form_timestamp()}, status=400
        )
    return _refuse(request, post, form, status=200, messages=[message], again=True)


@never_cache
@require_GET
def form_stamp(request):
    """The comment form's signed "shown at" time, which the post page's script asks for when the
    reader starts on the form (``conversations/comment-form.js``)."""
    return JsonResponse({"shown": tokens.form_timestamp()})


@csrf_exempt  # checked below, to answer with the form kept rather than a bare 403
@require_POST
def post_comment(request, post_id):
    post = Post.objects.published().filter(pk=post_id).first()
    if post is None or not _unlocked(request, post):
        raise Http404(_("No post at this address."))
    limit = conf.rate_limit()
    if limit is not None and limit.hit("comment", client_ip(request) or "unknown"):
        page = render(
            request, "conversations/rate_limited.html", {"post": post, "limit": limit}, status=429
        )
        page["Retry-After"] = str(limit.seconds)
        return page
    form = CommentForm(request.POST, post=post)
    if _forged(request) is not None:
        form.is_valid()  # so the page can show what was typed, cleaned or not
        return _refuse(request, post, form, messages=[_not_from_here(request)])
    if not form.is_valid():
        return _refuse(request, post, form)
    if form.unstamped and not request.user.is_authenticated:
        return _send_again(request, post, form)
    if request.user.is_staff and form.parent_response is not None:
        return _answer_from_the_page(request, post, form)

    try:
        with transaction.atomic():
            response = services.submit_response(form.build_response(request))
            confirmation_needed = False
            if form.cleaned_data.get("notify") and response.state != State.SPAM:
                confirmation_needed = _subscribe(response, form.cleaned_data["notify_scope"])
    except OperationalError as error:
        # SQLite's one writer was busy for longer than its timeout (a large import holds it for
        # its whole transaction): nothing was stored; the reader keeps the text and is told.
        if not database_busy(error):
            raise
        busy = _refuse(
            request,
            post,
            form,
            status=503,
            messages=[
                _(
                    "The blog is busy for a moment (the author may be importing posts) and could not "
                    "store your comment. It is kept below: please send it again in a minute."
                )
            ],
        )
        busy["Retry-After"] = "60"
        return busy

    # The transaction has committed: the confirmation mail was sent by now, or is on its way
    # (a worker will send it, or the mail server refused and it will be tried again).
    confirmation = _confirmation_mail(response.author_email) if confirmation_needed else ""
    if _wants_json(request):
        return JsonResponse(
            {
                "id": response.pk,
                "state": "pending" if response.state == State.SPAM else response.state,
                "url": response.get_absolute_url(),
                "confirmation": confirmation or None,
                "confirmation_sent": confirmation == CONFIRMATION_SENT,
            },
            status=201,
        )
    url = post.get_absolute_url()
    confirm = f"&confirm={confirmation}" if confirmation else ""
    if response.state == State.APPROVED:
        return HttpResponseSeeOther(
            f"{url}?comment=published{confirm}#response-{response.pk}"
            if confirm
            else f"{url}#response-{response.pk}"
        )
    # Spam is told the same as a held comment: a robot learns nothing.
    return HttpResponseSeeOther(f"{url}?comment=held{confirm}#respond")


def _answer_from_the_page(request, post, form):
    """The signed-in author replying on the post page answers as on the desk
    (``services.answer``): the public name, whatever the form's name field says, and the
    answer goes back through the door of the response it answers."""
    parent = Response.objects.select_related("post").get(pk=form.parent_response.pk)
    reply = services.answer(parent, form.cleaned_data["text"])
    if _wants_json(request):
        return JsonResponse(
            {
                "id": reply.pk,
                "state": reply.state,
                "url": reply.get_absolute_url(),
                "confirmation": None,
                "confirmation_sent": False,
            },
            status=201,
        )
    return HttpResponseSeeOther(f"{post.get_absolute_url()}#response-{reply.pk}")


CONFIRMATION_SENT = "sent"
CONFIRMATION_QUEUED = "queued"


def _confirmation_mail(email):
    """``sent`` when the confirmation mail to ``email`` has left (the outbox says so), else
    ``queued``: the reader is told a link was sent only once it was."""
    state = (
        OutgoingMail.objects.filter(purpose=mail.CONFIRMATION, to=email)
        .order_by("-created_at")
        .values_list("state", flat=True)
        .first()
    )
    return CONFIRMATION_SENT if state == MailState.SENT else CONFIRMATION_QUEUED


def _subscribe(response, scope):
    """Subscribe the commenter; returns True when a confirmation mail was asked for."""
    subscriber, _created = Subscriber.objects.get_or_create(email=response.author_email)
    if (
        scope == Scope.REPLIES
        or not subscriber.subscriptions.filter(post=response.post, scope=Scope.ALL).exists()
    ):
        Subscription.objects.create(
            subscriber=subscriber,
            post=response.post,
            scope=scope,
            response=response if scope == Scope.REPLIES else None,
            language=get_language() or "en",
            active=subscriber.is_confirmed,
        )
    if subscriber.is_confirmed:
        return False
    subscriber_id, language, post_id = subscriber.pk, get_language() or "en", response.post_id
    tasks.confirm_later(subscriber_id, language, post_id)
    return True


def _message(request, title, message, status=200, **extra):
    return render(
        request,
        "conversations/message.html",
        {"title": title, "message": message, **extra},
        status=status,
    )


def _bad_link(request):
    return _message(
        request,
        _("This link does not work"),
        _("The link is incomplete, was changed, or has expired."),
        status=400,
    )


# The state each moderation link asks for, and the link that puts a state back (undo).
_MODERATION = {"approve": State.APPROVED, "spam": State.SPAM, "hold": State.PENDING}
_RESTORE = {state: action for action, state in _MODERATION.items()}


@require_http_methods(["GET", "POST"])
def moderate(request, token):
    """The moderation links of the author's mail. Mail scanners follow every link of a message,
    so a visit (GET) never acts: the signed-in author lands on the desk with the action ready to
    confirm in one click; anyone else holding the link sees the response and one button, whose
    POST acts (the signed link is the permission, no sign-in needed). The result page offers to
    undo.
    """
    try:
        response_id, post_id, action, state_when_signed = tokens.read_moderation_token(token)
    except signing.BadSignature:
        return _bad_link(request)
    response = (
        Response.objects.select_related("post").filter(pk=response_id, post_id=post_id).first()
    )
    if response is None:
        return _message(
            request, _("Nothing to moderate"), _("This response no longer exists."), status=404
        )
    target = _MODERATION[action]
    if request.method == "GET":
        if request.user.is_staff:
            desk = reverse("conversations:desk")
            return HttpResponseRedirect(
                f"{desk}?{urlencode({'focus': response.pk, 'do': action})}#desk-focus"
            )
        return render(
            request,
            "conversations/moderate.html",
            {
                "response": response,
                "action": action,
                "target": target,
                "changed_since_mail": state_when_signed is not None
                and response.state != state_when_signed,
            },
        )
    previous = response.state
    if previous != target:
        services.moderate(response, target)
    return render(
        request,
        "conversations/moderated.html",
        {
            "response": response,
            "action": action,
            "spam_retention_days": conf.spam_retention_days(),
            # Undo puts back the state the response had before this link acted.
            "undo_url": reverse(
                "conversations:moderate",
                args=[tokens.moderation_token(response, _RESTORE[previous])],
            )
            if previous != target
            else "",
            "previous_state": State(previous).label,
        },
    )


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """Confirm an address: its waiting subscriptions start, later ones need no confirmation."""
    try:
        subscriber_id, email = tokens.read_confirmation_token(token)
    except signing.BadSignature:
        return _bad_link(request)
    subscriber = Subscriber.objects.filter(pk=subscriber_id, email=email).first()
    if subscriber is None:
        return _bad_link(request)
    if request.method == "GET" and not subscriber.is_confirmed:
        return render(request, "conversations/confirm.html", {"subscriber": subscriber})
    with transaction.atomic():
        if not subscriber.is_confirmed:
            subscriber.confirmed_at = timezone.now()
            subscriber.save(update_fields=["confirmed_at"])
        subscriber.subscriptions.update(active=True)
    return _message(
        request,
        _("Subscription confirmed"),
        _("You will receive an e-mail for each new comment you asked for."),
    )


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without cookies
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        subscription_id, email = tokens.read_unsubscribe_token(token)
    except signing.BadSignature:
        return _bad_link(request)
    subscription = (
        Subscription.objects.select_related("post", "subscriber")
        .filter(pk=subscription_id, subscriber__email=email)
        .first()
    )
    if subscription is None:
        return _message(
            request,
            _("Unsubscribed"),
            _("This address receives no more e-mails about these comments."),
        )
    with translation.override(subscription.language):
        if request.method == "GET":
            return render(
                request,
                "conversations/unsubscribe.html",
                {"subscription": subscription, "token": token},
            )
        post = subscription.post
        # Everything this address follows on this post: one click, and the post goes quiet.
        Subscription.objects.filter(subscriber=subscription.subscriber, post=post).delete()
        return _message(
            request,
            _("Unsubscribed"),
            _("This address receives no more e-mails about the comments on “%(title)s”.")
            % {"title": post.title},
            link=post.get_absolute_url(),
        )
