"""The signal this app sends.

``lists_changed`` (sent after the change is committed)
    Some stored lists of similar posts changed, so the pages showing them are out of date.
    Arguments: ``post_ids``, the ids of the posts whose list changed, or ``None`` after a full
    rebuild (every list may have changed). A page cache listens to it to purge those pages.

What this app listens to (the blog's ``posts_changed``) is in ``receivers.py``.
"""

from django.dispatch import Signal

lists_changed = Signal()
