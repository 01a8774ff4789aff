"""What the post page shows of the conversation, built from one query.

``conversation_for(post)`` loads the approved responses of a post once and sorts them into the
threaded comments (in reading order, each with its depth), the faces of likes and reposts, and
the mentions; the page's query count does not grow with the number of responses.
"""

from dataclasses import dataclass, field

from django.utils.safestring import mark_safe

from . import conf
from .models import FACE_KINDS, MENTION_KINDS, THREAD_KINDS, Kind, Response


@dataclass
class ThreadItem:
    response: Response
    depth: int
    has_children: bool = False
    closes: range = field(default_factory=lambda: range(0))  # levels to close after a leaf
    can_reply: bool = False
    # For the author's answer to a response that lives elsewhere (a Webmention's source, a
    # federated object): that address, marked ``u-in-reply-to`` so the answer is a reply there.
    in_reply_to: str = ""
    in_reply_to_name: str = ""

    @property
    def html(self):
        return mark_safe(self.response.shown_html)  # cleaned by nh3 in shown_html


@dataclass
class Conversation:
    thread: list
    comment_count: int
    likes: list
    reposts: list
    mentions: list
    by_id: dict

    @property
    def faces(self):
        return self.likes + self.reposts


SHOWN_FIELDS = [
    "id",
    "post_id",
    "parent_id",
    "kind",
    "origin",
    "state",
    "author_name",
    "author_url",
    "author_photo",
    "content",
    "content_html",
    "language",
    "source_url",
    "by_author",
    "created_at",
]


def conversation_for(post, *, comments_open=True):
    responses = list(
        Response.objects.approved()
        .filter(post=post)
        .only(*SHOWN_FIELDS)
        .order_by("created_at", "id")
    )
    for response in responses:
        response.post = post  # no query for get_absolute_url()
    threaded = [r for r in responses if r.kind in THREAD_KINDS]
    return Conversation(
        thread=flatten(threaded, comments_open=comments_open),
        comment_count=len(threaded),
        likes=[r for r in responses if r.kind == Kind.LIKE],
        reposts=[r for r in responses if r.kind == Kind.REPOST],
        mentions=[r for r in responses if r.kind in MENTION_KINDS],
        by_id={r.pk: r for r in threaded},
    )


def flatten(responses, *, comments_open=True):
    """Responses in thread order (each followed by its replies), with the nesting to open and
    close around each one. A reply whose parent is not shown starts a thread of its own."""
    by_id = {r.pk: r for r in responses}
    children = {}
    roots = []
    for response in responses:
        if response.parent_id and response.parent_id in by_id:
            children.setdefault(response.parent_id, []).append(response)
        else:
            roots.append(response)
    max_depth = conf.max_depth()
    items = []
    stack = [(root, 1) for root in reversed(roots)]
    while stack:
        response, depth = stack.pop()
        kids = children.get(response.pk, [])
        parent = by_id.get(response.parent_id) if response.by_author else None
        items.append(
            ThreadItem(
                response=response,
                depth=depth,
                has_children=bool(kids),
                can_reply=comments_open and depth < max_depth,
                in_reply_to=parent.source_url if parent is not None else "",
                in_reply_to_name=parent.author_name if parent is not None else "",
            )
        )
        stack.extend((kid, depth + 1) for kid in reversed(kids))
    for index, item in enumerate(items):
        if not item.has_children:
            following = items[index + 1].depth if index + 1 < len(items) else 1
            item.closes = range(item.depth - following)
    return items


__all__ = ["conversation_for", "flatten", "FACE_KINDS"]
