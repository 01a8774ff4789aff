import pytest

from salon.blog.models import Post, Status


@pytest.fixture
def author(client, django_user_model):
    user = django_user_model.objects.create_user(
        "writer", password="pw", is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return client


@pytest.fixture
def draft(db):
    return Post.objects.create(
        title="Un brouillon", language="fr", body="Premier jet.", status=Status.DRAFT
    )


def form_data(post=None, **fields):
    """What the writing page posts: every field, as the browser sends it."""
    data = {
        "title": "",
        "slug": "",
        "language": "fr",
        "body": "",
        "source_name": "",
        "source_url": "",
        "visibility": "public",
        "password": "",
        "series": "",
        "series_position": "",
        "cover_image_url": "",
        "cover_alt": "",
        "cover_credit": "",
        "cover_licence": "",
        "cover_licence_url": "",
        "comments_open": "on",
        "tags": "",
        "translation_of": "",
        "language_locked": "on",
        "cover_from_library": "",
        "summary_fr": "",
        "summary_en": "",
    }
    if post is not None:
        data.update(title=post.title, language=post.language, body=post.body)
    data.update(fields)
    return data


def save(client, post, version, action="autosave", **fields):
    return client.post(
        f"/write/{post.pk}/save/",
        {**form_data(post, **fields), "version": version, "action": action},
        HTTP_ACCEPT="application/json",
    )


def opened(client, post):
    """Open the writing page on ``post``; return the version it starts from."""
    from salon.studio.models import Draft

    assert client.get(f"/write/{post.pk}/").status_code == 200
    return Draft.objects.get(post=post).version
