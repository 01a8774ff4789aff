"""OPML in and out: the list of followed feeds that every feed reader exchanges.

Import follows the importer pattern: ``parse_opml()`` turns the file into plain records
(refusing anything that is not OPML, with a precise message), then ``import_records()`` writes
them in one transaction. XML entities are never resolved and nothing is fetched while parsing.
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


@dataclass
class OutlineRecord:
    feed_url: str
    title: str = ""
    site_url: str = ""
    language: str = ""

    @classmethod
    def of(cls, subscription):
        return cls(
            feed_url=subscription.feed_url, title=subscription.display_title,
            site_url=subscription.site_url, language=subscription.language,
        )


@dataclass
class ParsedOPML:
    records: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # addresses that are not http(s) URLs


@dataclass
class ImportReport:
    added: list = field(default_factory=list)
    refollowed: list = field(default_factory=list)
    already: list = field(default_factory=list)


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
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
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
            _("This file is not OPML: it starts with <%(tag)s> instead of <opml>.")
            % {"tag": name}
        )
    body = next((child for child in root if _local(child) == "body"), None)
    if body is None:
        raise OPMLError(_("This OPML file has no <body>, so it lists no feeds."))
    parsed, seen = ParsedOPML(), set()
    for outline in body.iter():
        if _local(outline) != "outline":
            continue
        attributes = {key.lower(): value for key, value in outline.attrib.items()}
        raw = attributes.get("xmlurl")
        if raw is None:
            continue  # a folder
        url = _valid_url(raw)
        if not url:
            parsed.skipped.append(raw.strip()[:200] or _("(empty address)"))
            continue
        if url in seen:
            continue
        seen.add(url)
        parsed.records.append(OutlineRecord(
            feed_url=url,
            title=(attributes.get("title") or attributes.get("text") or "").strip()[:300],
            site_url=_valid_url(attributes.get("htmlurl")),
        ))
    if not parsed.records and not parsed.skipped:
        raise OPMLError(_("This OPML file lists no feeds (no outline has an xmlUrl)."))
    return parsed


def _local(element):
    return etree.QName(element).localname.lower() if isinstance(element.tag, str) else ""


def import_records(records):
    """Follow every record's feed, in one transaction; return an ``ImportReport``."""
    report = ImportReport()
    with transaction.atomic():
        for record in records:
            subscription, created = Subscription.objects.get_or_create(
                feed_url=record.feed_url,
                defaults={"title": record.title, "site_url": record.site_url, "followed": True},
            )
            if created:
                report.added.append(subscription)
            elif not subscription.followed:
                subscription.followed = True
                subscription.save(update_fields=["followed"])
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
    for outline in outlines:
        attributes = {"type": "rss", "text": outline.title or outline.feed_url or outline.site_url}
        if outline.title:
            attributes["title"] = outline.title
        if outline.feed_url:
            attributes["xmlUrl"] = outline.feed_url
        if outline.site_url:
            attributes["htmlUrl"] = outline.site_url
        if outline.language:
            attributes["language"] = outline.language
        etree.SubElement(body, "outline", attributes)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
