"""Building, updating and reading the similar-posts index (see docs/design/similar.md).

Public functions:

- ``rebuild(reporter=None)``: recompute every vector and every list from the posts
  (``rebuild.py``, its all-pairs comparison in ``pairs.py``);
- ``refresh_post(post_id)``: after a post was published, edited, unpublished or deleted,
  update its vector, its own list and the lists it enters or leaves (``update.py``, the
  vectors and posting lists in ``postings.py``);
- ``rebuild_wanted()``: whether the blog has grown enough since the last rebuild to want one
  (the task that refreshes posts asks, and queues the rebuild);
- ``similar_posts(post, language)``: the list shown at the end of a post, in one query;
- ``explain(post)``: the list with the terms each score comes from (``reading.py``).

Which posts are indexed: public published and scheduled ones (``storage.py``). The index knows
nothing of tasks: ``tasks.py`` calls it.
"""

from .reading import explain, similar_posts
from .rebuild import Reporter, rebuild
from .storage import indexed_posts
from .update import rebuild_wanted, refresh_post

__all__ = [
    "Reporter",
    "explain",
    "indexed_posts",
    "rebuild",
    "rebuild_wanted",
    "refresh_post",
    "similar_posts",
]
