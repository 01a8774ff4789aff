"""What the desk shows: the responses of every door, newest first, each with what decided its
state and the author's answers under it. Built from a fixed number of queries (the page, the
answers of the page, the counts), whatever the number of responses."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from salon import languages

from ..models import THREAD_KINDS, Check, Origin, Response, State

# The desk's filters: what each shows (the author's own answers are shown under what they answer).
SHOW_WAITING, SHOW_ALL, SHOW_SPAM = "waiting", "all", "spam"
SHOWS = (SHOW_WAITING, SHOW_ALL, SHOW_SPAM)
PER_PAGE = 25


def doors():
    """The doors a reader's response comes through, as ``(value, label)``."""
    return [(value, label) for value, label in Origin.choices if value != Origin.AUTHOR]


def readers_responses():
    return Response.objects.filter(by_author=False)


def responses(show=SHOW_ALL, post_id=None, door=None):
    """The responses a filter shows, newest first, with their post and parent."""
    queryset = readers_responses().select_related("post", "parent")
    if show == SHOW_WAITING:
        queryset = queryset.filter(state=State.PENDING)
    elif show == SHOW_SPAM:
        queryset = queryset.filter(state=State.SPAM)
    else:
        queryset = queryset.exclude(state=State.SPAM)
    if post_id:
        queryset = queryset.filter(post_id=post_id)
    if door:
        queryset = queryset.filter(origin=door)
    return queryset.order_by("-created_at", "-id")


def counts(post_id=None, door=None):
    """How many responses each filter shows (one query)."""
    queryset = readers_responses()
    if post_id:
        queryset = queryset.filter(post_id=post_id)
    if door:
        queryset = queryset.filter(origin=door)
    return queryset.aggregate(
        waiting=Count("id", filter=Q(state=State.PENDING)),
        all=Count("id", filter=~Q(state=State.SPAM)),
        spam=Count("id", filter=Q(state=State.SPAM)),
    )


def checks_text(response):
    """What the spam checks said, in the interface language."""
    figure = response.checks_figure
    if response.checks == Check.TOO_FAST and figure is not None:
        return _("Spam: sent %(seconds)s seconds after the form was shown.") % {
            "seconds": f"{figure:.1f}"
        }
    if response.checks == Check.TOO_MANY_LINKS and figure is not None:
        count = int(figure)
        return ngettext(
            "Held: %(count)d link, more than allowed.",
            "Held: %(count)d links, more than allowed.",
            count,
        ) % {"count": count}
    if response.checks and response.checks in Check.values:
        return str(Check(response.checks).label)
    return ""  # stored before the checks were kept: the template says so


def language_label(code):
    """A response's language named in the interface language ("French", "anglais")."""
    return capfirst(languages.language_name(code)) if code else _("Language not recognised")


@dataclass
class DeskItem:
    response: Response
    answers: list = field(default_factory=list)
    is_new: bool = False  # arrived since the author's previous look at the desk

    @property
    def language_name(self):
        return language_label(self.response.language)

    @property
    def checks(self):
        return checks_text(self.response)

    @property
    def can_answer(self):
        """A comment or a reply that is not spam can be answered (a held one is approved by
        the answer)."""
        return self.response.kind in THREAD_KINDS and self.response.state != State.SPAM


def items(responses, new_since=None):
    """Each response of a page with the author's answers under it (one query for all), marked
    new when it arrived after ``new_since``."""
    responses = list(responses)
    answers = {}
    if responses:
        for answer in Response.objects.filter(
            parent__in=[r.pk for r in responses], by_author=True
        ).order_by("created_at", "id"):
            answers.setdefault(answer.parent_id, []).append(answer)
    by_post = {}
    for response in responses:
        by_post.setdefault(response.post_id, response.post)
    for answer_list in answers.values():
        for answer in answer_list:
            answer.post = by_post[answer.post_id]  # no query for get_absolute_url()
    return [
        DeskItem(
            response=r,
            answers=answers.get(r.pk, []),
            is_new=new_since is not None and r.created_at > new_since,
        )
        for r in responses
    ]


# Visits closer together than this are one sitting at the desk: what was new at its start
# stays marked new until the author comes back after a pause.
SITTING = timedelta(minutes=30)


def previous_sitting(session, now):
    """When the author last looked at the desk before this sitting (None the first time), as
    kept in their session; records this visit."""
    last = parse_datetime(session.get("desk_last_seen") or "")
    if last is None or now - last > SITTING:
        session["desk_previous_sitting"] = last.isoformat() if last else ""
    session["desk_last_seen"] = now.isoformat()
    return parse_datetime(session.get("desk_previous_sitting") or "")
