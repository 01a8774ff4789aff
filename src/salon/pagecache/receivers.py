"""What makes kept pages stale: every change to what the public pages show.

Posts, pages and everything the blog hangs off them (summaries, tags, series, imports) arrive as
the blog's one ``posts_changed`` event, after the commit. The receivers below are for what the
pages show besides the blog's own rows: responses, reply contexts, the similar lists, the
search index (search results are kept too), a new version of Salon. Over-purging is harmless (a page is rendered again); a missed purge would show
an old page, so the list errs on the wide side.
"""

from django.db.models.signals import post_delete, post_migrate, post_save

from salon.blog.signals import posts_changed
from salon.conversations.models import Response, State
from salon.conversations.signals import response_approved, response_withdrawn
from salon.search.signals import index_changed
from salon.similar.signals import lists_changed
from salon.webmention.models import ReplyContext

from .store import purge


def _purge(sender=None, **kwargs):
    purge()


def _purge_for_response(sender, instance, **kwargs):
    """Only an approved response is on a page: a held one (most new comments, every spam) changes
    nothing a reader sees. Leaving the page is the conversations app's ``response_withdrawn``."""
    if instance.state == State.APPROVED:
        purge()


posts_changed.connect(_purge, dispatch_uid="pagecache-posts-changed")
# A post's reply context (the page it answers) is shown above the post.
post_save.connect(_purge, sender=ReplyContext, dispatch_uid="pagecache-save-ReplyContext")
post_delete.connect(_purge, sender=ReplyContext, dispatch_uid="pagecache-delete-ReplyContext")
post_save.connect(_purge_for_response, sender=Response, dispatch_uid="pagecache-save-Response")
post_delete.connect(_purge_for_response, sender=Response, dispatch_uid="pagecache-delete-Response")
for name, signal in (
    ("response-approved", response_approved),
    ("response-withdrawn", response_withdrawn),
    ("lists-changed", lists_changed),
    # Search results follow the index, which follows posts_changed in background tasks.
    ("index-changed", index_changed),
):
    signal.connect(_purge, dispatch_uid=f"pagecache-{name}")
# A new version of Salon is migrated: its templates may show pages differently.
post_migrate.connect(_purge, dispatch_uid="pagecache-migrate")
