"""The outbox's own rules, for what no channel uses yet (the channels' tests, in
``conversations/tests/test_mail_outbox.py`` and ``webmention/tests/test_sending_outbox.py``,
check the rest through a real SMTP server and a real Webmention target)."""

from datetime import UTC, datetime, timedelta

from salon import outbox

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_jitter_spreads_a_retry_over_at_most_its_fraction_of_the_delay():
    """Retries that failed together (one host, many inboxes) do not all come back at once."""
    backoff = outbox.Backoff((60, 3600), jitter=0.5)
    waits = {backoff.next_attempt(2, NOW) - NOW for _ in range(200)}
    assert all(timedelta(hours=1) <= wait <= timedelta(hours=1.5) for wait in waits)
    assert len(waits) > 100


def test_the_give_up_rules():
    """A permanent failure gives up at once; a temporary one is retried after the delay of its
    attempt, until the table runs out."""
    backoff = outbox.Backoff.doubling(60, 300, 5)
    assert backoff.delays == (60, 120, 240, 300)
    retry = backoff.failed(2, "busy", now=NOW)
    assert (retry.status, retry.retry_at, retry.error) == (
        outbox.RETRY,
        NOW + timedelta(minutes=2),
        "busy",
    )
    assert not retry and str(retry) == "retry"
    assert backoff.failed(1, "refused", temporary=False).gave_up
    assert backoff.failed(5, "busy").gave_up
    assert outbox.Outcome.sent() and str(outbox.Outcome.sent("no_endpoint")) == "no_endpoint"
