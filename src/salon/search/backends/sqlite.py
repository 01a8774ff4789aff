"""SQLite: an FTS5 table over the analysed terms, ranked by BM25 with per-field weights.

The FTS rowid is the post id and the filters are terms of the index (``filter_terms``), so
a search reads the full-text index alone; the only other lookup is the short list of
scheduled posts whose time has not come, which are left out.
"""

from ..text import filter_term
from .base import WEIGHTS, SearchBackend

FTS_TABLE = "search_fts"
TEXT_COLUMNS = ("title_terms", "tag_terms", "summary_terms", "body_terms")
# bm25() weights, in the FTS table's column order; the filter terms weigh nothing.
BM25_WEIGHTS = (
    ", ".join(str(WEIGHTS[name]) for name in ("title", "tags", "summaries", "body")) + ", 0.0"
)


def match_expression(parsed, filters):
    """``{title_terms …} : (("a" OR "b") AND ("c")) AND filter_terms : "zzlangfr"``.

    Each word's analyses are quoted FTS5 strings; terms are letters and digits only (see
    ``salon.search.query``), so quoting cannot be escaped from, and it keeps words such as
    ``near`` or ``and`` from being read as operators. Words are searched in the text columns
    only, so nobody finds posts by typing a filter term.
    """
    words = " AND ".join(
        "(" + " OR ".join(f'"{term}"' for term in sorted(group)) + ")" for group in parsed.groups
    )
    expression = "{" + " ".join(TEXT_COLUMNS) + "} : (" + words + ")"
    wanted = []
    if filters.language:
        wanted.append(filter_term("lang", filters.language))
    if filters.year:
        wanted.append(filter_term("year", filters.year))
    if filters.tag:
        wanted.append(filter_term("tag", filters.tag))
    for term in wanted:
        expression += f' AND filter_terms : "{term}"'
    return expression


class SQLiteBackend(SearchBackend):
    vendor = "sqlite"

    def _where(self, parsed, filters):
        # Scheduled posts are indexed ahead of their date and left out until it comes.
        sql = (
            f"{FTS_TABLE} MATCH %s AND rowid NOT IN "
            f"(SELECT post_id FROM {self.documents_table} WHERE published_at > %s)"
        )
        return sql, [match_expression(parsed, filters), self.datetime(filters.now)]

    def search(self, parsed, filters, limit, offset):
        where, params = self._where(parsed, filters)
        rows = self.run(
            f"SELECT rowid, bm25({FTS_TABLE}, {BM25_WEIGHTS}) AS score FROM {FTS_TABLE} "
            f"WHERE {where} ORDER BY score, rowid DESC LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        hits = [(post_id, -score) for post_id, score in rows]
        # Counting without ranking is cheap on FTS5 (no bm25, no sort).
        return hits, (self.count(parsed, filters) if hits else 0)

    def count(self, parsed, filters):
        where, params = self._where(parsed, filters)
        return self.run(f"SELECT COUNT(*) FROM {FTS_TABLE} WHERE {where}", params)[0][0]

    def optimize(self):
        self.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
