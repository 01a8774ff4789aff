import pytest
from lxml import html


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Tasks run at once. The root conftest says so too, but an app that imports its tasks
    while Django starts freezes the task backends before that; overriding the setting here
    resets them (django-tasks listens to setting_changed)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def parse():
    """Parse an HTTP response's HTML into an lxml tree."""

    def _parse(response):
        assert response.status_code == 200
        return html.fromstring(response.content.decode())

    return _parse


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the code schedules after commit (the index updates) when the block ends."""

    def _committed():
        return django_capture_on_commit_callbacks(execute=True)

    return _committed


def listed(post):
    """The titles in a post's stored list, most similar first (every kept entry)."""
    from salon.similar.models import SimilarPost

    return [
        row.similar.title
        for row in SimilarPost.objects.filter(post=post)
        .select_related("similar")
        .order_by("-score", "similar_id")
    ]
