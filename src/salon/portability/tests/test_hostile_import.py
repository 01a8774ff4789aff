"""A third party's export full of script is imported inert, and the report says what the
body's allow-list removed."""

import pytest
from lxml import html

from salon.blog.models import Post
from salon.blog.tests.test_sanitising import assert_inert, payloads

from .hostile import hostile_wxr

pytestmark = pytest.mark.django_db


def test_a_hostile_export_is_imported_inert_and_the_removals_reported(tmp_path, run_command):
    hostile = payloads()
    path = tmp_path / "hostile.wxr"
    path.write_text(hostile_wxr(hostile), encoding="utf-8")
    out = run_command("import-wxr", path)
    assert Post.objects.count() == len(hostile)
    for post in Post.objects.all():
        assert_inert(post.body_html, post.title)
    assert "removed markup" in out
    line = next(line for line in out.splitlines() if line.startswith("- markup removed"))
    counts = dict(part.rsplit(" ×", 1) for part in line.split(": ", 1)[1].split(", "))
    print(line)
    assert int(counts["script"]) >= 10
    assert int(counts["event handlers"]) >= 20
    assert int(counts["unsafe URLs (javascript:/data:…)"]) >= 10
    assert int(counts["<iframe>"]) >= 3


def test_a_json_import_reports_what_the_allow_list_removed(tmp_path, run_command):
    from salon.blog.tests.factories import PostFactory

    PostFactory(body='<p onclick="x()">Hi</p><script>alert(1)</script>', body_format="html")
    exported = tmp_path / "site.json"
    run_command("export-json", "-o", exported)
    Post.objects.all().delete()
    out = run_command("import-json", exported)
    assert "script ×1" in out and "event handlers ×1" in out
    body = html.fragment_fromstring(Post.objects.get().body_html, create_parent="div")
    assert body.xpath("//p/text()") == ["Hi"] and not body.xpath("//script")
