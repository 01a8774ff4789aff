"""Writing a batch of posts and pages: matched to earlier imports, given slugs and translation
keys, then inserted or updated in bulk with their summaries, tags, redirects and comments.

Rows are written without ``save()``, but what ``save()`` derives is filled by the model's own
``fill_derived()`` before writing: a rule added there applies to imported texts too.
"""

import uuid
from collections import defaultdict
from urllib.parse import unquote

from django.utils.translation import gettext as _

from salon import languages
from salon.blog.models import Page, PageSummary, Post, PostSummary
from salon.blog.models.page import reserved_page_slug
from salon.blog.slugs import UNTITLED, slug_candidates, slug_from_title

from ..bulk import delete_rows, update_rows
from ..models import ImportedItem, WordPressType
from . import comments, redirects, taxonomy

# Columns Publishable.fill_derived() fills that an update must write (the slug of a text
# already here is kept).
DERIVED_FIELDS = ["body_html"]


def flush(state):
    if not state.entries.pending:
        return
    batch, state.entries.pending, state.entries.pending_comments = state.entries.pending, [], 0
    mappings = {}
    for kind, model in (("post", Post), ("page", Page)):
        entries = [p for p in batch if p.entry.kind == kind]
        if entries:
            mappings[kind] = (entries, write_entries(state, kind, model, entries))
    if "post" in mappings:
        comments.write_comments(state, *mappings["post"])
    for kind, (entries, mapped) in mappings.items():
        write_mappings(state, kind, entries, mapped)
    for p in batch:
        if p.entry.kind == "page" and p.entry.comments:
            state.report.skip(
                _("comments"), _("on pages (Salon's pages take no comments)"), len(p.entry.comments)
            )


def write_entries(state, kind, model, entries):
    wp_type = WordPressType.POST if kind == "post" else WordPressType.PAGE
    mapped = {
        item.wp_id: item
        for item in ImportedItem.objects.filter(
            source_site=state.source,
            wp_type=wp_type,
            wp_id__in=[p.entry.wp_id for p in entries],
        )
    }
    existing_ids = {
        getattr(item, f"{kind}_id") for item in mapped.values() if getattr(item, f"{kind}_id")
    }
    # An item exported by Salon carries its translation key: the same key and language is
    # the same text, whatever the WordPress ID says.
    keyed = [p for p in entries if p.explicit_key and p.entry.wp_id not in mapped]
    by_key = {}
    if keyed:
        for obj in model.objects.filter(translation_key__in={p.explicit_key for p in keyed}):
            by_key[(obj.translation_key, obj.language)] = obj
    instances = model.objects.in_bulk(existing_ids)
    new, changed = [], []
    for p in entries:
        item = mapped.get(p.entry.wp_id)
        obj = instances.get(getattr(item, f"{kind}_id")) if item else None
        if obj is None and p.explicit_key:
            obj = by_key.get((p.explicit_key, p.language))
        key = None
        if obj is None:
            obj = model(**p.fields)
            key = p.explicit_key or obj.translation_key
            p.created = True
            new.append(p)
        else:
            for name, value in p.fields.items():
                setattr(obj, name, value)
            obj.updated_at = state.now
            if p.explicit_key and obj.translation_key != p.explicit_key:
                key = p.explicit_key
            changed.append(p)
        if key is not None:
            if (key, p.language) in state.entries.keys_used or (
                p.created and p.explicit_key and (key, p.language) in by_key
            ):
                state.report.note(
                    _(
                        "%(item)s: another item has the same translation in %(language)s; "
                        "imported as a separate text."
                    )
                    % {"item": p.entry.label, "language": languages.language_name(p.language)}
                )
                key = uuid.uuid4()
            obj.translation_key = key
        state.entries.keys_used.add((obj.translation_key, p.language))
        p.instance = obj
    assign_slugs(state, kind, model, new)
    if kind == "post":
        taxonomy.assign_series(state, entries)
    for p in entries:
        # What save() derives (body_html…), by the model's own rule.
        p.instance.fill_derived()
    if new:
        inserter = state.entries.inserters[model]
        for p in new:
            p.instance.created_at = p.instance.updated_at = state.now
        ids = inserter.insert_returning_ids(
            [{name: getattr(p.instance, name) for name in inserter.attnames} for p in new]
        )
        for p, pk in zip(new, ids, strict=True):
            p.instance.pk = pk
            p.instance._state.adding = False
    if changed:
        fields = [*entries[0].fields.keys(), *DERIVED_FIELDS, "updated_at", "translation_key"]
        if kind == "post":
            fields += ["series", "series_position"]
        update_rows(model, [p.instance for p in changed], fields)
    state.report.created[kind + "s"] += len(new)
    state.report.updated[kind + "s"] += len(changed)
    ids = state.report.post_ids if kind == "post" else state.report.page_ids
    for p in entries:
        ids.append(p.instance.pk)
        state.report.languages[p.language] += 1
    write_summaries(state, kind, entries)
    redirects.write_redirects(state, kind, entries)
    if kind == "post":
        taxonomy.write_tags(state, entries)
        for p in entries:
            if p.thumbnail_wp_id:
                state.finish.covers.append((p.instance.pk, p.thumbnail_wp_id))
    else:
        for p in entries:
            if p.entry.parent_wp_id:
                state.finish.page_parents.append((p.instance.pk, p.entry.parent_wp_id))
    for p in entries:
        if p.galleries:
            state.finish.galleries.append((kind, p.instance.pk, p.entry.wp_id))
    return mapped


