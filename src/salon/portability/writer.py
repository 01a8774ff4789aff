"""Saving neutral records as Salon content, in batches, inside the caller's transaction.

``import_wxr()`` is the public entry point: it reads the file, writes everything in one
transaction and returns an ``ImportReport``; with ``dry_run`` the transaction is rolled back
after the report is made, so the report says exactly what a real run would do.

Rows are written with parameterised SQL (``bulk.py``) a few hundred posts at a time (with their
comments), not one ``save()`` each: a 10,000-post blog with 100,000 comments imports in seconds,
holding SQLite's write lock for as short a time as possible; a large file is read and its texts
converted by a second process meanwhile (``pipeline.py``). The cost is that model ``save()``
methods and ``post_save`` signals do not run, so this module fills what they would (rendered
HTML, slugs, a comment's domain) and notes the imported posts and pages for the blog's one
``posts_changed`` event, sent after the commit to the apps that index or cache posts. Comment languages are detected by a task after the commit (lingua costs
about 0.1 ms a comment, more than writing it), so the import does not hold the database for it.
"""

import html
import re
import time
import uuid
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import unquote

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salon import languages
from salon.blog.models import Page, PageSummary, Post, PostSummary, Redirect, Series, Status, Tag
from salon.blog.signals import mark_changed
from salon.blog.slugs import slug_from_title
from salon.conversations.models import Response

from . import content as wpcontent
from .bulk import Inserter, delete_rows, update_rows
from .cleaning import (
    clean_url,
    convert_entry,
    language_code,
    language_names,
    path_of,
    reserved_page_slug,
)
from .comments import CommentWriter
from .models import ImportedItem, WordPressType
from .pipeline import RecordSource
from .records import Attachment, Author, Entry, Repair, Site, Skipped, Term
from .report import ImportReport
from .wxr import INCOMPLETE, WXRError, WXRReader

BATCH_SIZE = 250
# How sure detection must be to override the language the file declares: the detected language
# must come first among all languages, ahead of all the others together.
DETECTION_MIN_CONFIDENCE = 0.5
UNTITLED = "untitled"

# Taxonomies that say something Salon stores elsewhere (languages, translations, formats).
CONSUMED_TAXONOMIES = {"language", "post_translations", "term_language", "term_translations"}

class ImportAborted(Exception):
    """Raised inside the transaction to roll it back (dry runs and refused files)."""


@dataclass
class PreparedEntry:
    entry: Entry
    fields: dict
    language: str
    tags: list
    summaries: dict
    series_slug: str | None
    series_position: int | None
    explicit_key: uuid.UUID | None
    thumbnail_wp_id: int | None
    galleries: bool
    instance: object = None
    created: bool = False
    comment_ids: dict = field(default_factory=dict)  # WordPress comment id (str) -> response id


