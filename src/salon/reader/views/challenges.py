"""Public challenge pages: who takes part, their posts, one river, its feeds and an OPML file."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import opml
from ..challenges import standings
from ..models import Challenge


@require_GET
def challenge_list(request):
    return render(
        request,
        "reader/challenge_list.html",
        {
            "challenges": Challenge.objects.all(),
        },
    )


@require_GET
def challenge_detail(request, slug):
    challenge = get_object_or_404(Challenge, slug=slug)
    participants, river = standings(challenge)
    return render(
        request,
        "reader/challenge_detail.html",
        {
            "challenge": challenge,
            "participants": participants,
            "river": river,
        },
    )


@require_GET
def participants_opml(request, slug):
    challenge = get_object_or_404(Challenge, slug=slug)
    participants, _river = standings(challenge)
    outlines = [
        opml.OutlineRecord(
            feed_url=standing.feed_url, title=standing.name, site_url=standing.blog_url
        )
        for standing in participants
    ]
    title = _("Participants of %(challenge)s") % {"challenge": challenge.name}
    response = HttpResponse(
        opml.export_opml(outlines, title), content_type="text/x-opml; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{challenge.slug}-participants.opml"'
    return response
