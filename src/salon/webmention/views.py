"""The receiving endpoint, the status page of a received Webmention, "my conversations"."""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from salon.core import client_ip

from . import conf, receiving, replies, tasks
from .models import ReceivedWebmention


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request):
    """W3C Webmention receiving endpoint: validate now, verify later (201 + status page)."""
    if request.method != "POST":
        return render(request, "webmention/endpoint.html")
    try:
        source, target, post = receiving.check_request(
            request.POST.get("source"), request.POST.get("target")
        )
    except receiving.Refused as refused:
        response = HttpResponse(
            refused.message + "\n",
            status=refused.status,
            content_type="text/plain; charset=utf-8",
        )
        if refused.retry_after:
            response["Retry-After"] = str(refused.retry_after)
        return response
    row = receiving.receive(source, target, post, ip_address=client_ip(request))
    tasks.verify_later(row.pk)
    location = conf.site_url() + reverse("webmention:status", kwargs={"token": row.token})
    response = render(
        request, "webmention/accepted.html", {"row": row, "location": location}, status=201
    )
    response["Location"] = location
    return response


def status(request, token):
    row = get_object_or_404(
        ReceivedWebmention.objects.select_related("post", "response"), token=token
    )
    return render(request, "webmention/status.html", {"row": row})


@staff_member_required
def my_conversations(request):
    """Every reply the author made elsewhere, with what came back, newest activity first."""
    page = Paginator(replies.conversations(), 20).get_page(request.GET.get("page"))
    return render(request, "webmention/conversations.html", {"page_obj": page})
