"""One odd item does not refuse a whole export. As WordPress's own importer does, WXR elements
are read by namespace URI (WXR 1.0 to 1.2), not by prefix; an item lacking what Salon needs (a
wp:post_type, a numeric wp:post_id) is skipped and named in the report by title and line, and
the rest is imported. Malformed XML is still refused whole. With --recover, an unparseable
date leaves out its item (or its comment) alone, named the same way."""

import pytest
from django.core.management import CommandError

from salon.blog.models import Post
from salon.conversations.models import Response

pytestmark = pytest.mark.django_db

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wp="http://wordpress.org/export/{version}/">
<channel>
	<title>Test</title>
	<link>https://test.example</link>
	<wp:wxr_version>{version}</wp:wxr_version>
	<wp:base_blog_url>https://test.example</wp:base_blog_url>
"""
FOOT = "</channel>\n</rss>\n"


def item(
    title,
    wp_id,
    *,
    post_type="post",
    date="2020-03-01 10:00:00",
    extra="",
    attributes="",
    prefix="wp",
):
    fields = [
        f"<{prefix}:post_id>{wp_id}</{prefix}:post_id>" if wp_id is not None else "",
        f"<{prefix}:post_date_gmt>{date}</{prefix}:post_date_gmt>",
        f"<{prefix}:status>publish</{prefix}:status>",
        f"<{prefix}:post_type>{post_type}</{prefix}:post_type>" if post_type else "",
    ]
    return (
        f"\t<item{attributes}>\n\t\t<title>{title}</title>\n"
        "\t\t<content:encoded><![CDATA[Un texte en français, assez long pour être lu comme "
        "tel par la détection.]]></content:encoded>\n"
        + "".join(f"\t\t{field}\n" for field in fields if field)
        + extra
        + "\t</item>\n"
    )


def export(tmp_path, *items, version="1.2"):
    path = tmp_path / "export.wxr"
    path.write_text(HEAD.format(version=version) + "".join(items) + FOOT)
    return path


def line_of(path, text):
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def item_line(path, title):
    """The line of the <item> holding this title (the line before it)."""
    return line_of(path, f"<title>{title}</title>") - 1


def titles():
    return set(Post.objects.values_list("title", flat=True))


def test_an_item_without_post_type_is_skipped_and_named(import_file, tmp_path):
    path = export(
        tmp_path, item("Premier", 1), item("Sans type", 2, post_type=""), item("Dernier", 3)
    )
    output = import_file(path)
    assert titles() == {"Premier", "Dernier"}
    line = item_line(path, "Sans type")
    assert f"skipped: “Sans type” (line {line}): no wp:post_type" in output


def test_an_item_without_numeric_post_id_is_skipped_and_named(import_file, tmp_path):
    path = export(
        tmp_path, item("Premier", 1), item("Sans numéro", "abc"), item("Sans identifiant", None)
    )
    output = import_file(path)
    assert titles() == {"Premier"}
    assert (
        f"skipped: “Sans numéro” (line {item_line(path, 'Sans numéro')}): "
        "wp:post_id “abc” is not a number"
    ) in output
    assert (
        f"skipped: “Sans identifiant” (line {item_line(path, 'Sans identifiant')}): no wp:post_id"
    ) in output


def test_an_item_whose_wp_prefix_names_another_namespace_is_skipped(import_file, tmp_path):
    """Its wp: elements are not WordPress's: the prefix means nothing, the namespace does."""
    path = export(
        tmp_path,
        item("Premier", 1),
        item("Autre espace", 2, attributes=' xmlns:wp="http://example.com/other/"'),
    )
    output = import_file(path)
    assert titles() == {"Premier"}
    assert (
        f"skipped: “Autre espace” (line {item_line(path, 'Autre espace')}): no wp:post_type (its “wp:” prefix is bound to "
        "http://example.com/other/, not to a WordPress export namespace)"
    ) in output


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_elements_are_read_by_namespace_uri_whatever_their_prefix(import_file, tmp_path, version):
    """An item binding WordPress's namespace to another prefix is read like any other."""
    namespace = f"http://wordpress.org/export/{version}/"
    path = export(
        tmp_path,
        item("Premier", 1),
        item("Autre préfixe", 2, prefix="wxr", attributes=f' xmlns:wxr="{namespace}"'),
        version=version,
    )
    output = import_file(path)
    assert titles() == {"Premier", "Autre préfixe"}
    assert "skipped:" not in output


def test_malformed_xml_is_still_refused_whole(import_file, tmp_path):
    path = export(tmp_path, item("Premier", 1), item("Cassé", 2, extra="\t\t<wp:oops>\n"))
    with pytest.raises(CommandError, match=r"export.wxr, line \d+, column \d+: the XML is damaged"):
        import_file(path)
    assert not Post.objects.exists()


def test_with_recover_an_unparseable_date_leaves_out_its_item_alone(import_file, tmp_path):
    path = export(
        tmp_path,
        item("Premier", 1),
        item("Mal daté", 2, date="2019-13-45 25:61:00"),
        item("Dernier", 3),
    )
    with pytest.raises(CommandError, match="“2019-13-45 25:61:00” does not parse"):
        import_file(path)  # without --recover: refused whole, as before
    assert not Post.objects.exists()
    output = import_file(path, "--recover")
    assert titles() == {"Premier", "Dernier"}
    assert (
        f"skipped: “Mal daté” (line {item_line(path, 'Mal daté')}): the date “2019-13-45 25:61:00” does not parse"
        in output
    )


def test_with_recover_an_unparseable_comment_date_leaves_out_that_comment(import_file, tmp_path):
    comments = "".join(
        f"\t\t<wp:comment><wp:comment_id>{n}</wp:comment_id>"
        f"<wp:comment_author>Lectrice {n}</wp:comment_author>"
        f"<wp:comment_date_gmt>{date}</wp:comment_date_gmt>"
        f"<wp:comment_content>Merci pour ce billet.</wp:comment_content>"
        "<wp:comment_approved>1</wp:comment_approved></wp:comment>\n"
        for n, date in ((5, "yesterday"), (6, "2020-03-02 10:00:00"))
    )
    path = export(tmp_path, item("Commenté", 1, extra=comments))
    with pytest.raises(CommandError, match="comment 5: the date “yesterday” does not parse"):
        import_file(path)
    output = import_file(path, "--recover")
    assert titles() == {"Commenté"}
    assert list(Response.objects.values_list("author_name", flat=True)) == ["Lectrice 6"]
    line = line_of(path, "<wp:comment_id>5<")
    assert (
        f"skipped: “Commenté” (line {line}): comment 5: the date “yesterday” does not parse"
        in output
    )
