"""The shared corpus: the bilingual sample blog and WordPress's theme unit test data.

Skipped cleanly when ../shared/corpus is not next to the project."""

import pytest

from salon.blog.models import Page, Post, PostSummary, Status
from salon.conversations.models import Response

pytestmark = pytest.mark.django_db


def test_bilingual_sample(corpus_file, run_command):
    """10 posts, 8 French and 2 English, 9 summaries in the other language, markers stripped
    from titles, tags kept, language categories not made tags."""
    output = run_command("import-wxr", corpus_file("sample/bilingual-sample.wxr"))
    posts = Post.objects.all()
    assert posts.count() == 10
    assert posts.filter(language="fr").count() == 8 and posts.filter(language="en").count() == 2
    assert PostSummary.objects.count() == 9
    for summary in PostSummary.objects.select_related("post"):
        assert summary.language != summary.post.language
        assert not summary.text.startswith("[")
    assert PostSummary.objects.filter(post__language="en", language="fr").count() == 2
    assert not posts.filter(title__regex=r"\[(fr|en)\]").exists()
    assert "[en]" not in "".join(posts.values_list("body_html", flat=True))
    internet = posts.get(slug="internet-espace-de-vie")
    assert internet.title == "Internet, espace de vie"
    assert {t.name for t in internet.tags.all()} == {
        "internet",
        "médias sociaux",
        "relations",
        "présence en ligne",
    }
    assert "Voyages" not in output and "Français" not in {
        t.name for p in posts for t in p.tags.all()
    }


def test_bilingual_sample_keeps_its_addresses(corpus_file, run_command, client):
    run_command("import-wxr", corpus_file("sample/bilingual-sample.wxr"))
    assert client.get("/2016/08/24/internet-espace-de-vie/").status_code == 200
    response = client.get("/?p=1")
    assert response.status_code == 301
    assert response["Location"] == "/2016/08/24/internet-espace-de-vie/"


def test_theme_unit_test_data(corpus_file, run_command):
    """WordPress's own test export imports without error: threaded comments, nested pages,
    a draft, a scheduled post, a sticky and a password-protected post; menus are skipped."""
    output = run_command(
        "import-wxr",
        corpus_file("wordpress/themeunittestdata.wordpress.xml"),
        "--default-language",
        "en",
    )
    assert Post.objects.count() == 58 and Page.objects.count() == 21
    assert Post.objects.filter(status=Status.DRAFT, title="Draft").exists()
    scheduled = Post.objects.get(title="Scheduled")
    assert scheduled.status == Status.SCHEDULED and scheduled.published_at.year == 2030
    assert Post.objects.get(sticky=True).title == "Template: Sticky"
    assert Post.objects.get(password="enter").title.startswith("Template: Password Protected")
    assert Page.objects.exclude(parent=None).count() >= 10
    assert Page.objects.filter(parent__parent__isnull=False).exists()  # grandchildren
    assert Response.objects.count() == 28
    replies = Response.objects.exclude(parent=None)
    assert replies.count() >= 9
    assert replies.filter(parent__parent__isnull=False).exists()
    assert all(r.parent.post_id == r.post_id for r in replies)
    assert "skipped menus: nav_menu_item ×70" in output
    blocks = Post.objects.filter(body_html__contains="<!-- wp:")
    assert not blocks.exists()
    galleries = Post.objects.get(title="Post Format: Gallery")
    assert "gallery-columns" in galleries.body_html
