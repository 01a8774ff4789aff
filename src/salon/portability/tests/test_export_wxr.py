"""`salon export-wxr` writes WXR 1.2 that WordPress's importer reads, and a round trip through
it (export, import into an empty Salon, export again) keeps the same content."""

from datetime import timedelta

import pytest
from django.utils import timezone
from lxml import etree

from salon.blog.demo import load_demo
from salon.blog.models import Page, PageSummary, Post, PostSummary, Redirect, Series, Status, Tag
from salon.conversations.models import Kind, Origin, Response, State
from salon.portability.models import ImportedItem

pytestmark = pytest.mark.django_db

WP = "http://wordpress.org/export/1.2/"
NS = {
    "wp": WP,
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
}


@pytest.fixture
def site():
    """The demo blog, plus what it lacks: threaded comments in every state, a Webmention
    like, a child page, a draft, a scheduled, sticky and protected post, a cover image and
    text that looks like XML's own syntax."""
    load_demo()
    post = Post.objects.filter(status=Status.PUBLISHED, language="fr").first()
    first = Response.objects.create(
        post=post,
        author_name="Sam",
        author_email="sam@example.org",
        content="Premier commentaire.\n\nAvec deux paragraphes.",
        state=State.APPROVED,
        language="fr",
    )
    Response.objects.create(
        post=post,
        parent=first,
        author_name="Léa",
        content="Réponse ]]> à Sam",
        state=State.APPROVED,
        created_at=first.created_at + timedelta(hours=1),
    )
    Response.objects.create(post=post, author_name="Spammer", content="buy", state=State.SPAM)
    Response.objects.create(post=post, author_name="Noor", content="Waiting", state=State.PENDING)
    Response.objects.create(
        post=post,
        kind=Kind.LIKE,
        origin=Origin.WEBMENTION,
        author_name="Kwame",
        author_url="https://kwame.example/",
        source_url="https://kwame.example/likes/1",
        state=State.APPROVED,
    )
    Post.objects.create(title="Brouillon", language="fr", body="Pas fini", status=Status.DRAFT)
    Post.objects.create(
        title="Plus tard",
        language="fr",
        body="Bientôt <b>gras</b> & <i>]]></i>",
        status=Status.SCHEDULED,
        sticky=True,
        password="clé",
        published_at=timezone.now() + timedelta(days=30),
        cover_image_url="https://images.example/cover.jpg",
        cover_alt="Une vue",
    )
    parent = Page.objects.first()
    Page.objects.create(
        title="Sous-page",
        language="fr",
        body="Enfant",
        parent=parent,
        status=Status.PUBLISHED,
        slug="sous-page",
    )
    return post


def export(run_command, path):
    run_command("export-wxr", "-o", path)
    return path


def test_export_is_wxr_1_2(site, run_command, tmp_path):
    path = export(run_command, tmp_path / "site.xml")
    raw = path.read_text()
    tree = etree.parse(str(path))
    root = tree.getroot()
    assert tree.docinfo.doctype == ""  # WordPress's importer refuses a file with a DOCTYPE
    assert root.tag == "rss" and root.nsmap["wp"] == WP and root.nsmap["content"] == NS["content"]
    assert root.findtext("channel/wp:wxr_version", namespaces=NS) == "1.2"
    items = root.findall("channel/item")
    types = {item.findtext("wp:post_type", namespaces=NS) for item in items}
    assert types == {"post", "page", "attachment"}
    statuses = {item.findtext("wp:status", namespaces=NS) for item in items}
    assert {"publish", "draft", "future", "inherit"} <= statuses
    assert "<content:encoded><![CDATA[" in raw
    for category in root.iter("category"):
        assert category.get("domain") and category.get("nicename")
    tags = {t.findtext("wp:tag_slug", namespaces=NS) for t in root.iterfind("channel/wp:tag", NS)}
    assert tags == set(Tag.objects.values_list("slug", flat=True))
    assert len(root.findall(".//wp:comment", NS)) == Response.objects.count()


