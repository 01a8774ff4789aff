"""Importing a small bilingual WordPress blog: every kind of item lands where it belongs."""

from datetime import UTC, datetime

import pytest
from lxml import html

from salon.blog.models import Page, Post, Redirect, Status, Tag
from salon.conversations.models import Kind, Origin, Response, State
from salon.portability.models import ImportedItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(import_file):
    return import_file("blog.wxr")


def test_posts_keep_their_state_date_and_flags(imported):
    """Published, sticky, password-protected, closed, draft and scheduled posts keep all that."""
    winter = Post.objects.get(slug="le-velo-en-hiver")
    assert winter.status == Status.PUBLISHED and winter.sticky
    assert winter.published_at == datetime(2019, 1, 15, 8, 30, tzinfo=UTC)
    gear = Post.objects.get(slug="winter-cycling-gear")
    assert gear.password == "secret" and not gear.comments_open
    draft = Post.objects.get(title="Brouillon sur les trains")
    assert draft.status == Status.DRAFT and draft.slug == "brouillon-sur-les-trains"
    scheduled = Post.objects.get(slug="billet-programme")
    assert scheduled.status == Status.SCHEDULED
    assert scheduled.published_at == datetime(2099, 6, 1, 8, 0, tzinfo=UTC)
    assert not Post.objects.filter(title="Jeté à la corbeille").exists()
    assert Post.objects.count() == 4


def test_title_marker_and_summary_paragraph(imported):
    """“Titre [fr]” loses its marker; a first paragraph “[en] …” becomes the English summary."""
    winter = Post.objects.get(slug="le-velo-en-hiver")
    assert winter.title == "Le vélo en hiver" and winter.language == "fr"
    assert winter.summary_in("en").text.startswith("Cycling through a Montreal winter")
    assert "[en]" not in winter.body_html and "Cycling through" not in winter.body_html
    gear = Post.objects.get(slug="winter-cycling-gear")
    assert gear.language == "en"
    assert gear.summary_in("fr").text == "Ce qu'il faut pour rouler en hiver."


def test_tags_categories_and_language_categories(imported):
    """Tags and categories become tags (WordPress slugs kept); “English” and “Uncategorized”
    do not: one is a language, the other means nothing."""
    winter = Post.objects.get(slug="le-velo-en-hiver")
    assert {t.name for t in winter.tags.all()} == {"vélo", "hiver", "Voyages"}
    assert Tag.objects.get(name="vélo").slug == "velo"
    assert not Tag.objects.filter(name__in=["English", "Uncategorized"]).exists()


def test_classic_content_gets_paragraphs_and_shortcodes(imported):
    """Blank lines make paragraphs, single newlines <br>, [caption] a figure, [gallery] the
    images of the file (listed after the post), lists and <pre> untouched."""
    body = html.fromstring(f"<div>{Post.objects.get(slug='le-velo-en-hiver').body_html}</div>")
    paragraphs = body.xpath("./p")
    assert paragraphs[0].text_content().startswith("Il neige depuis trois jours")
    assert len(paragraphs[0].xpath("./br")) == 1
    figure = body.xpath("//figure[contains(@class, 'wp-caption')]")[0]
    assert figure.xpath(".//img/@src") == [
        "https://lea.example/wp-content/uploads/2019/01/neige.jpg"
    ]
    assert figure.xpath("string(.//figcaption)") == "Mon vélo, ce matin"
    gallery = body.xpath("//div[contains(@class, 'gallery')]")[0]
    assert gallery.xpath(".//img/@src") == [
        "https://lea.example/wp-content/uploads/2019/01/neige.jpg",
        "https://lea.example/wp-content/uploads/2019/01/gants.jpg",
    ]
    assert [li.text for li in body.xpath("//ul/li")] == ["des gants", "une cagoule"]
    assert body.xpath("string(//pre)") == "pas de\nparagraphe ici"
    assert not body.xpath("//p//ul | //p//pre | //p//figure")


def test_unknown_shortcodes_stay_as_text_and_are_listed(imported):
    winter = Post.objects.get(slug="le-velo-en-hiver")
    assert '[contact-form-7 id="12" title="Contact"]' in winter.body_html
    assert "[contact-form-7] ×1" in imported


