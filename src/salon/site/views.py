from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from . import icon


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    """/favicon.ico, which browsers ask for whatever the page links: the configured icon (served,
    or a redirect to its address), else Salon's own."""
    kind, value = icon.configured_icon()
    if kind == "url":
        return HttpResponseRedirect(value)
    if kind == "file":
        try:
            return FileResponse(value.open("rb"), content_type=icon.image_type(value.name))
        except OSError:
            raise Http404("SALON_SITE_ICON cannot be read.") from None
    return HttpResponse(icon.default_ico(), content_type="image/vnd.microsoft.icon")
