"""OPML in and out: the list of followed feeds that every feed reader exchanges.

Import follows the importer pattern: ``parse_opml()`` turns the file into plain records
(refusing anything that is not OPML, with a precise message), then ``import_records()`` writes
them in one transaction. XML entities are never resolved and nothing is fetched while parsing.
Folders (outlines holding outlines) become the followed feeds' categories, and export writes
them back as nested outlines; every outline not followed is reported with its reason.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext as _
from lxml import etree

from .models import Subscription

MAX_OPML_BYTES = 2 * 1024 * 1024
_validate_url = URLValidator(schemes=["http", "https"])


class OPMLError(Exception):
    """The file cannot be imported; the message says why, in the interface language."""


# A folder inside a folder is stored as one category, its names joined by this separator.
CATEGORY_SEPARATOR = " / "
MAX_CATEGORY_CHARS = 300


def category_path(category):
    """The folder names of a stored category, outermost first (``"A / B"`` -> ``["A", "B"]``)."""
    return [part.strip() for part in (category or "").split(CATEGORY_SEPARATOR) if part.strip()]


@dataclass
class OutlineRecord:
    feed_url: str
    title: str = ""
    site_url: str = ""
    language: str = ""
    category: str = ""  # the folders the outline sits in, joined by CATEGORY_SEPARATOR

    @classmethod
    def of(cls, subscription):
        return cls(
            feed_url=subscription.feed_url,
            title=subscription.display_title,
            site_url=subscription.site_url,
            language=subscription.language,
            category=subscription.category,
        )


class SkipReason:
    NO_URL = "no_url"  # an outline that is neither a folder nor a feed: no xmlUrl
    BAD_URL = "bad_url"  # an xmlUrl that is not an http(s) address
    TWICE = "twice"  # the same feed listed again further down the file
    ALREADY = "already"  # a feed already followed before the import


@dataclass
class Skipped:
    """An outline the import did not follow, and why (``SkipReason``)."""

    title: str
    reason: str
    address: str = ""


@dataclass
class ParsedOPML:
    records: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # Skipped outlines, in the file's order


@dataclass
class ImportReport:
    added: list = field(default_factory=list)
    refollowed: list = field(default_factory=list)
    already: list = field(default_factory=list)

    @property
    def skipped(self):
        """The feeds already followed, as ``Skipped`` outlines."""
        return [
            Skipped(title=sub.display_title, reason=SkipReason.ALREADY, address=sub.feed_url)
            for sub in self.already
        ]


def _valid_url(value):
    value = (value or "").strip()
    if not value or len(value) > 1000:
        return ""
    try:
        _validate_url(value)
    except ValidationError:
        return ""
    return value


def parse_opml(content):
    """Plain records from an OPML document; raise ``OPMLError`` if it cannot be one."""
    if len(content) > MAX_OPML_BYTES:
        raise OPMLError(
            _("This file is too large for a list of feeds (more than %(size)s MB).")
            % {"size": MAX_OPML_BYTES // (1024 * 1024)}
        )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise OPMLError(
            _("This file is not valid XML (%(detail)s).") % {"detail": exc.msg or exc}
        ) from exc
    if root is None or etree.QName(root).localname.lower() != "opml":
        name = etree.QName(root).localname if root is not None else "?"
        raise OPMLError(
            _("This file is not OPML: it starts with <%(tag)s> instead of <opml>.") % {"tag": name}
        )
    body = next((child for child in root if _local(child) == "body"), None)
    if body is None:
        raise OPMLError(_("This OPML file has no <body>, so it lists no feeds."))
    parsed = ParsedOPML()
    _read_outlines(body, [], parsed, set())
    if not parsed.records and not any(
        item.reason in (SkipReason.BAD_URL, SkipReason.TWICE) for item in parsed.skipped
    ):
        raise OPMLError(_("This OPML file lists no feeds (no outline has an xmlUrl)."))
    return parsed


def _read_outlines(parent, folders, parsed, seen):
    """Records for the outlines under ``parent``, in document order; an outline without an
    xmlUrl that holds outlines is a folder, and its name joins the category of those inside."""
    for outline in parent:
        if _local(outline) != "outline":
            continue
        attributes = {key.lower(): value for key, value in outline.attrib.items()}
        title = " ".join((attributes.get("title") or attributes.get("text") or "").split())[:300]
        children = [child for child in outline if _local(child) == "outline"]
        raw = attributes.get("xmlurl")
        if raw is None:
            if children:
                _read_outlines(outline, folders + [title] if title else folders, parsed, seen)
            else:
                parsed.skipped.append(
                    Skipped(
                        title=title or (attributes.get("htmlurl") or "").strip()[:200],
                        reason=SkipReason.NO_URL,
                    )
                )
            continue
        url = _valid_url(raw)
        if not url:
            parsed.skipped.append(
                Skipped(title=title, reason=SkipReason.BAD_URL, address=raw.strip()[:200])
            )
        elif url in seen:
            parsed.skipped.append(Skipped(title=title, reason=SkipReason.TWICE, address=url))
        else:
            seen.add(url)
            category = CATEGORY_SEPARATOR.join(
                # A name holding the separator itself would read as two folders.
                name.replace(CATEGORY_SEPARATOR, " - ")
                for name in folders
            )
            parsed.records.append(
                OutlineRecord(
                    feed_url=url,
                    title=title,
                    site_url=_valid_url(attributes.get("htmlurl")),
                    category=category[:MAX_CATEGORY_CHARS],
                )
            )
        if children:  # a feed holding outlines (rare): those sit in the same folders
            _read_outlines(outline, folders, parsed, seen)


def _local(element):
    return etree.QName(element).localname.lower() if isinstance(element.tag, str) else ""


def import_records(records):
    """Follow every record's feed, in one transaction; return an ``ImportReport``."""
    report = ImportReport()
    with transaction.atomic():
        for record in records:
            subscription, created = Subscription.objects.get_or_create(
                feed_url=record.feed_url,
                defaults={
                    "title": record.title,
                    "site_url": record.site_url,
                    "followed": True,
                    "category": record.category,
                },
            )
            if created:
                report.added.append(subscription)
            elif not subscription.followed:
                subscription.followed = True
                subscription.category = subscription.category or record.category
                subscription.save(update_fields=["followed", "category"])
                report.refollowed.append(subscription)
            else:
                report.already.append(subscription)
    return report


def export_opml(outlines, title):
    """An OPML 2.0 document (bytes) listing ``outlines`` (``OutlineRecord``)."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = http_date(timezone.now().timestamp())
    body = etree.SubElement(root, "body")
    folders = {}  # path of folder names -> its <outline>

    def folder(path):
        if not path:
            return body
        if tuple(path) not in folders:
            folders[tuple(path)] = etree.SubElement(
                folder(path[:-1]), "outline", {"text": path[-1], "title": path[-1]}
            )
        return folders[tuple(path)]

    for outline in outlines:
        parent = folder(category_path(outline.category))
        attributes = {"type": "rss", "text": outline.title or outline.feed_url or outline.site_url}
        if outline.title:
            attributes["title"] = outline.title
        if outline.feed_url:
            attributes["xmlUrl"] = outline.feed_url
        if outline.site_url:
            attributes["htmlUrl"] = outline.site_url
        if outline.language:
            attributes["language"] = outline.language
        etree.SubElement(parent, "outline", attributes)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
