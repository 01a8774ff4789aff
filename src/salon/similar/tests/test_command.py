"""``salon similar rebuild`` and ``salon similar show``."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from salon.blog.tests.factories import PostFactory

from .conftest import listed

pytestmark = pytest.mark.django_db

BREAD = "Le levain nourrit la pâte du pain; farine, eau et sel suffisent au boulanger."


def test_rebuild_recomputes_every_list_quietly_without_a_terminal():
    """The rebuild fills every list; with no terminal (cron, CI) it prints no progress bar,
    only a one-line summary."""
    one = PostFactory(title="Pain", language="fr", body=BREAD)
    PostFactory(title="Pain bis", language="fr", body=BREAD)
    out = StringIO()
    call_command("similar", "rebuild", stdout=out)
    assert listed(one) == ["Pain bis"]
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Similar posts rebuilt: 2 posts, 2 links")
    assert "\x1b" not in out.getvalue()


def test_rebuild_with_verbosity_zero_prints_nothing():
    out = StringIO()
    call_command("similar", "rebuild", verbosity=0, stdout=out)
    assert out.getvalue() == ""


def test_show_explains_a_list():
    """``show`` prints each similar post with its score and the terms it comes from."""
    one = PostFactory(title="Pain", language="fr", body=BREAD)
    PostFactory(title="Pain bis", language="fr", body=BREAD)
    call_command("similar", "rebuild", verbosity=0)
    out = StringIO()
    call_command("similar", "show", one.slug, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Pain [fr]"
    assert "Pain bis [fr]" in lines[1]
    assert "fr:levain" in lines[1]


def test_show_unknown_post_is_a_clear_error():
    with pytest.raises(CommandError, match="No post with the id or slug “nope”"):
        call_command("similar", "show", "nope")
