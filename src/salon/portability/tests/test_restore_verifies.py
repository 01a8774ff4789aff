"""`salon restore` verifies a backup before it touches anything: the manifest, the database
file's size and SHA-256, the database's own integrity check (SQLite) or a whole read of the
dump (PostgreSQL), Salon's tables and the media. A backup that fails any check is refused with
one line naming the file and what is wrong, and the live database and media stay exactly as
they were. Runs on SQLite and PostgreSQL."""

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys

import pytest
from django.core.management import CommandError
from django.db import connection

from salon.blog.demo import load_demo
from salon.blog.models import Page, Post
from salon.conversations.models import Response, State
from salon.portability import backup as backup_module

pytestmark = pytest.mark.django_db(transaction=True)

SQLITE = "sqlite"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "covers").mkdir(parents=True)
    (settings.MEDIA_ROOT / "covers" / "photo.jpg").write_bytes(b"\xff\xd8 a photo")
    return settings.MEDIA_ROOT


@pytest.fixture
def saved(run_command, tmp_path, media):
    """A backup of the demo blog, then a live site that has moved on since (one more post), so
    that a restore that happened would show."""
    if connection.vendor != SQLITE and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump and pg_restore are not installed")
    load_demo()
    for post in Post.objects.all()[:2]:
        Response.objects.create(
            post=post,
            author_name="Sam",
            author_email="sam@example.org",
            content=f"On {post.slug}",
            state=State.APPROVED,
        )
    folder = tmp_path / "backup"
    run_command("backup", "-o", folder)
    first = Post.objects.first()
    Post.objects.create(
        title="Written after the backup",
        slug="after-the-backup",
        language=first.language,
        body="Still here.",
    )
    return folder


def database_file(folder):
    return folder / json.loads((folder / "manifest.json").read_text())["database_file"]


def live_state(media):
    """Every row that matters and, on SQLite, the live database's own integrity check."""
    integrity = None
    if connection.vendor == SQLITE:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            integrity = [row[0] for row in cursor.fetchall()]
    return {
        "integrity": integrity,
        "posts": sorted(Post.objects.values_list("id", "slug", "title", "body")),
        "pages": sorted(Page.objects.values_list("id", "slug", "body")),
        "responses": sorted(Response.objects.values_list("id", "post_id", "content")),
        "media": {
            p.relative_to(media).as_posix(): p.read_bytes()
            for p in sorted(media.rglob("*"))
            if p.is_file()
        },
    }


def edit_manifest(folder, **changes):
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text())
    for key, value in changes.items():
        if value is None:
            manifest.pop(key, None)
        else:
            manifest[key] = value
    path.write_text(json.dumps(manifest))


def damage(path, pages=40, page_size=4096):
    """Overwrite ``pages`` pages past the first with random bytes: same size, other content."""
    data = bytearray(path.read_bytes())
    rng = random.Random(17)
    count = len(data) // page_size
    assert count > 2, "the file is too small to damage page by page"
    for page in rng.sample(range(1, count), min(pages, count - 1)):
        data[page * page_size : (page + 1) * page_size] = rng.randbytes(page_size)
    path.write_bytes(bytes(data))


def damage_dump(path):
    """Random bytes over the middle third of a pg_dump file (its data blocks), same size."""
    data = bytearray(path.read_bytes())
    start, end = len(data) // 3, 2 * len(data) // 3
    data[start:end] = random.Random(17).randbytes(end - start)
    path.write_bytes(bytes(data))


def refused(run_command, folder, match, media):
    """Restore is refused with ``match`` in one line, and nothing live changed."""
    before = live_state(media)
    with pytest.raises(CommandError, match=match) as raised:
        run_command("restore", folder, "--noinput")
    message = str(raised.value)
    assert "\n" not in message and "Traceback" not in message
    assert live_state(media) == before
    if before["integrity"] is not None:
        assert before["integrity"] == ["ok"]
    assert Post.objects.filter(slug="after-the-backup").exists()
    return message


def test_a_damaged_database_file_is_refused_by_its_checksum(run_command, saved, media):
    """40 pages of random bytes, same size, manifest intact: the checksum says so."""
    target = database_file(saved)
    if connection.vendor == SQLITE:
        damage(target)
    else:
        damage_dump(target)
    message = refused(run_command, saved, "does not match the checksum", media)
    assert str(target) in message


