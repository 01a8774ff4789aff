"""Backups of a running site and their restoration (``salon backup``, ``salon restore``).

A backup is a folder:

- ``manifest.json``: what it is (format, date, database engine, counts of posts, pages and
  responses, the migrations applied), read by ``restore`` before it touches anything;
- ``database.sqlite3`` (SQLite, copied with SQLite's online backup API, a consistent snapshot
  taken while the site keeps serving and writing) or ``database.dump`` (PostgreSQL, ``pg_dump``
  in its custom format, itself one consistent snapshot);
- ``media/``: the uploaded files, copied after the database.

``restore`` puts the database back in place (SQLite's backup API in the other direction, or
``pg_restore --clean --single-transaction``) and copies the media back.
"""

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from salon.blog.models import Page, Post
from salon.conversations.models import Response
from salon.pagecache import purge as purge_pages

FORMAT = "salon-backup"
VERSION = 1
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"


class BackupError(Exception):
    pass


def engine():
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(_("Backups support SQLite and PostgreSQL, not %(vendor)s.")
                          % {"vendor": vendor})
    return vendor


def _pg_environment():
    db = connection.settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, args, db["NAME"]


def _run(command, env):
    executable = shutil.which(command[0])
    if executable is None:
        raise BackupError(_("%(program)s is not installed; it is needed for PostgreSQL "
                            "backups (Debian: apt install postgresql-client).")
                          % {"program": command[0]})
    result = subprocess.run([executable, *command[1:]], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(_("%(program)s failed: %(error)s")
                          % {"program": command[0], "error": result.stderr.strip()[-500:]})


def _counts():
    return {"posts": Post.objects.count(), "pages": Page.objects.count(),
            "responses": Response.objects.count()}


# How long a backup or restore waits for a lock held by another connection before giving up
# with a clear error (sqlite3's backup() would otherwise retry forever).
SQLITE_LOCK_WAIT_SECONDS = 60


def _sqlite_copy(source, target):
    """Copy a whole SQLite database with the online backup API, in one step (one consistent
    snapshot even while the site writes), retrying while another connection holds a lock."""
    import time

    deadline = time.monotonic() + SQLITE_LOCK_WAIT_SECONDS

    def progress(status, remaining, total):
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise BackupError(
                _("The database stayed locked by another connection for %(seconds)s s; "
                  "nothing was copied. Try again when the site is less busy.")
                % {"seconds": SQLITE_LOCK_WAIT_SECONDS}
            )

    source.backup(target, pages=-1, progress=progress, sleep=0.05)


def backup(directory):
    """Snapshot the database and copy the media into ``directory`` (new or empty)."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(_("%(dir)s is not empty; choose a new folder.") % {"dir": directory})
    vendor = engine()
    directory.mkdir(parents=True, exist_ok=True)
    counts = _counts()
    migrations = sorted(MigrationRecorder(connection).applied_migrations())
    if vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(directory / SQLITE_FILE)
        try:
            with target:
                _sqlite_copy(connection.connection, target)
        finally:
            target.close()
    else:
        env, args, name = _pg_environment()
        _run(["pg_dump", *args, "--format=custom", "--no-owner", "--no-privileges",
              "--file", str(directory / POSTGRES_FILE), name], env)
    media_root = Path(settings.MEDIA_ROOT)
    media_files = 0
    if media_root.is_dir():
        shutil.copytree(media_root, directory / "media", dirs_exist_ok=True)
        media_files = sum(1 for p in (directory / "media").rglob("*") if p.is_file())
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now().isoformat(),
        "database": vendor,
        "database_file": SQLITE_FILE if vendor == "sqlite" else POSTGRES_FILE,
        "counts": counts,
        "media_files": media_files,
        "migrations": [f"{app}.{name}" for app, name in migrations],
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def read_manifest(directory):
    directory = Path(directory)
    path = directory / "manifest.json"
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError):
        raise BackupError(_("%(dir)s is not a Salon backup (no readable manifest.json).")
                          % {"dir": directory}) from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(_("%(dir)s is not a backup this version of Salon can restore.")
                          % {"dir": directory})
    if not (directory / manifest.get("database_file", "")).is_file():
        raise BackupError(_("%(dir)s has no database file; the backup is incomplete.")
                          % {"dir": directory})
    return manifest


def restore(directory):
    """Replace the database and the media with the backup's; returns the manifest."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    vendor = engine()
    if manifest["database"] != vendor:
        raise BackupError(
            _("This backup comes from %(backup)s but the site runs on %(site)s; restore it on "
              "%(backup)s, or move the content with export-wxr and import-wxr.")
            % {"backup": manifest["database"], "site": vendor}
        )
    database_file = directory / manifest["database_file"]
    if vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(database_file)
        try:
            _sqlite_copy(source, connection.connection)
        finally:
            source.close()
    else:
        connection.close()
        env, args, name = _pg_environment()
        _run(["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--dbname", name, str(database_file)], env)
    media = directory / "media"
    if media.is_dir():
        shutil.copytree(media, Path(settings.MEDIA_ROOT), dirs_exist_ok=True)
    purge_pages()  # the kept pages show the database that was replaced
    return manifest
