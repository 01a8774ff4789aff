"""After the last item: featured images, parent pages, galleries, category redirects and the
series positions the file did not give, all of which may name items written in any order."""

import json

from django.utils.translation import gettext as _

from salon.blog.models import Page, Post

from .. import content as wpcontent
from ..cleaning import clean_url
from ..models import ImportedItem, WordPressType
from . import redirects


def add_attachment(state, attachment):
    state.report.attachments += 1
    state.finish.attachments.append(attachment)
    if len(state.finish.attachments) >= 1000:
        flush_attachments(state)


def flush_attachments(state):
    if not state.finish.attachments:
        return
    rows = {}
    for a in state.finish.attachments:
        rows[a.wp_id] = ImportedItem(
            source_site=state.source,
            wp_type=WordPressType.ATTACHMENT,
            wp_id=a.wp_id,
            wp_parent=a.parent_wp_id or None,
            url=a.url[:1000],
            original={
                k: v
                for k, v in (
                    ("title", a.title),
                    ("caption", a.caption),
                    ("alt", a.alt),
                    ("menu_order", a.menu_order),
                    ("link", a.link),
                )
                if v
            },
        )
    ImportedItem.objects.bulk_create(
        list(rows.values()),
        update_conflicts=True,
        unique_fields=["source_site", "wp_type", "wp_id"],
        update_fields=["wp_parent", "url", "original", "imported_at"],
    )
    state.finish.attachments = []


def finish(state):
    # Featured images, whatever order the file listed posts and attachments in.
    if state.finish.covers:
        urls = {}
        for start in range(0, len(state.finish.covers), 5000):
            chunk = state.finish.covers[start : start + 5000]
            urls.update(attachment_rows(state, {a for _p, a in chunk}).values_list("wp_id", "url"))
        posts = []
        for post_id, attachment in state.finish.covers:
            url = clean_url(urls.get(attachment, ""))
            if url:
                posts.append(Post(pk=post_id, cover_image_url=url))
            else:
                state.report.note(
                    _("A featured image (attachment %(id)s) is not in the file.")
                    % {"id": attachment}
                )
        Post.objects.bulk_update(posts, ["cover_image_url"], batch_size=500)
    # Parent pages.
    if state.finish.page_parents:
        parents = dict(
            ImportedItem.objects.filter(
                source_site=state.source,
                wp_type=WordPressType.PAGE,
                wp_id__in={w for _p, w in state.finish.page_parents},
            ).values_list("wp_id", "page_id")
        )
        pages = [
            Page(pk=pk, parent_id=parents.get(w))
            for pk, w in state.finish.page_parents
            if parents.get(w) and parents.get(w) != pk
        ]
        Page.objects.bulk_update(pages, ["parent"])
    render_galleries(state)
    redirects.category_redirects(state)
    # Series positions the file did not give: after the known ones, by date.
    for series_id in state.taxonomy.series_touched:
        posts = list(Post.objects.filter(series_id=series_id).order_by("published_at", "id"))
        top = max((p.series_position or 0 for p in posts), default=0)
        missing = [p for p in posts if p.series_position is None]
        for offset, post in enumerate(missing, start=1):
            post.series_position = top + offset
        Post.objects.bulk_update(missing, ["series_position"])


def attachment_rows(state, wp_ids=None, parents=None):
    queryset = ImportedItem.objects.filter(
        source_site=state.source, wp_type=WordPressType.ATTACHMENT
    )
    if wp_ids is not None:
        queryset = queryset.filter(wp_id__in=wp_ids)
    if parents is not None:
        queryset = queryset.filter(wp_parent__in=parents)
    return queryset


def render_galleries(state):
    for kind, pk, wp_id in state.finish.galleries:
        model = Post if kind == "post" else Page
        obj = model.objects.only("body", "body_format", "slug").get(pk=pk)

        def replace(match, wp_id=wp_id):
            spec = json.loads(match.group(1))
            if spec["ids"]:
                found = {row.wp_id: row for row in attachment_rows(state, spec["ids"])}
                rows = [found[i] for i in spec["ids"] if i in found]
            else:
                rows = sorted(
                    attachment_rows(state, parents=[spec.get("parent") or wp_id]),
                    key=lambda r: (r.original.get("menu_order", 0), r.wp_id),
                )
            rows = [r for r in rows if r.wp_id not in spec.get("exclude", [])]
            if not rows:
                state.report.note(
                    _("A gallery of item %(id)s has no images in the file.") % {"id": wp_id}
                )
            return wpcontent.gallery_html(
                spec,
                [
                    {
                        "url": r.url,
                        "caption": r.original.get("caption", ""),
                        "alt": r.original.get("alt", ""),
                    }
                    for r in rows
                ],
            )

        body = wpcontent.GALLERY_PLACEHOLDER.sub(replace, obj.body)
        obj.body = body
        obj.fill_derived()  # body_html, as save() renders it
        model.objects.filter(pk=pk).update(body=obj.body, body_html=obj.body_html)