def test_a_damaged_database_whose_checksum_was_updated_is_refused_by_its_own_check(
    run_command, saved, media
):
    """Even with a manifest that matches the damaged file, the database's own check (SQLite's
    integrity_check, pg_restore reading every block) refuses it."""
    target = database_file(saved)
    if connection.vendor == SQLITE:
        damage(target)
        match = "is damaged"
    else:
        damage_dump(target)
        match = "is damaged .pg_restore says"
    size, sha256 = backup_module.file_digest(target)
    edit_manifest(saved, database_size=size, database_sha256=sha256)
    assert str(target) in refused(run_command, saved, match, media)


def test_a_truncated_database_file_is_refused_without_a_traceback(run_command, saved, media):
    target = database_file(saved)
    target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
    assert "is truncated or damaged" in refused(run_command, saved, str(target), media)


def test_a_truncated_backup_from_before_checksums_is_refused_by_its_own_check(
    run_command, saved, media
):
    """A backup made before checksums (no size, no SHA-256 in its manifest) is still read
    whole before anything is replaced."""
    target = database_file(saved)
    target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
    edit_manifest(saved, database_size=None, database_sha256=None, media=None)
    refused(run_command, saved, "is damaged", media)


def test_a_backup_from_before_checksums_is_restored_after_its_integrity_check(
    run_command, saved, media
):
    """Decision: a manifest without checksums (backups made before they were written) is
    accepted; the database's own check stands in for them, and the command says so."""
    edit_manifest(saved, database_size=None, database_sha256=None, media=None)
    output = run_command("restore", saved, "--noinput")
    assert "made before backups carried checksums" in output
    assert not Post.objects.filter(slug="after-the-backup").exists()


@pytest.mark.parametrize(
    "field",
    ["created_at", "counts", "database", "database_file", "database_size", "database_sha256"],
)
def test_a_manifest_missing_a_field_is_refused(run_command, saved, media, field):
    edit_manifest(saved, **{field: None})
    message = refused(run_command, saved, "manifest.json|is not a Salon backup", media)
    assert field in message


def test_a_manifest_with_a_wrong_value_is_refused(run_command, saved, media):
    edit_manifest(saved, database_size="big")
    assert "database_size" in refused(run_command, saved, "is missing or not valid", media)
    edit_manifest(saved, database_size=1, counts={"posts": 1})
    assert "counts" in refused(run_command, saved, "is missing or not valid", media)
    edit_manifest(saved, database_file="../elsewhere.sqlite3")
    refused(run_command, saved, "database_file", media)


def test_a_database_that_is_not_salons_is_refused(run_command, saved, media):
    """A sound database of something else, with a manifest made to match it."""
    target = database_file(saved)
    if connection.vendor == SQLITE:
        target.unlink()
        other = sqlite3.connect(target)
        other.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        other.commit()
        other.close()
    else:
        pytest.skip("a foreign PostgreSQL dump needs a second database to dump")
    size, sha256 = backup_module.file_digest(target)
    edit_manifest(saved, database_size=size, database_sha256=sha256)
    refused(run_command, saved, "is not a Salon database", media)


def test_a_backup_from_a_newer_salon_is_refused(run_command, saved, media):
    """A database with a migration this version of Salon does not know would lose what that
    migration added: refused, naming the migration (SQLite, where the check reads the copy)."""
    if connection.vendor != SQLITE:
        pytest.skip("the migrations of a dump are read after pg_restore only")
    target = database_file(saved)
    database = sqlite3.connect(target)
    database.execute(
        "INSERT INTO django_migrations (app, name, applied) "
        "VALUES ('blog', '9999_from_the_future', '2027-01-01')"
    )
    database.commit()
    database.close()
    manifest = json.loads((saved / "manifest.json").read_text())
    size, sha256 = backup_module.file_digest(target)
    edit_manifest(
        saved,
        database_size=size,
        database_sha256=sha256,
        migrations=[*manifest["migrations"], "blog.9999_from_the_future"],
    )
    refused(
        run_command, saved, "newer version of Salon .migration blog.9999_from_the_future", media
    )
    edit_manifest(saved, migrations=manifest["migrations"])
    refused(run_command, saved, "does not hold the migrations its manifest lists", media)


