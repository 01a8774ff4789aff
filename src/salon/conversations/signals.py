"""Events of the conversation, for other apps (cache invalidation, feeds, federation).

Every signal is sent with ``sender=Response`` and the keyword argument ``response`` (the saved
row); receivers run inside the request or task that caused the event, after the row is saved.
This app's own ``tasks.py`` listens too: it enqueues the mail that follows.

- ``response_submitted``: a response entered the conversation through any door
  (``services.submit_response``), whatever its state (approved, pending or spam); with
  ``notify_author`` (False when the door asked that the author not be told).
- ``response_approved``: a response became visible on the post page (at submission or later,
  by moderation).
- ``response_withdrawn``: an approved response left the page (marked as spam, held again or
  deleted through the moderation functions).
- ``author_answered``: the author answered a response (``services.answer``); sent after the
  commit with ``response`` (the answer, approved) and ``parent`` (what it answers), so the door
  the parent came through (Webmention, ActivityPub) can carry the answer back.
"""

from django.dispatch import Signal

response_submitted = Signal()
response_approved = Signal()
response_withdrawn = Signal()
author_answered = Signal()