def assign_slugs(state, kind, model, new):
    if not new:
        return
    taken = state.entries.taken_post_slugs if kind == "post" else state.entries.taken_page_slugs
    wanted = {}
    for p in new:
        base = (
            slug_from_title(unquote(p.entry.slug), max_length=190)
            or slug_from_title(p.instance.title, max_length=190)
            or UNTITLED
        )
        wanted[id(p)] = base
    in_db = set(model.objects.filter(slug__in=set(wanted.values())).values_list("slug", flat=True))
    for p in new:
        base = wanted[id(p)]
        for candidate in slug_candidates(base):
            if not (
                candidate in taken
                or candidate in in_db
                or (kind == "page" and reserved_page_slug(candidate))
                or (candidate != base and model.objects.filter(slug=candidate).exists())
            ):
                break
        taken.add(candidate)
        p.instance.slug = candidate


def write_mappings(state, kind, entries, mapped):
    wp_type = WordPressType.POST if kind == "post" else WordPressType.PAGE
    rows, changed = [], []
    for p in entries:
        e = p.entry
        original = {
            k: v
            for k, v in (
                ("excerpt", e.excerpt.strip()),
                ("creator", e.creator),
                ("guid", e.guid),
                ("status", e.status),
                ("comments", p.comment_ids),
            )
            if v
        }
        item = mapped.get(e.wp_id)
        if item is None:
            rows.append(
                {
                    "source_site": state.source,
                    "wp_type": wp_type,
                    "wp_id": e.wp_id,
                    f"{kind}_id": p.instance.pk,
                    "wp_parent": e.parent_wp_id or None,
                    "url": e.link[:1000],
                    "original": original,
                    "imported_at": state.now,
                }
            )
        else:
            setattr(item, f"{kind}_id", p.instance.pk)
            item.wp_parent, item.url = e.parent_wp_id or None, e.link[:1000]
            item.original, item.imported_at = original, state.now
            changed.append(item)
    state.entries.items.insert(rows, ignore_conflicts=True)
    update_rows(ImportedItem, changed, [kind, "wp_parent", "url", "original", "imported_at"])


def write_summaries(state, kind, entries):
    model = PostSummary if kind == "post" else PageSummary
    updated = defaultdict(list)
    rows = []
    for p in entries:
        for code, text in p.summaries.items():
            if not p.created:
                updated[code].append(p.instance.pk)
            rows.append({f"{kind}_id": p.instance.pk, "language": code, "text": text})
            state.report.summaries[code] += 1
    for code, ids in updated.items():
        delete_rows(model.objects.filter(**{f"{kind}_id__in": ids}, language=code))
    state.entries.inserters[model].insert(rows)
