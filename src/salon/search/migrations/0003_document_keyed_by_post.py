"""The index keyed by post: the FTS5 rowid is the post id and filters are terms of the index
(SQLite), the tsvector stays in the row (PostgreSQL), so a search reads nothing else.

The index is rebuilt from scratch: run ``salon search rebuild`` after migrating (the
table is new, nothing but derived data is lost).
"""

import django.db.models.deletion
from django.db import migrations, models

from salon.search.operations import RunSQLOn

TABLE = "search_searchdocument"
FTS_COLUMNS = "title_terms, tag_terms, summary_terms, body_terms, filter_terms"
NEW = ", ".join(f"new.{column}" for column in FTS_COLUMNS.split(", "))
OLD = ", ".join(f"old.{column}" for column in FTS_COLUMNS.split(", "))

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_after_update",
    "DROP TRIGGER IF EXISTS search_fts_after_delete",
    "DROP TRIGGER IF EXISTS search_fts_after_insert",
    "DROP TABLE IF EXISTS search_fts",
]
SQLITE_CREATE = [
    f"""CREATE VIRTUAL TABLE search_fts USING fts5(
        {FTS_COLUMNS},
        content='{TABLE}', content_rowid='post_id',
        tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER search_fts_after_insert AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO search_fts(rowid, {FTS_COLUMNS}) VALUES (new.post_id, {NEW});
    END""",
    f"""CREATE TRIGGER search_fts_after_delete AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO search_fts(search_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.post_id, {OLD});
    END""",
    f"""CREATE TRIGGER search_fts_after_update AFTER UPDATE ON {TABLE} BEGIN
        INSERT INTO search_fts(search_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.post_id, {OLD});
        INSERT INTO search_fts(rowid, {FTS_COLUMNS}) VALUES (new.post_id, {NEW});
    END""",
]

POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS search_document_vector_idx",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector",
]
POSTGRESQL_CREATE = [
    f"""ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_terms), 'A')
        || setweight(to_tsvector('simple'::regconfig, tag_terms), 'B')
        || setweight(to_tsvector('simple'::regconfig, summary_terms), 'C')
        || setweight(to_tsvector('simple'::regconfig, body_terms), 'D')
    ) STORED""",
    # Compressed but in the row: the long texts go out to TOAST first, so matching and
    # ranking a post never fetch them (they are read only for the snippets of one page).
    f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STORAGE MAIN",
    f"CREATE INDEX search_document_vector_idx ON {TABLE} USING GIN (search_vector)",
]


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0002_post_password_reply"),
        ("search", "0002_fulltext_index"),
    ]

    # Going back leaves the first layout without its index: unapply 0002 as well.
    operations = [
        RunSQLOn("sqlite", SQLITE_DROP, migrations.RunSQL.noop),
        RunSQLOn("postgresql", POSTGRESQL_DROP, migrations.RunSQL.noop),
        migrations.DeleteModel(name="SearchDocument"),
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("post", models.OneToOneField(
                    on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                    related_name="search_document", serialize=False, to="blog.post",
                    verbose_name="post",
                )),
                ("language", models.CharField(max_length=12, verbose_name="language")),
                ("published_at", models.DateTimeField(verbose_name="publication date")),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                ("body_text", models.TextField(blank=True)),
                ("title_terms", models.TextField(blank=True)),
                ("tag_terms", models.TextField(blank=True)),
                ("summary_terms", models.TextField(blank=True)),
                ("body_terms", models.TextField(blank=True)),
                ("filter_terms", models.TextField(blank=True)),
                ("indexed_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "search document",
                "verbose_name_plural": "search documents",
                "indexes": [
                    models.Index(fields=["published_at"], name="search_doc_published_idx"),
                    models.Index(fields=["year"], name="search_doc_year_idx"),
                    models.Index(fields=["language"], name="search_doc_language_idx"),
                ],
            },
        ),
        RunSQLOn("sqlite", SQLITE_CREATE, SQLITE_DROP),
        RunSQLOn("postgresql", POSTGRESQL_CREATE, POSTGRESQL_DROP),
    ]
