"""The one model of responses.

A response has a kind (comment, reply, like, repost, bookmark, mention), an origin (the door it
came through), an author card (name, URL, photo; the e-mail is never shown), content with its
language, a place in a thread (``parent``) and a moderation state. Comments, received
Webmentions, imported WordPress comments and (later) federated replies are all rows of this
table, so they share threads, the moderation queue and notifications.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salon import languages, outbox
from salon.blog.models import Post

from . import text


def domain_of(url):
    """The host of a URL, lower-cased and without a leading ``www.``; ``""`` when there is none.

    Moderation trusts a domain once one of its responses was approved; ``www.example.org`` and
    ``example.org`` count as one.
    """
    try:
        host = (urlsplit((url or "").strip()).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""
    return host.removeprefix("www.")


def response_domain(source_url, author_url):
    """What domain moderation trusts for a response: its source's, else its website's."""
    return domain_of(source_url) or domain_of(author_url)


def normalised_email(value):
    """An author's address as stored: trimmed and lower-cased, so one person is one address."""
    return (value or "").strip().lower()


def shown_content_html(content, given_html="", *, plain=False):
    """The HTML stored for a response's ``content``: HTML given by the door it came through (a
    Webmention's e-content, an imported comment's paragraphs) cleaned, else made from the
    content."""
    if given_html:
        return text.clean_html(given_html)
    return text.html_from_content(content, plain=plain)


class Kind(models.TextChoices):
    COMMENT = "comment", _("Comment")
    REPLY = "reply", _("Reply")
    LIKE = "like", _("Like")
    REPOST = "repost", _("Repost")
    BOOKMARK = "bookmark", _("Bookmark")
    MENTION = "mention", _("Mention")


class Origin(models.TextChoices):
    COMMENT_FORM = "form", _("Comment form")
    WEBMENTION = "webmention", _("Webmention")
    ACTIVITYPUB = "activitypub", _("ActivityPub")
    IMPORT = "import", _("Import")
    AUTHOR = "author", _("The author's answer")


