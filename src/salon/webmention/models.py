"""What Webmention keeps: received notifications, sent deliveries, reply contexts, tombstones.

- ``ReceivedWebmention``: one row per (post, source). The endpoint writes it and answers at
  once; a task verifies it later and creates, updates or removes the ``Response`` it stands for.
  The row's ``token`` names its public status page.
- ``SentWebmention``: one row per (post, target), the outbox of deliveries: state, the endpoint
  found, what the receiver answered, attempts and the time of the next one; and one row per
  author's answer to a Webmention (``author_answer``), which carries the answer back to its source.
- ``ReplyContext``: what Salon learnt about the post a reply post answers (title, author,
  excerpt), shown above the reply; a failed fetch is retried like a delivery (attempts and the
  time of the next one).
- ``DeletedPost``: the address of a deleted post, answered with 410 Gone so receivers remove it.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salon import outbox
from salon.blog.models import Post
from salon.conversations.models import Response


class ReceivedState(models.TextChoices):
    PENDING = "pending", _("Waiting for verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    REMOVED = "removed", _("Removed by its source")


class Reason(models.TextChoices):
    """Why a received Webmention was rejected or removed (shown on its status page)."""

    NONE = "", ""
    FETCH_FAILED = "fetch_failed", _("The source could not be fetched.")
    SOURCE_ERROR = "source_error", _("The source answered with an error.")
    GONE = "gone", _("The source was deleted.")
    NO_LINK = "no_link", _("The source does not link to the target.")
    UNSUPPORTED = "unsupported", _("The source is not a document Salon can read.")
    TARGET_GONE = "target_gone", _("The target post no longer accepts responses.")


class ReceivedWebmention(models.Model):
    post = models.ForeignKey(
        Post,
        on_delete=models.CASCADE,
        related_name="webmentions_received",
        verbose_name=_("post"),
    )
    source = models.URLField(_("source"), max_length=1000)
    target = models.URLField(_("target"), max_length=1000)
    source_host = models.CharField(_("source host"), max_length=255, db_index=True)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ReceivedState.choices,
        default=ReceivedState.PENDING,
        db_index=True,
    )
    reason = models.CharField(
        _("reason"), max_length=20, choices=Reason.choices, default=Reason.NONE, blank=True
    )
    detail = models.TextField(_("detail"), blank=True, help_text=_("Technical detail, in English."))
    response = models.ForeignKey(
        Response,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="webmentions",
        verbose_name=_("response"),
    )
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    verified_at = models.DateTimeField(_("last verified"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("received Webmention")
        verbose_name_plural = _("received Webmentions")
        constraints = [
            models.UniqueConstraint(fields=["post", "source"], name="one_webmention_per_source")
        ]

    def __str__(self):
        return f"{self.source} → {self.target}"


class SentState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    NO_ENDPOINT = "no_endpoint", _("No Webmention endpoint")
    RETRYING = "retrying", _("Failed, will retry")
    FAILED = "failed", _("Failed")


class SentWebmentionQuerySet(outbox.DueQuerySet):
    """``due()``: deliveries waiting for a retry whose time has come (a pending row without a
    time is being sent by its task, not due for the sweep)."""

    waiting_states = (SentState.RETRYING, SentState.PENDING)


class SentWebmention(models.Model):
    post = models.ForeignKey(
        Post,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="webmentions_sent",
        verbose_name=_("post"),
        help_text=_("Empty once the post is deleted."),
    )
    source = models.URLField(_("source"), max_length=1000)
    target = models.URLField(_("link"), max_length=1000)
    author_answer = models.OneToOneField(
        Response,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="webmention_sent",
        verbose_name=_("the author's answer"),
        help_text=_(
            "The author's answer this Webmention carries back to the response's source; empty "
            "for the post's own links (and once the answer is deleted)."
        ),
    )
    for_answer = models.BooleanField(
        default=False,
        editable=False,
        help_text=_("Carries an answer of the author (kept after the answer is deleted)."),
    )
    in_post = models.BooleanField(
        _("still linked"),
        default=True,
        help_text=_("False once the link was removed from the post (or the post deleted)."),
    )
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=SentState.choices,
        default=SentState.PENDING,
        db_index=True,
    )
    endpoint = models.URLField(_("endpoint"), max_length=1000, blank=True)
    status_code = models.PositiveSmallIntegerField(_("answer"), null=True, blank=True)
    answer = models.TextField(_("receiver's answer"), blank=True)
    location = models.URLField(_("status page"), max_length=1000, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True, db_index=True)
    sent_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SentWebmentionQuerySet.as_manager()

    class Meta:
        ordering = ["target", "id"]
        verbose_name = _("sent Webmention")
        verbose_name_plural = _("sent Webmentions")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "target"],
                condition=models.Q(post__isnull=False, for_answer=False),
                name="one_sent_webmention_per_target",
            )
        ]

    def __str__(self):
        return f"{self.source} → {self.target} ({self.get_state_display()})"


class ReplyContextQuerySet(outbox.DueQuerySet):
    """``due()``: contexts that failed and whose next attempt has come."""

    def waiting(self):
        return self.exclude(error="").filter(next_attempt_at__isnull=False)


class ReplyContext(models.Model):
    """The post a reply post answers, as Salon last read it."""

    post = models.OneToOneField(
        Post, on_delete=models.CASCADE, related_name="reply_context", verbose_name=_("post")
    )
    url = models.URLField(_("URL"), max_length=1000)
    title = models.CharField(_("title"), max_length=300, blank=True)
    author_name = models.CharField(_("author"), max_length=200, blank=True)
    author_url = models.URLField(_("author's website"), max_length=500, blank=True)
    author_photo = models.URLField(_("author's photo"), max_length=500, blank=True)
    excerpt = models.TextField(_("excerpt"), blank=True)
    language = models.CharField(_("language"), max_length=12, blank=True)
    published = models.DateTimeField(_("published"), null=True, blank=True)
    fetched_at = models.DateTimeField(_("fetched"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True, db_index=True)

    objects = ReplyContextQuerySet.as_manager()

    class Meta:
        verbose_name = _("reply context")
        verbose_name_plural = _("reply contexts")

    def __str__(self):
        return self.title or self.url

    @property
    def is_retrying(self):
        """The last attempt failed and another one is planned."""
        return bool(self.error) and self.next_attempt_at is not None

    @property
    def gave_up(self):
        """The last attempt failed and no other is planned (until the post is saved again)."""
        return bool(self.error) and self.next_attempt_at is None


class DeletedPost(models.Model):
    """A deleted post's address: answered with 410 Gone instead of 404."""

    path = models.CharField(_("path"), max_length=500, unique=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=12, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), default=timezone.now)

    class Meta:
        verbose_name = _("deleted post")
        verbose_name_plural = _("deleted posts")

    def __str__(self):
        return self.path
