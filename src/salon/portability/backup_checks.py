"""What ``salon restore`` checks before it touches anything (see ``backup.py``).

Each check refuses with a ``BackupError`` that names the file and what is wrong, in one line:

1. the manifest: every field present and of the right type, the same database engine as the site;
2. the database file: its size and SHA-256 against the manifest (backups made before checksums
   were written have neither and go on to the next checks only);
3. the database itself: SQLite's ``PRAGMA integrity_check`` on a private copy (never on the
   backup, which opening would change, nor on the live database), then Salon's tables, the
   migrations and the counts the manifest names; PostgreSQL's dump is read whole by
   ``pg_restore`` (its table of contents with ``--list``, then every data block into
   ``/dev/null``), and must hold Salon's tables;
4. the media: every file the manifest lists, with its size and SHA-256, and nothing else.
"""

import hashlib
import json
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from salon.blog.models import Page, Post
from salon.conversations.models import Response

FORMAT = "salon-backup"
VERSION = 1
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
MANIFEST = "manifest.json"
ENGINES = {"sqlite": SQLITE_FILE, "postgresql": POSTGRES_FILE}
COUNTED = {"posts": Post, "pages": Page, "responses": Response}


class BackupError(Exception):
    pass


def engine():
    vendor = connection.vendor
    if vendor not in ENGINES:
        raise BackupError(
            _("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": vendor}
        )
    return vendor


