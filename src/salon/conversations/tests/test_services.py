"""Moderation rules of ``services.submit_response``, the one door every response goes through."""

import pytest

from salon.conversations import services, signals
from salon.conversations.models import Origin, Response, State


def make(post, **fields):
    values = {
        "post": post,
        "author_name": "Ada",
        "author_email": "ada@example.org",
        "content": "A kind word about this post.",
    }
    values.update(fields)
    return Response(**values)


@pytest.mark.django_db
class TestFirstTimeModeration:
    def test_a_first_time_commenter_waits_for_approval(self, post):
        """An e-mail address never approved before: held."""
        response = services.submit_response(make(post))
        assert response.pk and response.state == State.PENDING

    def test_a_known_email_is_published_at_once(self, post):
        """Once one comment from an address is approved, the next ones are published."""
        services.approve(services.submit_response(make(post)))
        later = services.submit_response(
            make(post, author_email="ADA@example.org ", content="Another thought.")
        )
        assert later.state == State.APPROVED

    def test_too_many_links_wait_even_for_a_known_author(self, post, settings):
        """More links than SALON_COMMENTS_MAX_LINKS: held whatever the author."""
        settings.SALON_COMMENTS_MAX_LINKS = 2
        services.approve(services.submit_response(make(post)))
        links = "See https://a.example/ https://b.example/ and https://c.example/"
        assert services.submit_response(make(post, content=links)).state == State.PENDING

    def test_spam_marked_by_the_caller_stays_spam(self, post, settings):
        settings.SALON_COMMENTS_MODERATION = "none"
        response = services.submit_response(make(post, state=State.SPAM))
        assert Response.objects.get(pk=response.pk).state == State.SPAM


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mode, known, expected",
    [
        ("all", True, State.PENDING),
        ("none", False, State.APPROVED),
        ("first-time", False, State.PENDING),
    ],
)
def test_moderation_modes(post, settings, mode, known, expected):
    """SALON_COMMENTS_MODERATION: hold all, approve all, or first-time only."""
    if known:
        services.approve(services.submit_response(make(post)))
    settings.SALON_COMMENTS_MODERATION = mode
    assert services.submit_response(make(post, content="Yet another.")).state == expected


@pytest.mark.django_db
class TestDomains:
    def test_a_domain_never_approved_before_is_held_then_trusted(self, post):
        """Webmentions are judged by their source's domain, www. or not."""
        first = make(
            post,
            origin=Origin.WEBMENTION,
            kind="reply",
            author_email="",
            source_url="https://www.blog.example/2024/reply",
        )
        assert not services.is_known_domain("blog.example")
        services.submit_response(first)
        assert first.state == State.PENDING and first.domain == "blog.example"
        services.approve(first)
        assert services.is_known_domain("blog.example")
        assert services.is_known_domain("https://WWW.blog.example/other")
        second = make(
            post,
            origin=Origin.WEBMENTION,
            kind="like",
            author_email="",
            source_url="https://blog.example/likes/1",
        )
        assert services.submit_response(second).state == State.APPROVED

    def test_a_comment_forms_website_does_not_make_a_domain_known(self, post):
        services.approve(services.submit_response(make(post, author_url="https://me.example/")))
        assert not services.is_known_domain("me.example")

    def test_an_approved_webmention_updated_at_its_source_stays_published(self, post, settings):
        response = services.submit_response(
            make(post, origin=Origin.WEBMENTION, source_url="https://x.example/1", author_email="")
        )
        services.approve(response)
        settings.SALON_COMMENTS_MODERATION = "all"
        response.content = "Edited at the source."
        assert services.submit_response(response).state == State.APPROVED


@pytest.mark.django_db
def test_submission_fills_language_html_and_sends_signals(post):
    """The language is detected among the configured ones; events are announced."""
    seen = []

    def record(sender, response, **kwargs):
        seen.append((kwargs["signal"], response.pk))

    signals.response_submitted.connect(record)
    signals.response_approved.connect(record)
    try:
        response = services.submit_response(
            make(
                post,
                content="Je trouve ce billet très intéressant, merci beaucoup pour le partage.",
            )
        )
        services.approve(response)
    finally:
        signals.response_submitted.disconnect(record)
        signals.response_approved.disconnect(record)
    assert response.language == "fr"
    assert response.content_html.startswith("<p>")
    assert [s for s, _ in seen] == [signals.response_submitted, signals.response_approved]


@pytest.mark.django_db
def test_spam_is_kept_until_the_retention_ends(post, settings):
    """Spam is kept SALON_SPAM_RETENTION_DAYS days, then purged."""
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    settings.SALON_SPAM_RETENTION_DAYS = 30
    old = services.submit_response(make(post, state=State.SPAM, content="old spam"))
    recent = services.submit_response(make(post, state=State.SPAM, content="new spam"))
    Response.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    call_command("purge-spam")
    assert list(Response.objects.spam().values_list("pk", flat=True)) == [recent.pk]


@pytest.mark.parametrize(
    "name, value",
    [
        ("SALON_COMMENTS_MODERATION", "sometimes"),
        ("SALON_COMMENTS_RATE_LIMIT", "lots"),
        ("SALON_AUTHOR_LANGUAGE", "de"),
    ],
)
def test_impossible_settings_are_refused_at_start(settings, name, value):
    """`salon check` names the setting that cannot work."""
    from django.core.checks import run_checks

    setattr(settings, name, value)
    errors = [e for e in run_checks() if e.id.startswith("conversations.")]
    assert [e.obj for e in errors] == [name]