def test_block_editor_comments_disappear(imported, client, parse):
    """Block delimiters leave no trace on the page; a dynamic block is reported; an embed
    block becomes its player."""
    gear = Post.objects.get(slug="winter-cycling-gear")
    assert "<!--" not in gear.body_html
    assert "latest-posts ×1" in imported
    body = html.fromstring(f"<div>{gear.body_html}</div>")
    assert body.xpath("//figure/@data-embed-src") == [
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    ]


def test_featured_image_from_an_attachment(imported):
    assert (
        Post.objects.get(slug="le-velo-en-hiver").cover_image_url
        == "https://lea.example/wp-content/uploads/2019/01/neige.jpg"
    )
    assert ImportedItem.objects.filter(wp_type="attachment").count() == 2


def test_pages_keep_their_parent_even_when_listed_first(imported):
    team = Page.objects.get(slug="equipe")
    assert team.parent == Page.objects.get(slug="a-propos")
    assert team.menu_order == 2


def test_comments_threading_states_and_authors(imported):
    """Replies hang under their parents whatever the order in the file; approval becomes the
    moderation state; trashed comments and comments on pages are left out."""
    comments = {c.author_name + c.content[:5]: c for c in Response.objects.all()}
    sam = Response.objects.get(content__startswith="Brave!")
    lea = Response.objects.get(author_name="Lea")
    again = Response.objects.get(content__startswith="Thanks")
    assert lea.parent == sam and again.parent == lea and sam.parent is None
    assert sam.state == State.APPROVED and again.state == State.PENDING
    assert Response.objects.get(author_name="Cheap pills").state == State.SPAM
    assert not Response.objects.filter(content__startswith="Deleted").exists()
    assert not Response.objects.filter(content="Hello").exists()
    assert len(comments) == 5
    assert all(c.origin == Origin.IMPORT for c in comments.values())
    assert Response.objects.get(author_name="Un autre blog").kind == Kind.MENTION
    assert sam.author_email == "sam@example.org" and str(sam.ip_address) == "2001:db8::1"
    assert again.ip_address is None
    assert sam.created_at == datetime(2019, 1, 15, 19, 0, tzinfo=UTC)


def test_comment_html_is_sanitised_and_the_original_kept(imported):
    sam = Response.objects.get(content__startswith="Brave!")
    assert "<script>" in sam.content
    shown = html.fromstring(f"<div>{sam.content_html}</div>")
    assert len(shown.xpath("//p")) == 2
    assert not shown.xpath("//script | //*[@onclick]")
    assert shown.xpath("//a/@href") == ["https://example.org/tyres"]


def test_summary_lists_what_was_skipped(imported):
    assert "menus" in imported and "nav_menu_item ×1" in imported
    assert "product ×1" in imported
    assert "in the trash" in imported
    assert "on pages" in imported


@pytest.mark.parametrize(
    "old, new_name",
    [
        ("/?p=101", "post"),
        ("/?page_id=302", "page"),
        ("/a-propos/equipe/", "page"),
    ],
)
def test_old_addresses_answer_with_a_301(imported, client, old, new_name):
    target = (
        Post.objects.get(slug="le-velo-en-hiver")
        if new_name == "post"
        else Page.objects.get(slug="equipe")
    ).get_absolute_url()
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == target


def test_category_pages_redirect_to_their_tag(imported, client):
    response = client.get("/category/voyages/")
    assert response.status_code == 301 and response["Location"] == "/tag/voyages/"


def test_unchanged_permalinks_need_no_redirect(imported, client):
    """Salon uses WordPress's date permalinks: the old address is the new one."""
    assert not Redirect.objects.filter(old_path="/2019/01/15/le-velo-en-hiver/").exists()
    assert client.get("/2019/01/15/le-velo-en-hiver/").status_code == 200


def test_password_protection_is_kept(imported, client, parse):
    gear = Post.objects.get(slug="winter-cycling-gear")
    page = parse(client.get(gear.get_absolute_url()))
    assert page.xpath("//input[@name='post_password']")
    assert "everything I wear" not in client.get(gear.get_absolute_url()).content.decode()
    unlocked = client.post(gear.get_absolute_url(), {"post_password": "secret"}, follow=True)
    assert "everything I wear" in unlocked.content.decode()
