"""The engine-specific full-text index over ``SearchDocument``'s analysed terms.

SQLite: an FTS5 table with this table as external content, kept in step by triggers.
PostgreSQL: a generated, weighted tsvector column (``simple`` configuration: the terms are
already folded and stemmed by Salon's per-language analysers) and its GIN index.
Each statement runs only on its own engine.
"""

from django.db import migrations

from salon.search.operations import RunSQLOn

FTS_COLUMNS = "title_terms, tag_terms, summary_terms, body_terms"
NEW = ", ".join(f"new.{column}" for column in FTS_COLUMNS.split(", "))
OLD = ", ".join(f"old.{column}" for column in FTS_COLUMNS.split(", "))

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE search_fts USING fts5(
        {FTS_COLUMNS},
        content='search_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER search_fts_after_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, {NEW});
    END""",
    f"""CREATE TRIGGER search_fts_after_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.id, {OLD});
    END""",
    f"""CREATE TRIGGER search_fts_after_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.id, {OLD});
        INSERT INTO search_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, {NEW});
    END""",
    # Entries that existed before this migration.
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_after_update",
    "DROP TRIGGER IF EXISTS search_fts_after_delete",
    "DROP TRIGGER IF EXISTS search_fts_after_insert",
    "DROP TABLE IF EXISTS search_fts",
]

POSTGRESQL_FORWARD = [
    """ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_terms), 'A')
        || setweight(to_tsvector('simple'::regconfig, tag_terms), 'B')
        || setweight(to_tsvector('simple'::regconfig, summary_terms), 'C')
        || setweight(to_tsvector('simple'::regconfig, body_terms), 'D')
    ) STORED""",
    "CREATE INDEX search_document_vector_idx ON search_searchdocument USING GIN (search_vector)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_vector_idx",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        RunSQLOn("sqlite", SQLITE_FORWARD, SQLITE_BACKWARD),
        RunSQLOn("postgresql", POSTGRESQL_FORWARD, POSTGRESQL_BACKWARD),
    ]
