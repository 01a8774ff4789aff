"""Bringing Salon's own JSON export back in (``salon import-json``), losslessly.

The document is read and checked whole first (``json_shape``), then written in one
transaction: a refused file, or any database error, leaves the database as it was, and
``--dry-run`` runs the same code and rolls back, so its report is exact.

Rows are written through the models (``save()``), so what ``save()`` derives applies: a post's
``body_html`` from its Markdown, a response's cleaned HTML and domain, and the blog's
``posts_changed`` event after the commit; what is written beside ``save()`` is noted for that
event with ``mark_changed()``. Dates ``save()`` would
set itself (``created_at``, ``updated_at``) are then written as the file gives them, to the
microsecond. Webmentions are muted: an import announces nothing.

Ids in the file are the exporting database's; rows are matched by what stays the same from one
database to another, so a re-import updates instead of duplicating: tags and series by slug,
posts and pages by ``(translation_key, language)``, responses by their source URL or else by
(date, author, kind) within their post, redirects by old path, subscribers by address. A row
whose fields already hold the file's values is left alone (counted as unchanged).
"""

import time
import uuid

from django.db import DatabaseError, IntegrityError, models, transaction
from django.utils.translation import gettext as _

from salon.blog.models import (
    Page,
    PageSummary,
    Post,
    PostSummary,
    Redirect,
    Series,
    Tag,
    Visibility,
)
from salon.blog.rendering import unsanitised_html
from salon.blog.sanitising import removed_markup
from salon.blog.signals import mark_changed
from salon.blog.slugs import unique_slug
from salon.conversations.models import Origin, Response, Subscriber, Subscription
from salon.webmention.signals import muted

from .bulk import update_rows
from .import_json_report import JSONImportReport, render_json_report
from .json_shape import ImportJSONError, load, parse_date

__all__ = ["JSONImportReport", "import_json", "render_json_report"]


def _date(value):
    return parse_date(value) if value else None


def _same(obj, values):
    return all(getattr(obj, name) == value for name, value in values.items())


def _check_lengths(obj, path):
    """A text longer than its column is refused with its place (SQLite would keep it whole,
    PostgreSQL would refuse the whole file with a bare database error)."""
    for f in obj._meta.concrete_fields:
        if isinstance(f, models.CharField) and f.max_length:
            value = getattr(obj, f.attname)
            if isinstance(value, str) and len(value) > f.max_length:
                raise ImportJSONError(
                    _(
                        "%(path)s: %(field)s is %(length)s characters long, at most %(max)s. "
                        "Nothing was imported."
                    )
                    % {"path": path, "field": f.name, "length": len(value), "max": f.max_length}
                )


