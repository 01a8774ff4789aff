"""Secret preview links: made and revoked by the author, opened by anyone who holds one."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salon.blog.models import Post

from ..forms import PreviewLinkForm
from ..models import PreviewLink
from .access import author_only, private


@require_POST
@author_only
def create_link(request, pk):
    post = get_object_or_404(Post, pk=pk)
    form = PreviewLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how long the link works."))
    else:
        lifetime = PreviewLink.LIFETIMES[form.cleaned_data["days"]]
        PreviewLink.objects.create(post=post, expires_at=timezone.now() + lifetime)
        messages.success(request, _("A new preview link is ready: copy it below."))
    return redirect("studio:edit", pk=post.pk)


@require_POST
@author_only
def revoke_link(request, pk, link_id):
    link = get_object_or_404(PreviewLink, pk=link_id, post_id=pk)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    messages.success(request, _("The preview link is revoked: it no longer opens the post."))
    return redirect("studio:edit", pk=pk)


def shared_preview(request, token):
    """The post as readers will see it, for whoever holds the link: never indexed, never kept
    by any cache, never sending the secret address on as a referrer."""
    link = (
        PreviewLink.objects.active()
        .select_related("post", "post__series")
        .filter(token=token)
        .first()
    )
    if link is None:
        raise Http404(_("This preview link has expired or was revoked."))
    post = link.post
    response = render(
        request,
        "studio/shared_preview.html",
        {"post": post, "link": link, "series_total": post.series_total()},
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return private(response)
