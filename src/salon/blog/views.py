"""The public blog: rivers (all posts, one language), archives, tags, series, permalinks, pages."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import ListView

from salon import languages
from salon.core import fragments

from . import cards, descriptions
from .models import Page, Post, Series, Tag, day_bounds, year_bounds


def river_posts():
    """Published posts as rivers list them; their cards (``cards.attach_cards``) read what
    else they show, in a constant number of queries, only for the cards not kept."""
    return Post.objects.listed().select_related("series").order_by("-published_at", "-id")


class Deferred:
    """A river's queryset, built only when it is read. A river page whose list of posts and
    count are kept (``cards.page_of_cards``, ``KeptCountPaginator``) never reads it, and
    building it costs more than the rest of the view: the language river's filters take
    about a fifth of its whole request to build."""

    ordered = True  # every river is ordered (the paginator asks)

    def __init__(self, build):
        self._build, self._queryset = build, None

    @property
    def queryset(self):
        if self._queryset is None:
            self._queryset = self._build()
        return self._queryset

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self.queryset[key]
        return Deferred(lambda: self.queryset[key])

    def __iter__(self):
        return iter(self.queryset)

    def __len__(self):
        return len(self.queryset)

    def __getattr__(self, name):
        return getattr(self.queryset, name)


class KeptCountPaginator(Paginator):
    """A river's number of posts (a COUNT that reads every one of them, so grows with the
    blog) counted once per generation of the public pages (``salon.core.fragments``): the
    address names the river, and any change to the posts, or a scheduled post's publication,
    starts a new generation."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    @cached_property
    def count(self):
        if self.request is None:
            return super().count
        return fragments.fragment(
            self.request, ("river-count", self.request.path), lambda: Paginator.count.func(self)
        )


class RiverView(ListView):
    """A paginated list of posts; subclasses narrow the queryset and name the river."""

    template_name = "blog/river.html"
    context_object_name = "posts"
    allow_empty = True
    river_language = None

    def get_paginate_by(self, queryset):
        return settings.SALON_POSTS_PER_PAGE

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        return KeptCountPaginator(
            queryset, per_page, orphans, allow_empty_first_page, request=self.request, **kwargs
        )

    def get_queryset(self):
        return Deferred(self.river_queryset)

    def river_queryset(self):
        return river_posts()

    def river_title(self):
        return _("All posts")

    def paginate_queryset(self, queryset, page_size):
        paginator, page, posts, is_paginated = super().paginate_queryset(queryset, page_size)
        page.object_list = cards.page_of_cards(
            self.request,
            (self.request.path, page.number),
            posts,
            get_language(),
            self.river_language,
        )
        return paginator, page, page.object_list, is_paginated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["river_language"] = self.river_language
        context["river_title"] = self.river_title()
        return context


class HomeView(RiverView):
    """All posts, in every language. A text and its translation both appear, each in its
    language, each card linking the other: this river is the blog's whole record in the order
    it was written (as the all-posts feeds are), it has no language to prefer (the interface
    language is the reader's tool, not a statement of what they read, and a bilingual reader
    may well want both), and nothing says which of two versions is the original. Readers of one
    language have their own river, where the pair shows once."""


class LanguageRiverView(RiverView):
    """Every post, for readers of one language: posts in that language in full, the others
    compactly through their summary in that language; a text translated into that language
    appears once, as the translation, whose card links the other versions."""

    def river_queryset(self):
        return river_posts().for_readers_of(self.river_language)

    def river_title(self):
        return _("Posts for readers of %(language)s") % {
            "language": languages.language_name(self.river_language)
        }

    def dispatch(self, request, *args, **kwargs):
        self.river_language = kwargs["lang"]
        return super().dispatch(request, *args, **kwargs)


def kept_or_404(request, model, slug):
    """A tag or series by its slug, read once per generation: renaming or deleting one is part
    of the blog's ``posts_changed``, which starts a new one (an unknown slug is looked up at
    each visit, never kept)."""
    return fragments.fragment(
        request,
        ("river-subject", model.__name__, slug),
        lambda: get_object_or_404(model, slug=slug),
    )


