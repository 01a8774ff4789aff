"""The WordPress importer on mutated files (bytes flipped, cut, doubled, tags and entities
thrown in): each import either completes or is refused with a CommandError, and a refused one
leaves the database exactly as it was (one transaction). No other exception, ever."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from salon.blog.models import Page, Post, Redirect, Tag
from salon.blog.rendering import render_body
from salon.conversations.models import Response

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "src/salon/portability/tests/fixtures"
SEEDS = [(FIXTURES / name).read_bytes() for name in ("blog.wxr", "oddities.wxr", "languages.wxr")]
INSERTS = [
    b"<",
    b">",
    b"&",
    b"&bogus;",
    b"]]>",
    b"<![CDATA[",
    b"</item>",
    b"<item>",
    b"</channel>",
    b"\x00",
    b"\xff\xfe",
    b"<wp:post_type>post</wp:post_type>",
    b"<wp:post_id>-1</wp:post_id>",
    b"<wp:post_date_gmt>9999-99-99</wp:post_date_gmt>",
    b"<script>alert(1)</script>",
    b'<!DOCTYPE x [<!ENTITY a "aaaa">]>',
    b'<!ENTITY xxe SYSTEM "file:///etc/passwd">',
]


@st.composite
def mutated(draw):
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _n in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "double", "delete"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(INSERTS))
        elif kind == "double":
            end = min(len(data), at + draw(st.integers(1, 400)))
            data[at:at] = data[at:end]
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 50))]
    return bytes(data)


def snapshot():
    return (
        Post.objects.count(),
        Page.objects.count(),
        Response.objects.count(),
        Tag.objects.count(),
        Redirect.objects.count(),
    )


@given(content=mutated(), recover=st.booleans())
def test_a_mutated_export_imports_whole_or_not_at_all(tmp_path, count_case, content, recover):
    count_case()
    path = tmp_path / "mutated.wxr"
    path.write_bytes(content)
    before = snapshot()
    args = [str(path)] + (["--recover"] if recover else [])
    try:
        call_command(
            "import-wxr", *args, stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w")
        )
    except CommandError:
        assert snapshot() == before, "a refused import left rows behind"
        return
    for post in Post.objects.all():
        assert post.body_html == render_body(post.body, post.body_format)
        assert post.slug and post.language
