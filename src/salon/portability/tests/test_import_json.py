"""`salon import-json` brings Salon's own JSON export back, losslessly: export, empty the
database, import, export again gives the same document field by field, and the same rows."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from salon.blog.demo import load_demo
from salon.blog.models import Page, PageSummary, Post, PostSummary, Redirect, Series, Status, Tag
from salon.conversations.models import (
    Check,
    Kind,
    Origin,
    Response,
    Scope,
    State,
    Subscriber,
    Subscription,
)

pytestmark = pytest.mark.django_db

CONTENT = (
    Subscription,
    Subscriber,
    Response,
    Redirect,
    PostSummary,
    PageSummary,
    Post,
    Page,
    Tag,
    Series,
)


@pytest.fixture
def site():
    """The demo blog (translations, summaries, a series, tags, pages) plus every kind of
    response through every door, threads, a draft, a scheduled protected sticky post with a
    credited cover, a republished post, a reply post, a child page, redirects of the three
    kinds, follow-up subscriptions, and dates with microseconds."""
    load_demo()
    post = Post.objects.filter(status=Status.PUBLISHED, language="fr").first()
    moment = timezone.now().replace(microsecond=123456) - timedelta(days=3)
    first = Response.objects.create(
        post=post,
        author_name="Sam",
        author_email="sam@example.org",
        author_url="https://sam.example/",
        created_at=moment,
        content="Premier commentaire.\n\nAvec deux paragraphes.",
        state=State.APPROVED,
        language="fr",
    )
    reply = Response.objects.create(
        post=post,
        parent=first,
        author_name="Léa",
        content="Réponse à Sam",
        state=State.APPROVED,
        created_at=moment + timedelta(microseconds=1),
    )
    Response.objects.create(
        post=post,
        author_name="Spammer",
        content="buy",
        state=State.SPAM,
        created_at=moment + timedelta(hours=1),
    )
    Response.objects.create(
        post=post,
        author_name="Noor",
        content="Waiting",
        state=State.PENDING,
        created_at=moment + timedelta(hours=2),
    )
    Response.objects.create(
        post=post,
        kind=Kind.LIKE,
        origin=Origin.WEBMENTION,
        author_name="Kwame",
        author_url="https://kwame.example/",
        author_photo="https://kwame.example/me.jpg",
        source_url="https://kwame.example/likes/1",
        state=State.APPROVED,
        created_at=moment + timedelta(hours=3),
    )
    ana = Response.objects.create(
        post=post,
        kind=Kind.REPLY,
        origin=Origin.WEBMENTION,
        author_name="Ana",
        source_url="https://ana.example/reply",
        content="<p>A <em>reply</em> from elsewhere</p>",
        content_html="<p>A <em>reply</em> from elsewhere</p>",
        state=State.APPROVED,
        language="en",
        checks=Check.NEW_DOMAIN,
        created_at=moment + timedelta(hours=4),
    )
    # The author's answer stays the author's (the desk lists readers' responses only).
    Response.objects.create(
        post=post,
        parent=ana,
        origin=Origin.AUTHOR,
        by_author=True,
        author_name="Camille",
        content="Thank you, Ana.",
        state=State.APPROVED,
        language="en",
        checks=Check.AUTHOR,
        created_at=moment + timedelta(hours=5),
    )
    Response.objects.create(
        post=post,
        origin=Origin.IMPORT,
        kind=Kind.MENTION,
        author_name="Old blog",
        content="<b>Pingback</b>",
        state=State.APPROVED,
        created_at=moment - timedelta(days=400),
    )
    Post.objects.create(title="Brouillon", language="fr", body="*Pas* fini", status=Status.DRAFT)
    scheduled = Post.objects.create(
        title="Plus tard",
        language="fr",
        body="Bientôt **gras** & `]]>`",
        status=Status.SCHEDULED,
        sticky=True,
        password="clé",
        comments_open=False,
        published_at=timezone.now().replace(microsecond=654321) + timedelta(days=30),
        cover_image_url="https://images.example/cover.jpg",
        cover_alt="Une vue",
        cover_credit="Photo : Lou",
        cover_licence="CC BY 4.0",
        cover_licence_url="https://creativecommons.org/licenses/by/4.0/",
    )
    Post.objects.create(
        title="Republished",
        language="en",
        body="From the *magazine*.",
        status=Status.PUBLISHED,
        source_name="The Magazine",
        source_url="https://magazine.example/a",
        canonical_to_source=True,
        in_reply_to_url="https://elsewhere.example/post",
        cover_image="covers/2026/own.jpg",
        cover_alt="Own",
    )
    parent = Page.objects.first()
    child = Page.objects.create(
        title="Sous-page",
        language="fr",
        body="Enfant",
        parent=parent,
        status=Status.PUBLISHED,
        slug="sous-page",
        menu_order=3,
        show_in_menu=False,
    )
    Redirect.objects.create(old_path="/?p=4", post=post)
    Redirect.objects.create(old_path="/?page_id=9", page=child)
    Redirect.objects.create(old_path="/category/old/", new_path="/tag/old/")
    reader = Subscriber.objects.create(email="sam@example.org", confirmed_at=moment)
    Subscription.objects.create(
        subscriber=reader, post=post, scope=Scope.ALL, language="fr", active=True, created_at=moment
    )
    Subscription.objects.create(
        subscriber=reader,
        post=post,
        scope=Scope.REPLIES,
        response=reply,
        language="en",
        created_at=moment,
    )
    Subscriber.objects.create(email="new@example.org")
    Post.objects.filter(pk=scheduled.pk).update(updated_at=timezone.now().replace(microsecond=42))
    return post


def export(run_command, path):
    run_command("export-json", "-o", path)
    return json.loads(path.read_text())


def normalised(document):
    """The document with the database's ids replaced by what they name (ids differ between
    two databases) and without the export time."""
    doc = json.loads(json.dumps(document))
    doc.pop("exported_at")
    posts = {p["id"]: ("post", p["translation_key"], p["language"]) for p in doc["posts"]}
    pages = {p["id"]: ("page", p["translation_key"], p["language"]) for p in doc["pages"]}
    responses = {}
    for post in doc["posts"]:
        for r in post["responses"]:
            responses[r["id"]] = (r["created_at"], r["author"]["name"], r["kind"])
    for item in doc["tags"] + doc["series"]:
        item.pop("id")
    for post in doc["posts"]:
        post.pop("id")
        for r in post["responses"]:
            r["id"] = responses[r["id"]]
            r["parent"] = responses.get(r["parent"])
    for page in doc["pages"]:
        page["id"] = pages[page.pop("id")]
        page["parent"] = pages.get(page["parent"])
    for redirect in doc["redirects"]:
        redirect["post"] = posts.get(redirect["post"])
        redirect["page"] = pages.get(redirect["page"])
    for subscriber in doc["subscribers"]:
        subscriber.pop("id")
        for s in subscriber["subscriptions"]:
            s["post"] = posts[s["post"]]
            s["response"] = responses.get(s["response"])
    doc["posts"].sort(key=lambda p: (p["translation_key"], p["language"]))
    doc["pages"].sort(key=lambda p: (p["translation_key"], p["language"]))
    return doc


def rows():
    """Every field of every content row, foreign keys named by what they point to."""

    def named(obj):
        if obj is None:
            return None
        if isinstance(obj, Post | Page):
            return (obj.translation_key, obj.language)
        if isinstance(obj, Response):
            return (obj.created_at, obj.author_name, obj.kind)
        return str(obj)

    out = {}
    for model in CONTENT:
        table = []
        for obj in model.objects.all():
            values = {}
            for f in obj._meta.concrete_fields:
                if f.primary_key:
                    continue
                if f.is_relation:
                    values[f.name] = named(getattr(obj, f.name))
                else:
                    values[f.name] = str(getattr(obj, f.attname))
            if model is Post:
                values["tags"] = sorted(t.slug for t in obj.tags.all())
            table.append(values)
        out[model.__name__] = sorted(table, key=repr)
    return out


def empty_the_database():
    for model in CONTENT:
        model.objects.all().delete()


def test_round_trip_keeps_every_field(site, run_command, tmp_path):
    """Export, empty the database, import, export again: the same document (but the export
    time and the database's ids) and the same rows, to the microsecond."""
    first = export(run_command, tmp_path / "first.json")
    assert first["version"] == 2
    before = rows()
    empty_the_database()
    printed = run_command("import-json", tmp_path / "first.json")
    assert "Imported" in printed
    second = export(run_command, tmp_path / "second.json")
    assert normalised(second) == normalised(first)
    assert rows() == before
    scheduled = Post.objects.get(title="Plus tard")
    assert scheduled.published_at.microsecond == 654321
    assert scheduled.updated_at.microsecond == 42
    assert Post.objects.get(title="Brouillon").body == "*Pas* fini"


def test_reimporting_the_same_file_changes_nothing(site, run_command, tmp_path):
    """A re-import matches every row by its stable key: nothing is duplicated, nothing is
    rewritten, and the report says so."""
    export(run_command, tmp_path / "site.json")
    before = rows()
    printed = run_command("import-json", tmp_path / "site.json")
    assert rows() == before
    lines = {
        line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:5]]
        for line in printed.splitlines()
        if line.count("│") >= 5
    }
    assert lines["posts"] == ["0", "0", str(Post.objects.count())]
    assert lines["responses"] == ["0", "0", str(Response.objects.count())]