def test_a_damaged_or_unlisted_media_file_is_refused(run_command, saved, media):
    photo = saved / "media" / "covers" / "photo.jpg"
    photo.write_bytes(b"\xff\xd8 another photo")
    assert str(photo) in refused(run_command, saved, "truncated or damaged", media)
    photo.write_bytes(b"\xff\xd8 a photo")
    (saved / "media" / "covers" / "stray.jpg").write_bytes(b"stray")
    refused(run_command, saved, "stray.jpg is not in the manifest", media)


def test_a_restore_that_fails_while_copying_leaves_the_live_database_as_it_was(
    run_command, saved, media, monkeypatch
):
    """The backup is sound but the copy cannot finish: on SQLite another connection holds the
    live database's write lock; on PostgreSQL a view someone added depends on a table
    pg_restore must drop. The restore fails with a message and the live database is exactly as
    it was (SQLite copies in one write transaction, pg_restore runs in one transaction)."""
    before = live_state(media)
    if connection.vendor == SQLITE:
        monkeypatch.setattr(backup_module, "SQLITE_LOCK_WAIT_SECONDS", 0.5)
        holder = sqlite3.connect(
            connection.settings_dict["NAME"],
            uri=True,
            isolation_level=None,
            check_same_thread=False,
        )
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("UPDATE blog_post SET title = title")
        try:
            with pytest.raises(CommandError, match="locked"):
                run_command("restore", saved, "--noinput")
        finally:
            holder.rollback()
            holder.close()
    else:
        with connection.cursor() as cursor:
            cursor.execute("CREATE VIEW someones_view AS SELECT id FROM blog_post")
        try:
            with pytest.raises(CommandError, match="pg_restore failed.*depend"):
                run_command("restore", saved, "--noinput")
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DROP VIEW someones_view")
    assert live_state(media) == before
    assert Post.objects.filter(slug="after-the-backup").exists()


def test_the_restore_asks_only_once_the_backup_was_checked(run_command, saved, media, monkeypatch):
    """A damaged backup is refused before the question is asked."""
    (damage if connection.vendor == SQLITE else damage_dump)(database_file(saved))
    asked = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "yes")
    with pytest.raises(CommandError, match="checksum"):
        run_command("restore", saved)
    assert asked == []
    assert os.path.exists(saved / "manifest.json")


def salon(data_dir, *args):
    """The real ``salon`` command, in its own process, on a SQLite database in ``data_dir``."""
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    # A site with mail configured: the unconfigured-mail warning (salon.W001) is not the
    # subject here, and would add its lines to standard error.
    environment.update(
        SALON_DATA_DIR=str(data_dir),
        SALON_CACHE_URL="locmem://",
        SALON_EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
    )
    return subprocess.run(
        [sys.executable, "-m", "salon", *map(str, args)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.django_db(transaction=False)
def test_the_real_command_refuses_a_damaged_backup_in_one_line(tmp_path):
    """The issue's case, end to end on a database file: `salon restore` of a backup with 40
    damaged pages, or of a truncated one, exits non-zero with one line on standard error and
    no traceback, and the live database still passes its integrity check with its posts."""
    data = tmp_path / "site"
    assert salon(data, "migrate", "-v0").returncode == 0
    assert salon(data, "load-demo").returncode == 0
    assert salon(data, "backup", "-o", tmp_path / "backup").returncode == 0
    live = data / "salon.sqlite3"

    def live_posts():
        database = sqlite3.connect(live)
        try:
            check = database.execute("PRAGMA integrity_check").fetchall()
            return check, database.execute("SELECT id, title FROM blog_post").fetchall()
        finally:
            database.close()

    before = live_posts()
    assert before[0] == [("ok",)] and before[1]
    pristine = (tmp_path / "backup" / "database.sqlite3").read_bytes()
    for spoil in (damage, lambda path: path.write_bytes(pristine[: len(pristine) // 2])):
        (tmp_path / "backup" / "database.sqlite3").write_bytes(pristine)
        spoil(tmp_path / "backup" / "database.sqlite3")
        result = salon(data, "restore", tmp_path / "backup", "--noinput")
        assert result.returncode != 0
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "database.sqlite3" in result.stderr and "nothing was restored" in result.stderr
        assert live_posts() == before