def file_digest(path):
    """Size and SHA-256 (hex) of a file."""
    with open(path, "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    return Path(path).stat().st_size, digest


def _is_size(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_sha256(value):
    return isinstance(value, str) and re.fullmatch(r"[0-9a-f]{64}", value) is not None


def _is_media_list(value):
    return isinstance(value, list) and all(
        isinstance(entry, dict)
        and isinstance(entry.get("path"), str)
        and entry["path"]
        and _is_size(entry.get("size"))
        and _is_sha256(entry.get("sha256"))
        for entry in value
    )


# Field → is its value valid; the required ones first, then those only newer backups have.
REQUIRED = {
    "created_at": lambda v: isinstance(v, str) and v != "",
    "counts": lambda v: isinstance(v, dict) and all(_is_size(v.get(key)) for key in COUNTED),
}
OPTIONAL = {
    "migrations": lambda v: isinstance(v, list) and all(isinstance(m, str) for m in v),
    "media_files": _is_size,
    "database_size": _is_size,
    "database_sha256": _is_sha256,
    "media": _is_media_list,
}


def read_manifest(directory):
    """The manifest of the backup in ``directory``, checked field by field."""
    directory = Path(directory)
    path = directory / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(
            _("%(dir)s is not a Salon backup (no readable manifest.json).") % {"dir": directory}
        ) from None
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or manifest.get("version") != VERSION
    ):
        raise BackupError(
            _("%(dir)s is not a backup this version of Salon can restore.") % {"dir": directory}
        )
    database, name = manifest.get("database"), manifest.get("database_file")
    if (
        database not in ENGINES
        or not isinstance(name, str)
        or Path(name).name != name
        or name in ("", ".", "..")
    ):
        raise BackupError(
            _(
                "%(file)s: “database” or “database_file” is missing or not valid; "
                "nothing was restored."
            )
            % {"file": path}
        )
    if not (directory / name).is_file():
        raise BackupError(
            _("%(dir)s has no database file; the backup is incomplete.") % {"dir": directory}
        )
    vendor = engine()
    if database != vendor:
        raise BackupError(
            _(
                "This backup comes from %(backup)s but the site runs on %(site)s; restore it on "
                "%(backup)s, or move the content with export-wxr and import-wxr."
            )
            % {"backup": database, "site": vendor}
        )
    for field, valid in REQUIRED.items():
        if field not in manifest or not valid(manifest[field]):
            raise _bad_field(path, field)
    for field, valid in OPTIONAL.items():
        if field in manifest and not valid(manifest[field]):
            raise _bad_field(path, field)
    if ("database_size" in manifest) != ("database_sha256" in manifest):
        missing = "database_sha256" if "database_size" in manifest else "database_size"
        raise _bad_field(path, missing)
    return manifest


def _bad_field(path, field):
    return BackupError(
        _("%(file)s: “%(field)s” is missing or not valid; nothing was restored.")
        % {"file": path, "field": field}
    )


def has_checksums(manifest):
    return "database_sha256" in manifest


def check_file(path, size, sha256, shown=None):
    """Refuse a file whose size or SHA-256 differs from what the manifest says."""
    shown = shown or path
    actual_size, actual_sha256 = file_digest(path)
    if actual_size != size:
        raise BackupError(
            _(
                "%(file)s has %(actual)s bytes but the manifest says %(size)s: the "
                "file is truncated or damaged; nothing was restored."
            )
            % {"file": shown, "actual": actual_size, "size": size}
        )
    if actual_sha256 != sha256:
        raise BackupError(
            _(
                "%(file)s does not match the checksum in the manifest: the file "
                "was changed or damaged; nothing was restored."
            )
            % {"file": shown}
        )


def _damaged(shown, reason):
    return BackupError(
        _("%(file)s is damaged (%(reason)s); nothing was restored.")
        % {"file": shown, "reason": reason}
    )


def verified_sqlite_copy(directory, manifest, workdir):
    """Copy the backup's database into ``workdir`` and check the copy (so that what was checked
    is exactly what gets restored); returns the copy's path."""
    shown = Path(directory) / manifest["database_file"]
    copy = Path(workdir) / SQLITE_FILE
    shutil.copyfile(shown, copy)
    if has_checksums(manifest):
        check_file(copy, manifest["database_size"], manifest["database_sha256"], shown)
    database = sqlite3.connect(copy)
    try:
        problems = [row[0] for row in database.execute("PRAGMA integrity_check(3)")]
        if problems != ["ok"]:
            raise _damaged(
                shown, _("SQLite's integrity check says: %(problem)s") % {"problem": problems[0]}
            )
        tables = {
            row[0]
            for row in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        applied = (
            sorted(
                f"{app}.{name}"
                for app, name in database.execute("SELECT app, name FROM django_migrations")
            )
            if "django_migrations" in tables
            else []
        )
        _check_salon_database(shown, tables, applied, manifest)
        # Older backups counted the live database before the snapshot: only an estimate.
        names = {"posts": _("posts"), "pages": _("pages"), "responses": _("responses")}
        for key, model in COUNTED.items() if has_checksums(manifest) else ():
            (found,) = database.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"').fetchone()
            if found != manifest["counts"][key]:
                raise BackupError(
                    _(
                        "%(file)s holds %(found)s %(what)s but the manifest says "
                        "%(count)s; nothing was restored."
                    )
                    % {
                        "file": shown,
                        "found": found,
                        "what": names[key],
                        "count": manifest["counts"][key],
                    }
                )
    except sqlite3.Error as error:
        raise _damaged(shown, _("SQLite says: %(error)s") % {"error": error}) from None
    finally:
        database.close()
    return copy


def _check_salon_database(shown, tables, applied, manifest):
    """Salon's tables are there, the migrations are the manifest's, and none is unknown to
    this version of Salon (a backup of a newer Salon would lose its newer columns)."""
    needed = ["django_migrations", *(model._meta.db_table for model in COUNTED.values())]
    missing = [table for table in needed if table not in tables]
    if missing:
        raise BackupError(
            _("%(file)s is not a Salon database (it has no table %(table)s); nothing was restored.")
            % {"file": shown, "table": missing[0]}
        )
    if applied is None:
        return
    if "migrations" in manifest and sorted(manifest["migrations"]) != sorted(applied):
        raise BackupError(
            _("%(file)s does not hold the migrations its manifest lists; nothing was restored.")
            % {"file": shown}
        )
    disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    known, apps = {f"{app}.{name}" for app, name in disk}, {app for app, _name in disk}
    unknown = sorted(
        name for name in applied if name not in known and name.split(".", 1)[0] in apps
    )
    if unknown:
        raise BackupError(
            _(
                "%(file)s comes from a newer version of Salon (migration "
                "%(migration)s is unknown here); upgrade Salon first. Nothing was "
                "restored."
            )
            % {"file": shown, "migration": unknown[0]}
        )


def pg_tool(program):
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            _(
                "%(program)s is not installed; it is needed for PostgreSQL "
                "backups (Debian: apt install postgresql-client)."
            )
            % {"program": program}
        )
    return executable


def verify_postgres_dump(directory, manifest):
    """Read the whole dump with pg_restore, without a database, and find Salon's tables."""
    dump = Path(directory) / manifest["database_file"]
    if has_checksums(manifest):
        check_file(dump, manifest["database_size"], manifest["database_sha256"])
    executable = pg_tool("pg_restore")
    for command in (
        [executable, "--list", str(dump)],
        # every data block read and decompressed; the SQL goes nowhere
        [executable, "--file", "/dev/null", str(dump)],
    ):
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            lines = result.stderr.strip().splitlines() or [f"exit status {result.returncode}"]
            raise _damaged(dump, _("pg_restore says: %(error)s") % {"error": lines[-1]})
        if "--list" in command:
            listing = result.stdout
    tables = set(re.findall(r"^\d+; \d+ \d+ TABLE \S+ (\S+) ", listing, re.MULTILINE))
    _check_salon_database(dump, tables, None, manifest)


def media_files(root):
    """Relative path (posix) → path of every file under ``root``."""
    root = Path(root)
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): path
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def verify_media(directory, manifest):
    """The backup's media are exactly those the manifest lists, each intact."""
    present = media_files(Path(directory) / "media")
    listed = manifest.get("media")
    if listed is None:  # a backup made before checksums: its count at least
        count = manifest.get("media_files", len(present))
        if count != len(present):
            raise BackupError(
                _(
                    "%(dir)s holds %(found)s media files but the manifest says "
                    "%(count)s; nothing was restored."
                )
                % {"dir": Path(directory) / "media", "found": len(present), "count": count}
            )
        return
    for entry in listed:
        path = present.pop(entry["path"], None)
        shown = Path(directory) / "media" / entry["path"]
        if path is None:
            raise BackupError(
                _("%(file)s is missing; the backup is incomplete. Nothing was restored.")
                % {"file": shown}
            )
        check_file(path, entry["size"], entry["sha256"], shown)
    if present:
        raise BackupError(
            _("%(file)s is not in the manifest; nothing was restored.")
            % {"file": next(iter(present.values()))}
        )
