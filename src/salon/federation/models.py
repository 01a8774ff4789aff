"""What federation keeps: its keys, the remote actors it knows, followers, blocks, the
activities received and sent (one ``Delivery`` row per activity and inbox), and the link
between each federated response and its ActivityPub id.

Responses themselves are ``salon.conversations`` rows (origin ActivityPub); this app only
links them (``FederatedResponse``) and never adds fields to them.
"""

from urllib.parse import urlsplit

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salon import outbox
from salon.conversations.models import Response


def host_of(url):
    try:
        return (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return ""


class LocalKey(models.Model):
    """An RSA key pair of one of this site's actors, made once and kept (and backed up)."""

    AUTHOR = "author"
    INSTANCE = "instance"

    actor = models.CharField(max_length=20, unique=True)
    private_pem = models.TextField()
    public_pem = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("key")
        verbose_name_plural = _("keys")

    def __str__(self):
        return self.actor


class FederationState(models.Model):
    """One row: what the blog's actor says of itself beyond the settings (a move)."""

    moved_to = models.URLField(_("moved to"), max_length=1000, blank=True)
    moved_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.moved_to or "-"

    @classmethod
    def get(cls):
        return cls.objects.get_or_create(pk=1)[0]


class RemoteActor(models.Model):
    """An actor of another server, as its document said when last fetched."""

    url = models.URLField(_("ActivityPub id"), max_length=1000, unique=True)
    kind = models.CharField(_("type"), max_length=40, blank=True)
    username = models.CharField(_("user name"), max_length=200, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    domain = models.CharField(_("server"), max_length=255, db_index=True)
    icon = models.URLField(_("avatar"), max_length=1000, blank=True)
    profile_url = models.URLField(_("profile"), max_length=1000, blank=True)
    inbox = models.URLField(max_length=1000, blank=True)
    shared_inbox = models.URLField(max_length=1000, blank=True)
    key_id = models.CharField(max_length=1000, blank=True, db_index=True)
    public_key_pem = models.TextField(blank=True)
    also_known_as = models.JSONField(default=list, blank=True)
    # Set when this actor's server signed a request to us with RFC 9421: it reads them too.
    signs_rfc9421 = models.BooleanField(default=False)
    fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("remote actor")
        verbose_name_plural = _("remote actors")

    def __str__(self):
        return self.handle or self.url

    @property
    def handle(self):
        return f"@{self.username}@{urlsplit(self.url).netloc}" if self.username else ""

    @property
    def delivery_inbox(self):
        return self.shared_inbox or self.inbox

    @property
    def shown_name(self):
        return (self.name or self.username or self.domain)[:200]


class Follower(models.Model):
    actor = models.OneToOneField(
        RemoteActor, on_delete=models.CASCADE, related_name="follower", verbose_name=_("actor")
    )
    follow_id = models.URLField(_("Follow activity"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("follower")
        verbose_name_plural = _("followers")

    def __str__(self):
        return str(self.actor)


class BlockKind(models.TextChoices):
    ACTOR = "actor", _("Actor")
    DOMAIN = "domain", _("Server")


class BlockQuerySet(models.QuerySet):
    def blocks(self, actor_url="", domain=""):
        """Whether an actor (by its id) or a server (by host, subdomains included) is blocked."""
        domain = (domain or host_of(actor_url)).lower()
        query = models.Q(kind=BlockKind.ACTOR, value=actor_url) if actor_url else models.Q()
        parts = domain.split(".")
        suffixes = {".".join(parts[i:]) for i in range(len(parts) - 1)} | {domain}
        query |= models.Q(kind=BlockKind.DOMAIN, value__in=suffixes)
        return self.filter(query).exists()


class Block(models.Model):
    kind = models.CharField(_("what"), max_length=10, choices=BlockKind.choices)
    value = models.CharField(
        _("actor or server"),
        max_length=1000,
        help_text=_("An actor's ActivityPub id, or a server's host name (its subdomains too)."),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    objects = BlockQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "value"]
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="one_block_per_value")
        ]

    def __str__(self):
        return self.value

    def save(self, *args, **kwargs):
        self.value = self.value.strip()
        if self.kind == BlockKind.DOMAIN:
            self.value = self.value.lower().rstrip(".")
        super().save(*args, **kwargs)


class ReceivedState(models.TextChoices):
    RECEIVED = "received", _("Received")
    PROCESSED = "processed", _("Processed")
    IGNORED = "ignored", _("Ignored")
    FAILED = "failed", _("Failed")


class ReceivedActivity(models.Model):
    """An activity whose signature was verified, stored before it is processed in a task."""

    ap_id = models.CharField(max_length=1000, blank=True, db_index=True)
    kind = models.CharField(_("type"), max_length=40)
    actor_url = models.URLField(_("actor"), max_length=1000)
    payload = models.JSONField()
    state = models.CharField(
        _("state"), max_length=10, choices=ReceivedState.choices, default=ReceivedState.RECEIVED
    )
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("received activity")
        verbose_name_plural = _("received activities")

    def __str__(self):
        return f"{self.kind} {self.ap_id or self.pk}"


class FederatedPost(models.Model):
    """What the fediverse was told about a post: created, then maybe updated, then deleted.

    ``post_id`` is a plain number, not a foreign key: the row outlives the post, so its
    permalink keeps answering ActivityPub clients with a Tombstone (410)."""

    SCHEDULED = "scheduled"
    CREATED = "created"
    DELETED = "deleted"

    post_id = models.PositiveIntegerField(unique=True)
    ap_id = models.URLField(max_length=1000)
    path = models.CharField(max_length=1000, db_index=True)
    state = models.CharField(max_length=10)
    content_hash = models.CharField(max_length=64, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.ap_id} ({self.state})"


class Activity(models.Model):
    """An activity this site sent (its JSON as sent), delivered by ``Delivery`` rows."""

    uid = models.CharField(max_length=40, unique=True)
    kind = models.CharField(_("type"), max_length=40)
    payload = models.JSONField()
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sent activity")
        verbose_name_plural = _("sent activities")

    def __str__(self):
        return f"{self.kind} {self.uid}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Delivered")
    FAILED = "failed", _("Given up")
    SKIPPED = "skipped", _("Skipped (inbox failing or blocked)")


class DeliveryQuerySet(outbox.DueQuerySet):
    waiting_states = (DeliveryState.PENDING,)
    unscheduled_is_due = True


class Delivery(models.Model):
    """One activity to one inbox: the outbox's row for ActivityPub."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("activity")
    )
    inbox = models.URLField(_("inbox"), max_length=1000)
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["activity", "inbox"], name="one_delivery_per_inbox")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self):
        return f"{self.activity} → {self.inbox}"


class InboxHealth(models.Model):
    """How a remote inbox has been answering: one that keeps failing is marked and skipped."""

    inbox = models.URLField(max_length=1000, unique=True)
    failures = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    marked_failing_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    def __str__(self):
        return self.inbox


class FederatedResponse(models.Model):
    """The ActivityPub id of a response (a reply, like or boost that came in, or the
    author's answer that went out) and the actor behind it."""

    response = models.OneToOneField(
        Response, on_delete=models.CASCADE, related_name="federated", verbose_name=_("response")
    )
    ap_id = models.CharField(_("ActivityPub id"), max_length=1000, unique=True)
    actor = models.ForeignKey(
        RemoteActor, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    outgoing = models.BooleanField(default=False)
    attachments = models.JSONField(default=list, blank=True)

    def __str__(self):
        return self.ap_id


class Mention(models.Model):
    """A post that names the author without replying to anything of this blog."""

    actor = models.ForeignKey(
        RemoteActor, on_delete=models.CASCADE, related_name="mentions", verbose_name=_("actor")
    )
    ap_id = models.CharField(_("ActivityPub id"), max_length=1000, unique=True)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    content_html = models.TextField(_("text"), blank=True)
    language = models.CharField(_("language"), max_length=12, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")

    def __str__(self):
        return f"{self.actor} {self.ap_id}"
