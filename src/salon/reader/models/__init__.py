from .challenges import Challenge, Participant, normalize_tag
from .feeds import (
    Discovery,
    DiscoveryState,
    Entry,
    FeedKind,
    RefreshSchedule,
    Subscription,
    SubscriptionState,
)

__all__ = [
    "Challenge",
    "Discovery",
    "DiscoveryState",
    "Entry",
    "FeedKind",
    "Participant",
    "RefreshSchedule",
    "Subscription",
    "SubscriptionState",
    "normalize_tag",
]
