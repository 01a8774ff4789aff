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
