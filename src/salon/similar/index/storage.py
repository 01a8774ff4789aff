"""What the index reads from the blog, and the plain SQL it writes with.

Which posts are indexed: published and scheduled ones (a scheduled post is kept in the lists
and shown from its publication time on, since nothing happens in the database at that moment).
The SQL helpers exist because the index writes many rows of packed arrays at once: COPY and
``executemany`` cost a fraction of the ORM's per-row work.
"""

from collections import defaultdict

from django.core.management.color import no_style
from django.db import connection

from salon.blog.models import Post, PostSummary


def indexed_posts():
    """Public posts, published or scheduled (a scheduled one appears in the lists at its
    time); never drafts, unlisted or private posts."""
    return Post.objects.listable()


def post_records(posts_queryset):
    """``(summaries, tags)``: ``{post id: [(language, text)]}`` and ``{post id: [tag id]}``."""
    ids = posts_queryset.values("id")
    summaries = defaultdict(list)
    for post_id, language, text in PostSummary.objects.filter(post_id__in=ids).values_list(
        "post_id", "language", "text"
    ):
        summaries[post_id].append((language, text))
    tags = defaultdict(list)
    for post_id, tag_id in Post.tags.through.objects.filter(post_id__in=ids).values_list(
        "post_id", "tag_id"
    ):
        tags[post_id].append(tag_id)
    return summaries, tags


def table(model):
    return connection.ops.quote_name(model._meta.db_table)


def placeholders(items):
    return ", ".join(["%s"] * len(items))


def fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def executemany(sql, rows):
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def insert(model, columns, rows, batch=5000):
    """Insert many rows fast: COPY on PostgreSQL, executemany elsewhere."""
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table(model)} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table(model)} ({quoted}) VALUES ({', '.join(['%s'] * len(columns))})"
        chunk = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)


def reset_sequences(*models):
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
