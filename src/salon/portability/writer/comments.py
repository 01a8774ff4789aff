"""Writing an import's comments: threading, states, kinds, and the map of ids for re-imports.

A comment's derived columns are what ``Response.save()`` fills (``Response.fill_derived()`` is
made of these functions): the shown HTML (``cleaning.comment_html``, made by the reading
process), the domain and the address. Its language is left empty when the file gives none and
detected by a task after the commit (``tasks.detect_comment_languages``), as ``save()`` would.
"""

import html
from functools import lru_cache

from django.utils.translation import gettext as _

from salon.conversations.models import Kind, Origin, Response, State, response_domain

from ..bulk import update_rows
from ..cleaning import clean_email, clean_ip, clean_url, comment_html, language_code

# Response's own rule, remembered for the few thousand sites an export's comments come from.
domain_for = lru_cache(maxsize=4096)(response_domain)

COMMENT_STATES = {
    "1": State.APPROVED,
    "approve": State.APPROVED,
    "0": State.PENDING,
    "hold": State.PENDING,
    "spam": State.SPAM,
}
COMMENT_KINDS = {
    "": Kind.COMMENT,
    "comment": Kind.COMMENT,
    "pingback": Kind.MENTION,
    "trackback": Kind.MENTION,
    "webmention": Kind.MENTION,
    "mention": Kind.MENTION,
    "reply": Kind.REPLY,
    "like": Kind.LIKE,
    "repost": Kind.REPOST,
    "bookmark": Kind.BOOKMARK,
}
COMMENT_FIELDS = [
    "kind",
    "origin",
    "state",
    "author_name",
    "author_email",
    "author_url",
    "author_photo",
    "content",
    "content_html",
    "language",
    "source_url",
    "ip_address",
    "created_at",
    "parent",
    "updated_at",
    "domain",
]


def write_comments(state, entries, mapped_items):
    """Write a batch's comments; each post remembers which response each comment became
    (in its ImportedItem), so a re-import updates them."""
    if not any(p.entry.comments for p in entries):
        return
    known = {}  # (post id, WordPress comment id) -> response id, from an earlier import
    for p in entries:
        if p.created:
            continue
        item = mapped_items.get(p.entry.wp_id)
        if item is not None:
            for wp_id, pk in (item.original.get("comments") or {}).items():
                known[(p.instance.pk, int(wp_id))] = pk
        elif state.own_export:
            # Salon's own export numbers comments with their response ids.
            for c in p.entry.comments:
                known[(p.instance.pk, c.wp_id)] = c.wp_id
    if known:
        alive = set(
            Response.objects.filter(pk__in=set(known.values())).values_list("post_id", "pk")
        )
        known = {k: v for k, v in known.items() if (k[0], v) in alive}
    taken_sources = set()
    updated_posts = [p.instance.pk for p in entries if not p.created]
    if updated_posts:
        taken_sources = set(
            Response.objects.filter(post_id__in=updated_posts)
            .exclude(source_url="")
            .exclude(pk__in=set(known.values()))
            .values_list("post_id", "source_url")
        )
    rows = []  # (depth, row dict, comment, prepared entry)
    for p in entries:
        by_id = {c.wp_id: c for c in p.entry.comments}
        for c in p.entry.comments:
            row = comment_row(state, p, c, taken_sources)
            if row is None:
                continue
            depth, node, seen = 0, c, set()
            while node.parent_wp_id and node.parent_wp_id in by_id and node.wp_id not in seen:
                seen.add(node.wp_id)
                node = by_id[node.parent_wp_id]
                depth += 1
            rows.append((depth, row, c, p))
    # Parents before children: each level is written once the one above has its ids.
    max_depth = max((d for d, *_ in rows), default=-1)
    for level in range(max_depth + 1):
        new, changed = [], []
        for depth, row, c, p in rows:
            if depth != level:
                continue
            parent = p.comment_ids.get(str(c.parent_wp_id)) if c.parent_wp_id else None
            row["parent_id"] = parent
            existing = known.get((p.instance.pk, c.wp_id))
            if existing:
                changed.append((Response(pk=existing, **row), c, p))
                p.comment_ids[str(c.wp_id)] = existing
            else:
                new.append((row, c, p))
        ids = state.comments.responses.insert_returning_ids([row for row, _c, _p in new])
        for pk, (_row, c, p) in zip(ids, new, strict=True):
            p.comment_ids[str(c.wp_id)] = pk
        if changed:
            update_rows(Response, [r for r, _c, _p in changed], COMMENT_FIELDS)
        state.report.created["comments"] += len(new)
        state.report.updated["comments"] += len(changed)


def comment_row(state, p, c, taken_sources):
    """A comment as the columns of its Response, or None when it is not imported."""
    comment_state = COMMENT_STATES.get(c.approved.lower())
    if comment_state is None:
        state.report.skip(
            _("comments"),
            _("in the trash")
            if "trash" in c.approved
            else _("state “%(state)s”") % {"state": c.approved[:20]},
        )
        return None
    kind_name = (
        c.meta.get("_salon_kind") or c.meta.get("semantic_linkbacks_type") or c.comment_type
    ).lower()
    kind = COMMENT_KINDS.get(kind_name) or COMMENT_KINDS.get(c.comment_type.lower())
    if kind is None:
        state.report.skip(_("comments"), _("type “%(type)s”") % {"type": c.comment_type[:30]})
        return None
    source_url = clean_url(c.meta.get("_salon_source_url"), 1000) if c.meta else ""
    if source_url:
        if (p.instance.pk, source_url) in taken_sources:
            source_url = ""
        else:
            taken_sources.add((p.instance.pk, source_url))
    author_url = clean_url(c.author_url)
    name = c.author_name
    if "&" in name or "  " in name or "\n" in name:
        name = " ".join(html.unescape(name).split())
    row = {
        "post_id": p.instance.pk,
        "kind": kind,
        "origin": Origin.IMPORT,
        "state": comment_state,
        "author_name": (name or "Anonymous")[:200],
        "author_email": clean_email(c.author_email),
        "author_url": author_url,
        "author_photo": clean_url(c.meta.get("_salon_author_photo")) if c.meta else "",
        "content": c.content,
        "content_html": c.content_html if c.content_html is not None else comment_html(c.content),
        "language": (language_code(c.meta.get("_salon_language")) or "") if c.meta else "",
        "source_url": source_url,
        "ip_address": clean_ip(c.author_ip),
        "created_at": c.created_at or p.instance.published_at,
        "updated_at": state.now,
        "domain": domain_for(source_url, author_url),
    }
    return row
