"""Reading a WordPress export (WXR 1.0 to 1.2) as a stream of neutral records.

The file is read with lxml's ``iterparse``: each ``<item>`` is turned into a record as soon as it
ends, then cleared, so memory stays bounded whatever the file's size. The bytes pass through
``CleanStream`` first (``wxr_stream.py``: HTML entities declared, control characters removed,
bytes that are not UTF-8 replaced when recovering); values are read by ``wxr_fields.py``.

The WXR namespace is matched by version whatever its scheme (``http://`` and ``https://``
``wordpress.org/export/1.2/`` both occur), and so are the excerpt and content namespaces.
"""

import re
from pathlib import Path

from django.utils.translation import gettext as _
from lxml import etree

from .records import Attachment, Author, Comment, Entry, Repair, Site, Skipped, Term
from .wxr_fields import (
    KINDS,
    SUPPORTED_VERSIONS,
    WXR_NAMESPACE,
    DateError,
    classify,
    element_text,
    meta_pair,
    resolve_date,
    split_tag,
    to_int,
)
from .wxr_stream import CleanStream

# The kind of Skipped record for an item (or a comment) that lacks what Salon needs; the
# report names each one.
INCOMPLETE = "incomplete"

# Post types Salon does not model, with the reason the summary gives.
SKIPPED_TYPES = {
    "nav_menu_item": "menus",
    "wp_navigation": "menus",
    "revision": "revisions",
    "wp_template": "theme",
    "wp_template_part": "theme",
    "wp_global_styles": "theme",
    "custom_css": "theme",
    "customize_changeset": "theme",
    "wp_font_family": "theme",
    "wp_font_face": "theme",
    "wp_block": "reusable blocks",
    "oembed_cache": "caches",
    "user_request": "privacy requests",
}


class WXRError(Exception):
    """A file Salon refuses, with a message naming the file and the place."""


