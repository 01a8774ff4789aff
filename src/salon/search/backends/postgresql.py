"""PostgreSQL: a weighted tsvector over the analysed terms (``simple`` configuration, since
the terms are already folded and stemmed by Salon's analysers), and beside it a term index
with each term's score in each post, which the searches read (migration 0004)."""

from django.db import connection

from .base import SearchBackend

# The term index (migration 0004) kept by a trigger on the documents table.
TERM_TABLE = "search_term"

# The GIN index over ``search_vector`` (created by the migrations).
VECTOR_INDEX = "search_document_vector_idx"


def word_terms(parsed):
    """Two parallel arrays for ``unnest``: every term of the query and the bit of the word (the
    group) it stands for (a query has at most ``MAX_WORDS``, 16, so the bits fit an int)."""
    pairs = [(term, 1 << n) for n, group in enumerate(parsed.groups) for term in sorted(group)]
    return [term for term, _ in pairs], [bit for _, bit in pairs]


class PostgreSQLBackend(SearchBackend):
    """Matches and ranks on the term index (``search_term``, migration 0004): the words' rows
    (index-only scans of narrow rows), grouped by post, kept when every word is there, their
    scores summed."""

    vendor = "postgresql"

    def _hits_sql(self, parsed, filters):
        where, params = self.filter_sql(filters, alias="t")
        terms, words = word_terms(parsed)
        # One pass over the words' rows, grouped by post: the bits of the words found must be
        # all of them; the score sums every analysis found (a post holding a word in both its
        # languages, in its body and an English summary say, counts it twice: it is about it).
        sql = (
            "SELECT t.post_id, SUM(t.score) AS score, MAX(t.published_at) AS published_at"
            " FROM search_term t"
            " JOIN unnest(%s::text[], %s::int[]) AS w(term, bit) ON t.term = w.term"
            f" WHERE {where}"
            " GROUP BY t.post_id HAVING BIT_OR(w.bit) = %s"
        )
        return sql, [terms, words, *params, (1 << len(parsed.groups)) - 1]

    def search(self, parsed, filters, limit, offset):
        hits, params = self._hits_sql(parsed, filters)
        # One pass finds, scores and counts the hits; the window count carries (id, date,
        # score) rows only.
        sql = (
            f"SELECT post_id, score, COUNT(*) OVER () FROM ({hits}) ranked "
            "ORDER BY score DESC, published_at DESC, post_id DESC LIMIT %s OFFSET %s"
        )
        rows = self.run(sql, [*params, limit, offset])
        total = rows[0][2] if rows else 0
        return [(post_id, score) for post_id, score, _ in rows], total

    def count(self, parsed, filters):
        hits, params = self._hits_sql(parsed, filters)
        return self.run(f"SELECT COUNT(*) FROM ({hits}) hits", params)[0][0]

    def optimize(self):
        # A rebuild's rows wait in the GIN index's pending list (``fastupdate``), which every
        # search then reads in full until a vacuum merges it: 4 MB after 10,000 posts, and a
        # query matching nothing took ~0.9 ms instead of ~0.1. Merge it now. (Turning
        # ``fastupdate`` off instead slowed a 10,000-post rebuild from 6 to 9 s.)
        self.execute("SELECT gin_clean_pending_list(%s::regclass)", [VECTOR_INDEX])
        self.execute(f"ANALYZE {self.documents_table}")
        if connection.in_atomic_block:
            self.execute(f"ANALYZE {TERM_TABLE}")
        else:
            # Marks the term rows' pages all-visible, so searches read the index alone
            # (autovacuum would, a while later).
            self.execute(f"VACUUM (ANALYZE) {TERM_TABLE}")
