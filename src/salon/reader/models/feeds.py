"""Followed feeds and their entries.

A ``Subscription`` is one feed URL, checked on its own schedule (``next_check_at``) with
conditional GET, and carrying its last error for the author to see. The author follows it in
the reader (``followed``), or it only feeds a group challenge. An ``Entry`` is one item of a
feed, deduplicated by id and link, placed in the river by when Salon first saw it.
"""

from urllib.parse import urlsplit

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salon import outbox

from ..problems import ErrorCode


class FeedKind(models.TextChoices):
    RSS = "rss", "RSS"
    ATOM = "atom", "Atom"
    JSON = "json", "JSON Feed"


class SubscriptionState(models.TextChoices):
    NEW = "new", _("Not checked yet")
    OK = "ok", _("Working")
    FAILING = "failing", _("Failing")
    GONE = "gone", _("Gone (no longer checked)")


class SubscriptionQuerySet(outbox.DueQuerySet):
    # A feed's next check is ``next_check_at``; ``due()`` (from the outbox) gives the checked
    # feeds whose time has come, the longest-waiting first.
    next_attempt_field = "next_check_at"

    def followed(self):
        """The feeds the author reads in the reader (not those kept only for a challenge)."""
        return self.filter(followed=True)

    def checked(self):
        """Feeds still checked: every one except those the server said are gone."""
        return self.exclude(state=SubscriptionState.GONE)

    def waiting(self):
        return self.checked()


class Subscription(models.Model):
    feed_url = models.URLField(_("feed address"), max_length=1000, unique=True)
    site_url = models.URLField(_("site address"), max_length=1000, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    kind = models.CharField(_("format"), max_length=4, choices=FeedKind.choices, blank=True)
    language = models.CharField(
        _("language"),
        max_length=35,
        blank=True,
        help_text=_("The language the feed declares, if any."),
    )
    category = models.CharField(
        _("category"),
        max_length=300,
        blank=True,
        help_text=_(
            "The folder the feed is filed in (from OPML); a folder inside another is "
            "written “Outer / Inner”."
        ),
    )
    followed = models.BooleanField(
        _("shown in the reader"),
        default=True,
        help_text=_("Off for a feed kept only for a group challenge."),
    )

    state = models.CharField(
        _("state"),
        max_length=8,
        choices=SubscriptionState.choices,
        default=SubscriptionState.NEW,
    )
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField(_("subscribed on"), auto_now_add=True)
    last_checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last read successfully"), null=True, blank=True)
    next_check_at = models.DateTimeField(
        _("next check"),
        null=True,
        blank=True,
        default=timezone.now,
        db_index=True,
    )
    error_count = models.PositiveIntegerField(_("failures in a row"), default=0)
    last_error_code = models.CharField(
        _("last error"), max_length=12, choices=ErrorCode.choices, blank=True
    )
    last_error = models.TextField(_("last error (details)"), blank=True)
    last_error_at = models.DateTimeField(_("last error on"), null=True, blank=True)
    moved_from = models.URLField(
        _("previous address"),
        max_length=1000,
        blank=True,
        help_text=_("Set when the feed answered with a permanent redirect (301 or 308)."),
    )
    moved_at = models.DateTimeField(_("moved on"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["title", "feed_url"]
        verbose_name = _("followed feed")
        verbose_name_plural = _("followed feeds")

    def __str__(self):
        return self.display_title

    def get_absolute_url(self):
        return reverse("reader:site", kwargs={"pk": self.pk})

    @property
    def display_title(self):
        return self.title or urlsplit(self.feed_url).netloc or self.feed_url

    @property
    def is_gone(self):
        return self.state == SubscriptionState.GONE


class EntryQuerySet(models.QuerySet):
    def river(self):
        """Newest first by when Salon first saw each entry: a feed that back-dates or
        re-dates its entries cannot jump the queue."""
        return self.select_related("subscription").order_by("-first_seen_at", "-id")

    def unread(self):
        return self.filter(is_read=False)


class Entry(models.Model):
    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("feed"),
    )
    key = models.CharField(
        max_length=64,
        editable=False,
        help_text="SHA-256 of the entry's id (or link), the deduplication key.",
    )
    guid = models.TextField(_("id in the feed"), blank=True)
    url = models.URLField(_("address"), max_length=2000, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    author = models.CharField(_("author"), max_length=300, blank=True)
    content_html = models.TextField(_("content"), blank=True)
    summary_text = models.TextField(_("excerpt"), blank=True)
    language = models.CharField(_("language"), max_length=35, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    enclosures = models.JSONField(
        _("attached files"),
        default=list,
        blank=True,
        help_text=_(
            "The entry's enclosures (podcast audio, images…): http(s) address, media "
            "type, size in bytes and title of each."
        ),
    )
    published_at = models.DateTimeField(_("published (as the feed says)"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated (as the feed says)"), null=True, blank=True)
    first_seen_at = models.DateTimeField(_("first seen"), default=timezone.now)
    dated_at = models.DateTimeField(
        _("date"),
        default=timezone.now,
        help_text=_("The published date, never later than when Salon first saw the entry."),
    )
    is_read = models.BooleanField(_("read"), default=False)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-first_seen_at", "-id"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "key"], name="one_entry_per_feed_id"),
        ]
        indexes = [
            models.Index(fields=["-first_seen_at", "-id"], name="reader_entry_river_idx"),
            models.Index(fields=["is_read", "-first_seen_at"], name="reader_entry_unread_idx"),
            models.Index(fields=["subscription", "dated_at"], name="reader_entry_dated_idx"),
        ]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self):
        """The title, or for an untitled entry (a note) the start of its text."""
        if self.title:
            return self.title
        if self.summary_text:
            words = self.summary_text[:80]
            return words + ("…" if len(self.summary_text) > 80 else "")
        return ""


class DiscoveryState(models.TextChoices):
    PENDING = "pending", _("Looking")
    DONE = "done", _("Found")
    FAILED = "failed", _("Nothing found")


class Discovery(models.Model):
    """One "follow this address" request: the pasted URL and the feeds found there.

    Discovery runs as a task (no fetching inside a request); the page polls this row.
    """

    url = models.URLField(_("address"), max_length=1000)
    state = models.CharField(
        max_length=8, choices=DiscoveryState.choices, default=DiscoveryState.PENDING
    )
    feeds = models.JSONField(default=list, blank=True)
    error_code = models.CharField(max_length=12, choices=ErrorCode.choices, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("feed discovery")
        verbose_name_plural = _("feed discoveries")

    def __str__(self):
        return self.url


class RefreshSchedule(models.Model):
    """A single row: the queued task that will run the next scheduled refresh.

    django-tasks has no periodic scheduler; the refresh task re-enqueues itself with
    ``run_after`` and this row makes sure only one such chain exists (see docs/design/reader.md).
    """

    task_result_id = models.CharField(max_length=64, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_run_summary = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("refresh schedule")
        verbose_name_plural = _("refresh schedule")

    def __str__(self):
        return f"refresh schedule ({self.task_result_id or 'none'})"
