"""Mastodon's domain block lists (CSV), read into ``Block`` rows.

Mastodon exports ``#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate``
(older lists: ``domain,severity,…`` or one domain a line). ``suspend`` and ``silence`` become
server blocks here (Salon has no half-measure); ``noop`` rows are left out. A row whose domain
is not a host name is reported with its line number, the rest imported."""

import csv
import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Block, BlockKind

_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9*]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")


@dataclass
class ImportReport:
    added: int = 0
    already: int = 0
    skipped: int = 0
    errors: list = field(default_factory=list)


def parse(text):
    """``([(domain, reason)], [error])`` of a block list's text."""
    rows, errors = [], []
    reader = csv.reader(io.StringIO(text))
    columns = None
    for number, row in enumerate(reader, start=1):
        if not row or not "".join(row).strip():
            continue
        first = row[0].strip().lower()
        if columns is None and first.lstrip("#") == "domain":
            columns = [name.strip().lstrip("#").lower() for name in row]
            continue
        if first.startswith("#") and columns is None:
            continue
        record = dict(zip(columns or ["domain"], row, strict=False))
        domain = record.get("domain", "").strip().lower().rstrip(".")
        if record.get("severity", "suspend").strip().lower() == "noop":
            rows.append((None, ""))
            continue
        if not _HOST.match(domain) or "*" in domain:
            errors.append(
                _("Line %(line)d: “%(value)s” is not a server name.")
                % {"line": number, "value": domain[:100]}
            )
            continue
        rows.append((domain, record.get("public_comment", "").strip()[:500]))
    return rows, errors


def import_blocks(text):
    rows, errors = parse(text)
    report = ImportReport(errors=errors)
    with transaction.atomic():
        for domain, reason in rows:
            if domain is None:
                report.skipped += 1
                continue
            _block, created = Block.objects.get_or_create(
                kind=BlockKind.DOMAIN, value=domain, defaults={"reason": reason}
            )
            if created:
                report.added += 1
            else:
                report.already += 1
    return report
