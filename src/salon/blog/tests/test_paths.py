"""``salon.blog.paths`` gives the very address ``reverse()`` gives, for every kind of path."""

from datetime import UTC, datetime

import pytest
from django.test import override_settings
from django.urls import clear_script_prefix, reverse, set_script_prefix

from salon.blog import paths
from salon.blog.models import Page, Post, Tag

SLUGS = ["hello", "ete-a-montreal", "a-b-c-2", "x", "1111", "22", "slug-placeholder", "post_1"]
DATES = [
    datetime(2024, 1, 1, 0, 30, tzinfo=UTC),  # the day before in a zone west of UTC
    datetime(2023, 12, 31, 23, 30, tzinfo=UTC),  # the day after in a zone east of UTC
    datetime(1999, 2, 28, 12, 0, tzinfo=UTC),
    datetime(2011, 11, 22, 22, 33, tzinfo=UTC),  # numbers that look like the placeholders
]


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/Montreal"])
def test_post_paths_equal_get_absolute_url(zone):
    with override_settings(TIME_ZONE=zone):
        for slug in SLUGS:
            for date in DATES:
                post = Post(slug=slug, published_at=date)
                assert paths.post_path(date, slug) == post.get_absolute_url()


def test_page_and_tag_paths_equal_reverse():
    for slug in SLUGS:
        assert paths.page_path(slug) == Page(slug=slug).get_absolute_url()
        assert paths.tag_path(slug) == Tag(slug=slug).get_absolute_url()
        assert paths.tag_path(slug) == reverse("blog:tag", kwargs={"slug": slug})


def test_paths_follow_the_script_prefix():
    """Served under a prefix (/blog/), the fast paths change with reverse()."""
    set_script_prefix("/blog/")
    try:
        date = DATES[0]
        assert (
            paths.post_path(date, "hello")
            == Post(slug="hello", published_at=date).get_absolute_url()
        )
        assert paths.post_path(date, "hello").startswith("/blog/")
        assert paths.page_path("about") == Page(slug="about").get_absolute_url()
    finally:
        clear_script_prefix()
    assert paths.page_path("about") == "/about/"
