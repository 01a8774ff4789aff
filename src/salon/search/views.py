"""The search page: ``/search/?q=…&lang=…&tag=…&year=…&page=…``."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from salon.blog.models import Tag

from .engine import search
from .forms import SearchForm
from .models import SearchDocument


class _KnownTotal:
    """What Django's Paginator needs from a page of hits whose total is already known."""

    def __init__(self, hits, total, offset):
        self.hits, self.total, self.offset = hits, total, offset

    def count(self):
        return self.total

    def __getitem__(self, item):
        return self.hits


def _years():
    """The years of the filter, newest first: from the first to the last published post (two
    index lookups, however large the blog; a year without posts simply finds nothing)."""
    dates = SearchDocument.objects.filter(published_at__lte=timezone.now()).values_list(
        "published_at", flat=True
    )
    first = dates.order_by("published_at").first()
    if first is None:
        return []
    last = dates.order_by("-published_at").first()
    first, last = timezone.localtime(first).year, timezone.localtime(last).year
    return list(range(last, first - 1, -1))


@require_safe
def search_view(request):
    tags = list(Tag.objects.order_by("name").values_list("slug", "name"))
    years = _years()
    form = SearchForm(request.GET or None, tags=tags, years=years)
    context = {"form": form, "query": "", "result": None}
    if form.is_bound:
        form.is_valid()
        query = form.value("q", "")
        per_page = settings.SALON_POSTS_PER_PAGE
        result = search(
            query,
            language=form.value("lang"),
            tag=form.value("tag"),
            year=form.value("year"),
            page=form.value("page", 1),
            per_page=per_page,
            reader_language=get_language(),
        )
        context.update(query=query, result=result)
        if result.hits:
            paginator = Paginator(
                _KnownTotal(result.hits, result.total, (result.page - 1) * per_page), per_page
            )
            page_obj = paginator.page(result.page)
            context.update(page_obj=page_obj, is_paginated=paginator.num_pages > 1)
        context["filtered"] = any(form.value(name) for name in ("lang", "tag", "year"))
        context["tag_names"] = dict(tags)
    return render(request, "search/search.html", context)
