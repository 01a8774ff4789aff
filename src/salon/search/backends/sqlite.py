"""SQLite: an FTS5 table over the analysed terms, ranked by BM25 with per-field weights."""

from .base import WEIGHTS, SearchBackend

FTS_TABLE = "search_fts"


def match_expression(parsed):
    """``("a" OR "b") AND ("c")``: each word's analyses, as quoted FTS5 strings.

    Terms are letters and digits only (see ``salon.search.query``), so quoting cannot be
    escaped from; quoting also keeps words such as ``near`` or ``and`` from being read as
    operators.
    """
    return " AND ".join(
        "(" + " OR ".join(f'"{term}"' for term in sorted(group)) + ")"
        for group in parsed.groups
    )


class SQLiteBackend(SearchBackend):
    vendor = "sqlite"

    def search(self, parsed, filters, limit, offset):
        where, params = self.filter_sql(filters)
        weights = ", ".join(
            str(WEIGHTS[name]) for name in ("title", "tags", "summaries", "body")
        )
        # bm25() only works in the FTS query itself, hence the materialised CTE; the window
        # count gives the total number of hits in the same query as the page.
        sql = (
            f"WITH hits AS MATERIALIZED ("
            f"  SELECT rowid AS id, bm25({FTS_TABLE}, {weights}) AS score"
            f"  FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) "
            f"SELECT d.post_id, -hits.score, COUNT(*) OVER () "
            f"FROM hits JOIN {self.documents_table} d ON d.id = hits.id "
            f"WHERE {where} "
            f"ORDER BY hits.score, d.published_at DESC, d.post_id DESC LIMIT %s OFFSET %s"
        )
        rows = self.run(sql, [match_expression(parsed), *params, limit, offset])
        return self._page(rows)

    @staticmethod
    def _page(rows):
        total = rows[0][2] if rows else 0
        return [(post_id, score) for post_id, score, _ in rows], total

    def count(self, parsed, filters):
        where, params = self.filter_sql(filters)
        sql = (
            f"SELECT COUNT(*) FROM {FTS_TABLE} JOIN {self.documents_table} d "
            f"ON d.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s AND {where}"
        )
        return self.run(sql, [match_expression(parsed), *params])[0][0]

    def optimize(self):
        self.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
