"""Saving neutral records as Salon content, in batches, inside the caller's transaction.

``import_wxr()`` is the public entry point: it reads the file, writes everything in one
transaction and returns an ``ImportReport``; with ``dry_run`` the transaction is rolled back
after the report is made, so the report says exactly what a real run would do.

Rows are written with parameterised SQL (``bulk.py``) a few hundred posts at a time (with their
comments), not one ``save()`` each: a 10,000-post blog with 100,000 comments imports in seconds,
holding SQLite's write lock for as short a time as possible; a large file is read and its texts
converted by a second process meanwhile (``pipeline.py``). Model ``save()`` methods and
``post_save`` signals do not run: what ``save()`` derives is filled by the functions ``save()``
itself calls (``Publishable.fill_derived()``, ``salon.blog.paths``, ``Response``'s
``response_domain()`` and ``shown_content_html()``), and every imported post and page is noted
for the blog's one ``posts_changed`` event, sent after the commit to the apps that index or
cache posts. Comment languages are detected by a task
after the commit (lingua costs about 0.1 ms a comment, more than writing it), so the import does
not hold the database for it.

The package: ``state`` (what one import knows as it goes), ``prepare`` (a record to the fields
of its post or page), ``entries`` (a batch written), ``taxonomy``, ``comments``, ``redirects``
and ``finish`` (what needs every item in).
"""

import time
from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from salon.blog.signals import mark_changed

from .. import tasks
from ..pipeline import RecordSource
from ..records import Attachment, Author, Entry, Repair, Site, Skipped, Term
from ..report import ImportReport
from ..wxr import INCOMPLETE, WXRError, WXRReader
from . import comments, entries, finish, prepare
from .state import ImportState

__all__ = ["BATCH_SIZE", "WXRError", "comments", "import_wxr", "write"]

BATCH_SIZE = 250


class ImportAborted(Exception):
    """Raised inside the transaction to roll it back (dry runs and refused files)."""


def write(state, records, progress=None):
    """Consume the records and write them; call inside a transaction."""
    for record in records:
        if isinstance(record, Site):
            state.start(record)
        elif isinstance(record, Entry):
            prepare.prepare_entry(state, record)
        elif isinstance(record, Attachment):
            finish.add_attachment(state, record)
        elif isinstance(record, Term):
            if record.taxonomy == "series" and record.slug:
                state.taxonomy.series_terms[record.slug] = record
        elif isinstance(record, Author):
            state.report.authors += 1
        elif isinstance(record, Skipped):
            state.report.skip(record.kind, record.reason)
            if record.kind == INCOMPLETE:
                state.report.left_out(record)
        elif isinstance(record, Repair):
            state.report.repairs.append(record)
        if progress is not None:
            progress()
    entries.flush(state)
    finish.flush_attachments(state)
    finish.finish(state)


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


def import_wxr(
    path, *, dry_run=False, recover=False, default_language=None, progress=None, display_name=None
):
    """Import a WordPress export in one transaction; returns the ``ImportReport``.

    Raises ``WXRError`` (with nothing written) when the file is refused. With ``dry_run`` the
    report is complete but the transaction is rolled back.
    """
    report = ImportReport(file=display_name or str(path), dry_run=dry_run)
    records = RecordSource(WXRReader(path, recover=recover, display_name=display_name))
    started = time.monotonic()
    tick = None
    if progress is not None:

        def tick():
            progress(records.position)

    try:
        with transaction.atomic(), _sqlite_cache():
            state = ImportState(report, batch_size=BATCH_SIZE, default_language=default_language)
            try:
                write(state, records, progress=tick)
            except DatabaseError as error:
                raise WXRError(
                    _(
                        "%(file)s: the database refused the import (%(error)s). Nothing was "
                        "imported."
                    )
                    % {"file": report.file, "error": str(error).strip()[:300]}
                ) from error
            report.control_characters = records.control_characters
            report.seconds = time.monotonic() - started
            if dry_run:
                raise ImportAborted
            tasks.detect_comment_languages_after_commit(report.source_site)
            mark_changed(post_ids=report.post_ids, page_ids=report.page_ids)
    except ImportAborted:
        pass
    return report
