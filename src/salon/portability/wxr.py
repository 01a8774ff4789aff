"""Reading a WordPress export (WXR 1.0 to 1.2) as a stream of neutral records.

The file is read with lxml's ``iterparse``: each ``<item>`` is turned into a record as soon as it
ends, then cleared, so memory stays bounded whatever the file's size. Before lxml sees the bytes,
a thin filter (``CleanStream``):

- declares the HTML named entities (``&nbsp;``, ``&eacute;``…) that WordPress sometimes leaves
  outside CDATA, so they parse instead of stopping the import;
- removes the ASCII control characters XML forbids (pasted from word processors, they are
  invisible and WordPress's own importer ignores them), counting them for the summary;
- with ``recover``, replaces bytes that are not UTF-8 with U+FFFD and counts them (without it,
  lxml refuses the file and names the line).

The WXR namespace is matched by version whatever its scheme (``http://`` and ``https://``
``wordpress.org/export/1.2/`` both occur), and so are the excerpt and content namespaces.
"""

import codecs
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html.entities import name2codepoint
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from .records import Attachment, Author, Comment, Entry, Repair, Site, Skipped, Term

SUPPORTED_VERSIONS = ("1.0", "1.1", "1.2")
_WXR_NAMESPACE = re.compile(r"^https?://(?:www\.)?wordpress\.(?:org|com)/export/(\d+\.\d+)/?$")
_EXCERPT_NAMESPACE = re.compile(r"^https?://(?:www\.)?wordpress\.(?:org|com)/export/[\d.]+/excerpt/?$")
_CONTENT_NAMESPACE = re.compile(r"^https?://purl\.org/rss/1\.0/modules/content/?$")
_DC_NAMESPACE = re.compile(r"^https?://purl\.org/dc/elements/1\.1/?$")

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

_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))
_ENTITY_DECLARATIONS = "".join(
    f'<!ENTITY {name} "&#{code};">'
    for name, code in sorted(name2codepoint.items())
    if name not in ("amp", "lt", "gt", "quot", "apos")
).encode("ascii")
_DOCTYPE = b"<!DOCTYPE rss [" + _ENTITY_DECLARATIONS + b"]>"


class WXRError(Exception):
    """A file Salon refuses, with a message naming the file and the place."""


