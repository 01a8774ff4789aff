"""Odd but valid exports: WXR 1.0 and 1.1, https namespaces under other prefixes, no CDATA,
HTML entities, a byte-order mark, control characters, emoji, combining accents, RTL text."""

import unicodedata

import pytest

from salon.blog.models import Post, Tag

pytestmark = pytest.mark.django_db


def test_entities_no_cdata_and_unicode(import_file):
    output = import_file("oddities.wxr")
    post = Post.objects.get()
    assert post.title == "Café crème & vélo" and post.language == "fr"
    assert post.body_html.startswith("<p>Un café")
    text = unicodedata.normalize("NFC", post.body_html)
    assert "crème au comptoir 🚲☕" in text and "שלום" in text
    assert "\x0b" not in post.body_html
    assert "control characters" in output
    assert Tag.objects.get().name == "café"
    assert post.get_absolute_url() == "/2021/05/04/cafe-creme/"


def test_wxr_1_0(import_file):
    import_file("wxr-1.0.wxr")
    post = Post.objects.get()
    assert post.slug == "an-old-post" and post.language == "en"
    assert {t.name for t in post.tags.all()} == {"General", "history"}
    assert post.body_html == (
        "<p>This blog started in 2008, when everyone had one and comments were the place to be.</p>"
    )
