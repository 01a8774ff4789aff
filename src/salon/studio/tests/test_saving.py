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