class JSONWriter:
    def __init__(self, data, report):
        self.data = data
        self.report = report
        self.tags = {}  # slug -> Tag
        self.series = {}  # slug -> Series
        self.posts = {}  # file id -> Post
        self.pages = {}  # file id -> Page
        self.responses = {}  # file id -> Response

    def write(self):
        for i, tag in enumerate(self.data["tags"]):
            self._tag(tag, f"tags[{i}]")
        for i, series in enumerate(self.data["series"]):
            self._series(series, f"series[{i}]")
        for i, post in enumerate(self.data["posts"]):
            self._post(post, f"posts[{i}]")
        for i, page in enumerate(self.data["pages"]):
            self._publishable(
                Page,
                self.pages,
                "pages",
                page,
                f"pages[{i}]",
                {"menu_order": page["menu_order"], "show_in_menu": page["show_in_menu"]},
            )
        for page in self.data["pages"]:
            obj = self.pages[page["id"]]
            parent = self.pages[page["parent"]].pk if page["parent"] is not None else None
            if obj.parent_id != parent:
                Page.objects.filter(pk=obj.pk).update(parent_id=parent)
                mark_changed(page_ids=[obj.pk])
        for i, redirect in enumerate(self.data["redirects"]):
            self._redirect(redirect, f"redirects[{i}]")
        for i, subscriber in enumerate(self.data.get("subscribers", [])):
            self._subscriber(subscriber, f"subscribers[{i}]")

    # Tags and series, by slug.
    def _save(self, kind, obj, values, path, created):
        """Set ``values`` on ``obj`` and save it unless it already holds them."""
        if not created and _same(obj, values):
            self.report.count(kind, "unchanged")
            return False
        for name, value in values.items():
            setattr(obj, name, value)
        _check_lengths(obj, path)
        obj.save()
        self.report.count(kind, "created" if created else "updated")
        return True

    def _tag(self, tag, path):
        obj = Tag.objects.filter(slug=tag["slug"]).first()
        if obj is None:
            same_name = Tag.objects.filter(name=tag["name"]).first()
            if same_name is not None:  # names are unique too: the tag is already here
                self.report.notes.append(
                    _(
                        "%(path)s: the tag “%(name)s” is already here as “%(slug)s”; its posts "
                        "get that one."
                    )
                    % {"path": path, "name": tag["name"], "slug": same_name.slug}
                )
                self.report.count("tags", "unchanged")
                self.tags[tag["slug"]] = same_name
                return
        created = obj is None
        if created:
            obj = Tag(slug=tag["slug"])
        self._save("tags", obj, {"name": tag["name"]}, path, created)
        self.tags[tag["slug"]] = obj

    def _series(self, series, path):
        obj = Series.objects.filter(slug=series["slug"]).first()
        created = obj is None
        if created:
            obj = Series(slug=series["slug"])
        self._save(
            "series",
            obj,
            {
                "title": series["title"],
                "description": series["description"],
                "planned_length": series["planned_length"],
            },
            path,
            created,
        )
        self.series[obj.slug] = obj

    # Posts and pages, by (translation key, language).
    def _publishable(self, model, ids, kind, record, path, extra):
        key = uuid.UUID(record["translation_key"])
        obj = model.objects.filter(translation_key=key, language=record["language"]).first()
        created = obj is None
        if created:
            obj = model(translation_key=key, language=record["language"])
        slug = record["slug"]
        if slug and model.objects.filter(slug=slug).exclude(pk=obj.pk).exists():
            taken, slug = slug, unique_slug(model, slug, instance_pk=obj.pk)
            self.report.notes.append(
                _(
                    "%(path)s: the slug “%(taken)s” is taken here by another text; this one is "
                    "“%(slug)s”."
                )
                % {"path": path, "taken": taken, "slug": slug}
            )
        values = {
            "title": record["title"],
            "slug": slug,
            "body": record["body"],
            "body_format": record["body_format"],
            "status": record["status"],
            "published_at": _date(record["published_at"]),
            **extra,
        }
        self.report.removed_markup.update(
            removed_markup(
                unsanitised_html(record["body"], record["body_format"], record["language"])
            )
        )
        saved = self._save(kind, obj, values, path, created)
        dates = {"updated_at": _date(record["updated_at"])}
        if record.get("created_at"):
            dates["created_at"] = _date(record["created_at"])
        if saved or not _same(obj, dates):
            model.objects.filter(pk=obj.pk).update(**dates)
            for name, value in dates.items():
                setattr(obj, name, value)
            if not saved:
                self.report.unchanged[kind] -= 1
                self.report.count(kind, "updated")
                mark_changed(**{"post_ids" if model is Post else "page_ids": [obj.pk]})
        summary_model = PostSummary if model is Post else PageSummary
        self._summaries(summary_model, obj, record["summaries"])
        self.report.languages[obj.language] += 1
        ids[record["id"]] = obj
        return obj

    def _summaries(self, summary_model, obj, texts):
        parent = summary_model.parent_field
        existing = {s.language: s for s in summary_model.objects.filter(**{parent: obj})}
        for code, summary in existing.items():
            if code not in texts:
                summary.delete()
                self.report.count("summaries", "updated")
        for code, text in sorted(texts.items()):
            summary = existing.get(code)
            if summary is None:
                summary_model(**{parent: obj}, language=code, text=text).save()
                self.report.count("summaries", "created")
            elif summary.text != text:
                summary.text = text
                summary.save()
                self.report.count("summaries", "updated")
            else:
                self.report.count("summaries", "unchanged")

    def _post(self, record, path):
        cover = record["cover"] or {}
        source = record["source"] or {}
        series = record["series"]
        image_url = cover.get("image_url", cover.get("url", "") if not cover.get("file") else "")
        extra = {
            "visibility": record.get("visibility", Visibility.PUBLIC),
            "sticky": record["sticky"],
            "comments_open": record["comments_open"],
            "password": record["password"],
            "in_reply_to_url": record["in_reply_to_url"],
            "series_id": self.series[series["slug"]].pk if series else None,
            "series_position": series["position"] if series else None,
            "cover_image": cover.get("file") or "",
            "cover_image_url": image_url,
            "cover_alt": cover.get("alt", ""),
            "cover_credit": cover.get("credit", ""),
            "cover_licence": cover.get("licence", ""),
            "cover_licence_url": cover.get("licence_url", ""),
            "source_name": source.get("name", ""),
            "source_url": source.get("url", ""),
            "canonical_to_source": source.get("canonical", False),
        }
        post = self._publishable(Post, self.posts, "posts", record, path, extra)
        tag_ids = {self.tags[slug].pk for slug in record["tags"]}
        if set(post.tags.values_list("pk", flat=True)) != tag_ids:
            post.tags.set(tag_ids)
        self._responses(post, record["responses"], path)

    # Responses, by source URL or (date, author, kind) within their post.
    def _responses(self, post, records, path):
        by_source, by_moment = {}, {}
        for response in Response.objects.filter(post=post).order_by("pk"):
            if response.source_url:
                by_source[response.source_url] = response
            key = (response.created_at, response.author_name, response.kind)
            by_moment.setdefault(key, []).append(response)
        taken = set()

        def match(record, created_at):
            """The row this record was imported as: by source URL, else the first row of
            that date, author and kind not matched yet (two alike stay two)."""
            found = by_source.get(record["source_url"]) if record["source_url"] else None
            if found is None or found.pk in taken:
                key = (created_at, record["author"]["name"], record["kind"])
                found = next((r for r in by_moment.get(key, ()) if r.pk not in taken), None)
            if found is not None:
                taken.add(found.pk)
            return found

        rows, fresh = [], []
        for i, record in enumerate(records):
            where = f"{path}.responses[{i}]"
            created_at = _date(record["created_at"])
            author = record["author"]
            existing = match(record, created_at)
            values = {
                "kind": record["kind"],
                "origin": record["origin"],
                # An older file has no by_author: the author's door says it.
                "by_author": record.get("by_author", record["origin"] == Origin.AUTHOR),
                "state": record["state"],
                "author_name": author["name"],
                "author_email": author["email"],
                "author_url": author["url"],
                "author_photo": author["photo"],
                "content": record["content"],
                "content_html": record["content_html"],
                "language": record["language"] or "",
                "source_url": record["source_url"],
                "created_at": created_at,
                # What the spam checks said, when the file has it (older files do not; the
                # measure behind it is not carried).
                "checks": record.get("checks") or "",
            }
            if existing is not None and not values["language"]:
                # Not yet detected when exported; detected here since (save() does).
                values["language"] = existing.language
            if existing is not None and _same(existing, values):
                obj = existing
                self.report.count("responses", "unchanged")
            elif existing is not None:
                # A new instance built from the old row's fields and the file's: save() then
                # keeps the file's shown HTML (cleaned) instead of making it again, and what the
                # export does not carry (IP address, user agent) stays.
                kept = {
                    f.attname: getattr(existing, f.attname) for f in Response._meta.concrete_fields
                }
                obj = Response(**{**kept, **values, "post_id": post.pk})
                _check_lengths(obj, where)
                obj.save()
                self.report.count("responses", "updated")
            else:
                # New rows are written together: what save() derives is filled first, and the
                # page cache hears of them once, after the commit (a purge per row cost more
                # than the rest of the import).
                obj = Response(**values, post_id=post.pk)
                obj.fill_derived()
                _check_lengths(obj, where)
                fresh.append(obj)
                self.report.count("responses", "created")
            self.responses[record["id"]] = obj
            rows.append((obj, record))
        if fresh:
            Response.objects.bulk_create(fresh, batch_size=500)  # sets their ids
            mark_changed(post_ids=[post.pk])  # its page shows them
        # Threads and the dates save() sets itself, once every row of the post has an id.
        fixes = []
        for obj, record in rows:
            parent = record["parent"]
            parent_id = self.responses[parent].pk if parent is not None else None
            moment = _date(record.get("updated_at"))
            if obj.parent_id != parent_id or (moment and obj.updated_at != moment):
                obj.parent_id = parent_id
                obj.updated_at = moment or obj.updated_at
                fixes.append(obj)
        if fixes:
            update_rows(Response, fixes, ["parent", "updated_at"])
            mark_changed(post_ids=[post.pk])

    # Redirects (an existing one is kept), subscribers.
    def _redirect(self, record, path):
        target = {"post_id": None, "page_id": None, "new_path": ""}
        if record.get("post") is not None:
            target["post_id"] = self.posts[record["post"]].pk
        elif record.get("page") is not None:
            target["page_id"] = self.pages[record["page"]].pk
        else:
            target["new_path"] = record.get("new_path", record["target"])  # version 1: target
        existing = Redirect.objects.filter(old_path=record["old_path"]).first()
        if existing is None:
            obj = Redirect(old_path=record["old_path"], **target)
            _check_lengths(obj, path)
            obj.save()
            self.report.count("redirects", "created")
        elif _same(existing, target):
            self.report.count("redirects", "unchanged")
        else:
            self.report.count("redirects", "unchanged")
            self.report.notes.append(
                _("%(path)s: %(old)s already leads to %(here)s; kept (the file says %(file)s).")
                % {
                    "path": path,
                    "old": record["old_path"],
                    "here": existing.target(),
                    "file": record["target"],
                }
            )

    def _subscriber(self, record, path):
        email = record["email"]
        obj = Subscriber.objects.filter(email=email).first()
        created = obj is None
        if created:
            obj = Subscriber(email=email)
        self._save(
            "subscribers",
            obj,
            {
                "confirmed_at": _date(record["confirmed_at"]),
                "created_at": _date(record["created_at"]),
            },
            path,
            created,
        )
        for i, item in enumerate(record["subscriptions"]):
            post = self.posts[item["post"]]
            response = self.responses[item["response"]] if item["response"] is not None else None
            sub = Subscription.objects.filter(
                subscriber=obj, post=post, scope=item["scope"], response=response
            ).first()
            is_new = sub is None
            if is_new:
                sub = Subscription(
                    subscriber=obj, post=post, scope=item["scope"], response=response
                )
            self._save(
                "subscriptions",
                sub,
                {
                    "language": item["language"],
                    "active": item["active"],
                    "created_at": _date(item["created_at"]),
                },
                f"{path}.subscriptions[{i}]",
                is_new,
            )


def import_json(path, dry_run=False, display_name=None):
    """Import the JSON export at ``path`` in one transaction; return its report."""
    name = display_name or str(path)
    started = time.monotonic()
    data = load(path, name)
    report = JSONImportReport(
        file=name,
        source_site=data["site"]["url"],
        version=data["version"],
        exported_at=data["exported_at"],
        dry_run=dry_run,
    )
    try:
        with transaction.atomic(), muted():
            writer = JSONWriter(data, report)
            writer.write()
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError as error:
        raise ImportJSONError(
            _("%(file)s: the database refused a row (%(error)s). Nothing was imported.")
            % {"file": name, "error": str(error).strip().splitlines()[0]}
        ) from None
    except DatabaseError as error:
        raise ImportJSONError(
            _("%(file)s: the database failed (%(error)s). Nothing was imported.")
            % {"file": name, "error": str(error).strip().splitlines()[0]}
        ) from None
    report.seconds = time.monotonic() - started
    return report
