"""Search backends: one per database engine, chosen by the engine of the default database.

Both index the same analysed terms (see ``salon.search.text``) and receive the same parsed
query, so they find the same posts; only the ranking formula differs (FTS5's BM25,
PostgreSQL's ``ts_rank``), both weighting title, tags, summaries and body in that order.
"""

from django.db import connection

from .base import Filters, SearchBackend

__all__ = ["Filters", "SearchBackend", "get_backend"]


def get_backend():
    if connection.vendor == "postgresql":
        from .postgresql import PostgreSQLBackend

        return PostgreSQLBackend()
    if connection.vendor == "sqlite":
        from .sqlite import SQLiteBackend

        return SQLiteBackend()
    raise NotImplementedError(f"Salon's search has no backend for {connection.vendor}.")