class TagView(RiverView):
    def get(self, request, *args, **kwargs):
        self.tag = kept_or_404(request, Tag, self.kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def river_queryset(self):
        return river_posts().filter(tags=self.tag)

    def river_title(self):
        return _("Posts tagged “%(tag)s”") % {"tag": self.tag.name}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tag"] = self.tag
        context["meta_description"] = descriptions.tag_description(self.tag)
        return context


class SeriesView(RiverView):
    template_name = "blog/series.html"

    def get(self, request, *args, **kwargs):
        self.series = kept_or_404(request, Series, self.kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def river_queryset(self):
        return river_posts().filter(series=self.series).order_by("series_position", "published_at")

    def river_title(self):
        return self.series.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["series"] = self.series
        context["meta_description"] = descriptions.series_description(self.series)
        return context


class ArchiveView(RiverView):
    def get(self, request, *args, **kwargs):
        year = int(self.kwargs["year"])
        month = int(self.kwargs["month"]) if "month" in self.kwargs else None
        day = int(self.kwargs["day"]) if "day" in self.kwargs else None
        if month is not None:
            bounds = day_bounds(year, month, day)
        else:
            bounds = year_bounds(year)
        if bounds is None:
            raise Http404(_("No such date."))
        self.period, self.bounds = (year, month, day), bounds
        return super().get(request, *args, **kwargs)

    def river_queryset(self):
        return river_posts().filter(
            published_at__gte=self.bounds[0], published_at__lt=self.bounds[1]
        )

    def river_title(self):
        year, month, day = self.period
        if day is not None:
            return _("Posts of %(date)s") % {"date": f"{year:04d}-{month:02d}-{day:02d}"}
        if month is not None:
            return _("Posts of %(date)s") % {"date": f"{year:04d}-{month:02d}"}
        return _("Posts of %(year)s") % {"year": year}


def dispatch_slug(request, slug):
    """/<slug>/ is a language river when the slug is a configured language, else a page."""
    if languages.is_content_language(slug):
        return LanguageRiverView.as_view()(request, lang=slug)
    return page_detail(request, slug)


def _visible(queryset, request):
    if request.user.is_staff:
        return queryset
    return queryset.published()


def _unlocked(request, post):
    return (
        not post.password
        or request.user.is_staff
        or (post.pk in request.session.get("unlocked_posts", []))
    )


def post_detail(request, year, month, day, slug):
    bounds = day_bounds(int(year), int(month), int(day))
    if bounds is None:
        raise Http404(_("No such date."))
    found = (
        _visible(Post.objects.all(), request)
        .select_related("series")
        # Its tags are read by its meta line, a fragment (one query when it is rendered).
        .prefetch_related("summaries")
        .filter(slug=slug)
    )
    if request.user.is_staff:  # drafts and scheduled posts too: never kept
        post = found.first()
    else:
        # Kept per generation like a river's list (a boosted post's page, with the page cache
        # off or for readers it cannot serve, reads nothing until something public changes).
        post = fragments.fragment(request, ("post-page", slug), found.first)
    if post is None:
        raise Http404(_("No post at this address."))
    if not bounds[0] <= post.published_at < bounds[1]:
        # Right slug, wrong date (a post re-dated after publication): send to where it lives.
        return HttpResponsePermanentRedirect(post.get_absolute_url())
    wrong_password = False
    if request.method == "POST" and "post_password" in request.POST and post.password:
        if constant_time_compare(request.POST["post_password"], post.password):
            request.session["unlocked_posts"] = [
                *request.session.get("unlocked_posts", []),
                post.pk,
            ]
            return HttpResponseRedirect(post.get_absolute_url())
        wrong_password = True
    if not _unlocked(request, post):
        return render(
            request,
            "blog/post_protected.html",
            {"post": post, "wrong_password": wrong_password},
            status=403 if wrong_password else 200,
        )
    # Lazy: read only when the post's article is rendered, not when it is kept as a fragment.
    neighbours = SimpleLazyObject(post.series_neighbours)
    context = {
        "post": post,
        "translations": SimpleLazyObject(lambda: list(post.get_translations())),
        "previous_in_series": SimpleLazyObject(lambda: neighbours[0]),
        "next_in_series": SimpleLazyObject(lambda: neighbours[1]),
        "series_total": SimpleLazyObject(post.series_total),
        "meta_description": descriptions.entry_description(post),
    }
    return render(request, "blog/post_detail.html", context)


def page_detail(request, slug):
    page = get_object_or_404(
        _visible(Page.objects.all(), request).prefetch_related("summaries"), slug=slug
    )
    return render(
        request,
        "blog/page_detail.html",
        {
            "page": page,
            "translations": list(page.get_translations()),
            "meta_description": descriptions.entry_description(page),
        },
    )