class CleanStream:
    """A file-like object over the raw bytes that fixes what XML parsers choke on (see above)."""

    def __init__(self, raw, recover=False):
        self.raw = raw
        self.recover = recover
        self.started = False
        self.enabled = True
        self.control_characters = 0
        self.invalid_bytes = 0
        self.injected_at = None  # (line 1 column, length) of the declarations added
        self._decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
        self._decode = recover

    def _start(self, data):
        self.started = True
        if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:2] in (b"<\x00", b"\x00<"):
            self.enabled = False  # UTF-16: leave it to lxml
            return data
        head = data[:4096]
        declaration = re.match(rb"^(\xef\xbb\xbf)?<\?xml[^>]*\?>", head)
        if declaration:
            encoding = re.search(rb"encoding\s*=\s*[\"']([\w.:-]+)", declaration.group(0))
            if encoding and encoding.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
                self._decode = False  # a declared single-byte encoding: lxml decodes it
        if b"<!DOCTYPE" in head or b"<!doctype" in head:
            return data
        at = declaration.end() if declaration else (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        if not data[at:].lstrip()[:1] == b"<":
            return data  # not XML at all: let lxml say so
        self.injected_at = (at - (3 if data.startswith(b"\xef\xbb\xbf") else 0), len(_DOCTYPE))
        return data[:at] + _DOCTYPE + data[at:]

    def read(self, size=-1):
        data = self.raw.read(size)
        if not self.started:
            data = self._start(data)
        if not self.enabled:
            return data
        if self._decode:
            text = self._decoder.decode(data, final=not data)
            bad = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
            if bad:
                self.invalid_bytes += bad
                text = re.sub("[\udc80-\udcff]+", "\ufffd", text)
            data = text.encode("utf-8")
        cleaned = data.translate(None, _CONTROL_BYTES)
        self.control_characters += len(data) - len(cleaned)
        return cleaned

    def column(self, line, column):
        """A column as counted in the original file (the declarations sit on line 1)."""
        if self.injected_at and line == 1 and column > self.injected_at[0]:
            return max(1, column - self.injected_at[1])
        return column


def _split(tag):
    if not isinstance(tag, str):
        return None, None
    if tag[0] == "{":
        namespace, local = tag[1:].split("}", 1)
        return namespace, local
    return "", tag


_KINDS = {}


def _classify(tag):
    """(kind, local name) of a tag: kind is "plain", "wp", "content", "excerpt", "dc" or None.

    Cached: an export repeats the same few dozen tags millions of times."""
    try:
        return _KINDS[tag]
    except (KeyError, TypeError):
        pass
    namespace, local = _split(tag)
    if namespace is None:
        kind = None
    elif namespace == "":
        kind = "plain"
    elif _WXR_NAMESPACE.match(namespace):
        kind = "wp"
    elif local == "encoded" and (_EXCERPT_NAMESPACE.match(namespace) or "excerpt" in namespace):
        kind = "excerpt"
    elif local == "encoded" and (_CONTENT_NAMESPACE.match(namespace) or "content" in namespace):
        kind = "content"
    elif local == "creator" and _DC_NAMESPACE.match(namespace):
        kind = "dc"
    else:
        kind = None
    if isinstance(tag, str) and len(_KINDS) < 2000:
        _KINDS[tag] = (kind, local)
    return kind, local


def _text(element):
    """An element's text; markup written without CDATA (XHTML content) is kept as markup."""
    if element is None:
        return ""
    if len(element) == 0:
        return element.text or ""
    parts = [element.text or ""]
    for child in element:
        parts.append(etree.tostring(child, encoding="unicode", with_tail=True))
    return "".join(parts)


def _int(value, default=0):
    try:
        return int((value or "").strip() or default)
    except ValueError:
        return default


_WP_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?\s*$")


class DateError(ValueError):
    pass


def parse_wp_date(value):
    """``2016-08-24 10:12:00`` -> naive datetime; empty or ``0000-00-00…`` -> None."""
    value = (value or "").strip()
    if not value or value.startswith("0000-00-00"):
        return None
    if len(value) == 19:
        try:  # the usual "2016-08-24 10:12:00", parsed in C
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    match = _WP_DATE.match(value)
    if not match:
        raise DateError(value)
    year, month, day, hour, minute, second = (int(g or 0) for g in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        raise DateError(value) from None


def resolve_date(gmt, local, rfc822=""):
    """The aware date of an item: GMT when given, else local time in the site's zone."""
    parsed = parse_wp_date(gmt)
    if parsed is not None:
        return parsed.replace(tzinfo=UTC)
    parsed = parse_wp_date(local)
    if parsed is not None:
        return timezone.make_aware(parsed, timezone.get_current_timezone())
    if (rfc822 or "").strip():
        try:
            return parsedate_to_datetime(rfc822.strip()).astimezone(UTC)
        except (TypeError, ValueError):
            raise DateError(rfc822) from None
    return None


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
            _("%(file)s, line %(line)s, column %(column)s: the XML is damaged (%(error)s). "
              "Nothing was imported; --recover imports what the file still holds.")
            % {"file": self.name, "line": line, "column": column, "error": message}
        )

    def _item_error(self, label, line, message):
        return WXRError(
            _("%(file)s, line %(line)s, %(item)s: %(error)s Nothing was imported.")
            % {"file": self.name, "line": line, "item": label, "error": message}
        )

    def _no_version(self, line):
        return WXRError(
            _("%(file)s is not a WordPress export: it has no valid wp:wxr_version before its "
              "first item (line %(line)s). Export again from WordPress's Tools › Export.")
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
            tag=("{*}item", "{*}wxr_version", "{*}base_site_url", "{*}base_blog_url",
                 "{*}author", "{*}category", "{*}tag", "{*}term"),
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
                namespace, local = _split(element.tag)
                parent = element.getparent()
                parent_local = _split(parent.tag)[1] if parent is not None else None
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
        if not _WXR_NAMESPACE.match(namespace or ""):
            raise self._no_version(element.sourceline)
        if version not in SUPPORTED_VERSIONS:
            raise WXRError(
                _("%(file)s, line %(line)s: unknown WXR version “%(version)s”; Salon reads "
                  "WordPress exports of versions 1.0 to 1.2.")
                % {"file": self.name, "line": element.sourceline, "version": version[:20]}
            )
        self.version = version

    def _read_channel(self, channel, info):
        """Channel title, link… are noted before they are freed with the elements around them."""
        if channel is None or self.site is not None:
            return
        for child in channel:
            namespace, local = _split(child.tag)
            if namespace == "" and local in ("title", "link", "description", "language"):
                info.setdefault(local, (child.text or "").strip())
            elif local in ("base_site_url", "base_blog_url") and _WXR_NAMESPACE.match(namespace):
                info.setdefault(local, (child.text or "").strip())

    def _channel_element(self, namespace, local, element):
        if not _WXR_NAMESPACE.match(namespace or ""):
            return None
        fields = {}
        meta = {}
        for child in element:
            child_ns, child_local = _split(child.tag)
            if child_local is None:
                continue
            if child_local == "termmeta":
                key = value = ""
                for part in child:
                    if _split(part.tag)[1] == "meta_key":
                        key = (part.text or "").strip()
                    elif _split(part.tag)[1] == "meta_value":
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
                taxonomy="category", slug=fields.get("category_nicename", ""),
                name=fields.get("cat_name", ""), parent=fields.get("category_parent", ""),
                description=fields.get("category_description", ""), meta=meta,
            )
        if local == "tag":
            return Term(
                taxonomy="post_tag", slug=fields.get("tag_slug", ""),
                name=fields.get("tag_name", ""), description=fields.get("tag_description", ""),
                meta=meta,
            )
        if local == "term":
            return Term(
                taxonomy=fields.get("term_taxonomy", ""), slug=fields.get("term_slug", ""),
                name=fields.get("term_name", ""), parent=fields.get("term_parent", ""),
                description=fields.get("term_description", ""), meta=meta,
            )
        return None

    def _item(self, element):
        plain, wp, terms, meta, comments = {}, {}, [], {}, []
        content = excerpt = ""
        for child in element:
            kind, local = _classify(child.tag)
            if kind == "plain":
                if local == "category":
                    domain = child.get("domain") or "category"
                    terms.append((domain, child.get("nicename") or "", (child.text or "").strip()))
                else:
                    plain[local] = _text(child)
            elif kind == "wp":
                if local == "postmeta":
                    key, value = _meta(child)
                    if key:
                        meta[key] = value
                elif local == "comment":
                    comments.append(child)
                else:
                    wp[local] = _text(child)
            elif kind == "content":
                content = _text(child)
            elif kind == "excerpt":
                excerpt = _text(child)
            elif kind == "dc":
                plain["creator"] = _text(child)
        title = (plain.get("title") or "").strip()
        line = element.sourceline or 0
        post_type = (wp.get("post_type") or "").strip()
        wp_id_text = (wp.get("post_id") or "").strip()
        if not post_type or not wp_id_text.isdigit():
            # As WordPress's own importer does: this item is skipped and named, the rest of
            # the file is imported.
            return Skipped(kind=INCOMPLETE, title=title, line=line,
                           reason=self._missing(element, post_type, wp_id_text))
        wp_id = int(wp_id_text)
        if post_type in SKIPPED_TYPES:
            return Skipped(kind=SKIPPED_TYPES[post_type], wp_id=wp_id, title=title, line=line,
                           reason=post_type)
        if post_type == "attachment":
            return Attachment(
                wp_id=wp_id, url=(wp.get("attachment_url") or plain.get("guid") or "").strip(),
                parent_wp_id=_int(wp.get("post_parent")), title=title, caption=excerpt.strip(),
                alt=(meta.get("_wp_attachment_image_alt") or "").strip(),
                link=(plain.get("link") or "").strip(), menu_order=_int(wp.get("menu_order")),
            )
        if post_type not in ("post", "page"):
            return Skipped(kind="unknown post types", wp_id=wp_id, title=title, line=line,
                           reason=post_type)
        label = f"“{title}” ({post_type} {wp_id})"
        try:
            published_at = resolve_date(wp.get("post_date_gmt"), wp.get("post_date"),
                                        plain.get("pubDate"))
        except DateError as error:
            problem = _("the date “%(date)s” does not parse.") % {"date": str(error)[:40]}
            if self.recover:  # the item alone is left out, and named
                return Skipped(kind=INCOMPLETE, wp_id=wp_id, title=title, line=line,
                               reason=problem.rstrip("."))
            raise self._item_error(label, line, problem) from None
        parsed_comments = []
        for comment in comments:
            parsed = self._comment(comment, label, title)
            if parsed is not None:
                parsed_comments.append(parsed)
        return Entry(
            kind=post_type, wp_id=wp_id, title=title,
            link=(plain.get("link") or "").strip(), guid=(plain.get("guid") or "").strip(),
            content=content, excerpt=excerpt, status=(wp.get("status") or "").strip(),
            published_at=published_at, slug=(wp.get("post_name") or "").strip(),
            parent_wp_id=_int(wp.get("post_parent")), menu_order=_int(wp.get("menu_order")),
            password=wp.get("post_password") or "",
            sticky=(wp.get("is_sticky") or "").strip() == "1",
            comment_status=(wp.get("comment_status") or "").strip(),
            creator=(plain.get("creator") or "").strip(),
            terms=terms, meta=meta, comments=parsed_comments, line=line,
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
        if namespace and not _WXR_NAMESPACE.match(namespace):
            reason += " " + _("(its “wp:” prefix is bound to %(namespace)s, not to a WordPress "
                              "export namespace)") % {"namespace": namespace[:100]}
        return reason

    def _comment(self, element, item_label, item_title):
        fields, meta = {}, {}
        kinds = _KINDS
        for child in element:
            tag = child.tag
            kind, local = kinds[tag] if tag in kinds else _classify(tag)
            if kind is None:
                continue
            if local == "commentmeta":
                key, value = _meta(child)
                if key:
                    meta[key] = value
            elif len(child):
                fields[local] = _text(child)
            else:
                fields[local] = child.text or ""
        wp_id = _int(fields.get("comment_id"), default=-1)
        try:
            created_at = resolve_date(fields.get("comment_date_gmt"), fields.get("comment_date"))
        except DateError as error:
            problem = (_("comment %(id)s: the date “%(date)s” does not parse.")
                       % {"id": wp_id, "date": str(error)[:40]})
            if self.recover:  # the comment alone is left out, and named
                self.skipped_comments.append(Skipped(
                    kind=INCOMPLETE, title=item_title, line=element.sourceline or 0,
                    reason=problem.rstrip(".")))
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
            parent_wp_id=_int(fields.get("comment_parent")),
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
                line=entry.line, column=self.stream.column(entry.line, entry.column),
                message=entry.message.strip(), item=label,
            )
        if self.stream.invalid_bytes:
            yield Repair(
                line=0, column=0, item="",
                message=_("%(count)s byte sequences that are not UTF-8 replaced with “�”.")
                % {"count": self.stream.invalid_bytes},
            )


def _meta(element):
    key = value = ""
    for part in element:
        local = _classify(part.tag)[1]
        if local == "meta_key":
            key = (part.text or "").strip()
        elif local == "meta_value":
            value = _text(part)
    return key, value


def _label(record):
    if isinstance(record, Entry):
        return record.label
    if isinstance(record, Attachment):
        return f"attachment {record.wp_id}"
    if isinstance(record, Skipped):
        return f"“{record.title}”" if record.title else record.kind
    return ""
