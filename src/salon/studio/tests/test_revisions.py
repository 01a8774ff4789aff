"""Revisions: kept with django-reversion, listed with time and size, one beside the current
text, restored exactly (and a restore can be undone)."""

import lxml.html
from reversion.models import Version

from salon.blog.models import Post, Status

from .conftest import opened, save

EARLIER = "Première version.\n\n  Deux espaces devant,\tune tabulation, « guillemets »  \n"


def versions(post):
    return list(Version.objects.get_for_object(post))


def test_the_state_before_the_first_change_is_kept(author, draft):
    version = opened(author, draft)
    save(author, draft, version, body="Changé.")
    kept = versions(draft)
    assert [v.field_dict["body"] for v in kept] == ["Premier jet."]


def test_a_revision_on_request_then_listed_with_time_and_size(author, draft):
    version = opened(author, draft)
    answer = save(author, draft, version, "revision", body=EARLIER, summary_en="Then.").json()
    assert "revision" in answer["message"]
    newest = versions(draft)[0]
    assert newest.field_dict["body"] == EARLIER

    page = lxml.html.fromstring(author.get(f"/write/{draft.pk}/revisions/").content)
    rows = page.cssselect(".studio-revisions tbody tr")
    assert len(rows) == 2
    cells = [cell.text_content().strip() for cell in rows[0].findall("td")]
    assert cells[1] == "Kept on request"
    assert cells[3] == str(len(EARLIER.split())) and cells[4] == str(len(EARLIER))
    assert rows[0].find(".//time").get("datetime")


def test_autosave_keeps_a_revision_every_few_minutes_not_every_save(author, draft):
    version = opened(author, draft)
    for n in range(4):
        version = save(author, draft, version, body=f"Essai {n}").json()["version"]
    assert len(versions(draft)) == 1  # the state before; the next comes minutes later


def test_a_revision_is_shown_beside_the_current_text(author, draft):
    version = opened(author, draft)
    answer = save(author, draft, version, "revision", body="ligne un\nligne deux").json()
    save(author, draft, answer["version"], body="ligne un\nligne 2\nligne trois")
    kept = versions(draft)[0]
    page = lxml.html.fromstring(author.get(f"/write/{draft.pk}/revisions/{kept.pk}/").content)
    rows = page.cssselect(".studio-diff tbody tr")
    pairs = [
        (row.get("class"), [cell.text_content() for cell in row.findall("td")]) for row in rows
    ]
    assert ("same", ["ligne un", "ligne un"]) in pairs
    assert ("changed", ["ligne deux", "ligne 2"]) in pairs
    assert ("added", ["", "ligne trois"]) in pairs


def test_restoring_brings_back_the_text_exactly(author, draft):
    version = opened(author, draft)
    answer = save(author, draft, version, "revision", body=EARLIER, summary_en="Then.").json()
    kept = versions(draft)[0]
    save(author, draft, answer["version"], body="Tout autre chose.", summary_en="Now.")

    response = author.post(f"/write/{draft.pk}/revisions/{kept.pk}/restore/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.body == EARLIER
    assert draft.summaries.get().text == "Then."
    page = lxml.html.fromstring(author.get(f"/write/{draft.pk}/").content)
    assert page.get_element_by_id("id_body").text == "\n" + EARLIER  # (the parser's newline)
    # The text replaced is itself a revision now: the restore can be undone.
    assert "Tout autre chose." in [v.field_dict["body"] for v in versions(draft)]


def test_restoring_a_public_post_waits_for_update(author):
    post = Post.objects.create(title="En ligne", language="fr", body="v1", status=Status.PUBLISHED)
    version = opened(author, post)
    answer = save(author, post, version, "update", body="v2").json()
    first = [v for v in versions(post) if v.field_dict["body"] == "v1"][0]
    author.post(f"/write/{post.pk}/revisions/{first.pk}/restore/")
    post.refresh_from_db()
    assert post.body == "v2"  # readers still see the current text
    assert "v1" in author.get(f"/write/{post.pk}/").content.decode()
    assert answer["ok"]


def test_another_posts_revision_is_not_found(author, draft):
    other = Post.objects.create(title="Autre", language="fr", status=Status.DRAFT)
    version = opened(author, other)
    save(author, other, version, "revision", body="x")
    foreign = versions(other)[0]
    assert author.get(f"/write/{draft.pk}/revisions/{foreign.pk}/").status_code == 404
    assert author.post(f"/write/{draft.pk}/revisions/{foreign.pk}/restore/").status_code == 404