def test_cdata_end_markers_survive(site, run_command, tmp_path):
    """“]]>” inside a text is split across two CDATA sections, as WordPress does."""
    root = etree.parse(str(export(run_command, tmp_path / "site.xml"))).getroot()
    contents = [c.text for c in root.iterfind(".//wp:comment_content", NS)]
    assert "Réponse ]]> à Sam" in contents
    bodies = "".join(c.text or "" for c in root.iterfind(".//content:encoded", NS))
    assert Post.objects.get(title="Plus tard").body_html.strip() in bodies


def normalised(path):
    """What an export says, without the database ids (they differ between two sites)."""
    root = etree.parse(str(path)).getroot()
    channel = root.find("channel")
    items = channel.findall("item")
    by_id = {i.findtext("wp:post_id", namespaces=NS): i for i in items}

    def slug_of(wp_id):
        item = by_id.get(wp_id)
        return item.findtext("wp:post_name", namespaces=NS) if item is not None else None

    out = {
        "tags": sorted(
            (t.findtext("wp:tag_slug", namespaces=NS), t.findtext("wp:tag_name", namespaces=NS))
            for t in channel.iterfind("wp:tag", NS)
        ),
        "terms": sorted(
            etree.tostring(t, encoding="unicode").replace(
                t.findtext("wp:term_id", namespaces=NS), ""
            )
            for t in channel.iterfind("wp:term", NS)
        ),
    }
    for item in items:
        kind = item.findtext("wp:post_type", namespaces=NS)
        if kind == "attachment":
            key = ("attachment", item.findtext("wp:attachment_url", namespaces=NS))
        else:
            key = (kind, item.findtext("wp:post_name", namespaces=NS))
        meta = {
            m.findtext("wp:meta_key", namespaces=NS): m.findtext("wp:meta_value", namespaces=NS)
            for m in item.iterfind("wp:postmeta", NS)
        }
        if "_thumbnail_id" in meta:
            meta["_thumbnail_id"] = by_id[meta["_thumbnail_id"]].findtext(
                "wp:attachment_url", namespaces=NS
            )
        comments = item.findall("wp:comment", NS)
        comment_keys = {
            c.findtext("wp:comment_id", namespaces=NS): (
                c.findtext("wp:comment_date_gmt", namespaces=NS),
                c.findtext("wp:comment_content", namespaces=NS),
            )
            for c in comments
        }
        out[key] = {
            "fields": {
                child.tag: child.text
                for child in item
                if child.tag
                not in (
                    f"{{{WP}}}post_id",
                    "guid",
                    f"{{{WP}}}comment",
                    f"{{{WP}}}postmeta",
                    "category",
                    f"{{{WP}}}post_modified",
                    f"{{{WP}}}post_modified_gmt",
                    f"{{{WP}}}post_parent",
                )
            },
            "parent": slug_of(item.findtext("wp:post_parent", namespaces=NS)),
            "categories": sorted(
                (c.get("domain"), c.get("nicename"), c.text) for c in item.iterfind("category")
            ),
            "meta": meta,
            "comments": sorted(
                (
                    {
                        child.tag: child.text
                        for child in c
                        if child.tag not in (f"{{{WP}}}comment_id", f"{{{WP}}}comment_parent")
                    }
                    | {
                        "parent": comment_keys.get(c.findtext("wp:comment_parent", namespaces=NS)),
                        "meta": sorted(
                            (
                                m.findtext("wp:meta_key", namespaces=NS),
                                m.findtext("wp:meta_value", namespaces=NS),
                            )
                            for m in c.iterfind("wp:commentmeta", NS)
                        ),
                    }
                    for c in comments
                ),
                key=repr,
            ),
        }
    return out


