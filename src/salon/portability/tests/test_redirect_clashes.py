"""An old address already leading somewhere keeps leading there: importing a second blog's
export never re-points the first blog's old addresses (its /?p=8 is not the second blog's post
8), nor a redirect set by hand; each clash is reported by address. A newer export of the SAME
blog (the same base_blog_url) still moves its own addresses, as re-imports update its rows."""

import pytest

from salon.blog.models import Post, Redirect

pytestmark = pytest.mark.django_db

EXPORT = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>{site}</title>
	<link>https://{site}</link>
	<language>fr-FR</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://{site}</wp:base_site_url>
	<wp:base_blog_url>https://{site}</wp:base_blog_url>
{items}</channel>
</rss>
"""
ITEM = """	<item>
		<title>{title}</title>
		<link>https://{site}{path}</link>
		<guid isPermaLink="false">https://{site}/?p={wp_id}</guid>
		<content:encoded><![CDATA[Un billet en français sur les trains de nuit.]]></content:encoded>
		<wp:post_id>{wp_id}</wp:post_id>
		<wp:post_date_gmt>2020-03-0{wp_id} 10:00:00</wp:post_date_gmt>
		<wp:post_name>{slug}</wp:post_name>
		<wp:status>publish</wp:status>
		<wp:post_type>post</wp:post_type>
	</item>
"""


def export(tmp_path, site, *posts):
    """posts: (wp_id, title, slug, path of its WordPress permalink)."""
    path = tmp_path / f"{site}-{len(list(tmp_path.iterdir()))}.wxr"
    items = "".join(
        ITEM.format(site=site, wp_id=wp_id, title=title, slug=slug, path=link)
        for wp_id, title, slug, link in posts
    )
    path.write_text(EXPORT.format(site=site, items=items))
    return path


def leads_to(old_path):
    return Redirect.objects.get(old_path=old_path).target()


def test_a_second_blog_does_not_take_the_first_blogs_old_addresses(import_file, tmp_path):
    import_file(export(tmp_path, "lea.example", (8, "Trains de nuit", "trains-de-nuit", "/?p=8")))
    first = Post.objects.get(title="Trains de nuit").get_absolute_url()
    assert leads_to("/?p=8") == first

    output = import_file(export(tmp_path, "sam.example", (8, "Vélo d'hiver", "velo", "/?p=8")))
    assert leads_to("/?p=8") == first  # Léa's readers still land on Léa's post
    second = Post.objects.get(title="Vélo d'hiver")
    assert second.get_absolute_url() != first  # imported all the same, at its own address
    assert (
        f"kept /?p=8 → {first}; the new post “Vélo d'hiver” is not reachable at that old address"
    ) in output
    assert "updated" not in output.split("redirects", 1)[1].split("\n", 1)[0]


def test_a_redirect_set_by_hand_is_kept(import_file, tmp_path):
    Redirect.objects.create(old_path="/ancien/", new_path="/a-propos/")
    output = import_file(
        export(tmp_path, "lea.example", (3, "Ancien", "ancien-billet", "/ancien/"))
    )
    assert leads_to("/ancien/") == "/a-propos/"
    assert (
        "kept /ancien/ → /a-propos/; the new post “Ancien” is not reachable at that old address"
    ) in output


def test_a_newer_export_of_the_same_blog_moves_its_own_addresses(import_file, tmp_path):
    """Léa reused an address on WordPress for a newer post: her newer export moves it."""
    import_file(export(tmp_path, "lea.example", (1, "Premier", "premier", "/bonjour/")))
    output = import_file(
        export(
            tmp_path,
            "lea.example",
            (1, "Premier", "premier", "/?p=1"),
            (2, "Second", "second", "/bonjour/"),
        )
    )
    assert leads_to("/bonjour/") == Post.objects.get(title="Second").get_absolute_url()
    assert "- kept " not in output
    assert "1 new, 1 updated" in output.split("redirects", 1)[1].split("\n", 1)[0]


def test_reimporting_the_same_export_changes_no_redirect(import_file, fixture_file):
    import_file("blog.wxr")
    before = sorted((r.old_path, r.target()) for r in Redirect.objects.all())
    output = import_file("blog.wxr")
    assert sorted((r.old_path, r.target()) for r in Redirect.objects.all()) == before
    assert "- kept " not in output
