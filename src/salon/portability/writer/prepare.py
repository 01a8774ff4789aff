"""From an ``Entry`` record to a ``PreparedEntry``: its state, language, summaries, terms and
the fields of its post or page, before anything is written. A full batch is then written
(``entries.flush``)."""

import html
import uuid
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from salon import languages
from salon.blog.models import BodyFormat, Status, Visibility
from salon.blog.slugs import slug_from_title

from ..cleaning import clean_url, convert_entry, language_code
from ..records import Entry, Term
from . import entries

# How sure detection must be to override the language the file declares: the detected language
# must come first among all languages, ahead of all the others together.
DETECTION_MIN_CONFIDENCE = 0.5

# Taxonomies that say something Salon stores elsewhere (languages, translations, formats).
CONSUMED_TAXONOMIES = {"language", "post_translations", "term_language", "term_translations"}


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


def prepare_entry(state, entry):
    status = status_of(state, entry)
    if status is None:
        reason = {"trash": _("in the trash"), "auto-draft": _("automatic drafts")}.get(
            entry.status, entry.status
        )
        state.report.skip(_("trashed posts"), reason)
        if entry.comments:
            state.report.skip(
                _("comments"), _("on an item that was not imported"), len(entry.comments)
            )
        return
    converted = entry.converted or convert_entry(entry, state.language_codes)
    notes = converted.notes
    state.report.unknown_shortcodes.update(notes.unknown_shortcodes)
    state.report.dynamic_blocks.update(notes.dynamic_blocks)
    state.report.removed_markup.update(notes.removed_markup)
    raw_title, candidates, rest = converted.title, converted.marked_paragraphs, converted.rest
    language = language_of(state, entry, converted.title_language, converted.sample)
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
                state.taxonomy.tag_slugs.setdefault(name, nicename)
        elif domain == "category":
            if (nicename or "").lower() == "uncategorized" or not name:
                continue
            if is_language_category(state, nicename, name):
                continue
            tags.append(name)
            if nicename and len(state.taxonomy.categories) < 10000:
                state.taxonomy.categories.setdefault(nicename, name)
        elif domain == "series":
            series_slug = (nicename or slug_from_title(name))[:200]
            if series_slug not in state.taxonomy.series_terms:
                state.taxonomy.series_terms.setdefault(
                    series_slug, Term("series", series_slug, name)
                )
        elif domain in CONSUMED_TAXONOMIES:
            continue
        elif domain == "post_format":
            continue
        else:
            state.report.skip(_("terms"), _("taxonomy “%(name)s”") % {"name": domain})
    title = (raw_title or "")[:300]
    if not title:
        title = _("(no title)") if entry.kind == "post" else _("(untitled page)")
    fields = {
        "title": title,
        "language": language,
        "body": body,
        "body_format": BodyFormat.HTML,
        "status": status,
        "published_at": entry.published_at or state.now,
    }
    meta = entry.meta
    if entry.kind == "post":
        password = entry.password or ""
        if len(password) > 100:
            state.report.note(
                _("%(item)s: its password is longer than 100 characters; the first 100 were kept.")
                % {"item": entry.label}
            )
        fields.update(
            visibility=Visibility.PRIVATE if entry.status == "private" else Visibility.PUBLIC,
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
                explicit_key = uuid.uuid5(uuid.NAMESPACE_URL, f"{state.source}#{nicename}")
        group = meta.get("_wpml_import_translation_group")
        if group:
            explicit_key = uuid.uuid5(uuid.NAMESPACE_URL, f"{state.source}#wpml-{group}")
    position = meta.get("_salon_series_position", "")
    prepared = PreparedEntry(
        entry=entry,
        fields=fields,
        language=language,
        tags=tags,
        summaries=summaries,
        series_slug=series_slug,
        series_position=int(position) if position.isdigit() and int(position) > 0 else None,
        explicit_key=explicit_key,
        thumbnail_wp_id=int(meta["_thumbnail_id"])
        if meta.get("_thumbnail_id", "").isdigit()
        else None,
        galleries=bool(notes.galleries),
    )
    state.entries.pending.append(prepared)
    state.entries.pending_comments += len(entry.comments)
    if (
        len(state.entries.pending) >= state.batch_size
        or state.entries.pending_comments >= state.batch_size * 20
    ):
        entries.flush(state)


def status_of(state, entry):
    status = entry.status
    if status in ("trash", "auto-draft", "inherit"):
        return None
    if status == "publish":
        if entry.published_at and entry.published_at > state.now:
            return Status.SCHEDULED
        return Status.PUBLISHED
    if status == "future":
        return Status.SCHEDULED
    if status == "private":
        # Published for the author alone (Post.visibility); a page has no visibility, so a
        # private page waits as a draft.
        if entry.kind == "post":
            return Status.PUBLISHED
        state.report.note(
            _("%(item)s was private on WordPress: imported as a draft.") % {"item": entry.label}
        )
    return Status.DRAFT


def language_of(state, entry, title_code, body_text):
    if title_code:
        return title_code
    for domain, nicename, name in entry.terms:
        if domain == "language":
            code = language_code(nicename) or language_code(name)
            if code:
                return code
    for key in ("_wpml_import_language_code", "_wpml_language", "wpml_language", "_salon_language"):
        code = language_code(entry.meta.get(key))
        if code:
            return code
    for domain, nicename, name in entry.terms:
        if domain == "category":
            code = state.language_names.get(
                slug_from_title(html.unescape(name))
            ) or state.language_names.get(nicename.lower())
            if code:
                return code
    if state.default_language:
        return state.default_language
    declared = language_code(state.site.language if state.site else "")
    if declared:
        # The file says the blog's language: detection overrides it only when confident
        # (a Lorem ipsum page of an English blog is not French because it is closer to
        # French than to English).
        return languages.detect_language(
            body_text, default=declared, min_confidence=DETECTION_MIN_CONFIDENCE
        )
    fallback = languages.content_languages()[0]
    return languages.detect_language(body_text, default=fallback) or fallback


def is_language_category(state, nicename, name):
    return bool(
        state.language_names.get(slug_from_title(html.unescape(name)))
        or state.language_names.get((nicename or "").lower())
    )
