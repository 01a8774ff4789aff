"""The one model of responses.

A response has a kind (comment, reply, like, repost, bookmark, mention), an origin (the door it
came through), an author card (name, URL, photo; the e-mail is never shown), content with its
language, a place in a thread (``parent``) and a moderation state. Comments, received
Webmentions, imported WordPress comments and (later) federated replies are all rows of this
table, so they share threads, the moderation queue and notifications.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salon.blog.models import Post


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


class State(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    SPAM = "spam", _("Spam")


class ResponseQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(state=State.APPROVED)

    def pending(self):
        return self.filter(state=State.PENDING)

    def spam(self):
        return self.filter(state=State.SPAM)

    def threaded(self):
        """Responses that belong in a thread (comments and replies), oldest first."""
        return self.filter(kind__in=[Kind.COMMENT, Kind.REPLY]).order_by("created_at", "id")


class Response(models.Model):
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="responses", verbose_name=_("post")
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies",
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
    author_email = models.EmailField(_("e-mail"), blank=True, help_text=_("Never shown."))
    author_url = models.URLField(_("website"), max_length=500, blank=True)
    author_photo = models.URLField(_("photo"), max_length=500, blank=True)

    content = models.TextField(_("text"), blank=True)
    content_html = models.TextField(
        blank=True, editable=False, help_text=_("The text as shown, sanitised.")
    )
    language = models.CharField(_("language"), max_length=12, blank=True)

    source_url = models.URLField(
        _("source"), max_length=1000, blank=True,
        help_text=_("Where the response lives (a Webmention's source, a federated object)."),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)

    created_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

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

    @property
    def depth(self):
        depth, node = 0, self
        while node.parent_id:
            depth += 1
            node = node.parent
        return depth
