"""Events of the reader, for other apps (page caches, notifications) to listen to.

``feed_refreshed``
    Sent after one followed feed was checked and its outcome stored, from the thread that
    runs the refresh (a task or ``salon refresh-feeds``). Arguments:

    - ``subscription``: the ``Subscription``, as stored after the check;
    - ``status``: ``"ok"``, ``"not_modified"``, ``"gone"`` or ``"failed"``;
    - ``new_entries``: how many entries were new (0 unless ``status`` is ``"ok"``).
"""

from django.dispatch import Signal

feed_refreshed = Signal()
