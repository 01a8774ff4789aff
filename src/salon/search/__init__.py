"""Full-text search over published posts (SQLite FTS5 or PostgreSQL full-text search).

Public functions (other apps use these, not the modules behind them):

- ``search(text, language=None, tag=None, year=None, page=1, per_page=10)``: a ``ResultPage``;
- ``parse_query(text)``: the terms a query searches for (see ``query.py``);
- ``index_post(post_id)``: bring one post's index entry up to date (add, refresh or remove);
- ``rebuild(progress=None)``: index every post again.

The index follows posts by itself (the blog's ``posts_changed`` -> background tasks, see
``receivers.py``) and says when it changed (``signals.index_changed``, after the commit).
"""


def search(*args, **kwargs):
    from .engine import search as _search

    return _search(*args, **kwargs)


def parse_query(text):
    from .query import parse_query as _parse

    return _parse(text)


def index_post(post_id):
    from .indexing import announce
    from .indexing import index_post as _index

    indexed = _index(post_id)
    announce([post_id])
    return indexed


def rebuild(progress=None, batch_size=500):
    from .indexing import rebuild as _rebuild

    return _rebuild(progress=progress, batch_size=batch_size)
