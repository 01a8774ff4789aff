"""Everything Salon writes that holds private data is 0600 in a 0700 folder, whatever the
process umask: a backup (its folder, manifest, database and media copies) and the exports.
The umask is set to the usual 022 here, so a file made with the defaults would be 0644."""

import os
import shutil
import stat

import pytest
from django.db import connection

from salon.blog.demo import load_demo

pytestmark = pytest.mark.django_db(transaction=True)


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def usual_umask():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_backup_is_readable_by_its_owner_only(run_command, settings, tmp_path):
    if connection.vendor != "sqlite" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "covers" / "2026").mkdir(parents=True, mode=0o755)
    photo = settings.MEDIA_ROOT / "covers" / "2026" / "photo.jpg"
    photo.write_bytes(b"\xff\xd8 a photo")
    photo.chmod(0o644)
    load_demo()
    folder = tmp_path / "backup"
    run_command("backup", "-o", folder)
    found = {path.relative_to(folder).as_posix(): mode(path) for path in folder.rglob("*")}
    assert mode(folder) == 0o700
    database = "database.sqlite3" if connection.vendor == "sqlite" else "database.dump"
    # Every file is 0600 and every folder 0700, the demo's own pictures included.
    expected = {name: 0o700 if (folder / name).is_dir() else 0o600 for name in found}
    assert found == expected
    assert {"manifest.json", database, "media/covers/2026/photo.jpg"} <= found.keys()
    assert mode(photo) == 0o644  # the live media, served to readers, are left alone
    photo.unlink()
    run_command("restore", folder, "--noinput")
    assert mode(photo) == 0o644  # and come back as uploads are made, not as the backup's copy


def test_a_backup_into_an_existing_empty_folder_makes_it_private(run_command, tmp_path):
    if connection.vendor != "sqlite" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    folder = tmp_path / "backup"
    folder.mkdir(mode=0o755)
    run_command("backup", "-o", folder)
    assert mode(folder) == 0o700


@pytest.mark.parametrize("command", ["export-wxr", "export-json"])
def test_exports_are_readable_by_their_owner_only(run_command, tmp_path, command):
    """Exports hold commenters' e-mail addresses and post passwords."""
    load_demo()
    target = tmp_path / "site.export"
    run_command(command, "-o", target)
    assert mode(target) == 0o600
    target.chmod(0o644)  # replacing an existing export makes it private again
    run_command(command, "-o", target)
    assert mode(target) == 0o600