class Writer(CommentWriter):
    """Consumes records and writes them; call ``write(records)`` inside a transaction."""

    def __init__(self, report, default_language=None, progress=None, batch_size=None):
        self.report = report
        self.default_language = default_language
        self.progress = progress
        self.batch_size = batch_size or BATCH_SIZE
        self.site = None
        self.source = None
        self.own_export = False
        self.pending = []
        self.pending_comments = 0
        self.language_names = language_names()
        self.language_codes = {c.lower() for c in languages.content_languages()}
        self.tag_ids = {}  # name -> id
        self.tag_slugs = {}  # name -> WordPress nicename (kept, so /tag/<slug>/ keeps working)
        self.categories = {}  # nicename -> tag name (/category/<nicename>/ is redirected)
        self.series = {}  # slug -> Series
        self.series_terms = {}  # slug -> Term (declared at the top of the file)
        self.taken_post_slugs = set()
        self.taken_page_slugs = set()
        self.keys_used = set()  # (translation_key, language) given out by this import
        self.positions_used = set()  # (series id, position) given out by this import
        self.page_parents = []  # (page id, parent wp id)
        self.covers = []  # (post id, attachment wp id)
        self.galleries = []  # ("post"|"page", id, wp id)
        self.series_touched = set()
        self.attachments = []
        self.now = timezone.now()
        self.inserters = {model: Inserter(model) for model in (
            Post, Page, PostSummary, PageSummary, Redirect, Post.tags.through)}
        self.responses = Inserter(Response)
        self.items = Inserter(ImportedItem)
        self.url_templates = {}

    # Dispatch ------------------------------------------------------------------------------

    def write(self, records):
        for record in records:
            if isinstance(record, Site):
                self.site = record
                self.source = record.key
                own = Site(wxr_version="", base_blog_url=settings.SITE_URL).key
                self.own_export = record.key == own
                self.report.source_site = record.key
                self.report.wxr_version = record.wxr_version
            elif isinstance(record, Entry):
                self._entry(record)
            elif isinstance(record, Attachment):
                self._attachment(record)
            elif isinstance(record, Term):
                if record.taxonomy == "series" and record.slug:
                    self.series_terms[record.slug] = record
            elif isinstance(record, Author):
                self.report.authors += 1
            elif isinstance(record, Skipped):
                self.report.skip(record.kind, record.reason)
                if record.kind == INCOMPLETE:
                    self.report.left_out(record)
            elif isinstance(record, Repair):
                self.report.repairs.append(record)
            if self.progress is not None:
                self.progress()
        self._flush()
        self._flush_attachments()
        self._finish()

    # Entries -------------------------------------------------------------------------------

    def _status(self, entry):
        status = entry.status
        if status in ("trash", "auto-draft", "inherit"):
            return None
        if status == "publish":
            if entry.published_at and entry.published_at > self.now:
                return Status.SCHEDULED
            return Status.PUBLISHED
        if status == "future":
            return Status.SCHEDULED
        if status == "private":
            self.report.note(
                _("%(item)s was private on WordPress: imported as a draft.")
                % {"item": entry.label}
            )
        return Status.DRAFT

    def _language(self, entry, title_code, body_text):
        if title_code:
            return title_code
        for domain, nicename, name in entry.terms:
            if domain == "language":
                code = language_code(nicename) or language_code(name)
                if code:
                    return code
        for key in ("_wpml_import_language_code", "_wpml_language", "wpml_language",
                    "_salon_language"):
            code = language_code(entry.meta.get(key))
            if code:
                return code
        for domain, nicename, name in entry.terms:
            if domain == "category":
                code = self.language_names.get(slug_from_title(html.unescape(name))) or \
                    self.language_names.get(nicename.lower())
                if code:
                    return code
        if self.default_language:
            return self.default_language
        declared = language_code(self.site.language if self.site else "")
        if declared:
            # The file says the blog's language: detection overrides it only when confident
            # (a Lorem ipsum page of an English blog is not French because it is closer to
            # French than to English).
            return languages.detect_language(
                body_text, default=declared, min_confidence=DETECTION_MIN_CONFIDENCE)
        fallback = languages.content_languages()[0]
        return languages.detect_language(body_text, default=fallback) or fallback

    def _is_language_category(self, nicename, name):
        return bool(
            self.language_names.get(slug_from_title(html.unescape(name)))
            or self.language_names.get((nicename or "").lower())
        )

    def _entry(self, entry):
        status = self._status(entry)
        if status is None:
            reason = {"trash": _("in the trash"), "auto-draft": _("automatic drafts")}.get(
                entry.status, entry.status)
            self.report.skip(_("trashed posts"), reason)
            if entry.comments:
                self.report.skip(_("comments"), _("on an item that was not imported"),
                                 len(entry.comments))
            return
        converted = entry.converted or convert_entry(entry, self.language_codes)
        notes = converted.notes
        self.report.unknown_shortcodes.update(notes.unknown_shortcodes)
        self.report.dynamic_blocks.update(notes.dynamic_blocks)
        raw_title, candidates, rest = converted.title, converted.marked_paragraphs, converted.rest
        language = self._language(entry, converted.title_language, converted.sample)
        summaries = {}
        for index, (code, text, _fragment) in enumerate(candidates):
            if code == language or not text:
                rest = "".join(f for _c, _t, f in candidates[index:]) + rest
                break
            summaries[code] = text
        body = rest.strip()
        tags, series_slug = [], None
        for domain, nicename, name in entry.terms:
            name = " ".join(html.unescape(name).split())[:100]
            if domain in ("post_tag", "tag"):
                if name:
                    tags.append(name)
                    self.tag_slugs.setdefault(name, nicename)
            elif domain == "category":
                if (nicename or "").lower() == "uncategorized" or not name:
                    continue
                if self._is_language_category(nicename, name):
                    continue
                tags.append(name)
                if nicename and len(self.categories) < 10000:
                    self.categories.setdefault(nicename, name)
            elif domain == "series":
                series_slug = (nicename or slug_from_title(name))[:200]
                if series_slug not in self.series_terms:
                    self.series_terms.setdefault(series_slug, Term("series", series_slug, name))
            elif domain in CONSUMED_TAXONOMIES:
                continue
            elif domain == "post_format":
                continue
            else:
                self.report.skip(_("terms"), _("taxonomy “%(name)s”") % {"name": domain})
        title = (raw_title or "")[:300]
        if not title:
            title = _("(no title)") if entry.kind == "post" else _("(untitled page)")
        fields = {
            "title": title,
            "language": language,
            "body": body,
            "body_format": "html",
            "body_html": body,
            "status": status,
            "published_at": entry.published_at or self.now,
        }
        meta = entry.meta
        if entry.kind == "post":
            password = entry.password or ""
            if len(password) > 100:
                self.report.note(
                    _("%(item)s: its password is longer than 100 characters; the first 100 "
                      "were kept.") % {"item": entry.label}
                )
            fields.update(
                sticky=entry.sticky,
                password=password[:100],
                comments_open=entry.comment_status != "closed",
                source_name=(meta.get("_salon_source_name") or "")[:200],
                source_url=clean_url(meta.get("_salon_source_url")),
                canonical_to_source=meta.get("_salon_canonical_to_source") == "1",
                cover_alt=(meta.get("_salon_cover_alt") or "")[:300],
                cover_credit=(meta.get("_salon_cover_credit") or "")[:300],
                cover_licence=(meta.get("_salon_cover_licence") or "")[:300],
                cover_licence_url=clean_url(meta.get("_salon_cover_licence_url")),
                in_reply_to_url=clean_url(meta.get("_salon_in_reply_to_url"), 1000),
            )
        else:
            fields.update(
                menu_order=entry.menu_order,
                show_in_menu=meta.get("_salon_show_in_menu", "1") != "0",
            )
        explicit_key = None
        for key in ("_salon_translation_key",):
            try:
                explicit_key = uuid.UUID(meta.get(key, ""))
            except ValueError:
                pass
        if explicit_key is None:
            for domain, nicename, _name in entry.terms:
                if domain == "post_translations" and nicename:
                    explicit_key = uuid.uuid5(uuid.NAMESPACE_URL, f"{self.source}#{nicename}")
            group = meta.get("_wpml_import_translation_group")
            if group:
                explicit_key = uuid.uuid5(uuid.NAMESPACE_URL, f"{self.source}#wpml-{group}")
        position = meta.get("_salon_series_position", "")
        prepared = PreparedEntry(
            entry=entry, fields=fields, language=language, tags=tags, summaries=summaries,
            series_slug=series_slug,
            series_position=int(position) if position.isdigit() and int(position) > 0 else None,
            explicit_key=explicit_key,
            thumbnail_wp_id=int(meta["_thumbnail_id"]) if meta.get("_thumbnail_id", "").isdigit()
            else None,
            galleries=bool(notes.galleries),
        )
        self.pending.append(prepared)
        self.pending_comments += len(entry.comments)
        if len(self.pending) >= self.batch_size or self.pending_comments >= self.batch_size * 20:
            self._flush()

    def _attachment(self, attachment):
        self.report.attachments += 1
        self.attachments.append(attachment)
        if len(self.attachments) >= 1000:
            self._flush_attachments()

    def _flush_attachments(self):
        if not self.attachments:
            return
        rows = {}
        for a in self.attachments:
            rows[a.wp_id] = ImportedItem(
                source_site=self.source, wp_type=WordPressType.ATTACHMENT, wp_id=a.wp_id,
                wp_parent=a.parent_wp_id or None, url=a.url[:1000],
                original={k: v for k, v in (("title", a.title), ("caption", a.caption),
                                            ("alt", a.alt), ("menu_order", a.menu_order),
                                            ("link", a.link)) if v},
            )
        ImportedItem.objects.bulk_create(
            list(rows.values()), update_conflicts=True,
            unique_fields=["source_site", "wp_type", "wp_id"],
            update_fields=["wp_parent", "url", "original", "imported_at"],
        )
        self.attachments = []

    # Batches -------------------------------------------------------------------------------

    def _flush(self):
        if not self.pending:
            return
        batch, self.pending, self.pending_comments = self.pending, [], 0
        mappings = {}
        for kind, model in (("post", Post), ("page", Page)):
            entries = [p for p in batch if p.entry.kind == kind]
            if entries:
                mappings[kind] = (entries, self._write_entries(kind, model, entries))
        if "post" in mappings:
            self._write_comments(*mappings["post"])
        for kind, (entries, mapped) in mappings.items():
            self._write_mappings(kind, entries, mapped)
        for p in batch:
            if p.entry.kind == "page" and p.entry.comments:
                self.report.skip(_("comments"), _("on pages (Salon's pages take no comments)"),
                                 len(p.entry.comments))

    def _write_entries(self, kind, model, entries):
        wp_type = WordPressType.POST if kind == "post" else WordPressType.PAGE
        mapped = {
            item.wp_id: item
            for item in ImportedItem.objects.filter(
                source_site=self.source, wp_type=wp_type,
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
                obj.updated_at = self.now
                if p.explicit_key and obj.translation_key != p.explicit_key:
                    key = p.explicit_key
                changed.append(p)
            if key is not None:
                if (key, p.language) in self.keys_used or (
                    p.created and p.explicit_key and (key, p.language) in by_key
                ):
                    self.report.note(
                        _("%(item)s: another item has the same translation in %(language)s; "
                          "imported as a separate text.")
                        % {"item": p.entry.label, "language": languages.language_name(p.language)}
                    )
                    key = uuid.uuid4()
                obj.translation_key = key
            self.keys_used.add((obj.translation_key, p.language))
            p.instance = obj
        self._assign_slugs(kind, model, new)
        if kind == "post":
            self._assign_series(entries)
        if new:
            inserter = self.inserters[model]
            for p in new:
                p.instance.created_at = p.instance.updated_at = self.now
            ids = inserter.insert_returning_ids([
                {name: getattr(p.instance, name) for name in inserter.attnames} for p in new
            ])
            for p, pk in zip(new, ids, strict=True):
                p.instance.pk = pk
                p.instance._state.adding = False
        if changed:
            fields = [*entries[0].fields.keys(), "updated_at", "translation_key"]
            if kind == "post":
                fields += ["series", "series_position"]
            update_rows(model, [p.instance for p in changed], fields)
        self.report.created[kind + "s"] += len(new)
        self.report.updated[kind + "s"] += len(changed)
        ids = self.report.post_ids if kind == "post" else self.report.page_ids
        for p in entries:
            ids.append(p.instance.pk)
            self.report.languages[p.language] += 1
        self._write_summaries(kind, entries)
        self._write_redirects(kind, entries)
        if kind == "post":
            self._write_tags(entries)
            for p in entries:
                if p.thumbnail_wp_id:
                    self.covers.append((p.instance.pk, p.thumbnail_wp_id))
        else:
            for p in entries:
                if p.entry.parent_wp_id:
                    self.page_parents.append((p.instance.pk, p.entry.parent_wp_id))
        for p in entries:
            if p.galleries:
                self.galleries.append((kind, p.instance.pk, p.entry.wp_id))
        return mapped

    def _url(self, kind, obj):
        """The object's address, as get_absolute_url() gives it, without a reverse() each."""
        template = self.url_templates.get(kind)
        if template is None:
            if kind == "post":
                url = reverse("blog:post", kwargs={
                    "year": "1111", "month": "22", "day": "33", "slug": "slug-placeholder"})
                template = (url.replace("{", "{{").replace("}", "}}").replace("/1111/", "/{y}/")
                            .replace("/22/", "/{m}/").replace("/33/", "/{d}/")
                            .replace("slug-placeholder", "{s}"))
            else:
                url = reverse("blog:page", kwargs={"slug": "slug-placeholder"})
                template = url.replace("{", "{{").replace("}", "}}").replace(
                    "slug-placeholder", "{s}")
            self.url_templates[kind] = template
        if kind == "post":
            local = timezone.localtime(obj.published_at)
            return template.format(y=f"{local.year:04d}", m=f"{local.month:02d}",
                                   d=f"{local.day:02d}", s=obj.slug)
        return template.format(s=obj.slug)

    def _assign_slugs(self, kind, model, new):
        if not new:
            return
        taken = self.taken_post_slugs if kind == "post" else self.taken_page_slugs
        wanted = {}
        for p in new:
            base = slug_from_title(unquote(p.entry.slug), max_length=190) or \
                slug_from_title(p.instance.title, max_length=190) or UNTITLED
            wanted[id(p)] = base
        in_db = set(model.objects.filter(slug__in=set(wanted.values())).values_list(
            "slug", flat=True))
        for p in new:
            base = wanted[id(p)]
            candidate, n = base, 2
            while candidate in taken or candidate in in_db or (
                kind == "page" and reserved_page_slug(candidate)
            ) or (candidate != base and model.objects.filter(slug=candidate).exists()):
                candidate = f"{base}-{n}"
                n += 1
            taken.add(candidate)
            p.instance.slug = candidate

    def _assign_series(self, entries):
        for p in entries:
            obj = p.instance
            if not p.series_slug:
                if p.created:
                    obj.series, obj.series_position = None, None
                continue
            series = self.series.get(p.series_slug)
            if series is None:
                term = self.series_terms.get(p.series_slug)
                series = Series.objects.filter(slug=p.series_slug).first()
                if series is None:
                    planned = (term.meta.get("_salon_planned_length", "") if term else "")
                    series = Series.objects.create(
                        slug=p.series_slug, title=(term.name if term else p.series_slug)[:200],
                        description=term.description if term else "",
                        planned_length=int(planned) if planned.isdigit() else None,
                    )
                    self.report.created["series"] += 1
                self.series[p.series_slug] = series
            obj.series = series
            self.series_touched.add(series.pk)
            position = p.series_position
            if position is not None:
                clash = Post.objects.filter(series=series, series_position=position)
                if obj.pk:
                    clash = clash.exclude(pk=obj.pk)
                if clash.exists() or (series.pk, position) in self.positions_used:
                    position = None
            if position is not None:
                self.positions_used.add((series.pk, position))
            obj.series_position = position

    def _write_mappings(self, kind, entries, mapped):
        wp_type = WordPressType.POST if kind == "post" else WordPressType.PAGE
        rows, changed = [], []
        for p in entries:
            e = p.entry
            original = {k: v for k, v in (("excerpt", e.excerpt.strip()), ("creator", e.creator),
                                          ("guid", e.guid), ("status", e.status),
                                          ("comments", p.comment_ids)) if v}
            item = mapped.get(e.wp_id)
            if item is None:
                rows.append({"source_site": self.source, "wp_type": wp_type, "wp_id": e.wp_id,
                             f"{kind}_id": p.instance.pk, "wp_parent": e.parent_wp_id or None,
                             "url": e.link[:1000], "original": original,
                             "imported_at": self.now})
            else:
                setattr(item, f"{kind}_id", p.instance.pk)
                item.wp_parent, item.url = e.parent_wp_id or None, e.link[:1000]
                item.original, item.imported_at = original, self.now
                changed.append(item)
        self.items.insert(rows, ignore_conflicts=True)
        update_rows(ImportedItem, changed, [kind, "wp_parent", "url", "original", "imported_at"])

    def _write_summaries(self, kind, entries):
        model = PostSummary if kind == "post" else PageSummary
        updated = defaultdict(list)
        rows = []
        for p in entries:
            for code, text in p.summaries.items():
                if not p.created:
                    updated[code].append(p.instance.pk)
                rows.append({f"{kind}_id": p.instance.pk, "language": code, "text": text})
                self.report.summaries[code] += 1
        for code, ids in updated.items():
            delete_rows(model.objects.filter(**{f"{kind}_id__in": ids}, language=code))
        self.inserters[model].insert(rows)

    def _write_tags(self, entries):
        names = {name for p in entries for name in p.tags if name not in self.tag_ids}
        if names:
            for tag in Tag.objects.filter(name__in=names):
                self.tag_ids[tag.name] = tag.pk
            missing = [n for n in sorted(names) if n not in self.tag_ids]
            if missing:
                wanted = {
                    n: slug_from_title(unquote(self.tag_slugs.get(n) or ""), max_length=116)
                    or slug_from_title(n, max_length=116) or "tag"
                    for n in missing
                }
                taken = set(Tag.objects.filter(slug__in=set(wanted.values())).values_list(
                    "slug", flat=True))
                new_tags = []
                for name in missing:
                    base = candidate = wanted[name]
                    n = 2
                    while candidate in taken or (
                        candidate != base and Tag.objects.filter(slug=candidate).exists()
                    ):
                        candidate, n = f"{base}-{n}", n + 1
                    taken.add(candidate)
                    new_tags.append(Tag(name=name, slug=candidate))
                Tag.objects.bulk_create(new_tags)
                for tag in new_tags:
                    self.tag_ids[tag.name] = tag.pk
                self.report.created["tags"] += len(new_tags)
        through = Post.tags.through
        delete_rows(through.objects.filter(
            post_id__in=[p.instance.pk for p in entries if not p.created]))
        links = {
            (p.instance.pk, self.tag_ids[name]) for p in entries for name in p.tags
        }
        self.inserters[through].insert(
            [{"post_id": post_id, "tag_id": tag_id} for post_id, tag_id in sorted(links)],
            ignore_conflicts=True,
        )

    def _write_redirects(self, kind, entries):
        wanted = {}
        for p in entries:
            obj = p.instance
            target = self._url(kind, obj)
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
                new.append({"old_path": path, "new_path": "", "post_id": post and post.pk,
                            "page_id": page and page.pk})
            elif (redirect.post_id, redirect.page_id, redirect.new_path) != (
                post and post.pk, page and page.pk, ""
            ):
                elsewhere.append((redirect, post, page, obj))
        ours = self._imported_from_this_blog(redirect for redirect, *_rest in elsewhere)
        for redirect, post, page, obj in elsewhere:
            if (redirect.post_id, redirect.page_id) in ours:
                # A newer export of the same blog: the address now belongs to another of its
                # items, as it does on WordPress.
                redirect.post, redirect.page, redirect.new_path = post, page, ""
                changed.append(redirect)
            else:
                # Another blog's, or set by hand: readers following the old address still get
                # what they got so far; the clash is reported by address.
                self.report.redirect_kept(redirect.old_path, self._target(redirect), kind,
                                          obj.title)
        self.inserters[Redirect].insert(new)
        if changed:
            Redirect.objects.bulk_update(changed, ["post", "page", "new_path"])
        self.report.created["redirects"] += len(new)
        self.report.updated["redirects"] += len(changed)

    def _imported_from_this_blog(self, redirects):
        """The (post id, page id) targets among ``redirects`` that an import of the blog being
        imported (the same ``source_site``, from the file's base_blog_url) created."""
        redirects = list(redirects)
        post_ids = {r.post_id for r in redirects if r.post_id}
        page_ids = {r.page_id for r in redirects if r.page_id}
        if not post_ids and not page_ids:
            return set()
        items = ImportedItem.objects.filter(source_site=self.source).filter(
            Q(wp_type=WordPressType.POST, post_id__in=post_ids)
            | Q(wp_type=WordPressType.PAGE, page_id__in=page_ids)
        )
        return {(post_id, page_id) for post_id, page_id in items.values_list("post_id", "page_id")}

    def _target(self, redirect):
        """Where an existing redirect leads, without loading whole posts."""
        if redirect.post_id:
            post = Post.objects.only("slug", "published_at").get(pk=redirect.post_id)
            return self._url("post", post)
        if redirect.page_id:
            return self._url("page", Page.objects.only("slug").get(pk=redirect.page_id))
        return redirect.new_path

    # Comments ------------------------------------------------------------------------------

    # After the last item -------------------------------------------------------------------

    def _attachment_rows(self, wp_ids=None, parents=None):
        queryset = ImportedItem.objects.filter(
            source_site=self.source, wp_type=WordPressType.ATTACHMENT)
        if wp_ids is not None:
            queryset = queryset.filter(wp_id__in=wp_ids)
        if parents is not None:
            queryset = queryset.filter(wp_parent__in=parents)
        return queryset

    def _finish(self):
        # Featured images, whatever order the file listed posts and attachments in.
        if self.covers:
            urls = {}
            for start in range(0, len(self.covers), 5000):
                chunk = self.covers[start:start + 5000]
                urls.update(self._attachment_rows({a for _p, a in chunk}).values_list("wp_id", "url"))
            posts = []
            for post_id, attachment in self.covers:
                url = clean_url(urls.get(attachment, ""))
                if url:
                    posts.append(Post(pk=post_id, cover_image_url=url))
                else:
                    self.report.note(_("A featured image (attachment %(id)s) is not in the file.")
                                     % {"id": attachment})
            Post.objects.bulk_update(posts, ["cover_image_url"], batch_size=500)
        # Parent pages.
        if self.page_parents:
            parents = dict(ImportedItem.objects.filter(
                source_site=self.source, wp_type=WordPressType.PAGE,
                wp_id__in={w for _p, w in self.page_parents},
            ).values_list("wp_id", "page_id"))
            pages = [Page(pk=pk, parent_id=parents.get(w)) for pk, w in self.page_parents
                     if parents.get(w) and parents.get(w) != pk]
            Page.objects.bulk_update(pages, ["parent"])
        self._render_galleries()
        self._category_redirects()
        # Series positions the file did not give: after the known ones, by date.
        for series_id in self.series_touched:
            posts = list(Post.objects.filter(series_id=series_id).order_by("published_at", "id"))
            top = max((p.series_position or 0 for p in posts), default=0)
            missing = [p for p in posts if p.series_position is None]
            for offset, post in enumerate(missing, start=1):
                post.series_position = top + offset
            Post.objects.bulk_update(missing, ["series_position"])

    def _category_redirects(self):
        """WordPress's /category/<slug>/ pages now live at the tag the category became."""
        if not self.categories:
            return
        slugs = dict(Tag.objects.filter(name__in=set(self.categories.values()))
                     .values_list("name", "slug"))
        wanted = {}
        for nicename, name in self.categories.items():
            if name in slugs:
                path = f"/category/{nicename}/"
                if len(path) <= 500:
                    wanted[path] = reverse("blog:tag", kwargs={"slug": slugs[name]})
        existing = set(Redirect.objects.filter(old_path__in=list(wanted)).values_list(
            "old_path", flat=True))
        new = [Redirect(old_path=path, new_path=target) for path, target in wanted.items()
               if path not in existing]
        Redirect.objects.bulk_create(new)
        self.report.created["redirects"] += len(new)

    def _render_galleries(self):
        for kind, pk, wp_id in self.galleries:
            model = Post if kind == "post" else Page
            obj = model.objects.only("body").get(pk=pk)

            def replace(match, wp_id=wp_id):
                import json

                spec = json.loads(match.group(1))
                if spec["ids"]:
                    found = {row.wp_id: row for row in self._attachment_rows(spec["ids"])}
                    rows = [found[i] for i in spec["ids"] if i in found]
                else:
                    rows = sorted(
                        self._attachment_rows(parents=[spec.get("parent") or wp_id]),
                        key=lambda r: (r.original.get("menu_order", 0), r.wp_id),
                    )
                rows = [r for r in rows if r.wp_id not in spec.get("exclude", [])]
                if not rows:
                    self.report.note(_("A gallery of item %(id)s has no images in the file.")
                                     % {"id": wp_id})
                return wpcontent.gallery_html(spec, [
                    {"url": r.url, "caption": r.original.get("caption", ""),
                     "alt": r.original.get("alt", "")} for r in rows
                ])

            body = wpcontent.GALLERY_PLACEHOLDER.sub(replace, obj.body)
            model.objects.filter(pk=pk).update(body=body, body_html=body)


@contextmanager
def _sqlite_cache(kib=65536):
    """A bigger SQLite page cache while importing: the indexes of a large blog stop fitting in
    the default 2 MB, and every insert then pays for page reads."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def import_wxr(path, *, dry_run=False, recover=False, default_language=None, progress=None,
               display_name=None):
    """Import a WordPress export in one transaction; returns the ``ImportReport``.

    Raises ``WXRError`` (with nothing written) when the file is refused. With ``dry_run`` the
    report is complete but the transaction is rolled back.
    """
    from . import tasks

    report = ImportReport(file=display_name or str(path), dry_run=dry_run)
    records = RecordSource(WXRReader(path, recover=recover, display_name=display_name))
    started = time.monotonic()
    tick = None
    if progress is not None:
        def tick():
            progress(records.position)
    try:
        with transaction.atomic(), _sqlite_cache():
            writer = Writer(report, default_language=default_language, progress=tick)
            try:
                writer.write(records)
            except DatabaseError as error:
                raise WXRError(
                    _("%(file)s: the database refused the import (%(error)s). Nothing was "
                      "imported.") % {"file": report.file, "error": str(error).strip()[:300]}
                ) from error
            report.control_characters = records.control_characters
            report.seconds = time.monotonic() - started
            if dry_run:
                raise ImportAborted
            source = report.source_site
            transaction.on_commit(lambda: tasks.detect_comment_languages.enqueue(source))
            mark_changed(post_ids=report.post_ids, page_ids=report.page_ids)
    except ImportAborted:
        pass
    return report
