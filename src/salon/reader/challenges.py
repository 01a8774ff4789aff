"""What a challenge page shows: each participant's challenge posts, their count, one river.

Participants' posts are stored feed entries; the author's are the blog's published posts. Both
become the same ``ChallengePost`` record, so the author takes part exactly like anyone else.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.urls import Resolver404, resolve

from salon.blog.models import Post

from .models import Entry
from .parsing import excerpt, plain_text


@dataclass
class ChallengePost:
    title: str
    url: str
    date: datetime
    language: str
    summary: str
    author_name: str
    author_url: str
    guid: str
    is_own: bool = False


@dataclass
class Standing:
    name: str
    blog_url: str
    feed_url: str
    is_author: bool
    goal: int | None
    posts: list = field(default_factory=list)
    feed_problem: str = ""  # an ErrorCode when the participant's feed cannot be read
    feed_state: str = ""

    @property
    def count(self):
        return len(self.posts)

    @property
    def reached(self):
        return bool(self.goal) and self.count >= self.goal


def site_feed_url():
    """This blog's own Atom feed, when the feeds app serves one (``None`` otherwise)."""
    try:
        match = resolve("/feed/atom/")
    except Resolver404:
        return None
    if match.view_name.startswith("blog:"):
        return None
    return settings.SITE_URL + "/feed/atom/"


def own_posts(challenge):
    """The blog's published posts taking part: with the tag, or its #hashtag, in the dates."""
    start, end = challenge.window()
    candidates = (
        Post.objects.listed()
        .filter(published_at__gte=start, published_at__lt=end)
        .prefetch_related("tags")
        .order_by("-published_at", "-id")
    )
    posts = []
    for post in candidates:
        tags = [tag.name for tag in post.tags.all()] + [tag.slug for tag in post.tags.all()]
        texts = (post.title,) if post.password else (post.title, plain_text(post.body_html))
        if challenge.tag_matches(tags, *texts):
            url = settings.SITE_URL + post.get_absolute_url()
            posts.append(
                ChallengePost(
                    title=post.title,
                    url=url,
                    date=post.published_at,
                    language=post.language,
                    summary="" if post.password else excerpt(plain_text(post.body_html), 240),
                    author_name=settings.SALON_SITE_NAME,
                    author_url=settings.SITE_URL + "/",
                    guid=url,
                    is_own=True,
                )
            )
    return posts


def standings(challenge):
    """(standings, river): one ``Standing`` per participant (the author first), and every
    challenge post newest first."""
    start, end = challenge.window()
    participants = list(challenge.participants.select_related("subscription"))
    by_subscription = {}
    for participant in participants:
        if participant.subscription_id:
            by_subscription.setdefault(participant.subscription_id, []).append(participant)
    entries = Entry.objects.filter(
        subscription_id__in=list(by_subscription),
        dated_at__gte=start,
        dated_at__lt=end,
    ).order_by("-dated_at", "-id")
    posts_of = {participant.pk: [] for participant in participants}
    for entry in entries.iterator():
        if not challenge.tag_matches(entry.tags, entry.title, plain_text(entry.content_html)):
            continue
        for participant in by_subscription[entry.subscription_id]:
            posts_of[participant.pk].append(
                ChallengePost(
                    title=entry.display_title,
                    url=entry.url,
                    date=entry.dated_at,
                    language=entry.language,
                    summary=excerpt(entry.summary_text, 240),
                    author_name=participant.name,
                    author_url=participant.blog_url,
                    guid=entry.guid or entry.url or f"entry-{entry.pk}",
                )
            )
    result = []
    if challenge.author_takes_part:
        result.append(
            Standing(
                name=settings.SALON_SITE_NAME,
                blog_url=settings.SITE_URL + "/",
                feed_url=site_feed_url() or "",
                is_author=True,
                goal=challenge.goal,
                posts=own_posts(challenge),
            )
        )
    for participant in participants:
        subscription = participant.subscription
        result.append(
            Standing(
                name=participant.name,
                blog_url=participant.blog_url,
                feed_url=subscription.feed_url if subscription else participant.feed_url,
                is_author=False,
                goal=challenge.goal,
                posts=posts_of[participant.pk],
                feed_problem=(
                    participant.discovery_error
                    or (
                        subscription.last_error_code
                        if subscription and subscription.state in ("failing", "gone")
                        else ""
                    )
                ),
                feed_state=subscription.state if subscription else "",
            )
        )
    river = sorted(
        (post for standing in result for post in standing.posts),
        key=lambda post: post.date,
        reverse=True,
    )
    return result, river