def test_a_reimport_updates_what_changed(site, run_command, tmp_path):
    """The file wins: a post edited since the export gets its exported text back, and a
    response deleted since comes back once."""
    export(run_command, tmp_path / "site.json")
    Post.objects.filter(pk=site.pk).update(title="Changed")
    Response.objects.filter(author_name="Noor").delete()
    counts = (Post.objects.count(), Response.objects.count())
    printed = run_command("import-json", tmp_path / "site.json")
    site.refresh_from_db()
    assert site.title != "Changed"
    assert (Post.objects.count(), Response.objects.count()) == (counts[0], counts[1] + 1)
    assert "Noor" in Response.objects.values_list("author_name", flat=True)
    assert "posts" in printed


def test_dry_run_writes_nothing(site, run_command, tmp_path):
    """--dry-run reads and reports exactly, then rolls everything back."""
    export(run_command, tmp_path / "site.json")
    empty_the_database()
    printed = run_command("import-json", tmp_path / "site.json", "--dry-run")
    assert "Dry run" in printed and "nothing was written" in printed
    assert not Post.objects.exists() and not Response.objects.exists()
    lines = {
        line.split("│")[1].strip(): line.split("│")[2].strip()
        for line in printed.splitlines()
        if line.count("│") >= 5
    }
    assert int(lines["posts"]) > 0 and int(lines["responses"]) == 8


