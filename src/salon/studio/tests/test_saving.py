"""Autosave: the typed fields reach the server exactly, a draft follows them, a public post
waits for "Update", and two tabs never overwrite each other silently."""

from salon.blog.models import Post, Status
from salon.studio.models import Draft

from .conftest import form_data, opened, save


def test_the_first_save_of_a_new_post_makes_a_draft(author):
    body = "Il pleuvait.\n\n  Deux espaces, une *emphase*, et la fin sans retour"
    response = author.post(
        "/write/save/",
        {**form_data(title="Le vélo", body=body), "version": "0", "action": "autosave"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200, response.content
    answer = response.json()
    post = Post.objects.get(pk=answer["post_id"])
    assert post.status == Status.DRAFT
    assert post.body == body
    assert post.title == "Le vélo"
    assert answer["edit_url"] == f"/write/{post.pk}/"
    assert answer["version"] == Draft.objects.get(post=post).version


def test_autosave_applies_to_a_draft(author, draft):
    version = opened(author, draft)
    answer = save(author, draft, version, body="Deuxième jet.", summary_en="A second go.").json()
    assert answer["ok"] and answer["applied"]
    draft.refresh_from_db()
    assert draft.body == "Deuxième jet."
    assert draft.summaries.get().text == "A second go."
    assert answer["version"] == version + 1


def test_a_second_tab_saving_from_an_old_version_is_refused(author, draft):
    version = opened(author, draft)
    assert save(author, draft, version, body="Premier onglet.").status_code == 200
    second = save(author, draft, version, body="Second onglet.")
    assert second.status_code == 409
    assert "another tab" in second.json()["message"]
    draft.refresh_from_db()
    assert draft.body == "Premier onglet."
    assert Draft.objects.get(post=draft).data["body"] == "Premier onglet."


def test_a_public_post_changes_only_when_the_author_updates_it(author):
    post = Post.objects.create(
        title="En ligne", language="fr", body="Texte publié.", status=Status.PUBLISHED
    )
    version = opened(author, post)
    answer = save(author, post, version, body="Texte en cours de réécriture").json()
    assert answer["ok"] and not answer["applied"]
    assert "once you update the post" in answer["message"]
    post.refresh_from_db()
    assert post.body == "Texte publié."
    page = author.get(f"/write/{post.pk}/").content.decode()
    assert "Texte en cours de réécriture" in page  # the working copy comes back
    assert "Changes not yet on the site" in page

    answer = save(author, post, answer["version"], "update", body="Texte réécrit.").json()
    assert answer["applied"]
    post.refresh_from_db()
    assert post.body == "Texte réécrit." and post.status == Status.PUBLISHED


def test_an_invalid_field_keeps_what_was_typed_and_changes_nothing(author, draft):
    version = opened(author, draft)
    answer = save(
        author, draft, version, body="Un texte neuf.", source_name="Le Monde", source_url="pas une"
    ).json()
    assert answer["saved"] and not answer["applied"]
    assert "source_url" in answer["errors"]
    assert Draft.objects.get(post=draft).data["body"] == "Un texte neuf."
    draft.refresh_from_db()
    assert draft.body == "Premier jet."  # no partial write


def test_a_post_changed_elsewhere_is_not_overwritten_silently(author, draft):
    version = opened(author, draft)
    draft.body = "Changé dans l'admin."
    draft.save()
    response = save(author, draft, version, body="Tapé dans l'éditeur.")
    assert response.status_code == 409
    assert "changed elsewhere" in response.json()["message"]
    draft.refresh_from_db()
    assert draft.body == "Changé dans l'admin."

    # The author chooses: apply theirs anyway…
    version = response.json()["version"]
    answer = save(author, draft, version, "overwrite", body="Tapé dans l'éditeur.").json()
    assert answer["applied"]
    draft.refresh_from_db()
    assert draft.body == "Tapé dans l'éditeur."


def test_discarding_brings_back_the_post_as_stored(author):
    post = Post.objects.create(title="Publié", language="fr", body="Stocké.", status="published")
    version = opened(author, post)
    save(author, post, version, body="Brouillon de modification.")
    response = author.post(f"/write/{post.pk}/discard/")
    assert response.status_code == 302
    page = author.get(f"/write/{post.pk}/").content.decode()
    assert "Stocké." in page and "Brouillon de modification." not in page


def test_a_save_without_javascript_comes_back_to_the_page(author, draft):
    version = opened(author, draft)
    response = author.post(
        f"/write/{draft.pk}/save/",
        {**form_data(draft, body="Sans JavaScript."), "version": version, "action": "autosave"},
    )
    assert response.status_code == 302 and response["Location"] == f"/write/{draft.pk}/"
    draft.refresh_from_db()
    assert draft.body == "Sans JavaScript."


def test_the_last_save_when_leaving_the_page_is_taken(author, draft):
    """navigator.sendBeacon cannot ask for JSON: ``beacon=1`` says it is a background save."""
    version = opened(author, draft)
    response = author.post(
        f"/write/{draft.pk}/save/",
        {**form_data(draft, body="En partant."), "version": version, "beacon": "1"},
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.body == "En partant."


def test_bad_saves_are_refused_clearly(author, draft):
    opened(author, draft)
    no_version = author.post(
        f"/write/{draft.pk}/save/", form_data(draft), HTTP_ACCEPT="application/json"
    )
    assert no_version.status_code == 400
    assert "version" in no_version.json()["message"]
    unknown = save(author, draft, 1, action="explode")
    assert unknown.status_code == 400
    assert author.post("/write/999999/save/", {"version": 1}).status_code == 404


def test_a_draft_follows_its_title_until_published(author, draft):
    version = opened(author, draft)
    answer = save(author, draft, version, title="Un titre tout neuf").json()
    draft.refresh_from_db()
    assert draft.slug == "un-titre-tout-neuf"
    save(author, draft, answer["version"], "publish", title="Un titre tout neuf")
    answer = save(author, draft, answer["version"] + 1, "update", title="Renommé après coup")
    draft.refresh_from_db()
    assert draft.title == "Renommé après coup"
    assert draft.slug == "un-titre-tout-neuf"  # its address stays once public


def test_fields_tags_summaries_series_translation_and_source(author, draft):
    from salon.blog.models import Series

    series = Series.objects.create(title="Hiver")
    original = Post.objects.create(title="Winter biking", language="en", status="published")
    version = opened(author, draft)
    answer = save(
        author,
        draft,
        version,
        tags="vélo, Hiver ,vélo",
        summary_en="Riding through the winter.",
        summary_fr="ignored: the post's own language",
        series=str(series.pk),
        series_position="2",
        translation_of=str(original.pk),
        source_name="La Revue",
        source_url="https://revue.example/velo",
        password="secret",
    ).json()
    assert answer["ok"], answer
    draft.refresh_from_db()
    assert sorted(draft.tags.values_list("name", flat=True)) == ["Hiver", "vélo"]
    assert list(draft.summaries.values_list("language", "text")) == [
        ("en", "Riding through the winter.")
    ]
    assert (draft.series, draft.series_position) == (series, 2)
    assert draft.translation_key == original.translation_key
    assert (draft.source_name, draft.source_url) == ("La Revue", "https://revue.example/velo")
    assert draft.password == "secret"


def test_a_taken_series_position_is_refused_by_its_field(author, draft):
    from salon.blog.models import Series

    series = Series.objects.create(title="Hiver")
    Post.objects.create(title="Le premier", language="fr", series=series, series_position=1)
    version = opened(author, draft)
    answer = save(author, draft, version, series=str(series.pk), series_position="1").json()
    assert not answer["applied"]
    assert answer["errors"] == {
        "series_position": ["Position 1 of “Hiver” is taken by “Le premier”."]
    }
    draft.refresh_from_db()
    assert draft.series is None
