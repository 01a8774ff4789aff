"""An import writes posts in bulk, without post_save; search and similar posts still learn of
every imported post (through the blog's ``posts_changed`` event, sent after the commit)."""

from pathlib import Path

import pytest
from django.core.management import call_command
from lxml import html

from salon.blog.models import Post

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURES = Path(__file__).parent / "fixtures"


def test_imported_posts_can_be_searched_and_have_similar_lists(client):
    call_command("import-wxr", str(FIXTURES / "blog.wxr"), verbosity=0)
    posts = list(Post.objects.published())
    assert len(posts) >= 2
    page = html.fromstring(client.get("/search/", {"q": posts[0].title}).content.decode())
    found = [a.get("href") for a in page.cssselect("a")]
    assert posts[0].get_absolute_url() in found

    from salon.similar.models import SimilarPost

    assert SimilarPost.objects.exists(), "the import filled the similar-posts lists"
