"""``/write/translations/?q=…&language=…&exclude=…``: posts suggested for "Translation of",
by title, in the other languages (the author only; never kept by any cache)."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from .. import translations
from .access import author_only


@require_GET
@author_only
def search(request):
    exclude = request.GET.get("exclude", "")
    return JsonResponse(
        {
            "results": translations.suggestions(
                request.GET.get("q", ""),
                language=request.GET.get("language", "")[:10],
                exclude=int(exclude) if exclude.isdigit() else None,
            )
        }
    )
