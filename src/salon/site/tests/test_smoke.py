from django.test import override_settings


def test_home_answers(client, db):
    assert client.get("/").status_code == 200


def test_tasks_run_immediately_in_tests():
    from django_tasks import task_backends

    assert type(task_backends["default"]).__name__ == "ImmediateBackend"


@override_settings(SALON_NET_ALLOW_LOOPBACK=False)
def test_net_guard_refuses_loopback_unless_allowed():
    import pytest

    from salon import net

    with pytest.raises(net.BlockedAddress):
        net.fetch("http://127.0.0.1:9/")


def test_a_database_too_busy_to_write_answers_503_not_500(client, db, monkeypatch):
    """A Webmention arriving while a large import holds SQLite's writer: the sender is told to
    come back (503 with Retry-After, which senders retry), in the visitor's language."""
    from django.conf import settings
    from django.db import OperationalError

    from salon.blog.tests.factories import PostFactory
    from salon.webmention import receiving

    post = PostFactory()

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(receiving, "receive", locked)
    answer = client.post(
        "/webmention/",
        {
            "source": "https://example.org/reply",
            "target": settings.SITE_URL + post.get_absolute_url(),
        },
        headers={"Accept-Language": "fr"},
    )
    assert answer.status_code == 503 and answer["Retry-After"] == "60"
    assert "Occupé pour un moment" in answer.content.decode()