class WXRReader:
    """``WXRReader(path).records()`` yields Site, Author, Term, Entry, Attachment and Skipped
    records (and Repair records with ``recover``); it raises ``WXRError`` on a file it refuses."""

    def __init__(self, path, recover=False, display_name=None):
        self.path = Path(path)
        self.name = display_name or str(path)
        self.recover = recover
        self.stream = None
        self.site = None
        self.version = None
        self.skipped_comments = []  # with recover: comments left out of the item just read

    # Errors --------------------------------------------------------------------------------

    def _syntax_error(self, error):
        line, column = getattr(error, "position", (0, 0)) or (0, 0)
        if self.stream is not None:
            column = self.stream.column(line, column)
        message = (getattr(error, "msg", "") or str(error)).strip()
        message = re.sub(r",\s*line \d+, column \d+$", "", message)
        if "Document is empty" in message or "Start tag expected" in message:
            return WXRError(
                _("%(file)s is not an XML file (line %(line)s, column %(column)s: %(error)s).")
                % {"file": self.name, "line": line, "column": column, "error": message}
            )
        return WXRError(
            _(
                "%(file)s, line %(line)s, column %(column)s: the XML is damaged (%(error)s). "
                "Nothing was imported; --recover imports what the file still holds."
            )
            % {"file": self.name, "line": line, "column": column, "error": message}
        )

    def _item_error(self, label, line, message):
        return WXRError(
            _("%(file)s, line %(line)s, %(item)s: %(error)s Nothing was imported.")
            % {"file": self.name, "line": line, "item": label, "error": message}
        )

    def _no_version(self, line):
        return WXRError(
            _(
                "%(file)s is not a WordPress export: it has no valid wp:wxr_version before its "
                "first item (line %(line)s). Export again from WordPress's Tools › Export."
            )
            % {"file": self.name, "line": line}
        )

    # Reading -------------------------------------------------------------------------------

    def records(self):
        try:
            raw = self.path.open("rb")
        except OSError as error:
            raise WXRError(
                _("Cannot read %(file)s: %(error)s.") % {"file": self.name, "error": error.strerror}
            ) from None
        with raw:
            self.stream = CleanStream(raw, recover=self.recover)
            yield from self._records()

    def _records(self):
        parser = etree.iterparse(
            self.stream,
            events=("end",),
            tag=(
                "{*}item",
                "{*}wxr_version",
                "{*}base_site_url",
                "{*}base_blog_url",
                "{*}author",
                "{*}category",
                "{*}tag",
                "{*}term",
            ),
            recover=self.recover,
            resolve_entities="internal",
            no_network=True,
            remove_comments=True,
            remove_pis=True,
            huge_tree=False,
        )
        channel_info = {}
        item_lines = []  # with recover: (line, label) of each item, to place the repairs
        last_line = 1
        try:
            for _event, element in parser:
                namespace, local = split_tag(element.tag)
                parent = element.getparent()
                parent_local = split_tag(parent.tag)[1] if parent is not None else None
                last_line = element.sourceline or last_line
                if local == "item":
                    if parent_local != "channel" and not self.recover:
                        continue  # an <item> inside something else is not a WordPress item
                    if self.site is None:
                        self._read_channel(parent, channel_info)
                        if self.version is None:
                            raise self._no_version(element.sourceline)
                        self.site = Site(wxr_version=self.version, **channel_info)
                        yield self.site
                    record = self._item(element)
                    if self.recover:
                        item_lines.append((element.sourceline or 0, _label(record)))
                    if record is not None:
                        yield record
                    if self.skipped_comments:
                        yield from self.skipped_comments
                        self.skipped_comments = []
                elif parent_local == "channel":
                    self._read_channel(parent, channel_info)
                    if local == "wxr_version":
                        self._check_version(namespace, element)
                    else:
                        record = self._channel_element(namespace, local, element)
                        if record is not None:
                            yield record
                else:
                    continue  # an item's own <category>: read with its item
                # Free what has been read: the element and everything before it in its parent.
                element.clear(keep_tail=False)
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as error:
            raise self._syntax_error(error) from None
        if self.site is None:
            if self.version is None:
                raise self._no_version(last_line)
            self.site = Site(wxr_version=self.version, **channel_info)
            yield self.site
        if self.recover:
            yield from self._repairs(parser, item_lines)

    def _check_version(self, namespace, element):
        version = (element.text or "").strip()
        if not WXR_NAMESPACE.match(namespace or ""):
            raise self._no_version(element.sourceline)
        if version not in SUPPORTED_VERSIONS:
            raise WXRError(
                _(
                    "%(file)s, line %(line)s: unknown WXR version “%(version)s”; Salon reads "
                    "WordPress exports of versions 1.0 to 1.2."
                )
                % {"file": self.name, "line": element.sourceline, "version": version[:20]}
            )
        self.version = version

    def _read_channel(self, channel, info):
        """Channel title, link… are noted before they are freed with the elements around them."""
        if channel is None or self.site is not None:
            return
        for child in channel:
            namespace, local = split_tag(child.tag)
            if namespace == "" and local in ("title", "link", "description", "language"):
                info.setdefault(local, (child.text or "").strip())
            elif local in ("base_site_url", "base_blog_url") and WXR_NAMESPACE.match(namespace):
                info.setdefault(local, (child.text or "").strip())

    def _channel_element(self, namespace, local, element):
        if not WXR_NAMESPACE.match(namespace or ""):
            return None
        fields = {}
        meta = {}
        for child in element:
            child_ns, child_local = split_tag(child.tag)
            if child_local is None:
                continue
            if child_local == "termmeta":
                key = value = ""
                for part in child:
                    if split_tag(part.tag)[1] == "meta_key":
                        key = (part.text or "").strip()
                    elif split_tag(part.tag)[1] == "meta_value":
                        value = part.text or ""
                if key:
                    meta[key] = value
            else:
                fields[child_local] = (child.text or "").strip()
        if local == "author":
            return Author(
                login=fields.get("author_login", ""),
                email=fields.get("author_email", ""),
                display_name=fields.get("author_display_name", ""),
            )
        if local == "category":
            return Term(
                taxonomy="category",
                slug=fields.get("category_nicename", ""),
                name=fields.get("cat_name", ""),
                parent=fields.get("category_parent", ""),
                description=fields.get("category_description", ""),
                meta=meta,
            )
        if local == "tag":
            return Term(
                taxonomy="post_tag",
                slug=fields.get("tag_slug", ""),
                name=fields.get("tag_name", ""),
                description=fields.get("tag_description", ""),
                meta=meta,
            )
        if local == "term":
            return Term(
                taxonomy=fields.get("term_taxonomy", ""),
                slug=fields.get("term_slug", ""),
                name=fields.get("term_name", ""),
                parent=fields.get("term_parent", ""),
                description=fields.get("term_description", ""),
                meta=meta,
            )
        return None

    def _item(self, element):
        plain, wp, terms, meta, comments = {}, {}, [], {}, []
        content = excerpt = ""
        for child in element:
            kind, local = classify(child.tag)
            if kind == "plain":
                if local == "category":
                    domain = child.get("domain") or "category"
                    terms.append((domain, child.get("nicename") or "", (child.text or "").strip()))
                else:
                    plain[local] = element_text(child)
            elif kind == "wp":
                if local == "postmeta":
                    key, value = meta_pair(child)
                    if key:
                        meta[key] = value
                elif local == "comment":
                    comments.append(child)
                else:
                    wp[local] = element_text(child)
            elif kind == "content":
                content = element_text(child)
            elif kind == "excerpt":
                excerpt = element_text(child)
            elif kind == "dc":
                plain["creator"] = element_text(child)
        title = (plain.get("title") or "").strip()
        line = element.sourceline or 0
        post_type = (wp.get("post_type") or "").strip()
        wp_id_text = (wp.get("post_id") or "").strip()
        if not post_type or not wp_id_text.isdigit():
            # As WordPress's own importer does: this item is skipped and named, the rest of
            # the file is imported.
            return Skipped(
                kind=INCOMPLETE,
                title=title,
                line=line,
                reason=self._missing(element, post_type, wp_id_text),
            )
        wp_id = int(wp_id_text)
        if post_type in SKIPPED_TYPES:
            return Skipped(
                kind=SKIPPED_TYPES[post_type], wp_id=wp_id, title=title, line=line, reason=post_type
            )
        if post_type == "attachment":
            return Attachment(
                wp_id=wp_id,
                url=(wp.get("attachment_url") or plain.get("guid") or "").strip(),
                parent_wp_id=to_int(wp.get("post_parent")),
                title=title,
                caption=excerpt.strip(),
                alt=(meta.get("_wp_attachment_image_alt") or "").strip(),
                link=(plain.get("link") or "").strip(),
                menu_order=to_int(wp.get("menu_order")),
            )
        if post_type not in ("post", "page"):
            return Skipped(
                kind="unknown post types", wp_id=wp_id, title=title, line=line, reason=post_type
            )
        label = f"“{title}” ({post_type} {wp_id})"
        try:
            published_at = resolve_date(
                wp.get("post_date_gmt"), wp.get("post_date"), plain.get("pubDate")
            )
        except DateError as error:
            problem = _("the date “%(date)s” does not parse.") % {"date": str(error)[:40]}
            if self.recover:  # the item alone is left out, and named
                return Skipped(
                    kind=INCOMPLETE, wp_id=wp_id, title=title, line=line, reason=problem.rstrip(".")
                )
            raise self._item_error(label, line, problem) from None
        parsed_comments = []
        for comment in comments:
            parsed = self._comment(comment, label, title)
            if parsed is not None:
                parsed_comments.append(parsed)
        return Entry(
            kind=post_type,
            wp_id=wp_id,
            title=title,
            link=(plain.get("link") or "").strip(),
            guid=(plain.get("guid") or "").strip(),
            content=content,
            excerpt=excerpt,
            status=(wp.get("status") or "").strip(),
            published_at=published_at,
            slug=(wp.get("post_name") or "").strip(),
            parent_wp_id=to_int(wp.get("post_parent")),
            menu_order=to_int(wp.get("menu_order")),
            password=wp.get("post_password") or "",
            sticky=(wp.get("is_sticky") or "").strip() == "1",
            comment_status=(wp.get("comment_status") or "").strip(),
            creator=(plain.get("creator") or "").strip(),
            terms=terms,
            meta=meta,
            comments=parsed_comments,
            line=line,
        )

    def _missing(self, element, post_type, wp_id_text):
        """Why an item cannot be imported: the WordPress field it lacks, and when its ``wp:``
        prefix names another namespace, which (its elements are then not WordPress's)."""
        if not post_type:
            reason = _("no wp:post_type")
        elif wp_id_text:
            reason = _("wp:post_id “%(value)s” is not a number") % {"value": wp_id_text[:20]}
        else:
            reason = _("no wp:post_id")
        namespace = element.nsmap.get("wp")
        if namespace and not WXR_NAMESPACE.match(namespace):
            reason += " " + _(
                "(its “wp:” prefix is bound to %(namespace)s, not to a WordPress export namespace)"
            ) % {"namespace": namespace[:100]}
        return reason

    def _comment(self, element, item_label, item_title):
        fields, meta = {}, {}
        kinds = KINDS
        for child in element:
            tag = child.tag
            kind, local = kinds[tag] if tag in kinds else classify(tag)
            if kind is None:
                continue
            if local == "commentmeta":
                key, value = meta_pair(child)
                if key:
                    meta[key] = value
            elif len(child):
                fields[local] = element_text(child)
            else:
                fields[local] = child.text or ""
        wp_id = to_int(fields.get("comment_id"), default=-1)
        try:
            created_at = resolve_date(fields.get("comment_date_gmt"), fields.get("comment_date"))
        except DateError as error:
            problem = _("comment %(id)s: the date “%(date)s” does not parse.") % {
                "id": wp_id,
                "date": str(error)[:40],
            }
            if self.recover:  # the comment alone is left out, and named
                self.skipped_comments.append(
                    Skipped(
                        kind=INCOMPLETE,
                        title=item_title,
                        line=element.sourceline or 0,
                        reason=problem.rstrip("."),
                    )
                )
                return None
            raise self._item_error(item_label, element.sourceline or 0, problem) from None
        return Comment(
            wp_id=wp_id,
            author_name=(fields.get("comment_author") or "").strip(),
            author_email=(fields.get("comment_author_email") or "").strip(),
            author_url=(fields.get("comment_author_url") or "").strip(),
            author_ip=(fields.get("comment_author_IP") or "").strip(),
            created_at=created_at,
            content=fields.get("comment_content") or "",
            approved=(fields.get("comment_approved") or "1").strip(),
            comment_type=(fields.get("comment_type") or "").strip(),
            parent_wp_id=to_int(fields.get("comment_parent")),
            meta=meta,
        )

    def _repairs(self, parser, item_lines):
        """With recover: every problem lxml met, placed in the item it happened in."""
        import bisect

        starts = [line for line, _label in item_lines]
        for entry in parser.error_log:
            label = ""
            index = bisect.bisect_right(starts, entry.line) - 1
            if index >= 0:
                label = item_lines[index][1]
            yield Repair(
                line=entry.line,
                column=self.stream.column(entry.line, entry.column),
                message=entry.message.strip(),
                item=label,
            )
        if self.stream.invalid_bytes:
            yield Repair(
                line=0,
                column=0,
                item="",
                message=_("%(count)s byte sequences that are not UTF-8 replaced with “�”.")
                % {"count": self.stream.invalid_bytes},
            )


def _label(record):
    if isinstance(record, Entry):
        return record.label
    if isinstance(record, Attachment):
        return f"attachment {record.wp_id}"
    if isinstance(record, Skipped):
        return f"“{record.title}”" if record.title else record.kind
    return ""
