"""What federation gives the JSON export (``salon export-json``): the blog's followers."""

from .models import Follower


def followers():
    """Each follower as a plain record, oldest first."""
    for follower in Follower.objects.select_related("actor").order_by("created_at", "pk"):
        actor = follower.actor
        yield {
            "actor": actor.url,
            "handle": actor.handle,
            "name": actor.name,
            "server": actor.domain,
            "inbox": actor.inbox,
            "shared_inbox": actor.shared_inbox,
            "since": follower.created_at.isoformat(),
        }
