"""A large export is read by a forked child process while this one writes (two cores at work).
Whichever process reads it, the import writes the same rows, refuses a bad file with the same
message, and leaves no process behind."""

import multiprocessing
import threading

import pytest
from django.core.management import CommandError
from django.db import DatabaseError, transaction

from salon.blog.models import Post, PostSummary, Redirect, Tag
from salon.conversations.models import Response
from salon.portability import pipeline, writer
from salon.portability.cleaning import convert_entry
from salon.portability.records import Entry
from salon.portability.wxr import WXRReader

pytestmark = pytest.mark.django_db


@pytest.fixture
def child_process(monkeypatch):
    """Every file goes through the child process; the fixture counts the children started."""
    assert threading.active_count() == 1, (
        "another thread is alive, so the import would not fork: "
        f"{[thread.name for thread in threading.enumerate()]}"
    )
    monkeypatch.setattr(pipeline, "CHILD_PROCESS_MIN_BYTES", 0)
    started = []
    from_child = pipeline.RecordSource._from_child

    def counting(self):
        started.append(self.reader.name)
        return from_child(self)

    monkeypatch.setattr(pipeline.RecordSource, "_from_child", counting)
    yield started
    assert multiprocessing.active_children() == []  # nothing left running
    assert threading.active_count() == 1  # the thread that emptied the pipe is gone too


def test_the_child_reads_the_same_records(fixture_file, child_process):
    path = fixture_file("blog.wxr")
    here = list(WXRReader(path).records())
    language_codes = {"fr", "en"}
    for record in here:
        if isinstance(record, Entry):
            record.converted = convert_entry(record, language_codes)
    source = pipeline.RecordSource(WXRReader(path))
    from_child = list(source)
    assert source.in_child_process and child_process
    assert from_child == here
    assert source.position == path.stat().st_size


def imported_rows(path):
    """What an import of ``path`` writes, without ids and times; rolled back afterwards."""
    savepoint = transaction.savepoint()
    writer.import_wxr(path)
    rows = {
        "posts": sorted(
            Post.objects.values_list(
                "title", "language", "slug", "body_html", "status", "published_at"
            )
        ),
        "summaries": sorted(PostSummary.objects.values_list("post__title", "language", "text")),
        "tags": sorted(Tag.objects.values_list("name", flat=True)),
        "redirects": sorted(Redirect.objects.values_list("old_path", flat=True)),
        "comments": sorted(
            Response.objects.values_list(
                "post__title", "author_name", "content_html", "state", "parent__author_name"
            )
        ),
    }
    transaction.savepoint_rollback(savepoint)
    return rows


def test_an_import_writes_the_same_rows_whichever_process_reads(
    fixture_file, monkeypatch, child_process
):
    path = fixture_file("blog.wxr")
    monkeypatch.setattr(pipeline, "CHILD_PROCESS_MIN_BYTES", 10**12)
    in_this_process = imported_rows(path)
    assert not child_process
    monkeypatch.setattr(pipeline, "CHILD_PROCESS_MIN_BYTES", 0)
    assert imported_rows(path) == in_this_process
    assert child_process == [str(path)]
    assert in_this_process["posts"] and in_this_process["comments"]


@pytest.mark.parametrize(
    "name, expected",
    [
        ("not-xml.wxr", ["not-xml.wxr is not an XML file", "line 1, column 1"]),
        ("truncated.wxr", ["truncated.wxr, line 27", "the XML is damaged"]),
        ("bad-date.wxr", ["bad-date.wxr, line 23", "“2019-13-45 25:61:00” does not parse"]),
    ],
)
def test_a_file_refused_in_the_child_is_refused_whole(
    import_file, monkeypatch, child_process, name, expected
):
    monkeypatch.setattr(writer, "BATCH_SIZE", 1)  # earlier items are written, then rolled back
    Post.objects.create(title="Déjà là", language="fr", body="Un texte qui reste.")
    before = list(Post.objects.values())
    with pytest.raises(CommandError) as error:
        import_file(name)
    for fragment in expected:
        assert fragment in str(error.value)
    assert list(Post.objects.values()) == before
    assert child_process


def test_when_the_writer_fails_the_child_is_stopped(fixture_file, monkeypatch, child_process):
    def refuse(*args):
        raise DatabaseError("disk full")

    monkeypatch.setattr(writer.comments, "write_comments", refuse)
    with pytest.raises(writer.WXRError, match="the database refused the import"):
        writer.import_wxr(fixture_file("blog.wxr"))
    assert child_process and Post.objects.count() == 0


def test_a_reader_that_dies_is_reported_and_nothing_is_written(
    fixture_file, monkeypatch, child_process
):
    """The reading process killed (out of memory, say): a clear error, an untouched database."""
    import os

    def die(reader, sending):
        os._exit(3)

    monkeypatch.setattr(pipeline, "_read_in_child", die)
    with pytest.raises(
        writer.WXRError,
        match=r"blog.wxr: the process reading the file stopped "
        r"unexpectedly \(exit code 3\)",
    ):
        writer.import_wxr(fixture_file("blog.wxr"), display_name="blog.wxr")
    assert Post.objects.count() == 0 and child_process