def test_round_trip_keeps_the_content(site, run_command, tmp_path):
    """Export, import into an empty Salon, export again: the same posts, pages, summaries,
    languages, comments, tags and series."""
    first = export(run_command, tmp_path / "first.xml")
    before = {
        (
            p.slug,
            p.language,
            tuple(sorted((s.language, s.text) for s in p.summaries.all())),
            tuple(sorted(t.slug for t in p.tags.all())),
            p.series and p.series.slug,
            p.series_position,
        )
        for p in Post.objects.all()
    }
    keys = {p.slug: p.translation_key for p in Post.objects.all()}
    for model in (
        Response,
        Redirect,
        PostSummary,
        PageSummary,
        Post,
        Page,
        Tag,
        Series,
        ImportedItem,
    ):
        model.objects.all().delete()
    run_command("import-wxr", first)
    after = {
        (
            p.slug,
            p.language,
            tuple(sorted((s.language, s.text) for s in p.summaries.all())),
            tuple(sorted(t.slug for t in p.tags.all())),
            p.series and p.series.slug,
            p.series_position,
        )
        for p in Post.objects.all()
    }
    assert after == before
    assert {p.slug: p.translation_key for p in Post.objects.all()} == keys
    second = export(run_command, tmp_path / "second.xml")
    assert normalised(second) == normalised(first)


def test_reimporting_our_own_export_changes_nothing(site, run_command, tmp_path):
    """The same site's export matched by translation keys and comment ids: no duplicates."""
    path = export(run_command, tmp_path / "site.xml")
    counts = (Post.objects.count(), Page.objects.count(), Response.objects.count())
    run_command("import-wxr", path)
    assert (Post.objects.count(), Page.objects.count(), Response.objects.count()) == counts


INTEGER_FIELDS = (
    "wp:post_id",
    "wp:post_parent",
    "wp:menu_order",
    "wp:is_sticky",
    "wp:comment_id",
    "wp:comment_parent",
    "wp:comment_user_id",
    "wp:term_id",
    "wp:author_id",
)


def test_integer_fields_hold_numbers_zero_included(site, run_command, tmp_path):
    """Every integer field holds digits, as WordPress writes them: a top-level page's
    post_parent, a menu_order and a comment's parent are “0”, never an empty element."""
    root = etree.parse(str(export(run_command, tmp_path / "site.xml"))).getroot()
    seen = {}
    for name in INTEGER_FIELDS:
        for element in root.iterfind(f".//{name}", NS):
            assert (element.text or "").isdigit(), (name, element.text, element.sourceline)
            seen.setdefault(name, set()).add(element.text)
    assert "0" in seen["wp:post_parent"] and "0" in seen["wp:menu_order"]
    assert "0" in seen["wp:comment_parent"] and seen["wp:comment_user_id"] == {"0"}


def test_every_post_has_a_category_declared_in_the_channel(site, run_command, tmp_path):
    """WordPress files a post without a category under “Uncategorized”: each post item
    names a category (its language, in that language), declared once in the channel as
    WordPress's export does, and Salon's importer reads it as the language, not a tag."""
    root = etree.parse(str(export(run_command, tmp_path / "site.xml"))).getroot()
    declared = {
        c.findtext("wp:category_nicename", namespaces=NS): c.findtext("wp:cat_name", namespaces=NS)
        for c in root.iterfind("channel/wp:category", NS)
    }
    assert declared == {"francais": "Français", "english": "English"}
    for category in root.iterfind("channel/wp:category", NS):
        assert category.findtext("wp:term_id", namespaces=NS).isdigit()
        assert category.find("wp:category_parent", NS) is not None
    posts = [
        i
        for i in root.iterfind("channel/item")
        if i.findtext("wp:post_type", namespaces=NS) == "post"
    ]
    assert len(posts) == Post.objects.count()
    for item in posts:
        categories = [
            (c.get("nicename"), c.text)
            for c in item.iterfind("category")
            if c.get("domain") == "category"
        ]
        assert categories and all(declared.get(n) == name for n, name in categories), categories
    by_slug = {p.slug: p.language for p in Post.objects.all()}
    for item in posts:
        nicename = next(
            c.get("nicename") for c in item.iterfind("category") if c.get("domain") == "category"
        )
        language = by_slug[item.findtext("wp:post_name", namespaces=NS)]
        assert nicename == {"fr": "francais", "en": "english"}[language]
