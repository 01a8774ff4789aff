"""What makes kept pages stale: every change to what the public pages show.

Model signals cover edits through the admin, the forms and the services; the apps' own signals
cover their bulk writes (an import, the similar lists). Over-purging is harmless (a page is
rendered again); a missed purge would show an old page, so the list errs on the wide side.
"""

from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from salon.blog.models import Page, PageSummary, Post, PostSummary, Series, Tag
from salon.conversations.models import Response, State
from salon.conversations.signals import response_approved, response_withdrawn
from salon.portability.signals import site_imported
from salon.similar.signals import lists_changed
from salon.webmention.models import ReplyContext

from .store import purge

# Models whose rows public pages show (the menu, a post's reply context…).
SHOWN_MODELS = (Post, Page, PostSummary, PageSummary, Series, Tag, ReplyContext)


def _purge(sender=None, **kwargs):
    purge()


def _purge_for_response(sender, instance, **kwargs):
    """Only an approved response is on a page: a held one (most new comments, every spam) changes
    nothing a reader sees. Leaving the page is the conversations app's ``response_withdrawn``."""
    if instance.state == State.APPROVED:
        purge()


for model in SHOWN_MODELS:
    post_save.connect(_purge, sender=model, dispatch_uid=f"pagecache-save-{model.__name__}")
    post_delete.connect(_purge, sender=model, dispatch_uid=f"pagecache-delete-{model.__name__}")
post_save.connect(_purge_for_response, sender=Response, dispatch_uid="pagecache-save-Response")
post_delete.connect(_purge_for_response, sender=Response,
                    dispatch_uid="pagecache-delete-Response")
m2m_changed.connect(_purge, sender=Post.tags.through, dispatch_uid="pagecache-post-tags")
for name, signal in (("response-approved", response_approved),
                     ("response-withdrawn", response_withdrawn),
                     ("site-imported", site_imported), ("lists-changed", lists_changed)):
    signal.connect(_purge, dispatch_uid=f"pagecache-{name}")
# A new version of Salon is migrated: its templates may show pages differently.
post_migrate.connect(_purge, dispatch_uid="pagecache-migrate")
