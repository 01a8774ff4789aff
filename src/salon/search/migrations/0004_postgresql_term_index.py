"""PostgreSQL: a term index (``search_term``) beside the tsvector, so that ranking reads a few
narrow rows per hit instead of computing ``ts_rank`` over every matching post's vector.

One row per (term, post): the term's score in that post, computed once when the post is
indexed, and the filter columns (publication date, language, year), so that a search is an
index-only scan of its words' rows, summed per post. A trigger on ``search_searchdocument``
keeps it in step, as the FTS5 triggers do on SQLite.

The score of a term in a post: for each field it occurs in (title A, tags B, summaries C,
body D, the tsvector's weights), the field's weight times ``n / (n + 1)`` for its ``n``
occurrences (a word repeated counts less each time), divided by ``1 + ln(terms in the post)``
as ``ts_rank``'s normalisation 1 does, so a long post does not win on length alone. The
weights are ``backends.base.WEIGHTS`` relative to the title's, written out here because a
migration must not change when the code does.
"""

from django.db import migrations

from salon.search.operations import RunSQLOn

TABLE = "search_searchdocument"

# A lexeme without positions (none here: to_tsvector always gives them) would count once in
# the body.
SCORE = """coalesce((
    SELECT sum(weight * n / (n + 1.0)) FROM (
        SELECT CASE w WHEN 'A' THEN 1.0 WHEN 'B' THEN 0.6 WHEN 'C' THEN 0.4 ELSE 0.1 END
               AS weight, count(*) AS n
        FROM unnest({lexeme}.weights) AS w GROUP BY w
    ) fields
), 0.05) / (1 + ln(greatest(length({vector}), 1)))"""

def rows(doc, source):
    """The SELECT of the term rows of document ``doc`` (a row name) read from ``source``."""
    return (
        f"SELECT u.lexeme, {doc}.post_id, "
        + SCORE.format(lexeme="u", vector=f"{doc}.search_vector")
        + f"::real, {doc}.published_at, {doc}.language, {doc}.year FROM {source}"
    )


COLUMNS = "term, post_id, score, published_at, language, year"

FORWARD = [
    """CREATE TABLE search_term (
        term text NOT NULL,
        post_id bigint NOT NULL,
        score real NOT NULL,
        published_at timestamp with time zone NOT NULL,
        language varchar(12) NOT NULL,
        year smallint NOT NULL
    )""",
    # What a search reads, in the index alone: a word's rows with everything it needs.
    """CREATE UNIQUE INDEX search_term_lookup_idx ON search_term (term, post_id)
        INCLUDE (score, published_at, language, year)""",
    "CREATE INDEX search_term_post_idx ON search_term (post_id)",
    f"""CREATE FUNCTION search_term_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            DELETE FROM search_term WHERE post_id = OLD.post_id;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO search_term ({COLUMNS})
            {rows("NEW", "unnest(NEW.search_vector) AS u")};
        END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER search_term_sync AFTER INSERT OR UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION search_term_sync()""",
    # Emptying the documents at once (Django's flush, the tests between them) empties the
    # terms: row triggers do not fire on TRUNCATE, and stale rows would name other posts later.
    """CREATE FUNCTION search_term_empty() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE search_term;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER search_term_empty AFTER TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION search_term_empty()""",
    # Entries that existed before this migration.
    f"INSERT INTO search_term ({COLUMNS}) "
    + rows("d", f"{TABLE} AS d CROSS JOIN LATERAL unnest(d.search_vector) AS u"),
    "ANALYZE search_term",
]
BACKWARD = [
    f"DROP TRIGGER IF EXISTS search_term_empty ON {TABLE}",
    "DROP FUNCTION IF EXISTS search_term_empty()",
    f"DROP TRIGGER IF EXISTS search_term_sync ON {TABLE}",
    "DROP FUNCTION IF EXISTS search_term_sync()",
    "DROP TABLE IF EXISTS search_term",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0003_document_keyed_by_post")]

    operations = [RunSQLOn("postgresql", FORWARD, BACKWARD)]