def test_a_version_1_export_is_still_read(site, run_command, tmp_path):
    """Files written before version 2 (no creation dates, cover files, redirect ids or
    subscribers) import all they hold."""
    document = export(run_command, tmp_path / "site.json")
    document["version"] = 1
    document.pop("subscribers")
    for post in document["posts"]:
        post.pop("created_at")
        for r in post["responses"]:
            r.pop("updated_at")
        if post["cover"]:
            post["cover"].pop("file")
            post["cover"].pop("image_url")
    for redirect in document["redirects"]:
        for key in ("post", "page", "new_path"):
            redirect.pop(key)
    (tmp_path / "v1.json").write_text(json.dumps(document))
    empty_the_database()
    run_command("import-json", tmp_path / "v1.json")
    assert Post.objects.count() == len(document["posts"])
    assert Redirect.objects.get(old_path="/?p=4").target() == site.get_absolute_url()
    assert Response.objects.filter(parent__isnull=False).count() == 2


def test_two_alike_responses_stay_two(site, run_command, tmp_path):
    """Two responses of one author at the same moment (a double post) are two rows after
    any number of re-imports."""
    twin = Response.objects.filter(author_name="Noor").get()
    Response.objects.create(
        post=twin.post, author_name="Noor", content="Waiting (again)", created_at=twin.created_at
    )
    export(run_command, tmp_path / "site.json")
    before = rows()
    run_command("import-json", tmp_path / "site.json")
    run_command("import-json", tmp_path / "site.json")
    assert rows() == before
    empty_the_database()
    run_command("import-json", tmp_path / "site.json")
    assert sorted(
        Response.objects.filter(author_name="Noor").values_list("content", flat=True)
    ) == ["Waiting", "Waiting (again)"]


def test_a_tag_already_here_under_another_slug_is_reused(site, run_command, tmp_path):
    """Tag names are unique: a tag of the same name keeps its slug here and gets the posts."""
    document = export(run_command, tmp_path / "site.json")
    empty_the_database()
    name = document["tags"][0]["name"]
    Tag.objects.create(name=name, slug="local-slug")
    printed = run_command("import-json", tmp_path / "site.json")
    tag = Tag.objects.get(name=name)
    assert tag.slug == "local-slug" and tag.posts.exists()
    assert "local-slug" in printed


def test_an_existing_redirect_is_kept_and_the_clash_reported(site, run_command, tmp_path):
    """An old address that already leads elsewhere here keeps leading there; the report names
    the address."""
    export(run_command, tmp_path / "site.json")
    other = Post.objects.exclude(pk=site.pk).filter(status=Status.PUBLISHED).first()
    Redirect.objects.filter(old_path="/?p=4").update(post=other)
    printed = run_command("import-json", tmp_path / "site.json")
    assert Redirect.objects.get(old_path="/?p=4").post == other
    assert "/?p=4 already leads to " + other.get_absolute_url() in printed.replace("\n", " ")


def test_imported_responses_show_at_once_on_kept_pages(
    site, client, run_command, tmp_path, settings, django_capture_on_commit_callbacks
):
    """Responses written in bulk still retire the kept copy of the page that shows them."""
    from django.test import Client

    from salon.pagecache.middleware import HEADER

    settings.SALON_PAGE_CACHE_SECONDS = 600
    export(run_command, tmp_path / "site.json")
    Response.objects.filter(author_name="Ana").delete()
    url = site.get_absolute_url()
    client.get(url)
    kept = Client().get(url)
    assert kept[HEADER] == "hit" and "from elsewhere" not in kept.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        run_command("import-json", tmp_path / "site.json")
    assert "from elsewhere" in Client().get(url).content.decode()


def test_a_language_detected_since_the_export_is_not_a_change(site, run_command, tmp_path):
    """A response exported before its language was detected matches its row, detected since."""
    document = export(run_command, tmp_path / "site.json")
    for post in document["posts"]:
        for response in post["responses"]:
            response["language"] = None
    (tmp_path / "undetected.json").write_text(json.dumps(document))
    before = rows()
    run_command("import-json", tmp_path / "undetected.json")
    assert rows() == before
