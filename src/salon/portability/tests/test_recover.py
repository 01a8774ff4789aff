"""--recover imports what a damaged file still holds and lists what it dropped or repaired."""

import pytest

from salon.blog.models import Post

pytestmark = pytest.mark.django_db


def test_a_damaged_item_is_repaired_and_listed(import_file):
    output = import_file("damaged.wxr", "--recover")
    assert set(Post.objects.values_list("title", flat=True)) == {
        "Premier billet",
        "Billet abîmé",
        "Troisième billet",
    }
    assert "repaired: “Billet abîmé” (post 2) line 30" in output


def test_a_truncated_file_keeps_its_whole_items(import_file):
    output = import_file("truncated.wxr", "--recover")
    assert list(Post.objects.values_list("title", flat=True)) == ["Premier billet"]
    assert "skipped: “Deuxième billet” (line 23): no wp:post_type" in output


def test_bytes_that_are_not_utf8_are_replaced_and_counted(import_file):
    output = import_file("invalid-utf8.wxr", "--recover")
    assert "caf� cr�me" in Post.objects.get(title="Billet latin-1").body_html
    assert "2 byte sequences that are not UTF-8" in output
