"""Redirects from the old addresses: a post's or page's WordPress permalink, guid and
``/?p=123``, and each category's page to the tag it became.

Addresses come from the blog's own URL conf (``salon.blog.paths``, equal to
``get_absolute_url()``), so a redirect pointing at the new address is never written.
"""

import re

from django.db.models import Q

from salon.blog.models import Page, Post, Redirect, Tag
from salon.blog.paths import page_path, post_path, tag_path

from ..cleaning import path_of
from ..models import ImportedItem, WordPressType


def address_of(kind, obj):
    """A post's or page's address, as its ``get_absolute_url()`` gives it."""
    if kind == "post":
        return post_path(obj.published_at, obj.slug)
    return page_path(obj.slug)


def write_redirects(state, kind, entries):
    wanted = {}
    for p in entries:
        obj = p.instance
        target = address_of(kind, obj)
        old = [path_of(p.entry.link), path_of(p.entry.guid)]
        old.append(f"/?p={p.entry.wp_id}" if kind == "post" else f"/?page_id={p.entry.wp_id}")
        for path in old:
            if not path or path == "/" or path == target or len(path) > 500:
                continue
            if path.startswith("/?") and not re.fullmatch(r"/\?(p|page_id)=\d+", path):
                continue  # a guid such as /?post_type=…&p=12 is not an address anyone used
            wanted[path] = obj
    if not wanted:
        return
    existing = {r.old_path: r for r in Redirect.objects.filter(old_path__in=list(wanted))}
    new, changed, elsewhere = [], [], []
    for path, obj in wanted.items():
        post, page = (obj, None) if kind == "post" else (None, obj)
        redirect = existing.get(path)
        if redirect is None:
            new.append(
                {
                    "old_path": path,
                    "new_path": "",
                    "post_id": post and post.pk,
                    "page_id": page and page.pk,
                }
            )
        elif (redirect.post_id, redirect.page_id, redirect.new_path) != (
            post and post.pk,
            page and page.pk,
            "",
        ):
            elsewhere.append((redirect, post, page, obj))
    ours = imported_from_this_blog(state, (redirect for redirect, *_rest in elsewhere))
    for redirect, post, page, obj in elsewhere:
        if (redirect.post_id, redirect.page_id) in ours:
            # A newer export of the same blog: the address now belongs to another of its
            # items, as it does on WordPress.
            redirect.post, redirect.page, redirect.new_path = post, page, ""
            changed.append(redirect)
        else:
            # Another blog's, or set by hand: readers following the old address still get
            # what they got so far; the clash is reported by address.
            state.report.redirect_kept(
                redirect.old_path, target_of(state, redirect), kind, obj.title
            )
    state.entries.inserters[Redirect].insert(new)
    if changed:
        Redirect.objects.bulk_update(changed, ["post", "page", "new_path"])
    state.report.created["redirects"] += len(new)
    state.report.updated["redirects"] += len(changed)


def imported_from_this_blog(state, redirects):
    """The (post id, page id) targets among ``redirects`` that an import of the blog being
    imported (the same ``source_site``, from the file's base_blog_url) created."""
    redirects = list(redirects)
    post_ids = {r.post_id for r in redirects if r.post_id}
    page_ids = {r.page_id for r in redirects if r.page_id}
    if not post_ids and not page_ids:
        return set()
    items = ImportedItem.objects.filter(source_site=state.source).filter(
        Q(wp_type=WordPressType.POST, post_id__in=post_ids)
        | Q(wp_type=WordPressType.PAGE, page_id__in=page_ids)
    )
    return {(post_id, page_id) for post_id, page_id in items.values_list("post_id", "page_id")}


def target_of(state, redirect):
    """Where an existing redirect leads, without loading whole posts."""
    if redirect.post_id:
        post = Post.objects.only("slug", "published_at").get(pk=redirect.post_id)
        return address_of("post", post)
    if redirect.page_id:
        return address_of("page", Page.objects.only("slug").get(pk=redirect.page_id))
    return redirect.new_path


def category_redirects(state):
    """WordPress's /category/<slug>/ pages now live at the tag the category became."""
    if not state.taxonomy.categories:
        return
    slugs = dict(
        Tag.objects.filter(name__in=set(state.taxonomy.categories.values())).values_list(
            "name", "slug"
        )
    )
    wanted = {}
    for nicename, name in state.taxonomy.categories.items():
        if name in slugs:
            path = f"/category/{nicename}/"
            if len(path) <= 500:
                wanted[path] = tag_path(slugs[name])
    existing = set(
        Redirect.objects.filter(old_path__in=list(wanted)).values_list("old_path", flat=True)
    )
    new = [
        Redirect(old_path=path, new_path=target)
        for path, target in wanted.items()
        if path not in existing
    ]
    Redirect.objects.bulk_create(new)
    state.report.created["redirects"] += len(new)
