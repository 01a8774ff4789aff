"""Backups of a running site and their restoration (``salon backup``, ``salon restore``).

A backup is a folder, private to the account that runs Salon (0700, its files 0600):

- ``manifest.json``: what it is (format, date, database engine, counts of posts, pages and
  responses, the migrations applied, the database file's size and SHA-256, each media file's
  path, size and SHA-256), written last and read by ``restore`` before it touches anything;
- ``database.sqlite3`` (SQLite, copied with SQLite's online backup API, a consistent snapshot
  taken while the site keeps serving and writing) or ``database.dump`` (PostgreSQL, ``pg_dump``
  in its custom format, itself one consistent snapshot);
- ``media/``: the uploaded files, copied after the database.

``restore`` checks everything first (``backup_checks.py``), then puts the database back in
place (SQLite's backup API in the other direction, from the checked copy, or
``pg_restore --clean --single-transaction``) and copies the media back.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from salon.core.private import make_tree_private, open_private, private_dir, private_file
from salon.pagecache import purge as purge_pages
from salon.portability.backup_checks import (
    COUNTED,
    FORMAT,
    MANIFEST,
    POSTGRES_FILE,
    SQLITE_FILE,
    VERSION,
    BackupError,
    engine,
    file_digest,
    media_files,
    pg_tool,
    read_manifest,
    verified_sqlite_copy,
    verify_media,
    verify_postgres_dump,
)

__all__ = ["BackupError", "backup", "read_manifest", "restore"]


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
    result = subprocess.run(
        [pg_tool(command[0]), *command[1:]], env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s failed: %(error)s")
            % {"program": command[0], "error": result.stderr.strip()[-500:]}
        )


def _counts(count):
    """Posts, pages and responses, counted by ``count(table)``."""
    return {key: count(model._meta.db_table) for key, model in COUNTED.items()}


def _count_live(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        return cursor.fetchone()[0]


# How long a backup or restore waits for a lock held by another connection before giving up
# with a clear error (sqlite3's backup() would otherwise retry forever).
SQLITE_LOCK_WAIT_SECONDS = 60


def _sqlite_copy(source, target):
    """Copy a whole SQLite database with the online backup API, in one step (one consistent
    snapshot even while the site writes), retrying while another connection holds a lock.
    The step runs in one write transaction of the target: if it fails, or the process dies,
    the target is left as it was."""
    deadline = time.monotonic() + SQLITE_LOCK_WAIT_SECONDS

    def progress(status, remaining, total):
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise BackupError(
                _(
                    "The database stayed locked by another connection for %(seconds)s s; "
                    "nothing was copied. Try again when the site is less busy."
                )
                % {"seconds": SQLITE_LOCK_WAIT_SECONDS}
            )

    source.backup(target, pages=-1, progress=progress, sleep=0.05)


def _backup_sqlite(path):
    """Snapshot the live database into ``path`` (0600); returns its counts and migrations,
    read from the snapshot itself so that the manifest describes exactly what was saved."""
    connection.ensure_connection()
    target = sqlite3.connect(private_file(path))
    try:
        with target:
            _sqlite_copy(connection.connection, target)
        # A self-contained file: no -wal or -shm appears beside it when it is opened.
        target.execute("PRAGMA journal_mode=DELETE")
        counts = _counts(
            lambda table: target.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
        )
        migrations = sorted(
            f"{app}.{name}"
            for app, name in target.execute("SELECT app, name FROM django_migrations")
        )
    finally:
        target.close()
    return counts, migrations


def backup(directory):
    """Snapshot the database and copy the media into ``directory`` (new or empty), all of it
    private to the account that runs Salon: the folder 0700, the files 0600."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(_("%(dir)s is not empty; choose a new folder.") % {"dir": directory})
    vendor = engine()
    private_dir(directory)
    database_file = directory / (SQLITE_FILE if vendor == "sqlite" else POSTGRES_FILE)
    if vendor == "sqlite":
        counts, migrations = _backup_sqlite(database_file)
    else:
        counts = _counts(_count_live)
        migrations = sorted(
            f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
        )
        env, args, name = _pg_environment()
        _run(
            [
                "pg_dump",
                *args,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(private_file(database_file)),
                name,
            ],
            env,
        )
    size, sha256 = file_digest(database_file)
    media_root = Path(settings.MEDIA_ROOT)
    media = []
    if media_root.is_dir():
        shutil.copytree(media_root, directory / "media", dirs_exist_ok=True)
        make_tree_private(directory / "media")
        for relative, path in media_files(directory / "media").items():
            file_size, file_sha256 = file_digest(path)
            media.append({"path": relative, "size": file_size, "sha256": file_sha256})
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now().isoformat(),
        "database": vendor,
        "database_file": database_file.name,
        "database_size": size,
        "database_sha256": sha256,
        "counts": counts,
        "media_files": len(media),
        "media": media,
        "migrations": migrations,
    }
    # Written last: a backup interrupted before this line has no manifest and is refused.
    with open_private(directory / MANIFEST, "w", encoding="utf-8") as out:
        json.dump(manifest, out, indent=2)
        out.write("\n")
    return manifest


def restore(directory, confirm=None):
    """Replace the database and the media with the backup's; returns the manifest.

    Everything is checked first (``backup_checks``); ``confirm(manifest)`` is asked only then,
    and nothing is touched unless it returns true. SQLite restores the private copy it checked
    into the live database in one write transaction; PostgreSQL restores the dump it checked
    with ``pg_restore --single-transaction``: a failure on the way leaves the live database
    as it was.
    """
    directory = Path(directory)
    manifest = read_manifest(directory)
    vendor = engine()
    with tempfile.TemporaryDirectory(dir=settings.DATA_DIR, prefix=".restore-") as workdir:
        if vendor == "sqlite":
            checked = verified_sqlite_copy(directory, manifest, workdir)
        else:
            verify_postgres_dump(directory, manifest)
        verify_media(directory, manifest)
        if confirm is not None and not confirm(manifest):
            raise BackupError(_("Restore cancelled; nothing was changed."))
        if vendor == "sqlite":
            _restore_sqlite(checked)
        else:
            connection.close()
            env, args, name = _pg_environment()
            _run(
                [
                    "pg_restore",
                    *args,
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--dbname",
                    name,
                    str(directory / manifest["database_file"]),
                ],
                env,
            )
    media = directory / "media"
    if media.is_dir():
        # The contents only: restored media get the modes uploads get, not the backup's 0600.
        shutil.copytree(
            media, Path(settings.MEDIA_ROOT), dirs_exist_ok=True, copy_function=shutil.copyfile
        )
    purge_pages()  # the kept pages show the database that was replaced
    return manifest


def _restore_sqlite(checked):
    connection.ensure_connection()
    source = sqlite3.connect(checked)
    try:
        _sqlite_copy(source, connection.connection)
    except sqlite3.Error as error:
        raise BackupError(
            _(
                "Copying the backup into the live database failed (%(error)s); "
                "the live database is as it was."
            )
            % {"error": error}
        ) from None
    finally:
        source.close()
