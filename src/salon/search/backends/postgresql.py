"""PostgreSQL: a weighted tsvector over the analysed terms (``simple`` configuration, since
the terms are already folded and stemmed by Salon's analysers), ranked by ``ts_rank``."""

from .base import WEIGHTS, SearchBackend

# The GIN index over ``search_vector`` (created by the migrations).
VECTOR_INDEX = "search_document_vector_idx"

# ts_rank's weight array is {D, C, B, A}: body, summaries, tags, title (see the migration).
RANK_WEIGHTS = (
    "{"
    + ",".join(
        str(WEIGHTS[name] / WEIGHTS["title"]) for name in ("body", "summaries", "tags", "title")
    )
    + "}"
)


def tsquery(parsed):
    """``('a' | 'b') & ('c')``: each word's analyses as quoted lexemes (letters and digits only,
    so the quoting cannot be escaped from), passed to ``to_tsquery`` as a parameter."""
    return " & ".join(
        "(" + " | ".join(f"'{term}'" for term in sorted(group)) + ")" for group in parsed.groups
    )


class PostgreSQLBackend(SearchBackend):
    vendor = "postgresql"

    def search(self, parsed, filters, limit, offset):
        where, params = self.filter_sql(filters)
        # One scan ranks every match and counts them. Normalisation 1 divides the rank by
        # 1 + log(length), so a long post does not win on length alone. OFFSET 0 keeps the
        # ranking inside the subquery, so the window count carries (id, date, score) rows,
        # not every matching row's tsvector.
        sql = (
            f"SELECT post_id, score, COUNT(*) OVER () FROM ("
            f"  SELECT d.post_id, d.published_at,"
            f"         ts_rank(%s::float4[], d.search_vector, q.query, 1) AS score"
            f"  FROM {self.documents_table} d, to_tsquery('simple', %s) q(query)"
            f"  WHERE d.search_vector @@ q.query AND {where} OFFSET 0"
            f") ranked ORDER BY score DESC, published_at DESC, post_id DESC LIMIT %s OFFSET %s"
        )
        rows = self.run(sql, [RANK_WEIGHTS, tsquery(parsed), *params, limit, offset])
        total = rows[0][2] if rows else 0
        return [(post_id, score) for post_id, score, _ in rows], total

    def count(self, parsed, filters):
        where, params = self.filter_sql(filters)
        sql = (
            f"SELECT COUNT(*) FROM {self.documents_table} d "
            f"WHERE d.search_vector @@ to_tsquery('simple', %s) AND {where}"
        )
        return self.run(sql, [tsquery(parsed), *params])[0][0]

    def optimize(self):
        # A rebuild's rows wait in the GIN index's pending list (``fastupdate``), which every
        # search then reads in full until a vacuum merges it: 4 MB after 10,000 posts, and a
        # query matching nothing took ~0.9 ms instead of ~0.1. Merge it now. (Turning
        # ``fastupdate`` off instead slowed a 10,000-post rebuild from 6 to 9 s.)
        self.execute("SELECT gin_clean_pending_list(%s::regclass)", [VECTOR_INDEX])
        self.execute(f"ANALYZE {self.documents_table}")