class State(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    SPAM = "spam", _("Spam")


class Check(models.TextChoices):
    """What the checks said when a response came in: why it was published, held or kept as
    spam (``services.submit_response`` stores it; empty for responses stored before)."""

    NONE = "", _("Not recorded")
    HONEYPOT = "honeypot", _("Spam: the hidden field only robots fill in was filled in.")
    NO_TIMESTAMP = "no-timestamp", _("Spam: the form's signed time was missing or forged.")
    TOO_FAST = "too-fast", _("Spam: sent faster than a person types.")
    DOOR_SPAM = "door-spam", _("Spam: refused by the door it came through.")
    TOO_MANY_LINKS = "links", _("Held: more links than allowed.")
    HOLD_ALL = "hold-all", _("Held: every response waits for approval (moderation mode “all”).")
    NEW_AUTHOR = "new-author", _("Held: the first response from this e-mail address.")
    NEW_DOMAIN = "new-domain", _("Held: the first response from this domain.")
    KNOWN_AUTHOR = (
        "known-author",
        _("Published: a response from this e-mail address was approved before."),
    )
    KNOWN_DOMAIN = "known-domain", _("Published: a response from this domain was approved before.")
    OPEN = "open", _("Published: responses are not moderated (moderation mode “none”).")
    AUTHOR = "author", _("Published: written by the author.")


class ResponseQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(state=State.APPROVED)

    def pending(self):
        return self.filter(state=State.PENDING)

    def spam(self):
        return self.filter(state=State.SPAM)

    def threaded(self):
        """Responses that belong in a thread (comments and replies), oldest first."""
        return self.filter(kind__in=THREAD_KINDS).order_by("created_at", "id")

    def expired_spam(self, days):
        """Spam older than ``days`` days, due to be deleted."""
        return self.spam().filter(created_at__lt=timezone.now() - timedelta(days=days))


THREAD_KINDS = [Kind.COMMENT, Kind.REPLY]
FACE_KINDS = [Kind.LIKE, Kind.REPOST]
MENTION_KINDS = [Kind.MENTION, Kind.BOOKMARK]


class Response(models.Model):
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="responses", verbose_name=_("post")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    origin = models.CharField(
        _("came through"), max_length=12, choices=Origin.choices, default=Origin.COMMENT_FORM
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )

    author_name = models.CharField(_("name"), max_length=200)
    author_email = models.EmailField(
        _("e-mail"), blank=True, db_index=True, help_text=_("Never shown.")
    )
    author_url = models.URLField(_("website"), max_length=500, blank=True)
    author_photo = models.URLField(_("photo"), max_length=500, blank=True)

    content = models.TextField(_("text"), blank=True)
    content_html = models.TextField(
        blank=True, editable=False, help_text=_("The text as shown, sanitised.")
    )
    language = models.CharField(_("language"), max_length=12, blank=True)

    source_url = models.URLField(
        _("source"),
        max_length=1000,
        blank=True,
        help_text=_("Where the response lives (a Webmention's source, a federated object)."),
    )
    domain = models.CharField(
        _("domain"),
        max_length=255,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_("The host of the source, else of the website: what domain moderation trusts."),
    )
    by_author = models.BooleanField(
        _("by the author"),
        default=False,
        db_index=True,
        help_text=_("Written by the blog's author (signed with the public name, never the login)."),
    )
    checks = models.CharField(
        _("checks"),
        max_length=16,
        choices=Check.choices,
        default=Check.NONE,
        blank=True,
        editable=False,
        help_text=_("What the spam checks said when the response came in."),
    )
    checks_figure = models.FloatField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("The measure behind the checks: seconds taken, links counted."),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)

    created_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    followups_sent_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("When subscribers were told about this response (once, at approval)."),
    )

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["post", "state", "created_at"], name="response_thread_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "source_url"],
                condition=~models.Q(source_url=""),
                name="one_response_per_source",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.author_name} on {self.post}"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._loaded_content = self.content if "content" in self.__dict__ else None

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)
        self._loaded_content = self.content

    def get_absolute_url(self):
        return f"{self.post.get_absolute_url()}#response-{self.pk}"

    def fill_derived(self):
        """Fill what derives from the rest: the shown HTML, the language and the domain.

        ``content_html`` is made from ``content`` when it is empty or when ``content`` changed;
        HTML given by a caller (a Webmention's e-content) is kept but always cleaned. ``save()``
        calls it; a bulk writer (``salon import-json``) calls it before ``bulk_create``, and the
        WordPress importer calls the functions it is made of (``response_domain``…) per row.
        """
        self.author_email = normalised_email(self.author_email)
        given = self.content_html if self.content == self._loaded_content else ""
        self.content_html = shown_content_html(self.content, given, plain=self.is_plain_text)
        if not self.language and self.content:
            plain = self.content
            if not self.is_plain_text and text.looks_like_html(plain):
                plain = text.strip_tags(plain)
            self.language = languages.detect_language(plain, default="") or ""
        self.domain = response_domain(self.source_url, self.author_url)

    @property
    def depth(self):
        """The level in the thread: 1 for a response to the post, 2 for a reply to it…"""
        depth, node = 1, self
        while node.parent_id:
            depth += 1
            node = node.parent
        return depth

    @property
    def is_threaded(self):
        return self.kind in THREAD_KINDS

    @property
    def shown_html(self):
        """The HTML the thread shows: the stored rendering, cleaned once more."""
        return text.clean_html(
            self.content_html or text.html_from_content(self.content, plain=self.is_plain_text)
        )

    @property
    def is_plain_text(self):
        """Text typed in the comment form is plain text, whatever it looks like."""
        return self.origin in (Origin.COMMENT_FORM, Origin.AUTHOR)


class Subscriber(models.Model):
    """An e-mail address that asked for follow-ups; it confirms once, then subscribes freely."""

    email = models.EmailField(_("e-mail"), unique=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self):
        return self.email

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


class Scope(models.TextChoices):
    REPLIES = "replies", _("Replies to my comment")
    ALL = "all", _("All new comments on this post")


class SubscriptionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Subscription(models.Model):
    """Follow-ups one address asked for on one post: every new comment, or replies to one."""

    subscriber = models.ForeignKey(
        Subscriber,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("subscriber"),
    )
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="subscriptions", verbose_name=_("post")
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    response = models.ForeignKey(
        Response,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("replies to"),
    )
    language = models.CharField(
        _("language"),
        max_length=12,
        help_text=_(
            "The interface language of the page the reader subscribed from: their mail speaks it."
        ),
    )
    active = models.BooleanField(
        _("active"), default=False, help_text=_("False until the address is confirmed.")
    )
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        indexes = [models.Index(fields=["post", "active"], name="subscription_post_idx")]

    def __str__(self):
        return f"{self.subscriber} → {self.post} ({self.get_scope_display()})"


class MailState(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Given up")


class OutgoingMailQuerySet(outbox.DueQuerySet):
    """``waiting()``: queued messages; ``due()``: those never tried or whose next try came."""

    waiting_states = (MailState.QUEUED,)
    unscheduled_is_due = True


class OutgoingMail(models.Model):
    """One message to one address, written when the event happens and sent by a task.

    The row is the outbox: a failed send stays here with its error and the time of the next
    attempt (backoff doubles each time), so no message is lost when the mail server is down.
    """

    purpose = models.CharField(_("purpose"), max_length=20)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=MailState.choices,
        default=MailState.QUEUED,
        db_index=True,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")

    def __str__(self):
        return f"{self.purpose} → {self.to}: {self.subject}"
