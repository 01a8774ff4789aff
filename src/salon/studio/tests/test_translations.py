""" "Translation of": a text field (an id or an address) with suggestions by title from the
server, so the writing page weighs the same on a blog of ten posts or of two thousand."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salon.blog.models import Post, Status

from .conftest import opened, save


def posts(count, language="en", prefix="Post"):
    rows = [
        Post(title=f"{prefix} {n}", slug=f"{prefix.lower()}-{n}", language=language, body="Text.")
        for n in range(count)
    ]
    for row in rows:
        row.fill_derived()
        row.status = Status.PUBLISHED
    return Post.objects.bulk_create(rows)


def weigh(client, post):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/write/{post.pk}/")
    assert response.status_code == 200
    return len(queries), len(response.content)


@pytest.mark.django_db
def test_the_writing_page_does_not_grow_with_the_blog(author, draft):
    posts(10)
    opened(author, draft)
    small_queries, small_size = weigh(author, draft)
    posts(2000, prefix="Many")
    queries, size = weigh(author, draft)
    assert queries == small_queries
    assert size < small_size + 200, (small_size, size)  # the same page, not a list of posts
    assert "Many 1999" not in author.get(f"/write/{draft.pk}/").content.decode()


def test_suggestions_by_title_in_the_other_languages(author, draft):
    english = Post.objects.create(title="Winter evenings", language="en", status=Status.PUBLISHED)
    Post.objects.create(title="Soirs d'hiver (winter)", language="fr", status=Status.PUBLISHED)
    response = author.get(
        "/write/translations/",
        {"q": "WINTER", "language": "fr", "exclude": draft.pk},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    results = response.json()["results"]
    assert [r["id"] for r in results] == [english.pk]
    assert results[0]["title"] == "Winter evenings" and results[0]["language"] == "en"
    assert author.get("/write/translations/", {"q": "w"}).json()["results"] == []


def test_suggestions_are_for_the_author_only(client, django_user_model, db):
    Post.objects.create(title="Winter evenings", language="en", status=Status.DRAFT)
    response = client.get("/write/translations/", {"q": "winter"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 403 and "Winter" not in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    reader = django_user_model.objects.create_user("reader", password="pw")
    client.force_login(reader)
    assert client.get("/write/translations/", {"q": "winter"}).status_code == 302


@pytest.mark.parametrize("how", ["id", "address", "absolute", "writing page"])
def test_the_field_takes_an_id_or_an_address_without_javascript(author, draft, how):
    english = Post.objects.create(title="A first draft", language="en", status=Status.PUBLISHED)
    given = {
        "id": str(english.pk),
        "address": english.get_absolute_url(),
        "absolute": f"https://example.org{english.get_absolute_url()}?utm=1",
        "writing page": f"/write/{english.pk}/",
    }[how]
    version = opened(author, draft)
    answer = save(author, draft, version, translation_of=given).json()
    assert answer["ok"], answer
    draft.refresh_from_db()
    assert draft.translation_key == english.translation_key
    page = author.get(f"/write/{draft.pk}/").content.decode()
    assert (
        'name="translation_of"' in page and "<select" not in page.split("translation_of")[1][:300]
    )
    assert 'lang="en">A first draft</a>' in page


def test_an_address_naming_no_post_is_refused_clearly(author, draft):
    version = opened(author, draft)
    answer = save(author, draft, version, translation_of="/2020/01/01/nowhere/").json()
    assert not answer["ok"]
    assert "No post has this address or number" in answer["errors"]["translation_of"][0]
    same_language = Post.objects.create(title="Autre", language="fr", status=Status.PUBLISHED)
    answer = save(author, draft, answer["version"], translation_of=str(same_language.pk)).json()
    assert "another language" in answer["errors"]["translation_of"][0]
