"""The search page: ``/search/?q=…&lang=…&tag=…&year=…&page=…``."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from salon.blog.models import Tag
from salon.core import fragments

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


def _filter_values(request):
    """Every tag (slug, name) and the years of the filters, read once per generation."""
    return fragments.fragment(
        request,
        ("search-filters",),
        lambda: (list(Tag.objects.order_by("name").values_list("slug", "name")), _years()),
    )


def _options(request, form, name, with_language=False):
    """A filter's ``<option>`` elements, the chosen one selected. Their HTML (a blog may have
    hundreds of tags) is made once per generation and interface language; only the one
    ``selected`` changes from one search to the next."""
    choices = form.fields[name].choices

    def make():
        return format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (value, format_html(' lang="{}"', value) if with_language and value else "", label)
                for value, label in choices
            ),
        )

    html = fragments.fragment(request, ("search-options", name, get_language()), make)
    chosen = form.value(name) if form.is_bound else None
    if chosen:
        opening = f'<option value="{escape(chosen)}"'
        html = html.replace(opening, opening + " selected", 1)
    return mark_safe(html)


@require_safe
def search_view(request):
    tags, years = _filter_values(request)
    form = SearchForm(request.GET or None, tags=tags, years=years)
    context = {
        "form": form,
        "query": "",
        "result": None,
        "language_options": _options(request, form, "lang", with_language=True),
        "tag_options": _options(request, form, "tag"),
        "year_options": _options(request, form, "year"),
    }
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
            request=request,
        )
        context.update(query=query, result=result)
        if result.hits:
            if result.hits_html is None:  # made once for a kept result (one reader language)
                result.hits_html = render_to_string(
                    "search/includes/results.html", {"result": result}, request
                )
            context["hits_html"] = mark_safe(result.hits_html)
            paginator = Paginator(
                _KnownTotal(result.hits, result.total, (result.page - 1) * per_page), per_page
            )
            page_obj = paginator.page(result.page)
            context.update(page_obj=page_obj, is_paginated=paginator.num_pages > 1)
        context["filtered"] = any(form.value(name) for name in ("lang", "tag", "year"))
        context["tag_names"] = dict(tags)
    return render(request, "search/search.html", context)
