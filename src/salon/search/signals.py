"""The signal this app sends.

``index_changed`` (sent after the change is committed)
    Index entries were added, refreshed or removed, so search results shown before are out of
    date. Arguments: ``post_ids``, the posts whose entries changed, or ``None`` after a full
    rebuild. The page cache listens to it to purge kept search pages: the index follows the
    blog's ``posts_changed`` in background tasks, so results change after that event, not
    with it.
"""

from django.dispatch import Signal

index_changed = Signal()
